/**
 * defaultPrivileges() and collation() in the DSL: the model entries they build (grant option and
 * direction in the key, ALL expanded, PUBLIC's built-in defaults no entry), every invalid input
 * reported with its code at the call's file:line, and the round trip through a database (render,
 * inspect back deep-equal, nothing to diff), with scratch databases giving database-wide default
 * privileges back between uses.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collation, defaultPrivileges, fn, grant, index, integer, pgSchema, role, text } from '../../../src/dsl/index.js'
import { buildModel, collectModel } from '../../../src/load/build-model.js'
import { inspect } from '../../../src/inspect/inspect.js'
import { canonicalize, resetScratchDatabase } from '../../../src/inspect/canonicalize.js'
import { diff } from '../../../src/diff/diff.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { testEngines } from '../../helpers/engines.js'
import type { TestDatabase } from '../../helpers/engines.js'

const suffix = randomBytes(3).toString('hex')
const readerName = `cairn_dp_reader_${suffix}`
const ownerName = `cairn_dp_owner_${suffix}`
const HERE = /^test\/unit\/dsl\/default-privileges\.test\.ts:\d+$/

const shop = pgSchema('shop')
const reader = role(readerName)
const owner = role(ownerName)
const ci = collation(shop, 'ci', { provider: 'icu', locale: 'und-u-ks-level2', deterministic: false, comment: 'case-insensitive' })
const bytes = collation(shop, 'bytes', { locale: 'C' })
const posix = collation(shop, 'posix', { from: 'POSIX' })
const und = collation('shop', 'und', { from: 'und-x-icu' })
const items = shop.table('items', { id: integer().primaryKey(), code: text().collate(bytes), name: text().collate(ci) }, (t) => [
  index('items_code_posix_idx').on(t.code.asc().collate(posix)),
])

const privileges = [
  defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['select'], to: reader }),
  defaultPrivileges({ inSchema: 'shop', on: 'tables', grant: ['INSERT', 'SELECT'], to: reader, withGrantOption: true }),
  defaultPrivileges({ inSchema: shop, on: 'sequences', grant: ['ALL'], to: reader }),
  defaultPrivileges({ forRole: owner, inSchema: shop, on: 'tables', grant: ['SELECT'], to: 'public' }),
  defaultPrivileges({ on: 'functions', revoke: ['EXECUTE'], from: 'PUBLIC' }),
  defaultPrivileges({ on: 'types', grant: ['USAGE'], to: reader }),
  defaultPrivileges({ forRole: owner, on: 'schemas', grant: ['usage'], to: reader }),
  // PUBLIC executes new functions by default: granting it database-wide is no entry
  defaultPrivileges({ forRole: owner, on: 'functions', grant: ['EXECUTE'], to: 'public' }),
]
const defs = { shop, reader, owner, ci, bytes, posix, und, items, privileges }

describe('defaultPrivileges()', () => {
  const model = buildModel(defs)

  it('builds one entry per role, schema, kind, grantee, grant option and direction; the role that migrates is named by none', () => {
    const d = (x: object) => ({ kind: 'default_privilege', withGrantOption: false, ...x })
    expect(model.defaultPrivileges).toEqual([
      d({ on: 'functions', grantee: 'public', privileges: ['EXECUTE'], revoke: true }),
      d({ on: 'types', grantee: readerName, privileges: ['USAGE'] }),
      d({ schema: 'shop', on: 'sequences', grantee: readerName, privileges: ['SELECT', 'UPDATE', 'USAGE'] }),
      d({ schema: 'shop', on: 'tables', grantee: readerName, privileges: ['INSERT', 'SELECT'], withGrantOption: true }),
      d({ role: ownerName, on: 'schemas', grantee: readerName, privileges: ['USAGE'] }),
      d({ role: ownerName, schema: 'shop', on: 'tables', grantee: 'public', privileges: ['SELECT'] }),
    ])
    // the roles they name are used: no unused_role, and both are in the model
    expect(model.roles.map((r) => r.name).sort()).toEqual([ownerName, readerName].sort())
  })

  it('renders as ALTER DEFAULT PRIVILEGES, with FOR ROLE only where one is given', () => {
    const sql = renderModel(model).filter((s) => s.startsWith('ALTER DEFAULT PRIVILEGES'))
    expect(sql).toEqual(expect.arrayContaining([
      'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
      `ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT INSERT, SELECT ON TABLES TO ${readerName} WITH GRANT OPTION`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerName} IN SCHEMA shop GRANT SELECT ON TABLES TO PUBLIC`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerName} GRANT USAGE ON SCHEMAS TO ${readerName}`,
    ]))
    expect(sql).toHaveLength(6)
  })

  it('reports each invalid entry with its code at the call\'s file:line', () => {
    const issues = (extra: object) => collectModel({ ...defs, ...extra }).issues
    const one = (extra: object, code: string, message: RegExp) => {
      const found = issues(extra)
      expect(found.map((i) => i.code), JSON.stringify(found)).toEqual([code])
      expect(found[0]!.file).toMatch(HERE)
      expect(found[0]!.message).toMatch(message)
      expect(found[0]!.hint).toBeTruthy()
    }
    one({ x: defaultPrivileges({ on: 'tables', grant: ['EXECUTE'], to: reader }) }, 'invalid_default_privileges', /names "EXECUTE", which tables do not take/)
    one({ x: defaultPrivileges({ on: 'sequences', grant: [], to: reader }) }, 'invalid_default_privileges', /lists no privileges/)
    one({ x: defaultPrivileges({ on: 'views' as 'tables', grant: ['SELECT'], to: reader }) }, 'invalid_default_privileges', /"views" is not a kind of object/)
    one({ x: defaultPrivileges({ inSchema: shop, on: 'schemas', grant: ['USAGE'], to: reader }) }, 'invalid_default_privileges', /IN SCHEMA cannot be given for schemas/)
    one({ x: defaultPrivileges({ on: 'tables', grant: ['SELECT'], to: 'public', withGrantOption: true }) }, 'invalid_default_privileges', /gives PUBLIC a grant option/)
    one({ x: defaultPrivileges({ inSchema: shop, on: 'functions', revoke: ['EXECUTE'], from: 'public' }) }, 'invalid_default_privileges', /a revoke IN SCHEMA takes nothing away/)
    one({ x: defaultPrivileges({ on: 'tables', revoke: ['SELECT'], from: 'public' }) }, 'invalid_default_privileges', /only PUBLIC's EXECUTE on functions and USAGE on types/)
    one({ x: defaultPrivileges({ on: 'tables', revoke: ['SELECT'], from: reader }) }, 'invalid_default_privileges', /takes away SELECT from cairn_dp_reader/)
    one({ x: defaultPrivileges({ on: 'tables', grant: ['SELECT'], revoke: ['SELECT'], from: 'public' } as never) }, 'invalid_default_privileges', /gives both grant and revoke/)
    one({ x: defaultPrivileges({ on: 'tables', grant: ['SELECT'] } as never) }, 'invalid_default_privileges', /names no role to grant to/)
    one({ x: defaultPrivileges({ on: 'tables', grant: ['SELECT'], to: 'nobody_here' }) }, 'unknown_role', /names role nobody_here, which is not exported/)
    one({ x: defaultPrivileges({ forRole: 'public', on: 'tables', grant: ['SELECT'], to: reader }) }, 'invalid_default_privileges', /FOR ROLE names PUBLIC/)
    one({ x: defaultPrivileges({ inSchema: 'elsewhere', on: 'tables', grant: ['SELECT'], to: reader }) }, 'undeclared_schema', /in schema "elsewhere", which is not declared/)
    one({ x: defaultPrivileges({ on: 'functions', grant: ['EXECUTE'], to: 'public', forRole: reader }), y: defaultPrivileges({ on: 'functions', revoke: ['EXECUTE'], from: 'public', forRole: reader }) }, 'conflicting_default_privileges', /EXECUTE is both revoked and granted/)
    // the role's own privileges on its new objects may be taken away (FROM the role itself)
    expect(issues({ x: defaultPrivileges({ forRole: owner, on: 'tables', revoke: ['TRUNCATE'], from: owner }) })).toEqual([])
  })

  it('keeps a privilege granted with and without grant option once, with it, and merges the rest', () => {
    const m = buildModel({ shop, reader, x: [
      defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['SELECT', 'DELETE'], to: reader }),
      defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['SELECT'], to: reader, withGrantOption: true }),
      defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['UPDATE'], to: reader }),
    ] })
    expect(m.defaultPrivileges?.map((d) => [d.privileges, d.withGrantOption])).toEqual([[['DELETE', 'UPDATE'], false], [['SELECT'], true]])
  })

  it('counts as a use of a role: one named only by default privileges is not unused', () => {
    const lonely = role(`cairn_dp_lonely_${suffix}`)
    expect(collectModel({ shop, lonely }).issues.map((i) => i.code)).toEqual(['unused_role'])
    expect(collectModel({ shop, lonely, x: defaultPrivileges({ on: 'types', grant: ['USAGE'], to: lonely }) }).issues).toEqual([])
  })
})

describe('collation()', () => {
  const model = buildModel(defs)

  it('builds the model entries as inspect reads them, and columns name it by its qualified name', () => {
    expect(model.collations).toEqual([
      { kind: 'collation', schema: 'shop', name: 'bytes', provider: 'libc', lcCollate: 'C', lcCtype: 'C', deterministic: true },
      { kind: 'collation', schema: 'shop', name: 'ci', provider: 'icu', locale: 'und-u-ks-level2', deterministic: false, comment: 'case-insensitive' },
      { kind: 'collation', schema: 'shop', name: 'posix', provider: 'libc', lcCollate: 'POSIX', lcCtype: 'POSIX', deterministic: true },
      { kind: 'collation', schema: 'shop', name: 'und', provider: 'icu', locale: 'und', deterministic: true },
    ])
    expect(model.tables[0]!.columns.map((c) => c.collation)).toEqual([undefined, 'shop.bytes', 'shop.ci'])
    expect(model.tables[0]!.indexes[0]!.keys).toEqual([{ column: 'code', collation: 'shop.posix' }])
    expect(renderModel(model)).toContain("CREATE COLLATION shop.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)")
  })

  it('reports each invalid collation with its code at the call\'s file:line', () => {
    const one = (extra: object, code: string, message: RegExp) => {
      const found = collectModel({ shop, ...extra }).issues
      expect(found.map((i) => i.code), JSON.stringify(found)).toEqual([code])
      expect(found[0]!.file).toMatch(HERE)
      expect(found[0]!.message).toMatch(message)
      expect(found[0]!.hint).toBeTruthy()
    }
    one({ x: collation(shop, 'x', { provider: 'icu' }) }, 'invalid_collation', /is ICU but gives no locale/)
    one({ x: collation(shop, 'x', { provider: 'icu', locale: 'und', lcCollate: 'C' }) }, 'invalid_collation', /gives lcCollate or lcCtype, which only libc takes/)
    one({ x: collation(shop, 'x', { provider: 'icu', locale: 'en_US' }) }, 'invalid_collation', /"en_US", which is not a language tag/)
    one({ x: collation(shop, 'x', { locale: 'C', deterministic: false }) }, 'invalid_collation', /nondeterministic, which only ICU collations can be/)
    one({ x: collation(shop, 'x', {}) }, 'invalid_collation', /is libc but gives no locale/)
    one({ x: collation(shop, 'x', { locale: 'C', lcCtype: 'C' }) }, 'invalid_collation', /gives locale together with lcCollate or lcCtype/)
    one({ x: collation(shop, 'x', { provider: 'builtin' as 'icu', locale: 'C' }) }, 'invalid_collation', /has provider "builtin", which is not icu or libc/)
    one({ x: collation(shop, 'x', { from: 'de_DE.utf8' }) }, 'invalid_collation', /copies "de_DE\.utf8", which cairn cannot read without a database/)
    one({ x: collation(shop, 'x', { from: 'C', provider: 'libc' }) }, 'invalid_collation', /gives from together with provider/)
    one({ x: collation('nowhere', 'x', { from: 'C' }) }, 'undeclared_schema', /collation nowhere\.x is in schema "nowhere"/)
    one({ x: collation(shop, 'x', { from: 'C' }), y: collation(shop, 'x', { from: 'POSIX' }) }, 'duplicate_collation', /collation shop\.x is defined twice, differently/)
    one({ x: collation(shop, 'x'.repeat(64), { from: 'C' }) }, 'identifier_too_long', /is longer than 63 bytes/)
    // declaring collations, the definitions own them: one of their schemas' that they do not declare is reported
    const other = shop.table('other', { a: text().collate('shop.nope'), b: text().collate('C') })
    one({ bytes, other }, 'unknown_collation', /column shop\.other\.a uses collation shop\.nope, which the definitions do not declare/)
    // declaring none, a column may name one the migrations made
    expect(collectModel({ shop, other }).issues).toEqual([])
  })
})

describe.each(testEngines())('default privileges and collations round trip on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  }, 60_000)
  afterAll(async () => {
    if (t && engine.name === 'postgres') {
      await resetScratchDatabase(t.db)
      await t.db.exec(`DROP OWNED BY ${readerName}, ${ownerName}; DROP ROLE IF EXISTS ${readerName}; DROP ROLE IF EXISTS ${ownerName}`)
    }
    await t?.dispose()
  })

  it('inspect reads back exactly what the definitions declare, and diff finds nothing', async () => {
    const model = buildModel(defs)
    const canonical = await canonicalize(model, t.db)
    expect(canonical.defaultPrivileges).toEqual(model.defaultPrivileges)
    expect(canonical.collations).toEqual(model.collations)
    await resetScratchDatabase(t.db)
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
    const inspected = await inspect(t.db)
    expect(inspected.defaultPrivileges).toEqual(model.defaultPrivileges)
    expect(inspected.collations).toEqual(model.collations)
    expect(inspected.roles.map((r) => r.name).sort()).toEqual([ownerName, readerName].sort())
    expect(inspected.unmodelled).toBeUndefined()
    expect(diff(inspected, canonical).changes).toEqual([])
  })

  it('a scratch database gives database-wide default privileges back between uses', async () => {
    await resetScratchDatabase(t.db)
    await t.db.exec(`ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
      ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;
      ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;
      ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerName} GRANT USAGE ON SCHEMAS TO ${readerName} WITH GRANT OPTION;
      ALTER DEFAULT PRIVILEGES FOR ROLE ${ownerName} REVOKE ALL ON SEQUENCES FROM ${ownerName}`)
    expect((await inspect(t.db)).defaultPrivileges).toHaveLength(5)
    await resetScratchDatabase(t.db)
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_catalog.pg_default_acl')
    expect(n).toBe(0)
    expect((await inspect(t.db)).defaultPrivileges).toBeUndefined()
    // a function created now is executable by PUBLIC again
    await t.db.exec('CREATE FUNCTION public.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$')
    const [{ acl }] = await t.db.query<{ acl: string | null }>("SELECT proacl::text AS acl FROM pg_catalog.pg_proc WHERE proname = 'f' AND pronamespace = 'public'::regnamespace")
    expect(acl).toBeNull()
    await resetScratchDatabase(t.db)
  })

  it('a grant() next to default privileges keeps its own entry', async () => {
    const lookup = fn(shop, 'lookup', { returns: 'integer', language: 'sql', body: 'SELECT 1' })
    const m = buildModel({ ...defs, lookup, g: grant(['EXECUTE'], { on: lookup, to: reader }) })
    const canonical = await canonicalize(m, t.db)
    expect(canonical.grants.filter((g) => g.on === 'function')).toEqual(m.grants.filter((g) => g.on === 'function'))
    expect(diff(canonical, m).changes.filter((c) => c.kind === 'alter_default_privileges')).toEqual([])
    await resetScratchDatabase(t.db)
  })
})
