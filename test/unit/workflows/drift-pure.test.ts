/** The pure parts of `cairn drift`: --ignore patterns, changes → drift items, and the GitHub annotation format. */
import { describe, expect, it } from 'vitest'
import { driftGithub, driftText } from '../../../src/cli/commands/drift.js'
import { diff } from '../../../src/diff/diff.js'
import { isIgnored, parseIgnore, withoutIgnored } from '../../../src/workflows/ignore.js'
import { driftItems } from '../../../src/workflows/drift-items.js'
import type { DriftReport } from '../../../src/workflows/drift.js'
import { plan } from '../../../src/plan/plan.js'
import type { Model } from '../../../src/model/types.js'
import { col, model, table } from '../plan/build.js'

const users = (extra: Partial<Parameters<typeof table>[3]> = {}, cols = [col('id', 'bigint', { notNull: true }), col('email', 'text')]) =>
  table('app', 'users', cols, { primaryKey: { name: 'users_pkey', columns: ['id'] }, ...extra })
const idx = (name: string, column: string) => ({ name, unique: false, method: 'btree', keys: [{ column }], include: [], with: {} })

describe('--ignore patterns', () => {
  it('match qualified names with * and ?, optionally of one kind; s.* also matches the schema s', () => {
    const rules = parseIgnore(['legacy.*', 'index:app.*_tmp_idx', 'app.users.col?'])
    expect(isIgnored(rules, 'schema', 'legacy')).toBe(true)
    expect(isIgnored(rules, 'table', 'legacy.things')).toBe(true)
    expect(isIgnored(rules, 'schema', 'legacy2')).toBe(false)
    expect(isIgnored(rules, 'index', 'app.users_tmp_idx')).toBe(true)
    expect(isIgnored(rules, 'table', 'app.users_tmp_idx')).toBe(false)
    expect(isIgnored(rules, 'column', 'app.users.col1')).toBe(true)
    expect(isIgnored(rules, 'column', 'app.users.col12')).toBe(false)
  })

  it('refuses unknown kinds and odd characters (exit 2)', () => {
    expect(() => parseIgnore(['nope:app.x'])).toThrow(expect.objectContaining({ code: 'bad_ignore_pattern', exitCode: 2 }))
    expect(() => parseIgnore(['app.x; drop table y'])).toThrow(expect.objectContaining({ code: 'bad_ignore_pattern' }))
  })

  it('remove the objects and what hangs off them from a model', () => {
    const m: Model = model({
      tables: [
        users({ indexes: [idx('users_tmp_idx', 'email'), idx('users_email_idx', 'email')] }),
        table('legacy', 'things', [col('id', 'int')]),
      ],
      grants: [{ kind: 'grant', on: 'table', schema: 'legacy', name: 'things', role: 'app', privileges: ['SELECT'], withGrantOption: false }],
    })
    const out = withoutIgnored(m, parseIgnore(['legacy.*', 'index:*_tmp_idx', 'constraint:app.users.users_pkey']))
    expect(out.schemas.map((s) => s.name)).toEqual(['app'])
    expect(out.tables.map((t) => t.name)).toEqual(['users'])
    expect(out.tables[0].indexes.map((i) => i.name)).toEqual(['users_email_idx'])
    expect(out.tables[0].primaryKey).toBeUndefined()
    expect(out.grants).toEqual([])
    expect(withoutIgnored(m, [])).toBe(m)
  })

  it('remove the grants on ignored types, functions and columns with them', () => {
    const g = (on: 'type' | 'function' | 'table', name: string, extra: object = {}) =>
      ({ kind: 'grant' as const, on, schema: 'app', name, role: 'app', privileges: [on === 'function' ? 'EXECUTE' : on === 'type' ? 'USAGE' : 'SELECT'], withGrantOption: false, ...extra })
    const m: Model = model({
      tables: [users()],
      grants: [g('type', 'mood'), g('type', 'email'), g('function', 'f', { args: '' }), g('table', 'users', { column: 'email' }), g('table', 'users', { column: 'id' })],
    })
    const out = withoutIgnored(m, parseIgnore(['enum:app.mood', 'function:app.f', 'column:app.users.email']))
    expect(out.grants.map((x) => `${x.on} ${x.name}${x.column ? `.${x.column}` : ''}`)).toEqual(['type email', 'table users.id'])
  })
})

