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
import type { RangeInterval, RangeSlot, Retention } from './range-window.js'
import { defaultSlotName, isoDay, ordinalStartingAt, parseRetention, RANGE_INTERVALS, slotAt, slotStart, templateName } from './range-window.js'
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
  /** The rolling window this partition was declared in (rangePartitions() with premake). */
  readonly window?: RangeWindowDeclaration
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
  return makePartition(parent, name, bound, options, undefined)
}

function makePartition<P extends AnyTable, TName extends string>(
  parent: P,
  name: TName,
  bound: PartitionBound,
  options: PartitionOfOptions,
  window: RangeWindowDeclaration | undefined,
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
    partition: { parent: parentState, bound, at: captureLocation(), ...(window ? { window } : {}) },
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

export type { RangeInterval, RangeSlot } from './range-window.js'

/** What to do with a partition once it is older than the retention period. */
export type RetireMode = 'drop' | 'detach'

/**
 * A rolling window as declared: `cairn partitions maintain` keeps `premake` partitions ahead of the
 * current one and retires those older than `retention`. Kept on every partition of the window.
 */
export interface RangeWindowDeclaration {
  readonly every: RangeInterval
  /** The first declared slot, `YYYY-MM-DD`. */
  readonly first: string
  /** How many slots `generate` creates with the parent (the initial window). */
  readonly count: number
  readonly premake: number
  /** Absent: partitions are kept for ever. */
  readonly retention?: Retention
  readonly retire: RetireMode
  /** Where detached partitions go (default: where they were). */
  readonly archiveSchema?: string
  /** The DEFAULT partition's name, when the window has one. */
  readonly defaultPartition?: string
  /** Storage parameters of every partition of the window, as the model spells them (values as text). */
  readonly with?: Readonly<Record<string, string>>
  /** The schema of the window's partitions. */
  readonly schema: string
  /** The partition name of a slot. */
  readonly name: (slot: RangeSlot) => string
  readonly at: DefinedAt
}

/** Options of rangePartitions(). */
export interface RangePartitionsOptions {
  /** The first slot: `YYYY-MM` or `YYYY-MM-DD` (a Monday for weeks, a first of the month for months and longer). */
  readonly from: string
  readonly every: RangeInterval
  /** How many slots from `from` on are declared (created by `cairn generate` with the parent). */
  readonly count: number
  /**
   * The partition name of a slot: a function, or a template of `{parent}`, `{yyyy}`, `{mm}`,
   * `{dd}`, `{q}`, `{ww}` (ISO week), `{iyyy}` (its year).
   */
  readonly name?: ((slot: RangeSlot) => string) | string
  /** Schema of the partitions (default: the parent's). */
  readonly schema?: string
  /**
   * Makes the window rolling: `cairn partitions maintain` creates the current partition and this
   * many after it, ahead of time, and retires old ones. `generate` then never creates or drops
   * partitions of the window beyond the declared ones it creates with the parent.
   */
  readonly premake?: number
  /** Keep partitions whose range ended less than this long ago: `'12 months'`, `'90 days'`, a number of intervals; null or absent: for ever. */
  readonly retention?: string | number | null
  /** Retired partitions are dropped (default), or detached and kept as plain archive tables. */
  readonly retire?: RetireMode
  /** With `retire: 'detach'`: move the detached tables into this schema (declare it in schema/). */
  readonly archiveSchema?: string
  /** Also a DEFAULT partition for rows outside every range: `true` names it `<parent>_default`. */
  readonly default?: boolean | string
  /**
   * Storage parameters of every partition the helper declares, the default one included, and of
   * those `cairn partitions maintain` creates ahead: `{ fillfactor: 90, autovacuum_vacuum_scale_factor: 0.05 }`,
   * as a table's `with`. (PostgreSQL refuses them on the partitioned parent itself.)
   */
  readonly with?: TableOptions['with']
}

/**
 * A window of RANGE partitions on a single date/timestamp key: `count` slots of a day, an ISO week,
 * a month, a quarter or a year starting at `from`, named `<parent>_<yyyy>_<mm>_<dd>`,
 * `<parent>_<isoyear>_w<ww>`, `<parent>_<yyyy>_<mm>`, `<parent>_<yyyy>_q<n>` or `<parent>_<yyyy>`
 * unless `name` says otherwise; `with` gives each partition storage parameters. With `premake` the window rolls: `cairn partitions maintain`
 * creates partitions ahead and retires old ones (see RangePartitionsOptions).
 */
export function rangePartitions<P extends AnyTable>(parent: P, options: RangePartitionsOptions): Partition<string, ColumnsOf<P>>[] {
  const every = options.every
  if (!RANGE_INTERVALS.includes(every)) throw new RangeError(`rangePartitions: every must be one of ${RANGE_INTERVALS.join(', ')}, not '${String(every)}'`)
  const start = ordinalStartingAt(every, options.from)
  if (typeof start === 'string') throw new RangeError(`rangePartitions: from ${start}`)
  if (!Number.isInteger(options.count) || options.count < 1) throw new RangeError('rangePartitions: count must be a positive integer')
  const rolling = options.premake !== undefined
  if (rolling && (!Number.isInteger(options.premake) || (options.premake as number) < 0)) throw new RangeError('rangePartitions: premake must be a whole number ≥ 0')
  if (!rolling) {
    for (const k of ['retention', 'retire', 'archiveSchema'] as const) {
      if (options[k] !== undefined && options[k] !== null) throw new RangeError(`rangePartitions: ${k} needs premake (a rolling window kept by cairn partitions maintain)`)
    }
  }
  let retention: Retention | undefined
  if (options.retention !== undefined && options.retention !== null) {
    const r = parseRetention(options.retention, every)
    if (typeof r === 'string') throw new RangeError(`rangePartitions: ${r}`)
    retention = r
  }
  const retire = options.retire ?? 'drop'
  if (retire !== 'drop' && retire !== 'detach') throw new RangeError(`rangePartitions: retire must be 'drop' or 'detach', not '${String(retire)}'`)
  if (options.archiveSchema !== undefined && retire !== 'detach') throw new RangeError("rangePartitions: archiveSchema goes with retire: 'detach'")
  const template = options.name
  const name = (slot: RangeSlot): string =>
    typeof template === 'function' ? template(slot) : typeof template === 'string' ? templateName(template, parent.$name, slot) : defaultSlotName(parent.$name, every, slot)
  const withParams = options.with && Object.keys(options.with).length ? options.with : undefined
  const schemaOpt: PartitionOfOptions = { ...(options.schema ? { schema: options.schema } : {}), ...(withParams ? { with: withParams } : {}) }
  const defaultName = options.default === true ? `${parent.$name}_default` : typeof options.default === 'string' ? options.default : undefined
  const window: RangeWindowDeclaration | undefined = rolling
    ? {
        every,
        first: isoDay(slotStart(every, start)),
        count: options.count,
        premake: options.premake as number,
        ...(retention ? { retention } : {}),
        retire,
        ...(options.archiveSchema !== undefined ? { archiveSchema: options.archiveSchema } : {}),
        ...(defaultName !== undefined ? { defaultPartition: defaultName } : {}),
        ...(withParams ? { with: Object.fromEntries(Object.entries(withParams).map(([k, v]) => [k, String(v)])) } : {}),
        schema: options.schema ?? parent.$schema,
        name,
        at: captureLocation(),
      }
    : undefined
  const out: Partition<string, ColumnsOf<P>>[] = []
  const seen = new Set<string>()
  for (let i = 0; i < options.count; i++) {
    const slot = slotAt(every, start + i, start)
    const n = name(slot)
    if (seen.has(n)) throw new RangeError(`rangePartitions: two slots are both named '${n}': the name must tell every ${every} apart`)
    seen.add(n)
    out.push(makePartition(parent, n, { from: slot.from, to: slot.to }, schemaOpt, window))
  }
  if (defaultName !== undefined) out.push(makePartition(parent, defaultName, { default: true }, schemaOpt, window))
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
