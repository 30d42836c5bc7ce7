/**
 * Functions, procedures, triggers and domains as DSL calls: `fn(…)`, `trigger(…)`, `domain(…)`.
 * The database keeps each as text (`pg_get_functiondef`, `pg_get_triggerdef`, the domain's parts);
 * the text is read back into the DSL's options, and the options are used only when the DSL itself,
 * given them, writes exactly the same text. Otherwise the reason is returned, and pull keeps the
 * object's SQL in a comment instead.
 */
import type { DomainDef, FunctionDef, TriggerDef } from '../model/types.js'
import { stableJson } from '../diff/index.js'
import { customType } from '../dsl/column.js'
import { domain as dslDomain } from '../dsl/domain.js'
import type { FnArg, FnOptions } from '../dsl/routine.js'
import { fn as dslFn } from '../dsl/routine.js'
import { sql } from '../dsl/sql.js'
import type { TriggerOptions } from '../dsl/trigger.js'
import { trigger as dslTrigger } from '../dsl/trigger.js'
import { qname, unident } from '../sqlgen/quote.js'
import { jsString, jsValue, propertyKey, sqlTemplate } from './ts-text.js'

/** Options as source text (`[key, code]` pairs), or why the DSL cannot write the object. */
export type Written = { readonly entries: readonly (readonly [string, string])[] } | { readonly reason: string }

