/** tenantKey() and tenantReference(): foreign keys that carry the tenant, so a row can only point at a parent of its own tenant. */
import { describe, expect, it } from 'vitest'
import { type AnyTable, pgSchema, tenantKey, tenantReference, tenantScoped, text, uuid } from '../../../src/dsl/index.js'
import { collectModel } from '../../../src/load/build-model.js'

const crm = pgSchema('crm')
const tenants = crm.table('tenants', { id: uuid().primaryKey(), name: text().notNull() })
const accounts = crm.table('accounts', { id: uuid().primaryKey(), ...tenantScoped(() => tenants.id) }, () => [tenantKey()])
const contacts = crm.table(
  'contacts',
  {
    id: uuid().primaryKey(),
    ...tenantScoped(() => tenants.id),
    account_id: uuid().notNull(),
    manager_id: uuid(),
  },
  (t) => [tenantKey(), tenantReference(t.account_id, () => accounts, { onDelete: 'cascade' }), tenantReference(t.manager_id, (): AnyTable => contacts, { name: 'contacts_manager_fk' })],
)

describe('tenantKey() and tenantReference()', () => {
  it('declare UNIQUE (tenant_id, id) and FOREIGN KEY (tenant_id, column) REFERENCES parent (tenant_id, id)', () => {
    const { model, issues } = collectModel({ crm, tenants, accounts, contacts })
    expect(issues).toEqual([])
    const byName = (n: string) => model.tables.find((t) => t.name === n)!
    expect(byName('accounts').uniques).toEqual([{ name: 'accounts_tenant_id_id_key', columns: ['tenant_id', 'id'] }])
    expect(byName('contacts').foreignKeys).toEqual([
      { name: 'contacts_account_id_fkey', columns: ['tenant_id', 'account_id'], refSchema: 'crm', refTable: 'accounts', refColumns: ['tenant_id', 'id'], onDelete: 'cascade', onUpdate: 'no action' },
      { name: 'contacts_manager_fk', columns: ['tenant_id', 'manager_id'], refSchema: 'crm', refTable: 'contacts', refColumns: ['tenant_id', 'id'], onDelete: 'no action', onUpdate: 'no action' },
      { name: 'contacts_tenant_id_fkey', columns: ['tenant_id'], refSchema: 'crm', refTable: 'tenants', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
    ])
  })

  it('report a parent without tenantKey(), or a table without a tenant column, as validation issues', () => {
    const plain = crm.table('plain', { id: uuid().primaryKey(), ...tenantScoped(() => tenants.id) })
    const notes = crm.table('notes', { id: uuid().primaryKey(), ...tenantScoped(() => tenants.id), plain_id: uuid() }, (t) => [tenantReference(t.plain_id, () => plain)])
    const loose = crm.table('loose', { id: uuid().primaryKey(), account_id: uuid() }, (t) => [tenantReference(t.account_id, () => accounts)])
    const { issues } = collectModel({ crm, tenants, accounts, plain, notes, loose })
    expect(issues.map((i) => [i.code, i.object])).toEqual(
      expect.arrayContaining([
        ['fk_target_not_unique', 'crm.notes.notes_plain_id_fkey'],
        ['unknown_column', 'crm.loose'],
      ]),
    )
    expect(() => tenantKey()).toThrow(/extras callback/)
  })
})
