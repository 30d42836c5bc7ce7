/** Row types inferred from definitions: nullability, optional inserts, generated columns, typed jsonb. */
import { describe, expectTypeOf, it } from 'vitest'
import {
  bigint, boolean, integer, jsonb, numeric, pgSchema, serial, sql, table, text, timestamps, timestamptz, uuid, varchar,
} from '../../src/dsl/index.js'
import type { InsertOf } from '../../src/data/define-backfill.js'
import type { Conversation } from '../../schema/app/conversations.js'
import type { users as appUsers } from '../../schema/app/users.js'

const s = pgSchema('t')
const role = s.enum('role', ['admin', 'member'])
const users = s.table('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: varchar(255).notNull(),
  nick: text(),
  role: role().notNull().default('member'),
  profile: jsonb<{ bio: string }>(),
  settings: jsonb<{ theme: 'dark' | 'light' }>().notNull(),
  n: integer().generatedAlwaysAsIdentity(),
  m: integer().generatedByDefaultAsIdentity(),
  seq: serial(),
  total: numeric(10, 2).notNull(),
  big: bigint({ mode: 'bigint' }).notNull(),
  bigs: bigint({ mode: 'string' }),
  tags: text().array().notNull(),
  upper: text().generatedAlwaysAs(sql`upper(email)`),
  active: boolean().notNull().default(true),
  ...timestamps(),
  seen: timestamptz(),
})

type User = typeof users.$inferSelect
type NewUser = typeof users.$inferInsert

describe('inferred row types', () => {
  it('select: nullable columns are T | null, enums are unions, jsonb is typed', () => {
    expectTypeOf<User['id']>().toEqualTypeOf<string>()
    expectTypeOf<User['nick']>().toEqualTypeOf<string | null>()
    expectTypeOf<User['role']>().toEqualTypeOf<'admin' | 'member'>()
    expectTypeOf<User['profile']>().toEqualTypeOf<{ bio: string } | null>()
    expectTypeOf<User['settings']>().toEqualTypeOf<{ theme: 'dark' | 'light' }>()
    expectTypeOf<User['total']>().toEqualTypeOf<string>()
    expectTypeOf<User['big']>().toEqualTypeOf<bigint>()
    expectTypeOf<User['bigs']>().toEqualTypeOf<string | null>()
    expectTypeOf<User['tags']>().toEqualTypeOf<string[]>()
    expectTypeOf<User['created_at']>().toEqualTypeOf<Date>()
    expectTypeOf<User['seen']>().toEqualTypeOf<Date | null>()
    expectTypeOf<User['upper']>().toEqualTypeOf<string | null>()
  })

  it('insert: required NOT NULL columns without defaults; the rest optional; generated columns and GENERATED ALWAYS identities absent', () => {
    expectTypeOf<NewUser>().toEqualTypeOf<{
      email: string
      settings: { theme: 'dark' | 'light' }
      total: string | number
      big: bigint
      tags: string[]
      id?: string
      nick?: string | null
      role?: 'admin' | 'member'
      profile?: { bio: string } | null
      m?: number
      seq?: number
      bigs?: string | null
      active?: boolean
      created_at?: Date | string
      updated_at?: Date | string
      seen?: Date | string | null
    }>()
    expectTypeOf<NewUser>().not.toHaveProperty('upper')
    // PostgreSQL refuses a value for a GENERATED ALWAYS identity (without OVERRIDING SYSTEM VALUE)
    expectTypeOf<NewUser>().not.toHaveProperty('n')
  })

  it('typed defaults: .default() only takes values of the column type', () => {
    // @ts-expect-error 'owner' is not a value of the enum
    role().default('owner')
    // @ts-expect-error a number is not a text value
    text().default(1)
    expectTypeOf(table('p', { a: integer() }).a.name).toEqualTypeOf<string>()
  })

  it('the reference model exports usable row types', () => {
    expectTypeOf<Conversation['title']>().toEqualTypeOf<string | null>()
    expectTypeOf<Conversation['tenant_id']>().toEqualTypeOf<string>()
    expectTypeOf<(typeof appUsers.$inferInsert)['email']>().toEqualTypeOf<string>()
    expectTypeOf<(typeof appUsers.$inferSelect)['tier']>().toEqualTypeOf<'free' | 'pro' | 'admin'>()
  })
})

describe('backfill rows', () => {
  it('COPY may set a GENERATED ALWAYS identity: optional in a job\'s rows, absent from $inferInsert', () => {
    expectTypeOf<InsertOf<typeof users>>().toHaveProperty('n')
    expectTypeOf<InsertOf<typeof users>['n']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<InsertOf<typeof users>['email']>().toEqualTypeOf<string>()
    expectTypeOf<NewUser>().not.toHaveProperty('n')
  })
})