/** Splits `text` at top-level occurrences of `sep` (outside quotes and parentheses). */
export function splitTop(text: string, sep: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote: string | undefined
  let cur = ''
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote) {
      cur += ch
      if (ch === quote) quote = undefined
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(' || ch === '[') depth++
    else if (ch === ')' || ch === ']') depth--
    if (depth === 0 && text.startsWith(sep, i)) {
      out.push(cur)
      cur = ''
      i += sep.length - 1
      continue
    }
    cur += ch
  }
  out.push(cur)
  return out
}

const MULTIWORD_TYPE = /^(double precision|character varying|bit varying|timestamp|time|interval|character)\b/

/** One argument of pg_get_function_arguments as the DSL's FnArg (a string when it can be one). */
function fnArg(text: string): FnArg {
  const t = text.trim()
  const parts = splitTop(t, ' DEFAULT ')
  const m = /^(IN|OUT|INOUT|VARIADIC) (.*)$/s.exec(parts[0]!)
  const mode = m ? (m[1]!.toLowerCase() as 'in' | 'out' | 'inout' | 'variadic') : undefined
  if (parts.length === 1 && mode !== 'out') return t
  const rest = m ? m[2]! : parts[0]!
  const named = /^("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*) (.+)$/s.exec(rest)
  const split = named && !MULTIWORD_TYPE.test(rest) ? { name: unident(named[1]!), type: named[2]! } : { type: rest }
  return { ...(mode ? { mode } : {}), ...split, ...(parts.length > 1 ? { default: parts.slice(1).join(' DEFAULT ') } : {}) }
}

function argCode(a: FnArg): string {
  if (typeof a === 'string') return jsString(a)
  return jsValue({ ...(a.mode ? { mode: a.mode } : {}), ...(a.name !== undefined ? { name: a.name } : {}), type: a.type, ...(a.default !== undefined ? { default: a.default } : {}) })
}

/** `fn(…)` options for a function or procedure, checked by writing it with the DSL. */
export function functionOptions(f: FunctionDef): Written {
  const kind = f.isProcedure ? 'PROCEDURE' : 'FUNCTION'
  const head = `CREATE OR REPLACE ${kind} ${qname(f.schema, f.name)}(`
  const d = f.definition
  if (!d.startsWith(head)) return { reason: 'its header is not the one the DSL writes' }
  const nl = d.indexOf('\n')
  const first = d.slice(0, nl)
  if (!first.endsWith(')')) return { reason: 'its argument list is not on one line' }
  const argsText = first.slice(head.length, -1)
  const lines = d.slice(nl + 1).split('\n')
  const o: { -readonly [K in keyof FnOptions]: FnOptions[K] } = {}
  const code: [string, string][] = []
  let i = 0
  if (argsText.trim()) {
    const args = splitTop(argsText, ', ').map(fnArg)
    o.args = args
    code.push(['args', `[${args.map(argCode).join(', ')}]`])
  }
  if (!f.isProcedure) {
    const r = /^ RETURNS (.+)$/.exec(lines[i] ?? '')
    if (!r) return { reason: 'it has no RETURNS line' }
    o.returns = r[1]!
    if (o.returns !== 'void') code.push(['returns', jsString(o.returns)])
    i++
  }
  const lang = /^ LANGUAGE (.+)$/.exec(lines[i] ?? '')
  if (!lang) return { reason: 'it has no LANGUAGE line' }
  o.language = unident(lang[1]!)
  if (o.language !== 'plpgsql') code.push(['language', jsString(o.language)])
  i++
  // one line of attributes, then SET lines, then AS $tag$ body $tag$
  if (lines[i] !== undefined && lines[i]!.startsWith(' ') && !lines[i]!.startsWith(' SET ')) {
    const words = lines[i]!.trim()
    let rest = ` ${words} `
    const take = (w: string) => {
      if (!rest.includes(` ${w} `)) return false
      rest = rest.replace(` ${w} `, ' ')
      return true
    }
    if (take('IMMUTABLE')) o.volatility = 'immutable'
    else if (take('STABLE')) o.volatility = 'stable'
    if (take('STRICT')) o.strict = true
    if (take('SECURITY DEFINER')) o.security = 'definer'
    if (take('LEAKPROOF')) o.leakproof = true
    if (take('PARALLEL SAFE')) o.parallel = 'safe'
    else if (take('PARALLEL RESTRICTED')) o.parallel = 'restricted'
    const num = (w: string) => {
      const m = new RegExp(` ${w} ([0-9.e+-]+) `).exec(rest)
      if (!m || !Number.isFinite(Number(m[1]))) return undefined
      rest = rest.replace(m[0], ' ')
      return Number(m[1])
    }
    const cost = num('COST')
    if (cost !== undefined) o.cost = cost
    const rows = num('ROWS')
    if (rows !== undefined) o.rows = rows
    if (rest.trim()) return { reason: `fn() has no option for ${rest.trim()}` }
    if (o.volatility) code.push(['volatility', jsString(o.volatility)])
    if (o.strict) code.push(['strict', 'true'])
    if (o.security) code.push(['security', jsString(o.security)])
    if (o.leakproof) code.push(['leakproof', 'true'])
    if (o.parallel) code.push(['parallel', jsString(o.parallel)])
    if (o.cost !== undefined) code.push(['cost', String(o.cost)])
    if (o.rows !== undefined) code.push(['rows', String(o.rows)])
    i++
  }
  const sets: string[] = []
  while (lines[i]?.startsWith(' SET ')) sets.push(lines[i++]!)
  if (sets.length) {
    const s = /^ SET search_path TO (.+)$/.exec(sets[0]!)
    if (sets.length > 1 || !s) return { reason: 'fn() sets only search_path' }
    const path = splitTop(s[1]!, ', ').map((p) => /^'((?:[^']|'')*)'$/s.exec(p)?.[1]?.replaceAll("''", "'") ?? unident(p))
    o.searchPath = path
    code.push(['searchPath', `[${path.map(jsString).join(', ')}]`])
  }
  const body = lines.slice(i).join('\n')
  if (/^(BEGIN ATOMIC|RETURN )/.test(body)) {
    o.sqlBody = body
    code.push(['sqlBody', sqlTemplate(body)])
  } else {
    const tag = /^AS (\$[^$]*\$)/.exec(body)?.[1]
    if (!tag || !body.endsWith(tag) || body.length < 3 + tag.length * 2) return { reason: 'its body is not a dollar-quoted string' }
    o.body = body.slice(3 + tag.length, -tag.length)
    code.push(['body', sqlTemplate(o.body)])
  }
  if (f.isProcedure) {
    o.procedure = true
    code.push(['procedure', 'true'])
  }
  if (f.comment !== undefined) {
    o.comment = f.comment
    code.push(['comment', jsString(f.comment)])
  }
  try {
    const def = dslFn(f.schema, f.name, o).$def
    if (def.definition !== f.definition) return { reason: `fn() would write it differently (${firstDifference(f.definition, def.definition)})` }
    if (stableJson(def) !== stableJson(f)) return { reason: 'fn() would give it other identity arguments' }
  } catch (e) {
    return { reason: (e as Error).message }
  }
  return { entries: code }
}

