/**
 * The part of a model a new migration can affect, so `generate` can check the migration on a
 * database holding that part instead of every table (on a 500-table model, creating them all is
 * most of a one-change run). Only tables are left out; every other object stays. A table stays when:
 * - it differs between the history's model and the definitions (itself, its triggers or grants), or
 *   the migration's SQL names it;
 * - its own text (columns, defaults, checks, keys, policies, triggers, grants) names an object the
 *   migration's SQL names: what Postgres checks when that object changes (a foreign key to a table
 *   whose key changes type, a column of a type being replaced, a default calling a function);
 * - something that stays needs it: a foreign key or policy names it, it is in the partition tree of
 *   one that stays, or a view, function, aggregate, domain or composite type names it.
 * Names are matched as words, in any schema, so the scope can only be too wide. The scope is a
 * shortcut, not a verdict: a migration that fails or leaves differences on it is checked again on
 * the whole model.
 */
import type { GrantDef, Model, TableDef, TriggerDef } from '../model/types.js'

/** The part of a model a migration is checked on: see the module comment. */
export interface CheckScope {
  /** The history's model without the tables left out. */
  readonly base: Model
  /** `model` without the tables left out (and their triggers, grants and owned sequences). */
  readonly restrict: (model: Model) => Model
  /** Tables kept, of all the history's tables. */
  readonly tables: number
  readonly of: number
}

/** Below this many tables the whole model is cheap to create: no scope. */
export const MIN_SCOPED_TABLES = 50

const WORD = /"((?:[^"]|"")+)"|([A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)/g

/** The identifiers a text may name: quoted ones unquoted, bare ones as written and folded. */
function addWords(text: string, into: Set<string>): void {
  for (const m of text.matchAll(WORD)) {
    if (m[1] !== undefined) into.add(m[1].replace(/""/g, '"'))
    else {
      into.add(m[2]!)
      into.add(m[2]!.toLowerCase())
    }
  }
}

/** Every string in a JSON-like value, whole and as words. */
function addStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    into.add(value)
    addWords(value, into)
  } else if (Array.isArray(value)) for (const v of value) addStrings(v, into)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) addStrings(v, into)
}

const tableKey = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`
const onTable = (g: GrantDef) => g.on === 'table'

/** A table with what hangs on it, compared and searched as one. */
interface Bundle {
  readonly table: TableDef
  readonly triggers: TriggerDef[]
  readonly grants: GrantDef[]
}

function bundles(model: Model): Map<string, Bundle> {
  const out = new Map<string, Bundle>(model.tables.map((t) => [tableKey(t), { table: t, triggers: [], grants: [] }]))
  for (const t of model.triggers) out.get(tableKey({ schema: t.schema, name: t.table }))?.triggers.push(t)
  for (const g of model.grants) if (onTable(g)) out.get(tableKey(g))?.grants.push(g)
  return out
}

/**
 * The scope to check a migration whose up statements are `up`, taking the history's model `base` to
 * `desired`; undefined when the whole model is small or every table stays.
 */
export function checkScope(base: Model, desired: Model, up: readonly string[], minTables = MIN_SCOPED_TABLES): CheckScope | undefined {
  if (base.tables.length < minTables || (base.unmodelled ?? []).length > 0) return undefined
  const from = bundles(base)
  const to = bundles(desired)
  const stated = new Set<string>()
  for (const s of up) addWords(s, stated)
  // the names of objects the statements name (tables, views, routines, types, sequences, …)
  const objectNames = new Set<string>()
  for (const m of [base, desired]) {
    for (const list of [m.tables, m.views, m.functions, m.aggregates ?? [], m.enums, m.domains, m.composites ?? [], m.collations ?? [], m.sequences]) {
      for (const o of list) if (stated.has(o.name)) objectNames.add(o.name)
    }
  }
  const words = new Map<string, Set<string>>()
  const wordsOf = (key: string): Set<string> => {
    let w = words.get(key)
    if (!w) {
      w = new Set()
      addStrings(from.get(key), w)
      words.set(key, w)
    }
    return w
  }
  const byName = new Map<string, string[]>()
  for (const k of from.keys()) {
    const name = from.get(k)!.table.name
    byName.set(name, [...(byName.get(name) ?? []), k])
  }
  const keep = new Set<string>()
  for (const [k, b] of from) {
    const d = to.get(k)
    if (!d || JSON.stringify(b) !== JSON.stringify(d) || objectNames.has(b.table.name)) keep.add(k)
    else if ([...wordsOf(k)].some((w) => objectNames.has(w))) keep.add(k)
  }
  // what other objects name: views, routines, aggregates, domains and composite types stay whole
  const pinned = new Set<string>()
  const others = [base.views, base.functions, base.aggregates ?? [], base.domains, base.composites ?? [], base.eventTriggers ?? []]
  for (const list of others) addStrings(list, pinned)
  for (const [name, keys] of byName) if (pinned.has(name)) for (const k of keys) keep.add(k)
  // …and what the kept tables need, transitively: tables they name, their partition trees
  const children = new Map<string, string[]>()
  for (const [k, b] of from) {
    const p = b.table.partitionOf
    if (p) {
      const pk = tableKey({ schema: p.parentSchema, name: p.parent })
      children.set(pk, [...(children.get(pk) ?? []), k])
    }
  }
  const queue = [...keep]
  const add = (k: string) => {
    if (from.has(k) && !keep.has(k)) {
      keep.add(k)
      queue.push(k)
    }
  }
  while (queue.length) {
    const k = queue.pop()!
    const t = from.get(k)!.table
    if (t.partitionOf) add(tableKey({ schema: t.partitionOf.parentSchema, name: t.partitionOf.parent }))
    for (const c of children.get(k) ?? []) add(c)
    for (const w of wordsOf(k)) for (const o of byName.get(w) ?? []) add(o)
  }
  if (keep.size === from.size) return undefined
  const left = new Set([...from.keys()].filter((k) => !keep.has(k)))
  const restrict = (m: Model): Model => {
    const sequences = m.sequences.filter((s) => !(s.ownedBy && left.has(tableKey({ schema: s.schema, name: s.ownedBy.table }))))
    const gone = new Set(m.sequences.filter((s) => !sequences.includes(s)).map((s) => tableKey(s)))
    const tables = m.tables.filter((t) => !left.has(tableKey(t)))
    const grants = m.grants.filter((g) => !((onTable(g) && left.has(tableKey(g))) || (g.on === 'sequence' && gone.has(tableKey(g)))))
    // inspect lists the roles grants and policies name: one named only by what is left out goes too
    const others = (m.defaultPrivileges ?? []).flatMap((d) => [d.role, d.grantee])
    const named = (ts: readonly TableDef[], gs: readonly GrantDef[]) => new Set([...ts.flatMap((t) => t.policies.flatMap((p) => p.roles)), ...gs.map((g) => g.role), ...others])
    const before = named(m.tables, m.grants)
    const after = named(tables, grants)
    const roles = m.roles.filter((r) => !before.has(r.name) || after.has(r.name))
    return { ...m, tables, triggers: m.triggers.filter((t) => !left.has(tableKey({ schema: t.schema, name: t.table }))), sequences, grants, roles }
  }
  return { base: restrict(base), restrict, tables: keep.size, of: from.size }
}
