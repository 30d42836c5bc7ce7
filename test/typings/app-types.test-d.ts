/** Types for the application: `KyselyDatabase<typeof schema>` and the zod row schemas' inferred types. */
import type { ColumnType, Generated, GeneratedAlways, Insertable, Kysely, Selectable, Updateable } from 'kysely'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import {
  bigint, check, integer, jsonb, numeric, pgSchema, serial, smallint, sql, table, text, timestamptz, uuid, varchar, view,
} from '../../src/dsl/index.js'
import type { InsertRow, InsertSchema, KyselyDatabase, SelectSchema } from '../../src/types/index.js'
import type { insertSchema, selectSchema } from '../../src/types/index.js'
import type * as schema from '../../schema/index.js'
import type * as views from '../../views/index.js'
import type * as partitions from '../../partitions/index.js'

const shop = pgSchema('shop')
const kind = shop.enum('kind', ['book', 'game'])
const items = shop.table('items', {
  id: integer().generatedAlwaysAsIdentity().primaryKey(),
  code: varchar(12).notNull(),
  kind: kind().notNull().default('book'),
  price: numeric(10, 2).notNull(),
  stock: smallint().notNull().default(0),
  seq: serial(),
  ext: bigint({ mode: 'bigint' }),
  label: text().generatedAlwaysAs(sql`upper(code)`),
  meta: jsonb().$type<{ color: string }>(),
  spec: jsonb().$validate(z.object({ pages: z.number().int() })).notNull(),
  ref: integer().generatedByDefaultAsIdentity(),
  added: timestamptz().notNull().defaultNow(),
}, (t) => [check('items_price_check', sql`${t.price} > 0`)])
const notes = table('notes', { id: uuid().primaryKey().defaultRandom(), body: text() })
const cheap = view(shop, 'cheap', { sql: 'SELECT id, price FROM shop.items WHERE price < 10' }).$type<{ id: number; price: string }>()
const untyped = view('shop', 'untyped', { sql: 'SELECT 1 AS one' })
const local = { shop, kind, items, notes, cheap, untyped, nested: { items } }

type Local = KyselyDatabase<typeof local>
type Flat<T> = { [K in keyof T]: T[K] }
type DB = KyselyDatabase<typeof schema & typeof views & typeof partitions>

