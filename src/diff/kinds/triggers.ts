/** Triggers: changed = drop + create; also made again with their function or their (INSTEAD OF) view. */
import type { TriggerDef } from '../../model/types.js'
import type { DiffKind } from '../context.js'
import { diffByKey, k2, mentions } from '../keyed.js'

export const triggers: DiffKind = {
  name: 'triggers',
  diff(ctx) {
    const { out } = ctx
    const tKey = (t: TriggerDef) => `${t.schema}.${t.table}.${t.name}`
    const { fromByKey: fromTr, toByKey: toTr } = diffByKey(ctx.from.triggers, ctx.to.triggers, tKey)
    const trigUsesRecreated = (t: TriggerDef) =>
      ctx.recreatedFunctions.some((fn) => mentions(t.definition, fn.schema, fn.name)) || ctx.recreatedViews.has(k2(t.schema, t.table))
    for (const t of ctx.from.triggers) {
      const n = toTr.get(tKey(t))
      if (ctx.droppedTables.has(`${t.schema}.${t.table}`) && !n) continue
      if (!n || n.definition !== t.definition || trigUsesRecreated(t)) out.push({ kind: 'drop_trigger', trigger: t })
    }
    for (const t of ctx.to.triggers) {
      const o = fromTr.get(tKey(t))
      const fresh = !o || o.definition !== t.definition || trigUsesRecreated(o)
      if (fresh) out.push({ kind: 'create_trigger', trigger: t })
      // a new trigger is created enabled; any other state is set after it
      const was = fresh ? undefined : o?.enabled
      if (was !== t.enabled) out.push({ kind: 'alter_trigger_enabled', trigger: t, ...(was !== undefined ? { from: was } : {}) })
      ctx.comment({ on: 'trigger', schema: t.schema, table: t.table, name: t.name }, fresh ? undefined : o?.comment, t.comment)
    }
  },
}
