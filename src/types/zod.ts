/**
 * zod schemas of a table's rows, from the same definitions: `selectSchema(users)` for what a SELECT
 * returns, `insertSchema(users)` for what an INSERT takes. Each column's type says what its values
 * may be (enum labels, varchar(n) length, integer ranges, uuid text, numeric precision, …), the
 * CHECK constraints that map exactly add to it (see checks.ts), and `.$validate()` on a column adds
 * the application's own schema. Everything else is left to the database.
 */
import { z } from 'zod'
import type { AnyColumn, AnyTable, StandardSchemaLike } from '../dsl/index.js'
import { tableState } from '../dsl/table.js'
import type { ColumnsOf, InsertValue, NeverWritten, RequiredOnInsert, SelectValue } from './columns.js'
import type { CheckConstant, CheckRule, ColumnRule } from './checks.js'
import { checkRules } from './checks.js'
import type { Decimal } from './decimal.js'
import { compareDecimal, decimalOfNumber, fitsNumeric, parseDecimal } from './decimal.js'

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The zod object `selectSchema(table)` returns; `z.infer` of it is `table.$inferSelect`. */
export type SelectSchema<T extends AnyTable> = z.ZodObject<
  Simplify<{ -readonly [K in keyof ColumnsOf<T>]: z.ZodType<SelectValue<ColumnsOf<T>[K]>, SelectValue<ColumnsOf<T>[K]>> }>,
  z.core.$strip
>

type InsertShape<C> = Simplify<
  {
    -readonly [K in keyof C as NeverWritten<C[K]> extends true ? never : RequiredOnInsert<C[K]> extends true ? K : never]: z.ZodType<
      InsertValue<C[K]>,
      InsertValue<C[K]>
    >
  } & {
    -readonly [K in keyof C as NeverWritten<C[K]> extends true ? never : RequiredOnInsert<C[K]> extends true ? never : K]: z.ZodOptional<
      z.ZodType<InsertValue<C[K]>, InsertValue<C[K]>>
    >
  }
>

/**
 * The zod object `insertSchema(table)` returns: `table.$inferInsert` less the columns an INSERT may
 * not set (generated columns and GENERATED ALWAYS identities).
 */
export type InsertSchema<T extends AnyTable> = z.ZodObject<InsertShape<ColumnsOf<T>>, z.core.$strip>

/** The row `insertSchema(table)` accepts: what an INSERT may set. */
export type InsertRow<T extends AnyTable> = z.output<InsertSchema<T>>

type Mode = 'select' | 'insert'

/** The zod schema of the rows a SELECT of `table` returns (every column; nullable ones `| null`). */
export function selectSchema<T extends AnyTable>(table: T): SelectSchema<T> {
  return rowSchema(table, 'select') as never
}

/**
 * The zod schema of the rows an INSERT into `table` takes: columns with a default, an identity or
 * serial, and nullable columns are optional; generated columns and GENERATED ALWAYS identities are
 * not part of it (unknown keys are stripped, as zod does; `.strict()` refuses them instead).
 */
export function insertSchema<T extends AnyTable>(table: T): InsertSchema<T> {
  return rowSchema(table, 'insert') as never
}

// zod schemas are immutable: one per table and mode
const built = { select: new WeakMap<AnyTable, z.ZodObject>(), insert: new WeakMap<AnyTable, z.ZodObject>() }

function rowSchema(table: AnyTable, mode: Mode): z.ZodObject {
  let s = built[mode].get(table)
  if (!s) built[mode].set(table, (s = buildRowSchema(table, mode)))
  return s
}

function buildRowSchema(table: AnyTable, mode: Mode): z.ZodObject {
  const rules = checksOf(table)
  const shape: Record<string, z.ZodType> = {}
  for (const [key, col] of Object.entries(table.$columns)) {
    const cfg = col.config
    if (mode === 'insert' && (cfg.generated || cfg.identity === 'always')) continue
    const own = rules.get(col.name) ?? []
    let s = valueSchema(col, mode, own)
    // NOT NULL, or a check that says so
    const notNull = cfg.notNull || own.some((r) => r.rule.kind === 'notNull')
    if (!notNull) s = s.nullable()
    if (mode === 'insert' && (!notNull || cfg.default || cfg.identity || cfg.serial)) s = s.optional()
    shape[key] = s
  }
  return z.object(shape)
}

interface NamedRule extends CheckRule {
  readonly constraint: string
}

