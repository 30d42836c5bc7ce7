/**
 * Where each backfill job stands in a database: committed batches, documents loaded and rejected,
 * the last `_id`, and the latest run's outcome.
 */
import type { Queryable } from '../db/database.js'
import type { BackfillJob } from './define-backfill.js'
import * as cp from './checkpoint.js'
import { orderJobs } from './job-order.js'

/** One job's state. */
export interface JobStatus {
  readonly job: string
  readonly collection: string
  readonly target: string
  readonly batches: number
  readonly docs: number
  readonly loaded: number
  readonly rejected: number
  readonly rows: number
  readonly lastId?: string
  readonly lastBatchAt?: string
  /** Latest run: running (or killed since: the next run marks it abandoned), done, failed, stopped (--max-rejects), interrupted (a signal); 'never' when none. */
  readonly lastRun: string
  readonly lastRunError?: string
}

/** The state of `jobs` (in run order) plus any job recorded in the database but not defined any more. */
export async function backfillStatus(db: Queryable, jobs: readonly BackfillJob[]): Promise<JobStatus[]> {
  const has = await cp.hasBookkeeping(db)
  const runs = has ? await cp.latestRuns(db) : new Map()
  const out: JobStatus[] = []
  for (const j of orderJobs(jobs)) {
    const p = has ? await cp.readProgress(db, j.name) : { batches: 0, docs: 0, loaded: 0, rejected: 0, rows: 0 }
    const run = runs.get(j.name)
    out.push({
      job: j.name,
      collection: j.collection,
      target: `${j.table.schema}.${j.table.name}`,
      batches: p.batches,
      docs: p.docs,
      loaded: p.loaded,
      rejected: p.rejected,
      rows: p.rows,
      ...('lastIdText' in p && p.lastIdText ? { lastId: p.lastIdText } : {}),
      ...('at' in p && p.at ? { lastBatchAt: p.at } : {}),
      lastRun: run?.status ?? 'never',
      ...(run?.error ? { lastRunError: run.error } : {}),
    })
  }
  return out
}
