/**
 * Kysely's `Database` interface from the definitions, with no generation step:
 * `new Kysely<KyselyDatabase<typeof schema>>(…)` after `import * as schema from './schema'`.
 * Types only.
 */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely'
import type { AnyTable } from '../dsl/index.js'
import type { ColumnsOf, InsertValue, NeverWritten, SelectValue } from './columns.js'

type Simplify<T> = { [K in keyof T]: T[K] } & {}
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false

/**
 * One column as Kysely sees it. `GeneratedAlways<T>` (`ColumnType<T, never, never>`) for generated
 * columns and GENERATED ALWAYS identities, which an INSERT or UPDATE may not set; `Generated<T>` for
 * columns with a default, identity or serial; `ColumnType<Select, Insert, Update>` where the types
 * differ (timestamps take `Date | string`, numeric takes `string | number`).
 */
export type KyselyColumn<C> =
  NeverWritten<C> extends true
    ? GeneratedAlways<SelectValue<C>>
    : HasDefault<C> extends true
      ? Same<SelectValue<C>, InsertValue<C>> extends true
        ? Generated<SelectValue<C>>
        : ColumnType<SelectValue<C>, InsertValue<C> | undefined, InsertValue<C>>
      : Same<SelectValue<C>, InsertValue<C>> extends true
        ? SelectValue<C>
        : ColumnType<SelectValue<C>, InsertValue<C>, InsertValue<C>>

type HasDefault<C> = C extends { readonly _: { hasDefault: true } } ? true : false

/**
 * A table's row type for Kysely. Columns are keyed by property, which is their SQL name unless
 * one was given (`firstName: text('first_name')`); TypeScript does not see such a name, so keep the
 * two equal or let Kysely's `CamelCasePlugin` translate.
 */
export type KyselyTable<T extends AnyTable> = Simplify<{
  -readonly [K in keyof ColumnsOf<T>]: KyselyColumn<ColumnsOf<T>[K]>
}>

/** A typed view's row for Kysely: every column read-only. */
export type KyselyView<Row> = Simplify<{ -readonly [K in keyof Row]: GeneratedAlways<Row[K]> }>

type Literal<S> = S extends string ? (string extends S ? never : S) : never
type KeyOf<S, N> = [Literal<S>, Literal<N>] extends [infer LS extends string, infer LN extends string]
  ? [LS] extends [never]
    ? never
    : [LN] extends [never]
      ? never
      : LS extends 'public'
        ? LN
        : `${LS}.${LN}`
  : never

type TableLike = AnyTable
interface ViewLike {
  readonly $def: { readonly kind: 'view' }
  readonly $schema: string
  readonly $name: string
  readonly $inferSelect: unknown
}

type Prev = [never, 0, 1, 2]
/** Tables and typed views among the exports, looking into nested namespaces (`export * as app`). */
type Relations<S, D extends number = 2> = [D] extends [never]
  ? never
  : {
      [K in keyof S]: S[K] extends TableLike
        ? S[K]
        : S[K] extends ViewLike
          ? unknown extends S[K]['$inferSelect']
            ? never
            : S[K]
          : S[K] extends (...args: never[]) => unknown
            ? never
            : S[K] extends readonly unknown[]
              ? never
              : S[K] extends { readonly $def: unknown }
                ? never
                : S[K] extends object
                  ? Relations<S[K], Prev[D]>
                  : never
    }[keyof S]

type RowOf<R> = R extends TableLike ? KyselyTable<R> : R extends ViewLike ? KyselyView<R['$inferSelect']> : never

/**
 * Kysely's `Database` interface for the tables and typed views exported by a definitions module:
 *
 * ```ts
 * import * as schema from './schema'
 * const db = new Kysely<KyselyDatabase<typeof schema>>({ dialect })
 * await db.selectFrom('auth.users').select(['id', 'email']).execute()
 * ```
 *
 * Keys are `schema.table`, and the bare table name for tables in `public`. Namespaces re-exported
 * with `export * as app from './app'` are looked into (two levels). Tables and views whose schema or
 * name is not a literal type (partitions from `rangePartitions()`, a name built at run time) and
 * views without `.$type<Row>()` are left out. Several modules: `KyselyDatabase<typeof schema & typeof views>`.
 */
export type KyselyDatabase<S> = Simplify<{
  [R in Relations<S> as KeyOf<R extends { $schema: infer X } ? X : never, R extends { $name: infer N } ? N : never>]: RowOf<R>
}>
