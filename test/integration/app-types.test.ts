/**
 * Types for the application, at run time: the reference model (and a table with identities, a
 * generated column and checks) migrated into PGlite, queried through Kysely typed by
 * `KyselyDatabase<typeof schema>`; the zod schemas accept the rows the database returns and refuse
 * bad ones at the right path. For a table of candidate rows, `insertSchema()` accepts exactly the
 * rows the database accepts.
 */
import { PGlite, types } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { pgliteDialect } from '../../src/db/pglite-dialect.js'
import {
  bigint, check, integer, jsonb, numeric, pgSchema, serial, smallint, sql, text, timestamptz, uuid, varchar,
} from '../../src/dsl/index.js'
import { buildModel } from '../../src/load/build-model.js'
import { renderModel } from '../../src/plan/render-model.js'
import type { KyselyDatabase } from '../../src/types/index.js'
import { insertSchema, selectSchema } from '../../src/types/index.js'
import * as schema from '../../schema/index.js'
import * as views from '../../views/index.js'

const shop = pgSchema('shop')
const kind = shop.enum('kind', ['book', 'game'])
const items = shop.table('items', {
  id: integer().generatedAlwaysAsIdentity().primaryKey(),
  code: varchar(12).notNull().check(sql`char_length(code) >= 3`),
  kind: kind().notNull().default('book'),
  price: numeric(10, 2).notNull(),
  stock: smallint().notNull().default(0).check(sql`stock >= 0`),
  status: text().check(sql`status IN ('draft', 'live')`),
  owner: uuid(),
  tag: varchar(3).check(sql`tag <> 'abc'`),
  seq: serial(),
  ext: bigint({ mode: 'bigint' }),
  label: text().generatedAlwaysAs(sql`upper(code)`),
  spec: jsonb().$validate(z.object({ pages: z.number().int() })).notNull(),
  ref: integer().generatedByDefaultAsIdentity(),
  added: timestamptz().notNull().defaultNow(),
}, (t) => [check('items_price_check', sql`${t.price} > 0`)])
const local = { shop, kind, items }

type DB = KyselyDatabase<typeof schema & typeof views & typeof local>

let pglite: PGlite
let db: Kysely<DB>
const TENANT = '11111111-0000-4000-8000-000000000000'
const ROLLBACK = new Error('rollback')

beforeAll(async () => {
  // bigint({ mode: 'bigint' }) columns need a driver that returns int8 as bigint
  pglite = await PGlite.create({ parsers: { [types.INT8]: (v: string) => BigInt(v) } })
  const model = buildModel({ schema, views, local })
  await pglite.transaction(async (tx) => {
    for (const statement of renderModel(model)) await tx.exec(statement)
  })
  db = new Kysely<DB>({ dialect: pgliteDialect(pglite) })
})

afterAll(async () => {
  await db?.destroy()
  await pglite?.close()
})

