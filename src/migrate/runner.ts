/**
 * The migration runner: applies and reverts the migrations of a directory on one dedicated session
 * that holds the migration lock, with umzug sequencing them over the `cairn.schema_migrations`
 * storage. A migration runs in ONE transaction together with its history row, unless it holds
 * statements that cannot run in a transaction: then consecutive transactional statements run
 * together in a transaction, the others alone, and the progress is recorded after each so that a
 * rerun resumes after the last completed statement (a failed `CREATE INDEX CONCURRENTLY` leaves an
 * INVALID index, which the retry drops with `DROP INDEX CONCURRENTLY IF EXISTS` before re-creating).
 */
import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Umzug } from 'umzug'
import type { Database, Queryable, Session } from '../db/database.js'
import { CairnError, isCairnError, wrapError } from '../errors.js'
import { connectionLost, isConnectionError } from '../db/connection-lost.js'
import { redactSecrets } from '../db/redact.js'
import { checkAppliedFiles, checkOrder } from './checks.js'
import { withLockedSession } from './lock.js'
import type { LockHolder } from './lock.js'
import { nodeDirFs, readMigrationDir, requireMigrationDir, verifyMigrationDir } from './migration-dir.js'
import type { DirFs, MigrationDir, MigrationFile } from './migration-dir.js'
import {
  PgStorage,
  clearProgress,
  deleteHistory,
  ensureHistory,
  insertHistory,
  readHistory,
  readProgress,
  saveProgress,
  saveProgressError,
} from './pg-storage.js'
import type { HistoryRow, ProgressRow } from './pg-storage.js'
import { splitSql } from './split-sql.js'
import { findDataLoss, oneLine } from './data-loss.js'
import type { DestructiveStatement } from './data-loss.js'
import { fileChecksum } from './sum.js'
import type { SqlStatement } from './split-sql.js'

/** A structured progress event; the CLI renders these, the library never prints. */
export interface MigrateEvent {
  readonly event:
    | 'lock_waiting'
    | 'lock_acquired'
    | 'migrating'
    | 'migrated'
    | 'reverting'
    | 'reverted'
    | 'resuming'
    | 'statement_start'
    | 'statement'
    | 'progress'
    | 'failed'
    | 'baselined'
  readonly name?: string
  readonly direction?: 'up' | 'down'
  readonly durationMs?: number
  /** 1-based statement number (statement, resuming). */
  readonly statement?: number
  readonly total?: number
  readonly transactional?: boolean
  readonly holder?: LockHolder
  /** statement_start: the file and line of the statement, and its text on one line (at most 200 characters). */
  readonly file?: string
  readonly line?: number
  readonly text?: string
  /** progress: how long the statement has run, and what pg_stat_progress_create_index says of its index build. */
  readonly elapsedMs?: number
  readonly progress?: IndexBuildProgress
}

/** A row of pg_stat_progress_create_index for the session running a migration (server only). */
export interface IndexBuildProgress {
  /** `CREATE INDEX`, `CREATE INDEX CONCURRENTLY`, `REINDEX`, `REINDEX CONCURRENTLY`. */
  readonly command: string
  /** e.g. `building index: scanning table`, `waiting for old snapshots`. */
  readonly phase: string
  readonly table: string | null
  readonly index: string | null
  readonly blocksDone: number
  readonly blocksTotal: number
  readonly tuplesDone: number
  readonly tuplesTotal: number
  readonly lockersDone: number
  readonly lockersTotal: number
  readonly partitionsDone: number
  readonly partitionsTotal: number
}

/** What happened to one migration (kysely MigrationResultSet style). */
export interface MigrationResult {
  readonly name: string
  readonly direction: 'up' | 'down'
  /** `pending`: a dry run would run it; `baselined`: recorded without running; `skipped`: already recorded. */
  readonly status: 'success' | 'error' | 'not_executed' | 'pending' | 'baselined' | 'skipped'
  readonly durationMs?: number
  readonly statements?: number
  /** True when it runs in one transaction. */
  readonly transactional?: boolean
  /** Statement the run resumed at, after an earlier partial run. */
  readonly resumedAt?: number
  /** The SQL a dry run would send. */
  readonly sql?: string
}

