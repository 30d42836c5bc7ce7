/**
 * Grants: deltas per entry (object, column, role, grant option, direction; see grantKey). The ACL
 * goes with its object: the grants of an object this migration drops are revoked before it (so that
 * down.sql, which makes it again, restores them; a view's go with it, views being dropped first), one
 * it creates or makes again starts from the defaults (every grant of the target is made, and
 * PUBLIC's defaults are taken away again). A table-level REVOKE also takes the privilege away on
 * every column, so the column grants of that role and privilege are revoked before it and made
 * again after. An object this migration creates gets the target's default privileges on creation
 * (they are set before any object): what the target's object does not hold is revoked after.
 */
import { grantKey } from '../../model/normalize.js'
import type { DefaultPrivilegeDef, GrantDef, Model } from '../../model/types.js'
import type { Change } from '../changes.js'
import type { DiffContext, DiffKind } from '../context.js'
import { diffByKey, k2 } from '../keyed.js'

/** The object a grant entry is on (a column counts as its own object): `function:app.f(integer)`, `column:app.t.c`. */
export function grantObjectKey(g: Pick<GrantDef, 'on' | 'schema' | 'name' | 'args' | 'column'>): string {
  if (g.on === 'function') return `function:${g.schema}.${g.name}(${g.args ?? ''})`
  if (g.column !== undefined) return `column:${g.schema}.${g.name}.${g.column}`
  return `${g.on}:${g.schema}.${g.name}`
}

/** The privileges PUBLIC holds by default on new objects of a kind, and the default privileges kind that can take them away. */
const PUBLIC_DEFAULTS: Partial<Record<GrantDef['on'], { privilege: string; kinds: DefaultPrivilegeDef['on'] }>> = {
  function: { privilege: 'EXECUTE', kinds: 'functions' },
  type: { privilege: 'USAGE', kinds: 'types' },
}

/** The name Postgres gives an identity or serial column's sequence (before any truncation). */
const implicitSequence = (table: string, column: string) => `${table}_${column}_seq`

/** Objects this migration drops (their ACL goes with them) and creates (they start from the defaults), by grantObjectKey. */
function objectLife(ctx: DiffContext, out: readonly Change[]): { dropped: Set<string>; created: Set<string> } {
  const dropped = new Set<string>()
  const created = new Set<string>()
  const fn = (f: { schema: string; name: string; args: string }) => grantObjectKey({ on: 'function', schema: f.schema, name: f.name, args: f.args })
  const rel = (on: GrantDef['on'], schema: string, name: string) => grantObjectKey({ on, schema, name })
  const col = (schema: string, table: string, column: string) => grantObjectKey({ on: 'table', schema, name: table, column })
  const withColumns = (set: Set<string>, t: { schema: string; name: string; columns: readonly { name: string; identity?: unknown; default?: string }[] }) => {
    set.add(rel('table', t.schema, t.name))
    for (const c of t.columns) {
      set.add(col(t.schema, t.name, c.name))
      if (c.identity !== undefined) set.add(rel('sequence', t.schema, implicitSequence(t.name, c.name)))
    }
  }
  for (const c of out) {
    switch (c.kind) {
      case 'drop_table': withColumns(dropped, c.table); break
      case 'create_table': withColumns(created, c.table); break
      case 'drop_view': withColumns(dropped, { ...c.view, columns: [] }); break
      case 'create_view': withColumns(created, { ...c.view, columns: [] }); break
      case 'drop_sequence': dropped.add(rel('sequence', c.sequence.schema, c.sequence.name)); break
      case 'create_sequence': created.add(rel('sequence', c.sequence.schema, c.sequence.name)); break
      case 'drop_function': dropped.add(fn(c.function)); break
      case 'create_function': created.add(fn(c.function)); break
      case 'drop_aggregate': dropped.add(fn(c.aggregate)); break
      case 'create_aggregate': created.add(fn(c.aggregate)); break
      case 'drop_enum': dropped.add(rel('type', c.enum.schema, c.enum.name)); break
      case 'create_enum': created.add(rel('type', c.enum.schema, c.enum.name)); break
      case 'recreate_enum': dropped.add(rel('type', c.from.schema, c.from.name)); created.add(rel('type', c.to.schema, c.to.name)); break
      case 'drop_domain': dropped.add(rel('type', c.domain.schema, c.domain.name)); break
      case 'recreate_domain': dropped.add(rel('type', c.from.schema, c.from.name)); created.add(rel('type', c.to.schema, c.to.name)); break
      case 'create_domain': created.add(rel('type', c.domain.schema, c.domain.name)); break
      case 'drop_composite': dropped.add(rel('type', c.type.schema, c.type.name)); break
      case 'create_composite': created.add(rel('type', c.type.schema, c.type.name)); break
      case 'create_schema': created.add(rel('schema', c.schema.name, c.schema.name)); break
      case 'drop_column':
        dropped.add(col(c.table.schema, c.table.name, c.column.name))
        if (c.column.identity !== undefined) dropped.add(rel('sequence', c.table.schema, implicitSequence(c.table.name, c.column.name)))
        break
      case 'add_column':
        created.add(col(c.table.schema, c.table.name, c.column.name))
        if (c.column.identity !== undefined) created.add(rel('sequence', c.table.schema, implicitSequence(c.table.name, c.column.name)))
        break
      default:
        break
    }
  }
  // a sequence of the current side missing from the target goes, with its table or by itself
  const toSeq = new Set(ctx.to.sequences.map((s) => k2(s.schema, s.name)))
  for (const s of ctx.from.sequences) if (!toSeq.has(k2(s.schema, s.name))) dropped.add(rel('sequence', s.schema, s.name))
  return { dropped, created }
}

