/**
 * Functions and procedures: a changed body is CREATE OR REPLACE; a new return type, a parameter
 * default removed or a function becoming a procedure means drop + create. Fact:
 * ctx.recreatedFunctions.
 *
 * Postgres refuses to drop a function that a policy, a column default, a CHECK or an index of a
 * table, or a domain's CHECK, kept by the migration still calls. Those are dropped before the function goes (dropped, or
 * made again under another signature) and made again after it is back.
 */
import type { FunctionDef, TableDef } from '../../model/types.js'
import type { Change, CommentTarget, TableRef } from '../changes.js'
import type { DiffContext, DiffKind } from '../context.js'
import { namesRoutine } from '../graph.js'
import { byKey, diffByKey, k2, mentions, same, usesIdentifier } from '../keyed.js'

/** The identity of a function: schema, name and argument types. */
export const functionKey = (f: FunctionDef): string => `${f.schema}.${f.name}(${f.args})`

/** The function's text before its body: name, parameters, return type and options (what Postgres records dependencies of). */
export function signatureOf(f: FunctionDef): string {
  return f.definition.split(/\n\s*AS\s|\n\s*BEGIN\s+ATOMIC\b/i)[0] ?? ''
}

/** The return clause of a function definition (`RETURNS integer`), used to decide replace vs drop+create. */
function returnsOf(f: FunctionDef): string {
  return /\bRETURNS\s+([^\n]+)/i.exec(f.definition)?.[1]?.trim() ?? ''
}

