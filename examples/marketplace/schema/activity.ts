/**
 * The audit log, RANGE-partitioned by month on "createdAt" (partitions in partitions/; the primary
 * key includes the partition key, as PostgreSQL requires), and the activity stream.
 */
import { index, integer, jsonb, primaryKey, serial, table, text } from '../../../src/dsl/index.js'
import { createdAt, optional, required } from './helpers.js'
import { Tenant, User } from './tenancy.js'

export const AuditLog = table(
  'AuditLog',
  {
    id: serial(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    userId: integer().references(() => User.id, optional),
    action: text().notNull().comment('create, update, delete, etc.'),
    resource: text().notNull().comment('Model name'),
    resourceId: text().notNull().comment('ID of affected resource'),
    oldValues: jsonb(),
    newValues: jsonb(),
    ipAddress: text(),
    userAgent: text(),
    requestId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.createdAt], name: 'AuditLog_pkey' }),
    index('AuditLog_tenantId_idx').on(t.tenantId),
    index('AuditLog_userId_idx').on(t.userId),
    index('AuditLog_resource_resourceId_idx').on(t.resource, t.resourceId),
    index('AuditLog_createdAt_idx').on(t.createdAt),
  ],
  { partitionBy: { strategy: 'range', key: ['createdAt'] }, comment: 'Partitioned by month on createdAt' },
)

export const Activity = table(
  'Activity',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    userId: integer().notNull().references(() => User.id, required),
    type: text().notNull().comment('view, like, share, comment, etc.'),
    target: text().notNull().comment('Model name'),
    targetId: text().notNull().comment('ID of target'),
    metadata: jsonb(),
    createdAt: createdAt(),
  },
  (t) => [
    index('Activity_tenantId_userId_idx').on(t.tenantId, t.userId),
    index('Activity_target_targetId_idx').on(t.target, t.targetId),
    index('Activity_createdAt_idx').on(t.createdAt),
  ],
)
