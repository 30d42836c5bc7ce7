/**
 * Runs backfill jobs: reads each collection in `_id` order after the last checkpoint, validates and
 * maps every document, and loads each batch with COPY in one transaction that also writes the
 * batch's checkpoint and rejects. The next batch is read and prepared while the current one loads.
 */
import type { Document } from 'bson'
import type { Database, Queryable } from '../db/database.js'
import { CairnError, isCairnError } from '../errors.js'
import type { BackfillJob } from './define-backfill.js'
import { JobRows, mapContext, rowsOf } from './define-backfill.js'
import type { CheckpointRecord, RejectRecord } from './checkpoint.js'
import * as cp from './checkpoint.js'
import type { EncodedRow, LoadMode, LoadUnit, SinkTarget } from './pg-sink.js'
import { PgSink, encodeRow, isDatabaseError, rowsHash, sinkTargets } from './pg-sink.js'
import type { Source } from './source.js'
import { originalText, rawOf } from './source.js'
import { orderJobs } from './job-order.js'

/** Options of a backfill run. */
export interface RunOptions {
  readonly mode?: LoadMode
  /** Overrides each job's batch size. */
  readonly batchSize?: number
  /** Stop (exit 1) once a job has recorded more than this many rejects. */
  readonly maxRejects?: number
  /** Read, validate and map only; write nothing. */
  readonly dryRun?: boolean
  /** Forget the jobs' checkpoints and rejects and start from the first document. */
  readonly restart?: boolean
  readonly signal?: AbortSignal
  readonly onProgress?: (p: BackfillProgress) => void
}

/** Progress after each batch. */
export interface BackfillProgress {
  readonly job: string
  /** Documents done so far, including earlier runs. */
  readonly done: number
  /** Documents in the collection (from the source's count). */
  readonly total: number
  readonly rejected: number
  /** Documents done by this run. */
  readonly runDocs: number
  readonly elapsedMs: number
}

/** The outcome of one job. */
export interface JobSummary {
  readonly job: string
  readonly collection: string
  readonly status: 'done' | 'dry-run' | 'stopped'
  /** Documents the source holds. */
  readonly sourceCount: number
  /** This run: documents read, loaded, rejected, rows written per table. */
  readonly docs: number
  readonly loaded: number
  readonly rejected: number
  readonly rows: Readonly<Record<string, number>>
  readonly batches: number
  readonly ms: number
  /** The `_id` the run resumed after (canonical EJSON), when it resumed. */
  readonly resumedAfter?: string
  /** All runs so far: documents, loaded, rejected. */
  readonly total: { readonly docs: number; readonly loaded: number; readonly rejected: number }
  /** Validation/mapping rejects found by a dry run (first 20). */
  readonly sampleRejects?: readonly { readonly id: string; readonly reason: string }[]
}

/** Runs `jobs` in foreign-key order against `db`, reading from `source`. */
export async function runBackfill(db: Database | undefined, source: Source, jobs: readonly BackfillJob[], options: RunOptions = {}): Promise<JobSummary[]> {
  const ordered = orderJobs(jobs)
  if (!options.dryRun) {
    if (!db) throw new CairnError('backfill_no_database', 'a backfill run needs a database', { exitCode: 2 })
    await cp.ensureBookkeeping(db)
  }
  const out: JobSummary[] = []
  for (const job of ordered) {
    out.push(await runJob(db, source, job, options))
    if (options.signal?.aborted) break
  }
  return out
}

/** A batch after validation, mapping and encoding. */
export interface PreparedBatch {
  readonly docs: readonly Document[]
  readonly units: readonly LoadUnit[]
  readonly rejects: RejectRecord[]
  readonly lastId: string
}

/** Validates, maps and encodes one batch of source documents (or the `[from, to)` slice of it). */
export function prepareBatch(job: BackfillJob, targets: readonly SinkTarget[], docs: readonly Document[], from = 0, to = docs.length): PreparedBatch {
  const ctx = mapContext(job)
  const units: LoadUnit[] = []
  const rejects: RejectRecord[] = []
  const keys = targets.map((t) => t.key)
  for (let i = from; i < to; i++) {
    const doc = docs[i]!
    const idText = cp.idText(doc._id)
    const parsed = job.document.safeParse(doc)
    if (!parsed.success) {
      const reason = parsed.error.issues.map((x) => `${x.path.length ? x.path.join('.') : '(document)'}: ${x.message}`).join('; ')
      rejects.push(rejectOf(doc, idText, 'validation', reason))
      continue
    }
    try {
      const result = job.map(parsed.data as never, ctx as never) as unknown
      let rows: EncodedRow[]
      if (result !== null && typeof result === 'object' && !Array.isArray(result) && !(result instanceof JobRows)) {
        // The common case: one row for the main target.
        rows = [encodeRow(targets, 0, result as Record<string, unknown>, job.name)]
      } else {
        const byTarget = rowsOf(result, job)
        rows = []
        for (let t = 0; t < keys.length; t++) {
          for (const row of byTarget.get(keys[t]!) ?? []) rows.push(encodeRow(targets, t, row, job.name))
        }
      }
      units.push({ idText, rows, index: i })
    } catch (e) {
      if (isCairnError(e) && e.code !== 'backfill_bad_value') throw e
      rejects.push(rejectOf(doc, idText, 'mapping', (e as Error).message))
    }
  }
  const last = docs[docs.length - 1]
  return { docs, units, rejects, lastId: last ? cp.idText(last._id) : '' }
}