/** The outcome of a runner command. */
export interface MigrationResultSet {
  readonly target: string
  readonly dir: string
  readonly direction: 'up' | 'down'
  readonly dryRun: boolean
  readonly results: readonly MigrationResult[]
  /** `down`: the statements that destroy data (run because allowed or confirmed, or listed by a dry run). */
  readonly destructive?: readonly DestructiveStatement[]
}

/** Options shared by the runner commands. */
export interface RunnerOptions {
  /** The migration directory (default `migrations`). */
  readonly dir?: string
  readonly fs?: DirFs
  readonly onEvent?: (e: MigrateEvent) => void
  /** Wait this long for another runner's lock (default 60 s). */
  readonly lockTimeoutMs?: number
  /**
   * On a server, while a statement runs, read pg_stat_progress_create_index from another connection
   * this often and report a `progress` event when an index is being built (default 1000; 0: never).
   */
  readonly progressIntervalMs?: number
}

export interface MigrateUpOptions extends RunnerOptions {
  /** Apply up to and including this migration. */
  readonly to?: string
  /** Print, do not run: nothing is changed, not even the history schema. */
  readonly dryRun?: boolean
  /** Apply pending migrations that sort before the last applied one. */
  readonly allowOutOfOrder?: boolean
}

export interface MigrateDownOptions extends RunnerOptions {
  /** Revert every migration after this one (it stays applied). */
  readonly to?: string
  /** Revert this many migrations (default 1). */
  readonly steps?: number
  readonly dryRun?: boolean
  /**
   * Run down.sql files that destroy data (DROP TABLE/COLUMN/SCHEMA/TYPE/SEQUENCE/EXTENSION,
   * TRUNCATE, DELETE, narrowing type changes). Without it they are refused ('destructive_changes',
   * exit 2) unless `confirmDestructive` answers yes.
   */
  readonly allowDestructive?: boolean
  /** Asked (before the migration lock is taken) when destructive statements would run; true runs them. */
  readonly confirmDestructive?: (found: readonly DestructiveStatement[]) => Promise<boolean>
}

interface Planned {
  readonly file: MigrationFile
  readonly statements: readonly SqlStatement[]
  readonly path: string
  readonly sql: string
}

/** Applies pending migrations in order; throws CairnError 'migration_failed' (exit 3) at the first failure. */
export async function migrateUp(db: Database, options: MigrateUpOptions = {}): Promise<MigrationResultSet> {
  const d = await loadDir(options)
  const choose = (history: readonly HistoryRow[]): MigrationFile[] => {
    checkAppliedFiles(d, history)
    const applied = new Set(history.map((h) => h.name))
    if (options.to !== undefined) requireKnown(d, options.to)
    const pending = d.migrations.filter((m) => !applied.has(m.name) && (options.to === undefined || m.name <= options.to))
    checkOrder(
      pending.map((m) => m.name),
      history,
      options.allowOutOfOrder ?? false,
    )
    return pending
  }
  if (options.dryRun) {
    const [history, progress] = await Promise.all([readHistory(db), readProgress(db)])
    const chosen = await planAll(choose(history), 'up')
    return resultSet(db, d, 'up', true, chosen.map((p) => dryResult(p, 'up', progress)))
  }
  return runLocked(db, options, async (session) => {
    const history = await readHistory(session)
    const chosen = await planAll(choose(history), 'up')
    return execute(db, session, d, chosen, 'up', history, options)
  })
}

