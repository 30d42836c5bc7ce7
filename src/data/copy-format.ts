/**
 * Encoding of mapped rows into PostgreSQL's COPY text format, column type by column type. The same
 * encoding feeds the load (COPY … FROM STDIN) and the verify pass, so both see identical values.
 */
import type { ColumnDef, TableDef } from '../model/types.js'
import * as convert from './convert.js'

/** How a column's values are encoded; derived once per column from its type. */
export type ValueKind = 'text' | 'uuid' | 'int' | 'bigint' | 'float' | 'numeric' | 'bool' | 'timestamp' | 'date' | 'bytea' | 'json' | 'other'

/** A column prepared for encoding. */
export interface EncodedColumn {
  readonly name: string
  readonly type: string
  readonly kind: ValueKind
  /** Element kind for array types (`text[]`), else undefined. */
  readonly element?: ValueKind
}

/** The encoding kind of a Postgres type name as format_type() spells it. */
export function valueKind(type: string): ValueKind {
  const t = type.replace(/\(.*\)/, '').trim()
  if (t === 'text' || t.startsWith('character') || t === 'citext' || t === 'name') return 'text'
  if (t === 'uuid') return 'uuid'
  if (t === 'integer' || t === 'smallint') return 'int'
  if (t === 'bigint') return 'bigint'
  if (t === 'real' || t === 'double precision') return 'float'
  if (t === 'numeric') return 'numeric'
  if (t === 'boolean') return 'bool'
  if (t.startsWith('timestamp')) return 'timestamp'
  if (t === 'date') return 'date'
  if (t === 'bytea') return 'bytea'
  if (t === 'jsonb' || t === 'json') return 'json'
  return 'other'
}

/** Columns a backfill may write: all but generated columns and GENERATED ALWAYS identities. */
export function writableColumns(table: TableDef): EncodedColumn[] {
  return table.columns.filter((c) => !c.generated && c.identity !== 'always').map(encodedColumn)
}

/** Prepares one column for encoding. */
export function encodedColumn(c: Pick<ColumnDef, 'name' | 'type'>): EncodedColumn {
  if (c.type.endsWith('[]')) {
    return { name: c.name, type: c.type, kind: 'other', element: valueKind(c.type.replace(/(\[\])+$/, '')) }
  }
  return { name: c.name, type: c.type, kind: valueKind(c.type) }
}

const bsonType = (v: unknown): string | undefined =>
  v !== null && typeof v === 'object' ? (v as { _bsontype?: string })._bsontype : undefined

/** The text a Postgres input function accepts for `v` in a column of `kind` (null for SQL NULL). */
export function scalarText(v: unknown, kind: ValueKind, column: string, type: string): string | null {
  if (v === null || v === undefined) return null
  try {
    switch (kind) {
      case 'json':
        return JSON.stringify(convert.toJson(v))
      case 'uuid':
        return typeof v === 'string' ? v : convert.uuid(v)!
      case 'int':
      case 'bigint':
      case 'numeric':
      case 'float':
        if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity'
        if (typeof v === 'string' || typeof v === 'bigint') return String(v)
        return convert.decimal(v)!
      case 'bool':
        if (typeof v === 'boolean') return v ? 't' : 'f'
        if (typeof v === 'string') return v
        break
      case 'timestamp':
        if (typeof v === 'string') return v
        if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString()
        return convert.timestamp(v)!
      case 'date':
        if (typeof v === 'string') return v
        return convert.timestamp(v)!.slice(0, 10)
      case 'bytea':
        if (typeof v === 'string') return v
        return '\\x' + convert.bytes(v)!.toString('hex')
      default: {
        if (typeof v === 'string') return v
        if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v)
        if (v instanceof Date) return convert.timestamp(v)!
        const t = bsonType(v)
        if (t === 'ObjectId') return convert.objectIdHex(v)!
        if (t === 'Int32' || t === 'Double' || t === 'Long' || t === 'Decimal128') return convert.decimal(v)!
        if (t === 'BSONRegExp' || v instanceof RegExp) return convert.regexText(v)!
        if (t === 'Binary') return (v as { sub_type: number }).sub_type === 4 ? convert.uuid(v)! : '\\x' + convert.bytes(v)!.toString('hex')
        if (kind === 'text') return JSON.stringify(convert.toJson(v))
      }
    }
  } catch (e) {
    throw convert.conversionError(column, type, v, (e as Error).message)
  }
  throw convert.conversionError(column, type, v)
}

