/**
 * The backfill's bookkeeping in schema `cairn`: one checkpoint row per committed batch (written in
 * the batch's own transaction), the rejects, and one row per run.
 */
import { EJSON, type Document } from 'bson'
import type { Database, Queryable } from '../db/database.js'
import { redactSecrets } from '../db/redact.js'
import { ident, literal } from '../sqlgen/quote.js'
import { CairnError } from '../errors.js'

/** DDL of the bookkeeping tables (idempotent). */
export const BOOKKEEPING_SQL = `
DO $cairn$ BEGIN
  CREATE SCHEMA IF NOT EXISTS cairn;
  -- no access for PUBLIC: the rejects hold whole source documents (personal data)
  IF (SELECT pg_has_role(nspowner, 'MEMBER') FROM pg_namespace WHERE nspname = 'cairn') THEN
    REVOKE ALL ON SCHEMA cairn FROM PUBLIC;
  END IF;
END $cairn$;
CREATE TABLE IF NOT EXISTS cairn.backfill_runs (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  source text NOT NULL,
  mode text NOT NULL,
  status text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  docs bigint NOT NULL DEFAULT 0,
  loaded bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  error text
);
CREATE TABLE IF NOT EXISTS cairn.backfill_checkpoints (
  job text NOT NULL,
  batch integer NOT NULL,
  run_id bigint,
  last_id text NOT NULL,
  docs integer NOT NULL,
  loaded integer NOT NULL,
  rejected integer NOT NULL,
  rows integer NOT NULL,
  sha256 text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (job, batch)
);
CREATE TABLE IF NOT EXISTS cairn.backfill_rejects (
  id bigserial PRIMARY KEY,
  job text NOT NULL,
  doc_id text NOT NULL,
  kind text NOT NULL,
  reason text NOT NULL,
  document text NOT NULL,
  raw bytea,
  run_id bigint,
  batch integer,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS backfill_rejects_job_idx ON cairn.backfill_rejects (job, id);
`

/**
 * Creates the bookkeeping schema and tables when missing (serialised by an advisory lock). When they
 * exist nothing is created, so a role that may write them but not create schemas can run backfills.
 */
export async function ensureBookkeeping(db: Database): Promise<void> {
  if ((await bookkeepingTables(db)) === BOOKKEEPING_TABLES.length) return
  try {
    await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('cairn.backfill.bookkeeping'))`)
      await tx.exec(BOOKKEEPING_SQL)
    })
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e
    const who = await db.query<{ role: string; database: string }>(`SELECT current_user AS role, current_database() AS database`)
    const { role, database } = who[0]!
    throw new CairnError('backfill_access', `role ${role} cannot create the backfill bookkeeping tables in schema cairn: ${(e as Error).message}`, {
      hint: `create them once as the database owner (run the backfill as the owner), or grant: GRANT CREATE ON DATABASE ${ident(database)} TO ${ident(role)};`,
      cause: e,
    })
  }
}

const BOOKKEEPING_TABLES = ['backfill_runs', 'backfill_checkpoints', 'backfill_rejects']

/** How many of the bookkeeping tables (`names`, default all three) exist in schema cairn. */
async function bookkeepingTables(db: Queryable, names: readonly string[] = BOOKKEEPING_TABLES): Promise<number> {
  // Through the catalogs: to_regclass() fails on a schema the role may not use.
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'cairn' AND c.relname = ANY($1::text[])`,
    [names],
  )
  return r[0]!.n
}

/** True when the bookkeeping tables exist (read-only commands never create them). */
export async function hasBookkeeping(db: Queryable): Promise<boolean> {
  return (await bookkeepingTables(db, ['backfill_checkpoints'])) > 0
}

/** Where a job stands: the last committed batch and the running totals. */
export interface JobProgress {
  readonly batches: number
  /** The last `_id` read (as a BSON value), undefined when nothing was committed. */
  readonly lastId?: unknown
  readonly lastIdText?: string
  readonly docs: number
  readonly loaded: number
  readonly rejected: number
  readonly rows: number
  readonly at?: string
}

