/**
 * The same source suite over every source: mongodump (plain, gzipped, dump root), Extended JSON
 * (canonical, relaxed) and the live driver (against MONGODB_URL when set, else the in-process wire
 * test double). The data is the generated legacy dataset (natural order, partly not in _id order)
 * plus a collection holding every BSON type.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Binary, BSON, BSONRegExp, BSONSymbol, Code, DBRef, Decimal128, Double, EJSON, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, UUID,
  type Document,
} from 'bson'
import { compareIds, originalText, rawOf, type Source } from '../../src/data/source.js'
import { openSource } from '../../src/data/sources/open-source.js'
import { FileSource } from '../../src/data/sources/file-source.js'
import { isCairnError } from '../../src/errors.js'
import { generateLegacyDataset, LEGACY_COLLECTIONS, legacyDocuments } from '../fixtures/generate-legacy.js'
import { writeCollection, writeMetadata } from '../fixtures/write-collection.js'
import { startMongoWireServer, type MongoWireServer } from '../helpers/mongo-wire-server.js'
import { orSkipped } from '../helpers/skip.js'

const OUT = path.resolve('test/.generated', `sources-contract-${process.pid}`)

/** Every BSON type, with edge values; natural order deliberately not _id order. */
function typeDocuments(): Document[] {
  const oid = (n: number): ObjectId => new ObjectId(`65000000000000000000000${n.toString(16)}`.slice(-24))
  return [
    {
      _id: oid(3),
      int32: new Int32(-7), double: new Double(1), negZero: new Double(-0), nan: new Double(NaN), inf: new Double(-Infinity),
      long: Long.fromString('9223372036854775807'), smallLong: Long.fromInt(5), decimal: Decimal128.fromString('12345678901234567890.1234567890'),
      binary: new Binary(Buffer.from([0, 1, 2, 255])), userBinary: new Binary(Buffer.from('x'), 0x80), uuid: new UUID('2b3a0a6e-8e67-4f2b-9c3e-2f9a1d1c0b7e'),
      regex: new BSONRegExp('^a.*z$', 'imsx'), date: new Date(-1), farDate: new Date(Date.UTC(9999, 11, 31)), ts: new Timestamp({ t: 1700000000, i: 7 }),
      min: new MinKey(), max: new MaxKey(), code: new Code('function () { return 1 }'), symbol: new BSONSymbol('sym'),
      ref: new DBRef('users', oid(1)), nil: null, empty: '', unicode: 'naïve — データ 🚀', 'dotted.key': true, '$dollar': 1,
      nested: { a: { b: [new Int32(1), new Double(1.5), 'x', null, { c: Long.fromInt(2) }] } }, arr: [], obj: {},
    },
    { _id: oid(1), onlyInt: new Int32(1) },
    { _id: oid(2), onlyDouble: new Double(1), onlyLong: Long.fromInt(1) },
  ]
}

interface Kind {
  readonly name: string
  open(): Promise<Source>
  /** Types survive exactly (not relaxed EJSON). */
  readonly exact: boolean
  readonly raw: 'bson' | 'ejson'
  readonly file: boolean
}

let wire: MongoWireServer | undefined
let paths: Awaited<ReturnType<typeof generateLegacyDataset>>
const expected = new Map<string, Document[]>()
const COLLECTIONS = [...LEGACY_COLLECTIONS, 'types', 'empty']

