/** Roles: created, altered, dropped. */
import type { DiffKind } from '../context.js'
import { diffByKey, same } from '../keyed.js'

export const roles: DiffKind = {
  name: 'roles',
  diff(ctx) {
    const { pairs, dropped } = diffByKey(ctx.from.roles, ctx.to.roles, (r) => r.name)
    for (const { from: f, to: r } of pairs) {
      if (!f) ctx.out.push({ kind: 'create_role', role: r })
      else if (!same(f, r)) ctx.out.push({ kind: 'alter_role', from: f, to: r })
    }
    for (const r of dropped) ctx.out.push({ kind: 'drop_role', role: r })
  },
}
