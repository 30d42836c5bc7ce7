/**
 * Conversions from BSON values (as the `bson` package represents them) to the JavaScript values the
 * backfill writes into Postgres columns. Every function accepts both promoted values (plain
 * numbers) and wrapped ones (Int32, Double, Long, Decimal128), and passes null and undefined
 * through so that "null" and "missing" stay distinguishable until the row is built.
 */
import { EJSON, type Document } from 'bson'
import { CairnError } from '../errors.js'
import { uuidv5 } from './uuidv5.js'

export { CAIRN_UUID_NAMESPACE, uuidv5 } from './uuidv5.js'

type Bsonish = { _bsontype?: string }
const bsonType = (v: unknown): string | undefined =>
  v !== null && typeof v === 'object' ? (v as Bsonish)._bsontype : undefined

/** A stable text key for an `_id` value: ObjectId hex, the string itself, else canonical EJSON. */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return id
  const t = bsonType(id)
  if (t === 'ObjectId') return (id as { toHexString(): string }).toHexString()
  if (typeof id === 'number' || typeof id === 'bigint' || t === 'Int32' || t === 'Long' || t === 'Double') return String(numberish(id))
  return EJSON.stringify({ v: id } as Document, { relaxed: false })
}

/**
 * The deterministic UUID of document `id` of `collection`: UUIDv5 over `collection` + `id`, so a
 * reference such as `message.user` maps to the same UUID as the user's own `_id`.
 */
export function deterministicUuid(collection: string, id: unknown): string {
  return uuidv5(`${collection}/${idKey(id)}`)
}

function numberish(v: unknown): number | bigint | string {
  if (typeof v === 'number' || typeof v === 'bigint') return v
  const t = bsonType(v)
  if (t === 'Int32' || t === 'Double') return (v as { value: number }).value
  if (t === 'Long') return (v as { toBigInt(): bigint }).toBigInt()
  if (t === 'Decimal128') return (v as object).toString()
  throw new TypeError(`not a number: ${describe(v)}`)
}

/** A short description of a value for error messages. */
export function describe(v: unknown): string {
  if (v === null) return 'null'
  if (v === undefined) return 'missing'
  const t = bsonType(v)
  if (t) return t
  if (v instanceof Date) return 'Date'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

/** ObjectId → 24-character hex; strings pass through. */
export function objectIdHex(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  if (typeof v === 'string') return v
  if (bsonType(v) === 'ObjectId') return (v as { toHexString(): string }).toHexString()
  throw new TypeError(`expected an ObjectId, got ${describe(v)}`)
}

/** Date (or epoch milliseconds, or an ISO string) → ISO-8601 text for timestamptz. */
export function timestamp(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  let d: Date
  if (v instanceof Date) d = v
  else if (typeof v === 'number') d = new Date(v)
  else if (typeof v === 'string') d = new Date(v)
  else if (bsonType(v) === 'Long' || bsonType(v) === 'Int32' || bsonType(v) === 'Double') d = new Date(Number(numberish(v)))
  else throw new TypeError(`expected a date, got ${describe(v)}`)
  if (Number.isNaN(d.getTime())) throw new TypeError(`invalid date: ${String(v)}`)
  return d.toISOString()
}

/** Decimal128 (or any number) → exact numeric text, e.g. '12.50'. */
export function decimal(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  if (typeof v === 'string') return v
  const n = numberish(v)
  if (typeof n === 'number' && !Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  return String(n)
}

/** Long / Int32 / number → bigint text (exact beyond 2^53). */
export function bigintText(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return v
  const n = numberish(v)
  if (typeof n === 'number' && !Number.isInteger(n)) throw new TypeError(`not an integer: ${n}`)
  return String(n)
}

/** Int32 / Double / Long / Decimal128 / numeric string → JavaScript number. */
export function toNumber(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return v
  if (typeof v === 'string') {
    const n = Number(v)
    if (v.trim() === '' || Number.isNaN(n)) throw new TypeError(`not a number: ${JSON.stringify(v)}`)
    return n
  }
  return Number(numberish(v))
}

/** An integer that fits Postgres `integer`; rounds nothing, throws on fractions or overflow. */
export function toInt(v: unknown): number | null | undefined {
  const n = toNumber(v)
  if (n === null || n === undefined) return n
  if (!Number.isInteger(n) || n > 2147483647 || n < -2147483648) throw new TypeError(`not a 32-bit integer: ${n}`)
  return n
}

/** Binary (any subtype) / Buffer / Uint8Array → Buffer for bytea. */
export function bytes(v: unknown): Buffer | null | undefined {
  if (v === null || v === undefined) return v
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
  if (bsonType(v) === 'Binary') {
    const b = v as { buffer: Uint8Array; position: number }
    return Buffer.from(b.buffer.buffer, b.buffer.byteOffset, b.position)
  }
  throw new TypeError(`expected binary data, got ${describe(v)}`)
}

/** UUID / Binary subtype 4 / UUID string → hyphenated lower-case uuid text. */
export function uuid(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  if (typeof v === 'string') {
    if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v)) throw new TypeError(`not a UUID: ${JSON.stringify(v)}`)
    const x = v.replace(/-/g, '').toLowerCase()
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
  }
  const t = bsonType(v)
  if (t === 'Binary' && (v as { sub_type: number }).sub_type === 4) {
    const x = bytes(v)!.toString('hex')
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
  }
  throw new TypeError(`expected a UUID, got ${describe(v)}`)
}