beforeAll(async () => {
  paths = await generateLegacyDataset(OUT, { scale: 2, seed: 42 })
  const types = typeDocuments()
  await writeCollection(types, [
    { kind: 'bson', file: path.join(paths.dump, 'types.bson') },
    { kind: 'bson', file: path.join(paths.dumpGz!, 'types.bson.gz'), gzip: true },
    { kind: 'ejson', file: path.join(paths.ejson, 'types.json') },
    { kind: 'ejson', file: path.join(paths.ejsonRelaxed!, 'types.json'), relaxed: true },
  ])
  await writeCollection([], [
    { kind: 'bson', file: path.join(paths.dump, 'empty.bson') },
    { kind: 'bson', file: path.join(paths.dumpGz!, 'empty.bson.gz'), gzip: true },
    { kind: 'ejson', file: path.join(paths.ejson, 'empty.json') },
    { kind: 'ejson', file: path.join(paths.ejsonRelaxed!, 'empty.json') },
  ])
  writeMetadata(path.join(paths.dump, 'empty.metadata.json'), 'empty', '00'.repeat(16))
  for (const c of LEGACY_COLLECTIONS) expected.set(c, [...legacyDocuments(c, { scale: 2, seed: 42 })])
  expected.set('types', types)
  expected.set('empty', [])
  if (!process.env.MONGODB_URL) {
    wire = await startMongoWireServer({ database: 'legacy' })
    for (const [c, docs] of expected) wire.insert(c, docs)
  } else {
    // A real server: load the same documents, in the same natural order, into a scratch database.
    const { MongoClient } = await import('mongodb')
    const client = new MongoClient(process.env.MONGODB_URL)
    const db = client.db('cairn_sources_test')
    await db.dropDatabase()
    for (const [c, docs] of expected) {
      await db.createCollection(c)
      if (docs.length) await db.collection(c).insertMany(docs.map((d) => ({ ...d })))
    }
    await client.close()
  }
}, 120_000)

afterAll(async () => {
  await wire?.close()
  fs.rmSync(OUT, { recursive: true, force: true })
})

const liveUri = (): string => {
  if (!process.env.MONGODB_URL) return wire!.uri
  const u = process.env.MONGODB_URL.replace(/\/[^/?]*(\?|$)/, '/cairn_sources_test$1')
  return u.includes('/cairn_sources_test') ? u : `${u.replace(/\/$/, '')}/cairn_sources_test`
}

const KINDS: Kind[] = [
  { name: 'mongodump directory', open: () => openSource(paths.dump), exact: true, raw: 'bson', file: true },
  { name: 'mongodump gzipped', open: () => openSource(paths.dumpGz!), exact: true, raw: 'bson', file: true },
  { name: 'mongodump root (<dir>/<db>)', open: () => openSource(path.dirname(paths.dump)), exact: true, raw: 'bson', file: true },
  { name: 'Extended JSON canonical', open: () => openSource(`ejson:${paths.ejson}`), exact: true, raw: 'ejson', file: true },
  { name: 'Extended JSON relaxed', open: () => openSource(paths.ejsonRelaxed!), exact: false, raw: 'ejson', file: true },
  {
    name: process.env.MONGODB_URL ? 'live driver (MONGODB_URL)' : 'live driver (wire-protocol test double)',
    open: () => openSource(liveUri()),
    exact: true,
    raw: 'bson',
    file: false,
  },
]

const canonical = (d: unknown): string => EJSON.stringify(d as Document, { relaxed: false })
const sortedIds = (c: string): string[] => [...expected.get(c)!].sort((a, b) => compareIds(a._id, b._id)).map((d) => canonical(d._id))

async function readAll(source: Source, collection: string, batchSize = 100, afterId?: unknown): Promise<{ docs: Document[]; sizes: number[] }> {
  const docs: Document[] = []
  const sizes: number[] = []
  for await (const batch of source.batches(collection, { batchSize, ...(afterId === undefined ? {} : { afterId }) })) {
    sizes.push(batch.length)
    docs.push(...batch)
  }
  return { docs, sizes }
}

