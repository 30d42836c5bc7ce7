/**
 * A batch of source documents as stored: the records back to back in one buffer, decoded on demand.
 * This is how the backfill moves documents around: a document object lives only while it is
 * validated and mapped (so the heap holds one batch of bytes, not thousands of parsed documents),
 * the original bytes of a reject are at hand, and a batch crosses to a worker thread as one
 * transferable buffer.
 */
import { BSON, EJSON, ObjectId, type Document } from 'bson'
import { CairnError, type ErrorCode } from '../errors.js'
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
  /** Byte offset of each record in its file (decompressed), when it came from one. */
  readonly positions?: Float64Array
  /** Line number (1-based) of each Extended JSON record in its file, when it came from one. */
  readonly lines?: Float64Array
}

/**
 * Documents nested deeper than this are refused before decoding (MongoDB itself stores at most
 * 100 levels). Decoding, validating and re-encoding are recursive: a deeper document would
 * overflow the stack, which is no place to find out which document it was.
 */
export const MAX_NESTING = 200

/** Number of records in a batch. */
export function rawCount(b: RawBatch): number {
  return b.offsets.length - 1
}

/**
 * Packs records into a RawBatch (one copy into a fresh buffer, so the batch pins no read chunk and
 * can be transferred).
 */
export function packRecords(
  format: RawBatch['format'],
  records: readonly Uint8Array[],
  origin: string,
  positions?: readonly number[],
  lines?: readonly number[],
): RawBatch {
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
  return {
    format,
    bytes,
    offsets,
    origin,
    ...(positions ? { positions: Float64Array.from(positions) } : {}),
    ...(lines ? { lines: Float64Array.from(lines) } : {}),
  }
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
    ...(b.lines ? { lines: b.lines.slice(from, to) } : {}),
  }
}

/** The bytes of record `i` (a view into the batch). */
export function recordBytes(b: RawBatch, i: number): Uint8Array {
  return b.bytes.subarray(b.offsets[i]!, b.offsets[i + 1]!)
}

/** Where record `i` is: its file and byte offset (and line), or its place in its batch. */
export function recordLocation(b: RawBatch, i: number): { readonly origin: string; readonly offset?: number; readonly line?: number; readonly at: string } {
  const offset = b.positions?.[i]
  const line = b.lines?.[i]
  const at = offset === undefined ? `in document ${i + 1} of its batch` : line === undefined ? `at byte offset ${offset}` : `at line ${line} (byte offset ${offset})`
  return { origin: b.origin, ...(offset === undefined ? {} : { offset }), ...(line === undefined ? {} : { line }), at }
}

// "<file>: <what> at byte offset N[: detail]", or "in document k of its batch" when not read from a file.
function sourceError(code: ErrorCode, b: RawBatch, i: number, what: string, detail: string | undefined, hint: string): CairnError {
  const loc = recordLocation(b, i)
  return new CairnError(code, `${b.origin}: ${what} ${loc.at}${detail ? `: ${detail}` : ''}`, {
    file: b.origin,
    hint,
    ...(loc.offset === undefined ? {} : { meta: { offset: loc.offset, ...(loc.line === undefined ? {} : { line: loc.line }) } }),
  })
}

/** Error codes of a record that is framed but cannot be read as a document (a reject, not a failed run). */
export const UNREADABLE_RECORD = new Set(['source_bson_corrupt', 'source_ejson_invalid', 'source_too_deep', 'source_missing_id'])

/**
 * Decodes record `i` (a fresh document; original bytes not attached). Throws a CairnError with the
 * record's location (see UNREADABLE_RECORD) when the bytes are not a document.
 */
export function decodeRecord(b: RawBatch, i: number): Document {
  const bytes = recordBytes(b, i)
  if (tooDeep(b.format, bytes)) {
    throw sourceError('source_too_deep', b, i, `document nested deeper than ${MAX_NESTING} levels`, undefined, 'MongoDB stores documents nested at most 100 levels deep: this record is damaged or was not written by MongoDB')
  }
  if (b.format === 'bson') {
    try {
      return BSON.deserialize(bytes, DESERIALIZE_OPTIONS)
    } catch (e) {
      throw sourceError('source_bson_corrupt', b, i, 'corrupt BSON', e instanceof Error ? e.message : String(e), 'the file is not a mongodump .bson file, or it is damaged; re-run mongodump')
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8')
  try {
    const doc = EJSON.parse(text, { relaxed: false }) as unknown
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('a line must hold one JSON object')
    return doc as Document
  } catch (e) {
    throw sourceError(
      'source_ejson_invalid',
      b,
      i,
      'invalid Extended JSON',
      e instanceof Error ? e.message : String(e),
      'each line must be one document in Extended JSON (mongoexport output); a --jsonArray export is not supported',
    )
  }
}

/**
 * Record `i` as a document with an `_id`: decodeRecord, then `source_missing_id` (one of
 * UNREADABLE_RECORD) when the document has none.
 */
export function readDocument(b: RawBatch, i: number): Document {
  const doc = decodeRecord(b, i)
  if (doc._id === undefined) {
    throw sourceError('source_missing_id', b, i, 'document without _id', undefined, 'every document needs an _id to be read in _id order and resumed')
  }
  return doc
}

/**
 * The `_id` of record `i` without decoding the rest of it, or undefined when it cannot be read
 * (damaged bytes, no `_id`). Records whose `_id` cannot be read keep their place after the record
 * before them: sources order them so, and a batch's last readable `_id` is its checkpoint.
 */
export function recordId(b: RawBatch, i: number): unknown {
  return idOfBytes(b.format, recordBytes(b, i))
}

/** recordId of one record's bytes. */
export function idOfBytes(format: RawBatch['format'], bytes: Uint8Array): unknown {
  if (format === 'bson') return bsonId(bytes)
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 96)).toString('latin1')
  const m = OID_LINE.exec(head)
  if (m) return ObjectId.createFromHexString(m[1]!.toLowerCase())
  if (tooDeep('ejson', bytes)) return undefined
  try {
    const doc = EJSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'), { relaxed: false }) as Document | null
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc._id : undefined
  } catch {
    return undefined
  }
}

