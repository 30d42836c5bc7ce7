/**
 * Table-level definitions returned from a table's extras callback (or, for indexes, exported on
 * their own): indexes, composite primary keys, unique constraints, foreign keys and checks.
 */
import type { FkAction } from '../model/types.js'
import type { AnyColumn, IndexKeyRef } from './column.js'
import { isColumn, isIndexKey } from './column.js'
import type { DefinedAt } from './location.js'
import type { PolicyExtra, RlsExtra } from './policy.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import { currentExtrasTable, registerLateIndex } from './table-state.js'

/** The brand every table-level definition carries, holding its kind. */
export const EXTRA_BRAND: unique symbol = Symbol.for('cairn.dsl.extra') as never

/** Kinds of table-level definitions. */
export type ExtraKind = 'index' | 'primaryKey' | 'unique' | 'foreignKey' | 'check' | 'exclude' | 'policy' | 'rls'

interface ExtraBase<K extends ExtraKind> {
  readonly [EXTRA_BRAND]: K
  readonly at: DefinedAt
}

/** True when `v` is a table-level definition (of `kind`, if given). */
export function isExtra(v: unknown, kind?: ExtraKind): v is AnyExtra {
  if (typeof v !== 'object' || v === null) return false
  const k = (v as Record<symbol, unknown>)[EXTRA_BRAND]
  return typeof k === 'string' && (kind === undefined || k === kind)
}

/** The kind of a table-level definition. */
export function extraKind(v: AnyExtra): ExtraKind {
  return v[EXTRA_BRAND]
}

/** Index key as given: a column, a column with modifiers, or an SQL expression. */
export type IndexKeyInput = AnyColumn | IndexKeyRef | SQL

/** Normalises an index key input to an IndexKeyRef. */
export function toKeyRef(k: IndexKeyInput): IndexKeyRef {
  if (isIndexKey(k)) return k
  if (isColumn(k)) return { $indexKey: true, column: k }
  if (isSQL(k)) return { $indexKey: true, expression: k }
  // a property that does not exist (t.missing): reported by validation as unknown_column
  if (k === undefined || k === null) return { $indexKey: true, missing: true }
  throw new TypeError('an index key must be a column, a column with .desc()/.op()/…, or sql`…`')
}

/** Index storage parameter values. */
export type StorageParams = Readonly<Record<string, string | number | boolean>>

/** `index()` / `uniqueIndex()`: chain `.on(…)`, `.using(…)`, `.where(…)`, `.include(…)`, `.with(…)`. */
export class IndexBuilder implements ExtraBase<'index'> {
  readonly [EXTRA_BRAND] = 'index' as const
  readonly at: DefinedAt = captureLocation()
  /** @internal */
  readonly config: {
    name?: string
    unique: boolean
    method: string
    keys: IndexKeyRef[]
    include: AnyColumn[]
    where?: SQL
    nullsNotDistinct: boolean
    with: Record<string, string>
    comment?: string
  }

  /** @internal */
  constructor(name: string | undefined, unique: boolean) {
    this.config = { ...(name ? { name } : {}), unique, method: 'btree', keys: [], include: [], nullsNotDistinct: false, with: {} }
  }

  private attach(): this {
    // an index declared outside a table's extras callback belongs to the table of its first column
    if (!currentExtrasTable()) registerLateIndex(this)
    return this
  }

  /** The indexed columns or expressions, in order. */
  on(...keys: IndexKeyInput[]): this {
    this.config.keys.push(...keys.map(toKeyRef))
    return this.attach()
  }

  /** Access method (btree, gin, gist, brin, hash, …), optionally with the keys. */
  using(method: string, ...keys: IndexKeyInput[]): this {
    this.config.method = method
    this.config.keys.push(...keys.map(toKeyRef))
    return keys.length ? this.attach() : this
  }

  /** Partial index predicate. */
  where(predicate: SQL): this {
    this.config.where = predicate
    return this
  }

  /** INCLUDE columns (covering index). */
  include(...columns: AnyColumn[]): this {
    this.config.include.push(...columns)
    return this
  }