describe.each(KINDS)('source: $name', (kind) => {
  let source: Source
  beforeAll(async () => {
    source = await kind.open()
  })
  afterAll(async () => {
    await source?.close()
  })

  it('counts every collection exactly', async () => {
    for (const c of COLLECTIONS) expect(await source.count(c), c).toBe(expected.get(c)!.length)
  })

  it('reads every collection in ascending _id order, each document once', async () => {
    for (const c of COLLECTIONS) {
      const { docs } = await readAll(source, c)
      expect(docs.map((d) => canonical(d._id)), c).toEqual(sortedIds(c))
    }
  })

  it('serves natural-order input that is not in _id order', async () => {
    const natural = expected.get('messages')!.map((d) => canonical(d._id))
    expect(natural).not.toEqual(sortedIds('messages'))
    if (source instanceof FileSource) {
      expect((await source.layout('messages')).sortedOnDisk).toBe(false)
      expect((await source.layout('users')).sortedOnDisk).toBe(true)
    }
  })

  it.each([1, 7, 100, 5000])('yields full batches of %i, the last one partial', async (size) => {
    const total = expected.get('messages')!.length
    const { docs, sizes } = await readAll(source, 'messages', size)
    expect(docs).toHaveLength(total)
    expect(sizes.slice(0, -1).every((n) => n === size)).toBe(true)
    expect(sizes.at(-1)).toBe(total % size || Math.min(size, total))
  })

  it('resumes strictly after any _id, present or not', async () => {
    const ids = [...expected.get('messages')!].sort((a, b) => compareIds(a._id, b._id)).map((d) => d._id as ObjectId)
    const all = ids.map(canonical)
    for (const k of [0, 1, 333, ids.length - 2, ids.length - 1]) {
      const { docs } = await readAll(source, 'messages', 50, ids[k])
      expect(docs.map((d) => canonical(d._id)), `after #${k}`).toEqual(all.slice(k + 1))
    }
    // An id between two existing ones, and ids before the first / after the last.
    const between = new ObjectId(Buffer.from(ids[500]!.id).fill(0xff, 9))
    expect((await readAll(source, 'messages', 50, between)).docs.map((d) => canonical(d._id))).toEqual(all.slice(501))
    expect((await readAll(source, 'messages', 50, new ObjectId('000000000000000000000000'))).docs).toHaveLength(ids.length)
    expect((await readAll(source, 'messages', 50, new ObjectId('ffffffffffffffffffffffff'))).docs).toHaveLength(0)
  })

  it('a run stopped after some batches and resumed from its last _id reads each document exactly once', async () => {
    const seen: string[] = []
    let last: unknown
    let n = 0
    for await (const batch of source.batches('messages', { batchSize: 64 })) {
      seen.push(...batch.map((d) => canonical(d._id)))
      last = batch.at(-1)!._id
      if (++n === 3) break
    }
    const rest = await readAll(source, 'messages', 64, last)
    expect([...seen, ...rest.docs.map((d) => canonical(d._id))]).toEqual(sortedIds('messages'))
  })

  it('keeps every document equal to the source; every BSON type exactly where the format can', async () => {
    for (const c of COLLECTIONS) {
      const want = new Map(expected.get(c)!.map((d) => [canonical(d._id), d]))
      for (const d of (await readAll(source, c)).docs) {
        const w = want.get(canonical(d._id))!
        if (kind.exact) expect(canonical(d), c).toBe(canonical(w))
        else expect(Object.keys(d), c).toEqual(Object.keys(w))
      }
    }
    if (!kind.exact) return
    const [t] = (await readAll(source, 'types')).docs.filter((d) => canonical(d._id).endsWith('3"}'))
    expect(t!.int32).toBeInstanceOf(Int32)
    expect(t!.double).toBeInstanceOf(Double)
    expect(Object.is(t!.negZero.value, -0)).toBe(true)
    expect(Number.isNaN(t!.nan.value)).toBe(true)
    expect(t!.long).toBeInstanceOf(Long)
    expect(t!.long.toString()).toBe('9223372036854775807')
    expect(t!.smallLong).toBeInstanceOf(Long)
    expect(t!.decimal).toBeInstanceOf(Decimal128)
    expect(t!.decimal.toString()).toBe('12345678901234567890.1234567890')
    expect(t!.uuid).toBeInstanceOf(UUID)
    expect(t!.uuid.toHexString(true)).toBe('2b3a0a6e-8e67-4f2b-9c3e-2f9a1d1c0b7e')
    expect(t!.userBinary.sub_type).toBe(0x80)
    expect(t!.regex).toBeInstanceOf(BSONRegExp)
    expect(t!.date).toEqual(new Date(-1))
    expect(t!.ts).toBeInstanceOf(Timestamp)
    expect(t!.symbol).toBeInstanceOf(BSONSymbol)
    expect(t!.code).toBeInstanceOf(Code)
    expect(t!.ref).toBeInstanceOf(DBRef)
    expect(t!.min).toBeInstanceOf(MinKey)
    expect(t!.max).toBeInstanceOf(MaxKey)
    expect('nil' in t! && t!.nil === null).toBe(true)
    expect('missing' in t!).toBe(false)
    expect(t!.nested.a.b[4].c).toBeInstanceOf(Long)
  })

  it('attaches the original document byte-for-byte for rejects', async () => {
    const lines = kind.raw === 'ejson' && kind.file ? new Set(fs.readFileSync(path.join(kind.exact ? paths.ejson : paths.ejsonRelaxed!, 'types.json'), 'utf8').trim().split('\n')) : undefined
    const want = new Map(expected.get('types')!.map((d) => [canonical(d._id), d]))
    for (const d of (await readAll(source, 'types')).docs) {
      const raw = rawOf(d)
      if (kind.raw === 'bson') {
        expect(raw).toBeInstanceOf(Uint8Array)
        expect(Buffer.from(raw as Uint8Array).equals(Buffer.from(BSON.serialize(want.get(canonical(d._id))!)))).toBe(true)
        expect(originalText(d)).toBe(canonical(want.get(canonical(d._id))))
      } else {
        expect(typeof raw).toBe('string')
        expect(lines!.has(raw as string)).toBe(true)
        expect(originalText(d)).toBe(raw)
      }
      expect(Object.keys(d)).not.toContain(String(Symbol.for('cairn.rawDocument')))
    }
  })

  it('an empty collection has count 0 and yields no batch', async () => {
    expect(await source.count('empty')).toBe(0)
    expect((await readAll(source, 'empty')).sizes).toEqual([])
  })

  it('a missing collection is a CairnError naming the available ones', async () => {
    const e = await source.count('no_such_collection').catch((x: unknown) => x)
    expect(isCairnError(e)).toBe(true)
    expect((e as { code: string }).code).toBe('source_collection_missing')
    expect((e as { hint: string }).hint).toContain('messages')
    const e2 = await readAll(source, 'no_such_collection').catch((x: unknown) => x)
    expect((e2 as { code: string }).code).toBe('source_collection_missing')
  })

  it('stops after the current batch when the signal aborts', async () => {
    const ac = new AbortController()
    let batches = 0
    for await (const batch of source.batches('messages', { batchSize: 10, signal: ac.signal })) {
      expect(batch).toHaveLength(10)
      if (++batches === 2) ac.abort()
    }
    expect(batches).toBe(2)
  })
})

describe('live driver over the wire test double', () => {
  it.skipIf(Boolean(process.env.MONGODB_URL))(orSkipped('reads with find/getMore in _id order and leaves no cursor open', process.env.MONGODB_URL, 'MONGODB_URL is set: this checks the in-process wire double, which a real server replaces'), async () => {
    const source = await openSource(wire!.uri)
    const before = wire!.commands.length
    let n = 0
    for await (const batch of source.batches('messages', { batchSize: 100 })) {
      n += batch.length
      if (n >= 300) break
    }
    await source.close()
    const used = wire!.commands.slice(before)
    expect(used).toContain('find')
    expect(used).toContain('getMore')
    expect(used).toContain('killCursors')
    expect(used).not.toContain('skip')
    expect(wire!.openCursors()).toBe(0)
  })
})