const OID_LINE = /^\s*\{\s*"_id"\s*:\s*\{\s*"\$oid"\s*:\s*"([0-9a-fA-F]{24})"\s*\}/

// `_id` of a BSON document: mongod stores it as the first element. Only that element is decoded,
// so damage elsewhere in the document does not hide it.
function bsonId(b: Uint8Array): unknown {
  if (b.length < 8) return undefined
  // Fast path: an ObjectId.
  if (b.length >= 21 && b[4] === 0x07 && b[5] === 0x5f && b[6] === 0x69 && b[7] === 0x64 && b[8] === 0) return new ObjectId(b.subarray(9, 21))
  const type = b[4]!
  if (b[5] === 0x5f && b[6] === 0x69 && b[7] === 0x64 && b[8] === 0) {
    const end = elementEnd(b, type, 9)
    if (end !== undefined && end <= b.length - 1) {
      // The first element alone, as a document of its own.
      const one = new Uint8Array(end - 4 + 5)
      new DataView(one.buffer).setInt32(0, one.length, true)
      one.set(b.subarray(4, end), 4)
      one[one.length - 1] = 0
      try {
        if (!tooDeep('bson', one)) return BSON.deserialize(one, DESERIALIZE_OPTIONS)._id
      } catch {
        /* damaged */
      }
    }
    return undefined
  }
  // `_id` elsewhere (not written by mongod): the whole document must decode.
  if (tooDeep('bson', b)) return undefined
  try {
    return BSON.deserialize(b, DESERIALIZE_OPTIONS)._id
  } catch {
    return undefined
  }
}

const int32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0

function cstringEnd(b: Uint8Array, at: number): number | undefined {
  const nul = b.indexOf(0, at)
  return nul < 0 ? undefined : nul + 1
}

/** Where the value of a BSON element of `type` starting at `at` ends; undefined when unknown or past the end. */
function elementEnd(b: Uint8Array, type: number, at: number): number | undefined {
  let end: number | undefined
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: end = at + 8; break
    case 0x02: case 0x0d: case 0x0e: end = at + 4 + int32(b, at); break
    case 0x03: case 0x04: case 0x0f: end = at + int32(b, at); break
    case 0x05: end = at + 5 + int32(b, at); break
    case 0x06: case 0x0a: case 0x7f: case 0xff: end = at; break
    case 0x07: end = at + 12; break
    case 0x08: end = at + 1; break
    case 0x0b: {
      const p = cstringEnd(b, at)
      end = p === undefined ? undefined : cstringEnd(b, p)
      break
    }
    case 0x0c: end = at + 4 + int32(b, at) + 12; break
    case 0x10: end = at + 4; break
    case 0x13: end = at + 16; break
    default: return undefined
  }
  return end !== undefined && end <= b.length ? end : undefined
}

/**
 * True when a record nests documents/arrays deeper than MAX_NESTING. Iterative, and skipped for
 * records too short to nest that deep; a malformed record is left to the decoder to report.
 */
export function tooDeep(format: RawBatch['format'], b: Uint8Array): boolean {
  if (format === 'ejson') {
    if (b.length <= 2 * MAX_NESTING) return false
    let depth = 0
    let inString = false
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!
      if (inString) {
        if (c === 0x5c) i++
        else if (c === 0x22) inString = false
      } else if (c === 0x22) inString = true
      else if (c === 0x7b || c === 0x5b) {
        if (++depth > MAX_NESTING) return true
      } else if (c === 0x7d || c === 0x5d) depth--
    }
    return false
  }
  // Each nested level takes at least 7 bytes (type, empty name, length, terminator).
  if (b.length <= 7 * MAX_NESTING) return false
  const ends = [b.length - 1]
  let pos = 4
  while (ends.length) {
    const end = ends[ends.length - 1]!
    if (pos >= end) {
      ends.pop()
      pos = end + 1
      continue
    }
    const type = b[pos]!
    const value = cstringEnd(b, pos + 1)
    if (value === undefined) return false
    if (type === 0x03 || type === 0x04) {
      const len = int32(b, value)
      if (len < 5 || value + len > end) return false
      if (ends.length >= MAX_NESTING) return true
      ends.push(value + len - 1)
      pos = value + 4
      continue
    }
    const next = elementEnd(b, type, value)
    if (next === undefined || next > end) return false
    pos = next
  }
  return false
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
  for (let i = 0; i < n; i++) {
    out[i] = attachRaw(readDocument(b, i), recordOriginal(b, i))
  }
  return out
}
