/**
 * zod schemas for BSON values as sources hand them out. Sources keep numbers wrapped (Int32,
 * Double, Long, Decimal128: `promoteValues: false`) so that types survive; these schemas accept
 * both wrapped and plain values and output plain JavaScript ones (or keep the BSON value where
 * that is the point, as for ObjectId).
 */
import { z } from 'zod'
import type { Binary, BSONRegExp, ObjectId } from 'bson'
import * as convert from './convert.js'

const typeOf = (v: unknown): string | undefined => (v !== null && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined)

const NUMERIC = new Set(['Int32', 'Double', 'Long', 'Decimal128'])

/** An ObjectId (kept as the BSON value). */
export function objectId() {
  return z.custom<ObjectId>((v) => typeOf(v) === 'ObjectId', { message: 'expected an ObjectId' })
}

/** Any BSON number (Int32, Double, Long, Decimal128) or a JavaScript number, as a number. */
export function number() {
  return z
    .custom<unknown>((v) => typeof v === 'number' || typeof v === 'bigint' || NUMERIC.has(typeOf(v) ?? ''), { message: 'expected a number' })
    .transform((v) => convert.toNumber(v) as number)
}

/** A whole number within Postgres `integer`. */
export function int() {
  return number().pipe(z.number().int().min(-2147483648).max(2147483647))
}

/** A Long / Int32 / integral number as a bigint (exact beyond 2^53). */
export function long() {
  return z
    .custom<unknown>((v) => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || typeOf(v) === 'Int32' || typeOf(v) === 'Long', {
      message: 'expected an integer (Int32 or Long)',
    })
    .transform((v) => BigInt(convert.bigintText(v)!))
}

/** A Decimal128 (or any number) as exact numeric text, e.g. '19.90'. */
export function decimal() {
  return z
    .custom<unknown>((v) => typeof v === 'number' || NUMERIC.has(typeOf(v) ?? ''), { message: 'expected a decimal number' })
    .transform((v) => convert.decimal(v)!)
}

/** A BSON date. */
export function date() {
  return z.custom<Date>((v) => v instanceof Date && !Number.isNaN(v.getTime()), { message: 'expected a date' })
}

/** Binary data of any subtype, as a Buffer. */
export function binary() {
  return z.custom<Binary>((v) => typeOf(v) === 'Binary' || v instanceof Uint8Array, { message: 'expected binary data' }).transform((v) => convert.bytes(v)!)
}

/** A UUID (Binary subtype 4) or UUID text, as lower-case hyphenated text. */
export function uuid() {
  return z
    .custom<unknown>((v) => (typeOf(v) === 'Binary' && (v as Binary).sub_type === 4) || (typeof v === 'string' && /^[0-9a-f-]{32,36}$/i.test(v)), {
      message: 'expected a UUID',
    })
    .transform((v) => convert.uuid(v)!)
}

/** A BSON regular expression (kept as the BSON value). */
export function regex() {
  return z.custom<BSONRegExp>((v) => typeOf(v) === 'BSONRegExp' || v instanceof RegExp, { message: 'expected a regular expression' })
}

/** Any value kept as is (nested documents and arrays headed for jsonb). */
export function any() {
  return z.custom<unknown>(() => true)
}