  /** Index storage parameters, e.g. `{ fillfactor: 70 }`. */
  with(params: StorageParams): this {
    for (const [k, v] of Object.entries(params)) this.config.with[k] = String(v)
    return this
  }

  /** NULLS NOT DISTINCT (unique indexes, PostgreSQL 15+). */
  nullsNotDistinct(): this {
    this.config.nullsNotDistinct = true
    return this
  }

  /** COMMENT ON INDEX. */
  comment(text: string): this {
    this.config.comment = text
    return this
  }
}

/** A plain index; named `<table>_<columns>_idx` unless a name is given. */
export function index(name?: string): IndexBuilder {
  return new IndexBuilder(name, false)
}

/** A unique index. */
export function uniqueIndex(name?: string): IndexBuilder {
  return new IndexBuilder(name, true)
}

const storage = (params: StorageParams | undefined): Record<string, string> | undefined =>
  params === undefined ? undefined : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))

/** A composite primary key. */
export interface PrimaryKeyExtra extends ExtraBase<'primaryKey'> {
  readonly name?: string
  readonly columns: readonly AnyColumn[]
  /** Storage parameters of its index (`WITH (fillfactor=70)`). */
  readonly with?: Record<string, string>
  /** COMMENT ON CONSTRAINT. */
  readonly comment?: string
}

