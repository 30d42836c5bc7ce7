/**
 * Declarative partitioning: the `partitionBy` table option on the parent, `partitionOf(parent,
 * name, bound)` for each partition (exported from `partitions/*.ts`), and `rangePartitions()` for a
 * rolling window of monthly or quarterly partitions.
 *
 * Bounds are kept as `pg_get_expr(relpartbound)` prints them. For a `timestamp with time zone` key
 * Postgres prints the bound in the session's TimeZone; cairn writes it in UTC
 * (`'2026-01-01 00:00:00+00'`), so inspect the database with TimeZone = UTC, or key on a `date` or
 * `timestamp` column, whose bounds print the same everywhere.
 */
import type { ColumnDef, TableDef } from '../model/types.js'
import { ident, literal } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import type { AnyTable, ColumnsShape, Table } from './table.js'
import { markDsl, tableState } from './table.js'
import type { BuiltTable, RawSql, TableOptions, TableProblem, TableState } from './table-state.js'
import { buildTable, storageRaw } from './table-state.js'

const STATE: unique symbol = Symbol.for('cairn.dsl.table-state') as never

/** The `partitionBy` table option: strategy and key columns (SQL names) or a key expression. */
export interface PartitionByOption {
  readonly strategy: 'range' | 'list' | 'hash'
  /** Column names, or an expression as pg_get_partkeydef prints it inside the key's parentheses. */
  readonly key: readonly string[] | SQL | string
}

/** The model's key text, e.g. `(created_at)` or `(tenant_id, created_at)`. */
export function partitionKeyText(key: PartitionByOption['key']): string {
  if (typeof key === 'string') return `(${key})`
  if (isSQL(key)) return `(${key.text})`
  return `(${key.map(ident).join(', ')})`
}

/** A bound value: a string, number, Date, or MINVALUE/MAXVALUE (range only). */
export type BoundValue = string | number | bigint | boolean | Date | null | { readonly minvalue: true } | { readonly maxvalue: true }

/** A partition bound: raw text/SQL as Postgres prints it, or its parts. */
export type PartitionBound =
  | SQL
  | string
  | { readonly from: BoundValue | readonly BoundValue[]; readonly to: BoundValue | readonly BoundValue[] }
  | { readonly in: readonly BoundValue[] }
  | { readonly modulus: number; readonly remainder: number }
  | { readonly default: true }

/** MINVALUE in a range bound. */
export const MINVALUE = { minvalue: true } as const
/** MAXVALUE in a range bound. */
export const MAXVALUE = { maxvalue: true } as const

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
const DAY = /^\d{4}-\d{2}-\d{2}$/

/** One bound value as pg_get_expr prints it for a key column of `type`. */
export function boundLiteral(v: BoundValue, type: string | undefined): string {
  if (v === null) return 'NULL'
  if (typeof v === 'object' && !(v instanceof Date)) return 'minvalue' in v ? 'MINVALUE' : 'MAXVALUE'
  if (typeof v === 'number' || typeof v === 'bigint') return /^(smallint|integer|bigint)$/.test(type ?? '') || type === undefined ? String(v) : literal(String(v))
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  const base = (type ?? '').replace(/\(\d+\)/, '')
  if (v instanceof Date) {
    const iso = v.toISOString()
    const day = iso.slice(0, 10)
    const time = iso.slice(11, 19) + (v.getUTCMilliseconds() ? iso.slice(19, 23) : '')
    if (base === 'date') return literal(day)
    if (base === 'timestamp without time zone') return literal(`${day} ${time}`)
    return literal(`${day} ${time}+00`)
  }
  if (DAY.test(v) && base === 'timestamp with time zone') return literal(`${v} 00:00:00+00`)
  if (DAY.test(v) && base === 'timestamp without time zone') return literal(`${v} 00:00:00`)
  return literal(v)
}

