/**
 * Tables, schemas, enums, extensions and sequences: the top-level objects a `schema/*.ts` file
 * exports. Each carries its model piece (`$def`) and records where it was defined.
 */
import type { EnumDef, ExtensionDef, SequenceDef, TableDef } from '../model/types.js'
import type { AnyColumn, Column, EnumRef } from './column.js'
import { enumColumn, isColumn } from './column.js'
import type { AnyExtra } from './extras.js'
import { isExtra } from './extras.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { BuiltTable, TableOptions, TableState } from './table-state.js'
import { buildTable, withExtrasTable } from './table-state.js'

const DSL_BRAND: unique symbol = Symbol.for('cairn.dsl.object') as never
const STATE: unique symbol = Symbol.for('cairn.dsl.table-state') as never

/** Kinds of top-level DSL objects. */
export type DslKind = 'schema' | 'table' | 'enum' | 'domain' | 'extension' | 'sequence' | 'view' | 'role' | 'grant' | 'function' | 'trigger' | 'aggregate' | 'composite' | 'event_trigger' | 'default_privilege' | 'collation'

/** Brands `obj` as a top-level DSL object of `kind`, so the loader finds it among the exports. */
export function markDsl<T extends object>(obj: T, kind: DslKind): T {
  Object.defineProperty(obj, DSL_BRAND, { value: kind })
  return obj
}

/** The kind of a top-level DSL object, or undefined for anything else. */
export function dslKind(v: unknown): DslKind | undefined {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return undefined
  const k = (v as Record<symbol, unknown>)[DSL_BRAND]
  return typeof k === 'string' ? (k as DslKind) : undefined
}

type Simplify<T> = { [K in keyof T]: T[K] } & {}
type Meta<C> = C extends { readonly _: infer M } ? M : never
type SelectValue<C> = Meta<C> extends { data: infer D; notNull: infer N } ? (N extends true ? D : D | null) : never
type InsertValue<C> = Meta<C> extends { insert: infer I; notNull: infer N } ? (N extends true ? I : I | null) : never
type IsOptional<C> = Meta<C> extends { notNull: infer N; hasDefault: infer H } ? (N extends true ? H : true) : never
/** Generated columns and GENERATED ALWAYS identities: an INSERT may not set them. */
type IsGenerated<C> = Meta<C> extends { generated: true } | { always: true } ? true : false

/** Columns of a table, by property key. */
export type ColumnsShape = Record<string, AnyColumn>

/** The row a SELECT returns: nullable columns are `T | null`. */
export type InferSelect<T extends ColumnsShape> = Simplify<{ -readonly [K in keyof T]: SelectValue<T[K]> }>

/**
 * The row an INSERT takes: defaults, BY DEFAULT identities, serial and nullable columns are
 * optional; generated columns and GENERATED ALWAYS identities absent (PostgreSQL refuses a value
 * for them without OVERRIDING SYSTEM VALUE).
 */
export type InferInsert<T extends ColumnsShape> = Simplify<
  {
    -readonly [K in keyof T as IsGenerated<T[K]> extends true ? never : IsOptional<T[K]> extends true ? never : K]: InsertValue<T[K]>
  } & {
    -readonly [K in keyof T as IsGenerated<T[K]> extends true ? never : IsOptional<T[K]> extends true ? K : never]?: InsertValue<T[K]>
  }
>

/** What every DSL table has, whatever its columns. */
export interface AnyTable {
  /** The table in the model's normal form. */
  readonly $def: TableDef
  readonly $schema: string
  readonly $name: string
  /** Bound columns by property key. */
  readonly $columns: Readonly<Record<string, AnyColumn>>
  /** Sequences owned by serial columns. */
  readonly $sequences: readonly SequenceDef[]
  /** Type-only: the selected row. */
  readonly $inferSelect: unknown
  /** Type-only: the inserted row. */
  readonly $inferInsert: unknown
}

/** A DSL table: its columns as properties, `$def`, and the inferred row types. */
export type Table<TName extends string, TColumns extends ColumnsShape, TSchema extends string = string> = AnyTable & {
  readonly $schema: TSchema
  readonly $name: TName
  readonly $columns: TColumns
  readonly $inferSelect: InferSelect<TColumns>
  readonly $inferInsert: InferInsert<TColumns>
} & { readonly [K in keyof TColumns]: TColumns[K] }

/** The extras callback: gets the bound columns, returns indexes and constraints. */
export type ExtrasFn<TColumns extends ColumnsShape> = (t: { readonly [K in keyof TColumns]: TColumns[K] }) => readonly AnyExtra[]

