/**
 * Seed 002/003: the audit/event log, RANGE-partitioned by month on `created_at` so old months can
 * be detached and archived. The primary key includes the partition key, as PostgreSQL requires.
 * Bounds are written in UTC: inspect with TimeZone = UTC (see src/dsl/partition.ts).
 */
import { index, inet, jsonb, primaryKey, rangePartitions, text, timestamptz, uuid, varchar } from '../src/dsl/index.js'
import { audit } from '../schema/audit.js'

export const events = audit.table(
  'events',
  {
    id: uuid().notNull().defaultRandom(),
    created_at: timestamptz().notNull().defaultNow(),
    tenant_id: uuid().comment('app.tenants.id when the event belongs to a tenant'),
    actor_id: uuid(),
    actor_type: varchar(50).default('user'),
    action: varchar(100).notNull(),
    resource_type: varchar(100).notNull(),
    resource_id: uuid(),
    metadata: jsonb<Record<string, unknown>>().default({}),
    ip_address: inet(),
    user_agent: text(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.created_at] }),
    index('idx_audit_events_resource').on(t.resource_type, t.resource_id),
    index('idx_audit_events_tenant_created').on(t.tenant_id, t.created_at.desc()),
  ],
  { partitionBy: { strategy: 'range', key: ['created_at'] }, comment: 'Audit events, one partition per month' },
)

/**
 * January to June 2026 come with the table; after that the window rolls: `cairn partitions
 * maintain` (cron) keeps the current month and the three after it, and detaches months whose range
 * ended more than a year ago, keeping them as plain tables (audit.events_<yyyy>_<mm>).
 */
export const eventPartitions = rangePartitions(events, {
  from: '2026-01', every: 'month', count: 6,
  premake: 3, retention: '12 months', retire: 'detach',
})
