/**
 * The source contract of the backfill: where legacy MongoDB documents come from. Implementations
 * live in src/data/sources/ (mongodump directory, Extended JSON lines, live driver); `memorySource`
 * below serves tests. Documents are `bson` package values (ObjectId, Decimal128, Long, Int32,
 * Double, Binary, UUID, BSONRegExp, Date, nested documents, arrays).
 *
 * Original bytes for rejects: a source MAY attach the document exactly as it was read under the
 * non-enumerable symbol property `RAW_DOCUMENT` (a `Uint8Array` of the BSON document for dump and
 * driver sources, or the original Extended JSON line as a `string` for EJSON sources). The engine
 * stores that in `cairn.backfill_rejects` so a rejected document is kept byte-for-byte; without it
 * the engine falls back to canonical EJSON of the parsed document.
 */
import { BSON, EJSON, type Document } from 'bson'
import type { RawBatch } from './raw-batch.js'

export interface SourceReadOptions {
  /** Only documents whose `_id` sorts strictly after this BSON value (resume point). */
  afterId?: unknown
  /** Maximum documents per yielded batch. */
  batchSize: number
  signal?: AbortSignal
}

/** A readable set of MongoDB collections. */
export interface Source {
  /** Where the documents come from, safe to print, e.g. 'mongodump:/path/db'. */
  readonly description: string
  /** Documents of one collection in ascending _id order, strictly after `afterId`, in batches. */
  batches(collection: string, options: SourceReadOptions): AsyncIterable<Document[]>
  /**
   * The same batches as stored bytes, decoded on demand (BSON or Extended JSON records back to back).
   * Sources that can offer it should: the backfill then keeps no parsed documents around and can
   * hand batches to worker threads.
   */
  rawBatches?(collection: string, options: SourceReadOptions): AsyncIterable<RawBatch>
  /** Number of documents in the collection. */
  count(collection: string): Promise<number>
  close(): Promise<void>
}

/** Symbol under which a source may attach a document's original bytes (BSON) or EJSON line. */
export const RAW_DOCUMENT: unique symbol = Symbol.for('cairn.rawDocument') as never

/** Attaches the original bytes/line of a document as a non-enumerable property; returns the document. */
export function attachRaw<T extends Document>(doc: T, raw: Uint8Array | string): T {
  Object.defineProperty(doc, RAW_DOCUMENT, { value: raw, enumerable: false, configurable: true })
  return doc
}

/** The original bytes/line a source attached to a document, if any. */
export function rawOf(doc: Document): Uint8Array | string | undefined {
  return (doc as { [RAW_DOCUMENT]?: Uint8Array | string })[RAW_DOCUMENT]
}

/** The original document as text: the EJSON line as read, or canonical EJSON of the original BSON bytes. */
export function originalText(doc: Document): string {
  const raw = rawOf(doc)
  if (typeof raw === 'string') return raw
  if (raw) return EJSON.stringify(BSON.deserialize(raw, { promoteValues: false, bsonRegExp: true }), { relaxed: false })
  return EJSON.stringify(doc, { relaxed: false })
}

// BSON comparison order of type brackets (MongoDB "Comparison/Sort Order").
const NUMBER = 2
function bracket(v: unknown): number {
  if (v === undefined) return 0
  if (v === null) return 1
  if (typeof v === 'number' || typeof v === 'bigint') return NUMBER
  if (typeof v === 'string') return 3
  if (typeof v === 'boolean') return 8
  if (v instanceof Date) return 9
  if (Array.isArray(v)) return 5
  const bt = (v as { _bsontype?: string })._bsontype
  switch (bt) {
    case 'MinKey': return -1
    case 'Int32': case 'Double': case 'Long': case 'Decimal128': return NUMBER
    case 'BSONSymbol': return 3
    case 'Binary': return 6
    case 'ObjectId': return 7
    case 'Timestamp': return 10
    case 'BSONRegExp': return 11
    case 'MaxKey': return 12
    default: return v instanceof Uint8Array ? 6 : 4
  }
}

