/** tenantScoped({ type: 'bigint' }): a bigint tenant key for tenants with internal numeric ids. */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { bigint, pgSchema, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, uuid } from '../../../src/dsl/index.js'
import { collectModel } from '../../../src/load/build-model.js'

const core = pgSchema('core')
const tenants = core.table('tenants', { id: bigint().primaryKey().generatedAlwaysAsIdentity(), public_id: uuid().notNull().unique().defaultRandom() })
const projects = core.table(
  'projects',
  { id: bigint().primaryKey().generatedAlwaysAsIdentity(), ...tenantScoped(() => tenants.id, { type: 'bigint' }), name: text().notNull() },
  () => [tenantKey(), tenantIsolation({ type: 'bigint' })],
)
const tasks = core.table(
  'tasks',
  { id: bigint().primaryKey().generatedAlwaysAsIdentity(), ...tenantScoped(() => tenants.id, { type: 'bigint', onDelete: 'restrict' }), project_id: bigint().notNull() },
  (t) => [tenantReference(t.project_id, () => projects)],
)
const uuidScoped = core.table('notes', { id: uuid().primaryKey(), ...tenantScoped(() => tenants.public_id) })

describe("tenantScoped({ type: 'bigint' })", () => {
  it('declares tenant_id bigint NOT NULL with its foreign key and index; uuid stays the default', () => {
    const { model, issues } = collectModel({ core, tenants, projects, tasks, uuidScoped })
    expect(issues).toEqual([])
    const t = (n: string) => model.tables.find((x) => x.name === n)!
    expect(t('projects').columns.find((c) => c.name === 'tenant_id')).toEqual({ name: 'tenant_id', type: 'bigint', notNull: true })
    expect(t('projects').indexes.map((i) => i.name)).toContain('projects_tenant_id_idx')
    expect(t('projects').foreignKeys).toEqual([
      { name: 'projects_tenant_id_fkey', columns: ['tenant_id'], refSchema: 'core', refTable: 'tenants', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
    ])
    expect(t('projects').policies[0].using).toBe("(tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)")
    expect(t('tasks').foreignKeys.map((f) => [f.name, f.columns, f.onDelete])).toEqual([
      ['tasks_project_id_fkey', ['tenant_id', 'project_id'], 'no action'],
      ['tasks_tenant_id_fkey', ['tenant_id'], 'restrict'],
    ])
    expect(t('notes').columns.find((c) => c.name === 'tenant_id')).toEqual({ name: 'tenant_id', type: 'uuid', notNull: true })
  })

  it('types the column by the key type', () => {
    expectTypeOf<typeof projects.$inferSelect.tenant_id>().toEqualTypeOf<number>()
    expectTypeOf<typeof uuidScoped.$inferSelect.tenant_id>().toEqualTypeOf<string>()
  })
})
