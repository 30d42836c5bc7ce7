/**
 * Column builders: `uuid()`, `varchar(255)`, `jsonb<T>()`, … Each builder carries, at the type
 * level, its TypeScript value type and whether it is NOT NULL, has a default, or is generated;
 * `$inferSelect` / `$inferInsert` on tables read those flags.
 */
import type { ColumnStorage, FkAction } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL, sql } from './sql.js'
import type { TableState } from './table-state.js'

/** How a column's literal defaults are spelled (see literal.ts). */
export type LiteralKind = 'int' | 'decimal' | 'float' | 'bool' | 'json' | 'jsonb' | 'enum' | 'date' | 'string'

/** What `.references()` records; resolved lazily so tables may refer to each other in any order. */
/** Sequence options of an identity column (Postgres chooses the others from the type). */
export interface IdentitySequenceOptions {
  readonly start?: number | bigint
  readonly increment?: number | bigint
  readonly min?: number | bigint
  readonly max?: number | bigint
  readonly cache?: number | bigint
  readonly cycle?: boolean
}

export interface ReferenceConfig {
  readonly ref: () => AnyColumn
  readonly name?: string
  readonly onDelete: FkAction
  readonly onUpdate: FkAction
  readonly deferrable?: boolean
  readonly initiallyDeferred?: boolean
  readonly at: DefinedAt
}

/** The enum a column is typed with (structural, so enum objects from any module instance work). */
export interface EnumRef {
  readonly schema: string
  readonly name: string
  readonly values: readonly string[]
  readonly at: DefinedAt
}

/** Everything a column builder has collected; internal to the DSL and the loader. */
export interface ColumnConfig {
  /** Explicit SQL name; otherwise the property key is used. */
  name?: string
  /** Element type as format_type prints it, without array brackets. */
  baseType: string
  /** Type label used in typed literals (`character varying`, `bpchar`), without typmod. */
  castType: string
  literal: LiteralKind
  /** Raw type modifiers, validated by the loader (varchar(0), numeric(2,5), …). */
  mods: { length?: number; precision?: number; scale?: number; timePrecision?: number }
  enumRef?: EnumRef
  arrayDims: number
  notNull: boolean
  primaryKey: boolean
  unique?: { name?: string; nullsNotDistinct?: boolean; at: DefinedAt }
  default?: { value: unknown } | { sql: SQL }
  identity?: 'always' | 'by default'
  identityOptions?: IdentitySequenceOptions
  generated?: SQL
  serial?: 'smallint' | 'integer' | 'bigint'
  collation?: string
  /** `.storage()`: STORAGE of the column. */
  storage?: ColumnStorage
  /** `.compression()`: COMPRESSION of the column's values. */
  compression?: 'pglz' | 'lz4'
  /** Set by customType(): `baseType` is the user's text, checked by the loader. */
  customType?: true
  /** `bigint({ mode })` when not `number`: the TypeScript (and zod) type of the values. */
  bigintMode?: 'bigint' | 'string'
  /** Set by `.$validate()`: the application-side validator of the column's values, and the array depth it was given at. */
  validate?: { readonly schema: StandardSchemaLike; readonly arrayDims: number }
  comment?: string
  renamedFrom?: string
  references?: ReferenceConfig
  checks: { name?: string; sql: SQL; at: DefinedAt }[]
  index?: { name?: string; at: DefinedAt }
  at: DefinedAt
}

/** Options of `.references()`. */
export interface ReferenceOptions {
  name?: string
  onDelete?: FkAction
  onUpdate?: FkAction
  /** `true` for DEFERRABLE, `'deferred'` for DEFERRABLE INITIALLY DEFERRED. */
  deferrable?: boolean | 'deferred'
}

/** One key of an index: a column with ordering options, or an SQL expression. */
export interface IndexKeyRef {
  readonly $indexKey: true
  readonly column?: AnyColumn
  readonly expression?: SQL
  readonly order?: 'asc' | 'desc'
  readonly nulls?: 'first' | 'last'
  readonly opclass?: string
  readonly collation?: string
  /** Set when the key named a column that does not exist. */
  readonly missing?: true
}

