/**
 * Views and materialized views: `view(schema, name, { sql: sql\`SELECT …\` })`, exported from
 * `views/*.ts`. The definition is stored as written; `cairn generate` puts it into
 * pg_get_viewdef's spelling by applying it to a scratch database.
 */
import type { IndexDef, ViewDef } from '../model/types.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import { chooseName, nameAddition } from './names.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import type { AnyTable, PgSchema } from './table.js'
import { markDsl } from './table.js'

/** An index on a materialized view, by column names. */
export interface ViewIndexOptions {
  readonly name?: string
  readonly on: readonly string[]
  readonly unique?: boolean
  /** Access method (default btree). */
  readonly using?: string
  /** Partial index predicate, as pg_get_expr prints it. */
  readonly where?: SQL | string
  readonly with?: Readonly<Record<string, string | number | boolean>>
  readonly comment?: string
}

/** Options of view(). */
export interface ViewOptions {
  /** The SELECT; stored as given (canonicalised to pg_get_viewdef form when generating). */
  readonly sql: SQL | string
  readonly materialized?: boolean
  /** WITH (…): security_barrier, check_option, security_invoker for views; storage parameters for materialized views. */
  readonly with?: Readonly<Record<string, string | number | boolean>>
  /** Tables and views the query reads: checked to be exported, so a missing one is reported at load. */
  readonly deps?: readonly (AnyTable | AnyView)[]
  /** Indexes (materialized views only). */
  readonly indexes?: readonly ViewIndexOptions[]
  readonly comment?: string
}

/** A DSL view. */
export interface AnyView {
  readonly $def: ViewDef
  readonly $schema: string
  readonly $name: string
  readonly deps: readonly (AnyTable | AnyView)[]
  readonly at: DefinedAt
}

/**
 * A DSL view with its schema and name known to TypeScript. Its rows are not inferred from the SQL:
 * `.$type<Row>()` declares them, and typed views join `KyselyDatabase` (read-only).
 */
export interface View<TSchema extends string = string, TName extends string = string, TRow = unknown> extends AnyView {
  readonly $schema: TSchema
  readonly $name: TName
  /** Type-only: the row the view returns, once declared with `.$type<Row>()`. */
  readonly $inferSelect: TRow
  /** Declares the row type: `view(app, 'active_users', { sql }).$type<{ id: string; email: string }>()`. */
  $type<TRow2 extends Record<string, unknown>>(): View<TSchema, TName, TRow2>
}

/** CREATE [MATERIALIZED] VIEW schema.name AS …; `schema` is a pgSchema() object or a schema name. */
export function view<TSchema extends string, TName extends string>(
  schema: PgSchema<TSchema> | TSchema,
  name: TName,
  options: ViewOptions,
): View<TSchema, TName> {
  const schemaName = typeof schema === 'string' ? schema : schema.name
  const materialized = options.materialized ?? false
  const taken = new Set<string>([name])
  const indexes: IndexDef[] = (options.indexes ?? []).map((ix) => {
    const ixName = ix.name ?? chooseName(name, nameAddition([...ix.on]), 'idx', taken)
    taken.add(ixName)
    return {
      name: ixName,
      unique: ix.unique ?? false,
      method: ix.using ?? 'btree',
      keys: ix.on.map((column) => ({ column })),
      include: [],
      ...(ix.where !== undefined ? { where: isSQL(ix.where) ? ix.where.text : ix.where } : {}),
      with: Object.fromEntries(Object.entries(ix.with ?? {}).map(([k, v]) => [k, String(v)])),
      ...(ix.comment !== undefined ? { comment: ix.comment } : {}),
    }
  })
  const def: ViewDef = {
    kind: 'view',
    schema: schemaName,
    name,
    materialized,
    definition: (isSQL(options.sql) ? options.sql.text : options.sql).trim().replace(/;$/, ''),
    with: Object.fromEntries(Object.entries(options.with ?? {}).map(([k, v]) => [k, String(v)])),
    indexes,
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  const v = { $def: def, $schema: schemaName, $name: name, deps: options.deps ?? [], at: captureLocation() }
  Object.defineProperty(v, '$type', { value: () => v, enumerable: false })
  return markDsl(v, 'view') as unknown as View<TSchema, TName>
}

/** CREATE MATERIALIZED VIEW: view() with `materialized: true`. */
export function materializedView<TSchema extends string, TName extends string>(
  schema: PgSchema<TSchema> | TSchema,
  name: TName,
  options: Omit<ViewOptions, 'materialized'>,
): View<TSchema, TName> {
  return view(schema, name, { ...options, materialized: true })
}
