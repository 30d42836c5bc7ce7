/**
 * Reference data: `seeds/NNN-<name>.sql` files of idempotent upserts, applied in name order. Each
 * file runs in ONE transaction together with its row in `cairn.seed_history`; a file runs again when
 * its checksum changed (re-running an idempotent seed is how reference data is updated) and is
 * skipped when unchanged unless forced. Seeds take the migration advisory lock, so they never
 * interleave with `cairn migrate`, and refuse to run while migrations are pending.
 */
import { performance } from 'node:perf_hooks'
import path from 'node:path'
import type { Database, Queryable } from '../db/database.js'
import { CairnError, isCairnError } from '../errors.js'
import { withLockedSession } from '../migrate/lock.js'
import type { LockHolder } from '../migrate/lock.js'
import { nodeDirFs } from '../migrate/migration-dir.js'
import type { DirFs } from '../migrate/migration-dir.js'
import { splitSql } from '../migrate/split-sql.js'
import type { SqlStatement } from '../migrate/split-sql.js'
import { CREATE_CAIRN_SCHEMA } from '../migrate/pg-storage.js'
import { migrationStatus } from '../migrate/status.js'
import { fileChecksum } from '../migrate/sum.js'
import { cmp } from '../model/normalize.js'

/** The seed history table. */
export const SEED_HISTORY_TABLE = 'cairn.seed_history'

/** A seed file name: three digits, `-`, a slug, `.sql`. */
export const SEED_NAME = /^(\d{3})-([a-z0-9][a-z0-9_-]*)\.sql$/

const DDL = [
  CREATE_CAIRN_SCHEMA,
  `CREATE TABLE IF NOT EXISTS cairn.seed_history (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  runs integer NOT NULL DEFAULT 1
)`,
]

/** A structured progress event; the CLI renders these, the library never prints. */
export interface SeedEvent {
  readonly event: 'lock_waiting' | 'lock_acquired' | 'seeding' | 'seeded' | 'skipped' | 'failed'
  readonly name?: string
  readonly reason?: SeedReason
  readonly durationMs?: number
  readonly holder?: LockHolder
}

/** Why a seed runs (`new`, `changed`, `forced`) or is skipped (`unchanged`). */
export type SeedReason = 'new' | 'changed' | 'forced' | 'unchanged'

/** What happened to one seed file. */
export interface SeedResult {
  /** The file name without `.sql`, as recorded in cairn.seed_history. */
  readonly name: string
  /** The file, relative to where the seed directory was given. */
  readonly file: string
  /** `pending`: a dry run would run it; `not_executed`: an earlier file failed. */
  readonly status: 'applied' | 'skipped' | 'pending' | 'failed' | 'not_executed'
  readonly reason: SeedReason
  readonly checksum: string
  readonly statements: number
  readonly durationMs?: number
  /** How many times the file has run on this database, this run included. */
  readonly runs?: number
}

/** The outcome of `applySeeds`. */
export interface SeedResultSet {
  readonly target: string
  readonly dir: string
  readonly dryRun: boolean
  readonly results: readonly SeedResult[]
}

export interface ApplySeedsOptions {
  /** The seed directory (default `seeds`). */
  readonly dir?: string
  readonly fs?: DirFs
  /** Report what would run; change nothing, not even the history schema. */
  readonly dryRun?: boolean
  /** Run unchanged seeds too. */
  readonly force?: boolean
  /** Run even when migrations are pending. */
  readonly ignorePending?: boolean
  /** The migration directory checked for pending migrations (default `migrations`). */
  readonly migrationsDir?: string
  /** Wait this long for the migration lock (default 60 s). */
  readonly lockTimeoutMs?: number
  readonly onEvent?: (e: SeedEvent) => void
}

/** One seed file read from disk. */
export interface SeedFile {
  readonly name: string
  readonly file: string
  readonly sql: string
  readonly checksum: string
}

interface HistoryRow {
  readonly checksum: string
  readonly runs: number
}

