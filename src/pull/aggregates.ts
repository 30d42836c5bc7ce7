/**
 * `cairn pull` for aggregates and composite types: the options of `aggregate()` and the attributes
 * of `compositeType()`, written so that loading them gives back the same model (pure).
 */
import type { AggregateDef, CompositeAttributeDef } from '../model/types.js'
import { jsString, jsValue } from './ts-text.js'

/** Options of an aggregate() call, or why the DSL cannot write it. */
export type AggregateWritten = { readonly entries: readonly (readonly [string, string])[] } | { readonly reason: string }

const FN_KEYS = ['sfunc', 'finalfunc', 'combinefunc', 'serialfunc', 'deserialfunc', 'msfunc', 'minvfunc', 'mfinalfunc'] as const

/**
 * The aggregate() options of `a`; `fnCode` gives the source text of a support function (its fn()
 * object when written in the same file, else its name as a string).
 */
export function aggregateOptions(a: AggregateDef, fnCode: (qualified: string) => string): AggregateWritten {
  if (a.hypothetical || / ORDER BY /.test(` ${a.args} `) || /\bVARIADIC\b|\b(IN|OUT|INOUT) /.test(a.args) || a.args.includes('"any"')) {
    return { reason: 'aggregate() writes plain aggregates over argument types (not ordered-set, hypothetical-set or VARIADIC ones)' }
  }
  const args = a.args === '' ? [] : a.args.split(', ')
  const e: [string, string][] = []
  if (args.length) e.push(['args', `[${args.map(jsString).join(', ')}]`])
  for (const k of Object.keys(a) as (keyof AggregateDef)[]) {
    const v = a[k]
    if (k === 'kind' || k === 'schema' || k === 'name' || k === 'args' || v === undefined) continue
    if ((FN_KEYS as readonly string[]).includes(k)) e.push([k, fnCode(String(v))])
    else e.push([k, jsValue(v)])
  }
  return { entries: e }
}

/** The column builder text of one attribute, given the text of its type's builder call. */
export function attributeText(a: CompositeAttributeDef, typeText: string): string {
  let s = typeText
  if (a.collation !== undefined) s += `.collate(${jsString(a.collation)})`
  if (a.comment !== undefined) s += `.comment(${jsString(a.comment)})`
  return s
}
