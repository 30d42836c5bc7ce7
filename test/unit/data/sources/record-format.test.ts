import { describe, expect, it } from 'vitest'
import { BSON, EJSON, Int32, ObjectId } from 'bson'
import { bsonFormat, ejsonFormat, type RawRecord } from '../../../../src/data/sources/record-format.js'
import { rawOf } from '../../../../src/data/source.js'
import { batchDocuments, decodeRecord, packRecords, rawCount, recordOriginal, sliceRecords } from '../../../../src/data/raw-batch.js'
import { databaseOfUri } from '../../../../src/db/mongo.js'
import { redactSecrets as redactMongoUri } from '../../../../src/db/redact.js'

async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0
  let k = 0
  while (at < buf.length) {
    const n = sizes[k++ % sizes.length]!
    yield buf.subarray(at, at + n)
    at += n
  }
}

async function frameAll(format: typeof bsonFormat, buf: Buffer, sizes: number[]): Promise<RawRecord[]> {
  const out: RawRecord[] = []
  for await (const rs of format.frame(chunked(buf, sizes), 'f')) out.push(...rs)
  return out
}

const docs = [{ _id: new ObjectId(), a: 'x' }, { _id: 'str', b: [1, 2, { c: 'é' }] }, { _id: new Int32(3) }]
const bson = Buffer.concat(docs.map((d) => Buffer.from(BSON.serialize(d))))
const lines = Buffer.from(docs.map((d) => EJSON.stringify(d, { relaxed: false })).join('\n') + '\n')

describe('record framing', () => {
  it.each([[[1]], [[3, 5]], [[7]], [[1 << 20]], [[2, 1, 13]]])('frames BSON identically whatever the chunk sizes %j', async (sizes) => {
    const records = await frameAll(bsonFormat, bson, sizes)
    expect(records.map((r) => r.offset)).toEqual([0, BSON.serialize(docs[0]!).length, BSON.serialize(docs[0]!).length + BSON.serialize(docs[1]!).length])
    expect(Buffer.concat(records.map((r) => r.bytes)).equals(bson)).toBe(true)
  })

  it.each([[[1]], [[4, 9]], [[1 << 20]]])('frames Extended JSON lines identically whatever the chunk sizes %j', async (sizes) => {
    const records = await frameAll(ejsonFormat, lines, sizes)
    expect(records.map((r) => r.bytes.toString())).toEqual(lines.toString().trim().split('\n'))
    expect(records[1]!.offset).toBe(lines.indexOf('\n') + 1)
  })

  it('reads the _id fast path and the generic path alike', () => {
    const recs = docs.map((d, i) => ({ offset: i, bytes: Buffer.from(BSON.serialize(d)) }))
    expect(EJSON.stringify(recs.map((r) => bsonFormat.id(r, 'f')))).toBe(EJSON.stringify(docs.map((d) => d._id)))
    const l = lines.toString().trim().split('\n').map((t, i) => ({ offset: i, bytes: Buffer.from(t) }))
    expect(EJSON.stringify(l.map((r) => ejsonFormat.id(r, 'f')))).toBe(EJSON.stringify(docs.map((d) => d._id)))
  })

  it('raw batches own their bytes, decode on demand and keep each original', () => {
    const big = Buffer.concat([Buffer.alloc(10), ...docs.map((d) => Buffer.from(BSON.serialize(d)))])
    let at = 10
    const views = docs.map((d) => {
      const n = BSON.serialize(d).length
      const v = big.subarray(at, at + n)
      at += n
      return v
    })
    const batch = packRecords('bson', views, 'f.bson', [10, 20, 30])
    expect(rawCount(batch)).toBe(docs.length)
    big.fill(0)
    expect(EJSON.stringify(decodeRecord(batch, 1))).toBe(EJSON.stringify(docs[1]))
    const all = batchDocuments(batch)
    expect(all.map((d) => EJSON.stringify(d))).toEqual(docs.map((d) => EJSON.stringify(d)))
    const raw = rawOf(all[0]!) as Uint8Array
    expect(Buffer.from(raw).equals(Buffer.from(BSON.serialize(docs[0]!)))).toBe(true)
    expect(Object.keys(all[0]!)).toEqual(Object.keys(docs[0]!))
    const tail = sliceRecords(batch, 1, docs.length)
    expect(rawCount(tail)).toBe(docs.length - 1)
    expect(tail.positions).toEqual(Float64Array.from([20, 30]))
    expect(batchDocuments(tail).map((d) => EJSON.stringify(d))).toEqual(docs.slice(1).map((d) => EJSON.stringify(d)))
    const bad = packRecords('bson', [Buffer.from([8, 0, 0, 0, 99, 0, 0, 0])], 'x.bson', [1234])
    expect(() => decodeRecord(bad, 0)).toThrow(/x\.bson: corrupt BSON at byte offset 1234/)
    const line = packRecords('ejson', [Buffer.from('{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"t":"é"}')], 'x.json')
    expect(recordOriginal(line, 0)).toBe('{"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"t":"é"}')
    expect(decodeRecord(line, 0).t).toBe('é')
  })
})

describe('mongo URI helpers', () => {
  it('redacts passwords and finds the database', () => {
    expect(redactMongoUri('mongodb://app:s3cret@h1:27017,h2/db?authSource=admin')).toBe('mongodb://app:***@h1:27017,h2/db?authSource=admin')
    expect(redactMongoUri('mongodb+srv://app@cluster.example.net/x')).toBe('mongodb+srv://app@cluster.example.net/x')
    expect(databaseOfUri('mongodb://h1,h2:27018/legacy?replicaSet=rs')).toBe('legacy')
    expect(databaseOfUri('mongodb://h1/?x=1')).toBeUndefined()
    expect(databaseOfUri('mongodb://h1')).toBeUndefined()
  })
})
