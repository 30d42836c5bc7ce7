/**
 * Dropping an object that is not a table, column, index or constraint is destructive too (PGK108+):
 * refused without allowDestructive and listed in the header; recreating it (drop + create of the
 * same object) is not.
 */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { CairnError } from '../../../src/errors.js'
import type { FunctionDef, Model, PolicyDef, TriggerDef, ViewDef } from '../../../src/model/types.js'
import { plan } from '../../../src/plan/plan.js'
import { renderMigration } from '../../../src/plan/render-migration.js'
import { col, model, table } from './build.js'

const users = (policies: PolicyDef[] = []) =>
  table('app', 'users', [col('id', 'bigint', { notNull: true }), col('age', 'integer')], { primaryKey: { name: 'users_pkey', columns: ['id'] }, policies })
const fn = (body = 'RETURN NEW;', returns = 'trigger'): FunctionDef => ({
  kind: 'function',
  schema: 'app',
  name: 'touch',
  args: '',
  isProcedure: false,
  definition: `CREATE OR REPLACE FUNCTION app.touch()\n RETURNS ${returns}\n LANGUAGE plpgsql\nAS $function$ BEGIN ${body} END $function$`,
})
const trig = (when = 'BEFORE'): TriggerDef => ({
  kind: 'trigger',
  schema: 'app',
  table: 'users',
  name: 'users_touch',
  definition: `CREATE TRIGGER users_touch ${when} UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()`,
})
const view = (definition = ' SELECT users.id\n   FROM app.users'): ViewDef => ({ kind: 'view', schema: 'app', name: 'ids', materialized: false, definition, with: {}, indexes: [] })
const policy = (using = '(age > 0)'): PolicyDef => ({ name: 'adults', permissive: true, command: 'select', roles: ['public'], using })

const changesOf = (a: Model, b: Model) => {
  const d = diff(a, b)
  expect(d.status).toBe('ok')
  return d.changes
}
const refusal = (a: Model, b: Model): CairnError => {
  try {
    plan(changesOf(a, b))
  } catch (e) {
    return e as CairnError
  }
  throw new Error('expected a refusal')
}

describe('destructive drops of other objects', () => {
  const full = model({ tables: [users([policy()])], functions: [fn()], triggers: [trig()], views: [view()], roles: [{ kind: 'role', name: 'reader', login: false, inherit: true, bypassRls: false, memberOf: [] }] })

  it('refuses dropping a function, trigger, view, policy and role, each with its own code', () => {
    const e = refusal(full, model({ tables: [users()] }))
    expect(e.code).toBe('destructive_changes')
    expect(e.meta?.codes).toEqual(expect.arrayContaining(['PGK108', 'PGK109', 'PGK110', 'PGK111', 'PGK112']))
    expect(e.message).toMatch(/PGK109 drop_trigger app\.users\.users_touch: trigger users_touch on app\.users is dropped/)
    expect(e.message).toMatch(/PGK108 drop_function app\.touch\(\)/)
    expect(e.message).toMatch(/PGK110 drop_view app\.ids/)
    expect(e.message).toMatch(/PGK111 drop_policy app\.users\.adults/)
    expect(e.message).toMatch(/PGK112 drop_role reader/)
  })

  it('lists them in the migration header when allowed', () => {
    const p = plan(changesOf(full, model({ tables: [users()] })), { allowDestructive: true })
    const up = renderMigration(p).up
    for (const code of ['PGK108 drop_function', 'PGK109 drop_trigger', 'PGK110 drop_view', 'PGK111 drop_policy', 'PGK112 drop_role']) {
      expect(up).toMatch(new RegExp(`^-- cairn:destructive ${code} `, 'm'))
    }
  })

  it('refuses taking away default privileges, in either direction (PGK115)', () => {
    const grant = { kind: 'default_privilege' as const, role: 'owner', schema: 'app', on: 'tables' as const, grantee: 'reader', privileges: ['SELECT'], withGrantOption: false }
    const noExec = { kind: 'default_privilege' as const, role: 'owner', on: 'functions' as const, grantee: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true as const }
    const e = refusal(model({ defaultPrivileges: [grant, noExec] }), model({}))
    expect(e.meta?.codes).toEqual(['PGK115', 'PGK115'])
    // giving EXECUTE on new functions back to PUBLIC is a GRANT, and still refused
    expect(e.message).toMatch(/PGK115 drop_default_privileges owner:functions:public: default privileges of owner on functions for public lose EXECUTE/)
    expect(plan(changesOf(model({}), model({ defaultPrivileges: [grant, noExec] }))).destructive).toEqual([])
  })

  it('does not count a recreation as a drop', () => {
    // a changed trigger and policy are dropped and created again; a function whose return type
    // changes likewise; a view that cannot be replaced in place too
    const after = model({
      tables: [users([{ ...policy('(age > 1)'), permissive: false }])],
      functions: [fn('RETURN NULL;', 'trigger')],
      triggers: [trig('AFTER')],
      views: [view(' SELECT users.age\n   FROM app.users')],
      roles: full.roles,
    })
    const p = plan(changesOf(full, after))
    expect(p.destructive).toEqual([])
    expect(p.steps.map((s) => s.sql)).toEqual(expect.arrayContaining(['DROP TRIGGER users_touch ON app.users', 'DROP VIEW app.ids', 'DROP POLICY adults ON app.users']))
    const retyped = model({ ...full, functions: [fn('RETURN 1;', 'integer')], triggers: [] })
    const r = plan(changesOf(model({ ...full, triggers: [] }), retyped))
    expect(r.steps.map((s) => s.sql)).toContain('DROP FUNCTION app.touch()')
    expect(r.destructive).toEqual([])
  })
})