/** The bound text for a partition of a parent keyed on columns of `types` (undefined for expressions). */
export function boundText(bound: PartitionBound, types: readonly (string | undefined)[]): string {
  if (typeof bound === 'string') return bound.trim()
  if (isSQL(bound)) return bound.text.trim()
  const list = (v: BoundValue | readonly BoundValue[]) => (Array.isArray(v) ? (v as readonly BoundValue[]) : [v as BoundValue])
  if ('default' in bound) return 'DEFAULT'
  if ('modulus' in bound) return `FOR VALUES WITH (modulus ${bound.modulus}, remainder ${bound.remainder})`
  if ('in' in bound) return `FOR VALUES IN (${bound.in.map((v) => boundLiteral(v, types[0])).join(', ')})`
  const side = (v: BoundValue | readonly BoundValue[]) => list(v).map((x, i) => boundLiteral(x, types[i])).join(', ')
  return `FOR VALUES FROM (${side(bound.from)}) TO (${side(bound.to)})`
}

/** What a DSL partition keeps until it is built. */
export interface PartitionState {
  readonly parent: TableState
  readonly bound: PartitionBound
  readonly at: DefinedAt
}

/** Options of partitionOf(). */
export interface PartitionOfOptions {
  /** Schema of the partition (default: the parent's). */
  readonly schema?: string
  /** Storage parameters of this partition. */
  readonly with?: TableOptions['with']
  readonly comment?: string
  /** Sub-partitioning: this partition is itself partitioned. */
  readonly partitionBy?: PartitionByOption
}

/** A partition: a table whose columns are its parent's. */
export type Partition<TName extends string, TColumns extends ColumnsShape> = Table<TName, TColumns>

type ColumnsOf<T> = T extends Table<string, infer C> ? C : ColumnsShape

/**
 * CREATE TABLE name PARTITION OF parent bound: `partitionOf(events, 'events_2026_01', { from:
 * '2026-01-01', to: '2026-02-01' })` or with the bound as Postgres prints it, sql`FOR VALUES …`.
 */
export function partitionOf<P extends AnyTable, TName extends string>(
  parent: P,
  name: TName,
  bound: PartitionBound,
  options: PartitionOfOptions = {},
): Partition<TName, ColumnsOf<P>> {
  const parentState = tableState(parent)
  if (!parentState) throw new TypeError(`partitionOf(${name}): the parent is not a table`)
  const state: TableState = {
    schema: options.schema ?? parentState.schema,
    name,
    columns: new Map(),
    extras: [],
    late: [],
    options: {
      ...(options.with ? { with: options.with } : {}),
      ...(options.comment !== undefined ? { comment: options.comment } : {}),
      ...(options.partitionBy ? { partitionBy: options.partitionBy } : {}),
    },
    at: captureLocation(),
    partition: { parent: parentState, bound, at: captureLocation() },
  }
  const obj: Record<string | symbol, unknown> = { ...parent.$columns }
  Object.defineProperties(obj, {
    [STATE]: { value: state },
    $schema: { value: state.schema, enumerable: false },
    $name: { value: name, enumerable: false },
    $columns: { value: parent.$columns, enumerable: false },
    $def: { get: () => buildTable(state).def, enumerable: false },
    $sequences: { get: () => [], enumerable: false },
  })
  state.handle = obj
  return markDsl(obj, 'table') as unknown as Partition<TName, ColumnsOf<P>>
}

/** One slot of a rolling window, passed to the `name` option of rangePartitions(). */
export interface RangeSlot {
  /** First day, `YYYY-MM-DD` (inclusive). */
  readonly from: string
  /** First day after, `YYYY-MM-DD` (exclusive). */
  readonly to: string
  readonly year: number
  /** 1–12, the slot's first month. */
  readonly month: number
  /** 1–4. */
  readonly quarter: number
  /** 0-based position in the window. */
  readonly index: number
}

/**
 * A rolling window of RANGE partitions on a single date/timestamp key: `count` slots of a month,
 * quarter or year starting at `from` (`YYYY-MM` or `YYYY-MM-DD`, a first of the month), named
 * `<parent>_<yyyy>_<mm>`, `<parent>_<yyyy>_q<n>` or `<parent>_<yyyy>` unless `name` says otherwise.
 */
