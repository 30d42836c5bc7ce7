/**
 * Composite types: `compositeType(schema, name, { attribute: column builder, … })`, a
 * `CREATE TYPE … AS (…)`. Call the type to make a column (or pass it where a type goes):
 *
 *   export const address = compositeType(app, 'address', { street: text(), zip: varchar(10) })
 *   export const shops = app.table('shops', { id: serial().primaryKey(), location: address() })
 *
 * Attributes take a type, a collation and a comment from their builder (`.collate()`, `.comment()`);
 * nothing else of a column (defaults, NOT NULL, keys) applies to an attribute.
 */
import type { CompositeTypeDef } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import type { AnyColumn, Column } from './column.js'
import { customType } from './column.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import { markDsl } from './table.js'

/** Options of {@link compositeType}. */
export interface CompositeTypeOptions {
  readonly comment?: string
}

/** A composite type; call it to make a column of it: `address()` or `address('home')`. */
export interface CompositeType<TData = unknown> {
  (name?: string): Column<TData>
  readonly $def: CompositeTypeDef
  readonly $schema: string
  readonly $name: string
  readonly at: DefinedAt
  /** Attribute types written with customType(), which the loader checks; and what does not apply to an attribute. */
  readonly $raw: readonly { readonly kind: 'type'; readonly text: string; readonly what: string }[]
  readonly $ignored: readonly string[]
}

/** `CREATE TYPE schema.name AS (attribute type, …)`. */
export function compositeType<TData = Record<string, unknown>>(
  schema: string | { readonly name: string },
  name: string,
  attributes: Readonly<Record<string, AnyColumn>>,
  options: CompositeTypeOptions = {},
): CompositeType<TData> {
  const s = typeof schema === 'string' ? schema : schema.name
  const at = captureLocation()
  const raw: { kind: 'type'; text: string; what: string }[] = []
  const ignored: string[] = []
  const def: CompositeTypeDef = {
    kind: 'composite',
    schema: s,
    name,
    attributes: Object.entries(attributes).map(([key, col]) => {
      const c = col.config
      const attr = c.name ?? key
      const type = c.baseType + '[]'.repeat(c.arrayDims)
      if (c.customType) raw.push({ kind: 'type', text: type, what: `the type of attribute ${attr} of ${s}.${name}` })
      const extra = [
        c.notNull && 'notNull()', c.primaryKey && 'primaryKey()', c.unique && 'unique()', c.default && 'default()',
        c.identity && 'identity', c.generated && 'generatedAlwaysAs()', c.references && 'references()', c.checks.length > 0 && 'check()',
      ].filter((x): x is string => typeof x === 'string')
      for (const x of extra) ignored.push(`attribute ${attr} of ${s}.${name} has .${x.replace(/\(\)$/, '')}(), which a composite type's attribute cannot have`)
      return {
        name: attr,
        type,
        ...(c.collation !== undefined ? { collation: c.collation } : {}),
        ...(c.comment !== undefined ? { comment: c.comment } : {}),
      }
    }),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  const make = (col?: string): Column<TData> => {
    const c = customType<TData>(qname(s, name), col)
    delete c.config.customType
    return c
  }
  Object.defineProperties(make, {
    $def: { value: def },
    $schema: { value: s },
    $name: { value: name },
    at: { value: at },
    $raw: { value: raw },
    $ignored: { value: ignored },
  })
  return markDsl(make as unknown as CompositeType<TData>, 'composite')
}
