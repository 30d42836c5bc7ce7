/**
 * The migration history in the database: `cairn.schema_migrations` (one row per applied migration)
 * and `cairn.migration_progress` (statements completed by a migration that runs outside a single
 * transaction, so a rerun resumes after the last completed statement). Also umzug's storage
 * contract over the history table.
 */
import type { UmzugStorage } from 'umzug'
import type { Queryable } from '../db/database.js'
import { redactSecrets } from '../db/redact.js'
import { CairnError } from '../errors.js'

/** cairn's bookkeeping schema (skipped by inspect). */
export const CAIRN_SCHEMA = 'cairn'
/** The history table. */
export const HISTORY_TABLE = 'cairn.schema_migrations'
/** Progress of migrations that run statement by statement. */
export const PROGRESS_TABLE = 'cairn.migration_progress'

/**
 * Creates the cairn schema when missing, without access for PUBLIC: its tables hold the migration
 * history and the backfill's rejected documents (personal data), which an application role must
 * not read — even where default privileges grant new schemas to PUBLIC. The REVOKE runs only for
 * the schema's owner (a member of it), so other users of the schema get no warning.
 */
export const CREATE_CAIRN_SCHEMA = `DO $cairn$ BEGIN
  CREATE SCHEMA IF NOT EXISTS cairn;
  IF (SELECT pg_has_role(nspowner, 'MEMBER') FROM pg_namespace WHERE nspname = 'cairn') THEN
    REVOKE ALL ON SCHEMA cairn FROM PUBLIC;
  END IF;
END $cairn$`

const DDL = `
CREATE TABLE IF NOT EXISTS cairn.schema_migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer,
  applied_by text DEFAULT current_user,
  kind text NOT NULL DEFAULT 'applied' CHECK (kind IN ('applied', 'baseline')),
  statements integer
);
CREATE TABLE IF NOT EXISTS cairn.migration_progress (
  name text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('up', 'down')),
  checksum text NOT NULL,
  statements_done integer NOT NULL DEFAULT 0,
  done_checksum text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  PRIMARY KEY (name, direction)
);
`

/** Creates the cairn schema and tables when missing (idempotent; run under the migration lock). */
export async function ensureHistory(q: Queryable): Promise<void> {
  const [row] = await q.query<{ h: string | null; p: string | null }>(
    `select to_regclass('cairn.schema_migrations')::text as h, to_regclass('cairn.migration_progress')::text as p`,
  )
  if (row.h && row.p) return
  await q.exec(CREATE_CAIRN_SCHEMA)
  // one statement at a time: a multi-statement string would fail in the extended protocol
  for (const stmt of DDL.split(';').map((s) => s.trim()).filter(Boolean)) await q.exec(stmt)
}

/** One row of the history table. */
export interface HistoryRow {
  readonly name: string
  readonly checksum: string
  /** ISO 8601 UTC. */
  readonly appliedAt: string
  readonly durationMs?: number
  readonly appliedBy?: string
  readonly kind: 'applied' | 'baseline'
}

/** One row of the progress table. */
export interface ProgressRow {
  readonly name: string
  readonly direction: 'up' | 'down'
  readonly checksum: string
  readonly statementsDone: number
  /** Hash of the statements already completed, to detect an edit before the resume point. */
  readonly doneChecksum: string
  readonly lastError?: string
  readonly updatedAt: string
}

/** True when the history table exists. */
export async function historyExists(q: Queryable): Promise<boolean> {
  const [row] = await q.query<{ h: string | null }>(`select to_regclass('cairn.schema_migrations')::text as h`)
  return row.h !== null
}

/** The applied migrations in name order; empty when the table does not exist (nothing is created). */
export async function readHistory(q: Queryable): Promise<HistoryRow[]> {
  if (!(await historyExists(q))) return []
  const rows = await q.query<{ name: string; checksum: string; applied_at: string; duration_ms: number | null; applied_by: string | null; kind: string }>(
    `select name, checksum, to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as applied_at,
            duration_ms, applied_by, kind
       from cairn.schema_migrations order by name collate "C"`,
  )
  return rows.map((r) => ({
    name: r.name,
    checksum: r.checksum,
    appliedAt: r.applied_at,
    ...(r.duration_ms === null ? {} : { durationMs: Number(r.duration_ms) }),
    ...(r.applied_by === null ? {} : { appliedBy: r.applied_by }),
    kind: r.kind === 'baseline' ? 'baseline' : 'applied',
  }))
}