export function rangePartitions<P extends AnyTable>(
  parent: P,
  options: { from: string; every: 'month' | 'quarter' | 'year'; count: number; name?: (slot: RangeSlot) => string; schema?: string },
): Partition<string, ColumnsOf<P>>[] {
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(options.from)
  if (!m) throw new RangeError(`rangePartitions: from must be YYYY-MM or YYYY-MM-01, not '${options.from}'`)
  if (!Number.isInteger(options.count) || options.count < 1) throw new RangeError('rangePartitions: count must be a positive integer')
  const step = { month: 1, quarter: 3, year: 12 }[options.every]
  const start = Number(m[1]) * 12 + Number(m[2]) - 1
  if (options.every === 'quarter' && (start % 3) !== 0) throw new RangeError(`rangePartitions: a quarter starts in January, April, July or October, not '${options.from}'`)
  const day = (k: number) => `${Math.floor(k / 12)}-${pad((k % 12) + 1)}-01`
  const out: Partition<string, ColumnsOf<P>>[] = []
  for (let i = 0; i < options.count; i++) {
    const k = start + i * step
    const slot: RangeSlot = {
      from: day(k), to: day(k + step), year: Math.floor(k / 12), month: (k % 12) + 1, quarter: Math.floor((k % 12) / 3) + 1, index: i,
    }
    const name = options.name
      ? options.name(slot)
      : `${parent.$name}_${slot.year}` + (options.every === 'month' ? `_${pad(slot.month)}` : options.every === 'quarter' ? `_q${slot.quarter}` : '')
    out.push(partitionOf(parent, name, { from: slot.from, to: slot.to }, options.schema ? { schema: options.schema } : {}))
  }
  return out
}

/** Column names of a key, or undefined when it is an expression. */
export function keyColumns(key: PartitionByOption['key']): readonly string[] | undefined {
  return typeof key === 'string' || isSQL(key) ? undefined : key
}