/** Reverts applied migrations with their down.sql, newest first (default: the last one). */
export async function migrateDown(db: Database, options: MigrateDownOptions = {}): Promise<MigrationResultSet> {
  if (options.to !== undefined && options.steps !== undefined) {
    throw new CairnError('bad_usage', 'give either --to or --steps, not both')
  }
  if (options.steps !== undefined && (!Number.isInteger(options.steps) || options.steps < 1)) {
    throw new CairnError('bad_usage', `--steps must be a positive integer, got ${options.steps}`)
  }
  const d = await loadDir(options)
  const choose = (history: readonly HistoryRow[]): MigrationFile[] => {
    checkAppliedFiles(d, history)
    const newestFirst = [...history].reverse()
    let names: string[]
    if (options.to !== undefined) {
      if (!history.some((h) => h.name === options.to)) {
        throw new CairnError('unknown_migration', `${options.to} is not an applied migration`, {
          object: options.to,
          hint: 'see `cairn migrate status` for the applied migrations',
        })
      }
      names = newestFirst.filter((h) => h.name > options.to!).map((h) => h.name)
    } else names = newestFirst.slice(0, options.steps ?? 1).map((h) => h.name)
    const files = names.map((n) => d.migrations.find((m) => m.name === n)!)
    const noDown = files.filter((f) => f.down === undefined)
    if (noDown.length) {
      throw new CairnError('no_down_migration', `${noDown.map((f) => f.name).join(', ')} ${noDown.length === 1 ? 'has' : 'have'} no down.sql`, {
        object: noDown[0].name,
        hint: 'write the down.sql by hand (then `cairn migrate hash`), or move forward with a new migration instead',
      })
    }
    return files
  }
  const [history, progress] = await Promise.all([readHistory(db), readProgress(db)])
  const preview = await planAll(choose(history), 'down')
  const destructive = await destructiveOf(db, preview)
  if (options.dryRun) return { ...resultSet(db, d, 'down', true, preview.map((p) => dryResult(p, 'down', progress))), destructive }
  // asked before the lock is taken: a prompt must not keep other runners waiting
  let accepted = options.allowDestructive === true || !destructive.length
  if (!accepted && options.confirmDestructive) accepted = await options.confirmDestructive(destructive)
  if (!accepted) throw destructiveRefused(destructive)
  const acceptedKeys = new Set(destructive.map(destructiveKey))
  return runLocked(db, options, async (session) => {
    const history = await readHistory(session)
    const chosen = await planAll(choose(history), 'down')
    // another runner may have moved the history meanwhile: what runs now must have been accepted
    const now = await destructiveOf(session, chosen)
    const unseen = options.allowDestructive ? [] : now.filter((x) => !acceptedKeys.has(destructiveKey(x)))
    if (unseen.length) throw destructiveRefused(unseen)
    return { ...(await execute(db, session, d, chosen, 'down', history, options)), destructive: now }
  })
}

async function destructiveOf(q: Queryable, planned: readonly Planned[]): Promise<DestructiveStatement[]> {
  const out: DestructiveStatement[] = []
  for (const p of planned) out.push(...(await findDataLoss(q, p.file.name, p.path, p.statements)))
  return out
}

const destructiveKey = (x: DestructiveStatement) => `${x.migration}\0${x.statement}\0${x.kind}\0${x.object}`

/** The refusal of destructive down.sql statements: the same rule and code as `generate`. */
function destructiveRefused(found: readonly DestructiveStatement[]): CairnError {
  const n = found.length
  const migrations = [...new Set(found.map((x) => x.migration))]
  return new CairnError(
    'destructive_changes',
    `refusing to revert ${migrations.join(', ')}: ${n} statement${n === 1 ? '' : 's'} of down.sql would destroy data`,
    {
      hint: 'nothing was reverted; check what the data is worth (a backup?), then run `cairn migrate down` again with --allow-destructive (or answer the prompt on a terminal)',
      file: found[0]?.file,
      object: found[0]?.object,
      issues: found.map((x) => ({ code: x.code ? `${x.code} ${x.kind}` : x.kind, message: x.text, file: x.file, object: x.object })),
      meta: { destructive: found },
    },
  )
}

/**
 * Reads the directory and refuses when it does not exist or cairn.sum does not match it (before
 * touching the database).
 */
export async function loadDir(options: RunnerOptions): Promise<MigrationDir> {
  await requireMigrationDir(options.fs ?? nodeDirFs, options.dir ?? 'migrations')
  const d = await readMigrationDir(options.fs ?? nodeDirFs, options.dir ?? 'migrations')
  verifyMigrationDir(d)
  return d
}