function keyRef(base: Omit<IndexKeyRef, '$indexKey'>): IndexKeyRef & KeyModifiers {
  const k = { $indexKey: true as const, ...base }
  return Object.assign(k, {
    asc: () => keyRef({ ...base, order: 'asc' }),
    desc: () => keyRef({ ...base, order: 'desc' }),
    nullsFirst: () => keyRef({ ...base, nulls: 'first' }),
    nullsLast: () => keyRef({ ...base, nulls: 'last' }),
    op: (opclass: string) => keyRef({ ...base, opclass }),
    collate: (collation: string | { readonly qualifiedName: string }) => keyRef({ ...base, collation: typeof collation === 'string' ? collation : collation.qualifiedName }),
  })
}

/** Ordering modifiers shared by columns and index keys. */
export interface KeyModifiers {
  asc(): IndexKeyRef & KeyModifiers
  desc(): IndexKeyRef & KeyModifiers
  nullsFirst(): IndexKeyRef & KeyModifiers
  nullsLast(): IndexKeyRef & KeyModifiers
  /** An operator class, e.g. `gin_trgm_ops` or `jsonb_path_ops`. */
  op(opclass: string): IndexKeyRef & KeyModifiers
  /** COLLATE of the key: a collation() or its name (`C`, `app.ci`). */
  collate(collation: string | { readonly qualifiedName: string }): IndexKeyRef & KeyModifiers
}

/** Index key from an SQL expression: `expr(sql\`lower(${t.email})\`).desc()`. */
export function expr(expression: SQL): IndexKeyRef & KeyModifiers {
  return keyRef({ expression })
}

/** A validator in the Standard Schema form (zod, valibot, ArkType, …), as `.$validate()` takes it. */
export interface StandardSchemaLike<Output = unknown> {
  readonly '~standard': {
    readonly version: 1
    readonly vendor: string
    readonly validate: (value: unknown) => unknown
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined
  }
}

/** The output type of a Standard Schema validator. */
export type StandardOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O } ? O : unknown
  : unknown

const COLUMN_BRAND: unique symbol = Symbol.for('cairn.dsl.column') as never

/**
 * A column: a builder while a table is being declared, and the table's bound column afterwards
 * (`users.email`, with `.name` and `.table`). Type parameters: select type, insert type, NOT NULL,
 * has a default (optional on insert), generated (absent from insert), GENERATED ALWAYS AS IDENTITY
 * (an INSERT or UPDATE may not set it; COPY may).
 */
export class Column<
  TData = unknown,
  TInsert = TData,
  TNotNull extends boolean = false,
  THasDefault extends boolean = false,
  TGenerated extends boolean = false,
  TAlways extends boolean = false,
