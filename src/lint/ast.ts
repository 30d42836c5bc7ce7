/**
 * Small readers over libpg-query's JSON AST: names, types, expression walks and function
 * volatility. The JSON leaves out fields that hold their default (false, 0, empty), so every
 * reader tolerates a missing field.
 */
import type { Node } from './source.js'

/** A relation, type or other object name: schema (when written) and name. */
export interface Name {
  readonly schema?: string
  readonly name: string
}

/** `schema.name` or `name`, as written (identifiers are already folded by the parser). */
export function show(n: Name): string {
  return n.schema ? `${n.schema}.${n.name}` : n.name
}

/** A RangeVar node → Name. */
export function rangeVar(rv: Node | undefined): Name | undefined {
  if (!rv || typeof rv.relname !== 'string') return undefined
  return rv.schemaname ? { schema: rv.schemaname, name: rv.relname } : { name: rv.relname }
}

/** The strings of a list of String nodes (`names`, `funcname`, `typeName` lists). */
export function strings(list: Node[] | undefined): string[] {
  if (!Array.isArray(list)) return []
  return list.map((x) => x.String?.sval).filter((s): s is string => typeof s === 'string')
}

/** A list of String nodes (possibly wrapped in `List`) → Name (last two parts). */
export function listName(node: Node | undefined): Name | undefined {
  if (!node) return undefined
  const items = node.List ? strings(node.List.items) : node.String ? [node.String.sval] : node.TypeName ? strings(node.TypeName.names) : undefined
  if (!items || !items.length) return undefined
  const name = items[items.length - 1]
  return items.length > 1 ? { schema: items[items.length - 2], name } : { name }
}

/** A column type as written, reduced to what decides rewrites and narrowing. */
export interface TypeInfo {
  /** Canonical base name: int4, int8, varchar, text, numeric, timestamptz, … */
  readonly name: string
  /** Type modifiers (length, precision, scale) as integers; empty when none. */
  readonly mods: readonly number[]
  readonly array: boolean
  /** Readable spelling for messages. */
  readonly text: string
}

const ALIASES: Record<string, string> = {
  integer: 'int4', int: 'int4', bigint: 'int8', smallint: 'int2',
  'character varying': 'varchar', character: 'bpchar', char: 'bpchar',
  decimal: 'numeric', real: 'float4', 'double precision': 'float8', float: 'float8',
  boolean: 'bool', 'bit varying': 'varbit',
  'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz', 'time without time zone': 'time',
  serial4: 'serial', serial8: 'bigserial', serial2: 'smallserial',
}

const SPELLING: Record<string, string> = {
  int4: 'integer', int8: 'bigint', int2: 'smallint', bpchar: 'char', float8: 'double precision', float4: 'real', bool: 'boolean',
}

/** A TypeName node → TypeInfo. */
export function typeInfo(tn: Node | undefined): TypeInfo | undefined {
  if (!tn) return undefined
  const names = strings(tn.names)
  if (!names.length) return undefined
  const last = names[names.length - 1].toLowerCase()
  const name = ALIASES[last] ?? last
  const mods = ((tn.typmods ?? []) as Node[]).map((m) => (m.A_Const ? Number(m.A_Const.ival?.ival ?? 0) : NaN)).filter((n) => !Number.isNaN(n))
  const array = Array.isArray(tn.arrayBounds) && tn.arrayBounds.length > 0
  const schema = names.length > 1 && names[0] !== 'pg_catalog' ? `${names.slice(0, -1).join('.')}.` : ''
  const text = `${schema}${SPELLING[name] ?? name}${mods.length ? `(${mods.join(',')})` : ''}${array ? '[]' : ''}`
  return { name: schema ? `${schema}${name}` : name, mods, array, text }
}

const SERIAL = new Set(['serial', 'bigserial', 'smallserial'])

/** True for serial, bigserial and smallserial (a sequence default filled per row). */
export function isSerial(t: TypeInfo | undefined): boolean {
  return t !== undefined && !t.array && SERIAL.has(t.name)
}

/** Types whose typmod is a precision where a larger (or no) typmod needs no rewrite. */
const PRECISION_TYPES = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'varbit'])

/**
 * True when PostgreSQL changes `from` to `to` without rewriting the table: the same type, or a
 * binary-coercible widening (varchar(n) → varchar(m ≥ n) / varchar / text, text → varchar,
 * numeric(p,s) → numeric(q ≥ p, s) / numeric, a larger or no precision for timestamps, times,
 * intervals and bit varying, cidr → inet).
 */
export function changesWithoutRewrite(from: TypeInfo, to: TypeInfo): boolean {
  if (from.array !== to.array) return false
  if (from.name === to.name && sameMods(from.mods, to.mods)) return true
  if (from.array) return false
  if (from.name === 'varchar' && (to.name === 'text' || (to.name === 'varchar' && (!to.mods.length || (from.mods.length > 0 && to.mods[0] >= from.mods[0]))))) return true
  if (from.name === 'text' && to.name === 'varchar' && !to.mods.length) return true
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (!to.mods.length) return true
    if (!from.mods.length) return false
    return (to.mods[1] ?? 0) === (from.mods[1] ?? 0) && to.mods[0] >= from.mods[0]
  }
  if (PRECISION_TYPES.has(from.name) && from.name === to.name) return !to.mods.length || (from.mods.length > 0 && to.mods[0] >= from.mods[0])
  if (from.name === 'cidr' && to.name === 'inet') return true
  return false
}

