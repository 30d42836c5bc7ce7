/**
 * Every typed literal default the DSL renders must come back from Postgres unchanged: apply the
 * model, read `pg_get_expr(adbin, adrelid)` under `search_path = pg_catalog`, compare exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bigint, bigserial, boolean, bytea, char, cidr, date, doublePrecision, inet, integer, interval, json, jsonb,
  numeric, pgSchema, real, serial, smallint, sql, text, time, timestamp, timestamptz, uuid, varchar,
} from '../../../src/dsl/index.js'
import { buildModel } from '../../../src/load/build-model.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { renderScript } from '../../../src/sqlgen/session.js'
import { testEngines } from '../../helpers/engines.js'
import type { TestDatabase } from '../../helpers/engines.js'

const lit = pgSchema('Lit')
const role = lit.enum('Role', ['admin', 'member', "it's"])
const plain = pgSchema('lit2')
const mood = plain.enum('mood', ['ok', 'sad'])

const defaults = lit.table('Defaults', {
  t1: text().default('x'),
  t2: text().default("it's"),
  t3: text().default('a\\b'),
  t4: text().default(''),
  v1: varchar(5).default('y'),
  v2: varchar().default('free'),
  c1: char(2).default('ab'),
  e1: role().default('member'),
  e2: role().default("it's"),
  e3: mood().default('sad'),
  i1: integer().default(42),
  i2: integer().default(-1),
  i3: integer().default(0),
  i4: integer().default(2147483647),
  s1: smallint().default(3),
  s2: smallint().default(-5),
  b1: bigint().default(5),
  b2: bigint().default(9000000000),
  b3: bigint({ mode: 'bigint' }).default(-9000000000n),
  b4: bigint({ mode: 'string' }).default('2147483648'),
  n1: numeric().default(1.5),
  n2: numeric().default(-1.5),
  n3: numeric(10, 2).default('1.50'),
  n4: numeric().default(1e20),
  n5: numeric(10, 2).default(0),
  n6: numeric().default(0.0000001),
  n7: numeric(12, 4).default(-3),
  r1: real().default(1.5),
  r2: real().default(-2.5),
  r3: real().default(Infinity),
  d1: doublePrecision().default(0.1),
  d2: doublePrecision().default(1e300),
  d3: doublePrecision().default(NaN),
  d4: doublePrecision().default(-Infinity),
  d5: doublePrecision().default(2147483648),
  bo1: boolean().default(true),
  bo2: boolean().default(false),
  j1: jsonb().default({}),
  j2: jsonb().default({ bb: 1, a: [1, 'x', null, true], c: { 'z"q': 'line\nbreak\\' } }),
  j3: jsonb<string[]>().default([]),
  j4: json().default({ b: 1, a: 2 }),
  j5: jsonb().default(1.5),
  u1: uuid().default('00000000-0000-0000-0000-000000000001'),
  u2: uuid().defaultRandom(),
  dt1: date().default('2024-01-31'),
  tm1: time().default('10:00:00'),
  ts1: timestamp().default('2024-01-01 00:00:00'),
  ts2: timestamp({ precision: 3 }).defaultNow(),
  tz1: timestamptz().defaultNow(),
  tz2: timestamptz({ precision: 0 }).default(sql`now()`),
  iv1: interval().default('1 day'),
  by1: bytea().default('\\x00ff' as unknown as Uint8Array),
  in1: inet().default('127.0.0.1'),
  ci1: cidr().default('10.0.0.0/8'),
  a1: text().array().default(['a', 'b c', '', 'NULL', 'q"uote']),
  a2: integer().array().default([1, 2]),
  a3: varchar(5).array().default(['x']),
  a4: role().array().default(['admin']),
  a5: boolean().array().default([true, false]),
  a6: text().array().default([]),
  a7: integer().array().array().default([[1, 2], [3, 4]]),
  a8: numeric(6, 2).array().default([1.5, 2]),
  sr: serial(),
  bs: bigserial(),
  ex: integer().default(sql`(1 + 2)`),
})

const model = buildModel({ lit, role, plain, mood, defaults })

describe.each(testEngines())('typed literal defaults on $name', (engine) => {
  let tdb: TestDatabase
  beforeAll(async () => {
    tdb = await engine.open()
    await tdb.db.exec(renderScript(renderModel(model)))
  })
  afterAll(async () => tdb?.dispose())

  it('reads back every default exactly as the model spells it', async () => {
    const rows = await tdb.db.session(async (s) => {
      await s.exec('SET search_path = pg_catalog')
      const r = await s.query<{ name: string; def: string | null; type: string }>(
        `SELECT a.attname AS name, pg_get_expr(d.adbin, d.adrelid) AS def, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = '"Lit"."Defaults"'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      )
      await s.exec('RESET search_path')
      return r
    })
    const table = model.tables[0]
    const expected = table.columns.map((c) => ({ name: c.name, def: c.default ?? null, type: c.type }))
    expect(rows).toEqual(expected)
    // spot checks of the forms the common conventions promise
    const def = (n: string) => table.columns.find((c) => c.name === n)!.default
    expect(def('t1')).toBe(`'x'::text`)
    expect(def('v1')).toBe(`'y'::character varying`)
    expect(def('e1')).toBe(`'member'::"Lit"."Role"`)
    expect(def('e3')).toBe(`'sad'::lit2.mood`)
    expect(def('i1')).toBe('42')
    expect(def('i2')).toBe(`'-1'::integer`)
    expect(def('n1')).toBe('1.5')
    expect(def('bo1')).toBe('true')
    expect(def('j1')).toBe(`'{}'::jsonb`)
    expect(def('tz1')).toBe('now()')
    expect(def('u2')).toBe('gen_random_uuid()')
    expect(def('sr')).toBe(`nextval('"Lit"."Defaults_sr_seq"'::regclass)`)
  })
})