/** Recognised check rules by column SQL name (the table's own checks, a partition's parent's). */
function checksOf(table: AnyTable): Map<string, NamedRule[]> {
  const state = tableState(table)
  const source = (state?.partition?.parent.handle as AnyTable | undefined) ?? table
  const out = new Map<string, NamedRule[]>()
  for (const check of source.$def.checks) {
    for (const r of checkRules(check.expression)) {
      const list = out.get(r.column) ?? []
      list.push({ ...r, constraint: check.name })
      out.set(r.column, list)
    }
  }
  return out
}

// ---- one column's values -------------------------------------------------------------------------

type Kind =
  | { readonly k: 'enum'; readonly values: readonly string[] }
  /** `textual`: text and varchar, whose values compare and measure as the strings they are. */
  | { readonly k: 'string'; readonly textual: boolean; readonly max?: number; readonly padded?: boolean }
  | { readonly k: 'uuid' }
  | { readonly k: 'int'; readonly min: number; readonly max: number }
  | { readonly k: 'bigint'; readonly mode: 'number' | 'bigint' | 'string' }
  | { readonly k: 'numeric'; readonly precision?: number; readonly scale: number }
  /** `single`: real, whose values are compared in double precision against a check's constants. */
  | { readonly k: 'float'; readonly single: boolean }
  | { readonly k: 'boolean' }
  | { readonly k: 'date' }
  | { readonly k: 'timestamp' }
  | { readonly k: 'json' }
  | { readonly k: 'bytea' }
  | { readonly k: 'other' }

function kindOf(col: AnyColumn): Kind {
  const cfg = col.config
  if (cfg.enumRef) return { k: 'enum', values: cfg.enumRef.values }
  if (cfg.customType) return { k: 'other' }
  const t = cfg.baseType
  const vc = /^character varying(?:\((\d+)\))?$/.exec(t)
  if (vc) return vc[1] ? { k: 'string', textual: true, max: Number(vc[1]) } : { k: 'string', textual: true }
  const ch = /^character\((\d+)\)$/.exec(t)
  if (ch) return { k: 'string', textual: false, max: Number(ch[1]), padded: true }
  const num = /^numeric(?:\((\d+),(-?\d+)\))?$/.exec(t)
  if (num) return num[1] ? { k: 'numeric', precision: Number(num[1]), scale: Number(num[2]) } : { k: 'numeric', scale: 0 }
  if (/^timestamp\b/.test(t)) return { k: 'timestamp' }
  switch (t) {
    case 'uuid':
      return { k: 'uuid' }
    case 'smallint':
      return { k: 'int', min: -32768, max: 32767 }
    case 'integer':
      return { k: 'int', min: -2147483648, max: 2147483647 }
    case 'bigint':
      return { k: 'bigint', mode: cfg.bigintMode ?? 'number' }
    case 'real':
    case 'double precision':
      return { k: 'float', single: t === 'real' }
    case 'boolean':
      return { k: 'boolean' }
    case 'date':
      return { k: 'date' }
    case 'json':
    case 'jsonb':
      return { k: 'json' }
    case 'bytea':
      return { k: 'bytea' }
    case 'text':
      return { k: 'string', textual: true }
    case 'interval':
    case 'inet':
    case 'cidr':
    case 'macaddr':
    case 'tsvector':
      return { k: 'string', textual: false }
  }
  if (/^time\b/.test(t)) return { k: 'string', textual: false }
  return { k: 'other' }
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// uuid input: 32 hex digits, a hyphen allowed after any group of four, optionally in braces
const UUID_INPUT = /^(?:\{[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\}|[0-9a-f]{4}(?:-?[0-9a-f]{4}){7})$/i
const DATE_TEXT = /^(?:\d{4,}-\d{2}-\d{2}(?: BC)?|-?infinity)$/
const TIMESTAMP_TEXT = /^(?:\d{4,}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:\s*(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?))?(?: BC)?|-?infinity)$/i
const INT8_MIN = -(2n ** 63n)
const INT8_MAX = 2n ** 63n - 1n

/** Length in characters (code points), as Postgres counts it. */
function characters(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** Length in UTF-8 bytes. */
function octets(s: string): number {
  let n = 0
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
  }
  return n
}

/** The characters after the first `n`, to see whether they are only spaces (which Postgres drops). */
function after(s: string, n: number): string {
  let i = 0
  for (let k = 0; k < n && i < s.length; k++) {
    const c = s.charCodeAt(i)
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1
  }
  return s.slice(i)
}

function text(): z.ZodString {
  return z.string().refine((s) => !s.includes('\u0000'), { message: 'Postgres text cannot hold the character U+0000' })
}

function maxCharacters(max: number, mode: Mode): (s: string, ctx: z.RefinementCtx<string>) => void {
  return (s, ctx) => {
    if (s.length <= max || characters(s) <= max) return
    // an INSERT drops trailing spaces beyond the length instead of failing
    if (mode === 'insert' && /^ *$/.test(after(s, max))) return
    ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: s, message: `Too long: at most ${max} characters` })
  }
}

