/** Collations: nothing of one can be altered; a changed one is made again while nothing uses it. */
import type { CollationDef, Model } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import type { DiffKind } from '../context.js'
import { diffByKey, k2, same, without } from '../keyed.js'

const collationUsers = (m: Model, c: CollationDef): string[] => {
  const q = qname(c.schema, c.name)
  return [
    ...m.tables.flatMap((t) => [
      ...t.columns.filter((x) => x.collation === q).map((x) => `column ${t.schema}.${t.name}.${x.name}`),
      ...t.indexes.filter((ix) => ix.keys.some((k) => k.collation === q)).map((ix) => `index ${t.schema}.${ix.name}`),
    ]),
    ...m.domains.filter((d) => d.collation === q).map((d) => `domain ${d.schema}.${d.name}`),
  ]
}

export const collations: DiffKind = {
  name: 'collations',
  diff(ctx) {
    const { from, out } = ctx
    const { pairs, dropped } = diffByKey(from.collations ?? [], ctx.to.collations ?? [], (c) => k2(c.schema, c.name))
    for (const { from: f, to: c } of pairs) {
      let kept = f
      if (!f) out.push({ kind: 'create_collation', collation: c })
      else if (!same(without(f, 'comment'), without(c, 'comment'))) {
        const users = collationUsers(from, f)
        if (users.length) {
          out.push({
            kind: 'unsupported',
            object: `${c.schema}.${c.name}`,
            objectKind: 'collation',
            message: `collation ${qname(c.schema, c.name)} changes, and ${users.slice(0, 3).join(', ')}${users.length > 3 ? ' and more' : ''} use${users.length === 1 ? 's' : ''} it: Postgres cannot alter a collation`,
            hint: 'create the new collation under another name, move each column and index to it in a hand-written migration, then drop the old one',
          })
        } else {
          out.push({ kind: 'drop_collation', collation: f }, { kind: 'create_collation', collation: c })
          kept = undefined
        }
      }
      ctx.comment({ on: 'collation', schema: c.schema, name: c.name }, kept?.comment, c.comment)
    }
    for (const f of dropped) {
      out.push({ kind: 'drop_collation', collation: f, ...(collationUsers(from, f).length ? { afterColumns: true } : {}) })
    }
  },
}
