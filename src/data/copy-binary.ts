/**
 * PostgreSQL's binary COPY format for the common column types. Postgres then skips the text input
 * functions (timestamp and uuid parsing are most of COPY's own work) and JavaScript skips escaping
 * and date formatting. Only values whose binary form is unambiguous are encoded here: anything else
 * (a timestamp given as text, a uuid in an unusual spelling, a wrapped BSON number) makes the
 * encoder answer `false`, and the caller loads that data as text instead, where Postgres decides as
 * it always does.
 */
import * as convert from './convert.js'
import type { EncodedColumn } from './copy-format.js'
import { columnText } from './copy-format.js'

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
// Microseconds and days between the Unix epoch and Postgres' (2000-01-01).
const PG_EPOCH_MS = 946_684_800_000
const MS_PER_DAY = 86_400_000
const TWO_32 = 4_294_967_296

type BinaryKind = 'text' | 'uuid' | 'int2' | 'int4' | 'int8' | 'float4' | 'float8' | 'bool' | 'timestamp' | 'date' | 'bytea' | 'json' | 'jsonb'

function binaryKind(c: EncodedColumn): BinaryKind | undefined {
  if (c.element !== undefined) return undefined
  const t = c.type.replace(/\(.*\)/, '').trim()
  switch (c.kind) {
    case 'text':
      return 'text'
    case 'uuid':
      return 'uuid'
    case 'int':
      return t === 'smallint' ? 'int2' : 'int4'
    case 'bigint':
      return 'int8'
    case 'float':
      return t === 'real' ? 'float4' : 'float8'
    case 'bool':
      return 'bool'
    case 'timestamp':
      return 'timestamp'
    case 'date':
      return 'date'
    case 'bytea':
      return 'bytea'
    case 'json':
      return t === 'jsonb' ? 'jsonb' : 'json'
    default:
      return undefined
  }
}

/** Encodes one row into a writer; false when a value has no unambiguous binary form. */
export type BinaryRowEncoder = (row: Readonly<Record<string, unknown>>, w: BinaryWriter) => boolean

/** A binary row encoder for `columns`, or undefined when a column type has no binary support here. */
export function binaryEncoder(columns: readonly EncodedColumn[]): BinaryRowEncoder | undefined {
  const kinds = columns.map(binaryKind)
  if (kinds.some((k) => k === undefined)) return undefined
  const names = columns.map((c) => c.name)
  const ks = kinds as BinaryKind[]
  const n = columns.length
  return (row, w) => {
    const mark = w.length
    w.int16(n)
    for (let i = 0; i < n; i++) {
      const v = row[names[i]!]
      if (v === null || v === undefined) {
        w.int32(-1)
        continue
      }
      let ok: boolean
      try {
        ok = encodeValue(v, ks[i]!, columns[i]!, w)
      } catch {
        // A value the text encoding refuses (or reports) better: let the text path handle it.
        ok = false
      }
      if (!ok) {
        w.length = mark
        return false
      }
    }
    return true
  }
}

function encodeValue(v: unknown, kind: BinaryKind, c: EncodedColumn, w: BinaryWriter): boolean {
  switch (kind) {
    case 'text':
      w.text(typeof v === 'string' ? v : columnText(v, c)!)
      return true
    case 'uuid':
      return w.uuid(typeof v === 'string' ? v : convert.uuid(v)!)
    case 'int2':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -32768 || v > 32767) return false
      w.int32(2)
      w.int16(v)
      return true
    case 'int4':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -2147483648 || v > 2147483647) return false
      w.int32(4)
      w.int32(v)
      return true
    case 'int8':
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v)) return false
        w.int32(8)
        w.int64(v)
        return true
      }
      if (typeof v === 'bigint') {
        if (v < -(2n ** 63n) || v >= 2n ** 63n) return false
        w.int32(8)
        w.bigint64(v)
        return true
      }
      return false
    case 'float4':
    case 'float8':
      if (typeof v !== 'number') return false
      if (kind === 'float4') {
        w.int32(4)
        w.float32(v)
      } else {
        w.int32(8)
        w.float64(v)
      }
      return true
    case 'bool':
      if (typeof v !== 'boolean') return false
      w.int32(1)
      w.byte(v ? 1 : 0)
      return true
    case 'timestamp': {
      if (!(v instanceof Date)) return false
      // Microseconds since 2000-01-01, exact in a double for about ±285 years around it; beyond
      // that (or for an invalid date) the text form decides.
      const us = (v.getTime() - PG_EPOCH_MS) * 1000
      if (!Number.isSafeInteger(us)) return false
      w.int32(8)
      w.int64(us)
      return true
    }
    case 'date': {
      if (!(v instanceof Date)) return false
      const ms = v.getTime()
      if (!(Math.abs(ms) < 9e12)) return false
      w.int32(4)
      w.int32(Math.floor((ms - PG_EPOCH_MS) / MS_PER_DAY))
      return true
    }
    case 'bytea': {
      if (typeof v === 'string') return false
      const b = convert.bytes(v)!
      w.int32(b.length)
      w.bytes(b)
      return true
    }
    case 'json':
      w.text(JSON.stringify(convert.toJson(v)))
      return true
    case 'jsonb':
      w.text(JSON.stringify(convert.toJson(v)), 1)
      return true
  }
}