/** Whether the entry's object goes in this migration: dropped itself, or with its schema or table. */
function goes(g: GrantDef, dropped: ReadonlySet<string>, ctx: DiffContext): boolean {
  return ctx.droppedSchemas.has(g.schema) || dropped.has(grantObjectKey(g)) || (g.column !== undefined && dropped.has(grantObjectKey({ ...g, column: undefined })))
}

export const grants: DiffKind = {
  name: 'grants',
  diff(ctx) {
    const { from, to, out } = ctx
    const { fromByKey, toByKey } = diffByKey(from.grants, to.grants, grantKey)
    const { dropped, created } = objectLife(ctx, out)
    const fresh = (g: GrantDef) => created.has(grantObjectKey(g)) || (g.column !== undefined && created.has(grantObjectKey({ ...g, column: undefined })))

    // table-level privileges revoked from a role: REVOKE takes them off every column too
    const tableRevokes = new Map<string, Set<string>>()
    const revoked = (g: GrantDef, privileges: readonly string[]) => {
      if (g.on !== 'table' || g.column !== undefined || g.revoke) return
      const k = `${k2(g.schema, g.name)}\u0000${g.role}`
      tableRevokes.set(k, new Set([...(tableRevokes.get(k) ?? []), ...privileges]))
    }
    const revokes: GrantDef[] = []
    const fromViews = new Set(from.views.map((v) => k2(v.schema, v.name)))
    for (const g of from.grants) {
      if (ctx.droppedSchemas.has(g.schema)) continue
      // revoked before its object is dropped (or made again), so that down.sql restores it; a
      // view is dropped before any revoke, so its grants go with it
      if (goes(g, dropped, ctx)) {
        if (!(g.on === 'table' && fromViews.has(k2(g.schema, g.name)))) revokes.push(g)
        continue
      }
      if (fresh(g)) continue
      const n = toByKey.get(grantKey(g))
      const gone = n ? g.privileges.filter((p) => !n.privileges.includes(p)) : g.privileges
      if (gone.length) {
        revokes.push({ ...g, privileges: gone })
        revoked(g, gone)
      }
    }
    const wiped = (g: GrantDef) => {
      if (g.column === undefined) return false
      const lost = tableRevokes.get(`${k2(g.schema, g.name)}\u0000${g.role}`)
      return lost !== undefined && g.privileges.some((p) => lost.has(p))
    }
    // column grants the table-level REVOKE takes away: revoked first, whole (so down.sql restores them)
    for (const g of from.grants) {
      if (!wiped(g) || goes(g, dropped, ctx) || fresh(g)) continue
      if (!revokes.some((r) => grantKey(r) === grantKey(g))) revokes.push(g)
      else revokes.splice(revokes.findIndex((r) => grantKey(r) === grantKey(g)), 1, g)
    }
    revokes.sort((a, b) => Number(a.column === undefined) - Number(b.column === undefined))
    for (const g of revokes) out.push({ kind: 'revoke', grant: g })

    // PUBLIC's defaults taken away come before grants to PUBLIC on the same object
    const targets = [...to.grants].sort((a, b) => Number(b.revoke === true) - Number(a.revoke === true))
    for (const g of targets) {
      const o = fromByKey.get(grantKey(g))
      if (!o || fresh(g) || (o && goes(o, dropped, ctx)) || wiped(g)) out.push({ kind: 'grant', grant: g })
      else {
        const added = g.privileges.filter((p) => !o.privileges.includes(p))
        if (added.length) out.push({ kind: 'grant', grant: { ...g, privileges: added } })
      }
    }

    // objects this migration creates get the target's default privileges on creation
    autoGrants(to, out, created)
  },
}