/** PRIMARY KEY over several columns (each must be `.notNull()`); `with`: its index's storage parameters. */
export function primaryKey(options: { columns: readonly AnyColumn[]; name?: string; with?: StorageParams; comment?: string }): PrimaryKeyExtra {
  const w = storage(options.with)
  return {
    [EXTRA_BRAND]: 'primaryKey', at: captureLocation(), columns: options.columns, ...(options.name ? { name: options.name } : {}),
    ...(w ? { with: w } : {}), ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
}

/** A UNIQUE constraint over one or more columns. */
export class UniqueBuilder implements ExtraBase<'unique'> {
  readonly [EXTRA_BRAND] = 'unique' as const
  readonly at: DefinedAt = captureLocation()
  /** @internal */
  readonly config: {
    name?: string; columns: AnyColumn[]; nullsNotDistinct: boolean; deferrable?: boolean | 'deferred'
    with?: Record<string, string>; comment?: string
  }

  /** @internal */
  constructor(name?: string) {
    this.config = { ...(name ? { name } : {}), columns: [], nullsNotDistinct: false }
  }

  /** The constrained columns. */
  on(...columns: AnyColumn[]): this {
    this.config.columns.push(...columns)
    return this
  }

  /** UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+). */
  nullsNotDistinct(): this {
    this.config.nullsNotDistinct = true
    return this
  }

  /** DEFERRABLE (`'deferred'`: INITIALLY DEFERRED). */
  deferrable(mode: true | 'deferred' = true): this {
    this.config.deferrable = mode
    return this
  }

  /** Storage parameters of the constraint's index, e.g. `{ fillfactor: 70 }`. */
  with(params: StorageParams): this {
    this.config.with = { ...this.config.with, ...storage(params) }
    return this
  }

  /** COMMENT ON CONSTRAINT. */
  comment(text: string): this {
    this.config.comment = text
    return this
  }
}

/** UNIQUE (…), named `<table>_<columns>_key` unless a name is given. */
export function unique(name?: string): UniqueBuilder {
  return new UniqueBuilder(name)
}

/** A foreign key over one or more columns. */
export interface ForeignKeyExtra extends ExtraBase<'foreignKey'> {
  readonly name?: string
  readonly columns: readonly AnyColumn[]
  readonly foreignColumns: () => readonly AnyColumn[]
  readonly onDelete: FkAction
  readonly onUpdate: FkAction
  readonly deferrable?: boolean | 'deferred'
  readonly match?: 'full'
  /** COMMENT ON CONSTRAINT. */
  readonly comment?: string
}

/**
 * FOREIGN KEY (columns) REFERENCES other (foreignColumns): composite, cross-schema or
 * self-referencing (`foreignColumns: [t.id]`). `foreignColumns` may be a thunk for tables declared later.
 */
export function foreignKey(options: {
  columns: readonly AnyColumn[]
  foreignColumns: readonly AnyColumn[] | (() => readonly AnyColumn[])
  name?: string
  onDelete?: FkAction
  onUpdate?: FkAction
  deferrable?: boolean | 'deferred'
  match?: 'full'
  comment?: string
}): ForeignKeyExtra {
  const fc = options.foreignColumns
  return {
    [EXTRA_BRAND]: 'foreignKey',
    at: captureLocation(),
    columns: options.columns,
    foreignColumns: typeof fc === 'function' ? fc : () => fc,
    onDelete: options.onDelete ?? 'no action',
    onUpdate: options.onUpdate ?? 'no action',
    ...(options.name ? { name: options.name } : {}),
    ...(options.deferrable ? { deferrable: options.deferrable } : {}),
    ...(options.match ? { match: options.match } : {}),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
}

/** A CHECK constraint. */
export interface CheckExtra extends ExtraBase<'check'> {
  readonly name?: string
  readonly expression: SQL
  /** COMMENT ON CONSTRAINT. */
  readonly comment?: string
}

/**
 * CHECK (expression), e.g. `check('users_email_check', sql\`position('@' in email) > 1\`)`;
 * `{ comment }` sets COMMENT ON CONSTRAINT.
 */
export function check(name: string, expression: SQL, options: { comment?: string } = {}): CheckExtra {
  return { [EXTRA_BRAND]: 'check', at: captureLocation(), name, expression, ...(options.comment !== undefined ? { comment: options.comment } : {}) }
}

/** One element of an EXCLUDE constraint: a column or an expression, compared WITH an operator. */
export interface ExcludeElement {
  readonly key: IndexKeyRef
  readonly operator: string
}

/**
 * An EXCLUDE constraint: `exclude('bookings_no_overlap').using('gist').on(t.room, '=').on(t.during, '&&')`
 * is `EXCLUDE USING gist (room WITH =, during WITH &&)`. Named `<table>_<columns>_excl` unless a
 * name is given.
 */
export class ExcludeBuilder implements ExtraBase<'exclude'> {
  readonly [EXTRA_BRAND] = 'exclude' as const
  readonly at: DefinedAt = captureLocation()
  /** @internal */
  readonly config: { name?: string; method: string; elements: ExcludeElement[]; where?: SQL; deferrable?: true | 'deferred'; comment?: string }

  /** @internal */
  constructor(name?: string) {
    this.config = { ...(name ? { name } : {}), method: 'gist', elements: [] }
  }

  /** Access method of the constraint's index (gist by default; btree, hash, spgist, …). */
  using(method: string): this {
    this.config.method = method
    return this
  }

  /** An element: `key WITH operator`, the key a column (t.room) or an expression (sql`lower(name)`). */
  on(key: IndexKeyInput, operator: string): this {
    this.config.elements.push({ key: toKeyRef(key), operator })
    return this
  }

  /** WHERE (predicate): a partial exclusion constraint. */
  where(predicate: SQL): this {
    this.config.where = predicate
    return this
  }

  /** DEFERRABLE (`'deferred'`: INITIALLY DEFERRED). */
  deferrable(mode: true | 'deferred' = true): this {
    this.config.deferrable = mode
    return this
  }

  /** COMMENT ON CONSTRAINT. */
  comment(text: string): this {
    this.config.comment = text
    return this
  }
}

/** EXCLUDE USING … (…), named `<table>_<columns>_excl` unless a name is given. */
export function exclude(name?: string): ExcludeBuilder {
  return new ExcludeBuilder(name)
}

/** Any table-level definition. */
export type AnyExtra = IndexBuilder | PrimaryKeyExtra | UniqueBuilder | ForeignKeyExtra | CheckExtra | ExcludeBuilder | PolicyExtra | RlsExtra