/** Opens the dedicated session, takes the lock, makes sure the history tables exist, runs `fn`. */
export async function runLocked<T>(
  db: Database,
  options: RunnerOptions,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  return withLockedSession(db, options, async (session) => {
    await ensureHistory(session)
    return fn(session)
  })
}

function requireKnown(d: MigrationDir, name: string): void {
  if (!d.migrations.some((m) => m.name === name)) {
    throw new CairnError('unknown_migration', `no migration named ${name} in ${d.dir}`, {
      object: name,
      hint: 'give the full folder name, e.g. 20240101120000_add_users (see `cairn migrate status`)',
    })
  }
}

async function planAll(files: readonly MigrationFile[], direction: 'up' | 'down'): Promise<Planned[]> {
  const out: Planned[] = []
  for (const file of files) {
    const sql = direction === 'up' ? file.up : file.down!
    const path = direction === 'up' ? file.upPath : file.downPath!
    out.push({ file, sql, path, statements: await splitSql(sql, path) })
  }
  return out
}

function resultSet(db: Database, d: MigrationDir, direction: 'up' | 'down', dryRun: boolean, results: MigrationResult[]): MigrationResultSet {
  return { target: db.target, dir: d.dir, direction, dryRun, results }
}

function dryResult(p: Planned, direction: 'up' | 'down', progress: readonly ProgressRow[]): MigrationResult {
  const prog = progress.find((r) => r.name === p.file.name && r.direction === direction)
  const from = prog && prog.statementsDone < p.statements.length ? prog.statementsDone : 0
  const transactional = p.statements.every((s) => s.transactional)
  return {
    name: p.file.name,
    direction,
    status: 'pending',
    statements: p.statements.length,
    transactional,
    ...(from ? { resumedAt: from + 1 } : {}),
    sql: renderPlan(p, direction, from),
  }
}

/** The SQL of one planned migration as a dry run shows it. */
function renderPlan(p: Planned, direction: 'up' | 'down', from: number): string {
  const transactional = p.statements.every((s) => s.transactional)
  const head =
    `-- ${p.file.name} (${direction}): ` +
    (transactional
      ? 'one transaction'
      : `statement by statement, ${p.statements.filter((s) => !s.transactional).length} outside a transaction`) +
    (from ? `, resuming at statement ${from + 1}` : '')
  const body = p.statements
    .slice(from)
    .map((s) => (s.transactional ? '' : '-- cairn:no-transaction\n') + s.text + ';')
    .join('\n')
  return `${head}\n${body}\n`
}

function doneChecksum(statements: readonly SqlStatement[]): string {
  return 'h1:' + createHash('sha256').update(statements.map((s) => s.text).join('\0'), 'utf8').digest('base64')
}

async function execute(
  db: Database,
  session: Session,
  d: MigrationDir,
  chosen: readonly Planned[],
  direction: 'up' | 'down',
  history: readonly HistoryRow[],
  options: RunnerOptions,
): Promise<MigrationResultSet> {
  const results = new Map<string, MigrationResult>(
    chosen.map((p) => [p.file.name, { name: p.file.name, direction, status: 'not_executed', statements: p.statements.length }]),
  )
  const progress = await readProgress(session)
  const byName = new Map(chosen.map((p) => [p.file.name, p]))
  const applied = history.map((h) => h.name)
  const appName = await session.query<{ a: string }>(`select current_setting('application_name') as a`)
  const label = appName[0]?.a || 'cairn'
  // the backend whose index builds the progress poll reads (PGlite has one connection: no poll)
  const pollable = db.engine === 'postgres' && options.onEvent !== undefined && (options.progressIntervalMs ?? 1000) > 0
  const backendPid = pollable ? (await session.query<{ pid: number }>('select pg_backend_pid() as pid'))[0]?.pid : undefined
  const ctx: RunContext = { db, session, direction, options, progress, label, applied, backendPid }
  const run = async (name: string) => {
    const p = byName.get(name)!
    results.set(name, await runOne(ctx, p, results))
  }
  const umzug = new Umzug<Record<string, never>>({
    migrations: d.migrations.map((m) => ({
      name: m.name,
      path: m.upPath,
      up: () => run(m.name),
      down: () => run(m.name),
    })),
    storage: new PgStorage(session, new Map(d.migrations.map((m) => [m.name, m.checksum]))),
    logger: undefined,
    context: {},
  })
  const names = chosen.map((p) => p.file.name)
  try {
    if (names.length) {
      if (direction === 'up') await umzug.up({ migrations: names })
      else await umzug.down({ migrations: names })
    }
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause ?? e
    const err = isConnectionError(cause)
      ? connectionLostDuring(ctx, cause)
      : isCairnError(cause)
        ? cause
        : wrapError('migration_failed', 'running migrations', cause)
    const set = resultSet(db, d, direction, false, [...results.values()])
    throw new CairnError(err.code, err.message, {
      hint: err.hint,
      file: err.file,
      object: err.object,
      exitCode: err.exitCode,
      issues: err.issues,
      meta: { ...(err.meta ?? {}), results: set.results },
      cause: err,
    })
  }
  return resultSet(db, d, direction, false, [...results.values()])
}