/** Reads the seed files of `dir` in name order; other files are ignored, misnamed `.sql` files refused. */
export async function readSeedDir(fs: DirFs, dir: string): Promise<SeedFile[]> {
  const label = dir.split(path.sep).join('/')
  const entries = await fs.readdir(dir)
  if (!entries) {
    throw new CairnError('seed_dir_missing', `seed directory ${label} does not exist`, {
      file: label,
      hint: 'create it with files named like 001-default-tenant.sql, or point --dir at it',
    })
  }
  const sqlFiles = entries.filter((e) => !e.isDirectory && e.name.endsWith('.sql')).map((e) => e.name)
  const bad = sqlFiles.filter((n) => !SEED_NAME.test(n)).sort(cmp)
  if (bad.length) {
    throw new CairnError('bad_seed_name', `${label}/${bad[0]} is not a valid seed file name`, {
      file: `${label}/${bad[0]}`,
      hint: 'seed files are named NNN-<name>.sql (three digits, a lower-case slug), e.g. 001-default-tenant.sql; they run in name order',
    })
  }
  const out: SeedFile[] = []
  for (const n of sqlFiles.sort(cmp)) {
    const sql = (await fs.readFile(path.join(dir, n))) ?? ''
    out.push({ name: n.slice(0, -'.sql'.length), file: `${label}/${n}`, sql, checksum: fileChecksum(sql) })
  }
  return out
}

/**
 * Applies the seed files of `dir` that are new or changed (all of them with `force`), each in one
 * transaction with its history row, under the migration lock; throws CairnError 'seed_failed'
 * (exit 3) naming the file, statement and Postgres error, leaving nothing of that file behind.
 */
export async function applySeeds(db: Database, options: ApplySeedsOptions = {}): Promise<SeedResultSet> {
  const fs = options.fs ?? nodeDirFs
  const files = await readSeedDir(fs, options.dir ?? 'seeds')
  const dir = (options.dir ?? 'seeds').split(path.sep).join('/')
  // parse everything first: a syntax error in file 3 should not leave files 1–2 applied
  const planned: { seed: SeedFile; statements: SqlStatement[] }[] = []
  for (const seed of files) planned.push({ seed, statements: await splitSeed(seed) })

  const decide = (history: Map<string, HistoryRow>) =>
    planned.map((p) => {
      const h = history.get(p.seed.name)
      const reason: SeedReason = !h ? 'new' : h.checksum !== p.seed.checksum ? 'changed' : options.force ? 'forced' : 'unchanged'
      return { ...p, reason, runs: h?.runs ?? 0 }
    })
  const base = (p: ReturnType<typeof decide>[number]) => ({
    name: p.seed.name,
    file: p.seed.file,
    reason: p.reason,
    checksum: p.seed.checksum,
    statements: p.statements.length,
  })

  if (options.dryRun) {
    await refusePending(db, fs, options)
    const todo = decide(await readSeedHistory(db))
    const results: SeedResult[] = todo.map((p) => ({ ...base(p), status: p.reason === 'unchanged' ? 'skipped' : 'pending' }))
    return { target: db.target, dir, dryRun: true, results }
  }

  // RESET ALL afterwards (in withLockedSession): a plain SET in a seed must not outlive the command
  return withLockedSession(db, options, async (session) => {
    // checked under the lock: a migration cannot start between the check and the seeds
    await refusePending(db, fs, options)
    for (const stmt of DDL) await session.exec(stmt)
    const todo = decide(await readSeedHistory(session))
    const results: SeedResult[] = []
    for (let i = 0; i < todo.length; i++) {
      const p = todo[i]
      if (p.reason === 'unchanged') {
        results.push({ ...base(p), status: 'skipped', runs: p.runs })
        options.onEvent?.({ event: 'skipped', name: p.seed.name, reason: p.reason })
        continue
      }
      options.onEvent?.({ event: 'seeding', name: p.seed.name, reason: p.reason })
      const start = performance.now()
      try {
        const runs = await session.transaction(async (tx) => {
          for (const s of p.statements) {
            try {
              await tx.exec(s.text)
            } catch (e) {
              throw seedFailed(p.seed, s, p.statements.length, e)
            }
          }
          const [row] = await tx.query<{ runs: number }>(
            `INSERT INTO cairn.seed_history (name, checksum, applied_at, runs) VALUES ($1, $2, now(), 1)
             ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now(), runs = cairn.seed_history.runs + 1
             RETURNING runs`,
            [p.seed.name, p.seed.checksum],
          )
          return Number(row.runs)
        })
        const durationMs = Math.round(performance.now() - start)
        results.push({ ...base(p), status: 'applied', durationMs, runs })
        options.onEvent?.({ event: 'seeded', name: p.seed.name, reason: p.reason, durationMs })
      } catch (e) {
        const durationMs = Math.round(performance.now() - start)
        options.onEvent?.({ event: 'failed', name: p.seed.name, reason: p.reason, durationMs })
        results.push({ ...base(p), status: 'failed', durationMs })
        for (const rest of todo.slice(i + 1)) results.push({ ...base(rest), status: 'not_executed' })
        const err = isCairnError(e) ? e : seedFailed(p.seed, undefined, p.statements.length, e)
        throw new CairnError(err.code, err.message, {
          hint: err.hint,
          file: err.file,
          object: err.object,
          exitCode: err.exitCode,
          meta: { ...(err.meta ?? {}), results },
          cause: err.cause ?? e,
        })
      }
    }
    return { target: db.target, dir, dryRun: false, results }
  })
}

