/** Extensions: created, dropped, moved to another schema. */
import type { DiffKind } from '../context.js'
import { diffByKey } from '../keyed.js'

export const extensions: DiffKind = {
  name: 'extensions',
  diff(ctx) {
    const { pairs, dropped } = diffByKey(ctx.from.extensions, ctx.to.extensions, (e) => e.name)
    for (const { from: f, to: e } of pairs) {
      if (!f) ctx.out.push({ kind: 'create_extension', extension: e })
      else if (f.schema !== e.schema) ctx.out.push({ kind: 'alter_extension_schema', from: f, to: e })
    }
    for (const e of dropped) ctx.out.push({ kind: 'drop_extension', extension: e })
  },
}