interface RunContext {
  readonly db: Database
  readonly session: Session
  readonly direction: 'up' | 'down'
  readonly options: RunnerOptions
  readonly progress: readonly ProgressRow[]
  /** application_name to restore after RESET ALL. */
  readonly label: string
  /** pg_backend_pid() of the session, when index builds are polled. */
  readonly backendPid?: number
  /** Applied migrations, kept current as the run goes (for messages). */
  applied: string[]
  /** Statements completed by the statement-by-statement migration in progress. */
  stepDone?: number
  /** The migration running, and the statement that was running when the connection went. */
  current?: { readonly p: Planned; statement?: SqlStatement }
}

async function runOne(ctx: RunContext, p: Planned, results: Map<string, MigrationResult>): Promise<MigrationResult> {
  const { session, direction, options } = ctx
  const name = p.file.name
  const start = performance.now()
  const elapsed = () => Math.round(performance.now() - start)
  options.onEvent?.({ event: direction === 'up' ? 'migrating' : 'reverting', name, direction })
  // each migration starts from the connection's own settings, whatever the previous one SET
  await session.exec('RESET ALL')
  if (ctx.label) await session.query(`select set_config('application_name', $1, false)`, [ctx.label])
  const transactional = p.statements.every((s) => s.transactional)
  let resumedAt: number | undefined
  ctx.stepDone = undefined
  ctx.current = { p }
  try {
    if (transactional) {
      await session.transaction(async (tx) => {
        for (const s of p.statements) await runStatement(tx, ctx, p, s)
        await finish(tx, ctx, p, elapsed())
      })
    } else resumedAt = await runStepwise(ctx, p, elapsed)
  } catch (e) {
    options.onEvent?.({ event: 'failed', name, direction, durationMs: elapsed() })
    results.set(name, { name, direction, status: 'error', durationMs: elapsed(), statements: p.statements.length, transactional })
    throw e
  }
  const durationMs = elapsed()
  if (direction === 'up') ctx.applied.push(name)
  else ctx.applied = ctx.applied.filter((n) => n !== name)
  options.onEvent?.({ event: direction === 'up' ? 'migrated' : 'reverted', name, direction, durationMs })
  return {
    name,
    direction,
    status: 'success',
    durationMs,
    statements: p.statements.length,
    transactional,
    ...(resumedAt ? { resumedAt } : {}),
  }
}

/** Writes (up) or removes (down) the history row and forgets any progress, in `q`'s transaction. */
async function finish(q: Queryable, ctx: RunContext, p: Planned, durationMs: number): Promise<void> {
  if (ctx.direction === 'up') {
    await insertHistory(q, { name: p.file.name, checksum: p.file.checksum, durationMs, statements: p.statements.length })
  } else await deleteHistory(q, p.file.name)
  await clearProgress(q, p.file.name, ctx.direction)
}