/** The first line where `written` departs from `database`, for messages. */
function firstDifference(database: string, written: string): string {
  const a = database.split('\n')
  const b = written.split('\n')
  const i = a.findIndex((l, k) => l !== b[k])
  const at = i < 0 ? a.length : i
  const clip = (x: string | undefined) => (x === undefined ? 'nothing' : JSON.stringify(x.trim().length > 60 ? `${x.trim().slice(0, 59)}…` : x.trim()))
  return `${clip(b[at])} where the database has ${clip(a[at])}`
}

/** String literals of a trigger's argument list (`'a', 'b'`), or undefined. */
function literalList(text: string): string[] | undefined {
  if (!text.trim()) return []
  const out: string[] = []
  for (const part of splitTop(text, ', ')) {
    const m = /^'((?:[^']|'')*)'$/s.exec(part)
    if (!m) return undefined
    out.push(m[1]!.replaceAll("''", "'"))
  }
  return out
}

/**
 * `trigger(…)` options for a trigger, checked by writing it with the DSL; `functionCode` turns the
 * function's qualified name into source text (the fn() object, or the name as a string).
 */
export function triggerOptions(t: TriggerDef, functionCode: (qualified: string) => string): Written {
  const m = new RegExp(
    String.raw`^CREATE (CONSTRAINT )?TRIGGER (\S+|"(?:[^"]|"")*") (BEFORE|AFTER|INSTEAD OF) (.+?) ON (.+?) (?:(NOT )?DEFERRABLE INITIALLY (DEFERRED|IMMEDIATE) )?(?:REFERENCING((?: OLD TABLE AS \S+)?(?: NEW TABLE AS \S+)?) )?FOR EACH (ROW|STATEMENT) (?:WHEN \((.*)\) )?EXECUTE FUNCTION (.+)\((.*)\)$`,
    's',
  ).exec(t.definition)
  if (!m) return { reason: 'trigger() cannot write it (a clause it has no option for)' }
  const [, constraintWord, triggerName, timing, eventsText, on, notDeferrable, initially, referencing, level, when, fname, argsText] = m
  const constraint = constraintWord
    ? { ...(notDeferrable ? {} : { deferrable: true }), ...(initially === 'DEFERRED' ? { initiallyDeferred: true } : {}) }
    : undefined
  if (on !== qname(t.schema, t.table)) return { reason: 'it is on another relation than the one named' }
  const events: TriggerOptions['events'][number][] = []
  let updateOf: string[] | undefined
  for (const e of eventsText!.split(' OR ')) {
    const u = /^UPDATE OF (.+)$/.exec(e)
    if (u) {
      events.push('update')
      updateOf = splitTop(u[1]!, ', ').map(unident)
    } else if (/^(INSERT|UPDATE|DELETE|TRUNCATE)$/.test(e)) events.push(e.toLowerCase() as TriggerOptions['events'][number])
    else return { reason: `trigger() has no event ${e}` }
  }
  const args = literalList(argsText!)
  if (!args) return { reason: 'its arguments are not string literals' }
  const ref = referencing?.trim()
    ? {
        ...(/OLD TABLE AS (\S+)/.exec(referencing)?.[1] ? { oldTable: unident(/OLD TABLE AS (\S+)/.exec(referencing)![1]!) } : {}),
        ...(/NEW TABLE AS (\S+)/.exec(referencing)?.[1] ? { newTable: unident(/NEW TABLE AS (\S+)/.exec(referencing)![1]!) } : {}),
      }
    : undefined
  const o: TriggerOptions = {
    timing: timing!.toLowerCase() as TriggerOptions['timing'],
    events,
    ...(updateOf ? { updateOf } : {}),
    ...(level === 'STATEMENT' ? { level: 'statement' as const } : {}),
    ...(when !== undefined ? { when } : {}),
    function: fname!,
    ...(args.length ? { args } : {}),
    ...(ref ? { referencing: ref } : {}),
    ...(constraint ? { constraint } : {}),
    ...(t.enabled !== undefined ? { enabled: t.enabled } : {}),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
  }
  try {
    const def = dslTrigger({ schema: t.schema, name: t.table }, unident(triggerName!), o).$def
    if (stableJson(def) !== stableJson(t)) return { reason: 'trigger() writes it differently' }
  } catch (e) {
    return { reason: (e as Error).message }
  }
  const code: [string, string][] = [
    ['timing', jsString(o.timing)],
    ['events', `[${events.map(jsString).join(', ')}]`],
  ]
  if (updateOf) code.push(['updateOf', `[${updateOf.map(jsString).join(', ')}]`])
  if (o.level) code.push(['level', jsString(o.level)])
  if (when !== undefined) code.push(['when', sqlTemplate(when)])
  code.push(['function', functionCode(fname!)])
  if (args.length) code.push(['args', `[${args.map(jsString).join(', ')}]`])
  if (ref) code.push(['referencing', jsValue(ref)])
  if (constraint) code.push(['constraint', jsValue(constraint)])
  if (t.enabled !== undefined) code.push(['enabled', jsString(t.enabled)])
  if (t.comment !== undefined) code.push(['comment', jsString(t.comment)])
  return { entries: code }
}