/** Problems of a partitioned table: unknown key columns, keys and unique constraints that leave out key columns. */
export function partitionKeyProblems(def: TableDef, option: PartitionByOption, at: DefinedAt): TableProblem[] {
  const problems: TableProblem[] = []
  const obj = `${def.schema}.${def.name}`
  const cols = keyColumns(option.key)
  if (!cols) {
    if (def.primaryKey || def.uniques.length || def.indexes.some((i) => i.unique)) {
      problems.push({ code: 'partition_key_not_in_constraint', object: obj, at,
        message: `${obj} is partitioned by an expression, so it cannot have a primary key or unique constraint`,
        hint: 'partition by columns, or drop the primary key / unique constraints' })
    }
    return problems
  }
  if (!cols.length) problems.push({ code: 'invalid_partition_key', object: obj, at, message: `${obj} has an empty partition key`, hint: 'name the key columns' })
  if (option.strategy === 'list' && cols.length > 1) {
    problems.push({ code: 'invalid_partition_key', object: obj, at, message: `${obj}: LIST partitioning takes a single key column`, hint: 'use one column' })
  }
  for (const c of cols) {
    if (!def.columns.some((x) => x.name === c)) {
      problems.push({ code: 'unknown_column', object: obj, at, message: `the partition key of ${obj} uses "${c}", which is not a column of ${obj}`, hint: 'name a column of the table (its SQL name)' })
    }
  }
  const keyed: { kind: string; name: string; columns: readonly string[] }[] = [
    ...(def.primaryKey ? [{ kind: 'primary key', ...def.primaryKey }] : []),
    ...def.uniques.map((u) => ({ kind: 'unique constraint', ...u })),
    ...def.indexes.filter((i) => i.unique).map((i) => ({ kind: 'unique index', name: i.name, columns: i.keys.map((k) => k.column ?? '') })),
  ]
  for (const k of keyed) {
    const missing = cols.filter((c) => !k.columns.includes(c))
    if (missing.length) {
      problems.push({ code: 'partition_key_not_in_constraint', object: `${obj}.${k.name}`, at,
        message: `${k.kind} ${k.name} on partitioned table ${obj} must include the partition key column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        hint: `add ${missing.join(', ')} to the ${k.kind} (PostgreSQL requires it on partitioned tables)` })
    }
  }
  return problems
}

const BOUND_SHAPE: Record<PartitionByOption['strategy'], RegExp> = {
  range: /^(FOR VALUES FROM \(.*\) TO \(.*\)|DEFAULT)$/s,
  list: /^(FOR VALUES IN \(.*\)|DEFAULT)$/s,
  hash: /^FOR VALUES WITH \(modulus \d+, remainder \d+\)$/,
}

/** Builds a partition's model: its parent's columns (with their defaults and NOT NULL), its bound and options. */
export function buildPartition(t: TableState): BuiltTable {
  const p = t.partition!
  const parent = buildTable(p.parent)
  const obj = `${t.schema}.${t.name}`
  const problems: TableProblem[] = []
  const by = p.parent.options.partitionBy
  const types = by ? (keyColumns(by.key) ?? []).map((c) => parent.def.columns.find((x) => x.name === c)?.type) : []
  const bound = boundText(p.bound, types)
  if (!by) {
    problems.push({ code: 'partition_parent_not_partitioned', object: obj, at: p.at,
      message: `${obj} is a partition of ${p.parent.schema}.${p.parent.name}, which is not partitioned`,
      hint: `give ${p.parent.name} the table option partitionBy: { strategy, key }` })
  } else if (!BOUND_SHAPE[by.strategy].test(bound)) {
    problems.push({ code: 'invalid_partition_bound', object: obj, at: p.at,
      message: `${obj}: "${bound}" is not a ${by.strategy.toUpperCase()} partition bound`,
      hint: by.strategy === 'range' ? `use { from, to }` : by.strategy === 'list' ? 'use { in: [...] }' : 'use { modulus, remainder }' })
  }
  // a partition gets its parent's columns, defaults and NOT NULL; comments and identity stay on the parent
  const columns: ColumnDef[] = parent.def.columns.map((c) => ({
    name: c.name,
    type: c.type,
    notNull: c.notNull,
    ...(c.default !== undefined ? { default: c.default } : {}),
    ...(c.generated !== undefined ? { generated: c.generated } : {}),
    ...(c.collation !== undefined ? { collation: c.collation } : {}),
  }))
  const withParams: Record<string, string> = {}
  for (const [k, v] of Object.entries(t.options.with ?? {})) withParams[k] = String(v)
  const def: TableDef = {
    kind: 'table',
    schema: t.schema,
    name: t.name,
    columns,
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
    with: withParams,
    policies: [],
    ...(t.options.partitionBy ? { partitionBy: { strategy: t.options.partitionBy.strategy, key: partitionKeyText(t.options.partitionBy.key) } } : {}),
    partitionOf: { parentSchema: p.parent.schema, parent: p.parent.name, bound },
    ...(t.options.comment !== undefined ? { comment: t.options.comment } : {}),
  }
  if (t.options.partitionBy) problems.push(...partitionKeyProblems(def, t.options.partitionBy, t.at))
  const raw: RawSql[] = storageRaw(withParams, `table ${obj}`, obj, t.at)
  if (typeof p.bound === 'string' || isSQL(p.bound)) raw.push({ kind: 'partition_bound', text: bound, what: `the bound of partition ${obj}`, object: obj, at: p.at })
  const subKey = t.options.partitionBy?.key
  if (subKey !== undefined && (typeof subKey === 'string' || isSQL(subKey))) {
    raw.push({ kind: 'partition_key', text: typeof subKey === 'string' ? subKey : subKey.text, what: `the partition key of ${obj}`, object: obj, at: t.at })
  }
  return {
    def,
    sequences: [],
    problems,
    foreignKeys: [],
    enums: [],
    names: [{ name: t.name, object: obj, at: t.at }],
    relations: [{ name: t.name, object: obj, at: t.at }],
    columnAt: new Map(),
    raw,
  }
}