> {
  declare readonly _: {
    readonly data: TData
    readonly insert: TInsert
    readonly notNull: TNotNull
    readonly hasDefault: THasDefault
    readonly generated: TGenerated
    readonly always: TAlways
  }
  /** Marks columns for `sql` interpolation. */
  readonly $column = true as const
  readonly [COLUMN_BRAND] = true
  /** @internal */
  readonly config: ColumnConfig
  /** @internal the table this column is bound to (set by `table()`). */
  table?: TableState

  /** @internal */
  constructor(config: ColumnConfig) {
    this.config = config
  }

  /** The column's SQL name (the property key unless given explicitly). */
  get name(): string {
    return this.config.name ?? ''
  }

  private set<T>(patch: Partial<ColumnConfig>): T {
    Object.assign(this.config, patch)
    return this as unknown as T
  }

  /** NOT NULL. */
  notNull(): Column<TData, TInsert, true, THasDefault, TGenerated, TAlways> {
    return this.set({ notNull: true })
  }

  /** PRIMARY KEY (implies NOT NULL). */
  primaryKey(): Column<TData, TInsert, true, THasDefault, TGenerated, TAlways> {
    return this.set({ primaryKey: true, notNull: true })
  }

  /** DEFAULT from a typed value (rendered as Postgres prints it) or an `sql` expression. */
  default(value: TInsert | SQL): Column<TData, TInsert, TNotNull, true, TGenerated, TAlways> {
    return this.set({ default: isSQL(value) ? { sql: value } : { value } })
  }

  /** DEFAULT now(). */
  defaultNow(): Column<TData, TInsert, TNotNull, true, TGenerated, TAlways> {
    return this.set({ default: { sql: sql.raw('now()') } })
  }

  /** DEFAULT gen_random_uuid(). */
  defaultRandom(): Column<TData, TInsert, TNotNull, true, TGenerated, TAlways> {
    return this.set({ default: { sql: sql.raw('gen_random_uuid()') } })
  }

  /** GENERATED ALWAYS AS IDENTITY [(START WITH … INCREMENT BY … …)] (implies NOT NULL). */
  generatedAlwaysAsIdentity(options?: IdentitySequenceOptions): Column<TData, TInsert, true, true, TGenerated, true> {
    return this.set({ identity: 'always', notNull: true, ...(options ? { identityOptions: options } : {}) })
  }

  /** GENERATED BY DEFAULT AS IDENTITY [(START WITH … INCREMENT BY … …)] (implies NOT NULL). */
  generatedByDefaultAsIdentity(options?: IdentitySequenceOptions): Column<TData, TInsert, true, true, TGenerated, TAlways> {
    return this.set({ identity: 'by default', notNull: true, ...(options ? { identityOptions: options } : {}) })
  }

  /** GENERATED ALWAYS AS (expression) STORED: computed, so absent from inserts. */
  generatedAlwaysAs(expression: SQL): Column<TData, TInsert, TNotNull, true, true, TAlways> {
    return this.set({ generated: expression })
  }

  /** An array of this type (`text[]`); call before `.default()`. */
  array(): Column<TData[], TInsert[], TNotNull, THasDefault, TGenerated, TAlways> {
    return this.set({ arrayDims: this.config.arrayDims + 1 })
  }

  /** UNIQUE, named `<table>_<column>_key` unless a name is given. */
  unique(nameOrOptions?: string | { name?: string; nullsNotDistinct?: boolean }): this {
    const o = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {})
    return this.set({ unique: { ...o, at: captureLocation() } })
  }

  /** FOREIGN KEY to another table's column, e.g. `.references(() => users.id, { onDelete: 'cascade' })`. */
  references(ref: () => AnyColumn, options: ReferenceOptions = {}): this {
    return this.set({
      references: {
        ref,
        ...(options.name ? { name: options.name } : {}),
        onDelete: options.onDelete ?? 'no action',
        onUpdate: options.onUpdate ?? 'no action',
        ...(options.deferrable ? { deferrable: true } : {}),
        ...(options.deferrable === 'deferred' ? { initiallyDeferred: true } : {}),
        at: captureLocation(),
      },
    })
  }

  /** A CHECK on this column, named `<table>_<column>_check` unless a name is given. */
  check(expression: SQL, name?: string): this {
    this.config.checks.push({ ...(name ? { name } : {}), sql: expression, at: captureLocation() })
    return this
  }

  /** A plain btree index on this column alone, named `<table>_<column>_idx` unless given. */
  index(name?: string): this {
    return this.set({ index: { ...(name ? { name } : {}), at: captureLocation() } })
  }

  /** COLLATE, e.g. `C`, or a collation() (`collate(ci)`, the same as `collate('app.ci')`). */
  collate(collation: string | { readonly qualifiedName: string }): this {
    return this.set({ collation: typeof collation === 'string' ? collation : collation.qualifiedName })
  }

  /**
   * STORAGE: `plain` or `main` keep values inline, `external` stores them out of line uncompressed
   * (fast substring of long text), `extended` (the default of most variable-length types) compresses and moves them out.
   */
  storage(storage: ColumnStorage): this {
    return this.set({ storage })
  }

  /** COMPRESSION of the column's values: `pglz`, or `lz4` when the server was built with it (PostgreSQL 14+). */
  compression(method: 'pglz' | 'lz4'): this {
    return this.set({ compression: method })
  }

  /** COMMENT ON COLUMN. */
  comment(text: string): this {
    return this.set({ comment: text })
  }

  /** Rename hint: the column used to be called `oldName`. */
  renamedFrom(oldName: string): this {
    return this.set({ renamedFrom: oldName })
  }

  /** Overrides the TypeScript type (select and insert), e.g. `text().$type<'a' | 'b'>()`. */
  $type<T>(): Column<T, T, TNotNull, THasDefault, TGenerated, TAlways> {
    return this as never
  }

  /**
   * Validates the column's values in the application (`selectSchema()` / `insertSchema()` of
   * `cairn-pg/types`) with a zod (or any Standard Schema) schema, and types them by its output, as
   * `.$type<T>()` would: `jsonb().$validate(z.object({ theme: z.enum(['dark', 'light']) }))`. On
   * json, jsonb and custom types it is the whole check; on other types it runs after the checks the
   * column's type implies. The database never sees it.
   */
  $validate<S extends StandardSchemaLike>(
    schema: S,
  ): Column<StandardOutput<S>, StandardOutput<S>, TNotNull, THasDefault, TGenerated, TAlways> {
    return this.set({ validate: { schema, arrayDims: this.config.arrayDims } })
  }

  /** Index key: ascending. */
  asc(): IndexKeyRef & KeyModifiers {
    return keyRef({ column: this as AnyColumn, order: 'asc' })
  }
  /** Index key: descending. */
  desc(): IndexKeyRef & KeyModifiers {
    return keyRef({ column: this as AnyColumn, order: 'desc' })
  }
  /** Index key: NULLS FIRST. */
  nullsFirst(): IndexKeyRef & KeyModifiers {
    return keyRef({ column: this as AnyColumn, nulls: 'first' })
  }
  /** Index key: NULLS LAST. */
  nullsLast(): IndexKeyRef & KeyModifiers {
    return keyRef({ column: this as AnyColumn, nulls: 'last' })
  }
  /** Index key with an operator class. */
  op(opclass: string): IndexKeyRef & KeyModifiers {
    return keyRef({ column: this as AnyColumn, opclass })
  }

  /** @internal a copy bound to a table under `name` (builders may be reused across tables). */
  bind(table: TableState, key: string): Column<TData, TInsert, TNotNull, THasDefault, TGenerated, TAlways> {
    const c = new Column<TData, TInsert, TNotNull, THasDefault, TGenerated, TAlways>({
      ...this.config,
      name: this.config.name ?? key,
      checks: [...this.config.checks],
      mods: { ...this.config.mods },
    })
    c.table = table
    return c
  }
}


