/**
 * Triggers: changed = drop + create; also made again with their function, their (INSTEAD OF) view,
 * or a column of their table that their text names (UPDATE OF, WHEN) and that is retyped or dropped:
 * Postgres refuses to alter a column a trigger's definition uses.
 */
import type { TriggerDef } from '../../model/types.js'
import type { DiffKind } from '../context.js'
import { diffByKey, k2, mentions, usesIdentifier } from '../keyed.js'

export const triggers: DiffKind = {
  name: 'triggers',
  diff(ctx) {
    const { out } = ctx
    const tKey = (t: TriggerDef) => `${t.schema}.${t.table}.${t.name}`
    const { fromByKey: fromTr, toByKey: toTr } = diffByKey(ctx.from.triggers, ctx.to.triggers, tKey)
    const trigUsesRecreated = (t: TriggerDef) =>
      ctx.recreatedFunctions.some((fn) => mentions(t.definition, fn.schema, fn.name)) ||
      ctx.recreatedViews.has(k2(t.schema, t.table)) ||
      ctx.touchedColumns.some((tc) => tc.table.schema === t.schema && tc.table.name === t.table && usesIdentifier(columnsPart(t), tc.column))
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

/** The part of a trigger's text that names its table's columns: `UPDATE OF …` and `WHEN (…)`, up to EXECUTE. */
function columnsPart(t: TriggerDef): string {
  const on = t.definition.search(/\bON\s/i)
  const exec = t.definition.search(/\bEXECUTE\s+(FUNCTION|PROCEDURE)\b/i)
  const before = on > 0 ? t.definition.slice(0, on) : ''
  const when = /\bWHEN\s*\(/i.exec(t.definition)
  return before + (when && exec > when.index ? t.definition.slice(when.index, exec) : '')
}
