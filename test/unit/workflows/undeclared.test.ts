/** generate keeps what the definitions cannot declare as the history made it. */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { withUndeclaredFrom } from '../../../src/workflows/undeclared.js'
import { defaultPrivileges, pgSchema } from '../../../src/dsl/index.js'
import { buildModel } from '../../../src/load/build-model.js'
import { col, model, table } from '../plan/build.js'

describe('withUndeclaredFrom', () => {
  it('takes default privileges, collations, exclusions, unlogged, constraint comments and storage, trigger states from the history', () => {
    const t = (extra = {}) => table('app', 't', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 't_pkey', columns: ['id'] }, ...extra })
    const trig = { kind: 'trigger' as const, schema: 'app', table: 't', name: 'tr', definition: 'CREATE TRIGGER tr …' }
    const current = model({
      tables: [t({
        unlogged: true,
        primaryKey: { name: 't_pkey', columns: ['id'], comment: 'pk', with: { fillfactor: '70' } },
        exclusions: [{ name: 't_id_excl', definition: 'EXCLUDE USING btree (id WITH =)' }],
      })],
      triggers: [{ ...trig, enabled: 'disabled' }],
      defaultPrivileges: [{ kind: 'default_privilege', role: 'o', schema: 'app', on: 'tables', grantee: 'public', privileges: ['SELECT'], withGrantOption: false }],
      collations: [{ kind: 'collation', schema: 'app', name: 'c', provider: 'libc', lcCollate: 'C', lcCtype: 'C', deterministic: true }],
    })
    const desired = model({ tables: [t()], triggers: [trig] })
    expect(diff(current, withUndeclaredFrom(current, desired)).changes).toEqual([])
    // what the definitions can declare is theirs: a dropped trigger stays dropped
    expect(diff(current, withUndeclaredFrom(current, model({ tables: [t()] }))).changes.map((c) => c.kind)).toEqual(['drop_trigger'])
  })

  it('keeps a key\'s INCLUDE columns and index comment, NOT VALID and ON DELETE SET NULL (…) columns, which the DSL cannot give, for the same constraint', () => {
    const parent = table('app', 'p', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 'p_pkey', columns: ['id'] } })
    const fk = { name: 't_p_fkey', columns: ['p', 'q'], refSchema: 'app', refTable: 'p', refColumns: ['id', 'id'], onDelete: 'set null' as const, onUpdate: 'no action' as const, deferrable: false, initiallyDeferred: false }
    const t = (history: boolean) =>
      table('app', 't', [col('id', 'integer', { notNull: true }), col('p', 'integer'), col('q', 'integer'), col('note', 'text')], {
        primaryKey: { name: 't_pkey', columns: ['id'], ...(history ? { include: ['note'] } : {}) },
        checks: [{ name: 't_note_check', expression: '(length(note) < 10)', ...(history ? { notValid: true as const } : {}) }],
        foreignKeys: [{ ...fk, ...(history ? { notValid: true as const, onDeleteColumns: ['p'] } : {}) }],
        ...(history ? { keyIndexComments: { t_pkey: 'the pk index' } } : {}),
      })
    const current = model({ tables: [parent, t(true)] })
    expect(diff(current, withUndeclaredFrom(current, model({ tables: [parent, t(false)] }))).changes).toEqual([])
    // a key with other columns, or a check with another expression, is a new constraint: nothing is carried over
    const changed = table('app', 't', [col('id', 'integer', { notNull: true }), col('p', 'integer'), col('q', 'integer'), col('note', 'text')], {
      primaryKey: { name: 't_pkey', columns: ['id', 'p'] },
      checks: [{ name: 't_note_check', expression: '(length(note) < 20)' }],
      foreignKeys: [fk],
    })
    const kept = withUndeclaredFrom(current, model({ tables: [parent, changed] })).tables.find((x) => x.name === 't')!
    expect(kept.primaryKey?.include).toBeUndefined()
    expect(kept.checks[0]!.notValid).toBeUndefined()
    expect(kept.foreignKeys[0]!.notValid).toBe(true)
  })

  it('keeps the roles the history\'s default privileges name while the definitions declare none', () => {
    const reader = { kind: 'role' as const, name: 'reader', login: false, inherit: true, bypassRls: false, memberOf: [] }
    const dp = { kind: 'default_privilege' as const, schema: 'app', on: 'tables' as const, grantee: 'reader', privileges: ['SELECT'], withGrantOption: false }
    const current = model({ schemas: [{ kind: 'schema', name: 'app' }], roles: [reader], defaultPrivileges: [dp] })
    const kept = withUndeclaredFrom(current, model({ schemas: [{ kind: 'schema', name: 'app' }] }))
    expect(kept.roles).toEqual([reader])
    expect(kept.defaultPrivileges).toEqual([dp])
    expect(diff(current, kept).changes).toEqual([])
  })

  it('lets definitions that declare any default privileges or collation own the kind: what only the history has goes', () => {
    const app = { kind: 'schema' as const, name: 'app' }
    const dp = (grantee: string, privileges: string[]) => ({ kind: 'default_privilege' as const, schema: 'app', on: 'tables' as const, grantee, privileges, withGrantOption: false })
    const noExec = { kind: 'default_privilege' as const, on: 'functions' as const, grantee: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true as const }
    const coll = (name: string) => ({ kind: 'collation' as const, schema: 'app', name, provider: 'libc' as const, lcCollate: 'C', lcCtype: 'C', deterministic: true })
    const current = model({ schemas: [app], defaultPrivileges: [dp('public', ['SELECT']), noExec], collations: [coll('old')] })
    const declared = model({ schemas: [app], defaultPrivileges: [dp('public', ['INSERT', 'SELECT'])], collations: [coll('new')] })
    const desired = withUndeclaredFrom(current, declared, declared)
    expect(desired.defaultPrivileges).toEqual(declared.defaultPrivileges)
    expect(desired.collations).toEqual(declared.collations)
    const changes = diff(current, desired).changes
    expect(changes.map((c) => (c.kind === 'alter_default_privileges' ? `${c.action} ${c.entry.privileges.join(',')} ${c.entry.on}` : c.kind))).toEqual([
      'create_collation',
      'drop_collation',
      'grant EXECUTE functions',
      'grant INSERT tables',
    ])
    // definitions whose only entry is a built-in default (PUBLIC's EXECUTE granted back) own the kind too: the history's revoke goes
    const builtIn = buildModel({ app: pgSchema('app'), x: defaultPrivileges({ on: 'functions', grant: ['EXECUTE'], to: 'public' }) })
    expect(builtIn.defaultPrivileges).toEqual([])
    const back = withUndeclaredFrom(current, { ...model({ schemas: [app], collations: current.collations }) }, builtIn)
    expect(diff(current, back).changes.map((c) => (c.kind === 'alter_default_privileges' ? `${c.action} ${c.entry.privileges.join(',')} ${c.entry.on}` : c.kind))).toEqual([
      'grant EXECUTE functions',
      'revoke SELECT tables',
    ])
    // definitions that declare none keep the history's
    expect(withUndeclaredFrom(current, model({ schemas: [app] }), model({ schemas: [app] })).defaultPrivileges).toEqual(current.defaultPrivileges)
  })
})
