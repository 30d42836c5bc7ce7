/**
 * Step 9: documents by quarter on `uploaded_at`, the audit log by month on `timestamp`, with the
 * storage parameters of step 8 on every partition (a partitioned parent stores nothing and takes
 * none): fillfactor below 100 on the update-heavy documents, parallel workers for scans, and
 * aggressive autovacuum on the audit log.
 *
 * Add the next quarter / month before it starts: a row outside every range is rejected. Bounds are
 * written in UTC.
 */
import { partitionOf } from '../../../src/dsl/index.js'
import type { AnyTable, StorageParams } from '../../../src/dsl/index.js'
import { auditLog } from '../schema/audit.js'
import { documents } from '../schema/documents.js'

const day = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`
const next = (y: number, m: number, months: number): [number, number] => [y + Math.floor((m - 1 + months) / 12), ((m - 1 + months) % 12) + 1]

/** `count` partitions of `months` months each, from `year`-`month`, named by `name`, each WITH `params`. */
function partitionsOf(parent: AnyTable, first: [number, number], months: number, count: number, name: (y: number, m: number) => string, params: StorageParams) {
  const out = []
  let [y, m] = first
  for (let i = 0; i < count; i++) {
    const [ny, nm] = next(y, m, months)
    out.push(partitionOf(parent, name(y, m), { from: day(y, m), to: day(ny, nm) }, { with: params }))
    ;[y, m] = [ny, nm]
  }
  return out
}

/** 2026 Q1–Q4: documents_2026_q1 … documents_2026_q4. */
export const documentPartitions = partitionsOf(
  documents, [2026, 1], 3, 4,
  (y, m) => `documents_${y}_q${(m + 2) / 3}`,
  { fillfactor: 85, parallel_workers: 4, toast_tuple_target: 4080 },
)

/** January to June 2026: audit_log_2026_01 … audit_log_2026_06. */
export const auditLogPartitions = partitionsOf(
  auditLog, [2026, 1], 1, 6,
  (y, m) => `audit_log_${y}_${String(m).padStart(2, '0')}`,
  { fillfactor: 90, autovacuum_vacuum_scale_factor: 0.02, autovacuum_analyze_scale_factor: 0.01, autovacuum_vacuum_insert_scale_factor: 0.05 },
)