/** BSONRegExp / RegExp → `/pattern/flags` text. */
export function regexText(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return v
  if (v instanceof RegExp) return String(v)
  if (bsonType(v) === 'BSONRegExp') {
    const r = v as { pattern: string; options: string }
    return `/${r.pattern}/${r.options}`
  }
  throw new TypeError(`expected a regular expression, got ${describe(v)}`)
}

/**
 * Any BSON value → plain JSON for a jsonb column: ObjectId → hex, Date → ISO text, Decimal128 →
 * text (exact), Long → number when safe else text, Int32/Double → number, Binary → base64,
 * UUID → uuid text, regex → `/p/f`, non-finite doubles → text; documents and arrays recursively.
 */
export function toJson(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v)
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (Array.isArray(v)) return v.map(toJson)
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  switch (bsonType(v)) {
    case 'ObjectId': return objectIdHex(v)
    case 'Int32': case 'Double': return toJson((v as { value: number }).value)
    case 'Long': return toJson((v as { toBigInt(): bigint }).toBigInt())
    case 'Decimal128': return (v as object).toString()
    case 'Binary': return (v as { sub_type: number }).sub_type === 4 ? uuid(v) : bytes(v)!.toString('base64')
    case 'BSONRegExp': return regexText(v)
    case 'Timestamp': return (v as object).toString()
    case 'BSONSymbol': return (v as object).toString()
    case 'MinKey': case 'MaxKey': case 'Code': case 'DBRef': return EJSON.serialize(v as Document, { relaxed: true })
    case undefined: {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v as object)) if (x !== undefined) out[k] = toJson(x)
      return out
    }
    default: throw new TypeError(`cannot convert ${describe(v)} to JSON`)
  }
}

/** Any BSON value → relaxed Extended JSON (lossless for types, e.g. `{"$oid": …}`), for jsonb. */
export function toEjson(v: unknown): unknown {
  if (v === null || v === undefined) return null
  return EJSON.serialize({ v } as Document, { relaxed: true }).v
}

/** Throws a usage error for a value that cannot go into a column type. */
export function conversionError(column: string, type: string, v: unknown, reason?: string): CairnError {
  return new CairnError('backfill_bad_value', `column ${column} (${type}) cannot take ${describe(v)}${reason ? `: ${reason}` : ''}`)
}