/** The internal state of a table object. */
export function tableState(t: unknown): TableState | undefined {
  if (dslKind(t) !== 'table') return undefined
  return (t as Record<symbol, TableState>)[STATE]
}

/** The table's built model and validation facts. */
export function builtTable(t: AnyTable): BuiltTable {
  return buildTable(tableState(t)!)
}

function makeTable<TName extends string, TColumns extends ColumnsShape, TSchema extends string>(
  schema: TSchema,
  name: TName,
  columns: TColumns,
  extrasOrOptions?: ExtrasFn<TColumns> | (TableOptions & { extras?: ExtrasFn<TColumns> }),
  options?: TableOptions,
): Table<TName, TColumns, TSchema> {
  const opts: TableOptions & { extras?: ExtrasFn<TColumns> } =
    typeof extrasOrOptions === 'function' ? { ...options, extras: extrasOrOptions } : { ...extrasOrOptions, ...options }
  const bound = new Map<string, AnyColumn>()
  const state: TableState = {
    schema,
    name,
    columns: bound,
    extras: [],
    late: [],
    options: {
      ...(opts.with ? { with: opts.with } : {}), ...(opts.comment !== undefined ? { comment: opts.comment } : {}), ...(opts.renamedFrom ? { renamedFrom: opts.renamedFrom } : {}),
      ...(opts.rls !== undefined ? { rls: opts.rls } : {}), ...(opts.partitionBy ? { partitionBy: opts.partitionBy } : {}),
      ...(opts.unlogged ? { unlogged: true as const } : {}), ...(opts.ownsExclusions ? { ownsExclusions: true as const } : {}),
    },
    at: captureLocation(),
  }
  const obj: Record<string | symbol, unknown> = {}
  for (const [key, col] of Object.entries(columns)) {
    if (!isColumn(col)) throw new TypeError(`${schema}.${name}.${key} is not a column builder`)
    const c = col.bind(state, key)
    bound.set(key, c)
    obj[key] = c
  }
  Object.defineProperties(obj, {
    [DSL_BRAND]: { value: 'table' },
    [STATE]: { value: state },
    $schema: { value: schema, enumerable: false },
    $name: { value: name, enumerable: false },
    $columns: { value: Object.fromEntries(bound), enumerable: false },
    $def: { get: () => buildTable(state).def, enumerable: false },
    $sequences: { get: () => buildTable(state).sequences, enumerable: false },
  })
  state.handle = obj
  if (opts.extras) {
    const extras = withExtrasTable(state, () => opts.extras!(obj as never))
    for (const x of extras ?? []) {
      if (!isExtra(x)) throw new TypeError(`the extras of ${schema}.${name} must be index(), unique(), primaryKey(), foreignKey(), check(), exclude(), policy() or enableRls()/forceRls()/tenantIsolation() values`)
      state.extras.push(x)
    }
  }
  return obj as unknown as Table<TName, TColumns, TSchema>
}

/** A table in the `public` schema. */
export function table<TName extends string, TColumns extends ColumnsShape>(
  name: TName,
  columns: TColumns,
  extrasOrOptions?: ExtrasFn<TColumns> | (TableOptions & { extras?: ExtrasFn<TColumns> }),
  options?: TableOptions,
): Table<TName, TColumns, 'public'> {
  return makeTable('public', name, columns, extrasOrOptions, options)
}

/** An enum type; call it to make a column: `userRole()` or `userRole('role')`. */
export interface EnumType<V extends string = string> extends EnumRef {
  (name?: string): Column<V>
  readonly $def: EnumDef
  readonly values: readonly V[]
  /** Rename hint: the enum used to be called this. */
  renamedFrom(oldName: string): EnumType<V>
  /** Rename hint for a value: `value` used to be `oldValue` (ALTER TYPE … RENAME VALUE keeps the rows). */
  renameValue(oldValue: string, value: V): EnumType<V>
  comment(text: string): EnumType<V>
}