const HEX_VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i
}

/** A growable buffer of binary COPY data: signature, tuples, trailer. */
export class BinaryWriter {
  length = 0
  private buf: Buffer

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafeSlow(capacity)
    this.bytes(SIGNATURE)
    this.int32(0) // flags
    this.int32(0) // header extension length
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + n))
    this.buf.copy(next, 0, 0, this.length)
    this.buf = next
  }

  byte(v: number): void {
    this.room(1)
    this.buf[this.length++] = v
  }

  int16(v: number): void {
    this.room(2)
    this.buf.writeInt16BE(v, this.length)
    this.length += 2
  }

  int32(v: number): void {
    this.room(4)
    this.buf.writeInt32BE(v, this.length)
    this.length += 4
  }

  /** A safe integer as a signed 64-bit big-endian value. */
  int64(v: number): void {
    this.room(8)
    const hi = Math.floor(v / TWO_32)
    this.buf.writeInt32BE(hi, this.length)
    this.buf.writeUInt32BE(v - hi * TWO_32, this.length + 4)
    this.length += 8
  }

  bigint64(v: bigint): void {
    this.room(8)
    this.buf.writeBigInt64BE(v, this.length)
    this.length += 8
  }

  float32(v: number): void {
    this.room(4)
    this.buf.writeFloatBE(v, this.length)
    this.length += 4
  }

  float64(v: number): void {
    this.room(8)
    this.buf.writeDoubleBE(v, this.length)
    this.length += 8
  }

  bytes(b: Uint8Array): void {
    this.room(b.length)
    this.buf.set(b, this.length)
    this.length += b.length
  }

  /** A length-prefixed UTF-8 field, optionally after a version byte (jsonb). */
  text(s: string, version?: number): void {
    const extra = version === undefined ? 0 : 1
    this.room(4 + extra + s.length * 3)
    const at = this.length
    if (version !== undefined) this.buf[at + 4] = version
    const n = this.buf.write(s, at + 4 + extra, 'utf8')
    this.buf.writeInt32BE(n + extra, at)
    this.length = at + 4 + extra + n
  }

  /** A uuid field from its canonical text (with or without hyphens, any case); false otherwise. */
  uuid(s: string): boolean {
    const len = s.length
    if (len !== 36 && len !== 32) return false
    this.room(20)
    const buf = this.buf
    const at = this.length + 4
    let k = 0
    for (let i = 0; i < len && k < 32; i++) {
      const c = s.charCodeAt(i)
      if (c === 45 && len === 36 && (i === 8 || i === 13 || i === 18 || i === 23)) continue
      const h = c < 128 ? HEX_VALUE[c]! : -1
      if (h < 0) return false
      if (k & 1) buf[at + (k >> 1)] = (buf[at + (k >> 1)]! << 4) | h
      else buf[at + (k >> 1)] = h
      k++
    }
    if (k !== 32) return false
    buf.writeInt32BE(16, this.length)
    this.length += 20
    return true
  }

  /** The data with the trailer, in a buffer of its own (transferable). */
  finish(): Uint8Array {
    this.int16(-1)
    const out = Buffer.allocUnsafeSlow(this.length)
    this.buf.copy(out, 0, 0, this.length)
    return out
  }
}
