/**
 * grant() and revoke() in the DSL: every kind of object a grant names (tables and their columns,
 * views, schemas, sequences, functions and procedures with their arguments, domains and enums),
 * PUBLIC's default privileges taken away, the checks with file:line, and the round trip through a
 * database (render, inspect back deep-equal, nothing to diff).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { domain, fn, grant, integer, pgSchema, revoke, role, text, view } from '../../../src/dsl/index.js'
import { buildModel, collectModel } from '../../../src/load/build-model.js'
import { inspect } from '../../../src/inspect/inspect.js'
import { canonicalize } from '../../../src/inspect/canonicalize.js'
import { diff } from '../../../src/diff/diff.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { testEngines } from '../../helpers/engines.js'
import type { TestDatabase } from '../../helpers/engines.js'

const suffix = randomBytes(3).toString('hex')
const readerName = `cairn_grants_reader_${suffix}`
const HERE = /^test\/unit\/dsl\/grants\.test\.ts:\d+$/

const shop = pgSchema('shop')
const reader = role(readerName)
const orders = shop.table('orders', { id: integer().primaryKey().generatedAlwaysAsIdentity(), note: text(), total: integer() })
const openOrders = view(shop, 'open_orders', { sql: 'SELECT id, note FROM shop.orders', deps: [orders] })
const email = domain(shop, 'email', text())
const status = shop.enum('status', ['open', 'closed'])
const lookup = fn(shop, 'lookup', { args: [{ name: 'p_id', type: 'integer' }], returns: 'text', language: 'sql', body: 'SELECT note FROM shop.orders WHERE id = p_id' })
const lookupAll = fn(shop, 'lookup', { returns: 'text', language: 'sql', body: "SELECT 'all'" })
const archive = fn(shop, 'archive', { procedure: true, language: 'sql', body: 'SELECT 1' })

const grants = [
  grant(['usage'], { on: shop, to: reader }),
  grant(['SELECT'], { on: orders, to: reader, withGrantOption: true }),
  grant(['SELECT', 'UPDATE'], { on: orders, columns: [orders.note, 'total'], to: reader }),
  grant(['SELECT'], { on: openOrders, columns: ['note'], to: reader }),
  grant(['USAGE', 'SELECT'], { on: { schema: 'shop', name: 'orders_id_seq', kind: 'sequence' }, to: reader }),
  revoke(['ALL'], { on: lookup, from: 'public' }),
  grant(['EXECUTE'], { on: lookup, to: reader }),
  revoke(['EXECUTE'], { on: archive, from: 'public' }),
  grant(['ALL'], { on: email, to: reader }),
  revoke(['USAGE'], { on: status, from: 'public' }),
  grant(['EXECUTE'], { on: lookupAll, to: 'public' }),
]
const defs = { shop, reader, orders, openOrders, email, status, lookup, lookupAll, archive, grants }

describe('grant() and revoke()', () => {
  const model = buildModel(defs)

  it('build one entry per object (per column), role, option and direction, with a function\'s arguments; PUBLIC\'s default EXECUTE granted again is no entry', () => {
    const g = (x: object) => ({ kind: 'grant', schema: 'shop', role: readerName, withGrantOption: false, ...x })
    expect(model.grants).toEqual([
      g({ on: 'function', name: 'archive', args: '', role: 'public', privileges: ['EXECUTE'], revoke: true }),
      g({ on: 'function', name: 'lookup', args: 'p_id integer', privileges: ['EXECUTE'] }),
      g({ on: 'function', name: 'lookup', args: 'p_id integer', role: 'public', privileges: ['EXECUTE'], revoke: true }),
      g({ on: 'schema', name: 'shop', privileges: ['USAGE'] }),
      g({ on: 'sequence', name: 'orders_id_seq', privileges: ['SELECT', 'USAGE'] }),
      g({ on: 'table', name: 'open_orders', column: 'note', privileges: ['SELECT'] }),
      g({ on: 'table', name: 'orders', privileges: ['SELECT'], withGrantOption: true }),
      g({ on: 'table', name: 'orders', column: 'note', privileges: ['SELECT', 'UPDATE'] }),
      g({ on: 'table', name: 'orders', column: 'total', privileges: ['SELECT', 'UPDATE'] }),
      g({ on: 'type', name: 'email', privileges: ['USAGE'] }),
      g({ on: 'type', name: 'status', role: 'public', privileges: ['USAGE'], revoke: true }),
    ])
  })

  it('render as GRANT, and REVOKE … FROM PUBLIC for the defaults taken away', () => {
    const sql = renderModel(model).filter((s) => /^(GRANT|REVOKE) /.test(s))
    expect(sql).toContain('REVOKE EXECUTE ON ROUTINE shop.lookup(p_id integer) FROM PUBLIC')
    expect(sql).toContain('REVOKE EXECUTE ON ROUTINE shop.archive() FROM PUBLIC')
    expect(sql).toContain(`GRANT SELECT (note), UPDATE (note) ON TABLE shop.orders TO ${readerName}`)
    expect(sql).toContain(`GRANT SELECT ON TABLE shop.orders TO ${readerName} WITH GRANT OPTION`)
    expect(sql).toContain(`GRANT USAGE ON TYPE shop.email TO ${readerName}`)
    expect(sql).toContain('REVOKE USAGE ON TYPE shop.status FROM PUBLIC')
  })

  it('report what they name wrongly, at the grant\'s file:line', () => {
    const issues = (extra: object) => collectModel({ ...defs, ...extra }).issues
    const one = (extra: object, code: string, message: RegExp) => {
      const found = issues(extra).filter((i) => i.code === code)
      expect(found, JSON.stringify(issues(extra))).toHaveLength(1)
      expect(found[0]!.file).toMatch(HERE)
      expect(found[0]!.message).toMatch(message)
      expect(found[0]!.hint).toBeTruthy()
    }
    one({ x: grant(['SELECT'], { on: orders, columns: ['nope'], to: reader }) }, 'unknown_column', /names column "nope", which it does not have/)
    one({ x: grant(['DELETE'], { on: orders, columns: ['note'], to: reader }) }, 'invalid_grant', /names DELETE, which a column does not take/)
    one({ x: grant(['EXECUTE'], { on: orders, to: reader }) }, 'invalid_grant', /names EXECUTE, which a table does not take/)
    one({ x: grant(['SELECT'], { on: email, to: reader }) }, 'invalid_grant', /names SELECT, which a type does not take/)
    one({ x: grant(['USAGE'], { on: shop, columns: ['a'], to: reader }) }, 'invalid_grant', /lists columns, which only tables and views have/)
    one({ x: grant(['EXECUTE'], { on: { schema: 'shop', name: 'lookup', kind: 'function' }, to: reader }) }, 'grant_unknown_object', /has 2 overloads/)
    one({ x: grant(['EXECUTE'], { on: { schema: 'shop', name: 'gone', kind: 'function', args: '' }, to: reader }) }, 'grant_unknown_object', /shop\.gone\(\), which is not an exported function/)
    one({ x: revoke(['USAGE'], { on: lookup, from: 'public' }) }, 'invalid_revoke', /only the EXECUTE PUBLIC holds on functions/)
    one({ x: revoke(['EXECUTE'], { on: orders, from: 'public' }) }, 'invalid_revoke', /takes away EXECUTE from public/)
    one({ x: grant(['SELECT'], { on: orders, to: 'public', withGrantOption: true }) }, 'invalid_grant', /gives PUBLIC a grant option/)
    one({ x: grant(['EXECUTE'], { on: archive, to: 'public' }) }, 'conflicting_grant', /EXECUTE is both revoked from and granted to PUBLIC/)
    // a privilege granted with and without grant option is held once, with it (as the catalog keeps it)
    const twice = buildModel({ shop, reader, orders, x: [grant(['SELECT', 'INSERT'], { on: orders, to: reader }), grant(['SELECT'], { on: orders, to: reader, withGrantOption: true })] })
    expect(twice.grants.map((x) => [x.privileges, x.withGrantOption])).toEqual([[['INSERT'], false], [['SELECT'], true]])
    // a function named without arguments resolves to its only overload
    const m = buildModel({ shop, reader, archive, x: grant(['EXECUTE'], { on: { schema: 'shop', name: 'archive', kind: 'function' }, to: reader }) })
    expect(m.grants.find((g) => g.role === readerName)).toMatchObject({ on: 'function', name: 'archive', args: '' })
  })
})

describe.each(testEngines())('grants round trip on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  }, 60_000)
  afterAll(async () => {
    if (t && engine.name === 'postgres') await t.db.exec(`DROP SCHEMA IF EXISTS shop CASCADE; DROP OWNED BY ${readerName}; DROP ROLE IF EXISTS ${readerName}`)
    await t?.dispose()
  })

  it('inspect reads back exactly the grants the definitions declare, and diff finds nothing', async () => {
    const model = buildModel(defs)
    // views' and functions' text in Postgres' spelling
    const canonical = await canonicalize(model, t.db)
    await t.db.exec('DROP SCHEMA IF EXISTS shop CASCADE')
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
    const inspected = await inspect(t.db)
    expect(inspected.grants).toEqual(model.grants)
    expect(inspected.unmodelled).toBeUndefined()
    expect(diff(inspected, canonical).changes).toEqual([])
  })
})