/** prepareBatch in slices, yielding to the event loop between them so that a load in flight keeps moving. */
export async function prepareBatchYielding(job: BackfillJob, targets: readonly SinkTarget[], docs: readonly Document[], slice = 250): Promise<PreparedBatch> {
  if (docs.length <= slice) return prepareBatch(job, targets, docs)
  const units: LoadUnit[] = []
  const rejects: RejectRecord[] = []
  let lastId = ''
  for (let from = 0; from < docs.length; from += slice) {
    const p = prepareBatch(job, targets, docs, from, Math.min(docs.length, from + slice))
    for (const u of p.units) units.push(u)
    for (const r of p.rejects) rejects.push(r)
    lastId = p.lastId
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return { docs, units, rejects, lastId }
}

function rejectOf(doc: Document, idText: string, kind: RejectRecord['kind'], reason: string): RejectRecord {
  const raw = rawOf(doc)
  return { docId: idText, kind, reason, document: originalText(doc), ...(raw instanceof Uint8Array ? { raw } : {}) }
}

/** sha256 of the rows a batch loaded, in load order. */
export function batchHash(units: readonly LoadUnit[]): string {
  return rowsHash(units)
}

/** Runs one job (no ordering, no bookkeeping setup: see runBackfill). */
export async function runJob(db: Database | undefined, source: Source, job: BackfillJob, options: RunOptions = {}): Promise<JobSummary> {
  const started = Date.now()
  const mode = options.mode ?? 'insert'
  const batchSize = options.batchSize ?? job.batchSize
  const targets = sinkTargets(job.table, job.extraTables)
  const sourceCount = await source.count(job.collection)
  const rows: Record<string, number> = {}
  for (const t of targets) rows[`${t.table.schema}.${t.table.name}`] = 0

  if (options.dryRun) {
    let docs = 0
    let rejected = 0
    const sample: { id: string; reason: string }[] = []
    for await (const batch of source.batches(job.collection, { batchSize, signal: options.signal })) {
      const p = prepareBatch(job, targets, batch)
      docs += batch.length
      rejected += p.rejects.length
      for (const r of p.rejects) if (sample.length < 20) sample.push({ id: r.docId, reason: r.reason })
      for (const u of p.units) for (const r of u.rows) rows[tableKey(targets[r.target]!)]!++
      options.onProgress?.({ job: job.name, done: docs, total: sourceCount, rejected, runDocs: docs, elapsedMs: Date.now() - started })
    }
    return {
      job: job.name, collection: job.collection, status: 'dry-run', sourceCount, docs, loaded: docs - rejected, rejected, rows,
      batches: 0, ms: Date.now() - started, total: { docs, loaded: docs - rejected, rejected }, sampleRejects: sample,
    }
  }

  const database = db!
  return database.session(async (session) => {
    const lock = await session.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [`cairn.backfill:${job.name}`])
    if (!lock[0]!.ok) {
      throw new CairnError('backfill_locked', `backfill ${job.name} is already running in another process`, {
        hint: 'wait for it to finish, or stop it; a killed run releases its lock with its connection',
        exitCode: 3,
      })
    }
    try {
      return await loadJob(session, source, job, targets, { ...options, mode, batchSize }, sourceCount, rows, started)
    } finally {
      await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`cairn.backfill:${job.name}`]).catch(() => {})
    }
  })
}

const tableKey = (t: SinkTarget) => `${t.table.schema}.${t.table.name}`

