/**
 * Column types that extensions bring: citext, pgvector's vector/halfvec/sparsevec. They are
 * spelled as Postgres prints them, qualified with the schema the extension is in (`public` unless
 * told): declare the extension too, `export const citextExt = extension('citext')`.
 */
import { qname } from '../sqlgen/quote.js'
import type { Column } from './column.js'
import { customType } from './column.js'

/** Where the extension's types live (its `schema`, default `public`). */
export interface ExtensionTypeOptions {
  readonly schema?: string
}

type Args = [] | [string] | [ExtensionTypeOptions] | [string, ExtensionTypeOptions]

function split(args: Args): [string | undefined, ExtensionTypeOptions] {
  const [a, b] = args
  return typeof a === 'string' ? [a, b ?? {}] : [undefined, a ?? {}]
}

/** citext (extension `citext`): case-insensitive text. */
export function citext(...args: Args): Column<string> {
  const [name, o] = split(args)
  return customType<string>(qname(o.schema ?? 'public', 'citext'), name)
}

function dims(kind: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`${kind}(${n}): the dimension must be a positive integer`)
}

/** vector(n) (extension `vector`, pgvector), selected as its text form `[1,2,3]`. */
export function vector(dimensions: number, ...args: Args): Column<string> {
  dims('vector', dimensions)
  const [name, o] = split(args)
  return customType<string>(`${qname(o.schema ?? 'public', 'vector')}(${dimensions})`, name)
}

/** halfvec(n) (pgvector): half-precision vector. */
export function halfvec(dimensions: number, ...args: Args): Column<string> {
  dims('halfvec', dimensions)
  const [name, o] = split(args)
  return customType<string>(`${qname(o.schema ?? 'public', 'halfvec')}(${dimensions})`, name)
}

/** sparsevec(n) (pgvector): sparse vector, text form `{1:1.5,3:2}/5`. */
export function sparsevec(dimensions: number, ...args: Args): Column<string> {
  dims('sparsevec', dimensions)
  const [name, o] = split(args)
  return customType<string>(`${qname(o.schema ?? 'public', 'sparsevec')}(${dimensions})`, name)
}