const INT_RANK: Record<string, number> = { int2: 1, int4: 2, int8: 3 }

/** True when `to` cannot hold every value of `from` (the change fails or truncates on some data). */
export function narrows(from: TypeInfo, to: TypeInfo): boolean {
  if (from.array !== to.array) return false
  const limited = (t: TypeInfo) => (t.name === 'varchar' || t.name === 'bpchar') && t.mods.length > 0
  if ((from.name === 'text' || (from.name === 'varchar' && !from.mods.length)) && limited(to)) return true
  if (limited(from) && limited(to)) return to.mods[0] < from.mods[0]
  if (from.name === 'numeric' && to.name === 'numeric' && to.mods.length) {
    if (!from.mods.length) return true
    const [p, s = 0] = from.mods
    const [q, t = 0] = to.mods
    return t < s || q - t < p - s
  }
  if (INT_RANK[from.name] !== undefined && INT_RANK[to.name] !== undefined) return INT_RANK[to.name] < INT_RANK[from.name]
  if ((from.name === 'numeric' || from.name === 'float4' || from.name === 'float8') && INT_RANK[to.name] !== undefined) return true
  if (from.name === 'float8' && to.name === 'float4') return true
  if (PRECISION_TYPES.has(from.name) && from.name === to.name && to.mods.length) return !from.mods.length || to.mods[0] < from.mods[0]
  return false
}

function sameMods(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/** Calls `fn` on every object node under `node` (depth first), including `node`. */
export function walk(node: unknown, fn: (key: string, value: Node) => void): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(x, fn)
    return
  }
  if (!node || typeof node !== 'object') return
  for (const [k, v] of Object.entries(node as Node)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) fn(k, v as Node)
    walk(v, fn)
  }
}

/** Built-in functions known to be VOLATILE (a default that calls one is evaluated per row: a rewrite). */
const VOLATILE = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'clock_timestamp', 'timeofday', 'nextval', 'setval', 'currval', 'lastval', 'txid_current', 'pg_current_xact_id',
  'gen_random_bytes', 'gen_salt', 'crypt', 'pg_backend_pid', 'inet_client_addr',
])

/** Built-in functions known to be STABLE or IMMUTABLE (evaluated once for ADD COLUMN … DEFAULT: no rewrite). */
const NON_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'current_database', 'current_schema', 'current_user', 'session_user',
  'lower', 'upper', 'btrim', 'ltrim', 'rtrim', 'trim', 'length', 'char_length', 'octet_length', 'concat', 'concat_ws', 'format', 'replace',
  'substr', 'substring', 'left', 'right', 'lpad', 'rpad', 'md5', 'sha256', 'encode', 'decode', 'to_char', 'to_date', 'to_timestamp',
  'to_number', 'date_trunc', 'date_part', 'extract', 'make_date', 'make_time', 'make_timestamp', 'make_timestamptz', 'make_interval',
  'timezone', 'age', 'abs', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'greatest', 'least', 'coalesce', 'nullif',
  'jsonb_build_object', 'jsonb_build_array', 'json_build_object', 'json_build_array', 'to_jsonb', 'to_json', 'jsonb_object', 'json_object',
  'array_length', 'cardinality', 'array_fill', 'string_to_array', 'array_to_string', 'uuid_nil', 'int4range', 'int8range', 'numrange',
  'tstzrange', 'tsrange', 'daterange', 'to_tsvector', 'to_tsquery',
])

/** The volatility of a default expression: 'volatile' (a known volatile call), 'unknown' (a call cairn does not know) or 'stable'. */
export function volatility(expr: Node | undefined): { kind: 'volatile' | 'unknown' | 'stable'; fn?: string; location?: number } {
  let unknown: { fn: string; location?: number } | undefined
  let volatile: { fn: string; location?: number } | undefined
  walk(expr, (k, v) => {
    if (k !== 'FuncCall' || volatile) return
    const fn = strings(v.funcname).at(-1)?.toLowerCase()
    if (!fn) return
    if (VOLATILE.has(fn)) volatile = { fn, location: v.location }
    else if (!NON_VOLATILE.has(fn)) unknown ??= { fn, location: v.location }
  })
  if (volatile) return { kind: 'volatile', ...volatile }
  if (unknown) return { kind: 'unknown', ...unknown }
  return { kind: 'stable' }
}

/** Columns proven NOT NULL by a CHECK expression: `c IS NOT NULL`, possibly AND-ed with others. */
export function notNullColumns(expr: Node | undefined): string[] {
  if (!expr) return []
  if (expr.NullTest && expr.NullTest.nulltesttype === 'IS_NOT_NULL') {
    const col = strings(expr.NullTest.arg?.ColumnRef?.fields).at(-1)
    return col ? [col] : []
  }
  if (expr.BoolExpr && expr.BoolExpr.boolop === 'AND_EXPR') return ((expr.BoolExpr.args ?? []) as Node[]).flatMap(notNullColumns)
  return []
}

/** The string constants in a node, with their byte locations. */
export function stringConstants(node: unknown): { value: string; location?: number }[] {
  const out: { value: string; location?: number }[] = []
  walk(node, (k, v) => {
    if (k === 'A_Const' && typeof v.sval?.sval === 'string') out.push({ value: v.sval.sval, location: v.location })
  })
  return out
}