async function loadJob(
  session: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  source: Source,
  job: BackfillJob,
  targets: readonly SinkTarget[],
  options: RunOptions & { mode: LoadMode; batchSize: number },
  sourceCount: number,
  rows: Record<string, number>,
  started: number,
): Promise<JobSummary> {
  if (options.restart) await cp.resetJob(session, job.name)
  const before = await cp.readProgress(session, job.name)
  const existingRejects = await cp.countRejects(session, job.name)
  if (job.prepare) await job.prepare(session)
  const runId = await cp.startRun(session, job.name, source.description, options.mode)
  const sink = new PgSink(targets, options.mode)
  let batchNo = before.batches
  let docs = 0
  let loaded = 0
  let rejected = 0
  let batches = 0
  let status: JobSummary['status'] = 'done'
  const iterator = source.batches(job.collection, {
    batchSize: options.batchSize,
    ...(before.lastId !== undefined ? { afterId: before.lastId } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })[Symbol.asyncIterator]()
  const fetch = async (): Promise<PreparedBatch | undefined> => {
    const r = await iterator.next()
    return r.done ? undefined : prepareBatchYielding(job, targets, r.value)
  }
  let next = fetch()
  next.catch(() => {})
  try {
    for (;;) {
      const batch = await next
      if (!batch) break
      if (batch.docs.length === 0) {
        next = fetch()
        next.catch(() => {})
        continue
      }
      // Read and prepare the following batch while Postgres works on this one.
      next = fetch()
      next.catch(() => {})
      const n = batchNo + 1
      // Fast path: one COPY per table, no savepoints. Only a batch Postgres refuses is redone with
      // savepoints, bisecting down to the documents it refuses.
      const commit = (isolate: boolean) => session.transaction(async (tx) => {
        // Batch and checkpoint commit together or not at all; a server crash may only lose the
        // last batches whole, which the next run redoes. So the commit need not wait for the WAL flush.
        await tx.exec('SET LOCAL synchronous_commit TO off')
        const refused = await sink.load(tx, batch.units, { isolate })
        const refusedIdx = new Set(refused.map((r) => r.unit.index))
        const rejects = [...batch.rejects]
        for (const r of refused) rejects.push(rejectOf(batch.docs[r.unit.index]!, r.unit.idText, 'database', r.reason))
        const good = refused.length ? batch.units.filter((u) => !refusedIdx.has(u.index)) : batch.units
        let rowCount = 0
        for (const u of good) rowCount += u.rows.length
        const record: CheckpointRecord = {
          job: job.name, batch: n, runId, lastId: batch.lastId, docs: batch.docs.length, loaded: good.length,
          rejected: rejects.length, rows: rowCount, sha256: batchHash(good),
        }
        await cp.writeCheckpoint(tx, record, rejects)
        return { good, rejects: rejects.length }
      })
      // The fast path in three round trips (a prepare slice in between delays each one).
      const fast = async () => {
        let rowCount = 0
        for (const u of batch.units) rowCount += u.rows.length
        await session.exec('BEGIN; SET LOCAL synchronous_commit TO off')
        try {
          const sha256 = await sink.loadHashed(session, batch.units)
          const record: CheckpointRecord = {
            job: job.name, batch: n, runId, lastId: batch.lastId, docs: batch.docs.length, loaded: batch.units.length,
            rejected: batch.rejects.length, rows: rowCount, sha256,
          }
          await session.exec(`${cp.checkpointSql(record, batch.rejects)};\nCOMMIT`)
        } catch (e) {
          await session.exec('ROLLBACK').catch(() => {})
          throw e
        }
        return { good: batch.units, rejects: batch.rejects.length }
      }
      let outcome: Awaited<ReturnType<typeof commit>>
      try {
        outcome = await fast()
      } catch (e) {
        if (!isDatabaseError(e)) throw e
        outcome = await commit(true)
      }
      batchNo = n
      batches++
      docs += batch.docs.length
      loaded += outcome.good.length
      rejected += outcome.rejects
      for (const u of outcome.good) for (const r of u.rows) rows[tableKey(targets[r.target]!)]!++
      options.onProgress?.({
        job: job.name, done: before.docs + docs, total: sourceCount, rejected: existingRejects + rejected, runDocs: docs, elapsedMs: Date.now() - started,
      })
      if (options.maxRejects !== undefined && existingRejects + rejected > options.maxRejects) {
        await cp.finishRun(session, runId, { status: 'stopped', docs, loaded, rejected, error: 'too many rejects' })
        throw new CairnError(
          'backfill_too_many_rejects',
          `backfill ${job.name} stopped: ${existingRejects + rejected} rejects exceed --max-rejects ${options.maxRejects} (committed through batch ${n}, last _id ${batch.lastId})`,
          {
            hint: `inspect them with \`cairn backfill rejects --job ${job.name}\`, fix the mapping or the data, then run again to resume`,
            exitCode: 1,
            meta: { job: job.name, rejected: existingRejects + rejected, maxRejects: options.maxRejects, batch: n, lastId: batch.lastId },
          },
        )
      }
      if (options.signal?.aborted) {
        status = 'stopped'
        break
      }
    }
  } catch (e) {
    if (!(isCairnError(e) && e.code === 'backfill_too_many_rejects')) {
      await cp.finishRun(session, runId, { status: 'failed', docs, loaded, rejected, error: (e as Error).message }).catch(() => {})
    }
    await iterator.return?.().catch(() => {})
    throw e
  }
  await iterator.return?.().catch(() => {})
  await cp.finishRun(session, runId, { status: status === 'stopped' ? 'stopped' : 'done', docs, loaded, rejected })
  return {
    job: job.name, collection: job.collection, status, sourceCount, docs, loaded, rejected, rows, batches, ms: Date.now() - started,
    ...(before.lastIdText ? { resumedAfter: before.lastIdText } : {}),
    total: { docs: before.docs + docs, loaded: before.loaded + loaded, rejected: before.rejected + rejected },
  }
}