describe('Kysely typed by the definitions, on the migrated reference model', () => {
  it('inserts, selects and updates rows whose defaults, enums and timestamps come back typed', async () => {
    await db.insertInto('app.tenants').values({ id: TENANT, name: 'Acme', subdomain: 'acme' }).execute()
    const user = await db
      .insertInto('app.users')
      .values({ tenant_id: TENANT, email: 'ada@acme.test', preferences: { fontSize: 'm', theme: 'dark', language: 'en' } })
      .returningAll()
      .executeTakeFirstOrThrow()
    expect(user).toMatchObject({ email: 'ada@acme.test', tier: 'free', role: 'user', email_verified: false, name: null })
    expect(user.created_at).toBeInstanceOf(Date)
    expect(selectSchema(schema.app.users).parse(user)).toEqual(user)

    const updated = await db
      .updateTable('app.users')
      .set({ tier: 'pro', last_login_at: new Date('2026-01-02T03:04:05Z') })
      .where('id', '=', user.id)
      .returning(['id', 'tier', 'last_login_at'])
      .executeTakeFirstOrThrow()
    expect(updated).toEqual({ id: user.id, tier: 'pro', last_login_at: new Date('2026-01-02T03:04:05Z') })

    const rows = await db.selectFrom('app.users').selectAll().where('tier', '=', 'pro').execute()
    expect(rows).toHaveLength(1)
    expect(z.array(selectSchema(schema.app.users)).parse(rows)).toEqual(rows)
  })

  it('reads typed views and tables of other schemas', async () => {
    const owner = await db.insertInto('auth.users').values({ email: 'grace@acme.test' }).returningAll().executeTakeFirstOrThrow()
    expect(owner.status).toBe('active')
    expect(selectSchema(schema.users).parse(owner)).toEqual(owner)
    const ws = await db
      .insertInto('workspaces.workspaces')
      .values({ name: 'Main', slug: 'main', owner_id: owner.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('documents.documents').values({ workspace_id: ws.id, title: 'Plan', owner_id: owner.id, content: { blocks: [] } }).execute()
    const doc = await db.selectFrom('documents.active_documents').selectAll().executeTakeFirstOrThrow()
    expect(doc).toMatchObject({ title: 'Plan', status: 'draft', visibility: 'private', parent_id: null, owner_id: owner.id })
    expect(doc.created_at).toBeInstanceOf(Date)
  })

  it('identity, serial, generated columns and jsonb on a table of its own', async () => {
    const input = insertSchema(items).parse({ code: 'abc', price: 12.5, spec: { pages: 100 }, ext: 9007199254740993n, status: 'live' })
    const row = await db.insertInto('shop.items').values(input).returningAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ id: 1, code: 'abc', kind: 'book', price: '12.50', stock: 0, seq: 1, ext: 9007199254740993n, label: 'ABC', spec: { pages: 100 }, ref: 1 })
    expect(selectSchema(items).parse(row)).toEqual(row)
    const again = await db.updateTable('shop.items').set({ price: '13.00', stock: 2 }).where('id', '=', row.id).returning(['price', 'stock', 'label']).executeTakeFirstOrThrow()
    expect(again).toEqual({ price: '13.00', stock: 2, label: 'ABC' })
  })
})

describe('insert types agree with the database on identities', () => {
  it('$inferInsert goes straight into Kysely: no GENERATED ALWAYS identity, a BY DEFAULT one optional and accepted', async () => {
    const row: typeof items.$inferInsert = { code: 'idn', price: '2.00', spec: { pages: 2 }, ref: 70 }
    const made = await db.insertInto('shop.items').values(row).returning(['id', 'ref']).executeTakeFirstOrThrow()
    expect(made.ref).toBe(70)
    expect(typeof made.id).toBe('number')
    // what the types keep out, the database refuses
    const refused = await db.insertInto('shop.items').values({ ...row, id: 999 } as never).execute().catch((e: { code?: string }) => e.code)
    expect(refused).toBe('428C9')
    const generated = await db.insertInto('shop.items').values({ ...row, label: 'X' } as never).execute().catch((e: { code?: string }) => e.code)
    expect(generated).toBe('428C9')
  })
})

describe('zod schemas refuse bad rows at the right path', () => {
  const issues = (r: { success: boolean; error?: z.ZodError }) => r.error?.issues.map((i) => ({ path: i.path, code: i.code })) ?? []

  it('too long, wrong enum label, missing required column, bad uuid, jsonb shape, check', () => {
    const users = insertSchema(schema.users)
    expect(users.safeParse({ email: 'a@b.c' }).success).toBe(true)
    expect(issues(users.safeParse({ email: `${'x'.repeat(250)}@b.test` }))).toEqual([{ path: ['email'], code: 'too_big' }])
    expect(issues(users.safeParse({ email: 'a@b.c', id: 'not-a-uuid' }))).toEqual([{ path: ['id'], code: 'invalid_format' }])
    expect(issues(users.safeParse({}))).toEqual([{ path: ['email'], code: 'invalid_type' }])

    const appUsers = insertSchema(schema.app.users)
    expect(issues(appUsers.safeParse({ tenant_id: TENANT, email: 'a@b.c', tier: 'gold' }))).toEqual([{ path: ['tier'], code: 'invalid_value' }])
    expect(issues(appUsers.safeParse({ email: 'a@b.c' }))).toEqual([{ path: ['tenant_id'], code: 'invalid_type' }])
    // a selected row missing a column, or with null in a NOT NULL one
    expect(issues(selectSchema(schema.app.tenants).safeParse({ id: TENANT }))).toContainEqual({ path: ['name'], code: 'invalid_type' })

    const shopItems = insertSchema(items)
    const good = { code: 'abc', price: '1.00', spec: { pages: 1 } }
    expect(issues(shopItems.safeParse({ ...good, spec: { pages: 'x' } }))).toEqual([{ path: ['spec', 'pages'], code: 'invalid_type' }])
    const bad = shopItems.safeParse({ ...good, price: '0' })
    expect(issues(bad)).toEqual([{ path: ['price'], code: 'custom' }])
    expect(bad.error!.issues[0]!.message).toBe('Violates check constraint items_price_check')
  })

  it('GENERATED ALWAYS identities and generated columns are not part of an insert', () => {
    const shopItems = insertSchema(items)
    expect(Object.keys(shopItems.shape)).not.toContain('id')
    expect(Object.keys(shopItems.shape)).not.toContain('label')
    expect(shopItems.parse({ code: 'abc', price: 1, spec: { pages: 1 }, id: 5, label: 'x' })).toEqual({ code: 'abc', price: 1, spec: { pages: 1 } })
    expect(issues(shopItems.strict().safeParse({ code: 'abc', price: 1, spec: { pages: 1 }, id: 5 }))).toEqual([{ path: [], code: 'unrecognized_keys' }])
    expect(Object.keys(selectSchema(items).shape)).toContain('label')
  })
})

