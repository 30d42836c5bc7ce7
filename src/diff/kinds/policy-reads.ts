/**
 * Policies that read another table (a subquery in USING or WITH CHECK): Postgres refuses to retype
 * or drop a column such a policy uses, so the policy is dropped before and made again after, as the
 * table diff does for the policies over the table's own columns. Runs after tables (whose diff
 * lists the retyped and dropped columns).
 */
import type { Change } from '../changes.js'
import type { DiffKind } from '../context.js'
import { byKey, k2, mentions, same, usesIdentifier } from '../keyed.js'

export const policyReads: DiffKind = {
  name: 'policies',
  diff(ctx) {
    const { out, touchedColumns } = ctx
    if (touchedColumns.length === 0) return
    const toTables = byKey(ctx.to.tables, (t) => k2(t.schema, t.name))
    for (const f of ctx.from.tables) {
      const t = toTables.get(k2(f.schema, f.name))
      if (!t || ctx.droppedTables.has(k2(f.schema, f.name))) continue
      const table = { schema: t.schema, name: t.name }
      const toPolicies = byKey(t.policies, (p) => p.name)
      const mine = (c: Change) =>
        (c.kind === 'drop_policy' || c.kind === 'create_policy' || c.kind === 'alter_policy') && c.table.schema === t.schema && c.table.name === t.name
      for (const o of f.policies) {
        const p = toPolicies.get(o.name)
        if (!p) continue
        const text = `${o.using ?? ''} ${o.withCheck ?? ''}`
        const readsTouched = touchedColumns.some(
          (tc) => !(tc.table.schema === t.schema && tc.table.name === t.name) && mentions(text, tc.table.schema, tc.table.name) && usesIdentifier(text, tc.column),
        )
        if (!readsTouched) continue
        const named = (c: Change) => mine(c) && (c.kind === 'alter_policy' ? c.to.name : (c as { policy: { name: string } }).policy.name) === o.name
        if (out.some((c) => named(c) && c.kind === 'drop_policy')) continue
        // an ALTER POLICY in place would come after the column change: drop and create instead
        for (let i = out.length - 1; i >= 0; i--) {
          const c = out[i]!
          if (named(c) || (c.kind === 'set_comment' && same(c.target, { on: 'policy', schema: t.schema, table: t.name, name: o.name }))) out.splice(i, 1)
        }
        out.push({ kind: 'drop_policy', table, policy: o }, { kind: 'create_policy', table, policy: p })
        ctx.comment({ on: 'policy', schema: t.schema, table: t.name, name: p.name }, undefined, p.comment)
      }
    }
  },
}