/** Runs a migration that holds non-transactional statements; returns the statement it resumed at. */
async function runStepwise(ctx: RunContext, p: Planned, elapsed: () => number): Promise<number | undefined> {
  const { session, direction } = ctx
  const name = p.file.name
  const checksum = direction === 'up' ? p.file.checksum : fileChecksum(p.sql)
  const stmts = p.statements
  const prior = ctx.progress.find((r) => r.name === name && r.direction === direction)
  let done = 0
  if (prior) {
    if (prior.statementsDone > stmts.length || doneChecksum(stmts.slice(0, prior.statementsDone)) !== prior.doneChecksum) {
      throw new CairnError(
        'partial_migration_changed',
        `${p.path} was changed before statement ${prior.statementsDone + 1}, but an earlier run already completed statements 1–${prior.statementsDone}`,
        {
          file: p.path,
          object: name,
          hint:
            'restore the completed statements as they ran; or check the database by hand and delete the row for this ' +
            `migration from cairn.migration_progress to start it from the beginning`,
        },
      )
    }
    done = prior.statementsDone
    ctx.options.onEvent?.({ event: 'resuming', name, direction, statement: done + 1, total: stmts.length })
    // session settings (lock_timeout, search_path) of the completed part still apply to the rest
    for (const s of stmts.slice(0, done)) if (s.sessionSetting) await runStatement(session, ctx, p, s)
  } else {
    await saveProgress(session, { name, direction, checksum, statementsDone: 0, doneChecksum: doneChecksum([]) })
  }
  const save = async (q: Queryable, n: number) => {
    await saveProgress(q, { name, direction, checksum, statementsDone: n, doneChecksum: doneChecksum(stmts.slice(0, n)), lastError: null })
    ctx.stepDone = n
  }
  let i = done
  ctx.stepDone = done
  try {
    while (i < stmts.length) {
      const s = stmts[i]
      if (s.transactional) {
        let j = i
        while (j < stmts.length && stmts[j].transactional) j++
        const run = stmts.slice(i, j)
        const end = j
        await session.transaction(async (tx) => {
          for (const st of run) await runStatement(tx, ctx, p, st)
          await save(tx, end)
        })
        i = j
      } else {
        if (prior && i === done && s.retryCleanup) {
          // the failed attempt may have left an INVALID index of the same name
          await runStatement(session, ctx, p, s, s.retryCleanup)
        }
        await runStatement(session, ctx, p, s)
        await save(session, i + 1)
        i++
      }
    }
    await session.transaction((tx) => finish(tx, ctx, p, elapsed()))
  } catch (e) {
    // a lost session cannot record anything: the error goes through a new connection of the pool
    const lost = isConnectionError(e)
    const message = lost ? `connection lost: ${rawMessage(e)}` : e instanceof Error ? e.message : String(e)
    await saveProgressError(lost ? ctx.db : session, name, direction, message).catch(() => {})
    throw e
  }
  return prior ? done + 1 : undefined
}

async function runStatement(q: Queryable, ctx: RunContext, p: Planned, s: SqlStatement, text = s.text): Promise<void> {
  const start = performance.now()
  ctx.options.onEvent?.({
    event: 'statement_start',
    name: p.file.name,
    direction: ctx.direction,
    statement: s.index,
    total: p.statements.length,
    transactional: s.transactional,
    file: p.path,
    line: s.line,
    text: redactSecrets(oneLine(text, 200)),
  })
  const stopPoll = pollIndexBuild(ctx, p, s, start)
  try {
    await q.exec(text)
  } catch (e) {
    await stopPoll()
    if (isConnectionError(e)) {
      ctx.current = { p, statement: s }
      throw e
    }
    throw migrationFailed(ctx, p, s, text, e)
  }
  await stopPoll()
  ctx.options.onEvent?.({
    event: 'statement',
    name: p.file.name,
    direction: ctx.direction,
    statement: s.index,
    total: p.statements.length,
    transactional: s.transactional,
    durationMs: Math.round(performance.now() - start),
  })
}

