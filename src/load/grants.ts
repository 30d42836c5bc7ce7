/**
 * The grants of the definitions, checked against what they name: the object exists (a table or
 * view, a function with those arguments, a table's columns), each privilege is one that kind of
 * object takes, a revoke takes away only PUBLIC's default privileges. Column-level grants become one
 * entry per column, and entries for the same object, role, option and direction are merged.
 */
import { OBJECT_PRIVILEGES } from '../dsl/policy.js'
import type { Grant } from '../dsl/policy.js'
import type { DefinedAt } from '../dsl/location.js'
import { cmp, grantKey } from '../model/normalize.js'
import type { GrantDef } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import { PRIVILEGES } from './sql-fragments.js'

type IssueFn = (code: string, message: string, at: DefinedAt | undefined, object?: string, hint?: string) => void

/** What the grants may name. */
export interface GrantTargets {
  /** Columns of an exported table, undefined when `schema.name` is no exported table. */
  readonly tableColumns: (key: string) => readonly string[] | undefined
  /** Whether `schema.name` is an exported view. */
  readonly isView: (key: string) => boolean
  /** The exported functions and procedures (and those triggers bring along). */
  readonly functions: readonly { readonly schema: string; readonly name: string; readonly args: string }[]
}

/** PUBLIC's default privileges by kind of object: what a revoke() may take away. */
const PUBLIC_DEFAULTS: Partial<Record<GrantDef['on'], string>> = { function: 'EXECUTE', type: 'USAGE' }

/** How a grant names its object in messages: `table app.users`, `function app.f(integer)`. */
export function grantObject(d: GrantDef): string {
  const what = d.on === 'schema' ? `schema ${d.schema}` : `${d.on} ${qname(d.schema, d.name)}${d.args !== undefined ? `(${d.args})` : ''}`
  return d.column !== undefined ? `column ${d.column} of ${what}` : what
}

/** The model entries of one grant (one per column of a column-level grant), with its problems reported. */
export function checkGrant(g: Grant, targets: GrantTargets, issue: IssueFn): GrantDef[] {
  const columns = (g as { $columns?: readonly string[] }).$columns
  let d: GrantDef = g.$def
  if (d.column !== undefined) {
    const { column: _c, ...rest } = d
    d = rest
  }
  const key = `${d.schema}.${d.name}`
  const verb = d.revoke ? 'a revoke' : 'a grant'
  const bad = (code: string, message: string, hint: string) => issue(code, message, g.at, key, hint)
  if (d.on === 'table') {
    if (targets.tableColumns(key) === undefined && !targets.isView(key)) {
      bad('grant_unknown_object', `${verb} names ${key}, which is not an exported table or view`, 'export the table or view too')
    }
  } else if (d.on === 'function') {
    const same = targets.functions.filter((f) => f.schema === d.schema && f.name === d.name)
    const match = d.args === undefined ? (same.length === 1 ? same[0] : undefined) : same.find((f) => f.args === d.args)
    if (match) d = { ...d, args: match.args }
    else if (d.args === undefined && same.length > 1) {
      bad('grant_unknown_object', `${verb} names function ${key}, which has ${same.length} overloads`, `pass the fn() itself, or give args: one of ${same.map((f) => `'${f.args}'`).join(', ')}`)
    } else {
      bad('grant_unknown_object', `${verb} names function ${key}(${d.args ?? ''}), which is not an exported function or procedure`,
        same.length ? `its arguments are ${same.map((f) => `'${f.args}'`).join(' or ')}; pass the fn() itself` : 'export the fn() too, and pass it as `on`')
    }
  }
  const object = grantObject(d)
  if (columns !== undefined) {
    if (d.on !== 'table') bad('invalid_grant', `${verb} on ${object} lists columns, which only tables and views have`, 'drop columns, or grant on a table')
    else if (!columns.length) bad('invalid_grant', `a column-level grant on ${object} lists no columns`, 'list columns, e.g. columns: [users.email]')
    const known = targets.tableColumns(key)
    for (const c of new Set(columns)) {
      if (known !== undefined && !known.includes(c)) bad('unknown_column', `a column-level grant on ${object} names column "${c}", which it does not have`, `use one of ${known.join(', ')}`)
    }
  }
  if (!d.privileges.length) bad('invalid_grant', `${verb} on ${object} lists no privileges`, "list privileges, e.g. ['SELECT']")
  const allowed = OBJECT_PRIVILEGES[columns !== undefined && d.on === 'table' ? 'column' : d.on]
  for (const p of d.privileges) {
    if (!PRIVILEGES.has(p)) bad('invalid_grant', `${verb} on ${object} names "${p}", which is not a privilege`, `use ${allowed.join(', ')}`)
    else if (!allowed.includes(p)) {
      bad('invalid_grant', `${verb} on ${object} names ${p}, which ${columns !== undefined ? 'a column' : `a ${d.on}`} does not take`, `use ${allowed.join(', ')}`)
    }
  }
  if (d.revoke) {
    const def = PUBLIC_DEFAULTS[d.on]
    if (d.role !== 'public' || def === undefined || d.privileges.some((p) => p !== def)) {
      bad('invalid_revoke', `a revoke on ${object} takes away ${d.privileges.join(', ')} from ${d.role}: only the EXECUTE PUBLIC holds on functions and the USAGE it holds on types are granted by default`,
        'to take away anything else, do not grant it')
    }
  } else if (d.withGrantOption && d.role === 'public') {
    bad('invalid_grant', `a grant on ${object} gives PUBLIC a grant option, which PostgreSQL refuses`, 'grant it with grant option to a role')
  }
  if (columns === undefined || !columns.length) return [d]
  return [...new Set(columns)].map((column) => ({ ...d, column }))
}

/**
 * One entry per object, role, grant option and direction, as the catalog groups them; a grant and a
 * revoke of the same default are a conflict, a grant of PUBLIC's default privileges is no entry, and a
 * privilege granted with and without grant option is kept with it.
 */
export function mergeGrants(grants: readonly { def: GrantDef; at: DefinedAt }[], issue: IssueFn): GrantDef[] {
  const merged = new Map<string, GrantDef>()
  for (const { def: g } of grants) {
    const k = grantKey(g)
    const prior = merged.get(k)
    merged.set(k, prior ? { ...prior, privileges: [...new Set([...prior.privileges, ...g.privileges])].sort(cmp) } : g)
  }
  for (const { def: g, at } of grants) {
    if (!g.revoke) continue
    const { revoke: _r, ...granting } = g
    const granted = merged.get(grantKey(granting))
    const both = granted?.privileges.filter((p) => g.privileges.includes(p)) ?? []
    if (both.length) {
      issue('conflicting_grant', `${grantObject(g)}: ${both.join(', ')} is both revoked from and granted to PUBLIC`, at, `${g.schema}.${g.name}`, 'keep one of them')
    }
  }
  // granting PUBLIC what it holds by default changes nothing: the catalog shows no such grant; a
  // privilege granted both with and without grant option is held once, with it
  const out: GrantDef[] = []
  for (const g of merged.values()) {
    const def = PUBLIC_DEFAULTS[g.on]
    const withOption = g.withGrantOption || g.revoke ? undefined : merged.get(grantKey({ ...g, withGrantOption: true }))
    const privileges = g.privileges.filter((p) => !(!g.revoke && g.role === 'public' && p === def) && !withOption?.privileges.includes(p))
    if (privileges.length) out.push({ ...g, privileges })
  }
  return out
}