describe('drift items', () => {
  it('say, per object, what the drifted side did, with the undo SQL and the definitions change that adopts it', () => {
    // a live database (from) with a hand-made index and without a column its migrations (to) add
    const live = model({ tables: [users({ indexes: [idx('users_tmp_idx', 'email')] }, [col('id', 'bigint', { notNull: true })])] })
    const expected = model({ tables: [users()] })
    const p = plan(diff(live, expected).changes, { allowDestructive: true })
    const items = driftItems(p, [], { drifted: 'from', adopt: true })
    expect(items).toEqual([
      expect.objectContaining({
        drift: 'added', objectKind: 'index', object: 'app.users_tmp_idx', on: 'app.users', changes: ['drop_index'],
        summary: 'index app.users_tmp_idx on app.users added by hand', sql: 'DROP INDEX CONCURRENTLY app.users_tmp_idx;',
        adopt: 'declare index app.users_tmp_idx on app.users in schema/',
      }),
      expect.objectContaining({
        drift: 'removed', objectKind: 'column', object: 'app.users.email', changes: ['add_column'],
        summary: 'column app.users.email removed by hand', sql: 'ALTER TABLE app.users ADD COLUMN email text;',
        adopt: 'remove column app.users.email from schema/',
      }),
    ])
    // the same changes seen from the other side: definitions (to) ahead of the migrations (from)
    const ahead = driftItems(plan(diff(expected, live).changes, { allowDestructive: true }), [], { drifted: 'to' })
    expect(ahead.map((i) => `${i.drift} ${i.object}`)).toEqual(['removed app.users.email', 'added app.users_tmp_idx'])
    expect(ahead[0]).toMatchObject({ hazards: ['PGK102 drop_column'] })
    expect(ahead[0].adopt).toBeUndefined()
  })

  it('fold a drop + create of one object into one changed item, and keep changes cairn cannot plan', () => {
    const v = (definition: string) => ({ kind: 'view' as const, schema: 'app', name: 'v', materialized: true, definition, with: {}, indexes: [] })
    const p = plan(diff(model({ views: [v('SELECT 1')] }), model({ views: [v('SELECT 2')] })).changes)
    const unsupported = { kind: 'unsupported' as const, object: 'app.e', objectKind: 'enum', message: 'enum app.e loses a value', hint: 'recreate the type' }
    const items = driftItems(p, [unsupported], { drifted: 'from', adopt: true })
    expect(items.map((i) => [i.drift, i.objectKind, i.object, i.changes])).toEqual([
      ['changed', 'materialized view', 'app.v', ['drop_view', 'create_view']],
      ['changed', 'enum', 'app.e', ['unsupported']],
    ])
    expect(items[1]).toMatchObject({ sql: '', manual: 'enum app.e loses a value; recreate the type' })
  })

  it('name a grant by its column, a function grant by its arguments, and a revoke of PUBLIC\'s default as such', () => {
    const f = { kind: 'function' as const, schema: 'app', name: 'f', args: 'x integer', isProcedure: false, definition: 'CREATE OR REPLACE FUNCTION app.f(x integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT x$function$' }
    const base = { tables: [users()], functions: [f] }
    const live = model({ ...base, grants: [{ kind: 'grant', on: 'table', schema: 'app', name: 'users', column: 'email', role: 'app', privileges: ['SELECT'], withGrantOption: false }] })
    const expected = model({ ...base, grants: [{ kind: 'grant', on: 'function', schema: 'app', name: 'f', args: 'x integer', role: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true }] })
    const items = driftItems(plan(diff(live, expected).changes), [], { drifted: 'from' })
    expect(items.map((i) => [i.drift, i.objectKind, i.object, i.sql])).toEqual([
      ['added', 'grant', 'table app.users column email to app', 'REVOKE SELECT (email) ON TABLE app.users FROM app;'],
      ['removed', 'grant', 'function app.f(x integer) revoked from public', 'REVOKE EXECUTE ON ROUTINE app.f(x integer) FROM PUBLIC;'],
    ])
  })
})

