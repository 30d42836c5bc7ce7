/**
 * File-source specifics: damaged input (truncated, corrupt, invalid lines, missing _id) gives clear
 * errors naming the file and byte offset; non-ObjectId and mixed numeric ids sort in BSON order;
 * resume seeks through the sparse index; openSource routes URIs and rejects unknown ones.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BSON, Double, EJSON, Int32, Long, ObjectId, type Document } from 'bson'
import { compareIds, type Source } from '../../src/data/source.js'
import { openSource } from '../../src/data/sources/open-source.js'
import { openDumpSource } from '../../src/data/sources/dump-source.js'
import type { FileSource } from '../../src/data/sources/file-source.js'
import { CairnError } from '../../src/errors.js'
import { writeCollection, writeMetadata } from '../fixtures/write-collection.js'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sources-files-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const sub = (name: string): string => {
  const d = path.join(dir, name)
  fs.mkdirSync(d, { recursive: true })
  return d
}
const oid = (i: number): ObjectId => new ObjectId(i.toString(16).padStart(24, '0'))
async function readAll(source: Source, c: string, afterId?: unknown, batchSize = 100): Promise<Document[]> {
  const out: Document[] = []
  for await (const b of source.batches(c, { batchSize, ...(afterId === undefined ? {} : { afterId }) })) out.push(...b)
  return out
}
async function failure(p: Promise<unknown>): Promise<CairnError> {
  const e = await p.then(() => undefined, (x: unknown) => x)
  expect(e).toBeInstanceOf(CairnError)
  return e as CairnError
}

describe('damaged input', () => {
  it('a truncated .bson file names the file and the offset of the partial document', async () => {
    const d = sub('truncated')
    await writeCollection([0, 1, 2].map((i) => ({ _id: oid(i), text: 'x'.repeat(50) })), [{ kind: 'bson', file: path.join(d, 'c.bson') }])
    const full = fs.readFileSync(path.join(d, 'c.bson'))
    const docLen = full.readInt32LE(0)
    fs.writeFileSync(path.join(d, 'c.bson'), full.subarray(0, full.length - 10))
    const source = await openSource(d)
    const e = await failure(readAll(source, 'c'))
    expect(e.code).toBe('source_bson_truncated')
    expect(e.message).toContain(path.join(d, 'c.bson'))
    expect(e.message).toContain(`byte offset ${2 * docLen}`)
    expect(e.meta).toMatchObject({ offset: 2 * docLen, length: docLen })
    expect((await failure(source.count('c'))).code).toBe('source_bson_truncated')
  })

  it('a truncated .bson.gz file is a gzip error naming the file', async () => {
    const d = sub('truncated-gz')
    await writeCollection([0, 1, 2].map((i) => ({ _id: oid(i) })), [{ kind: 'bson', file: path.join(d, 'c.bson.gz'), gzip: true }])
    const full = fs.readFileSync(path.join(d, 'c.bson.gz'))
    fs.writeFileSync(path.join(d, 'c.bson.gz'), full.subarray(0, full.length - 12))
    const e = await failure(readAll(await openSource(d), 'c'))
    expect(['source_gzip_corrupt', 'source_bson_truncated']).toContain(e.code)
    expect(e.message).toContain('c.bson.gz')
  })

  it('a corrupt document length is reported with its offset', async () => {
    const d = sub('corrupt')
    const good = Buffer.from(BSON.serialize({ _id: oid(1) }))
    const bad = Buffer.alloc(8)
    bad.writeInt32LE(2)
    fs.writeFileSync(path.join(d, 'c.bson'), Buffer.concat([good, bad]))
    const e = await failure(readAll(await openSource(d), 'c'))
    expect(e.code).toBe('source_bson_corrupt')
    expect(e.message).toContain(`byte offset ${good.length}`)
  })

  it('an invalid Extended JSON line is reported with its offset', async () => {
    const d = sub('bad-ejson')
    const line1 = EJSON.stringify({ _id: oid(1) }, { relaxed: false })
    fs.writeFileSync(path.join(d, 'c.json'), `${line1}\n{"_id": {"$oid": "0000000000000000000000002"}, oops\n`)
    const e = await failure(readAll(await openSource(`ejson:${d}`), 'c'))
    expect(e.code).toBe('source_ejson_invalid')
    expect(e.message).toContain(`byte offset ${line1.length + 1}`)
  })

  it('a document without _id is refused', async () => {
    const d = sub('no-id')
    fs.writeFileSync(path.join(d, 'c.json'), '{"_id":{"$oid":"000000000000000000000001"}}\n{"name":"x"}\n')
    expect((await failure(readAll(await openSource(`ejson:${d}`), 'c'))).code).toBe('source_missing_id')
  })
})

describe('ordering and resume', () => {
  it('sorts string, mixed-numeric and ObjectId-less ids in BSON order and resumes between them', async () => {
    const d = sub('mixed-ids')
    const ids: unknown[] = [new Int32(5), new Double(2.5), Long.fromString('9007199254740993'), new Int32(-1), 'b', 'a', 'ä', new Double(3), 'B']
    const docs = ids.map((id, i) => ({ _id: id, i }))
    await writeCollection(docs, [{ kind: 'bson', file: path.join(d, 'dump', 'c.bson') }, { kind: 'ejson', file: path.join(d, 'ej', 'c.json') }])
    const want = [...ids].sort(compareIds).map((x) => EJSON.stringify({ x }, { relaxed: false }))
    expect(want[0]).toContain('-1')
    expect(want.at(-1)).toContain('ä')
    for (const uri of [path.join(d, 'dump'), `ejson:${path.join(d, 'ej')}`]) {
      const source = await openSource(uri)
      const got = (await readAll(source, 'c', undefined, 2)).map((x) => EJSON.stringify({ x: x._id }, { relaxed: false }))
      expect(got, uri).toEqual(want)
      const after3 = (await readAll(source, 'c', new Double(3))).map((x) => x.i.value)
      expect(after3, uri).toEqual([0, 2, 8, 5, 4, 6])
      await source.close()
    }
  })

  it('resumes inside a large sorted file via the sparse index and after a sort of an unsorted one', async () => {
    const d = sub('large')
    const n = 5000
    const asc = Array.from({ length: n }, (_, i) => ({ _id: oid(i + 1), i }))
    const shuffled = [...asc].sort((a, b) => ((a.i * 7919) % n) - ((b.i * 7919) % n))
    await writeCollection(asc, [{ kind: 'bson', file: path.join(d, 'asc.bson') }])
    await writeCollection(shuffled, [{ kind: 'bson', file: path.join(d, 'shuffled.bson') }, { kind: 'bson', file: path.join(d, 'shuffledgz.bson.gz'), gzip: true }])
    const source = (await openDumpSource(d)) as FileSource
    expect((await source.layout('asc')).sortedOnDisk).toBe(true)
    expect((await source.layout('shuffled')).sortedOnDisk).toBe(false)
    for (const c of ['asc', 'shuffled', 'shuffledgz']) {
      for (const k of [0, 1023, 1024, 1025, 3333, n - 1]) {
        const got = await readAll(source, c, oid(k), 512)
        expect(got.map((x) => x.i.value), `${c} after ${k}`).toEqual(asc.slice(k).map((x) => x.i))
      }
    }
    // Sorted copies live in a private temporary directory removed by close().
    const tmp = path.dirname((await source.layout('shuffled')).readPath)
    expect(fs.existsSync(tmp)).toBe(true)
    await source.close()
    expect(fs.existsSync(tmp)).toBe(false)
  })

  it('reads CRLF line endings, blank lines and a last line without newline', async () => {
    const d = sub('crlf')
    const l = (i: number): string => EJSON.stringify({ _id: oid(i), v: new Int32(i) }, { relaxed: false })
    fs.writeFileSync(path.join(d, 'c.jsonl'), `${l(2)}\r\n\r\n${l(1)}\r\n  \n${l(3)}`)
    const docs = await readAll(await openSource(path.join(d, 'c.jsonl')), 'c')
    expect(docs.map((x) => x.v.value)).toEqual([1, 2, 3])
  })
})

describe('openSource', () => {
  it('routes mongodump, Extended JSON and gzipped variants, and reads metadata', async () => {
    const d = sub('route')
    await writeCollection([{ _id: oid(1) }], [
      { kind: 'bson', file: path.join(d, 'root', 'db1', 'a.bson') },
      { kind: 'bson', file: path.join(d, 'root', 'db2', 'a.bson') },
      { kind: 'bson', file: path.join(d, 'root', 'db2', 'b.bson.gz'), gzip: true },
      { kind: 'ejson', file: path.join(d, 'ej', 'a.json.gz'), gzip: true },
    ])
    writeMetadata(path.join(d, 'root', 'db2', 'b.metadata.json.gz'), 'b', 'ab'.repeat(16), [{ key: { x: 1 }, name: 'x_1' }], true)
    const root = (await openSource(path.join(d, 'root'))) as FileSource
    expect(root.description).toBe(`mongodump:${path.join(d, 'root')}`)
    expect(root.collectionNames()).toEqual(['b', 'db1.a', 'db2.a', 'db2.b'])
    expect(await root.count('db2.b')).toBe(1)
    expect((await root.metadata('b'))?.indexes?.[1]?.name).toBe('x_1')
    const ej = await openSource(path.join(d, 'ej'))
    expect(ej.description.startsWith('ejson:')).toBe(true)
    expect(await ej.count('a')).toBe(1)
  })

  it.each([
    ['', 'source_missing'],
    ['http://example.com/dump', 'source_unsupported'],
    ['/definitely/not/here', 'source_not_found'],
    ['ejson:/definitely/not/here', 'source_not_found'],
  ])('refuses %j with %s and exit code 2', async (uri, code) => {
    const e = await failure(openSource(uri))
    expect(e.code).toBe(code)
    expect(e.exitCode).toBe(2)
    expect(e.hint).toBeTruthy()
  })

  it('refuses a directory with neither .bson nor .json files, and a mongodb URI without database', async () => {
    const d = sub('nothing')
    fs.writeFileSync(path.join(d, 'readme.txt'), 'x')
    const e = await failure(openSource(d))
    expect(e.code).toBe('source_unrecognized')
    expect(e.exitCode).toBe(2)
    const m = await failure(openSource('mongodb://user:secret@127.0.0.1:1'))
    expect(m.code).toBe('source_mongo_no_database')
    expect(m.message).not.toContain('secret')
  })

  it('an unreachable server is a runtime error (exit 3) without the password', async () => {
    const e = await failure(openSource('mongodb://u:secret@127.0.0.1:1/db', { mongo: { serverSelectionTimeoutMS: 300 } }))
    expect(e.code).toBe('source_unreachable')
    expect(e.exitCode).toBe(3)
    expect(e.message).not.toContain('secret')
  })

  it('gzips a dump the way mongodump --gzip does (readable by zlib)', () => {
    const d = sub('route')
    expect(zlib.gunzipSync(fs.readFileSync(path.join(d, 'root', 'db2', 'b.bson.gz'))).readInt32LE(0)).toBeGreaterThan(4)
  })
})
