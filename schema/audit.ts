/** Seed 000, `audit` schema: the cross-service audit log. */
import { index, inet, jsonb, pgSchema, text, timestamptz, uuid, varchar } from '../src/dsl/index.js'

export const audit = pgSchema('audit', { comment: 'Cross-service: audit logs' })

export const logs = audit.table(
  'logs',
  {
    id: uuid().primaryKey().defaultRandom(),
    actor_id: uuid(),
    actor_type: varchar(50).default('user'),
    action: varchar(100).notNull(),
    resource_type: varchar(100).notNull(),
    resource_id: uuid(),
    workspace_id: uuid(),
    metadata: jsonb<Record<string, unknown>>().default({}),
    ip_address: inet(),
    user_agent: text(),
    created_at: timestamptz().defaultNow(),
  },
  (t) => [
    index('idx_audit_actor').on(t.actor_id),
    index('idx_audit_resource').on(t.resource_type, t.resource_id),
    index('idx_audit_created').on(t.created_at.desc()),
  ],
)
