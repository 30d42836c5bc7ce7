/**
 * Backfill job definitions: what `migrations/data/<name>.ts` files export. A job reads one MongoDB
 * collection, validates each document with a zod schema and maps it to rows of one or more target
 * tables (DSL table objects, or bare model TableDefs).
 */
import type { Document } from 'bson'
import type { z } from 'zod'
import type { TableDef } from '../model/types.js'
import type { Queryable } from '../db/database.js'
import { CairnError } from '../errors.js'
import * as convert from './convert.js'

/** A target table: a DSL table object (exposes `$def`) or a bare model table. */
export type TargetTable = { readonly $def: TableDef } | TableDef

/** A DSL table's GENERATED ALWAYS identities: absent from `$inferInsert` (an INSERT may not set them), optional here (COPY may). */
type CopyOnly<T> = {
  -readonly [K in keyof T as K extends `$${string}` ? never : T[K] extends { readonly $column: true; readonly _: { readonly always: true } } ? K : never]?: T[K] extends {
    readonly _: { readonly insert: infer V }
  }
    ? V
    : never
}

/** The row type of a target as COPY takes it: the DSL's `$inferInsert` and its GENERATED ALWAYS identities, else a loose record. */
export type InsertOf<T> = T extends { readonly $inferInsert: infer I } ? (I extends object ? I & CopyOnly<T> : Record<string, unknown>) : Record<string, unknown>

/** Rows for the main target plus rows for the extra targets, built with `ctx.rows(…)`. */
export class JobRows<T = unknown, X = unknown> {
  constructor(
    readonly main: readonly InsertOf<T>[],
    readonly extra: { readonly [K in keyof X]?: readonly InsertOf<X[K]>[] },
  ) {}
}

/** What `map` may return: a row, several rows of the main target, none, or `ctx.rows(…)`. */
export type MapResult<T, X> = InsertOf<T> | readonly InsertOf<T>[] | null | JobRows<T, X>

/** Helpers handed to `map`: deterministic ids and BSON conversions. */
export interface MapContext<T = unknown, X = unknown> {
  /** Name of the running job. */
  readonly job: string
  /** The job's default tenant id (single-tenant legacy data), if it has one. */
  readonly tenant: string
  /** Deterministic UUIDv5 of (collection, id): the same ObjectId always gives the same UUID. */
  uuid(collection: string, id: unknown): string
  /** Like `uuid`, but null/undefined pass through (optional references). */
  ref(collection: string, id: unknown): string | null
  /** Rows for the main target and for extra targets (e.g. a message's `files` join rows). */
  rows(main: InsertOf<T> | readonly InsertOf<T>[] | null, extra: { [K in keyof X]?: readonly InsertOf<X[K]>[] }): JobRows<T, X>
  readonly convert: typeof convert
  /** ObjectId → hex. */
  hex(v: unknown): string | null
  /** Date → ISO text (timestamptz). */
  date(v: unknown): string | null
  /** Decimal128/number → exact numeric text. */
  decimal(v: unknown): string | null
  /** Long/Int32/number → bigint text. */
  long(v: unknown): string | null
  /** Int32/Double/Long/numeric string → number. */
  number(v: unknown): number | null
  /** → 32-bit integer (throws on fractions/overflow). */
  int(v: unknown): number | null
  /** Binary/Buffer → Buffer (bytea). */
  bytes(v: unknown): Buffer | null
  /** UUID / Binary subtype 4 → uuid text. */
  uuidValue(v: unknown): string | null
  /** BSONRegExp → `/pattern/flags`. */
  regex(v: unknown): string | null
  /** Nested documents/arrays → plain JSON for jsonb (see convert.toJson). */
  json(v: unknown): unknown
  /** Nested documents/arrays → relaxed Extended JSON for jsonb (type-preserving). */
  ejson(v: unknown): unknown
  /** True when the key is absent from the document (as opposed to present with null). */
  missing(doc: object, key: string): boolean
}

/** A backfill job as written in `migrations/data/<name>.ts`. */
export interface BackfillDefinition<S extends z.ZodType = z.ZodType, T extends TargetTable = TargetTable, X extends Record<string, TargetTable> = Record<string, never>> {
  /** Unique job name (also the checkpoint key). */
  readonly name: string
  /** Source collection name. */
  readonly collection: string
  readonly target: T
  /** Further tables the job writes (join rows), keyed by a name used in `ctx.rows`. */
  readonly extraTargets?: X
  /** What a valid legacy document looks like; failures become rejects. */
  readonly document: S
  /** Maps one valid document to rows. Throwing rejects the document with the error message. */
  map(doc: z.output<S>, ctx: MapContext<T, X>): MapResult<T, X>
  /** Documents per batch (one transaction each); default 5000. */
  readonly batchSize?: number
  /** Tenant id for single-tenant legacy data, handed to `map` as `ctx.tenant`. */
  readonly defaultTenant?: string
  /** Jobs that must run first beyond those implied by foreign keys. */
  readonly dependsOn?: readonly string[]
  /** Runs before the first batch (same database), e.g. to ensure the default tenant row exists. */
  prepare?(db: Queryable): Promise<void>
}