function numeric(v: unknown): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v
  const o = v as { _bsontype: string; value?: number; toBigInt?: () => bigint; toString(): string }
  if (o._bsontype === 'Long') return o.toBigInt!()
  if (o._bsontype === 'Decimal128') return Number(o.toString())
  return Number(o.value)
}

function cmpNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const x = typeof a === 'bigint' ? a : b
    const y = (typeof a === 'bigint' ? b : a) as number
    if (Number.isNaN(y)) return typeof a === 'bigint' ? 1 : -1
    // Exact when the double is integral; otherwise compare against its floor.
    const fy = Number.isFinite(y) ? BigInt(Math.floor(y)) : y > 0 ? null : undefined
    let r: number
    if (fy === null) r = -1
    else if (fy === undefined) r = 1
    else r = x < fy ? -1 : x > fy ? 1 : Number.isInteger(y) ? 0 : 1
    return typeof a === 'bigint' ? r : -r
  }
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1
  if (Number.isNaN(b)) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

function cmpBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

function cmpStrings(a: string, b: string): number {
  // UTF-8 byte order equals code-point order (MongoDB's default "simple" collation).
  return cmpBytes(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * Compares two `_id` values in MongoDB's BSON sort order. Exact for the common cases (ObjectId,
 * numbers of any BSON numeric type, strings under the simple collation, dates, booleans, binary,
 * UUID); documents and arrays as ids are compared by their canonical EJSON text, which only
 * approximates MongoDB's field-by-field order.
 */
export function compareIds(a: unknown, b: unknown): number {
  const ba = bracket(a)
  const bb = bracket(b)
  if (ba !== bb) return ba - bb
  switch (ba) {
    case NUMBER: return cmpNumbers(numeric(a), numeric(b))
    case 3: return cmpStrings(String(a), String(b))
    case 6: {
      const x = a as { buffer?: Uint8Array; sub_type?: number; position?: number }
      const y = b as { buffer?: Uint8Array; sub_type?: number; position?: number }
      const xa = a instanceof Uint8Array ? a : x.buffer!.subarray(0, x.position)
      const ya = b instanceof Uint8Array ? b : y.buffer!.subarray(0, y.position)
      if (xa.length !== ya.length) return xa.length - ya.length
      if ((x.sub_type ?? 0) !== (y.sub_type ?? 0)) return (x.sub_type ?? 0) - (y.sub_type ?? 0)
      return cmpBytes(xa, ya)
    }
    case 7: return cmpBytes((a as { id: Uint8Array }).id, (b as { id: Uint8Array }).id)
    case 8: return Number(a) - Number(b)
    case 9: return cmpNumbers((a as Date).getTime(), (b as Date).getTime())
    case 10: return cmpNumbers(BigInt((a as object).toString()), BigInt((b as object).toString()))
    case 0: case 1: case -1: case 12: return 0
    default: {
      const x = EJSON.stringify(a as Document, { relaxed: false })
      const y = EJSON.stringify(b as Document, { relaxed: false })
      return cmpStrings(x, y)
    }
  }
}

/** An in-memory source over plain arrays of documents (tests, small scripts); counts are exact. */
export function memorySource(collections: Record<string, Document[]>, description = 'memory'): Source {
  const sorted = new Map<string, Document[]>()
  const sortedOf = (name: string): Document[] => {
    let docs = sorted.get(name)
    if (!docs) {
      docs = [...(collections[name] ?? [])].sort((x, y) => compareIds(x._id, y._id))
      sorted.set(name, docs)
    }
    return docs
  }
  return {
    description,
    async *batches(collection, options) {
      const docs = sortedOf(collection)
      const size = Math.max(1, options.batchSize)
      // Binary search for the first document strictly after afterId.
      let lo = 0
      if (options.afterId !== undefined) {
        let hi = docs.length
        while (lo < hi) {
          const mid = (lo + hi) >>> 1
          if (compareIds(docs[mid]!._id, options.afterId) <= 0) lo = mid + 1
          else hi = mid
        }
      }
      for (let i = lo; i < docs.length; i += size) {
        if (options.signal?.aborted) return
        yield docs.slice(i, i + size)
      }
    },
    async count(collection) {
      return (collections[collection] ?? []).length
    },
    async close() {},
  }
}
