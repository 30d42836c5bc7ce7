/**
 * "AuditLog" by month on "createdAt" ("AuditLog_2026_01" …, as the data model names them), and a
 * DEFAULT partition for rows outside every month declared. Add the next months before they start;
 * rows already in the default partition for a month must move out before that month's partition
 * can be created.
 */
import { partitionOf, rangePartitions } from '../../../src/dsl/index.js'
import { AuditLog } from '../schema/activity.js'

/** January to December 2026. */
export const auditLogMonths = rangePartitions(AuditLog, { from: '2026-01', every: 'month', count: 12 })

export const auditLogDefault = partitionOf(AuditLog, 'AuditLog_default', { default: true })
