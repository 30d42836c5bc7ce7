/**
 * Aggregates: `aggregate(schema, name, { args, sfunc, stype, finalfunc, initcond, … })`, a
 * CREATE AGGREGATE over functions made with fn() (or built-ins named as text):
 *
 *   const concatStep = fn(app, 'concat_step', { args: ['text', 'text'], returns: 'text', language: 'sql', body: … })
 *   export const groupConcat = aggregate(app, 'group_concat', { args: [text()], sfunc: concatStep, stype: text() })
 *
 * The model keeps functions as `regproc` prints them (user ones qualified, built-ins bare) and types
 * as `format_type()` does; the loader checks the whole statement parses as one CREATE AGGREGATE.
 */
import type { AggregateDef, AggregateModify } from '../model/types.js'
import { canonicalType } from '../model/normalize.js'
import { qname } from '../sqlgen/quote.js'
import type { Column } from './column.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { Fn } from './routine.js'
import { markDsl } from './table.js'

/** A support function: a fn() object, or a name (`app.add_pair`; a bare name is a built-in, `int4pl`). */
export type AggregateFn = Fn | string
/** A type: a column builder (`text()`, `numeric().array()`, an enum or domain column) or its name as Postgres spells it. */
export type AggregateType = Column<any, any, any, any, any, any> | string

/** Options of {@link aggregate}; options left out keep Postgres' defaults. */
export interface AggregateOptions {
  /** Argument types in order; none for `agg(*)`. */
  readonly args?: readonly AggregateType[]
  /** The state transition function: (state, args…) → state. */
  readonly sfunc: AggregateFn
  /** The state's type. */
  readonly stype: AggregateType
  readonly sspace?: number
  readonly finalfunc?: AggregateFn
  readonly finalfuncExtra?: boolean
  readonly finalfuncModify?: AggregateModify
  readonly combinefunc?: AggregateFn
  readonly serialfunc?: AggregateFn
  readonly deserialfunc?: AggregateFn
  /** The initial state as text (`'0'`, `'{}'`, `''`); none starts from NULL. */
  readonly initcond?: string
  readonly msfunc?: AggregateFn
  readonly minvfunc?: AggregateFn
  readonly mstype?: AggregateType
  readonly msspace?: number
  readonly mfinalfunc?: AggregateFn
  readonly mfinalfuncExtra?: boolean
  readonly mfinalfuncModify?: AggregateModify
  readonly minitcond?: string
  /** SORTOP, e.g. `>` (max-like aggregates). */
  readonly sortop?: string
  /** Default unsafe. */
  readonly parallel?: 'safe' | 'restricted' | 'unsafe'
  readonly comment?: string
}

/** An aggregate; export it (functions it names as fn() objects come along). */
export interface Aggregate {
  readonly $def: AggregateDef
  readonly $schema: string
  readonly $name: string
  readonly at: DefinedAt
  /** The fn() objects it uses, loaded with it. */
  readonly $functions: readonly Fn[]
  /** Names and types written as text, which the loader checks. */
  readonly $raw: readonly { readonly kind: 'function' | 'type' | 'operator'; readonly text: string; readonly what: string }[]
}

const isFn = (f: unknown): f is Fn => typeof f === 'object' && f !== null && '$def' in f && (f as Fn).$def.kind === 'function'

/** A support function as `regproc` prints it with `search_path = pg_catalog`. */
function fnName(f: AggregateFn): string {
  if (isFn(f)) return f.$schema === 'pg_catalog' ? qname('pg_catalog', f.$name).replace(/^pg_catalog\./, '') : qname(f.$schema, f.$name)
  return f.trim().replace(/^pg_catalog\./, '')
}

/** A type as `format_type()` prints it without a type modifier (aggregates' types carry none). */
function typeName(t: AggregateType): string {
  const text = typeof t === 'string' ? canonicalType(t) : t.config.baseType + '[]'.repeat(t.config.arrayDims)
  return text.replace(/\(\s*\d+\s*(?:,\s*-?\d+\s*)?\)/, '').replace(/^pg_catalog\./, '')
}

/**
 * `CREATE AGGREGATE schema.name(args) (…)`: `aggregate(app, 'group_concat', { args: [text()], sfunc, stype: text() })`.
 */
export function aggregate(schema: string | { readonly name: string }, name: string, o: AggregateOptions): Aggregate {
  const s = typeof schema === 'string' ? schema : schema.name
  const at = captureLocation()
  const raw: { kind: 'function' | 'type' | 'operator'; text: string; what: string }[] = []
  const fns: Fn[] = []
  const fnOpt = (key: string, f: AggregateFn | undefined) => {
    if (f === undefined) return {}
    if (isFn(f)) fns.push(f)
    else raw.push({ kind: 'function', text: f, what: `the ${key} of aggregate ${s}.${name}` })
    return { [key]: fnName(f) }
  }
  const typeOpt = (key: string, t: AggregateType | undefined) => {
    if (t === undefined) return {}
    if (typeof t === 'string') raw.push({ kind: 'type', text: t, what: `the ${key} of aggregate ${s}.${name}` })
    return { [key]: typeName(t) }
  }
  const args = (o.args ?? []).map((a, i) => {
    if (typeof a === 'string') raw.push({ kind: 'type', text: a, what: `the type of argument ${i + 1} of aggregate ${s}.${name}` })
    return typeName(a)
  })
  if (o.sortop !== undefined) raw.push({ kind: 'operator', text: o.sortop, what: `the sortop of aggregate ${s}.${name}` })
  const def = {
    kind: 'aggregate',
    schema: s,
    name,
    args: args.join(', '),
    ...fnOpt('sfunc', o.sfunc),
    ...typeOpt('stype', o.stype),
    ...(o.sspace ? { sspace: o.sspace } : {}),
    ...fnOpt('finalfunc', o.finalfunc),
    ...(o.finalfuncExtra ? { finalfuncExtra: true } : {}),
    ...(o.finalfuncModify !== undefined && o.finalfuncModify !== 'read_only' ? { finalfuncModify: o.finalfuncModify } : {}),
    ...fnOpt('combinefunc', o.combinefunc),
    ...fnOpt('serialfunc', o.serialfunc),
    ...fnOpt('deserialfunc', o.deserialfunc),
    ...(o.initcond !== undefined ? { initcond: o.initcond } : {}),
    ...fnOpt('msfunc', o.msfunc),
    ...fnOpt('minvfunc', o.minvfunc),
    ...typeOpt('mstype', o.mstype),
    ...(o.msspace ? { msspace: o.msspace } : {}),
    ...fnOpt('mfinalfunc', o.mfinalfunc),
    ...(o.mfinalfuncExtra ? { mfinalfuncExtra: true } : {}),
    ...(o.mfinalfuncModify !== undefined && o.mfinalfuncModify !== 'read_only' ? { mfinalfuncModify: o.mfinalfuncModify } : {}),
    ...(o.minitcond !== undefined ? { minitcond: o.minitcond } : {}),
    ...(o.sortop !== undefined ? { sortop: o.sortop.trim() } : {}),
    ...(o.parallel === 'safe' || o.parallel === 'restricted' ? { parallel: o.parallel } : {}),
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  } as AggregateDef
  return markDsl({ $def: def, $schema: s, $name: name, at, $functions: fns, $raw: raw }, 'aggregate')
}