const INDEX_PROGRESS_SQL = `select command, phase,
  case when relid = 0 then null else relid::regclass::text end as "table",
  case when index_relid = 0 then null else index_relid::regclass::text end as "index",
  blocks_done, blocks_total, tuples_done, tuples_total, lockers_done, lockers_total, partitions_done, partitions_total
  from pg_stat_progress_create_index where pid = $1`

/**
 * While statement `s` runs on the migration session, reads pg_stat_progress_create_index for that
 * session from another connection of the pool every `progressIntervalMs` and reports what it finds
 * as `progress` events (nothing while no index is being built). Returns the function that stops
 * the poll: no event follows it, and it waits (at most 2 s: a pool with no free connection must not
 * hold the migration up) for a query in flight. A failed poll is ignored: it reports, it never stops
 * a migration.
 */
function pollIndexBuild(ctx: RunContext, p: Planned, s: SqlStatement, start: number): () => Promise<void> {
  const onEvent = ctx.options.onEvent
  const pid = ctx.backendPid
  if (!onEvent || pid === undefined) return async () => {}
  let stopped = false
  let inflight: Promise<void> | undefined
  const n = (v: unknown) => Number(v ?? 0)
  const tick = () => {
    if (stopped || inflight) return
    inflight = ctx.db
      .query<Record<string, unknown>>(INDEX_PROGRESS_SQL, [pid])
      .then((rows) => {
        const r = rows[0]
        if (stopped || !r) return
        onEvent({
          event: 'progress',
          name: p.file.name,
          direction: ctx.direction,
          statement: s.index,
          total: p.statements.length,
          elapsedMs: Math.round(performance.now() - start),
          progress: {
            command: String(r.command),
            phase: String(r.phase),
            table: (r.table as string | null) ?? null,
            index: (r.index as string | null) ?? null,
            blocksDone: n(r.blocks_done),
            blocksTotal: n(r.blocks_total),
            tuplesDone: n(r.tuples_done),
            tuplesTotal: n(r.tuples_total),
            lockersDone: n(r.lockers_done),
            lockersTotal: n(r.lockers_total),
            partitionsDone: n(r.partitions_done),
            partitionsTotal: n(r.partitions_total),
          },
        })
      })
      .catch(() => {})
      .finally(() => {
        inflight = undefined
      })
  }
  const timer = setInterval(tick, ctx.options.progressIntervalMs ?? 1000)
  timer.unref?.()
  return async () => {
    stopped = true
    clearInterval(timer)
    if (!inflight) return
    let wait: ReturnType<typeof setTimeout> | undefined
    await Promise.race([inflight, new Promise<void>((r) => (wait = setTimeout(r, 2000)))])
    clearTimeout(wait)
  }
}

interface PgErrorFields {
  code?: string
  message?: string
  detail?: string
  hint?: string
  position?: string | number
  where?: string
  schema?: string
  table?: string
  column?: string
  constraint?: string
}

