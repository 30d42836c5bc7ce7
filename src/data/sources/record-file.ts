/**
 * One collection stored as a file of records (mongodump `.bson` or Extended JSON lines, optionally
 * gzipped), served in ascending `_id` order after a resume point, in batches, streaming.
 *
 * Dump files are in natural order, not `_id` order. A first pass reads only the `_id` of each record:
 * when they are strictly ascending (the usual case for ObjectIds) the file is streamed as is, and a
 * sparse index (every 1024th `_id` and its byte offset) lets a resume seek instead of re-reading.
 * Otherwise an index of (`_id`, offset, length) is sorted (12 + 8 + 4 bytes per document for
 * ObjectIds) and the records are copied once, in `_id` order, into a temporary file that is then
 * streamed; a gzipped input is decompressed to a temporary file first, since gzip cannot seek.
 */
import fs from 'node:fs'
import { pipeline } from 'node:stream'
import { setImmediate as tick } from 'node:timers/promises'
import path from 'node:path'
import zlib from 'node:zlib'
import { ObjectId, type Document } from 'bson'
import { compareIds, type SourceReadOptions } from '../source.js'
import { batchDocuments, packRecords, type RawBatch } from '../raw-batch.js'
import { CairnError } from '../../errors.js'
import type { RawRecord, RecordFormat } from './record-format.js'

const SPARSE_EVERY = 1024
const READ_CHUNK = 1 << 20

/** Where and how a record file is read. */
export interface RecordFileOptions {
  /** The file as given (named in errors). */
  readonly file: string
  readonly gzip: boolean
  readonly format: RecordFormat
  /** Creates (once) and returns a private temporary directory for sorted copies. */
  readonly tmpDir: () => Promise<string>
}

/** How a record file was prepared for reading in `_id` order. */
export interface RecordFileLayout {
  readonly count: number
  /** True when the file was already in ascending `_id` order and is streamed directly. */
  readonly sortedOnDisk: boolean
  /** The file actually streamed (the original, or a sorted temporary copy). */
  readonly readPath: string
  readonly prepareMs: number
}

interface Prepared extends RecordFileLayout {
  readonly gzip: boolean
  readonly sparse: { id: unknown; offset: number }[]
}

/** A collection file served in `_id` order. */
export class RecordFile {
  private prepared?: Promise<Prepared>

  constructor(private readonly options: RecordFileOptions) {}

  /** Scans (and if needed sorts) the file once; later calls reuse the result. */
  layout(): Promise<RecordFileLayout> {
    this.prepared ??= this.prepare()
    return this.prepared
  }

  /** Number of documents in the file. */
  async count(): Promise<number> {
    return (await this.layout()).count
  }

  /** Documents in ascending `_id` order strictly after `afterId`, `batchSize` at a time. */
  async *batches(options: SourceReadOptions): AsyncGenerator<Document[]> {
    for await (const raw of this.rawBatches(options)) yield batchDocuments(raw)
  }

  /** The same batches as stored bytes, decoded on demand (see RawBatch). */
  async *rawBatches(options: SourceReadOptions): AsyncGenerator<RawBatch> {
    const p = (await this.layout()) as Prepared
    const { format, file } = this.options
    const size = Math.max(1, Math.floor(options.batchSize))
    const after = options.afterId
    let start = 0
    if (after !== undefined && !p.gzip) start = seek(p.sparse, after)
    let skipping = after !== undefined
    let records: Uint8Array[] = []
    let positions: number[] = []
    const input = openChunks(p.readPath, p.gzip, start, file)
    for await (const framed of format.frame(input, file, start)) {
      for (const r of framed) {
        if (skipping) {
          if (compareIds(format.id(r, file), after) <= 0) continue
          skipping = false
        }
        records.push(r.bytes)
        positions.push(r.offset)
        if (records.length >= size) {
          yield packRecords(format.kind, records, file, positions)
          records = []
          positions = []
          if (options.signal?.aborted) return
        }
      }
    }
    if (records.length && !options.signal?.aborted) yield packRecords(format.kind, records, file, positions)
  }

