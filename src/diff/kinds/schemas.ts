/** Schemas: created, dropped, commented. */
import type { DiffKind } from '../context.js'
import { diffByKey } from '../keyed.js'

export const schemas: DiffKind = {
  name: 'schemas',
  diff(ctx) {
    const { pairs, dropped } = diffByKey(ctx.from.schemas, ctx.to.schemas, (s) => s.name)
    for (const { from: f, to: s } of pairs) {
      if (!f) ctx.out.push({ kind: 'create_schema', schema: s })
      ctx.comment({ on: 'schema', name: s.name }, f?.comment, s.comment)
    }
    for (const s of dropped) ctx.out.push({ kind: 'drop_schema', schema: s })
  },
}
