import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Binary, BSON, BSONRegExp, Decimal128, Double, Int32, Long, ObjectId, UUID } from 'bson'
import { z } from 'zod'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { defineBackfill } from '../../src/data/define-backfill.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { attachRaw, memorySource } from '../../src/data/source.js'
import * as bz from '../../src/data/bson-zod.js'
import { table } from '../unit/data/fixtures.js'

const everything = table(
  'public',
  'bson_types',
  [
    ['id', 'uuid'], ['oid_hex', 'text'], ['at', 'timestamp with time zone'], ['amount', 'numeric(40,2)'], ['big', 'bigint'],
    ['small', 'integer'], ['ratio', 'double precision'], ['payload', 'bytea'], ['ext_id', 'uuid'], ['pattern', 'text'],
    ['nested', 'jsonb'], ['tags', 'text[]'], ['flag', 'boolean'], ['maybe', 'text'], ['absent', 'text', true, `'default'::text`],
  ],
  ['id'],
)

const job = defineBackfill({
  name: 'types',
  collection: 'things',
  target: everything,
  document: z.object({
    _id: bz.objectId(), at: bz.date(), amount: bz.decimal(), big: bz.long(), small: bz.int(), ratio: bz.number(), payload: bz.binary(),
    ext: bz.uuid(), pattern: bz.regex(), nested: bz.any(), tags: z.array(z.string()), flag: z.boolean(), maybe: z.string().nullable().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('things', d._id), oid_hex: ctx.hex(d._id), at: d.at, amount: d.amount, big: d.big, small: d.small, ratio: d.ratio,
    payload: d.payload, ext_id: d.ext, pattern: ctx.regex(d.pattern), nested: ctx.json(d.nested), tags: d.tags, flag: d.flag,
    // null stays NULL; a missing field also gives NULL here, but `absent` is left out so its default applies.
    maybe: ctx.missing(d, 'maybe') ? 'was missing' : d.maybe,
  }),
})

describe.each(testEngines())('BSON types through a backfill on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
    await t.db.exec(`DROP TABLE IF EXISTS public.bson_types; CREATE TABLE public.bson_types (id uuid PRIMARY KEY, oid_hex text, at timestamptz, amount numeric(40,2), big bigint, small integer, ratio double precision, payload bytea, ext_id uuid, pattern text, nested jsonb, tags text[], flag boolean, maybe text, absent text NOT NULL DEFAULT 'default')`)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('converts each BSON type to its column and reads back exactly (from real BSON bytes)', async () => {
    const doc = {
      _id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
      at: new Date(Date.UTC(2023, 11, 31, 23, 59, 59, 999)),
      amount: Decimal128.fromString('1234567890123456789012345678901.90'),
      big: Long.fromString('9223372036854775807'),
      small: new Int32(-2147483648),
      ratio: new Double(0.1),
      payload: new Binary(Buffer.from([0, 9, 10, 92, 255])),
      ext: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
      pattern: new BSONRegExp('^x\\d+$', 'i'),
      nested: { when: new Date(0), id: new ObjectId('65a1b2c3d4e5f60718293a4c'), n: new Int32(1), dec: Decimal128.fromString('0.10'), arr: [new Double(1.5), null, { a: 'tab\there' }] },
      tags: ['a', 'b,c', 'd "e"', ''],
      flag: true,
      maybe: null,
    }
    const noMaybe = { ...doc, _id: new ObjectId('65a1b2c3d4e5f60718293a4d') } as Record<string, unknown>
    delete noMaybe.maybe
    const bytes = [BSON.serialize(doc), BSON.serialize(noMaybe)]
    const docs = bytes.map((b) => attachRaw(BSON.deserialize(b, { promoteValues: false, bsonRegExp: true }), b))
    const r = await runBackfill(t.db, memorySource({ things: docs }), [job])
    expect(r[0]).toMatchObject({ loaded: 2, rejected: 0 })
    const rows = await t.db.query<Record<string, string | null>>(
      `SELECT oid_hex, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS at, amount::text, big::text, small::text, ratio::text,
              encode(payload, 'hex') AS payload, ext_id::text, pattern, nested::text, tags::text, flag::text, maybe, absent
         FROM public.bson_types ORDER BY oid_hex`,
    )
    expect(rows[0]).toEqual({
      oid_hex: '65a1b2c3d4e5f60718293a4b', at: '2023-12-31 23:59:59.999', amount: '1234567890123456789012345678901.90',
      big: '9223372036854775807', small: '-2147483648', ratio: '0.1', payload: '00090a5cff', ext_id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      pattern: '/^x\\d+$/i',
      nested: '{"n": 1, "id": "65a1b2c3d4e5f60718293a4c", "arr": [1.5, null, {"a": "tab\\there"}], "dec": "0.10", "when": "1970-01-01T00:00:00.000Z"}',
      tags: '{a,"b,c","d \\"e\\"",""}', flag: 'true', maybe: null, absent: 'default',
    })
    expect(rows[1]!.maybe).toBe('was missing')
    const v = await verifyJob(t.db, memorySource({ things: docs }), job)
    expect(v.ok).toBe(true)
    expect(v.content.tables[0]!.matched).toBe(2)
  })
})