/** The recorded seeds; empty when the history table does not exist (nothing is created). */
async function readSeedHistory(q: Queryable): Promise<Map<string, HistoryRow>> {
  const [t] = await q.query<{ t: string | null }>(`select to_regclass('cairn.seed_history')::text as t`)
  if (!t.t) return new Map()
  const rows = await q.query<{ name: string; checksum: string; runs: number }>('select name, checksum, runs from cairn.seed_history')
  return new Map(rows.map((r) => [r.name, { checksum: r.checksum, runs: Number(r.runs) }]))
}

async function refusePending(db: Database, fs: DirFs, options: ApplySeedsOptions): Promise<void> {
  if (options.ignorePending) return
  const s = await migrationStatus(db, { dir: options.migrationsDir ?? 'migrations', fs })
  const pending = s.migrations.filter((m) => m.status === 'pending' || m.status === 'partial').map((m) => m.name)
  if (!pending.length) return
  throw new CairnError(
    'pending_migrations',
    `${pending.length} migration${pending.length === 1 ? ' is' : 's are'} not applied on ${db.target} (${pending.join(', ')}); seeds expect the migrated schema`,
    {
      object: pending[0],
      hint: 'run `cairn migrate up` first, or pass --ignore-pending when the seeds do not depend on those migrations',
      meta: { pending },
    },
  )
}

async function splitSeed(seed: SeedFile): Promise<SqlStatement[]> {
  let statements: SqlStatement[]
  try {
    statements = await splitSql(seed.sql, seed.file)
  } catch (e) {
    if (isCairnError(e) && e.code === 'transaction_control_in_migration') {
      throw new CairnError('transaction_control_in_seed', e.message.replace(/; cairn runs each migration.*$/, '; cairn runs each seed file in one transaction'), {
        file: e.file,
        object: seed.name,
        hint: 'remove BEGIN/COMMIT/ROLLBACK from the seed file',
      })
    }
    throw e
  }
  const loose = statements.find((s) => !s.transactional)
  if (loose) {
    throw new CairnError(
      'seed_not_transactional',
      `${seed.file}:${loose.line}: statement ${loose.index} (${loose.noTransactionReason === 'marker' ? 'marked cairn:no-transaction' : loose.noTransactionReason}) cannot run inside a transaction, and a seed file runs in one`,
      {
        file: `${seed.file}:${loose.line}`,
        object: seed.name,
        hint: 'seeds hold data (INSERT … ON CONFLICT, UPDATE, DELETE); put schema changes that must run outside a transaction in a migration',
      },
    )
  }
  return statements
}

interface PgErrorFields {
  code?: string
  detail?: string
  hint?: string
  position?: string | number
  schema?: string
  table?: string
  column?: string
  constraint?: string
}

function seedFailed(seed: SeedFile, s: SqlStatement | undefined, total: number, e: unknown): CairnError {
  const pg = (e ?? {}) as PgErrorFields
  const pos = pg.position === undefined ? undefined : Number(pg.position)
  const line = s ? s.line + (pos ? (s.text.slice(0, pos - 1).match(/\n/g)?.length ?? 0) : 0) : undefined
  const snippet = s ? oneLine(s.text, 200) : undefined
  const message = e instanceof Error ? e.message : String(e)
  const postgres = Object.fromEntries(
    (['code', 'detail', 'hint', 'position', 'schema', 'table', 'column', 'constraint'] as const)
      .filter((k) => pg[k] !== undefined && pg[k] !== '')
      .map((k) => [k, pg[k]]),
  )
  return new CairnError(
    'seed_failed',
    `seed ${seed.name} failed${s ? ` on statement ${s.index} of ${total} at ${seed.file}:${line}` : ''}: ` +
      `${pg.code ? `[${pg.code}] ` : ''}${message}${pg.detail ? ` (${pg.detail})` : ''}${snippet ? `\n  statement: ${snippet}` : ''}`,
    {
      file: line ? `${seed.file}:${line}` : seed.file,
      object: seed.name,
      hint: `nothing of ${seed.name} was applied (its transaction was rolled back); fix the cause and run \`cairn seed\` again`,
      meta: {
        seed: seed.name,
        ...(s ? { statement: { index: s.index, of: total, line, text: snippet } } : {}),
        postgres: { message, ...postgres },
      },
      cause: e,
    },
  )
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > max ? t.slice(0, max - 1) + '…' : t
}
