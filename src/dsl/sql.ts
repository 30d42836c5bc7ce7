/**
 * The `sql` tagged template: raw SQL fragments for defaults, checks, generated columns and index
 * expressions. Interpolated columns become their (quoted) column names, strings become literals,
 * numbers are inlined, nested fragments are spliced in.
 */
import { ident } from '../sqlgen/quote.js'

const SQL_BRAND: unique symbol = Symbol.for('cairn.dsl.sql') as never

/** Anything that can name a column inside an SQL fragment. */
export interface ColumnNameRef {
  readonly name: string
}

/** A raw SQL fragment. */
export interface SQL {
  readonly [SQL_BRAND]: true
  /** The fragment's text with columns as bare (quoted) names. */
  readonly text: string
  /** Columns referenced by interpolation, for validation. */
  readonly columns: readonly ColumnNameRef[]
}

/** True when `v` is an SQL fragment made by `sql`. */
export function isSQL(v: unknown): v is SQL {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SQL_BRAND] === true
}

function isColumnRef(v: unknown): v is ColumnNameRef & { readonly $column: true } {
  return typeof v === 'object' && v !== null && (v as { $column?: unknown }).$column === true
}

function make(text: string, columns: readonly ColumnNameRef[]): SQL {
  return { [SQL_BRAND]: true, text, columns }
}

function quoteLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`
}

function interpolate(value: unknown, columns: ColumnNameRef[]): string {
  if (isSQL(value)) {
    columns.push(...value.columns)
    return value.text
  }
  if (isColumnRef(value)) {
    columns.push(value)
    return ident(value.name)
  }
  if (typeof value === 'string') return quoteLiteral(value)
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value === null) return 'NULL'
  throw new TypeError(`cannot interpolate ${typeof value} into sql\`…\``)
}

/** Builds a raw SQL fragment: sql`lower(${users.email})`. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SQL {
  const columns: ColumnNameRef[] = []
  let text = strings[0]
  values.forEach((v, i) => {
    text += interpolate(v, columns) + strings[i + 1]
  })
  return make(text, columns)
}

/** A fragment from a plain string, taken verbatim. */
sql.raw = (text: string): SQL => make(text, [])

/** A quoted identifier fragment. */
sql.ident = (name: string): SQL => make(ident(name), [])
