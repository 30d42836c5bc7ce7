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
import { pipeline as pipelinePromise } from 'node:stream/promises'
import { setImmediate as tick } from 'node:timers/promises'
import path from 'node:path'
import zlib from 'node:zlib'
import { ObjectId, type Document } from 'bson'
import { compareIds, type SourceReadOptions } from '../source.js'
import { batchDocuments, packRecords, type RawBatch } from '../raw-batch.js'
import { CairnError, isCairnError } from '../../errors.js'
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
  /** Stops a long first pass or sort (it throws the signal's reason, or an `interrupted` error). */
  readonly signal?: AbortSignal
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
  /** Every SPARSE_EVERY-th record with a readable `_id`: its id, byte offset, ordinal and line in the read file. */
  readonly sparse: SparseEntry[]
  /** For a sorted copy: each record's byte offset (and line) in the original file, in read order. */
  readonly origin?: { readonly positions: Float64Array; readonly lines?: Float64Array }
}

interface SparseEntry {
  readonly id: unknown
  readonly offset: number
  readonly index: number
  readonly line: number
}

/**
 * A collection file served in `_id` order.
 *
 * A record whose `_id` cannot be read (damaged bytes, no `_id`) cannot be ordered by it: it keeps
 * its place right after the record before it, in the file and in a sorted copy. A batch never
 * starts with such a record (except the file's first), so the last readable `_id` of a batch — its
 * checkpoint — covers it, and a resume skips it together with that record. Such records are
 * handed out like any other, and the backfill rejects them with their location.
 */
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
    let from: SparseEntry = { id: undefined, offset: 0, index: 0, line: 1 }
    if (after !== undefined && !p.gzip) from = seek(p.sparse, after) ?? from
    let skipping = after !== undefined
    let records: Uint8Array[] = []
    let positions: number[] = []
    let lines: number[] | undefined = format.kind === 'ejson' ? [] : undefined
    let index = from.index
    const pack = () => packRecords(format.kind, records, file, positions, lines)
    const input = openChunks(p.readPath, p.gzip, from.offset, file)
    for await (const framed of format.frame(input, file, from.offset, from.line)) {
      for (const r of framed) {
        const k = index++
        if (skipping) {
          // An unreadable `_id` goes with the record before it (skipped while that one is).
          const id = format.id(r)
          if (id === undefined || compareIds(id, after) <= 0) continue
          skipping = false
        } else if (records.length >= size && format.id(r) !== undefined) {
          yield pack()
          records = []
          positions = []
          if (lines) lines = []
          if (options.signal?.aborted) return
        }
        records.push(r.bytes)
        positions.push(p.origin ? p.origin.positions[k]! : r.offset)
        lines?.push(p.origin?.lines ? p.origin.lines[k]! : (r.line ?? 0))
      }
    }
    if (records.length && !options.signal?.aborted) yield pack()
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
      await decompress(file, plain, this.options.signal)
    }
    const index = new IdIndex(format.kind === 'ejson')
    for await (const records of format.frame(openChunks(plain, false, 0, file), file, 0)) {
      throwIfAborted(this.options.signal)
      for (const r of records) index.push(format.id(r), r.offset, r.bytes.length, r.line ?? 0)
    }
    const sortedPath = path.join(dir, `${base}.sorted`)
    const sorted = await index.writeSorted(plain, sortedPath, format.terminator, file, this.options.signal)
    if (plain !== file) await fs.promises.rm(plain, { force: true })
    return {
      count: index.length,
      sortedOnDisk: false,
      readPath: sortedPath,
      gzip: false,
      sparse: sorted.sparse,
      origin: sorted.origin,
      prepareMs: performance.now() - started,
    }
  }

  /** First pass: count, check ascending order and build the sparse index; undefined when unsorted. */
  private async scan(file: string, gzip: boolean): Promise<Omit<Prepared, 'prepareMs'> | undefined> {
    const { format } = this.options
    const sparse: SparseEntry[] = []
    let prev: unknown
    let count = 0
    let sinceSparse = SPARSE_EVERY
    let sorted = true
    const input = openChunks(file, gzip, 0, file)
    // Keep framing to the end even when unsorted, so a truncated file is reported before any work.
    for await (const records of format.frame(input, file, 0)) {
      throwIfAborted(this.options.signal)
      if (!sorted) continue
      for (const r of records) {
        const id = format.id(r)
        const k = count++
        sinceSparse++
        if (id === undefined) continue
        if (prev !== undefined && compareIds(prev, id) >= 0) {
          sorted = false
          break
        }
        if (sinceSparse >= SPARSE_EVERY) {
          sparse.push({ id, offset: r.offset, index: k, line: r.line ?? 1 })
          sinceSparse = 0
        }
        prev = id
      }
    }
    if (!sorted) return undefined
    return { count, sortedOnDisk: true, readPath: file, gzip, sparse }
  }
}

/** Throws the interruption error once `signal` is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interrupted(signal)
}

function interrupted(signal: AbortSignal): CairnError {
  const reason = signal.reason
  return isCairnError(reason) ? reason : new CairnError('interrupted', 'interrupted while reading the source')
}

/** Where to start reading: the last sparse entry whose id is <= `after` (undefined: the start). */
function seek(sparse: readonly SparseEntry[], after: unknown): SparseEntry | undefined {
  let lo = 0
  let hi = sparse.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareIds(sparse[mid]!.id, after) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo === 0 ? undefined : sparse[lo - 1]
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
      throw new CairnError('source_unreadable', `${shownAs}: ${err.message}`, { file: shownAs })
    }
    if (gzip) {
      throw new CairnError(
        'source_gzip_corrupt',
        `${shownAs}: gzip data is corrupt or truncated after ${start + seen} decompressed bytes (${err.message})`,
        { file: shownAs, hint: 'the .gz file is damaged or incomplete: re-run mongodump --gzip', meta: { offset: start + seen } },
      )
    }
    throw new CairnError('source_read_failed', `${shownAs}: ${err.message}`, { file: shownAs, cause: e })
  } finally {
    rs.destroy()
  }
}

