import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Model, TableDef } from '../../src/model/types.js'
import { emptyModel } from '../../src/model/types.js'
import { canonicalize, openScratchDatabase } from '../../src/inspect/canonicalize.js'
import { isCairnError } from '../../src/errors.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'

const products = (extra: Partial<TableDef> = {}): TableDef => ({
  kind: 'table',
  schema: 'shop',
  name: 'products',
  columns: [
    { name: 'id', type: 'int8', notNull: true, identity: 'always' },
    { name: 'name', type: 'varchar(80)', notNull: true, default: `'unnamed'` },
    { name: 'price', type: 'decimal(10,2)', notNull: true, default: '0' },
    { name: 'active', type: 'bool', notNull: true, default: 'TRUE' },
    { name: 'added', type: 'timestamptz', notNull: true, default: 'now()' },
    { name: 'sku', type: 'text', notNull: false, renamedFrom: 'code' },
  ],
  primaryKey: { name: 'products_pkey', columns: ['id'] },
  uniques: [],
  foreignKeys: [],
  checks: [{ name: 'products_price_check', expression: 'price>0' }],
  indexes: [
    { name: 'products_name_idx', unique: false, method: 'btree', keys: [{ expression: 'lower(name)' }], include: [], where: 'active', with: {} },
  ],
  with: {},
  policies: [{ name: 'visible', permissive: true, command: 'select', roles: ['public'], using: 'active and price >= 1' }],
  rls: { enabled: true, forced: false },
  renamedFrom: 'items',
  ...extra,
})

const shopModel = (): Model => ({
  ...emptyModel(),
  schemas: [{ kind: 'schema', name: 'shop' }],
  enums: [{ kind: 'enum', schema: 'shop', name: 'state', values: ['new', 'old'], renamedFrom: 'status' }],
  tables: [products()],
})

describe.each(testEngines())('canonicalize on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it("spells hand-written SQL the way Postgres prints it", async () => {
    const m = await canonicalize(shopModel(), t.db)
    const p = m.tables[0]
    expect(p.checks).toEqual([{ name: 'products_price_check', expression: '(price > (0)::numeric)' }])
    expect(p.columns.map((c) => [c.name, c.type, c.default ?? null])).toEqual([
      ['id', 'bigint', null],
      ['name', 'character varying(80)', "'unnamed'::character varying"],
      ['price', 'numeric(10,2)', '0'],
      ['active', 'boolean', 'true'],
      ['added', 'timestamp with time zone', 'now()'],
      ['sku', 'text', null],
    ])
    expect(p.indexes[0].keys).toEqual([{ expression: 'lower((name)::text)' }])
    expect(p.indexes[0].where).toBe('active')
    expect(p.policies[0].using).toBe('(active AND (price >= (1)::numeric))')
  })

  it('re-attaches renamedFrom hints to tables, columns and enums', async () => {
    const m = await canonicalize(shopModel(), t.db)
    expect(m.tables[0].renamedFrom).toBe('items')
    expect(m.tables[0].columns.find((c) => c.name === 'sku')?.renamedFrom).toBe('code')
    expect(m.tables[0].columns.filter((c) => c.renamedFrom !== undefined)).toHaveLength(1)
    expect(m.enums[0].renamedFrom).toBe('status')
  })

  it('reuses the scratch database: objects of an earlier model are gone', async () => {
    await canonicalize(shopModel(), t.db)
    const { renamedFrom: _r, rls: _rls, ...things } = products({ schema: 'public', name: 'things', policies: [] })
    const other: Model = { ...emptyModel(), tables: [things] }
    const m = await canonicalize(other, t.db)
    expect(m.schemas).toEqual([])
    expect(m.enums).toEqual([])
    expect(m.tables.map((x) => `${x.schema}.${x.name}`)).toEqual(['public.things'])
    // a second run of the same model gives the same result
    expect(await canonicalize(other, t.db)).toStrictEqual(m)
  })

  it('is a fixed point: canonicalising a canonical model changes nothing', async () => {
    const once = await canonicalize(shopModel(), t.db)
    expect(await canonicalize(once, t.db)).toStrictEqual(once)
  })

  it('throws invalid_definition naming the statement and the Postgres error', async () => {
    const bad = { ...shopModel(), tables: [products({ checks: [{ name: 'bad', expression: 'no_such_column > 0' }] })] }
    const err = await canonicalize(bad, t.db).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isCairnError(err)).toBe(true)
    if (!isCairnError(err)) return
    expect(err.code).toBe('invalid_definition')
    expect(err.message).toMatch(/column "no_such_column" does not exist/)
    expect(err.message).toContain('CREATE TABLE shop.products')
    expect(err.meta?.statement).toMatch(/^CREATE TABLE shop\.products/)
    // the failed attempt left nothing behind for the next one
    const ok = await canonicalize(shopModel(), t.db)
    expect(ok.tables).toHaveLength(1)
  })
})

describe('openScratchDatabase', () => {
  it('opens an empty in-memory PGlite database', async () => {
    const db = await openScratchDatabase()
    try {
      expect(db.engine).toBe('pglite')
      expect(db.target).toBe('pglite:memory')
      const m = await canonicalize(emptyModel(), db)
      expect(m).toStrictEqual(emptyModel())
    } finally {
      await db.close()
    }
  })
})
