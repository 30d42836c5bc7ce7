/**
 * Runs backfill jobs: reads each collection in `_id` order after the last checkpoint, validates and
 * maps every document, and loads each batch with COPY in one transaction that also writes the
 * batch's checkpoint and rejects. The following batches are read and prepared (on worker threads
 * when the source hands out raw batches) while the current one loads.
 */
import type { Database, Queryable } from '../db/database.js'
import { connectionLost, isConnectionError } from '../db/connection-lost.js'
import { CairnError, isCairnError } from '../errors.js'
import { qname } from '../sqlgen/quote.js'
import { checkLoadAccess } from './access.js'
import type { BackfillJob } from './define-backfill.js'
import type { CheckpointRecord } from './checkpoint.js'
import * as cp from './checkpoint.js'
import type { LoadMode, SinkTarget } from './pg-sink.js'
import { PgSink, groupsHash, groupsOf, isRowError, sqlState, sinkTargets } from './pg-sink.js'
import type { Source, SourceReadOptions } from './source.js'
import { orderJobs } from './job-order.js'
import { prepareBatch, prepareGroups, rejectAt, type BatchInput, type PreparedGroups } from './prepare.js'
import { PreparePool, defaultWorkers } from './prepare-pool.js'
import { rawCount, recordId, sliceRecords, type RawBatch } from './raw-batch.js'

/** Options of a backfill run. */
export interface RunOptions {
  readonly mode?: LoadMode
  /** Overrides each job's batch size. */
  readonly batchSize?: number
  /** Stop (exit 1) once a job has recorded more than this many rejects. */
  readonly maxRejects?: number
  /** Read, validate and map only; write nothing. */
  readonly dryRun?: boolean
  /**
   * Forget the jobs' checkpoints and rejects and start from the first document. In insert mode this
   * is refused while rows the job loaded are still there (they would all be rejected as duplicates).
   */
  readonly restart?: boolean
  /**
   * Stops the run after the batch being loaded (committed with its checkpoint); the run is recorded
   * as interrupted and the summary's status is 'interrupted'.
   */
  readonly signal?: AbortSignal
  readonly onProgress?: (p: BackfillProgress) => void
  /**
   * Worker threads preparing batches (default: cores - 1, at most 4). 0 prepares on the main
   * thread. Workers need a job loaded from a file and a source with raw batches.
   */
  readonly workers?: number
}

/** Documents of the first batch prepared on the main thread while worker threads start. */
const FIRST_BATCH = 1000

/**
 * Splits the first raw batch after `head` documents, so that the pipeline fills sooner; each part
 * is a batch of its own (own transaction and checkpoint).
 */
async function* splitFirst(inputs: AsyncIterable<BatchInput>, head: number): AsyncGenerator<BatchInput> {
  let first = true
  for await (const b of inputs) {
    const n = first && !Array.isArray(b) ? rawCount(b as RawBatch) : 0
    // A record whose _id cannot be read stays in the batch of the record before it (see RecordFile).
    let at = head
    while (at < n && recordId(b as RawBatch, at) === undefined) at++
    if (n > 2 * head && at < n) {
      yield sliceRecords(b as RawBatch, 0, at)
      yield sliceRecords(b as RawBatch, at, n)
    } else yield b
    first = false
  }
}

