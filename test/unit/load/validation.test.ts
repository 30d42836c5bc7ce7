/** Every validation issue: its code, its message, and where it points (file:line and object). */
import { describe, expect, it } from 'vitest'
import {
  check, customType, date, foreignKey, index, integer, numeric, partitionOf, pgSchema, primaryKey, rangePartitions, sql, table, text, time, timestamp, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { buildModel, collectModel } from '../../../src/load/build-model.js'
import type { Issue } from '../../../src/errors.js'
import { isCairnError } from '../../../src/errors.js'

const HERE = /^test\/unit\/load\/validation\.test\.ts:\d+$/

function issuesOf(exports: Record<string, unknown>): Issue[] {
  return collectModel(exports).issues
}

function only(exports: Record<string, unknown>, code: string): Issue {
  const issues = issuesOf(exports)
  const mine = issues.filter((i) => i.code === code)
  expect(mine, JSON.stringify(issues, null, 2)).toHaveLength(1)
  expect(mine[0].file).toMatch(HERE)
  expect(mine[0].hint ?? '').not.toBe(undefined)
  return mine[0]
}

describe('validation', () => {
  it('accepts a valid definition set with no issues', () => {
    const s = pgSchema('ok')
    const a = s.table('a', { id: uuid().primaryKey() })
    const b = s.table('b', { id: uuid().primaryKey(), a_id: uuid().references(() => a.id) })
    expect(issuesOf({ s, a, b })).toEqual([])
  })

  it('fk_unknown_table: a foreign key to a table that is not exported', () => {
    const hidden = table('hidden', { id: uuid().primaryKey() })
    const t = table('t', { id: uuid().primaryKey(), h: uuid().references(() => hidden.id) })
    const i = only({ t }, 'fk_unknown_table')
    expect(i.message).toBe('foreign key public.t.t_h_fkey references public.hidden, which is not an exported table')
    expect(i.object).toBe('public.t.t_h_fkey')
  })

  it('fk_unknown_table: a reference that cannot be resolved', () => {
    const t = table('t', {
      id: uuid().primaryKey(),
      x: uuid().references(() => {
        throw new ReferenceError('later is not defined')
      }),
    })
    expect(only({ t }, 'fk_unknown_table').message).toMatch(/could not be resolved \(later is not defined\)/)
  })

  it('fk_unknown_column: a foreign key to a column that does not exist', () => {
    const a = table('a', { id: uuid().primaryKey() })
    const t = table('t', { id: uuid().primaryKey(), a_id: uuid() }, (c) => [
      foreignKey({ columns: [c.a_id], foreignColumns: () => [(a as unknown as Record<string, never>).nope] }),
    ])
    const i = only({ a, t }, 'fk_unknown_column')
    expect(i.message).toBe('foreign key public.t.t_a_id_fkey references a column that does not exist')
  })

  it('fk_column_count: composite foreign key with a different column count', () => {
    const a = table('a', { x: integer().notNull(), y: integer().notNull() }, (t) => [primaryKey({ columns: [t.x, t.y] })])
    const t = table('t', { x: integer(), y: integer() }, (c) => [foreignKey({ columns: [c.x, c.y], foreignColumns: [a.x] })])
    expect(only({ a, t }, 'fk_column_count').message).toBe('foreign key public.t.t_x_y_fkey has 2 column(s) but references 1')
  })

  it('fk_type_mismatch: referencing column of another type', () => {
    const a = table('a', { id: uuid().primaryKey() })
    const t = table('t', { id: uuid().primaryKey(), a_id: text().references(() => a.id) })
    expect(only({ a, t }, 'fk_type_mismatch').message).toBe('foreign key public.t.t_a_id_fkey: a_id is text but public.a.id is uuid')
  })

  it('fk_type_mismatch: integer widths and string types are compatible', () => {
    const a = table('a', { id: integer().primaryKey(), code: varchar(10).unique() })
    const t = table('t', { id: integer().primaryKey(), a_id: customType('bigint').references(() => a.id), code: text().references(() => a.code) })
    expect(issuesOf({ a, t })).toEqual([])
  })

  it('fk_target_not_unique: referenced columns without a primary key or unique constraint', () => {
    const a = table('a', { id: uuid().primaryKey(), email: text() })
    const t = table('t', { id: uuid().primaryKey(), email: text().references(() => a.email) })
    expect(only({ a, t }, 'fk_target_not_unique').message).toMatch(/references public\.a \(email\), which is not a primary key or unique/)
  })

  it('duplicate_table: two tables with one name', () => {
    const a1 = table('a', { id: uuid() })
    const a2 = table('a', { id: uuid() })
    const i = only({ a1, a2 }, 'duplicate_table')
    expect(i.message).toBe('table public.a is defined twice')
    expect(i.object).toBe('public.a')
  })

  it('duplicate_column: two properties with one SQL name', () => {
    const t = table('t', { a: text('x'), b: text('x') })
    const i = only({ t }, 'duplicate_column')
    expect(i.message).toBe('column "x" is declared twice in public.t')
    expect(i.object).toBe('public.t.x')
  })

  it('duplicate_constraint: two constraints with one name in a table', () => {
    const t = table('t', { a: integer(), b: integer() }, (c) => [check('same', sql`${c.a} > 0`), check('same', sql`${c.b} > 0`)])
    expect(only({ t }, 'duplicate_constraint').message).toBe('the name "same" is used twice in public.t')
  })

  it('duplicate_index: an index named like a table of its schema', () => {
    const s = pgSchema('dup')
    const a = s.table('a', { id: uuid() })
    const b = s.table('b', { id: uuid() }, (t) => [index('a').on(t.id)])
    const i = only({ s, a, b }, 'duplicate_index')
    expect(i.message).toBe('dup.b.a is named "a", which dup.a in schema "dup" already uses')
  })

  it('duplicate_index: two indexes with one name on different tables', () => {
    const a = table('a', { id: uuid() }, (t) => [index('by_id').on(t.id)])
    const b = table('b', { id: uuid() }, (t) => [index('by_id').on(t.id)])
    expect(only({ a, b }, 'duplicate_index').object).toBe('public.b.by_id')
  })

  it('duplicate_type: an enum named like a table', () => {
    const s = pgSchema('ty')
    const e = s.enum('things', ['a'])
    const t = s.table('things', { id: uuid() })
    expect(only({ s, e, t }, 'duplicate_type').message).toBe('enum ty.things has the same name as a table in schema "ty"')
  })

  it('unknown_column: an index over a column of another table', () => {
    const a = table('a', { id: uuid() })
    const b = table('b', { id: uuid() }, () => [index().on(a.id)])
    const i = only({ a, b }, 'unknown_column')
    expect(i.message).toBe('an index uses column public.a.id, which is not a column of public.b')
  })

  it('unknown_column: an index over a column that does not exist', () => {
    const b = table('b', { id: uuid() }, (t) => [index().on((t as unknown as Record<string, never>).missing)])
    expect(only({ b }, 'unknown_column').message).toBe('an index uses a column that does not exist (undefined), which is not a column of public.b')
  })

  it('invalid_type: varchar(0), numeric(2,5), time(7)', () => {
    const t = table('t', { a: varchar(0), b: numeric(2, 5), c: time({ precision: 7 }), d: timestamp({ precision: 3 }) })
    const issues = issuesOf({ t }).filter((i) => i.code === 'invalid_type')
    expect(issues.map((i) => i.object)).toEqual(['public.t.a', 'public.t.b', 'public.t.c'])
    expect(issues[0].message).toBe('column type: length 0 is out of range for character varying (1 to 10485760)')
    expect(issues[1].message).toMatch(/numeric scale 5 must be between 0 and the precision 2/)
  })

  it('unknown_type: an enum that is not exported', () => {
    const s = pgSchema('en')
    const mood = s.enum('mood', ['ok'])
    const t = s.table('t', { m: mood() })
    const i = only({ s, t }, 'unknown_type')
    expect(i.message).toBe('column en.t.m uses enum en.mood, which is not exported')
  })

  it('invalid_default: a value the column type cannot hold', () => {
    const s = pgSchema('df')
    const mood = s.enum('mood', ['ok'])
    const t = s.table('t', { m: mood().default('nope' as 'ok'), n: integer().default(1.5) })
    const issues = issuesOf({ s, mood, t }).filter((i) => i.code === 'invalid_default')
    expect(issues.map((i) => i.message)).toEqual([
      "default: 'nope' is not a value of df.mood (ok)",
      'default: 1.5 is not an integer',
    ])
  })

  it('invalid_column: identity on text, default on a generated column', () => {
    const t = table('t', {
      a: text().generatedAlwaysAsIdentity(),
      b: integer().default(1).generatedAlwaysAs(sql`2`),
    })
    const issues = issuesOf({ t }).filter((i) => i.code === 'invalid_column')
    expect(issues.map((i) => i.object)).toEqual(['public.t.a', 'public.t.b'])
  })

  it('pk_nullable: a composite primary key over a nullable column', () => {
    const t = table('t', { a: integer().notNull(), b: integer() }, (c) => [primaryKey({ columns: [c.a, c.b] })])
    const i = only({ t }, 'pk_nullable')
    expect(i.message).toBe('primary key column public.t.b is not marked NOT NULL')
    expect(i.object).toBe('public.t.b')
    expect(i.hint).toMatch(/add \.notNull\(\) to b/)
  })

  it('multiple_primary_keys: two .primaryKey() columns', () => {
    const t = table('t', { a: integer().primaryKey(), b: integer().primaryKey() })
    expect(only({ t }, 'multiple_primary_keys').message).toBe('public.t declares 2 primary keys')
  })

  it('identifier_too_long: a name Postgres would truncate', () => {
    const long = 'x'.repeat(64)
    const t = table('t', { [long]: text() })
    const i = only({ t }, 'identifier_too_long')
    expect(i.message).toBe(`"${long}" is 64 bytes; PostgreSQL would silently truncate it to "${'x'.repeat(63)}"`)
  })

  it('identifier_collision: two names equal after truncation to 63 bytes', () => {
    const base = 'c'.repeat(63)
    const t = table('t', { a: text(base + 'a'), b: text(base + 'b') })
    const issues = issuesOf({ t })
    expect(issues.filter((i) => i.code === 'identifier_too_long')).toHaveLength(2)
    const c = issues.filter((i) => i.code === 'identifier_collision')
    expect(c).toHaveLength(1)
    expect(c[0].message).toMatch(/are the same once truncated to 63 bytes/)
    expect(c[0].file).toMatch(HERE)
  })

  it('identifier_collision counts bytes, not characters', () => {
    const base = 'é'.repeat(31) // 62 bytes
    const a = table(base + 'ab', { id: uuid() })
    const b = table(base + 'ac', { id: uuid() })
    expect(issuesOf({ a, b }).map((i) => i.code).sort()).toEqual(['identifier_collision', 'identifier_too_long', 'identifier_too_long'])
  })

  it('undeclared_schema: a table in a schema that is not exported', () => {
    const hiddenSchema = pgSchema('hidden')
    const t = hiddenSchema.table('t', { id: uuid() })
    const i = only({ t }, 'undeclared_schema')
    expect(i.message).toBe('table hidden.t is in schema "hidden", which is not declared')
    expect(i.hint).toMatch(/export const hidden = pgSchema\('hidden'\)/)
  })

  it('index_without_table: an exported index with no column', () => {
    const orphan = index('orphan').using('gin')
    expect(only({ orphan }, 'index_without_table').message).toBe('an exported index names no column of any table')
  })

  it('partitioned_table_storage: storage parameters on a partitioned table, parent or sub-partitioned partition', () => {
    const byDay = { partitionBy: { strategy: 'range' as const, key: ['on'] } }
    const parent = table('parted', { on: date().notNull(), n: integer() }, () => [], { ...byDay, with: { fillfactor: 90, autovacuum_enabled: false } })
    const i = only({ parent }, 'partitioned_table_storage')
    expect(i.object).toBe('public.parted')
    expect(i.message).toBe('public.parted is partitioned (PARTITION BY RANGE ("on")), and PostgreSQL refuses storage parameters on a partitioned table: fillfactor, autovacuum_enabled')
    expect(i.hint).toMatch(/rangePartitions\(parent, \{ …, with: \{ … \} \}\)/)
    // a partition that is partitioned again is refused the same way; its leaves take them
    const plain = table('plain', { on: date().notNull(), n: integer() }, () => [], byDay)
    const year = partitionOf(plain, 'plain_2026', { from: '2026-01-01', to: '2027-01-01' }, { partitionBy: { strategy: 'list', key: ['n'] }, with: { fillfactor: 80 } })
    const leaf = partitionOf(year, 'plain_2026_1', { in: [1] }, { with: { fillfactor: 80 } })
    expect(only({ plain, year, leaf }, 'partitioned_table_storage').object).toBe('public.plain_2026')
    // the same parameters on the partitions are fine, and a bad one is reported where the window is declared
    const months = rangePartitions(plain, { from: '2026-01', every: 'month', count: 2, with: { fillfactor: 90 } })
    expect(issuesOf({ plain, months })).toEqual([])
    const bad = rangePartitions(plain, { from: '2026-01', every: 'month', count: 1, with: { 'fillfactor; DROP TABLE x': 1 } })
    expect(only({ plain, bad }, 'invalid_sql').object).toBe('public.plain_2026_01')
  })

  it('collects every problem at once and throws invalid_schema with exit code 2', () => {
    const t = table('t', { a: varchar(0), b: integer() }, (c) => [primaryKey({ columns: [c.b] }), unique().on(c.a), check('x', sql`true`), check('x', sql`true`)])
    try {
      buildModel({ t })
      expect.unreachable()
    } catch (e) {
      expect(isCairnError(e)).toBe(true)
      const err = e as import('../../../src/errors.js').CairnError
      expect(err.code).toBe('invalid_schema')
      expect(err.exitCode).toBe(2)
      expect(err.issues.map((i) => i.code).sort()).toEqual(['duplicate_constraint', 'invalid_type', 'pk_nullable'])
      expect(err.message).toBe('the schema definitions have 3 problems')
    }
  })
})
