/**
 * Domains: `domain(schema, name, base, { notNull, default, check, collate, comment })`, a type
 * with constraints over a base column type. Call the domain to make a column of it:
 *
 *   export const positive = domain(app, 'positive', integer(), { check: sql`VALUE > 0` })
 *   export const stock = app.table('stock', { qty: positive().notNull() })
 *
 * Export the domain like an enum. Its checks and default are raw SQL: the loader checks they
 * parse, and canonicalisation puts them into Postgres' spelling.
 */
import type { DomainDef } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import type { Column } from './column.js'
import { customType } from './column.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import { markDsl } from './table.js'

/** Options of {@link domain}. */
export interface DomainOptions {
  readonly notNull?: boolean
  /** Default expression, e.g. sql`0`. */
  readonly default?: SQL
  /** CHECK constraints testing `VALUE`: one (named `<domain>_check`) or several by name. */
  readonly check?: SQL | Readonly<Record<string, SQL>>
  /** A collation other than the base type's, e.g. `C`. */
  readonly collate?: string
  readonly comment?: string
}

/** A domain; call it to make a column of it: `positive()` or `positive('qty')`. */
export interface DomainType<TData = unknown> {
  (name?: string): Column<TData>
  readonly $def: DomainDef
  readonly $schema: string
  readonly $name: string
  readonly at: DefinedAt
  /** Raw SQL the loader checks: the default and the checks. */
  readonly $raw: readonly { readonly kind: 'expression'; readonly text: string; readonly what: string }[]
}

/** `CREATE DOMAIN schema.name AS <base column's type> …`. */
export function domain<TData>(
  schema: string | { readonly name: string },
  name: string,
  base: Column<TData, any, any, any, any, any>,
  options: DomainOptions = {},
): DomainType<TData> {
  const s = typeof schema === 'string' ? schema : schema.name
  const at = captureLocation()
  const cfg = base.config
  const type = cfg.baseType + '[]'.repeat(cfg.arrayDims)
  const checks = options.check === undefined ? [] : isSQL(options.check) ? [[`${name}_check`, options.check] as const] : Object.entries(options.check)
  const def: DomainDef = {
    kind: 'domain',
    schema: s,
    name,
    type,
    notNull: options.notNull === true,
    ...(options.default !== undefined ? { default: options.default.text } : {}),
    ...(options.collate !== undefined ? { collation: options.collate } : {}),
    checks: checks.map(([n, e]) => ({ name: n, expression: e.text })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  const raw = [
    ...(options.default !== undefined ? [{ kind: 'expression' as const, text: options.default.text, what: `the default of domain ${s}.${name}` }] : []),
    ...checks.map(([n, e]) => ({ kind: 'expression' as const, text: e.text, what: `check ${n} of domain ${s}.${name}` })),
  ]
  const make = (col?: string): Column<TData> => {
    const c = customType<TData>(qname(s, name), col)
    // literals of the base type's kind (a domain over integer takes numbers); the type is not raw SQL
    c.config.literal = cfg.literal
    delete c.config.customType
    return c
  }
  Object.defineProperties(make, {
    $def: { value: def },
    $schema: { value: s },
    $name: { value: name },
    at: { value: at },
    $raw: { value: raw },
  })
  return markDsl(make as unknown as DomainType<TData>, 'domain')
}
