/**
 * A partition added to, or dropped from, a partitioned table that exists already: the migration
 * step carries the partition_parent_lock hazard (Postgres locks the whole table ACCESS EXCLUSIVE);
 * partitions created with their table carry none.
 */
import { describe, expect, it } from 'vitest'
import { integer, pgSchema, rangePartitions, text, timestamptz } from '../../../src/dsl/index.js'
import { diff } from '../../../src/diff/diff.js'
import { collectModel } from '../../../src/load/build-model.js'
import type { Model } from '../../../src/model/types.js'
import { plan as planMigration } from '../../../src/plan/plan.js'

const app = pgSchema('app')
const events = app.table('events', { id: integer().notNull(), at: timestamptz().notNull(), body: text() }, () => [], { partitionBy: { strategy: 'range', key: ['at'] } })
const modelOf = (exports: Record<string, unknown>) => collectModel(exports)

describe('a partition added or dropped by a migration', () => {
  it('carries the partition_parent_lock hazard when its table exists, not when it is created with it', () => {
    const parts = rangePartitions(events, { from: '2026-01', every: 'month', count: 2 })
    const { model: before } = modelOf({ app, events, p: parts.slice(0, 1) })
    const { model: after } = modelOf({ app, events, p: parts.slice(1) })
    const p = planMigration(diff(before, after).changes, { allowDestructive: true })
    const hazards = p.steps.flatMap((x) => x.hazards.map((h) => `${h.code} ${h.object}`))
    expect(hazards).toEqual(expect.arrayContaining(['partition_parent_lock app.events_2026_02', 'partition_parent_lock app.events_2026_01', 'drop_table app.events_2026_01']))
    expect(p.steps.find((x) => x.sql.startsWith('CREATE TABLE app.events_2026_02'))!.hazards[0].message).toMatch(/ACCESS EXCLUSIVE lock on app.events/)
    const empty: Model = { ...before, schemas: [], tables: [] }
    expect(planMigration(diff(empty, after).changes).steps.flatMap((x) => x.hazards)).toEqual([])
  })
})