/** Any column, whatever its types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyColumn = Column<any, any, boolean, boolean, boolean, boolean>

/** True when `v` is a DSL column (from any module instance). */
export function isColumn(v: unknown): v is AnyColumn {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[COLUMN_BRAND] === true
}

/** True when `v` is an index key made by `.desc()`, `.op()`, `expr()`, …. */
export function isIndexKey(v: unknown): v is IndexKeyRef {
  return typeof v === 'object' && v !== null && (v as { $indexKey?: unknown }).$indexKey === true
}

function make<D, I = D>(
  name: string | undefined,
  baseType: string,
  literal: LiteralKind,
  castType: string = baseType,
  mods: ColumnConfig['mods'] = {},
): Column<D, I> {
  return new Column<D, I>({
    ...(name !== undefined ? { name } : {}),
    baseType,
    castType,
    literal,
    mods,
    arrayDims: 0,
    notNull: false,
    primaryKey: false,
    checks: [],
    at: captureLocation(),
  })
}

type Opt<T> = [options?: T] | [name: string, options?: T]
function split<T>(args: unknown[]): [string | undefined, T | undefined] {
  return typeof args[0] === 'string' ? [args[0], args[1] as T | undefined] : [undefined, args[0] as T | undefined]
}

/** uuid. */
export const uuid = (name?: string) => make<string>(name, 'uuid', 'string')
/** text. */
export const text = (name?: string) => make<string>(name, 'text', 'string')
/** character varying(n): `varchar(255)` or `varchar('email', 255)`. */
export function varchar(...args: Opt<number | { length?: number }>): Column<string> {
  const [name, o] = split<number | { length?: number }>(args)
  const length = typeof o === 'number' ? o : o?.length
  const type = length === undefined ? 'character varying' : `character varying(${length})`
  return make<string>(name, type, 'string', 'character varying', { length })
}
/** character(n) (`char(1)` when no length is given). */
export function char(...args: Opt<number | { length?: number }>): Column<string> {
  const [name, o] = split<number | { length?: number }>(args)
  const length = (typeof o === 'number' ? o : o?.length) ?? 1
  return make<string>(name, `character(${length})`, 'string', 'bpchar', { length })
}
/** smallint. */
export const smallint = (name?: string) => make<number>(name, 'smallint', 'int')
/** integer. */
export const integer = (name?: string) => make<number>(name, 'integer', 'int')