function migrationFailed(ctx: RunContext, p: Planned, s: SqlStatement, text: string, e: unknown): CairnError {
  const pg = (e ?? {}) as PgErrorFields
  const pos = pg.position === undefined ? undefined : Number(pg.position)
  const line = pos && text === s.text ? s.line + (text.slice(0, pos - 1).match(/\n/g)?.length ?? 0) : s.line
  const total = p.statements.length
  const snippet = oneLine(text, 200)
  const transactional = p.statements.every((x) => x.transactional)
  const at = ctx.applied.at(-1)
  const stepwiseDone = ctx.stepDone ?? 0
  const hint = transactional
    ? `nothing of ${p.file.name} was applied (its transaction was rolled back); the database is at ${at ?? 'no migration'}. ` +
      `Fix the cause and run \`cairn migrate ${ctx.direction}\` again` +
      (ctx.direction === 'up' ? ' (if you edit the migration, run `cairn migrate hash`: it was never applied)' : '')
    : `${p.file.name} runs statement by statement: ${stepwiseDone ? `statements 1–${stepwiseDone} completed and are recorded in cairn.migration_progress` : 'no statement completed'}; ` +
      `\`cairn migrate ${ctx.direction}\` resumes at statement ${stepwiseDone + 1}` +
      (s.retryCleanup ? ' and first drops the INVALID index a failed CREATE INDEX CONCURRENTLY leaves behind' : '')
  const lockHint =
    pg.code === '55P03'
      ? ' The statement gave up waiting for a table lock (lock_timeout): another session holds it; retry when the table is less busy.'
      : ''
  const postgres = Object.fromEntries(
    (['code', 'message', 'detail', 'hint', 'position', 'where', 'schema', 'table', 'column', 'constraint'] as const)
      .filter((k) => pg[k] !== undefined && pg[k] !== '')
      .map((k) => [k, pg[k]]),
  )
  const message = e instanceof Error ? e.message : String(e)
  return new CairnError(
    'migration_failed',
    `migration ${p.file.name} (${ctx.direction}) failed on statement ${s.index} of ${total} at ${p.path}:${line}: ` +
      `${pg.code ? `[${pg.code}] ` : ''}${message}${pg.detail ? ` (${pg.detail})` : ''}\n  statement: ${snippet}`,
    {
      file: `${p.path}:${line}`,
      object: p.file.name,
      hint: hint + lockHint,
      meta: {
        migration: p.file.name,
        direction: ctx.direction,
        statement: { index: s.index, of: total, line, text: snippet, transactional: s.transactional },
        postgres,
        databaseAt: at ?? null,
      },
      cause: e,
    },
  )
}

/** The driver's own words for a lost connection, under any CairnError wrapping it. */
function rawMessage(e: unknown): string {
  let m: unknown = e
  while (isCairnError(m) && m.cause !== undefined) m = m.cause
  return redactSecrets(m instanceof Error ? m.message : String(m))
}

/**
 * `connection_lost` (exit 3) saying where the run stopped: the migration and statement, what the
 * server kept (a transaction is rolled back, completed statements of a statement-by-statement
 * migration are recorded) and that running the command again continues.
 */
function connectionLostDuring(ctx: RunContext, e: unknown): CairnError {
  const base = connectionLost(e, ctx.db.target)
  const cur = ctx.current
  if (!cur) return base
  const { p, statement: s } = cur
  const name = p.file.name
  const total = p.statements.length
  const transactional = p.statements.every((x) => x.transactional)
  const during = (base.meta as { during?: string } | undefined)?.during
  const at = ctx.applied.at(-1)
  const done = ctx.stepDone ?? 0
  const again = `\`cairn migrate ${ctx.direction}\``
  const state =
    during === 'commit'
      ? `the connection went while ${name} was being committed, so it may or may not be ${ctx.direction === 'up' ? 'applied' : 'reverted'}: ` +
        `\`cairn migrate status\` tells, and ${again} continues either way`
      : transactional
        ? `the server rolled back ${name}'s transaction, so none of it ${ctx.direction === 'up' ? 'was applied' : 'was reverted'}; ` +
          `the database is at ${at ?? 'no migration'}. Run ${again} again once the server is reachable`
        : `${name} runs statement by statement: ${done ? `statements 1–${done} completed and are recorded in cairn.migration_progress` : 'no statement completed'}; ` +
          `${again} resumes at statement ${done + 1}` +
          (p.statements[done]?.retryCleanup ? ' and first drops the INVALID index an interrupted CREATE INDEX CONCURRENTLY leaves behind' : '')
  return new CairnError(
    'connection_lost',
    `lost the connection to ${ctx.db.target} during migration ${name} (${ctx.direction})${s ? `, statement ${s.index} of ${total} at ${p.path}:${s.line}` : ''}: ${rawMessage(e)}`,
    {
      file: s ? `${p.path}:${s.line}` : p.path,
      object: name,
      hint: `${state} (the server ended the session: pg_terminate_backend, a restart or failover, or the network)`,
      meta: {
        ...(base.meta ?? {}),
        migration: name,
        direction: ctx.direction,
        ...(s ? { statement: { index: s.index, of: total, line: s.line, text: oneLine(s.text, 200), transactional: s.transactional } } : {}),
        databaseAt: at ?? null,
        ...(transactional ? {} : { statementsDone: done }),
      },
      cause: e,
    },
  )
}
