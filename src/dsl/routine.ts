/**
 * Functions and procedures: `fn(schema, name, { args, returns, language, body, … })`. The model
 * keeps a function as its whole `CREATE OR REPLACE FUNCTION` text; the loader checks it parses as
 * exactly that statement, and canonicalisation puts it into `pg_get_functiondef()`'s spelling.
 */
import type { FunctionDef } from '../model/types.js'
import { ident, literal, qname } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import { markDsl } from './table.js'

/** One argument: `'integer'`, `'p_id integer'`, or its parts. */
export type FnArg =
  | string
  | {
      readonly name?: string
      /** The type as Postgres spells it: `integer`, `text[]`, `app.mood`. */
      readonly type: string
      readonly mode?: 'in' | 'out' | 'inout' | 'variadic'
      /** Default expression, e.g. `'0'` or sql`now()`. */
      readonly default?: string | SQL
    }

/** Options of {@link fn}. */
export interface FnOptions {
  /** Arguments in order (default none). */
  readonly args?: readonly FnArg[]
  /** Return type: `trigger`, `integer`, `setof app.users`, `table (id integer, name text)`, `void`. Not for procedures. */
  readonly returns?: string
  /** `sql`, `plpgsql` (default) or another installed language. */
  readonly language?: 'sql' | 'plpgsql' | (string & {})
  /** The body, written between dollar quotes as it is. */
  readonly body?: string | SQL
  /**
   * Instead of `body`, a `LANGUAGE sql` body in the SQL-standard form, written as it is:
   * `RETURN a + b` or `BEGIN ATOMIC … END`. PostgreSQL parses it when the function is created, so
   * what it names must exist by then.
   */
  readonly sqlBody?: string | SQL
  /** Default volatile. */
  readonly volatility?: 'volatile' | 'stable' | 'immutable'
  /** Default invoker. */
  readonly security?: 'invoker' | 'definer'
  /** `SET search_path` for the function's calls (recommended with `security: 'definer'`). */
  readonly searchPath?: string | readonly string[]
  /** RETURNS NULL ON NULL INPUT. */
  readonly strict?: boolean
  /** Default unsafe. */
  readonly parallel?: 'unsafe' | 'restricted' | 'safe'
  readonly leakproof?: boolean
  /** The planner's estimated cost per call (default 1 for C and internal functions, 100 otherwise). */
  readonly cost?: number
  /** The planner's estimated number of rows of a set-returning function (default 1000). */
  readonly rows?: number
  readonly comment?: string
  /** A procedure (CALL) rather than a function. */
  readonly procedure?: boolean
}

/** A function or procedure; pass it to `trigger({ function })` or export it. */
export interface Fn {
  readonly $def: FunctionDef
  readonly $schema: string
  readonly $name: string
  readonly at: DefinedAt
  /** Raw SQL the loader checks: argument and return types, defaults. */
  readonly $raw: readonly { readonly kind: 'type' | 'expression'; readonly text: string; readonly what: string }[]
}

/**
 * `$function$` (`$procedure$` for a procedure), with `x` appended while the body holds it, as
 * `pg_get_functiondef()` chooses it: the body cannot end the quote.
 */
function bodyTag(body: string, procedure: boolean): string {
  let word = procedure ? 'procedure' : 'function'
  while (body.includes(`$${word}`)) word += 'x'
  return `$${word}$`
}

/**
 * An argument's text and its part of the identity, as Postgres prints them: a procedure's
 * arguments name every mode (IN too), and its OUT arguments belong to its identity.
 */
function argText(a: FnArg, procedure = false): { sql: string; identity?: string } {
  if (typeof a === 'string') return { sql: a, identity: a }
  const def = a.default === undefined ? '' : ` DEFAULT ${isSQL(a.default) ? a.default.text : a.default}`
  const m = a.mode ?? 'in'
  const mode = m !== 'in' || procedure ? `${m.toUpperCase()} ` : ''
  const named = `${a.name !== undefined ? `${ident(a.name)} ` : ''}${a.type}`
  return { sql: `${mode}${named}${def}`, ...(a.mode === 'out' && !procedure ? {} : { identity: `${mode}${named}` }) }
}