describe('insertSchema accepts exactly what the database accepts', () => {
  const base = { code: 'abc', price: '1.00', spec: { pages: 1 } }
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['a valid row', {}, true],
    ['code too short for its check', { code: 'ab' }, false],
    ['code of 13 characters', { code: 'abcdefghijklm' }, false],
    ['code of 12 characters and trailing spaces (Postgres drops them)', { code: 'abcdefghijkl   ' }, true],
    ['code of 12 characters outside the BMP', { code: '😀'.repeat(12) }, true],
    ['code of 13 characters outside the BMP', { code: '😀'.repeat(13) }, false],
    ['code with U+0000', { code: 'ab\u0000c' }, false],
    ['price that rounds into range', { price: '99999999.994' }, true],
    ['price that rounds out of range', { price: '99999999.995' }, false],
    ['price as a number', { price: 0.5 }, true],
    ['price zero, against its check', { price: '0' }, false],
    ['price NaN, above every number for Postgres', { price: 'NaN' }, true],
    ['price Infinity', { price: 'Infinity' }, false],
    ['price not a number', { price: 'ten' }, false],
    ['stock out of smallint range', { stock: 40000 }, false],
    ['negative stock, against its check', { stock: -1 }, false],
    ['status outside its IN list', { status: 'gone' }, false],
    ['status null', { status: null }, true],
    ['kind not a label', { kind: 'dvd' }, false],
    ['tag the check refuses once Postgres drops the spaces past varchar(3)', { tag: 'abc  ' }, false],
    ['tag with spaces past varchar(3)', { tag: 'abd  ' }, true],
    ['owner as a braced uppercase uuid', { owner: '{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}' }, true],
    ['owner without hyphens', { owner: 'a0eebc999c0b4ef8bb6d6bb9bd380a11' }, true],
    ['owner not a uuid', { owner: 'a0eebc99-9c0b-4ef8-bb6d' }, false],
    ['ext beyond bigint', { ext: 2n ** 63n }, false],
    ['missing spec', { spec: undefined }, false],
    ['missing code', { code: undefined }, false],
    ['null code', { code: null }, false],
    ['added as ISO text', { added: '2026-03-01T10:00:00Z' }, true],
  ]

  it.each(cases)('%s', async (_, change, accepted) => {
    const row = Object.fromEntries(Object.entries({ ...base, ...change }).filter(([, v]) => v !== undefined))
    const parsed = insertSchema(items).safeParse(row)
    let database: true | string
    try {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('shop.items').values(row as never).execute()
        throw ROLLBACK
      })
      database = true
    } catch (e) {
      database = e === ROLLBACK ? true : String((e as Error).message)
    }
    expect({ zod: parsed.success ? true : parsed.error.issues.map((i) => i.message).join('; '), database }).toEqual({
      zod: accepted ? true : expect.any(String),
      database: accepted ? true : expect.any(String),
    })
  })
})