/** A source's batches, raw when it offers them. */
function readInputs(source: Source, collection: string, options: SourceReadOptions): AsyncIterable<BatchInput> {
  return source.rawBatches ? source.rawBatches(collection, options) : source.batches(collection, options)
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
  readonly status: 'done' | 'dry-run' | 'interrupted'
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

/** The canonical EJSON of MinKey: the checkpoint of batches in which no `_id` could be read yet. */
const MIN_KEY_TEXT = '{"$minKey":1}'

/**
 * Runs `jobs` in foreign-key order against `db`, reading from `source`. Before anything is loaded,
 * checks what the role needs (see access.ts) and refuses an insert-mode restart over loaded rows.
 */
export async function runBackfill(db: Database | undefined, source: Source, jobs: readonly BackfillJob[], options: RunOptions = {}): Promise<JobSummary[]> {
  const ordered = orderJobs(jobs)
  // The first job's workers start while the bookkeeping tables are checked.
  let early = ordered[0] ? openPool(ordered[0], source, options) : undefined
  try {
    if (!options.dryRun) {
      if (!db) throw new CairnError('backfill_no_database', 'a backfill run needs a database')
      await cp.ensureBookkeeping(db)
      const mode = options.mode ?? 'insert'
      const tables = ordered.flatMap((j) => [j.table, ...Object.values(j.extraTables)])
      await checkLoadAccess(db, tables, { mode, restart: Boolean(options.restart), copyFromFile: db.engine === 'pglite' })
      if (options.restart && mode === 'insert') for (const job of ordered) await refuseInsertRestart(db, job)
    }
    const out: JobSummary[] = []
    for (const job of ordered) {
      const opening = early ?? openPool(job, source, options)
      early = undefined
      out.push(await runJob(db, source, job, options, opening))
      if (options.signal?.aborted) break
    }
    return out
  } finally {
    await (await early?.catch(() => undefined))?.close()
  }
}

/**
 * An insert-mode restart over rows the job loaded would reject every document as a duplicate:
 * refused (exit 2) unless the job loaded nothing or its tables are empty again.
 */
async function refuseInsertRestart(db: Database, job: BackfillJob): Promise<void> {
  const p = await cp.readProgress(db, job.name)
  if (p.loaded === 0) return
  const tables = [job.table, ...Object.values(job.extraTables)]
  const empty = await db
    .query<{ any: boolean }>(`SELECT ${tables.map((t) => `EXISTS (SELECT 1 FROM ${qname(t.schema, t.name)})`).join(' OR ')} AS any`)
    .then((r) => !r[0]!.any, () => false)
  if (empty) return
  throw new CairnError(
    'backfill_restart_insert',
    `backfill ${job.name}: --restart in insert mode would reject every document it already loaded (${p.loaded}) as a duplicate`,
    {
      hint: `restart with --mode upsert to rewrite the rows in place (ids are deterministic, nothing is doubled), or delete the rows of ${qname(job.table.schema, job.table.name)} it loaded first`,
      meta: { job: job.name, loaded: p.loaded },
    },
  )
}

/** Starts the prepare workers of a job when it can use them (a job file, raw batches, workers > 0). */
function openPool(job: BackfillJob, source: Source, options: RunOptions): Promise<PreparePool> | undefined {
  const workers = options.dryRun ? 0 : (options.workers ?? defaultWorkers())
  const opening = workers > 0 && job.origin && source.rawBatches ? PreparePool.open(job, workers) : undefined
  opening?.catch(() => {})
  return opening
}

/** Runs one job (no ordering, no bookkeeping setup: see runBackfill). */
export async function runJob(
  db: Database | undefined,
  source: Source,
  job: BackfillJob,
  options: RunOptions = {},
  // Worker threads start (importing the job's module) while the source is counted and the run set up.
  opening: Promise<PreparePool> | undefined = openPool(job, source, options),
): Promise<JobSummary> {
  const started = Date.now()
  const targets = sinkTargets(job.table, job.extraTables)
  try {
    return await runJobWith(db, source, job, targets, started, options, opening)
  } finally {
    await (await opening?.catch(() => undefined))?.close()
  }
}

async function runJobWith(
  db: Database | undefined,
  source: Source,
  job: BackfillJob,
  targets: readonly SinkTarget[],
  started: number,
  options: RunOptions,
  opening: Promise<PreparePool> | undefined,
): Promise<JobSummary> {
  const mode = options.mode ?? 'insert'
  const batchSize = options.batchSize ?? job.batchSize
  const sourceCount = await source.count(job.collection)
  const rows: Record<string, number> = {}
  for (const t of targets) rows[`${t.table.schema}.${t.table.name}`] = 0

  if (options.dryRun) {
    let docs = 0
    let rejected = 0
    const sample: { id: string; reason: string }[] = []
    for await (const batch of readInputs(source, job.collection, { batchSize, ...(options.signal ? { signal: options.signal } : {}) })) {
      const p = prepareBatch(job, targets, batch)
      docs += p.count
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
      })
    }
    try {
      // Holding the job's lock, any run of it still marked running is one whose process died.
      await cp.abandonStaleRuns(session, job.name)
      return await loadJob(database, session, source, job, targets, { ...options, mode, batchSize }, sourceCount, rows, started, opening)
    } finally {
      await session.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`cairn.backfill:${job.name}`]).catch(() => {})
    }
  })
}

const tableKey = (t: SinkTarget) => `${t.table.schema}.${t.table.name}`