/**
 * What default privileges give the objects this migration creates beyond the target's grants is
 * revoked after them; what database-wide entries take away from PUBLIC (EXECUTE on functions,
 * USAGE on types) the target's object still holds is granted back.
 */
function autoGrants(to: Model, out: Change[], created: ReadonlySet<string>): void {
  // only the entries of the role that runs the migration (no FOR ROLE) reach what it creates
  const autoGranted = (on: DefaultPrivilegeDef['on'], schema: string) =>
    (to.defaultPrivileges ?? []).filter((d) => d.role === undefined && !d.revoke && d.on === on && (d.schema === undefined || d.schema === schema))
  const news: { on: GrantDef['on']; kinds: DefaultPrivilegeDef['on']; schema: string; name: string; args?: string }[] = [
    ...out.flatMap((c) => (c.kind === 'create_table' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.table.schema, name: c.table.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_view' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.view.schema, name: c.view.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_sequence' ? [{ on: 'sequence' as const, kinds: 'sequences' as const, schema: c.sequence.schema, name: c.sequence.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_function' ? [{ on: 'function' as const, kinds: 'functions' as const, schema: c.function.schema, name: c.function.name, args: c.function.args }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_aggregate' ? [{ on: 'function' as const, kinds: 'functions' as const, schema: c.aggregate.schema, name: c.aggregate.name, args: c.aggregate.args }] : [])),
  ]
  const sameObject = (g: GrantDef, obj: (typeof news)[number]) =>
    g.on === obj.on && g.schema === obj.schema && g.name === obj.name && g.column === undefined && (obj.args === undefined || g.args === obj.args)
  for (const obj of news) {
    for (const d of autoGranted(obj.kinds, obj.schema)) {
      const held = to.grants.filter((g) => sameObject(g, obj) && !g.revoke && g.role === d.grantee).flatMap((g) => g.privileges)
      const extra = d.privileges.filter((p) => !held.includes(p))
      if (extra.length) {
        out.push({
          kind: 'revoke',
          grant: { kind: 'grant', on: obj.on, schema: obj.schema, name: obj.name, ...(obj.args !== undefined ? { args: obj.args } : {}), role: d.grantee, privileges: extra, withGrantOption: false },
          afterCreate: true,
        })
      }
    }
  }
  // database-wide entries that take PUBLIC's EXECUTE / USAGE away from new objects
  for (const key of created) {
    const m = /^(function|type):/.exec(key)
    if (!m) continue
    const on = m[1] as 'function' | 'type'
    const def = PUBLIC_DEFAULTS[on]!
    const takenAway = (to.defaultPrivileges ?? []).some((d) => d.role === undefined && d.revoke && d.schema === undefined && d.on === def.kinds && d.grantee === 'public' && d.privileges.includes(def.privilege))
    if (!takenAway) continue
    const obj = on === 'function'
      ? [...to.functions, ...(to.aggregates ?? [])].find((f) => grantObjectKey({ on, schema: f.schema, name: f.name, args: f.args }) === key)
      : [...to.enums, ...to.domains, ...(to.composites ?? [])].find((t) => grantObjectKey({ on, schema: t.schema, name: t.name }) === key)
    if (!obj) continue
    const args = on === 'function' ? (obj as { args: string }).args : undefined
    const revokedInTarget = to.grants.some((g) => g.revoke && grantObjectKey(g) === key)
    if (!revokedInTarget) {
      out.push({ kind: 'grant', grant: { kind: 'grant', on, schema: obj.schema, name: obj.name, ...(args !== undefined ? { args } : {}), role: 'public', privileges: [def.privilege], withGrantOption: false } })
    }
  }
}
