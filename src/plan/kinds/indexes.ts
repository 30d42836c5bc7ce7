/** Indexes of tables and materialized views (CONCURRENTLY on existing tables). */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { qname } from '../../sqlgen/quote.js'
import type { Change, TableRef } from '../../diff/changes.js'
import type { IndexDef } from '../../model/types.js'
import { type PlanContext, type PlanKind, tname } from '../context.js'
import { hazard, type Hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

/** The steps that create one index (CONCURRENTLY on an existing, unpartitioned table). */
export function indexSteps(ctx: PlanContext, c: Change, t: TableRef, ix: IndexDef, partitioned: boolean): void {
  const { emit, p, isNew } = ctx
  const concurrently = p.concurrentIndexes && !isNew(t) && !partitioned
  const hazards: Hazard[] = []
  if (!isNew(t) && !concurrently) {
    hazards.push(
      hazard(
        'blocking_index_build',
        `${t.schema}.${ix.name}`,
        partitioned
          ? `index on partitioned table ${tname(t)} is built without CONCURRENTLY (Postgres cannot), blocking writes to every partition while it builds`
          : `index built without CONCURRENTLY (policy), blocking writes to ${tname(t)} while it builds`,
      ),
    )
  }
  emit(c, ix.unique ? PHASE.uniqueIndex : PHASE.createIndex, ddl.createIndex(t, ix, { concurrently }), `create index ${t.schema}.${ix.name} on ${tname(t)}`, {
    transactional: !concurrently,
    hazards,
    reverse: isNew(t) ? undefined : [alter.dropIndex(t.schema, ix.name, { concurrently })],
    ...(concurrently ? { reverseTransactional: false } : {}),
  })
}

export const indexes = {
  name: 'indexes',
  steps: {
    create_index(c, ctx) {
      return indexSteps(ctx, c, c.table, c.index, c.partitioned === true)
    },
    drop_index(c, ctx) {
      const { emit, p } = ctx
      const concurrently = p.concurrentIndexes && !c.partitioned
      return emit(c, PHASE.dropIndex, alter.dropIndex(c.table.schema, c.index.name, { concurrently }), `drop index ${c.table.schema}.${c.index.name}`, {
        transactional: !concurrently,
        reverse: [ddl.createIndex(c.table, c.index, { concurrently }), ...commentBack(`INDEX ${qname(c.table.schema, c.index.name)}`, c.index.comment)],
        ...(concurrently ? { reverseTransactional: false } : {}),
      })
    },
  },
} satisfies PlanKind
