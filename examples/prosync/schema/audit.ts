/**
 * Step 6: the audit log, RANGE-partitioned by month on `timestamp` for log rotation (partitions
 * in partitions/, each with its fillfactor and autovacuum settings: a partitioned parent holds no
 * storage parameters of its own).
 */
import { index, inet, jsonb, pgSchema, primaryKey, text, timestamptz, uuid, varchar } from '../../../src/dsl/index.js'
import { users } from './users.js'

export const auditSchema = pgSchema('audit', { comment: 'System actions, for traceability' })

export const auditLog = auditSchema.table(
  'audit_log',
  {
    id: uuid().notNull().defaultRandom(),
    timestamp: timestamptz().notNull().defaultNow(),
    actor_id: uuid().references(() => users.id, { onDelete: 'set null' }),
    action: varchar(100).notNull(),
    object_type: varchar(50).notNull(),
    object_id: uuid(),
    project_id: uuid().comment('projects.projects.id when the action concerns a project'),
    details: jsonb<Record<string, unknown>>().notNull().default({}),
    ip_address: inet(),
    user_agent: text(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.timestamp] }),
    index('idx_audit_log_actor').on(t.actor_id, t.timestamp.desc()),
    index('idx_audit_log_project').on(t.project_id, t.timestamp.desc()),
    index('idx_audit_log_object').on(t.object_type, t.object_id),
  ],
  { partitionBy: { strategy: 'range', key: ['timestamp'] }, comment: 'System actions and traceability, one partition per month' },
)