/** TypeScript representation of a bigint column. */
export type BigintMode = 'number' | 'bigint' | 'string'
type BigintType<M extends BigintMode> = M extends 'bigint' ? bigint : M extends 'string' ? string : number
/** bigint; `{ mode: 'bigint' | 'string' }` changes the TypeScript type (default `number`). */
export function bigint<M extends BigintMode = 'number'>(...args: Opt<{ mode?: M }>): Column<BigintType<M>> {
  const [name, o] = split<{ mode?: M }>(args)
  const c = make<BigintType<M>>(name, 'bigint', 'int')
  if (o?.mode === 'bigint' || o?.mode === 'string') c.config.bigintMode = o.mode
  return c
}
/** numeric(p, s), typed as a string (exact); inserts also accept numbers. */
export function numeric(
  ...args: [precision?: number, scale?: number] | [name: string, precision?: number, scale?: number]
): Column<string, string | number> {
  const [name, precision, scale] =
    typeof args[0] === 'string' ? (args as [string, number?, number?]) : [undefined, ...(args as [number?, number?])]
  const type = precision === undefined ? 'numeric' : `numeric(${precision},${scale ?? 0})`
  return make<string, string | number>(name, type, 'decimal', 'numeric', { precision, scale })
}
/** real. */
export const real = (name?: string) => make<number>(name, 'real', 'float')
/** double precision. */
export const doublePrecision = (name?: string) => make<number>(name, 'double precision', 'float')
/** boolean. */
export const boolean = (name?: string) => make<boolean>(name, 'boolean', 'bool')
/** date, typed as a `YYYY-MM-DD` string. */
export const date = (name?: string) => make<string>(name, 'date', 'date')

function timeType(root: 'time' | 'timestamp', precision: number | undefined, tz: boolean): string {
  return `${root}${precision === undefined ? '' : `(${precision})`} ${tz ? 'with' : 'without'} time zone`
}
/** time [with time zone], optional precision; typed as a string. */
export function time(...args: Opt<{ precision?: number; withTimezone?: boolean }>): Column<string> {
  const [name, o] = split<{ precision?: number; withTimezone?: boolean }>(args)
  const tz = o?.withTimezone ?? false
  return make<string>(name, timeType('time', o?.precision, tz), 'string', timeType('time', undefined, tz), {
    timePrecision: o?.precision,
  })
}
/** timestamp without time zone; selects as Date, inserts accept Date or an ISO string. */
export function timestamp(...args: Opt<{ precision?: number; withTimezone?: boolean }>): Column<Date, Date | string> {
  const [name, o] = split<{ precision?: number; withTimezone?: boolean }>(args)
  const tz = o?.withTimezone ?? false
  return make<Date, Date | string>(name, timeType('timestamp', o?.precision, tz), 'string', timeType('timestamp', undefined, tz), {
    timePrecision: o?.precision,
  })
}
/** timestamp with time zone. */
export function timestamptz(...args: Opt<{ precision?: number }>): Column<Date, Date | string> {
  const [name, o] = split<{ precision?: number }>(args)
  return make<Date, Date | string>(name, timeType('timestamp', o?.precision, true), 'string', 'timestamp with time zone', {
    timePrecision: o?.precision,
  })
}
/** interval, typed as a string. */
export const interval = (name?: string) => make<string>(name, 'interval', 'string')
/** json holding `T`. */
export const json = <T = unknown>(name?: string) => make<T>(name, 'json', 'json')
/** jsonb holding `T`. */
export const jsonb = <T = unknown>(name?: string) => make<T>(name, 'jsonb', 'jsonb')
/** bytea. */
export const bytea = (name?: string) => make<Uint8Array>(name, 'bytea', 'string')
/** inet. */
export const inet = (name?: string) => make<string>(name, 'inet', 'string')
/** cidr. */
export const cidr = (name?: string) => make<string>(name, 'cidr', 'string')
/** macaddr. */
export const macaddr = (name?: string) => make<string>(name, 'macaddr', 'string')
/** tsvector. */
export const tsvector = (name?: string) => make<string>(name, 'tsvector', 'string')

function serialOf<D>(name: string | undefined, type: 'smallint' | 'integer' | 'bigint'): Column<D, D, true, true> {
  const c = make<D>(name, type, 'int')
  c.config.serial = type
  c.config.notNull = true
  return c as never
}
/** serial: integer NOT NULL with an owned sequence as default. */
export const serial = (name?: string) => serialOf<number>(name, 'integer')
/** smallserial. */
export const smallserial = (name?: string) => serialOf<number>(name, 'smallint')
/** bigserial. */
export const bigserial = (name?: string) => serialOf<number>(name, 'bigint')

/** A column of an arbitrary type spelled as Postgres prints it, e.g. `customType<number[]>('vector(3)')`. */
export const customType = <T = unknown>(type: string, name?: string): Column<T> => {
  const c = make<T>(name, type, 'string')
  c.config.customType = true
  return c
}

/** @internal a column typed with an enum. */
export function enumColumn<V extends string>(e: EnumRef, name?: string): Column<V> {
  const c = make<V>(name, qname(e.schema, e.name), 'enum')
  c.config.enumRef = e
  return c
}