async function decompress(from: string, to: string, signal?: AbortSignal): Promise<void> {
  try {
    await pipelinePromise(fs.createReadStream(from, { highWaterMark: READ_CHUNK }), zlib.createGunzip(), fs.createWriteStream(to), ...(signal ? [{ signal }] : []))
  } catch (e) {
    if (signal?.aborted) throw interrupted(signal)
    throw new CairnError('source_gzip_corrupt', `${from}: gzip data is corrupt or truncated (${(e as Error).message})`, {
      file: from,
      hint: 'the .gz file is damaged or incomplete: re-run mongodump --gzip',
    })
  }
}

/**
 * (`_id`, offset, length) of every record, in file order; ObjectIds kept as 12 raw bytes, other ids
 * as values. A record whose `_id` cannot be read is not sorted: it follows the record before it.
 */
class IdIndex {
  length = 0
  private offsets = new Float64Array(1024)
  private lengths = new Uint32Array(1024)
  private lines: Float64Array | undefined
  private readable = new Uint8Array(1024)
  private oids: Buffer | undefined = Buffer.alloc(1024 * 12)
  private values: unknown[] | undefined

  constructor(withLines: boolean) {
    if (withLines) this.lines = new Float64Array(1024)
  }

  push(id: unknown, offset: number, length: number, line: number): void {
    const n = this.length
    if (n === this.offsets.length) this.grow()
    this.offsets[n] = offset
    this.lengths[n] = length
    if (this.lines) this.lines[n] = line
    this.readable[n] = id === undefined ? 0 : 1
    if (this.oids && (id instanceof ObjectId || id === undefined)) {
      if (id) this.oids.set(id.id, n * 12)
    } else {
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
    const readable = new Uint8Array(cap)
    readable.set(this.readable)
    this.offsets = offsets
    this.lengths = lengths
    this.readable = readable
    if (this.lines) {
      const lines = new Float64Array(cap)
      lines.set(this.lines)
      this.lines = lines
    }
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
    if (!this.readable[i]) return undefined
    if (this.oids) return new ObjectId(Uint8Array.prototype.slice.call(this.oids, i * 12, i * 12 + 12))
    return this.values![i]
  }

  /** Readable records in `_id` order (file order among equals). */
  private order(): Uint32Array {
    let readable = 0
    for (let i = 0; i < this.length; i++) readable += this.readable[i]!
    const order = new Uint32Array(readable)
    for (let i = 0, k = 0; i < this.length; i++) if (this.readable[i]) order[k++] = i
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

  /**
   * Copies the records of `from` into `to` in `_id` order, each unreadable one right after the
   * record before it in the file; returns the sparse index of the copy and where each record was.
   */
  async writeSorted(
    from: string,
    to: string,
    terminator: Buffer,
    shownAs: string,
    signal?: AbortSignal,
  ): Promise<{ sparse: SparseEntry[]; origin: { positions: Float64Array; lines?: Float64Array } }> {
    const order = this.order()
    const sparse: SparseEntry[] = []
    const positions = new Float64Array(this.length)
    const lines = this.lines ? new Float64Array(this.length) : undefined
    const input = fs.openSync(from, 'r')
    const output = fs.openSync(to, 'w')
    const buf = Buffer.allocUnsafe(4 << 20)
    let used = 0
    let written = 0
    let k = 0
    const flush = (): void => {
      let at = 0
      while (at < used) at += fs.writeSync(output, buf, at, used - at)
      written += used
      used = 0
    }
    const copy = (i: number): void => {
      const len = this.lengths[i]!
      if (this.readable[i] && k % SPARSE_EVERY === 0) sparse.push({ id: this.idAt(i), offset: written + used, index: k, line: k + 1 })
      positions[k] = this.offsets[i]!
      if (lines) lines[k] = this.lines![i]!
      k++
      const need = len + terminator.length
      if (used + need > buf.length) flush()
      const target = need > buf.length ? Buffer.allocUnsafe(need) : buf
      const at = target === buf ? used : 0
      const got = fs.readSync(input, target, at, len, this.offsets[i]!)
      if (got !== len) throw new CairnError('source_read_failed', `${shownAs}: short read at byte offset ${this.offsets[i]}`, { file: shownAs })
      terminator.copy(target, at + len)
      if (target === buf) used += need
      else {
        fs.writeSync(output, target, 0, need)
        written += need
      }
    }
    // Records before the first readable one, then each readable one followed by the unreadable
    // ones after it in the file.
    const followers = (i: number): void => {
      for (let j = i + 1; j < this.length && !this.readable[j]; j++) copy(j)
    }
    try {
      followers(-1)
      for (let n = 0; n < order.length; n++) {
        const i = order[n]!
        copy(i)
        followers(i)
        if (n % 16384 === 16383) {
          await tick()
          throwIfAborted(signal)
        }
      }
      flush()
    } finally {
      fs.closeSync(input)
      fs.closeSync(output)
    }
    return { sparse, origin: { positions, ...(lines ? { lines } : {}) } }
  }
}