/** A number as C's `%g` prints it (six significant digits), as Postgres prints COST and ROWS. */
function gText(n: number): string {
  if (n === 0) return '0'
  const exp = Math.floor(Math.log10(Math.abs(Number(n.toPrecision(6)))))
  if (exp < -4 || exp >= 6) {
    const [mant, e] = n.toExponential(5).split('e')
    const m = mant!.replace(/\.?0+$/, '')
    const x = Number(e)
    return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`
  }
  const t = n.toFixed(Math.max(0, 5 - exp))
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t
}

/** The `CREATE OR REPLACE FUNCTION` text of a function. */
export function functionDefinition(schema: string, name: string, o: FnOptions): string {
  if ((o.body === undefined) === (o.sqlBody === undefined)) throw new Error(`fn ${schema}.${name}: give either body or sqlBody`)
  const text = (b: string | SQL) => (isSQL(b) ? b.text : b)
  const args = (o.args ?? []).map((a) => argText(a, o.procedure === true).sql).join(', ')
  const lines = [`CREATE OR REPLACE ${o.procedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(schema, name)}(${args})`]
  if (!o.procedure) lines.push(` RETURNS ${o.returns ?? 'void'}`)
  lines.push(` LANGUAGE ${ident(o.language ?? 'plpgsql')}`)
  // in pg_get_functiondef()'s order
  const attrs: string[] = []
  if (!o.procedure) {
    if (o.volatility && o.volatility !== 'volatile') attrs.push(o.volatility.toUpperCase())
    if (o.parallel && o.parallel !== 'unsafe') attrs.push(`PARALLEL ${o.parallel.toUpperCase()}`)
    if (o.strict) attrs.push('STRICT')
  }
  if (o.security === 'definer') attrs.push('SECURITY DEFINER')
  if (!o.procedure && o.leakproof) attrs.push('LEAKPROOF')
  const defaultCost = ['c', 'internal'].includes((o.language ?? 'plpgsql').toLowerCase()) ? 1 : 100
  if (o.cost !== undefined && o.cost !== defaultCost) attrs.push(`COST ${gText(o.cost)}`)
  if (!o.procedure && o.rows !== undefined && o.rows > 0 && o.rows !== 1000) attrs.push(`ROWS ${gText(o.rows)}`)
  if (attrs.length) lines.push(` ${attrs.join(' ')}`)
  if (o.searchPath !== undefined) {
    const path = typeof o.searchPath === 'string' ? o.searchPath.split(',').map((s) => s.trim()).filter(Boolean) : o.searchPath
    // each element a string literal, as pg_get_functiondef() prints a list setting
    lines.push(` SET search_path TO ${path.length ? path.map(literal).join(', ') : "''"}`)
  }
  if (o.sqlBody !== undefined) {
    lines.push(text(o.sqlBody))
  } else {
    const body = text(o.body!)
    const tag = bodyTag(body, o.procedure === true)
    lines.push(`AS ${tag}${body}${tag}`)
  }
  return lines.join('\n')
}

/**
 * A function (or procedure) in `schema`: `fn(app, 'touch', { returns: 'trigger', body: … })`.
 * Export it, or pass it to a trigger (which brings it along).
 */
export function fn(schema: string | { readonly name: string }, name: string, options: FnOptions): Fn {
  const s = typeof schema === 'string' ? schema : schema.name
  const at = captureLocation()
  const identity = (options.args ?? []).map((a) => argText(a, options.procedure === true).identity).filter((x): x is string => x !== undefined).join(', ')
  const raw: Fn['$raw'][number][] = []
  for (const [i, a] of (options.args ?? []).entries()) {
    if (typeof a === 'string') continue
    raw.push({ kind: 'type', text: a.type, what: `the type of argument ${a.name ?? i + 1} of ${s}.${name}` })
    if (a.default !== undefined) raw.push({ kind: 'expression', text: isSQL(a.default) ? a.default.text : a.default, what: `the default of argument ${a.name ?? i + 1} of ${s}.${name}` })
  }
  const def: FunctionDef = {
    kind: 'function',
    schema: s,
    name,
    args: identity,
    isProcedure: options.procedure === true,
    definition: functionDefinition(s, name, options),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  return markDsl({ $def: def, $schema: s, $name: name, at, $raw: raw }, 'function')
}