function decimalText(kind: Extract<Kind, { k: 'numeric' }>): (d: Decimal | undefined, v: unknown, ctx: z.RefinementCtx<unknown>) => void {
  return (d, v, ctx) => {
    if (!d) ctx.addIssue({ code: 'invalid_format', format: 'decimal', input: String(v), message: 'Invalid numeric value' })
    else if (kind.precision !== undefined && !fitsNumeric(d, kind.precision, kind.scale))
      ctx.addIssue({ code: 'too_big', origin: 'number', maximum: 10 ** (kind.precision - kind.scale), inclusive: false, input: v, message: `Out of range for numeric(${kind.precision},${kind.scale})` })
  }
}

/** The schema of one non-null value of the column's element type. */
function elementSchema(kind: Kind, mode: Mode): z.ZodType {
  switch (kind.k) {
    case 'enum':
      return z.enum(kind.values as [string, ...string[]])
    case 'string':
      return kind.max === undefined ? text() : text().superRefine(maxCharacters(kind.max, mode))
    case 'uuid':
      return mode === 'select' ? z.string().regex(UUID_TEXT, 'Invalid UUID') : z.string().regex(UUID_INPUT, 'Invalid UUID')
    case 'int':
      return z.number().int().min(kind.min).max(kind.max)
    case 'bigint':
      if (kind.mode === 'bigint') return z.bigint().min(INT8_MIN).max(INT8_MAX)
      if (kind.mode === 'string')
        return z
          .string()
          .regex(/^-?\d+$/, 'Invalid bigint')
          .refine((s) => BigInt(s) >= INT8_MIN && BigInt(s) <= INT8_MAX, { message: 'Out of range for bigint' })
      return z
        .number()
        .refine(Number.isInteger, { message: 'Invalid input: expected an integer' })
        .refine((n) => n >= -(2 ** 63) && n <= 2 ** 63, { message: 'Out of range for bigint' })
    case 'numeric': {
      const check = decimalText(kind)
      if (mode === 'select') return z.string().superRefine((s, ctx) => check(parseDecimal(s), s, ctx as never))
      return z.union([z.string(), z.number()]).superRefine((v, ctx) => check(typeof v === 'number' ? decimalOfNumber(v) : parseDecimal(v), v, ctx as never))
    }
    case 'float':
      // NaN and ±Infinity are values of real and double precision
      return z.custom<number>((v) => typeof v === 'number', { message: 'Invalid input: expected number' })
    case 'boolean':
      return z.boolean()
    case 'date':
      return z.string().regex(DATE_TEXT, 'Invalid date: expected YYYY-MM-DD')
    case 'timestamp':
      return mode === 'select' ? z.date() : z.union([z.date(), z.string().regex(TIMESTAMP_TEXT, 'Invalid timestamp')])
    case 'json':
      return z.json()
    case 'bytea':
      return z.instanceof(Uint8Array)
    case 'other':
      return z.custom<unknown>((v) => v !== undefined, { message: 'Invalid input: expected a value' })
  }
}

/** A value the check constant can be compared with, in the column's own terms. */
type Comparable = { readonly number: number } | { readonly decimal: Decimal } | { readonly string: string }

function comparable(kind: Kind, v: unknown): Comparable | undefined {
  if ((kind.k === 'int' || kind.k === 'float' || (kind.k === 'bigint' && kind.mode === 'number')) && typeof v === 'number') return { number: v }
  if (kind.k === 'numeric' || kind.k === 'bigint') {
    const d = typeof v === 'number' ? decimalOfNumber(v) : typeof v === 'bigint' || typeof v === 'string' ? parseDecimal(String(v)) : undefined
    return d ? { decimal: d } : undefined
  }
  if ((kind.k === 'string' || kind.k === 'enum') && typeof v === 'string') return { string: v }
  return undefined
}

/** Postgres' float order: NaN is above every other value and equal to itself. */
function compareFloat(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1
  return a < b ? -1 : a > b ? 1 : 0
}

function compare(value: Comparable, constant: CheckConstant): number | undefined {
  if ('string' in value) return 'string' in constant ? (value.string === constant.string ? 0 : 1) : undefined
  if (!('number' in constant)) return undefined
  if ('number' in value) return compareFloat(value.number, Number(constant.number))
  const c = parseDecimal(constant.number)
  return c ? compareDecimal(value.decimal, c) : undefined
}

const holds = (op: Extract<ColumnRule, { kind: 'compare' }>['op'], c: number): boolean =>
  op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '=' ? c === 0 : c !== 0