describe('KyselyDatabase', () => {
  it('keys tables by schema.table, public tables by name; typed views join, untyped ones do not', () => {
    expectTypeOf<keyof Local>().toEqualTypeOf<'shop.items' | 'notes' | 'shop.cheap'>()
    expectTypeOf<DB>().toHaveProperty('auth.users')
    expectTypeOf<DB>().toHaveProperty('app.users')
    expectTypeOf<DB>().toHaveProperty('app.message_files')
    expectTypeOf<DB>().toHaveProperty('documents.active_documents')
    expectTypeOf<DB>().toHaveProperty('audit.events')
    expectTypeOf<DB>().not.toHaveProperty('documents.workspace_document_stats')
    expectTypeOf<DB>().not.toHaveProperty('users')
    // rangePartitions() names are strings, not literals: left out
    expectTypeOf<keyof DB & `audit.events_${string}`>().toEqualTypeOf<never>()
  })

  it('column types: Generated for defaults, GeneratedAlways for identity ALWAYS and generated columns, ColumnType where they differ', () => {
    type I = Local['shop.items']
    expectTypeOf<I['id']>().toEqualTypeOf<GeneratedAlways<number>>()
    expectTypeOf<I['label']>().toEqualTypeOf<GeneratedAlways<string | null>>()
    expectTypeOf<I['code']>().toEqualTypeOf<string>()
    expectTypeOf<I['kind']>().toEqualTypeOf<Generated<'book' | 'game'>>()
    expectTypeOf<I['price']>().toEqualTypeOf<ColumnType<string, string | number, string | number>>()
    expectTypeOf<I['stock']>().toEqualTypeOf<Generated<number>>()
    expectTypeOf<I['seq']>().toEqualTypeOf<Generated<number>>()
    expectTypeOf<I['ref']>().toEqualTypeOf<Generated<number>>()
    expectTypeOf<I['ext']>().toEqualTypeOf<bigint | null>()
    expectTypeOf<I['meta']>().toEqualTypeOf<{ color: string } | null>()
    expectTypeOf<I['spec']>().toEqualTypeOf<{ pages: number }>()
    expectTypeOf<I['added']>().toEqualTypeOf<ColumnType<Date, Date | string | undefined, Date | string>>()
    expectTypeOf<Local['shop.cheap']>().toEqualTypeOf<{ id: GeneratedAlways<number>; price: GeneratedAlways<string> }>()

    expectTypeOf<DB['auth.users']['id']>().toEqualTypeOf<Generated<string>>()
    expectTypeOf<DB['auth.users']['email']>().toEqualTypeOf<string>()
    expectTypeOf<DB['auth.users']['password_hash']>().toEqualTypeOf<string | null>()
    expectTypeOf<DB['auth.users']['created_at']>().toEqualTypeOf<ColumnType<Date | null, Date | string | null | undefined, Date | string | null>>()
    expectTypeOf<DB['app.users']['tier']>().toEqualTypeOf<Generated<'free' | 'pro' | 'admin'>>()
  })

  it('Insertable, Selectable and Updateable follow', () => {
    type I = Local['shop.items']
    expectTypeOf<Flat<Insertable<I>>>().toEqualTypeOf<{
      code: string
      price: string | number
      kind?: 'book' | 'game'
      stock?: number
      seq?: number
      ext?: bigint | null
      meta?: { color: string } | null
      spec: { pages: number }
      ref?: number
      added?: Date | string
    }>()
    expectTypeOf<Selectable<I>>().toEqualTypeOf<typeof items.$inferSelect>()
    expectTypeOf<keyof Updateable<I>>().toEqualTypeOf<'code' | 'kind' | 'price' | 'stock' | 'seq' | 'ext' | 'meta' | 'spec' | 'ref' | 'added'>()
    // a view is read-only
    expectTypeOf<keyof Insertable<DB['documents.active_documents']>>().toEqualTypeOf<never>()
    expectTypeOf<keyof Updateable<DB['documents.active_documents']>>().toEqualTypeOf<never>()
    expectTypeOf<Selectable<DB['documents.active_documents']>>().toEqualTypeOf<views.ActiveDocument>()
    expectTypeOf<Selectable<DB['app.users']>>().toEqualTypeOf<typeof schema.app.users.$inferSelect>()
  })

  it('queries check against it', () => {
    const db = null as unknown as Kysely<DB>
    const local = null as unknown as Kysely<Local>
    void (() => {
      db.selectFrom('app.users').select(['id', 'email', 'tier']).where('tier', '=', 'pro')
      // @ts-expect-error not a tier
      db.selectFrom('app.users').selectAll().where('tier', '=', 'gold')
      local.insertInto('shop.items').values({ code: 'a', price: 1, spec: { pages: 1 } })
      // @ts-expect-error GENERATED ALWAYS AS IDENTITY: an INSERT may not set it
      local.insertInto('shop.items').values({ id: 1, code: 'a', price: 1, spec: { pages: 1 } })
      // @ts-expect-error a generated column
      local.updateTable('shop.items').set({ label: 'A' })
    })
  })
})

describe('zod row schemas', () => {
  it('infer the row types', () => {
    expectTypeOf<z.infer<SelectSchema<typeof items>>>().toEqualTypeOf<typeof items.$inferSelect>()
    expectTypeOf<z.infer<ReturnType<typeof selectSchema<typeof schema.app.users>>>>().toEqualTypeOf<typeof schema.app.users.$inferSelect>()
    expectTypeOf<z.infer<ReturnType<typeof insertSchema<typeof schema.app.users>>>>().toEqualTypeOf<typeof schema.app.users.$inferInsert>()
    expectTypeOf<InsertRow<typeof items>>().toEqualTypeOf<typeof items.$inferInsert>()
    expectTypeOf<typeof items.$inferInsert>().not.toHaveProperty('id')
    expectTypeOf<z.input<InsertSchema<typeof notes>>>().toEqualTypeOf<{ id?: string; body?: string | null }>()
    expectTypeOf<InsertSchema<typeof items>['shape']>().not.toHaveProperty('label')
    expectTypeOf<InsertSchema<typeof items>['shape']>().not.toHaveProperty('id')
  })

  it('$validate types a column by its schema', () => {
    expectTypeOf(items.spec.config).toBeObject()
    expectTypeOf<(typeof items.$inferSelect)['spec']>().toEqualTypeOf<{ pages: number }>()
    const s = jsonb().$validate(z.array(z.string()))
    expectTypeOf<(typeof s)['_']['data']>().toEqualTypeOf<string[]>()
  })
})