/** Reads a job's committed progress from its checkpoints. */
export async function readProgress(q: Queryable, job: string): Promise<JobProgress> {
  const r = await q.query<{ batches: string; docs: string | null; loaded: string | null; rejected: string | null; rows: string | null }>(
    `SELECT count(*)::text AS batches, sum(docs)::text AS docs, sum(loaded)::text AS loaded, sum(rejected)::text AS rejected, sum(rows)::text AS rows
       FROM cairn.backfill_checkpoints WHERE job = $1`,
    [job],
  )
  const last = await q.query<{ last_id: string; at: Date | string }>(
    `SELECT last_id, at FROM cairn.backfill_checkpoints WHERE job = $1 ORDER BY batch DESC LIMIT 1`,
    [job],
  )
  const row = r[0]!
  const base = {
    batches: Number(row.batches),
    docs: Number(row.docs ?? 0),
    loaded: Number(row.loaded ?? 0),
    rejected: Number(row.rejected ?? 0),
    rows: Number(row.rows ?? 0),
  }
  if (!last[0]) return base
  const at = last[0].at instanceof Date ? last[0].at.toISOString() : String(last[0].at)
  return { ...base, lastIdText: last[0].last_id, lastId: parseId(last[0].last_id), at }
}

/** Canonical Extended JSON of an `_id` value (the checkpoint and reject key). */
export function idText(id: unknown): string {
  if (id !== null && typeof id === 'object' && (id as { _bsontype?: string })._bsontype === 'ObjectId') {
    return `{"$oid":"${(id as { toHexString(): string }).toHexString()}"}`
  }
  return EJSON.stringify(id as Document, { relaxed: false })
}

/** The BSON value back from its canonical Extended JSON. */
export function parseId(text: string): unknown {
  return EJSON.parse(text, { relaxed: false })
}

/** One reject to record. */
export interface RejectRecord {
  readonly docId: string
  readonly kind: 'validation' | 'mapping' | 'database' | 'source'
  readonly reason: string
  readonly document: string
  readonly raw?: Uint8Array
}

/** A committed batch's checkpoint. */
export interface CheckpointRecord {
  readonly job: string
  readonly batch: number
  readonly runId: number | null
  readonly lastId: string
  readonly docs: number
  readonly loaded: number
  readonly rejected: number
  readonly rows: number
  readonly sha256: string
}

/** Writes a batch's checkpoint and rejects (call inside the batch's transaction). */
export async function writeCheckpoint(tx: Queryable, cp: CheckpointRecord, rejects: readonly RejectRecord[]): Promise<void> {
  await tx.exec(checkpointSql(cp, rejects))
}

/** A batch's checkpoint and rejects as one SQL script with inline literals (also sent together with COMMIT). */
export function checkpointSql(cp: CheckpointRecord, rejects: readonly RejectRecord[]): string {
  const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : literal(v))
  let sql =
    `INSERT INTO cairn.backfill_checkpoints (job, batch, run_id, last_id, docs, loaded, rejected, rows, sha256) VALUES (` +
    [cp.job, cp.batch, cp.runId, cp.lastId, cp.docs, cp.loaded, cp.rejected, cp.rows, cp.sha256].map(lit).join(', ') +
    ')'
  if (rejects.length) {
    sql +=
      `;\nINSERT INTO cairn.backfill_rejects (job, doc_id, kind, reason, document, raw, run_id, batch)
     SELECT ${lit(cp.job)}, x.doc_id, x.kind, x.reason, x.document, decode(x.raw, 'hex'), ${lit(cp.runId)}, ${lit(cp.batch)}
       FROM jsonb_to_recordset(${literal(rejectsJson(rejects))}::jsonb) AS x(doc_id text, kind text, reason text, document text, raw text)`
  }
  return sql
}

function rejectsJson(rejects: readonly RejectRecord[]): string {
  return JSON.stringify(
    rejects.map((r) => ({ doc_id: r.docId, kind: r.kind, reason: r.reason, document: r.document, raw: r.raw ? Buffer.from(r.raw).toString('hex') : null })),
  )
}