const STRING_CASTS = new Set(['text', 'character varying', 'varchar'])
const PLAIN_COLLATIONS = new Set(['C', 'POSIX', 'default', 'ucs_basic'])

/**
 * The test a rule puts on a non-null value, or undefined when the rule does not map exactly onto
 * this column (a cast that changes the value, a comparison a collation decides, a blank-padded type…).
 */
function ruleTest(col: AnyColumn, kind: Kind, r: CheckRule): ((v: unknown) => boolean) | undefined {
  const rule = r.rule
  if (rule.kind === 'notNull') return undefined
  // constants of the column's sort: numbers for lengths and numbers, strings for strings
  const numbers = rule.measure !== undefined || !(kind.k === 'string' || kind.k === 'enum')
  if ((rule.kind === 'compare' ? [rule.value] : rule.values).some((c) => ('number' in c) !== numbers)) return undefined
  const stringy = kind.k === 'enum' || (kind.k === 'string' && kind.textual)
  if (r.casts.some((c) => !STRING_CASTS.has(c)) || (r.casts.length && !stringy)) return undefined
  if (rule.measure) {
    if (!stringy || kind.k === 'enum') return undefined
    const measure = rule.measure === 'octets' ? octets : characters
    const at = (v: unknown) => (typeof v === 'string' ? { number: measure(v) } : undefined)
    return testWith(rule, at)
  }
  if (kind.k === 'string' || kind.k === 'enum') {
    if (!stringy) return undefined
    const collation = col.config.collation
    if (collation && !PLAIN_COLLATIONS.has(collation)) return undefined
    // strings compare only for (in)equality: order depends on the collation
    if (rule.kind === 'compare' && rule.op !== '=' && rule.op !== '<>') return undefined
  } else if (!(kind.k === 'int' || (kind.k === 'float' && !kind.single) || kind.k === 'bigint' || kind.k === 'numeric')) return undefined
  return testWith(rule, (v) => comparable(kind, v))
}

function testWith(rule: Exclude<ColumnRule, { kind: 'notNull' }>, at: (v: unknown) => Comparable | undefined): (v: unknown) => boolean {
  return (v) => {
    const x = at(v)
    if (!x) return true
    if (rule.kind === 'compare') {
      const c = compare(x, rule.value)
      return c === undefined || holds(rule.op, c)
    }
    const found = rule.values.some((c) => compare(x, c) === 0)
    return rule.negated ? !found : found
  }
}

function valueSchema(col: AnyColumn, mode: Mode, rules: readonly NamedRule[]): z.ZodType {
  const cfg = col.config
  const kind = kindOf(col)
  let s = elementSchema(kind, mode)
  if (cfg.arrayDims === 0) {
    // checks see the stored value: an INSERT cuts the spaces past a varchar's length
    const max = kind.k === 'string' && mode === 'insert' ? kind.max : undefined
    const stored = (v: unknown) => (max !== undefined && typeof v === 'string' && v.length > max ? v.slice(0, v.length - after(v, max).length) : v)
    for (const r of rules) {
      const test = ruleTest(col, kind, r)
      if (!test) continue
      s = s.superRefine((v, ctx) => {
        if (!test(stored(v))) ctx.addIssue({ code: 'custom', input: v, params: { constraint: r.constraint }, message: `Violates check constraint ${r.constraint}` })
      })
    }
  }
  const user = cfg.validate
  const replaces = kind.k === 'json' || kind.k === 'other'
  for (let d = 0; d <= cfg.arrayDims; d++) {
    if (user && user.arrayDims === d) s = replaces ? toZod(user.schema) : s.pipe(toZod(user.schema))
    if (d < cfg.arrayDims) s = z.array(s)
  }
  return s
}

/** A zod schema as it is; any other Standard Schema validator (synchronous) wrapped into one. */
function toZod(schema: StandardSchemaLike): z.ZodType {
  if ((schema as { '~standard': { vendor: string } })['~standard'].vendor === 'zod' && '_zod' in schema) return schema as unknown as z.ZodType
  type Result = { value?: unknown; issues?: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[] }
  return z.unknown().transform((v, ctx) => {
    const r = schema['~standard'].validate(v) as Result | Promise<Result>
    if (r instanceof Promise) {
      ctx.addIssue({ code: 'custom', input: v, message: 'asynchronous validators are not supported' })
      return z.NEVER
    }
    if (r.issues) {
      for (const i of r.issues) {
        const path = (i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).filter((p): p is string | number => typeof p !== 'symbol')
        ctx.addIssue({ code: 'custom', input: v, message: i.message, path })
      }
      return z.NEVER
    }
    return r.value
  })
}
