/**
 * What the definitions do not declare is left as the migration history made it: `generate` takes
 * it from the history's model into the desired one, so that a hand-written migration's default
 * privileges, collations, EXCLUDE constraints, unlogged tables, constraint comments, key storage
 * parameters or trigger states are neither undone nor reported by the next migration.
 * - Default privileges and collations: definitions that declare any (`defaultPrivileges()`,
 *   `collation()`) own the kind, and one only the history has is revoked or dropped; definitions
 *   that declare none keep the history's, with the roles its default privileges name.
 * (Kinds the definitions can declare, such as domains, identity options or functions, are not
 * touched: leaving one out of the definitions means dropping it.)
 *
 * The table DSL can declare some of these, and what a table declares wins; the history fills in
 * only where the definitions say nothing:
 * - EXCLUDE constraints: a table with an exclude(), or with `ownsExclusions: true` and none, owns
 *   its exclusions (one only the history has is dropped); any other table keeps the history's.
 *   (`declared`, the definitions' model before canonicalisation, tells the two apart: the
 *   canonical model cannot say "none on purpose".)
 * - `unlogged: true` makes a table unlogged; a table without it keeps the history's persistence
 *   (the model only says "unlogged", so going back to logged takes a hand-written
 *   `ALTER TABLE … SET LOGGED` migration).
 * - a constraint comment or key storage parameters (`with`) given in the definitions win; a
 *   constraint that gives none keeps the history's; so do, for the same constraint, a key's INCLUDE
 *   columns, NOT VALID (a check with the same expression, a foreign key with the same columns and
 *   target) and a foreign key's `ON DELETE SET NULL (…)` column list, which the DSL cannot give;
 *   and the comments on the indexes behind keys the definitions still have.
 * - policy comments and the comments on a view's columns, which the definitions cannot give, are
 *   the history's (a view whose columns are gone loses theirs).
 */
import { usesIdentifier } from '../diff/keyed.js'
import { cmp } from '../model/normalize.js'
import type { Model, RoleDef, TableDef, TriggerDef, ViewDef } from '../model/types.js'

const key = (schema: string, name: string) => `${schema}.${name}`

/** The history's comments on the indexes of keys the definitions still have (the DSL cannot give them). */
function keyIndexComments(t: TableDef, c: TableDef): { keyIndexComments?: Record<string, string> } {
  if (t.keyIndexComments !== undefined || !c.keyIndexComments) return {}
  const names = new Set([...(t.primaryKey ? [t.primaryKey.name] : []), ...t.uniques.map((u) => u.name)])
  const kept = Object.entries(c.keyIndexComments).filter(([name]) => names.has(name))
  return kept.length ? { keyIndexComments: Object.fromEntries(kept) } : {}
}

/** The history's INCLUDE columns of a key the definitions give with the same key columns and none. */
function includeOf(k: { columns: readonly string[]; include?: readonly string[] }, c: { columns: readonly string[]; include?: readonly string[] } | undefined): { include?: readonly string[] } {
  return k.include === undefined && c?.include && JSON.stringify(c.columns) === JSON.stringify(k.columns) ? { include: c.include } : {}
}

