/**
 * Grants: deltas per (object, role). An object this migration creates gets the target's default
 * privileges on creation (they are set before any object): what the target's object does not hold
 * is revoked after.
 */
import type { DefaultPrivilegeDef, GrantDef } from '../../model/types.js'
import type { DiffKind } from '../context.js'
import { diffByKey, k2 } from '../keyed.js'

export const grants: DiffKind = {
  name: 'grants',
  diff(ctx) {
    const { from, to, out } = ctx
    const gKey = (g: GrantDef) => `${g.on}:${g.schema}.${g.name}:${g.role}`
    const { fromByKey: fromG, toByKey: toG } = diffByKey(from.grants, to.grants, gKey)
    const fromViews = new Set(from.views.map((v) => k2(v.schema, v.name)))
    const toViews = new Set(to.views.map((v) => k2(v.schema, v.name)))
    const toSeq = new Set(to.sequences.map((s) => k2(s.schema, s.name)))
    const objectGone = (g: GrantDef) =>
      ctx.droppedSchemas.has(g.schema) ||
      (g.on === 'table' && (ctx.droppedTables.has(k2(g.schema, g.name)) || (fromViews.has(k2(g.schema, g.name)) && !toViews.has(k2(g.schema, g.name))))) ||
      (g.on === 'sequence' && !toSeq.has(k2(g.schema, g.name)))
    const recreatedObject = (g: GrantDef) => g.on === 'table' && ctx.recreatedViews.has(k2(g.schema, g.name))
    for (const g of from.grants) {
      const n = toG.get(gKey(g))
      if (objectGone(g) || recreatedObject(g)) continue
      if (!n) out.push({ kind: 'revoke', grant: g })
      else if (n.withGrantOption !== g.withGrantOption) out.push({ kind: 'revoke', grant: g })
      else {
        const gone = g.privileges.filter((p) => !n.privileges.includes(p))
        if (gone.length) out.push({ kind: 'revoke', grant: { ...g, privileges: gone } })
      }
    }
    for (const g of to.grants) {
      const o = fromG.get(gKey(g))
      if (!o || o.withGrantOption !== g.withGrantOption || recreatedObject(g)) out.push({ kind: 'grant', grant: g })
      else {
        const added = g.privileges.filter((p) => !o.privileges.includes(p))
        if (added.length) out.push({ kind: 'grant', grant: { ...g, privileges: added } })
      }
    }

    // objects this migration creates get the target's default privileges on creation
    const autoGranted = (on: DefaultPrivilegeDef['on'], schema: string) =>
      (to.defaultPrivileges ?? []).filter((d) => !d.revoke && d.on === on && (d.schema === undefined || d.schema === schema))
    const created: { on: GrantDef['on']; kinds: DefaultPrivilegeDef['on']; schema: string; name: string }[] = [
      ...out.flatMap((c) => (c.kind === 'create_table' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.table.schema, name: c.table.name }] : [])),
      ...out.flatMap((c) => (c.kind === 'create_view' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.view.schema, name: c.view.name }] : [])),
      ...out.flatMap((c) => (c.kind === 'create_sequence' ? [{ on: 'sequence' as const, kinds: 'sequences' as const, schema: c.sequence.schema, name: c.sequence.name }] : [])),
      ...out.flatMap((c) => (c.kind === 'create_function' ? [{ on: 'function' as const, kinds: 'functions' as const, schema: c.function.schema, name: c.function.name }] : [])),
    ]
    for (const obj of created) {
      for (const d of autoGranted(obj.kinds, obj.schema)) {
        const held = to.grants.filter((g) => g.on === obj.on && g.schema === obj.schema && g.name === obj.name && g.role === d.grantee).flatMap((g) => g.privileges)
        const extra = d.privileges.filter((p) => !held.includes(p))
        if (extra.length) {
          out.push({
            kind: 'revoke',
            grant: { kind: 'grant', on: obj.on, schema: obj.schema, name: obj.name, role: d.grantee, privileges: extra, withGrantOption: false },
            afterCreate: true,
          })
        }
      }
    }
  },
}