/** A Postgres array literal (`{a,"b c",NULL}`) of `values`, nested arrays allowed. */
export function arrayLiteral(values: readonly unknown[], kind: ValueKind, column: string, type: string): string {
  const parts = values.map((v) => {
    if (Array.isArray(v)) return arrayLiteral(v, kind, column, type)
    const s = scalarText(v, kind, column, type)
    if (s === null) return 'NULL'
    return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"'
  })
  return '{' + parts.join(',') + '}'
}

/** The text of one value for column `c`, or null for SQL NULL. */
export function columnText(v: unknown, c: EncodedColumn): string | null {
  if (v === null || v === undefined) return null
  if (c.element !== undefined) {
    if (!Array.isArray(v)) throw convert.conversionError(c.name, c.type, v, 'expected an array')
    return arrayLiteral(v, c.element, c.name, c.type)
  }
  return scalarText(v, c.kind, c.name, c.type)
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** Escapes one field for COPY text format (NULL is `\N`). */
export function copyField(s: string | null): string {
  if (s === null) return '\\N'
  return needsEscape(s) ? s.replace(/[\\\n\r\t]/g, (ch) => ESCAPES[ch]!) : s
}

// A loop for short strings (ids, names: cheaper than entering the regex engine), the regex for long ones.
function needsEscape(s: string): boolean {
  if (s.length > 48) return /[\\\n\r\t]/.test(s)
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 92 || c === 10 || c === 13 || c === 9) return true
  }
  return false
}

/** One COPY text line (with the trailing newline) for `row` over `columns`. */
export function copyLine(row: Readonly<Record<string, unknown>>, columns: readonly EncodedColumn[]): string {
  return lineEncoder(columns)(row)
}

/** Encodes one row into its COPY text line. */
export type LineEncoder = (row: Readonly<Record<string, unknown>>) => string

const encoders = new WeakMap<readonly EncodedColumn[], LineEncoder>()

/**
 * A line encoder compiled for one column list: straight-line code with the common value types
 * (strings, finite numbers, booleans, valid Dates) inlined per column kind; everything else goes
 * through columnText/copyField, so the output is that of encoding field by field. Strings are always
 * escaped: a tab or newline inside a value must never shift columns or start a row.
 */
export function lineEncoder(columns: readonly EncodedColumn[]): LineEncoder {
  let enc = encoders.get(columns)
  if (enc) return enc
  const body: string[] = ['let s = "", v']
  columns.forEach((c, i) => {
    const sep = i === 0 ? '' : '"\\t" + '
    const slow = `esc(text(v, cols[${i}]))`
    let fast: string
    if (c.element !== undefined) fast = slow
    else {
      switch (c.kind) {
        case 'int':
        case 'bigint':
        case 'float':
        case 'numeric':
          fast = `typeof v === "number" && Number.isFinite(v) ? "" + v : typeof v === "string" ? esc(v) : ${slow}`
          break
        case 'bool':
          fast = `v === true ? "t" : v === false ? "f" : ${slow}`
          break
        case 'timestamp':
          fast = `v instanceof Date && v.getTime() === v.getTime() ? v.toISOString() : typeof v === "string" ? esc(v) : ${slow}`
          break
        case 'json':
          fast = slow
          break
        default:
          fast = `typeof v === "string" ? esc(v) : ${slow}`
      }
    }
    body.push(`v = row[${JSON.stringify(c.name)}]`, `s += ${sep}(v === null || v === undefined ? "\\\\N" : ${fast})`)
  })
  body.push('return s + "\\n"')
  const make = new Function('cols', 'text', 'esc', `return function encodeLine(row) {\n  ${body.join('\n  ')}\n}`) as (
    cols: readonly EncodedColumn[],
    text: typeof columnText,
    esc: typeof copyField,
  ) => LineEncoder
  enc = make(columns, columnText, copyField)
  encoders.set(columns, enc)
  return enc
}