/** `desired` with what the definitions cannot say taken from `current` (see the module comment). */
export function withUndeclaredFrom(current: Model, desired: Model, declared?: Model): Model {
  const tables = new Map(current.tables.map((t) => [key(t.schema, t.name), t]))
  const ownsExclusions = new Set((declared?.tables ?? []).filter((t) => t.exclusions !== undefined).map((t) => key(t.schema, t.name)))
  const triggers = new Map(current.triggers.map((t) => [`${t.schema}.${t.table}.${t.name}`, t]))
  const commentOf = <T extends { name: string; comment?: string }>(list: readonly T[], name: string) =>
    list.find((x) => x.name === name)?.comment
  const keepComment = <T extends { name: string; comment?: string }>(x: T, from: readonly T[]): T => {
    const c = x.comment === undefined ? commentOf(from, x.name) : undefined
    return c === undefined ? x : { ...x, comment: c }
  }
  const table = (t: TableDef): TableDef => {
    const c = tables.get(key(t.schema, t.name))
    if (!c) return t
    const pk = t.primaryKey && c.primaryKey?.name === t.primaryKey.name
      ? {
          ...keepComment(t.primaryKey, [c.primaryKey]),
          ...(t.primaryKey.with === undefined && c.primaryKey.with !== undefined ? { with: c.primaryKey.with } : {}),
          ...includeOf(t.primaryKey, c.primaryKey),
        }
      : t.primaryKey
    return {
      ...t,
      ...(pk ? { primaryKey: pk } : {}),
      uniques: t.uniques.map((u) => {
        const o = c.uniques.find((x) => x.name === u.name)
        return { ...keepComment(u, c.uniques), ...(u.with === undefined && o?.with !== undefined ? { with: o.with } : {}), ...includeOf(u, o) }
      }),
      checks: t.checks.map((k) => {
        const o = c.checks.find((x) => x.name === k.name)
        return { ...keepComment(k, c.checks), ...(k.notValid === undefined && o?.notValid && o.expression === k.expression ? { notValid: o.notValid } : {}) }
      }),
      foreignKeys: t.foreignKeys.map((k) => {
        const o = c.foreignKeys.find((x) => x.name === k.name)
        const same = o !== undefined && JSON.stringify([o.columns, o.refSchema, o.refTable, o.refColumns]) === JSON.stringify([k.columns, k.refSchema, k.refTable, k.refColumns])
        return {
          ...keepComment(k, c.foreignKeys),
          ...(k.notValid === undefined && o?.notValid && same ? { notValid: o.notValid } : {}),
          ...(k.onDeleteColumns === undefined && o?.onDeleteColumns && same && o.onDelete === k.onDelete ? { onDeleteColumns: o.onDeleteColumns } : {}),
        }
      }),
      policies: t.policies.map((p) => keepComment(p, c.policies)),
      ...(t.exclusions === undefined && c.exclusions && !ownsExclusions.has(key(t.schema, t.name)) ? { exclusions: c.exclusions } : {}),
      ...(t.unlogged === undefined && c.unlogged ? { unlogged: c.unlogged } : {}),
      ...keyIndexComments(t, c),
    }
  }
  const trigger = (t: TriggerDef): TriggerDef => {
    const c = triggers.get(`${t.schema}.${t.table}.${t.name}`)
    return t.enabled === undefined && c?.enabled !== undefined ? { ...t, enabled: c.enabled } : t
  }
  const ownsDefaultPrivileges = desired.defaultPrivileges !== undefined || declared?.defaultPrivileges !== undefined
  const ownsCollations = desired.collations !== undefined || declared?.collations !== undefined
  const keptPrivileges = ownsDefaultPrivileges ? undefined : current.defaultPrivileges
  // a role the history's default privileges name comes along, unless the definitions have it
  const named = new Set((keptPrivileges ?? []).flatMap((d) => [d.role, d.grantee]))
  const roles: RoleDef[] = [...desired.roles, ...current.roles.filter((r) => named.has(r.name) && !desired.roles.some((x) => x.name === r.name))]
  const views = new Map(current.views.map((v) => [key(v.schema, v.name), v]))
  const view = (v: ViewDef): ViewDef => {
    const c = views.get(key(v.schema, v.name))
    if (v.columnComments !== undefined || c?.columnComments === undefined) return v
    // only the columns the view still has (its text names them)
    const kept = Object.entries(c.columnComments).filter(([col]) => usesIdentifier(v.definition, col))
    return kept.length ? { ...v, columnComments: Object.fromEntries(kept) } : v
  }
  return {
    ...desired,
    tables: desired.tables.map(table),
    views: desired.views.map(view),
    triggers: desired.triggers.map(trigger),
    ...(roles.length !== desired.roles.length ? { roles: roles.sort((a, b) => cmp(a.name, b.name)) } : {}),
    ...(keptPrivileges ? { defaultPrivileges: keptPrivileges } : {}),
    ...(!ownsCollations && current.collations ? { collations: current.collations } : {}),
  }
}