  private async prepare(): Promise<Prepared> {
    const started = performance.now()
    const { file, gzip, format } = this.options
    const first = await this.scan(file, gzip)
    if (first) return { ...first, prepareMs: performance.now() - started }
    // Not in _id order: index every record of a plain copy, sort the index, copy records in order.
    const dir = await this.options.tmpDir()
    const base = path.basename(file).replace(/[^\w.-]+/g, '_')
    let plain = file
    if (gzip) {
      plain = path.join(dir, `${base}.plain`)
      await decompress(file, plain)
    }
    const index = new IdIndex()
    for await (const records of format.frame(openChunks(plain, false, 0, file), file, 0)) {
      for (const r of records) index.push(this.idOf(r), r.offset, r.bytes.length)
    }
    const sortedPath = path.join(dir, `${base}.sorted`)
    const sparse = await index.writeSorted(plain, sortedPath, format.terminator, file)
    if (plain !== file) await fs.promises.rm(plain, { force: true })
    return {
      count: index.length,
      sortedOnDisk: false,
      readPath: sortedPath,
      gzip: false,
      sparse,
      prepareMs: performance.now() - started,
    }
  }

  /** First pass: count, check ascending order and build the sparse index; undefined when unsorted. */
  private async scan(file: string, gzip: boolean): Promise<Omit<Prepared, 'prepareMs'> | undefined> {
    const { format } = this.options
    const sparse: { id: unknown; offset: number }[] = []
    let prev: unknown
    let count = 0
    let sorted = true
    const input = openChunks(file, gzip, 0, file)
    // Keep framing to the end even when unsorted, so a truncated file is reported before any work.
    for await (const records of format.frame(input, file, 0)) {
      if (!sorted) continue
      for (const r of records) {
        const id = this.idOf(r)
        if (count > 0 && compareIds(prev, id) >= 0) {
          sorted = false
          break
        }
        if (count % SPARSE_EVERY === 0) sparse.push({ id, offset: r.offset })
        prev = id
        count++
      }
    }
    if (!sorted) return undefined
    return { count, sortedOnDisk: true, readPath: file, gzip, sparse }
  }

  private idOf(r: RawRecord): unknown {
    const id = this.options.format.id(r, this.options.file)
    if (id === undefined) {
      throw new CairnError('source_missing_id', `${this.options.file}: document at byte offset ${r.offset} has no _id`, {
        file: this.options.file,
        hint: 'every document needs an _id to be read in _id order and resumed',
        meta: { offset: r.offset },
      })
    }
    return id
  }
}

/** Byte offset to start reading from: the last sparse entry whose id is <= `after`. */
function seek(sparse: readonly { id: unknown; offset: number }[], after: unknown): number {
  let lo = 0
  let hi = sparse.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareIds(sparse[mid]!.id, after) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? 0 : sparse[lo - 1]!.offset
}

/** The (decompressed) bytes of a file from `start`, as 1 MiB chunks; gzip errors name the file. */
async function* openChunks(file: string, gzip: boolean, start: number, shownAs: string): AsyncGenerator<Buffer> {
  const rs = fs.createReadStream(file, { start, highWaterMark: READ_CHUNK })
  let stream: NodeJS.ReadableStream = rs
  if (gzip) {
    const gz = zlib.createGunzip({ chunkSize: READ_CHUNK })
    pipeline(rs, gz, () => {})
    stream = gz
  }
  let seen = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      seen += chunk.length
      yield chunk
    }
  } catch (e) {
    if (e instanceof CairnError) throw e
    const err = e as NodeJS.ErrnoException
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
      throw new CairnError('source_unreadable', `${shownAs}: ${err.message}`, { file: shownAs, exitCode: 2 })
    }
    if (gzip) {
      throw new CairnError(
        'source_gzip_corrupt',
        `${shownAs}: gzip data is corrupt or truncated after ${start + seen} decompressed bytes (${err.message})`,
        { file: shownAs, hint: 'the .gz file is damaged or incomplete: re-run mongodump --gzip', meta: { offset: start + seen } },
      )
    }
    throw new CairnError('source_read_failed', `${shownAs}: ${err.message}`, { file: shownAs, exitCode: 3, cause: e })
  } finally {
    rs.destroy()
  }
}

