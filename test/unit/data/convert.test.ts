import { describe, expect, it } from 'vitest'
import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, ObjectId, UUID } from 'bson'
import * as convert from '../../../src/data/convert.js'
import { columnText, copyField, copyLine, encodedColumn, valueKind } from '../../../src/data/copy-format.js'
import { compareIds, memorySource } from '../../../src/data/source.js'
import { mapContext } from '../../../src/data/define-backfill.js'
import * as bz from '../../../src/data/bson-zod.js'

describe('deterministic ids', () => {
  it('implements RFC 4122 UUIDv5 (DNS namespace vector)', () => {
    expect(convert.uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2')
  })
  it('gives the same UUID for the same collection and ObjectId, across runs and instances', () => {
    const a = convert.deterministicUuid('users', new ObjectId('65a1b2c3d4e5f60718293a4b'))
    const b = convert.deterministicUuid('users', ObjectId.createFromHexString('65a1b2c3d4e5f60718293a4b'))
    expect(a).toBe(b)
    // Pinned: a change here would break every reference loaded by earlier runs.
    expect(a).toBe(convert.uuidv5('users/65a1b2c3d4e5f60718293a4b'))
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(convert.deterministicUuid('messages', new ObjectId('65a1b2c3d4e5f60718293a4b'))).not.toBe(a)
    expect(convert.deterministicUuid('users', 'alice')).toBe(convert.uuidv5('users/alice'))
    expect(convert.deterministicUuid('users', new Int32(7))).toBe(convert.deterministicUuid('users', 7))
  })
  it('ctx.uuid / ctx.ref treat null and missing references', () => {
    const ctx = mapContext({ name: 'j', defaultTenant: 't' })
    expect(ctx.ref('users', null)).toBeNull()
    expect(ctx.ref('users', undefined)).toBeNull()
    expect(() => ctx.uuid('users', undefined)).toThrow(/no id/)
    expect(ctx.tenant).toBe('t')
    expect(() => mapContext({ name: 'j' }).tenant).toThrow(/defaultTenant/)
    expect(ctx.missing({ a: null }, 'a')).toBe(false)
    expect(ctx.missing({}, 'a')).toBe(true)
  })
})

describe('BSON conversions', () => {
  it('ObjectId → hex', () => {
    expect(convert.objectIdHex(new ObjectId('65a1b2c3d4e5f60718293a4b'))).toBe('65a1b2c3d4e5f60718293a4b')
  })
  it('Date → ISO timestamptz text, invalid dates refused', () => {
    expect(convert.timestamp(new Date(Date.UTC(2024, 1, 29, 12, 30, 0, 123)))).toBe('2024-02-29T12:30:00.123Z')
    expect(convert.timestamp(Long.fromNumber(0))).toBe('1970-01-01T00:00:00.000Z')
    expect(() => convert.timestamp(new Date(NaN))).toThrow(/invalid date/)
  })
  it('Decimal128 → exact numeric text', () => {
    expect(convert.decimal(Decimal128.fromString('1234567890123456789012345678.90'))).toBe('1234567890123456789012345678.90')
    expect(convert.decimal(Decimal128.fromString('-0.10'))).toBe('-0.10')
  })
  it('Long → bigint text beyond 2^53', () => {
    expect(convert.bigintText(Long.fromString('9223372036854775807'))).toBe('9223372036854775807')
    expect(convert.bigintText(new Int32(-5))).toBe('-5')
    expect(() => convert.bigintText(1.5)).toThrow(/not an integer/)
  })
  it('Int32 / Double → number; int range checked', () => {
    expect(convert.toNumber(new Int32(42))).toBe(42)
    expect(convert.toNumber(new Double(2.5))).toBe(2.5)
    expect(convert.toNumber('3.25')).toBe(3.25)
    expect(() => convert.toNumber('abc')).toThrow(/not a number/)
    expect(convert.toInt(new Double(3))).toBe(3)
    expect(() => convert.toInt(2 ** 31)).toThrow(/32-bit/)
  })
  it('Binary → bytes, UUID → uuid text', () => {
    const bin = new Binary(Buffer.from([0, 1, 254, 255]), 0)
    expect(convert.bytes(bin)).toEqual(Buffer.from([0, 1, 254, 255]))
    const u = new UUID('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(convert.uuid(u)).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(convert.uuid(u.toBinary())).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(convert.uuid('0F8FAD5BD9CB469FA16570867728950E')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(() => convert.uuid(bin)).toThrow(/expected a UUID/)
  })
  it('regex → /pattern/flags', () => {
    expect(convert.regexText(new BSONRegExp('^a.c$', 'im'))).toBe('/^a.c$/im')
  })
  it('nested documents and arrays → plain JSON (and relaxed EJSON on request)', () => {
    const doc = {
      id: new ObjectId('65a1b2c3d4e5f60718293a4b'),
      at: new Date(0),
      amount: Decimal128.fromString('9.90'),
      n: new Int32(1),
      d: new Double(1.5),
      big: Long.fromString('9007199254740993'),
      small: Long.fromNumber(3),
      list: [new Int32(1), null, 'x', { deep: true }],
      nothing: null,
      skipped: undefined,
      inf: new Double(Infinity),
    }
    expect(convert.toJson(doc)).toEqual({
      id: '65a1b2c3d4e5f60718293a4b',
      at: '1970-01-01T00:00:00.000Z',
      amount: '9.90',
      n: 1,
      d: 1.5,
      big: '9007199254740993',
      small: 3,
      list: [1, null, 'x', { deep: true }],
      nothing: null,
      inf: 'Infinity',
    })
    expect(convert.toEjson({ id: new ObjectId('65a1b2c3d4e5f60718293a4b'), at: new Date(0) })).toEqual({
      id: { $oid: '65a1b2c3d4e5f60718293a4b' },
      at: { $date: '1970-01-01T00:00:00Z' },
    })
  })
})

describe('COPY text encoding', () => {
  it('classifies column types', () => {
    expect(valueKind('character varying(255)')).toBe('text')
    expect(valueKind('timestamp with time zone')).toBe('timestamp')
    expect(valueKind('numeric(10,2)')).toBe('numeric')
    expect(encodedColumn({ name: 'a', type: 'text[]' })).toEqual({ name: 'a', type: 'text[]', kind: 'other', element: 'text' })
  })
  it('escapes backslash, tab, newline and carriage return; NULL is \\N', () => {
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re')
    expect(copyField(null)).toBe('\\N')
  })
  it('encodes every BSON type for its column', () => {
    const cols = [
      ['u', 'uuid'], ['t', 'text'], ['i', 'integer'], ['b', 'bigint'], ['n', 'numeric(30,2)'], ['f', 'double precision'],
      ['ok', 'boolean'], ['at', 'timestamp with time zone'], ['d', 'date'], ['raw', 'bytea'], ['j', 'jsonb'], ['tags', 'text[]'], ['x', 'text'],
    ].map(([name, type]) => encodedColumn({ name: name!, type: type! }))
    const line = copyLine(
      {
        u: new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
        t: new ObjectId('65a1b2c3d4e5f60718293a4b'),
        i: new Int32(7),
        b: Long.fromString('-9223372036854775808'),
        n: Decimal128.fromString('10.50'),
        f: new Double(NaN),
        ok: false,
        at: new Date(Date.UTC(2020, 0, 2)),
        d: new Date(Date.UTC(2020, 0, 2, 23)),
        raw: new Binary(Buffer.from('hi\n')),
        j: { a: [1, 'x\ty'] },
        tags: ['a', 'b "c"', null, 'd\\e'],
        x: new BSONRegExp('a|b', 'i'),
      },
      cols,
    )
    expect(line.split('\t')).toEqual([
      '0f8fad5b-d9cb-469f-a165-70867728950e', '65a1b2c3d4e5f60718293a4b', '7', '-9223372036854775808', '10.50', 'NaN', 'f',
      '2020-01-02T00:00:00.000Z', '2020-01-02', '\\\\x68690a', '{"a":[1,"x\\\\ty"]}', '{"a","b \\\\"c\\\\"",NULL,"d\\\\\\\\e"}', '/a|b/i\n',
    ])
  })
  it('compiled line encoders give the field-by-field encoding for every kind and value shape', () => {
    const types = ['uuid', 'text', 'integer', 'bigint', 'numeric', 'double precision', 'boolean', 'timestamp with time zone', 'date', 'bytea', 'jsonb', 'text[]', 'inet']
    const cols = types.map((type, i) => encodedColumn({ name: `c${i}`, type }))
    const values: unknown[] = [
      null, undefined, 'plain', 'tab\there', 'nl\nback\\slash', '', 0, -1.5, 1e21, NaN, Infinity, true, false,
      new Date(Date.UTC(2021, 5, 7, 8, 9, 10, 11)), new Int32(5), Long.fromString('123'), Decimal128.fromString('1.10'),
      new ObjectId('65a1b2c3d4e5f60718293a4b'), new Binary(Buffer.from('x')),
    ]
    const reference = (row: Record<string, unknown>) => cols.map((c) => copyField(columnText(row[c.name], c))).join('\t') + '\n'
    for (let k = 0; k < values.length; k++) {
      const row: Record<string, unknown> = {}
      cols.forEach((c, i) => (row[c.name] = values[(k + i) % values.length]))
      let want: string | Error
      try {
        want = reference(row)
      } catch (e) {
        want = e as Error
      }
      if (want instanceof Error) expect(() => copyLine(row, cols)).toThrow(want.message)
      else expect(copyLine(row, cols)).toBe(want)
    }
  })
  it('refuses a value its column cannot take', () => {
    expect(() => copyLine({ ok: { nested: 1 } }, [encodedColumn({ name: 'ok', type: 'boolean' })])).toThrow(/column ok \(boolean\) cannot take object/)
  })
})

describe('bson-aware zod schemas', () => {
  it('accept wrapped and plain numbers and output plain values', () => {
    expect(bz.number().parse(new Int32(3))).toBe(3)
    expect(bz.number().parse(new Double(3.5))).toBe(3.5)
    expect(bz.int().safeParse(new Double(3.5)).success).toBe(false)
    expect(bz.long().parse(Long.fromString('9007199254740993'))).toBe(9007199254740993n)
    expect(bz.decimal().parse(Decimal128.fromString('1.10'))).toBe('1.10')
    expect(bz.uuid().parse(new UUID('0f8fad5b-d9cb-469f-a165-70867728950e').toBinary())).toBe('0f8fad5b-d9cb-469f-a165-70867728950e')
    expect(bz.objectId().safeParse('65a1b2c3d4e5f60718293a4b').success).toBe(false)
    expect(bz.number().safeParse('3').success).toBe(false)
  })
})

describe('_id order and the memory source', () => {
  it('orders ids like MongoDB: numbers across types, strings by code point, ObjectIds by bytes, brackets between types', () => {
    const ids = [new ObjectId('000000000000000000000002'), 'b', new Int32(2), 1.5, Long.fromNumber(3), 'a', new ObjectId('000000000000000000000001'), null, 'é', 'Z']
    const sorted = [...ids].sort(compareIds)
    expect(sorted).toEqual([null, 1.5, new Int32(2), Long.fromNumber(3), 'Z', 'a', 'b', 'é', new ObjectId('000000000000000000000001'), new ObjectId('000000000000000000000002')])
    expect(compareIds(Long.fromString('9007199254740993'), 9007199254740992)).toBe(1)
  })
  it('serves batches strictly after afterId', async () => {
    const src = memorySource({ c: [5, 1, 3, 2, 4].map((n) => ({ _id: n })) })
    const seen: number[][] = []
    for await (const b of src.batches('c', { batchSize: 2, afterId: 2 })) seen.push(b.map((d) => d._id as number))
    expect(seen).toEqual([[3, 4], [5]])
    expect(await src.count('c')).toBe(5)
  })
})