function makeEnum<const V extends readonly [string, ...string[]]>(schema: string, name: string, values: V): EnumType<V[number]> {
  const at: DefinedAt = captureLocation()
  let renamed: string | undefined
  let comment: string | undefined
  const valueRenames: Record<string, string> = {}
  const ref: EnumRef = { schema, name, values, at }
  const fn = ((colName?: string) => enumColumn<V[number]>(ref, colName)) as unknown as EnumType<V[number]>
  Object.defineProperties(fn, {
    [DSL_BRAND]: { value: 'enum' },
    schema: { value: schema },
    name: { value: name },
    values: { value: values },
    at: { value: at },
    $def: {
      get: (): EnumDef => ({
        kind: 'enum', schema, name, values: [...values],
        ...(comment !== undefined ? { comment } : {}), ...(renamed ? { renamedFrom: renamed } : {}),
        ...(Object.keys(valueRenames).length ? { valuesRenamedFrom: { ...valueRenames } } : {}),
      }),
    },
    renamedFrom: { value: (old: string) => ((renamed = old), fn) },
    renameValue: { value: (old: string, value: string) => ((valueRenames[value] = old), fn) },
    comment: { value: (text: string) => ((comment = text), fn) },
  })
  return fn
}

/** An enum type in `public`. */
export function enumType<const V extends readonly [string, ...string[]]>(name: string, values: V): EnumType<V[number]> {
  return makeEnum('public', name, values)
}

/** A Postgres extension, e.g. `extension('pgcrypto')`. */
export interface Extension {
  readonly $def: ExtensionDef
  readonly at: DefinedAt
}

/** CREATE EXTENSION name (objects in `schema`, default `public`). */
export function extension(name: string, options: { schema?: string } = {}): Extension {
  const x = { $def: { kind: 'extension' as const, name, schema: options.schema ?? 'public' }, at: captureLocation() }
  Object.defineProperty(x, DSL_BRAND, { value: 'extension' })
  return x
}

/** A free-standing sequence. */
export interface Sequence {
  readonly $def: SequenceDef
  readonly at: DefinedAt
}

/** Options of a free-standing sequence; unspecified ones take Postgres' defaults for the type. */
export interface SequenceOptions {
  type?: 'smallint' | 'integer' | 'bigint'
  start?: number | bigint
  increment?: number | bigint
  min?: number | bigint
  max?: number | bigint
  cache?: number
  cycle?: boolean
  comment?: string
}

function makeSequence(schema: string, name: string, o: SequenceOptions = {}): Sequence {
  const type = o.type ?? 'bigint'
  const max = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' }[type]
  const inc = BigInt(o.increment ?? 1)
  const min = o.min !== undefined ? String(o.min) : inc > 0n ? '1' : { smallint: '-32768', integer: '-2147483648', bigint: '-9223372036854775808' }[type]
  const maxV = o.max !== undefined ? String(o.max) : inc > 0n ? max : '-1'
  const def: SequenceDef = {
    kind: 'sequence', schema, name, type,
    start: o.start !== undefined ? String(o.start) : inc > 0n ? min : maxV,
    increment: String(inc), min, max: maxV, cache: String(o.cache ?? 1), cycle: o.cycle ?? false,
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  }
  const s = { $def: def, at: captureLocation() }
  Object.defineProperty(s, DSL_BRAND, { value: 'sequence' })
  return s
}

/** A sequence in `public`. */
export function sequence(name: string, options?: SequenceOptions): Sequence {
  return makeSequence('public', name, options)
}

/** A Postgres schema (namespace) and the builders for objects inside it. */
export interface PgSchema<TSchema extends string = string> {
  readonly $def: { readonly kind: 'schema'; readonly name: string; readonly comment?: string }
  readonly name: TSchema
  readonly at: DefinedAt
  table<TName extends string, TColumns extends ColumnsShape>(
    name: TName,
    columns: TColumns,
    extrasOrOptions?: ExtrasFn<TColumns> | (TableOptions & { extras?: ExtrasFn<TColumns> }),
    options?: TableOptions,
  ): Table<TName, TColumns, TSchema>
  enum<const V extends readonly [string, ...string[]]>(name: string, values: V): EnumType<V[number]>
  sequence(name: string, options?: SequenceOptions): Sequence
}

/** Declares a schema: `export const auth = pgSchema('auth')`, then `auth.table('users', …)`. */
export function pgSchema<TSchema extends string>(name: TSchema, options: { comment?: string } = {}): PgSchema<TSchema> {
  const s: PgSchema<TSchema> = {
    $def: { kind: 'schema', name, ...(options.comment !== undefined ? { comment: options.comment } : {}) },
    name,
    at: captureLocation(),
    table: (tn, cols, extras, opts) => makeTable(name, tn, cols, extras, opts),
    enum: (en, values) => makeEnum(name, en, values),
    sequence: (sn, opts) => makeSequence(name, sn, opts),
  }
  Object.defineProperty(s, DSL_BRAND, { value: 'schema' })
  return s
}