/** Forgets a job's checkpoints and rejects (a run from the start). */
export async function resetJob(q: Queryable, job: string): Promise<void> {
  await q.query(`DELETE FROM cairn.backfill_checkpoints WHERE job = $1`, [job])
  await q.query(`DELETE FROM cairn.backfill_rejects WHERE job = $1`, [job])
}

/** A recorded reject as listed by `cairn backfill rejects`. */
export interface StoredReject {
  readonly id: number
  readonly job: string
  readonly docId: string
  readonly kind: string
  readonly reason: string
  readonly document: string
  readonly raw?: Buffer
  readonly at: string
}

/** Lists rejects, optionally of one job, oldest first. */
export async function listRejects(q: Queryable, options: { job?: string; limit?: number } = {}): Promise<StoredReject[]> {
  if (!(await hasBookkeeping(q))) return []
  const rows = await q.query<{ id: string; job: string; doc_id: string; kind: string; reason: string; document: string; raw: Uint8Array | null; at: Date | string }>(
    `SELECT id::text, job, doc_id, kind, reason, document, raw, at FROM cairn.backfill_rejects
      WHERE ($1::text IS NULL OR job = $1) ORDER BY job, id LIMIT $2`,
    [options.job ?? null, options.limit ?? 1_000_000],
  )
  return rows.map((r) => ({
    id: Number(r.id),
    job: r.job,
    docId: r.doc_id,
    kind: r.kind,
    reason: r.reason,
    document: r.document,
    ...(r.raw ? { raw: Buffer.from(r.raw) } : {}),
    at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  }))
}

/** Count of recorded rejects of a job. */
export async function countRejects(q: Queryable, job: string): Promise<number> {
  const r = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM cairn.backfill_rejects WHERE job = $1`, [job])
  return Number(r[0]!.n)
}

/** Starts a run row and returns its id. */
export async function startRun(q: Queryable, job: string, source: string, mode: string): Promise<number> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO cairn.backfill_runs (job, source, mode, status) VALUES ($1, $2, $3, 'running') RETURNING id::text`,
    [job, redactSecrets(source), mode],
  )
  return Number(r[0]!.id)
}

/** Closes a run row with its outcome. */
export async function finishRun(
  q: Queryable,
  id: number,
  outcome: { status: 'done' | 'failed' | 'stopped' | 'interrupted'; docs: number; loaded: number; rejected: number; error?: string },
): Promise<void> {
  await q.query(
    `UPDATE cairn.backfill_runs SET status = $2, finished_at = now(), docs = $3, loaded = $4, rejected = $5, error = $6 WHERE id = $1`,
    [id, outcome.status, outcome.docs, outcome.loaded, outcome.rejected, outcome.error === undefined ? null : redactSecrets(outcome.error)],
  )
}

/**
 * Marks the runs of `job` still recorded as running as abandoned: call while holding the job's
 * advisory lock, which a live run holds for as long as it runs (a killed one loses it with its
 * connection). Returns how many there were.
 */
export async function abandonStaleRuns(q: Queryable, job: string): Promise<number> {
  const r = await q.query(
    `UPDATE cairn.backfill_runs SET status = 'abandoned', finished_at = now(),
            error = coalesce(error, 'the process ended without recording an outcome (killed, or its connection was lost)')
      WHERE job = $1 AND status = 'running' RETURNING id`,
    [job],
  )
  return r.length
}

/** The latest run of each job. */
export async function latestRuns(q: Queryable): Promise<Map<string, { status: string; startedAt: string; finishedAt?: string; error?: string }>> {
  const out = new Map<string, { status: string; startedAt: string; finishedAt?: string; error?: string }>()
  if (!(await hasBookkeeping(q))) return out
  const rows = await q.query<{ job: string; status: string; started_at: Date | string; finished_at: Date | string | null; error: string | null }>(
    `SELECT DISTINCT ON (job) job, status, started_at, finished_at, error FROM cairn.backfill_runs ORDER BY job, id DESC`,
  )
  const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d))
  for (const r of rows) {
    out.set(r.job, {
      status: r.status,
      startedAt: iso(r.started_at),
      ...(r.finished_at ? { finishedAt: iso(r.finished_at) } : {}),
      ...(r.error ? { error: redactSecrets(r.error) } : {}),
    })
  }
  return out
}
