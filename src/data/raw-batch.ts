/**
 * A batch of source documents as stored: the records back to back in one buffer, decoded on demand.
 * This is how the backfill moves documents around: a document object lives only while it is
 * validated and mapped (so the heap holds one batch of bytes, not thousands of parsed documents),
 * the original bytes of a reject are at hand, and a batch crosses to a worker thread as one
 * transferable buffer.
 */
import { BSON, EJSON, type Document } from 'bson'
import { CairnError } from '../errors.js'
import { attachRaw } from './source.js'

/** Options that keep every BSON type distinct (Int32 vs Double vs Long, BSONRegExp, UUID). */
export const DESERIALIZE_OPTIONS = { promoteValues: false, bsonRegExp: true } as const

export interface RawBatch {
  /** BSON documents, or Extended JSON lines (UTF-8, without line terminators). */
  readonly format: 'bson' | 'ejson'
  /** The records back to back, in a buffer of its own (never a slice of a shared pool). */
  readonly bytes: Uint8Array
  /** Where each record starts in `bytes`, then where the last one ends (length = records + 1). */
  readonly offsets: Uint32Array
  /** Where the records came from (a file, a collection), for error messages. */
  readonly origin: string
  /** Byte offset of each record in its file, when it came from one. */
  readonly positions?: Float64Array
}

/** Number of records in a batch. */
export function rawCount(b: RawBatch): number {
  return b.offsets.length - 1
}

/**
 * Packs records into a RawBatch (one copy into a fresh buffer, so the batch pins no read chunk and
 * can be transferred).
 */
export function packRecords(format: RawBatch['format'], records: readonly Uint8Array[], origin: string, positions?: readonly number[]): RawBatch {
  let total = 0
  for (const r of records) total += r.length
  const bytes = new Uint8Array(total)
  const offsets = new Uint32Array(records.length + 1)
  let at = 0
  for (let i = 0; i < records.length; i++) {
    offsets[i] = at
    bytes.set(records[i]!, at)
    at += records[i]!.length
  }
  offsets[records.length] = at
  return { format, bytes, offsets, origin, ...(positions ? { positions: Float64Array.from(positions) } : {}) }
}

/** Records `[from, to)` of a batch as a batch of their own (bytes copied). */
export function sliceRecords(b: RawBatch, from: number, to: number): RawBatch {
  const start = b.offsets[from]!
  const offsets = b.offsets.slice(from, to + 1)
  for (let i = 0; i < offsets.length; i++) offsets[i] = offsets[i]! - start
  return {
    format: b.format,
    bytes: b.bytes.slice(start, b.offsets[to]!),
    offsets,
    origin: b.origin,
    ...(b.positions ? { positions: b.positions.slice(from, to) } : {}),
  }
}

/** The bytes of record `i` (a view into the batch). */
export function recordBytes(b: RawBatch, i: number): Uint8Array {
  return b.bytes.subarray(b.offsets[i]!, b.offsets[i + 1]!)
}

// "<file>: <what> at byte offset N", or "in document k of its batch" when not read from a file.
function where(b: RawBatch, i: number, what: string): string {
  const pos = b.positions?.[i]
  return `${b.origin}: ${what} ${pos === undefined ? `in document ${i + 1} of its batch` : `at byte offset ${pos}`}`
}

/** Decodes record `i` (a fresh document; original bytes not attached). */
export function decodeRecord(b: RawBatch, i: number): Document {
  const bytes = recordBytes(b, i)
  if (b.format === 'bson') {
    try {
      return BSON.deserialize(bytes, DESERIALIZE_OPTIONS)
    } catch (e) {
      throw new CairnError('source_bson_corrupt', `${where(b, i, 'corrupt BSON')}: ${e instanceof Error ? e.message : String(e)}`, {
        file: b.origin,
        hint: 'the file is not a mongodump .bson file, or it is damaged; re-run mongodump',
        ...(b.positions ? { meta: { offset: b.positions[i] } } : {}),
      })
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
  try {
    const doc = EJSON.parse(text, { relaxed: false }) as unknown
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a line must hold one JSON object')
    return doc as Document
  } catch (e) {
    throw new CairnError('source_ejson_invalid', `${where(b, i, 'invalid Extended JSON')}: ${e instanceof Error ? e.message : String(e)}`, {
      file: b.origin,
      hint: 'each line must be one document in Extended JSON (mongoexport output); a --jsonArray export is not supported',
      ...(b.positions ? { meta: { offset: b.positions[i] } } : {}),
    })
  }
}

/** The original of record `i`: a copy of its BSON bytes, or its Extended JSON line. */
export function recordOriginal(b: RawBatch, i: number): Uint8Array | string {
  const bytes = recordBytes(b, i)
  if (b.format === 'ejson') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
  return Buffer.from(bytes)
}

/** All documents of a batch, each with its original attached (the Source.batches shape). */
export function batchDocuments(b: RawBatch): Document[] {
  const n = rawCount(b)
  const out: Document[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = attachRaw(decodeRecord(b, i), recordOriginal(b, i))
  return out
}
