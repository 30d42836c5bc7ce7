/** Tables: created (with their indexes, row-level security and policies), dropped, renamed, attached or detached as partitions, storage parameters and persistence. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import type { TableDef } from '../../model/types.js'
import { type PlanContext, type PlanKind, tname } from '../context.js'
import { hazard, type Hazard } from '../hazards.js'
import { PHASE, recreateTable } from '../statements.js'
import { indexSteps } from './indexes.js'

/**
 * A partition created or dropped on a parent that stays: Postgres locks the whole partitioned
 * table ACCESS EXCLUSIVE for it (ATTACH and DETACH … CONCURRENTLY would not).
 */
function partitionLock(ctx: PlanContext, t: TableDef, what: 'created' | 'dropped'): Hazard[] {
  if (!t.partitionOf) return []
  const parent = { schema: t.partitionOf.parentSchema, name: t.partitionOf.parent }
  if (what === 'created' ? ctx.isNew(parent) : ctx.droppedTables.has(tname(parent))) return []
  return [hazard('partition_parent_lock', tname(t), `partition ${tname(t)} is ${what} under an ACCESS EXCLUSIVE lock on ${tname(parent)}: every read and write of the partitioned table waits${what === 'created' ? ', and a default partition is scanned' : ''}; a rolling window (rangePartitions() with premake) lets \`cairn partitions maintain\` ${what === 'created' ? 'attach partitions under SHARE UPDATE EXCLUSIVE' : 'detach them CONCURRENTLY'} instead`)]
}

export const tables = {
  name: 'tables',
  steps: {
    create_table(c, ctx) {
      const { emit } = ctx
      const t = c.table
      emit(c, PHASE.createTable, ddl.createTable(t), `create table ${tname(t)}`, { reverse: [alter.dropTable(t)], hazards: partitionLock(ctx, t, 'created') })
      for (const col of t.columns) if (col.storage) emit(c, PHASE.createTable, alter.alterColumnStorage(t, col.name, col.storage), `set the storage of ${tname(t)}.${col.name} to ${col.storage}`)
      for (const ix of t.indexes) indexSteps(ctx, c, t, ix, t.partitionBy !== undefined)
      if (t.rls?.enabled) emit(c, PHASE.tableOptions, alter.rlsEnabled(t, true), `enable row level security on ${tname(t)}`)
      if (t.rls?.forced) emit(c, PHASE.tableOptions, alter.rlsForced(t, true), `force row level security on ${tname(t)}`)
      for (const pol of t.policies) emit(c, PHASE.policy, ddl.createPolicy(t, pol), `create policy ${pol.name} on ${tname(t)}`)
      return
    },
    drop_table(c, ctx) {
      const { emit } = ctx
      const t = c.table
      return emit(c, PHASE.dropTable, alter.dropTable(t), `drop table ${tname(t)}`, {
        hazards: [
          hazard('drop_table', tname(t), c.repartitioned ? `table ${tname(t)} is dropped with all its rows and ${c.repartitioned}` : `table ${tname(t)} is dropped with all its rows`),
          ...partitionLock(ctx, t, 'dropped'),
        ],
        reverse: [
          `-- recreates the structure of ${tname(t)}; its rows are lost`,
          ...recreateTable(t),
        ],
      })
    },
    rename_table(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.rename, alter.renameTable(c.schema, c.from, c.to), `rename table ${c.schema}.${c.from} to ${c.to}`, {
        reverse: [alter.renameTable(c.schema, c.to, c.from)],
        hazards: [hazard('rename', `${c.schema}.${c.from}`, `table ${c.schema}.${c.from} is renamed to ${c.to}: clients using the old name break`)],
      })
    },
    alter_storage(c, ctx) {
      const { emit } = ctx
      const set: Record<string, string> = {}
      const reset: string[] = []
      for (const [k, v] of Object.entries(c.to)) if (c.from[k] !== v) set[k] = v
      for (const k of Object.keys(c.from)) if (!(k in c.to)) reset.push(k)
      const backSet: Record<string, string> = {}
      for (const [k, v] of Object.entries(c.from)) if (c.to[k] !== v) backSet[k] = v
      const backReset = Object.keys(c.to).filter((k) => !(k in c.from))
      const target = c.index !== undefined ? ('index' as const) : c.materialized === true
      const rel = c.index !== undefined ? { schema: c.table.schema, name: c.index } : c.table
      const back = [
        ...(Object.keys(backSet).length ? [alter.setStorage(rel, backSet, target)] : []),
        ...(backReset.length ? [alter.resetStorage(rel, backReset, target)] : []),
      ]
      const stmts = [
        ...(Object.keys(set).length ? [alter.setStorage(rel, set, target)] : []),
        ...(reset.length ? [alter.resetStorage(rel, reset, target)] : []),
      ]
      const what = c.index !== undefined ? `index ${c.table.schema}.${c.index}` : tname(c.table)
      stmts.forEach((sql, i) => emit(c, PHASE.tableOptions, sql, `storage parameters of ${what}`, i === 0 ? { reverse: back } : {}))
      return
    },
    alter_persistence(c, ctx) {
      const { emit } = ctx
      const t = c.table
      return emit(c, PHASE.tableOptions, alter.setLogged(t, c.unlogged), `make ${tname(t)} ${c.unlogged ? 'unlogged' : 'logged'}`, {
        reverse: [alter.setLogged(t, !c.unlogged)],
        hazards: [hazard('table_rewrite', tname(t), `SET ${c.unlogged ? 'UNLOGGED' : 'LOGGED'} rewrites ${tname(t)} under an ACCESS EXCLUSIVE lock${c.unlogged ? '; an unlogged table is emptied by a crash and not replicated' : ''}`)],
      })
    },
    attach_partition(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createTable, alter.attachPartition(c.table), `attach ${tname(c.table)} as a partition of ${c.table.partitionOf?.parentSchema}.${c.table.partitionOf?.parent}`, {
        reverse: [alter.detachPartition(c.table)],
      })
    },
    detach_partition(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.detach, alter.detachPartition(c.table), `detach partition ${tname(c.table)} from ${c.table.partitionOf?.parentSchema}.${c.table.partitionOf?.parent}`, {
        reverse: [alter.attachPartition(c.table)],
      })
    },
  },
} satisfies PlanKind