/** Partly run migrations; empty when the table does not exist. */
export async function readProgress(q: Queryable): Promise<ProgressRow[]> {
  const [row] = await q.query<{ p: string | null }>(`select to_regclass('cairn.migration_progress')::text as p`)
  if (!row.p) return []
  const rows = await q.query<{ name: string; direction: string; checksum: string; statements_done: number; done_checksum: string; last_error: string | null; updated_at: string }>(
    `select name, direction, checksum, statements_done, done_checksum, last_error,
            to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at
       from cairn.migration_progress order by name collate "C", direction`,
  )
  return rows.map((r) => ({
    name: r.name,
    direction: r.direction === 'down' ? 'down' : 'up',
    checksum: r.checksum,
    statementsDone: Number(r.statements_done),
    doneChecksum: r.done_checksum,
    ...(r.last_error === null ? {} : { lastError: redactSecrets(r.last_error) }),
    updatedAt: r.updated_at,
  }))
}

/** Records an applied migration (inside the migration's own transaction). */
export async function insertHistory(
  q: Queryable,
  row: { name: string; checksum: string; durationMs?: number; kind?: 'applied' | 'baseline'; statements?: number },
): Promise<void> {
  await q.query(
    `insert into cairn.schema_migrations (name, checksum, duration_ms, kind, statements) values ($1, $2, $3, $4, $5)`,
    [row.name, row.checksum, row.durationMs ?? null, row.kind ?? 'applied', row.statements ?? null],
  )
}

/** Removes a reverted migration's row. */
export async function deleteHistory(q: Queryable, name: string): Promise<void> {
  await q.query(`delete from cairn.schema_migrations where name = $1`, [name])
}

/** Creates or moves the progress row of a statement-by-statement migration. */
export async function saveProgress(
  q: Queryable,
  p: { name: string; direction: 'up' | 'down'; checksum: string; statementsDone: number; doneChecksum: string; lastError?: string | null },
): Promise<void> {
  await q.query(
    `insert into cairn.migration_progress (name, direction, checksum, statements_done, done_checksum, last_error)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (name, direction) do update
        set checksum = excluded.checksum, statements_done = excluded.statements_done,
            done_checksum = excluded.done_checksum, last_error = excluded.last_error, updated_at = now()`,
    [p.name, p.direction, p.checksum, p.statementsDone, p.doneChecksum, p.lastError == null ? null : redactSecrets(p.lastError)],
  )
}

/** Records the error of a failed attempt without moving the progress. */
export async function saveProgressError(q: Queryable, name: string, direction: 'up' | 'down', error: string): Promise<void> {
  await q.query(`update cairn.migration_progress set last_error = $3, updated_at = now() where name = $1 and direction = $2`, [
    name,
    direction,
    // a driver or server message may quote a connection string
    redactSecrets(error),
  ])
}

/** Forgets the progress of a migration once it has completed. */
export async function clearProgress(q: Queryable, name: string, direction: 'up' | 'down'): Promise<void> {
  await q.query(`delete from cairn.migration_progress where name = $1 and direction = $2`, [name, direction])
}

/**
 * umzug's storage contract over `cairn.schema_migrations`. The runner writes each history row in
 * the migration's own transaction, so `logMigration` only makes sure the row exists.
 */
export class PgStorage implements UmzugStorage<unknown> {
  constructor(
    private readonly q: Queryable,
    private readonly checksums: ReadonlyMap<string, string>,
  ) {}

  async logMigration({ name }: { name: string }): Promise<void> {
    const checksum = this.checksums.get(name)
    if (checksum === undefined) throw new CairnError('unknown_migration', `no migration file for ${name}`, { exitCode: 3 })
    await this.q.query(`insert into cairn.schema_migrations (name, checksum) values ($1, $2) on conflict (name) do nothing`, [name, checksum])
  }

  async unlogMigration({ name }: { name: string }): Promise<void> {
    await deleteHistory(this.q, name)
  }

  async executed(): Promise<string[]> {
    return (await readHistory(this.q)).map((r) => r.name)
  }
}
