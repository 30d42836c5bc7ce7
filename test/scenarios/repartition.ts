/**
 * Scenarios for a table whose partitioning changes: dropped and created again (a destructive drop,
 * refused unless allowed), its partitions dropped first. Same format as cases.ts.
 */
import { col, model, table } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

/** Every scenario of this file. */
export function repartitionScenarios(): Scenario[] {
  const cols = () => [col('id', 'integer', { notNull: true }), col('at', 'date', { notNull: true })]
  const plain = table('app', 'events', cols())
  const partitioned = table('app', 'events', cols(), { partitionBy: { strategy: 'range', key: '(at)' } })
  const y2026 = table('app', 'events_2026', cols(), {
    partitionOf: { parentSchema: 'app', parent: 'events', bound: "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')" },
  })
  return [
    {
      name: 'partitioned-table-becomes-plain',
      before: model({ tables: [partitioned, y2026] }),
      after: model({ tables: [plain] }),
      sql: ['DROP TABLE app.events_2026', 'DROP TABLE app.events', 'CREATE TABLE app.events (\n  id integer NOT NULL,\n  at date NOT NULL\n)'],
      options: { policy: { allowDestructive: true } },
    },
    {
      name: 'plain-table-becomes-partitioned',
      before: model({ tables: [plain] }),
      after: model({ tables: [partitioned, y2026] }),
      sql: [
        'DROP TABLE app.events',
        'CREATE TABLE app.events (\n  id integer NOT NULL,\n  at date NOT NULL\n) PARTITION BY RANGE (at)',
        "CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
      ],
      options: { policy: { allowDestructive: true } },
    },
  ]
}