/** `domain(…)` options for a domain (the base type written by the caller), checked with the DSL. */
export function domainOptions(d: DomainDef): Written {
  if (d.checks.some((c) => c.comment !== undefined)) return { reason: 'domain() has no comments on checks' }
  const code: [string, string][] = []
  const o: Parameters<typeof dslDomain>[3] & {} = {
    ...(d.notNull ? { notNull: true } : {}),
    ...(d.default !== undefined ? { default: sql.raw(d.default) } : {}),
    ...(d.checks.length === 1 && d.checks[0]!.name === `${d.name}_check`
      ? { check: sql.raw(d.checks[0]!.expression) }
      : d.checks.length
        ? { check: Object.fromEntries(d.checks.map((c) => [c.name, sql.raw(c.expression)])) }
        : {}),
    ...(d.collation !== undefined ? { collate: d.collation } : {}),
    ...(d.comment !== undefined ? { comment: d.comment } : {}),
  }
  if (d.notNull) code.push(['notNull', 'true'])
  if (d.default !== undefined) code.push(['default', sqlTemplate(d.default)])
  if (d.checks.length === 1 && d.checks[0]!.name === `${d.name}_check`) code.push(['check', sqlTemplate(d.checks[0]!.expression)])
  else if (d.checks.length) code.push(['check', `{ ${d.checks.map((c) => `${propertyKey(c.name)}: ${sqlTemplate(c.expression)}`).join(', ')} }`])
  if (d.collation !== undefined) code.push(['collate', jsString(d.collation)])
  if (d.comment !== undefined) code.push(['comment', jsString(d.comment)])
  try {
    const def = dslDomain(d.schema, d.name, customType(d.type), o).$def
    if (stableJson(def) !== stableJson(d)) return { reason: 'domain() writes it differently' }
  } catch (e) {
    return { reason: (e as Error).message }
  }
  return { entries: code }
}