/** The parameter list of `CREATE OR REPLACE FUNCTION name(…)`, or '' when it cannot be read. */
function parameterList(f: FunctionDef): string {
  const m = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\s+/i.exec(f.definition)
  if (!m) return ''
  const text = f.definition
  let i = text.indexOf('(', m[0].length)
  if (i < 0) return ''
  const start = ++i
  let depth = 1
  let quote: string | undefined
  for (; i < text.length && depth > 0; i++) {
    const c = text[i]!
    if (quote) {
      if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') quote = c
    else if (c === '(') depth++
    else if (c === ')') depth--
  }
  return text.slice(start, i - 1)
}

/** How many parameters have a DEFAULT (Postgres cannot remove one with CREATE OR REPLACE). */
export function defaultCount(f: FunctionDef): number {
  return parameterList(f).match(/\sDEFAULT\s/gi)?.length ?? 0
}

/**
 * True when `to` replaces `from` (same identity) only through DROP + CREATE: another return type,
 * function ↔ procedure, or a parameter DEFAULT removed.
 */
export function recreates(from: FunctionDef, to: FunctionDef): boolean {
  return from.definition !== to.definition && (returnsOf(from) !== returnsOf(to) || from.isProcedure !== to.isProcedure || defaultCount(to) < defaultCount(from))
}

/**
 * A test for text that calls a function of `ctx.from` that the migration drops, or drops to create
 * again ({@link recreates}): Postgres refuses that while a default, check, index, generated column,
 * policy or domain still calls it, so the kinds that own those drop them before and make them again
 * after. By qualified or bare name followed by `(`.
 */
export function callsGoneFunction(ctx: Pick<DiffContext, 'from' | 'to'>): (text: string | undefined) => boolean {
  const toFns = byKey(ctx.to.functions, functionKey)
  const gone = ctx.from.functions.filter((f) => {
    const n = toFns.get(functionKey(f))
    return !n || recreates(f, n)
  })
  return (text) => text !== undefined && gone.length > 0 && gone.some((f) => namesRoutine(text, f.schema, f.name, true))
}

export const functions: DiffKind = {
  name: 'functions',
  diff(ctx) {
    const { out, recreatedFunctions } = ctx
    const { pairs, dropped } = diffByKey(ctx.from.functions, ctx.to.functions, functionKey)
    // a SQL-standard body (BEGIN ATOMIC / RETURN) depends on the columns it reads: Postgres refuses to
    // drop or retype them under it, so such a function is dropped before and created again after
    const sqlBody = (f: FunctionDef) => /\n\s*(BEGIN ATOMIC|RETURN)\b/.test(f.definition) && !/\bAS\s+\$/.test(f.definition)
    const readsTouched = (f: FunctionDef) =>
      sqlBody(f) && ctx.touchedColumns.some((c) => mentions(f.definition, c.table.schema, c.table.name) && usesIdentifier(f.definition, c.column))
    for (const { from: f, to: fn } of pairs) {
      // made again already, around a type it names (a recreated enum)
      if (f && recreatedFunctions.includes(f)) continue
      if (!f) out.push({ kind: 'create_function', function: fn })
      else if (f.definition !== fn.definition || f.isProcedure !== fn.isProcedure || readsTouched(f)) {
        if (recreates(f, fn) || readsTouched(f)) {
          out.push({ kind: 'drop_function', function: f }, { kind: 'create_function', function: fn })
          recreatedFunctions.push(f)
        } else out.push({ kind: 'replace_function', from: f, to: fn })
      }
      const fnRecreated = f !== undefined && recreatedFunctions.includes(f)
      ctx.comment({ on: 'function', schema: fn.schema, name: fn.name, args: fn.args, procedure: fn.isProcedure }, fnRecreated ? undefined : f?.comment, fn.comment)
    }
    for (const f of dropped) out.push({ kind: 'drop_function', function: f })
    remakeCallers(ctx, [...recreatedFunctions, ...dropped])
  },
}

/**
 * Drops and makes again the domain CHECKs, and the policies, column defaults, CHECKs and indexes of
 * kept tables, that call one of `going` and that the diff leaves in place (or changes in place,
 * after the drop).
 */
function remakeCallers(ctx: DiffContext, going: readonly FunctionDef[]): void {
  if (going.length === 0) return
  const calls = (text: string | undefined) => text !== undefined && going.some((f) => mentions(text, f.schema, f.name))
  const toTables = byKey(ctx.to.tables, (t) => k2(t.schema, t.name))
  const { out } = ctx
  const has = (test: (c: Change) => boolean) => out.some(test)
  const remove = (test: (c: Change) => boolean) => {
    for (let i = out.length - 1; i >= 0; i--) if (test(out[i]!)) out.splice(i, 1)
  }
  // an object made again has lost its comment: whatever the table diff said about it, set it anew
  const recomment = (target: CommentTarget, comment: string | undefined) => {
    remove((c) => c.kind === 'set_comment' && same(c.target, target))
    ctx.comment(target, undefined, comment)
  }
  const onTable = (c: { table: TableRef }, t: TableDef) => c.table.schema === t.schema && c.table.name === t.name
  // a domain kept by the migration whose CHECK calls it
  const toDomains = byKey(ctx.to.domains, (d) => k2(d.schema, d.name))
  for (const f of ctx.from.domains) {
    const d = toDomains.get(k2(f.schema, f.name))
    if (!d || has((c) => c.kind === 'drop_domain' && c.domain.schema === f.schema && c.domain.name === f.name)) continue
    const toChecks = byKey(d.checks, (c) => c.name)
    for (const ch of f.checks) {
      const n = toChecks.get(ch.name)
      if (!n || !calls(ch.expression)) continue
      if (has((c) => c.kind === 'drop_domain_check' && c.domain.schema === d.schema && c.domain.name === d.name && c.check.name === ch.name)) continue
      remove((c) => c.kind === 'add_domain_check' && c.domain.schema === d.schema && c.domain.name === d.name && c.check.name === ch.name)
      out.push({ kind: 'drop_domain_check', domain: d, check: ch }, { kind: 'add_domain_check', domain: d, check: n })
      recomment({ on: 'domain_constraint', schema: d.schema, domain: d.name, name: n.name }, n.comment)
    }
  }
  for (const f of ctx.from.tables) {
    const t = toTables.get(k2(f.schema, f.name))
    if (!t || ctx.droppedTables.has(k2(f.schema, f.name))) continue
    const table: TableRef = { schema: t.schema, name: t.name }
    const toPolicies = byKey(t.policies, (p) => p.name)
    for (const p of f.policies) {
      const n = toPolicies.get(p.name)
      if (!n || !(calls(p.using) || calls(p.withCheck))) continue
      if (has((c) => c.kind === 'drop_policy' && onTable(c, t) && c.policy.name === p.name)) continue
      // an ALTER POLICY would run after the function is gone: drop and create instead
      remove((c) => c.kind === 'alter_policy' && onTable(c, t) && c.to.name === p.name)
      out.push({ kind: 'drop_policy', table, policy: p }, { kind: 'create_policy', table, policy: n })
      recomment({ on: 'policy', schema: t.schema, table: t.name, name: n.name }, n.comment)
    }
    const toColumns = byKey(t.columns, (c) => c.name)
    for (const col of f.columns) {
      const n = toColumns.get(col.name)
      if (!n || col.default === undefined || !calls(col.default) || n.type !== col.type) continue
      const setting = (c: Change) => c.kind === 'alter_column_default' && onTable(c, t) && c.column === col.name
      if (has((c) => setting(c) && c.kind === 'alter_column_default' && c.to === undefined)) continue
      remove(setting)
      out.push({ kind: 'alter_column_default', table, column: col.name, from: col.default })
      if (n.default !== undefined) out.push({ kind: 'alter_column_default', table, column: col.name, to: n.default })
    }
    const toChecks = byKey(t.checks, (c) => c.name)
    for (const ch of f.checks) {
      const n = toChecks.get(ch.name)
      if (!n || !calls(ch.expression)) continue
      if (has((c) => c.kind === 'drop_check' && onTable(c, t) && c.check.name === ch.name)) continue
      out.push({ kind: 'drop_check', table, check: ch }, { kind: 'add_check', table, check: n, ...(t.partitionBy ? { partitioned: true as const } : {}) })
      recomment({ on: 'constraint', schema: t.schema, table: t.name, name: n.name }, n.comment)
    }
    const toIndexes = byKey(t.indexes, (i) => i.name)
    for (const ix of f.indexes) {
      const n = toIndexes.get(ix.name)
      if (!n || !(calls(ix.where) || ix.keys.some((k) => calls(k.expression)))) continue
      if (has((c) => c.kind === 'drop_index' && onTable(c, t) && c.index.name === ix.name)) continue
      const partitioned = t.partitionBy ? { partitioned: true as const } : {}
      out.push({ kind: 'drop_index', table, index: ix, ...partitioned }, { kind: 'create_index', table, index: n, ...partitioned })
      recomment({ on: 'index', schema: t.schema, name: n.name }, n.comment)
    }
  }
}
