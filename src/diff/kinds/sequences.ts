/**
 * Sequences (a sequence owned by a dropped column or table goes away with it; one that stays is
 * released from that owner before the drop).
 */
import type { Change } from '../changes.js'
import type { DiffKind } from '../context.js'
import { diffByKey, k2, same, without } from '../keyed.js'

export const sequences: DiffKind = {
  name: 'sequences',
  diff(ctx) {
    const { pairs, dropped } = diffByKey(ctx.from.sequences, ctx.to.sequences, (s) => k2(s.schema, s.name))
    const changes: Change[] = []
    const ownerDropped = (s: { schema: string; ownedBy?: { table: string; column: string } }) => {
      const owner = s.ownedBy && `${s.schema}.${s.ownedBy.table}`
      return owner !== undefined && (ctx.droppedTables.has(owner) || ctx.droppedColumns.has(`${owner}.${s.ownedBy?.column}`))
    }
    for (const { from: f, to: s } of pairs) {
      if (!f) changes.push({ kind: 'create_sequence', sequence: s })
      else if (!same(without(f, 'comment'), without(s, 'comment'))) {
        changes.push({ kind: 'alter_sequence', from: f, to: s, ...(ownerDropped(f) && !same(f.ownedBy, s.ownedBy) ? { releaseFirst: true } : {}) })
      }
      ctx.comment({ on: 'sequence', schema: s.schema, name: s.name }, f?.comment, s.comment)
    }
    for (const s of dropped) {
      if (ownerDropped(s)) continue
      changes.push({ kind: 'drop_sequence', sequence: s })
    }
    ctx.out.push(...changes)
  },
}