/** A job after `defineBackfill`: the definition plus resolved tables. */
export interface BackfillJob extends BackfillDefinition<z.ZodType, TargetTable, Record<string, TargetTable>> {
  readonly kind: 'backfill'
  /** The main target's model table. */
  readonly table: TableDef
  /** Extra targets' model tables by key. */
  readonly extraTables: Readonly<Record<string, TableDef>>
  readonly batchSize: number
  /**
   * The module file that defines the job (set when jobs are loaded from files). Worker threads
   * import it to prepare batches in parallel; a job without one is prepared in-process.
   */
  readonly origin?: string
}

/** The model table behind a DSL table object or a TableDef. */
export function tableOf(t: TargetTable): TableDef {
  const def = '$def' in t ? t.$def : t
  if (!def || def.kind !== 'table' || !Array.isArray(def.columns)) {
    throw new CairnError('backfill_bad_target', 'a backfill target must be a DSL table (with $def) or a model TableDef')
  }
  return def
}

/** Declares a backfill job (validates its shape; the file's default or named export is picked up). */
export function defineBackfill<S extends z.ZodType, T extends TargetTable, X extends Record<string, TargetTable> = Record<string, never>>(
  def: BackfillDefinition<S, T, X>,
): BackfillJob {
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(def.name ?? '')) {
    throw new CairnError('backfill_bad_definition', `backfill name "${def.name}" must be letters, digits, "_", "-" or "."`)
  }
  if (!def.collection) throw new CairnError('backfill_bad_definition', `backfill ${def.name} has no collection`)
  if (typeof def.map !== 'function') throw new CairnError('backfill_bad_definition', `backfill ${def.name} has no map function`)
  if (!def.document || typeof (def.document as { safeParse?: unknown }).safeParse !== 'function') {
    throw new CairnError('backfill_bad_definition', `backfill ${def.name}: "document" must be a zod schema`)
  }
  const table = tableOf(def.target)
  if (!table.primaryKey) {
    throw new CairnError('backfill_bad_definition', `backfill ${def.name}: target ${table.schema}.${table.name} has no primary key`, {
      hint: 'resume, upsert and verify compare rows by primary key',
    })
  }
  const extraTables: Record<string, TableDef> = {}
  for (const [k, t] of Object.entries(def.extraTargets ?? {})) {
    extraTables[k] = tableOf(t)
    if (!extraTables[k]!.primaryKey) {
      throw new CairnError('backfill_bad_definition', `backfill ${def.name}: extra target ${k} has no primary key`)
    }
  }
  const batchSize = def.batchSize ?? 5000
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new CairnError('backfill_bad_definition', `backfill ${def.name}: batchSize must be a positive integer`)
  return { ...(def as unknown as BackfillDefinition), kind: 'backfill', table, extraTables, batchSize }
}

/** True when `v` is a job made by defineBackfill. */
export function isBackfillJob(v: unknown): v is BackfillJob {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'backfill' && typeof (v as { map?: unknown }).map === 'function'
}

const nn = <R>(f: (v: unknown) => R | null | undefined) => (v: unknown): R | null => f(v) ?? null

/** The `ctx` handed to `map` for one job. */
export function mapContext(job: Pick<BackfillJob, 'name' | 'defaultTenant'>): MapContext<never, never> {
  return {
    job: job.name,
    get tenant(): string {
      if (!job.defaultTenant) throw new CairnError('backfill_no_tenant', `backfill ${job.name} uses ctx.tenant but has no defaultTenant`)
      return job.defaultTenant
    },
    uuid: (collection, id) => {
      if (id === null || id === undefined) throw new TypeError(`no id to derive a ${collection} uuid from`)
      return convert.deterministicUuid(collection, id)
    },
    ref: (collection, id) => (id === null || id === undefined ? null : convert.deterministicUuid(collection, id)),
    rows: (main, extra) => new JobRows(main === null ? [] : Array.isArray(main) ? main : [main as never], extra as never),
    convert,
    hex: nn(convert.objectIdHex),
    date: nn(convert.timestamp),
    decimal: nn(convert.decimal),
    long: nn(convert.bigintText),
    number: nn(convert.toNumber),
    int: nn(convert.toInt),
    bytes: nn(convert.bytes),
    uuidValue: nn(convert.uuid),
    regex: nn(convert.regexText),
    json: (v) => (v === undefined ? null : convert.toJson(v)),
    ejson: (v) => (v === undefined ? null : convert.toEjson(v)),
    missing: (doc, key) => !Object.prototype.hasOwnProperty.call(doc, key),
  }
}

/** Rows per target key ('' = main target) produced by one mapped document. */
export type RowsByTarget = ReadonlyMap<string, readonly Record<string, unknown>[]>

/** Normalises a `map` result to rows per target key ('' = main). */
export function rowsOf(result: unknown, job: BackfillJob): RowsByTarget {
  const out = new Map<string, Record<string, unknown>[]>()
  if (result === null || result === undefined) return out
  if (result instanceof JobRows) {
    if (result.main.length) out.set('', result.main as Record<string, unknown>[])
    for (const [k, rows] of Object.entries(result.extra as Record<string, unknown[] | undefined>)) {
      if (!(k in job.extraTables)) throw new CairnError('backfill_bad_map', `backfill ${job.name}: ctx.rows names unknown extra target "${k}"`)
      if (rows && rows.length) out.set(k, rows as Record<string, unknown>[])
    }
    return out
  }
  if (Array.isArray(result)) {
    if (result.length) out.set('', result as Record<string, unknown>[])
    return out
  }
  if (typeof result === 'object') out.set('', [result as Record<string, unknown>])
  return out
}

/** The (possibly unvalidated) document type sources hand out. */
export type LegacyDocument = Document
