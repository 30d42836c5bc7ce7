/**
 * `cairn-pg/backfill`: MongoDB → PostgreSQL data jobs. `defineBackfill` and the BSON-aware zod
 * helpers (`bz`) are what job files in migrations/data import; `runBackfill`, `verifyJob` and
 * `backfillStatus` are what `cairn backfill run|verify|status` do.
 */
export { defineBackfill, JobRows } from '../data/define-backfill.js'
export type { BackfillDefinition, BackfillJob, MapContext, TargetTable } from '../data/define-backfill.js'
export * as bz from '../data/bson-zod.js'
export { deterministicUuid, uuidv5 } from '../data/convert.js'
export { loadBackfillJobs } from '../data/load-jobs.js'
export { openSource } from '../data/sources/open-source.js'
export type { OpenSourceOptions } from '../data/sources/open-source.js'
export type { Source } from '../data/source.js'
export { runBackfill, type RunOptions, type JobSummary, type BackfillProgress } from '../data/run-job.js'
export { verifyJob, type VerifyReport, type VerifyOptions, type RowDifference } from '../data/verify.js'
export { backfillStatus, type JobStatus } from '../data/status.js'
export { listRejects, type StoredReject } from '../data/checkpoint.js'
export { connect } from '../db/connect.js'
export type { Database } from '../db/database.js'
