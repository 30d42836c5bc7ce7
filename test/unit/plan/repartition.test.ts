/** A table whose partitioning changes: a destructive drop and create, refused without --allow-destructive, unsupported while something holds on to it. */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import type { CairnError } from '../../../src/errors.js'
import { plan } from '../../../src/plan/plan.js'
import { renderMigration } from '../../../src/plan/render-migration.js'
import { col, model, table } from './build.js'

const cols = () => [col('id', 'integer', { notNull: true }), col('at', 'date', { notNull: true })]
const partitioned = table('app', 'events', cols(), { partitionBy: { strategy: 'range', key: '(at)' } })
const plain = table('app', 'events', cols())

describe('repartitioning a table', () => {
  it('is refused without --allow-destructive, naming PGK101 and what happens', () => {
    const d = diff(model({ tables: [partitioned] }), model({ tables: [plain] }))
    let err: CairnError | undefined
    try {
      plan(d.changes, {})
    } catch (e) {
      err = e as CairnError
    }
    expect(err?.code).toBe('destructive_changes')
    expect(err?.issues?.map((i) => `${i.code} ${i.object}: ${i.message}`)).toEqual([
      'PGK101 drop_table app.events: table app.events is dropped with all its rows and made again as a plain table',
    ])
    const up = renderMigration(plan(d.changes, { allowDestructive: true }), { name: 'plain' }).up
    expect(up).toMatch(/^-- cairn:destructive PGK101 .*made again as a plain table/m)
  })

  it('stays unsupported while a foreign key points at the table', () => {
    const ref = table('app', 'refs', [col('event_id', 'integer')], {
      foreignKeys: [{ name: 'refs_event_fk', columns: ['event_id'], refSchema: 'app', refTable: 'events', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
    })
    const d = diff(model({ tables: [plain, ref] }), model({ tables: [partitioned, ref] }))
    expect(d.changes.filter((c) => c.kind === 'unsupported').map((c) => (c as { message: string }).message)).toEqual([
      'table app.events: a plain table cannot become a partitioned one',
    ])
  })
})
