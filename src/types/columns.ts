/** The column types of a DSL table, as the Kysely and zod types read them. Types only. */
import type { AnyTable } from '../dsl/index.js'

/** What a column knows about itself at the type level (`Column['_']`). */
export type Meta<C> = C extends { readonly _: infer M } ? M : never
/** The value a SELECT returns: `T | null` for nullable columns. */
export type SelectValue<C> = Meta<C> extends { data: infer D; notNull: infer N } ? (N extends true ? D : D | null) : never
/** The value an INSERT or UPDATE takes. */
export type InsertValue<C> = Meta<C> extends { insert: infer I; notNull: infer N } ? (N extends true ? I : I | null) : never
/** Generated columns and GENERATED ALWAYS identities: an INSERT or UPDATE may not set them. */
export type NeverWritten<C> = Meta<C> extends { generated: true } | { always: true } ? true : false
/** NOT NULL without a default, identity or serial: an INSERT must give it. */
export type RequiredOnInsert<C> = Meta<C> extends { notNull: true; hasDefault: false } ? true : false

/**
 * A table's columns by property key. Read from the table's own properties (`users.email`): its
 * `$columns` is typed together with AnyTable's index signature, which would widen the keys to string.
 */
export type ColumnsOf<T extends AnyTable> = {
  [K in keyof T as K extends `$${string}` ? never : T[K] extends { readonly $column: true } ? K : never]: T[K]
}