describe('drift items of default privileges and collations', () => {
  it('name an entry by its role, kind, schema, grantee and grant option, and a collation by its name', () => {
    const dp = (x: object) => ({ kind: 'default_privilege' as const, schema: 'app', on: 'tables' as const, grantee: 'reader', privileges: ['SELECT'], withGrantOption: false, ...x })
    const coll = { kind: 'collation' as const, schema: 'app', name: 'bytes', provider: 'libc' as const, lcCollate: 'C', lcCtype: 'C', deterministic: true }
    const live = model({ tables: [users()], collations: [coll], defaultPrivileges: [dp({}), dp({ schema: undefined, on: 'functions', grantee: 'public', privileges: ['EXECUTE'], revoke: true })] })
    const expected = model({ tables: [users()], defaultPrivileges: [dp({ role: 'owner', withGrantOption: true })] })
    const items = driftItems(plan(diff(live, expected).changes, { allowDestructive: true }), [], { drifted: 'from', adopt: true })
    expect(items.map((i) => [i.drift, i.objectKind, i.object, i.sql])).toEqual([
      ['added', 'collation', 'app.bytes', 'DROP COLLATION app.bytes;'],
      ['added', 'default privileges', 'the migrating role on functions revoked from public', 'ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;'],
      ['added', 'default privileges', 'the migrating role on tables in app to reader', 'ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE SELECT ON TABLES FROM reader;'],
      ['removed', 'default privileges', 'owner on tables in app to reader with grant option', 'ALTER DEFAULT PRIVILEGES FOR ROLE owner IN SCHEMA app GRANT SELECT ON TABLES TO reader WITH GRANT OPTION;'],
    ])
    expect(items[0]!.adopt).toBe('declare collation app.bytes in schema/')
  })
})

describe('drift output', () => {
  const report: DriftReport = {
    drift: true,
    target: 'postgres://app:***@db:5432/prod',
    serverVersion: 150007,
    definitions: { drift: false, items: [], sql: '', notes: [] },
    migrations: {
      drift: true,
      dir: 'migrations',
      applied: 1,
      items: [{ name: '20260101000000_a,b', status: 'changed', file: 'migrations/20260101000000_a,b/up.sql', message: 'applied, but edited: 100%', hint: 'restore it' }],
    },
    database: {
      drift: true,
      comparedWith: 'pglite',
      replayed: ['20260101000000_a,b'],
      items: [{ drift: 'added', objectKind: 'index', object: 'app.i', on: 'app.t', changes: ['drop_index'], summary: 'index app.i on app.t added by hand', sql: 'DROP INDEX CONCURRENTLY app.i;', hazards: [], adopt: 'declare index app.i on app.t in schema/' }],
      sql: '',
      notes: [],
    },
    ignore: [],
    warnings: [],
    timings: {},
  }

  it('writes GitHub workflow commands with their properties and data escaped', () => {
    expect(driftGithub(report).split('\n')).toEqual([
      '::error file=migrations/20260101000000_a%2Cb/up.sql,title=cairn drift%3A migration changed::20260101000000_a,b: applied, but edited: 100%25. restore it',
      '::error title=cairn drift%3A database ≠ its migrations::index app.i on app.t added by hand on postgres://app:***@db:5432/prod.%0Aundo:%0ADROP INDEX CONCURRENTLY app.i;%0Aor keep it: declare index app.i on app.t in schema/, then cairn generate',
      '::error title=cairn drift::drift: 0 ungenerated changes, 1 migration finding, 1 object changed by hand on postgres://app:***@db:5432/prod',
      '',
    ])
  })

  it('groups the text report by the three sections', () => {
    const text = driftText(report, false)
    expect(text.indexOf('definitions ≠ migrations')).toBeLessThan(text.indexOf('migrations ≠ database history'))
    expect(text.indexOf('migrations ≠ database history')).toBeLessThan(text.indexOf('database ≠ its applied migrations'))
    expect(text).toContain('✓ definitions ≠ migrations: none')
    expect(text).toContain('✗ database ≠ its applied migrations: 1 object changed by hand (1 migration replayed in the embedded PostgreSQL 18)')
    expect(text).toMatch(/drift in 2 of 3 sections\n$/)
  })
})