async function loadJob(
  database: Database,
  session: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  source: Source,
  job: BackfillJob,
  targets: readonly SinkTarget[],
  options: RunOptions & { mode: LoadMode; batchSize: number },
  sourceCount: number,
  rows: Record<string, number>,
  started: number,
  opening: Promise<PreparePool> | undefined,
): Promise<JobSummary> {
  if (options.restart) await cp.resetJob(session, job.name)
  const before = await cp.readProgress(session, job.name)
  const existingRejects = await cp.countRejects(session, job.name)
  if (job.prepare) await job.prepare(session)
  const runId = await cp.startRun(session, job.name, source.description, options.mode)
  const sink = new PgSink(targets, options.mode)
  let batchNo = before.batches
  // The checkpoint of a batch in which no `_id` could be read is the one before it.
  let lastId = before.lastIdText ?? MIN_KEY_TEXT
  let docs = 0
  let loaded = 0
  let rejected = 0
  let batches = 0
  let status: JobSummary['status'] = 'done'
  const inputs = readInputs(source, job.collection, {
    batchSize: options.batchSize,
    ...(before.lastId !== undefined ? { afterId: before.lastId } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  const iterator = (opening ? splitFirst(inputs, FIRST_BATCH) : inputs)[Symbol.asyncIterator]()
  // Raw batches go to worker threads when the job can be loaded there; the rest is prepared here,
  // in slices, while the previous batch loads. The first batch is prepared here while the workers
  // start (they import the job's module); from the second on, a pool that failed to start fails the run.
  let pool: PreparePool | undefined
  let pulled = 0
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve))
  const pull = async (): Promise<{ input: BatchInput; prepared: PreparedGroups } | undefined> => {
    const r = await iterator.next()
    if (r.done) return undefined
    const input = r.value
    if (pulled++ > 0 && opening) pool = await opening
    const prepared = pool && !Array.isArray(input) ? await pool.prepare(input as RawBatch) : await prepareGroups(job, targets, input, pause)
    return { input, prepared }
  }
  // Batches read and prepared ahead: one per worker plus one, or one in-process.
  const ahead: Promise<Awaited<ReturnType<typeof pull>>>[] = []
  const refill = () => {
    while (ahead.length < (pool ? pool.size + 1 : opening ? 2 : 1)) {
      const p = pull()
      p.catch(() => {})
      ahead.push(p)
    }
  }
  try {
    refill()
    for (;;) {
      const item = await ahead.shift()!
      if (!item) break
      // One turn of the event loop per batch, so that a signal is seen even when every step of the
      // batch completes without I/O (the embedded engine, a source read from memory).
      await pause()
      // Interrupted: nothing more is loaded; batches read ahead are dropped (the next run reads them).
      if (options.signal?.aborted) break
      refill()
      const { input, prepared } = item
      if (prepared.count === 0) continue
      // a batch whose last documents had no readable _id keeps the last one that had
      const batchLastId = prepared.lastId || lastId
      const n = batchNo + 1
      // Fast path: one COPY per group, no savepoints, three round trips. Only a batch Postgres
      // refuses is redone with savepoints, bisecting down to the documents it refuses.
      const fast = async (): Promise<{ loaded: number; rejects: number; rows: readonly { target: number; rows: number }[] }> => {
        let rowCount = 0
        for (const g of prepared.groups) rowCount += g.rows
        // Batch and checkpoint commit together or not at all; a server crash may only lose the
        // last batches whole, which the next run redoes. So the commit need not wait for the WAL flush.
        await session.exec('BEGIN; SET LOCAL synchronous_commit TO off')
        try {
          await sink.loadGroups(session, prepared.groups)
          const record: CheckpointRecord = {
            job: job.name, batch: n, runId, lastId: batchLastId, docs: prepared.count, loaded: prepared.loaded,
            rejected: prepared.rejects.length, rows: rowCount, sha256: prepared.sha256,
          }
          await session.exec(`${cp.checkpointSql(record, prepared.rejects)};\nCOMMIT`)
        } catch (e) {
          await session.exec('ROLLBACK').catch(() => {})
          throw e
        }
        return { loaded: prepared.loaded, rejects: prepared.rejects.length, rows: prepared.groups }
      }
      const isolated = () => session.transaction(async (tx) => {
        await tx.exec('SET LOCAL synchronous_commit TO off')
        const p = prepareBatch(job, targets, input)
        const refused = await sink.load(tx, p.units)
        const refusedIdx = new Set(refused.map((r) => r.unit.index))
        const rejects = [...p.rejects]
        for (const r of refused) rejects.push(rejectAt(input, r.unit.index, r.unit.idText, 'database', r.reason))
        const good = refused.length ? p.units.filter((u) => !refusedIdx.has(u.index)) : p.units
        const groups = groupsOf(targets.length, good)
        let rowCount = 0
        for (const g of groups) rowCount += g.rows
        const record: CheckpointRecord = {
          job: job.name, batch: n, runId, lastId: batchLastId, docs: p.count, loaded: good.length,
          rejected: rejects.length, rows: rowCount, sha256: groupsHash(groups),
        }
        await cp.writeCheckpoint(tx, record, rejects)
        return { loaded: good.length, rejects: rejects.length, rows: groups }
      })
      let outcome: Awaited<ReturnType<typeof fast>>
      try {
        outcome = await fast()
      } catch (e) {
        // Only errors a row causes are worth isolating; the rest stop the run.
        if (!isRowError(e)) throw batchFailure(job, n, e, database.target)
        try {
          outcome = await isolated()
        } catch (e2) {
          throw batchFailure(job, n, e2, database.target)
        }
      }
      batchNo = n
      lastId = batchLastId
      batches++
      docs += prepared.count
      loaded += outcome.loaded
      rejected += outcome.rejects
      for (const g of outcome.rows) rows[tableKey(targets[g.target]!)]! += g.rows
      options.onProgress?.({
        job: job.name, done: before.docs + docs, total: sourceCount, rejected: existingRejects + rejected, runDocs: docs, elapsedMs: Date.now() - started,
      })
      if (options.maxRejects !== undefined && existingRejects + rejected > options.maxRejects) {
        await cp.finishRun(session, runId, { status: 'stopped', docs, loaded, rejected, error: 'too many rejects' })
        throw new CairnError(
          'backfill_too_many_rejects',
          `backfill ${job.name} stopped: ${existingRejects + rejected} rejects exceed --max-rejects ${options.maxRejects} (committed through batch ${n}, last _id ${lastId})`,
          {
            hint: `inspect them with \`cairn backfill rejects --job ${job.name}\`, fix the mapping or the data, then run again to resume`,
            meta: { job: job.name, rejected: existingRejects + rejected, maxRejects: options.maxRejects, batch: n, lastId },
          },
        )
      }
      if (options.signal?.aborted) {
        status = 'interrupted'
        break
      }
    }
    if (options.signal?.aborted) status = 'interrupted'
  } catch (e) {
    if (!(isCairnError(e) && e.code === 'backfill_too_many_rejects')) {
      const interrupted = Boolean(options.signal?.aborted) && !isConnectionError(e)
      const outcome = { status: interrupted ? 'interrupted' : 'failed', docs, loaded, rejected, error: (e as Error).message } as const
      // The session may be the thing that failed: then the run is recorded on a new connection.
      await cp.finishRun(session, runId, outcome).catch(() => cp.finishRun(database, runId, outcome)).catch(() => {})
    }
    throw e
  } finally {
    // Let reads already under way settle before closing the iterator.
    await Promise.allSettled(ahead)
    await iterator.return?.().catch(() => {})
  }
  await cp.finishRun(session, runId, { status, docs, loaded, rejected })
  return {
    job: job.name, collection: job.collection, status, sourceCount, docs, loaded, rejected, rows, batches, ms: Date.now() - started,
    ...(before.lastIdText ? { resumedAfter: before.lastIdText } : {}),
    total: { docs: before.docs + docs, loaded: before.loaded + loaded, rejected: before.rejected + rejected },
  }
}

/**
 * The error that ends a run when Postgres refuses a batch for a reason no single row causes:
 * a lost connection stays `connection_lost`; anything else says which batch and what to do.
 */
function batchFailure(job: BackfillJob, batch: number, e: unknown, target: string): unknown {
  if (isConnectionError(e)) return connectionLost(e, target)
  if (isCairnError(e)) return e
  const code = sqlState(e)
  if (code === undefined) return e
  const message = (e as Error).message
  const hint =
    code === '42501'
      ? 'grant the loading role what it lacks (see the message), or run as the tables\' owner; then run again to resume'
      : code === '0A000' && /row-level security/i.test(message)
        ? 'COPY cannot load through row-level security: ALTER ROLE <role> BYPASSRLS (as a superuser), or run as a superuser; then run again to resume'
        : code === '25006'
          ? 'the connection is read-only (a standby, or default_transaction_read_only): point --url at the primary'
          : code === '42P01' || code === '42703'
            ? 'the table or column the job writes does not exist: apply the migrations (`cairn migrate up`) and run again to resume'
            : code.startsWith('53')
              ? 'the server ran out of a resource (disk, memory, connections): free it and run again to resume'
              : 'nothing of this batch was written; fix the cause and run again to resume'
  return new CairnError(
    'backfill_batch_failed',
    `backfill ${job.name}: Postgres refused batch ${batch} as a whole (${code} ${message}); the run stopped, nothing of the batch was written`,
    { hint, meta: { job: job.name, batch, sqlstate: code }, cause: e },
  )
}