function decompress(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => {
    pipeline(fs.createReadStream(from, { highWaterMark: READ_CHUNK }), zlib.createGunzip(), fs.createWriteStream(to), (e) => {
      if (!e) return resolve()
      reject(
        new CairnError('source_gzip_corrupt', `${from}: gzip data is corrupt or truncated (${e.message})`, {
          file: from,
          hint: 'the .gz file is damaged or incomplete: re-run mongodump --gzip',
        }),
      )
    })
  })
}

/** (`_id`, offset, length) of every record; ObjectIds kept as 12 raw bytes, other ids as values. */
class IdIndex {
  length = 0
  private offsets = new Float64Array(1024)
  private lengths = new Uint32Array(1024)
  private oids: Buffer | undefined = Buffer.alloc(1024 * 12)
  private values: unknown[] | undefined

  push(id: unknown, offset: number, length: number): void {
    const n = this.length
    if (n === this.offsets.length) this.grow()
    this.offsets[n] = offset
    this.lengths[n] = length
    if (this.oids && id instanceof ObjectId) this.oids.set(id.id, n * 12)
    else {
      if (this.oids) this.toValues()
      this.values!.push(id)
    }
    this.length++
  }

  private grow(): void {
    const cap = this.offsets.length * 2
    const offsets = new Float64Array(cap)
    offsets.set(this.offsets)
    const lengths = new Uint32Array(cap)
    lengths.set(this.lengths)
    this.offsets = offsets
    this.lengths = lengths
    if (this.oids) {
      const oids = Buffer.alloc(cap * 12)
      this.oids.copy(oids)
      this.oids = oids
    }
  }

  private toValues(): void {
    const values: unknown[] = []
    for (let i = 0; i < this.length; i++) values.push(this.idAt(i))
    this.values = values
    this.oids = undefined
  }

  private idAt(i: number): unknown {
    if (this.oids) return new ObjectId(Uint8Array.prototype.slice.call(this.oids, i * 12, i * 12 + 12))
    return this.values![i]
  }

  private order(): Uint32Array {
    const order = new Uint32Array(this.length)
    for (let i = 0; i < order.length; i++) order[i] = i
    if (this.oids) {
      // Two exact 48-bit halves per ObjectId: numeric comparison equals byte order.
      const hi = new Float64Array(this.length)
      const lo = new Float64Array(this.length)
      for (let i = 0; i < this.length; i++) {
        hi[i] = this.oids.readUIntBE(i * 12, 6)
        lo[i] = this.oids.readUIntBE(i * 12 + 6, 6)
      }
      return order.sort((a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]! || a - b)
    }
    const values = this.values!
    return order.sort((a, b) => compareIds(values[a], values[b]) || a - b)
  }

  /** Copies the records of `from` into `to` in `_id` order; returns the sparse index of the copy. */
  async writeSorted(from: string, to: string, terminator: Buffer, shownAs: string): Promise<{ id: unknown; offset: number }[]> {
    const order = this.order()
    const sparse: { id: unknown; offset: number }[] = []
    const input = fs.openSync(from, 'r')
    const output = fs.openSync(to, 'w')
    const buf = Buffer.allocUnsafe(4 << 20)
    let used = 0
    let written = 0
    const flush = (): void => {
      let at = 0
      while (at < used) at += fs.writeSync(output, buf, at, used - at)
      written += used
      used = 0
    }
    try {
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!
        const len = this.lengths[i]!
        if (k % SPARSE_EVERY === 0) sparse.push({ id: this.idAt(i), offset: written + used })
        const need = len + terminator.length
        if (used + need > buf.length) flush()
        const target = need > buf.length ? Buffer.allocUnsafe(need) : buf
        const at = target === buf ? used : 0
        const got = fs.readSync(input, target, at, len, this.offsets[i]!)
        if (got !== len) throw new CairnError('source_read_failed', `${shownAs}: short read at byte offset ${this.offsets[i]}`, { file: shownAs, exitCode: 3 })
        terminator.copy(target, at + len)
        if (target === buf) used += need
        else {
          fs.writeSync(output, target, 0, need)
          written += need
        }
        if (k % 16384 === 16383) await tick()
      }
      flush()
    } finally {
      fs.closeSync(input)
      fs.closeSync(output)
    }
    return sparse
  }
}
