/**
 * Step 9: documents by quarter on `uploaded_at`, the audit log by month on `timestamp`, with the
 * storage parameters of step 8 on every partition (a partitioned parent stores nothing and takes
 * none): fillfactor below 100 on the update-heavy documents, parallel workers for scans, and
 * aggressive autovacuum on the audit log.
 *
 * Rotation is automated, as the document asks, by a scheduled `cairn partitions maintain` (cron):
 * it creates the next quarter and the next months ahead of time, with the same storage parameters.
 * Nothing is retired: the document sets no retention. Bounds are written in UTC.
 */
import { rangePartitions } from '../../../src/dsl/index.js'
import { auditLog } from '../schema/audit.js'
import { documents } from '../schema/documents.js'

/** 2026 Q1–Q4 (documents_2026_q1 … documents_2026_q4), then one quarter ahead. */
export const documentPartitions = rangePartitions(documents, {
  from: '2026-01', every: 'quarter', count: 4, premake: 1,
  with: { fillfactor: 85, parallel_workers: 4, toast_tuple_target: 4080 },
})

/** January to June 2026 (audit_log_2026_01 … audit_log_2026_06), then two months ahead. */
export const auditLogPartitions = rangePartitions(auditLog, {
  from: '2026-01', every: 'month', count: 6, premake: 2,
  with: { fillfactor: 90, autovacuum_vacuum_scale_factor: 0.02, autovacuum_analyze_scale_factor: 0.01, autovacuum_vacuum_insert_scale_factor: 0.05 },
})
