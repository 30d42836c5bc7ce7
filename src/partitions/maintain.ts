/**
 * `cairn partitions status` and `maintain`: read each rolling window's state, plan (plan.ts), and
 * run the steps on one session under the maintenance lock, each step whole or not at all, no lock
 * waited for longer than `lock_timeout`.
 *
 * A partition is created as a plain table (`LIKE` the parent) with a CHECK constraint matching its
 * bound, the default partition's rows in its range moved in (same transaction, the default locked),
 * then attached: ATTACH takes SHARE UPDATE EXCLUSIVE on the parent (CREATE TABLE … PARTITION OF
 * would take ACCESS EXCLUSIVE), and the CHECK spares it the scan of the new table; the CHECK is
 * dropped after. A partition is retired with DETACH … CONCURRENTLY (PostgreSQL 14+, outside a
 * transaction, not possible while a default partition exists) or else a plain DETACH in one
 * transaction with the drop or archive move; it is marked first (a comment naming parent and
 * bound), so that a retirement stopped midway is recognised and finished by the next run.
 * A step that cannot get a lock within `lock_timeout` is retried with backoff, then the run stops
 * (exit 3): the step's transaction rolled back, the steps before it complete.
 */
import { CairnError, EXIT } from '../errors.js'
import type { Database, Queryable, Session } from '../db/database.js'
import { boundLiteral } from '../dsl/partition.js'
import type { RangeWindow } from '../load/range-windows.js'
import { ident, literal, qname, storageParam } from '../sqlgen/quote.js'
import { defaultRowsIn, namesTaken, readLiveWindow } from './live.js'
import type { LiveWindow } from './live.js'
import { withMaintenanceLock } from './lock.js'
import { sleep } from '../migrate/lock.js'
import { missingSlots, namesToCheck, planWindow } from './plan.js'
import type { MaintenanceStep, WindowStatus } from './plan.js'
import { archiveSchemaOf, retiredMarker } from './window.js'

/** Options of {@link partitionStatus} and {@link maintainPartitions}. */
export interface PartitionsOptions {
  /** The clock (`--now`); default the current time. */
  readonly now?: Date
}

/** Options of {@link maintainPartitions}. */
export interface MaintainOptions extends PartitionsOptions {
  /** Plan and show, change nothing (no lock taken). */
  readonly dryRun?: boolean
  /** `lock_timeout` of every statement, in ms (default 5000). */
  readonly lockTimeoutMs?: number
  /** Attempts after the first when a lock is not granted in time (default 3). */
  readonly retries?: number
  /** First backoff between attempts, doubled each time (default 500 ms). */
  readonly retryDelayMs?: number
  /** How long to wait for another maintainer's lock (default 10 s). */
  readonly lockWaitMs?: number
  /** Called after each step. */
  readonly onStep?: (r: StepResult) => void
}

/** One step as run (or, on a dry run, as it would run). */
export interface StepResult {
  readonly parent: string
  readonly kind: MaintenanceStep['kind']
  /** The table created, retired, finalized, dropped or moved. */
  readonly object: string
  /** The slot, for creates and retirements. */
  readonly from?: string
  readonly to?: string
  readonly summary: string
  /** The strongest lock the step takes on the parent and what else it locks. */
  readonly locks: string
  readonly sql: readonly string[]
  readonly status: 'done' | 'planned'
  /** Rows moved out of the default partition. */
  readonly rowsMoved?: number
  readonly attempts?: number
  readonly ms?: number
}

/** The result of {@link maintainPartitions}. */
export interface MaintainReport {
  readonly target: string
  readonly serverVersion: number
  readonly now: string
  readonly dryRun: boolean
  readonly windows: readonly WindowStatus[]
  readonly steps: readonly StepResult[]
  /** What maintenance could not do (a missing parent, an overlapping partition, …): exit 1. */
  readonly problems: readonly string[]
  readonly timings: Readonly<Record<string, number>>
}

/** The result of {@link partitionStatus}. */
export interface StatusReport {
  readonly target: string
  readonly serverVersion: number
  readonly now: string
  readonly windows: readonly WindowStatus[]
  /** True when any window needs maintenance or attention. */
  readonly due: boolean
}

const DEFAULT_LOCK_TIMEOUT_MS = 5000

/** The status of every window: read only. */
export async function partitionStatus(db: Database, windows: readonly RangeWindow[], options: PartitionsOptions = {}): Promise<StatusReport> {
  const now = options.now ?? new Date()
  const statuses = await db.session(async (s) => {
    await s.exec(`SET TimeZone = 'UTC'`)
    try {
      const out: WindowStatus[] = []
      for (const w of windows) out.push((await readWindow(s, db, w, now)).status)
      return out
    } finally {
      await s.exec('RESET TimeZone').catch(() => {})
    }
  })
  return { target: db.target, serverVersion: db.serverVersion, now: now.toISOString(), windows: statuses, due: statuses.some((x) => x.due) }
}

/** Brings every window up to date (see the module comment); idempotent. */
export async function maintainPartitions(db: Database, windows: readonly RangeWindow[], options: MaintainOptions = {}): Promise<MaintainReport> {
  const now = options.now ?? new Date()
  const t0 = performance.now()
  const timings: Record<string, number> = {}
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const retries = options.retries ?? 3
  const retryDelayMs = options.retryDelayMs ?? 500
  const results: StepResult[] = []
  const statuses: WindowStatus[] = []
  await db.session(async (s) => {
    await s.exec(`SET TimeZone = 'UTC'`)
    try {
      const work = async () => {
        await s.exec(`SET lock_timeout = ${literal(`${lockTimeoutMs}ms`)}`)
        for (const w of windows) {
          const tRead = performance.now()
          const { status, live } = await readWindow(s, db, w, now)
          timings.read = (timings.read ?? 0) + Math.round(performance.now() - tRead)
          statuses.push(status)
          for (const step of status.steps) {
            const sql = stepSql(w, step, live, db)
            const base = describeStep(w, step, live, db)
            if (options.dryRun) {
              const r: StepResult = { ...base, sql: sql.map((x) => x.sql), status: 'planned', ...(step.kind === 'create' && step.moveRows ? { rowsMoved: step.moveRows } : {}) }
              results.push(r)
              options.onStep?.(r)
              continue
            }
            const started = performance.now()
            const { attempts, rowsMoved, ran } = await withRetries(s, w, step, base.summary, { retries, retryDelayMs, lockTimeoutMs, done: results.length, serverVersion: db.serverVersion }, () => runStep(s, w, step, live, db))
            const r: StepResult = { ...base, sql: ran, status: 'done', attempts, ms: Math.round(performance.now() - started), ...(rowsMoved !== undefined ? { rowsMoved } : {}) }
            results.push(r)
            options.onStep?.(r)
          }
        }
      }
      if (options.dryRun) await work()
      else await withMaintenanceLock(s, { waitMs: options.lockWaitMs ?? 10_000, target: db.target }, work)
    } finally {
      await s.exec('RESET lock_timeout; RESET TimeZone').catch(() => {})
    }
  })
  timings.total = Math.round(performance.now() - t0)
  return {
    target: db.target,
    serverVersion: db.serverVersion,
    now: now.toISOString(),
    dryRun: options.dryRun === true,
    windows: statuses,
    steps: results,
    problems: statuses.flatMap((x) => x.problems),
    timings,
  }
}

/** Reads one window and plans it. */
async function readWindow(s: Queryable, db: Database, w: RangeWindow, now: Date): Promise<{ status: WindowStatus; live: LiveWindow }> {
  const live = await readLiveWindow(s, w, db.serverVersion)
  const check = namesToCheck(w, live, now)
  const taken = await namesTaken(s, check.schema, check.names)
  const takenInArchive = await namesTaken(s, check.archive, check.archiveNames)
  const bySlot = new Map<number, number>()
  const def = live.partitions.find((p) => p.bound === 'DEFAULT')
  if (def && (live.defaultRows ?? 0) > 0) {
    for (const slot of missingSlots(w, live, now)) bySlot.set(slot.ordinal, await defaultRowsIn(s, w, def, slot.from, slot.to))
  }
  return { status: planWindow(w, live, now, { defaultRowsBySlot: bySlot, taken, takenInArchive }), live }
}

interface Statement {
  readonly sql: string
  /** Runs outside a transaction block (DETACH … CONCURRENTLY / FINALIZE). */
  readonly alone?: boolean
}

const concurrentDetach = (live: LiveWindow, db: Database) => db.serverVersion >= 140000 && !live.partitions.some((p) => p.bound === 'DEFAULT')

/** The statements of a step (what runs, and what a dry run shows). */
function stepSql(w: RangeWindow, step: MaintenanceStep, live: LiveWindow, db: Database): Statement[] {
  const parent = qname(w.parentSchema, w.parent)
  switch (step.kind) {
    case 'create': {
      const t = qname(step.schema, step.slot.name)
      const key = ident(w.key)
      const check = ident(checkName(step.slot.name))
      const like = ['DEFAULTS', 'CONSTRAINTS', 'GENERATED', 'STORAGE', ...(db.serverVersion >= 140000 ? ['COMPRESSION'] : [])].map((x) => `INCLUDING ${x}`).join(' ')
      const out: Statement[] = [
        // the window's storage parameters (rangePartitions({ with })): the parent cannot carry them
        { sql: `CREATE TABLE ${t} (LIKE ${parent} ${like})${withOf(w)}` },
        { sql: `ALTER TABLE ${t} ADD CONSTRAINT ${check} CHECK (${key} IS NOT NULL AND ${key} >= ${boundLiteral(step.slot.from, w.keyType)} AND ${key} < ${boundLiteral(step.slot.to, w.keyType)})` },
      ]
      const def = live.partitions.find((p) => p.bound === 'DEFAULT')
      if (def) {
        const d = qname(def.schema, def.name)
        const cols = live.copyColumns.map(ident).join(', ')
        out.push(
          // ATTACH locks the default ACCESS EXCLUSIVE to scan it anyway: take that lock first, so no row arrives between the move and the attach
          { sql: `LOCK TABLE ${d} IN ACCESS EXCLUSIVE MODE` },
          { sql: `WITH moved AS (DELETE FROM ${d} WHERE ${key} >= ${boundLiteral(step.slot.from, w.keyType)} AND ${key} < ${boundLiteral(step.slot.to, w.keyType)} RETURNING ${cols}), copied AS (INSERT INTO ${t} (${cols}) SELECT ${cols} FROM moved RETURNING 1) SELECT count(*)::int AS moved FROM copied` },
        )
      }
      out.push({ sql: `ALTER TABLE ${parent} ATTACH PARTITION ${t} ${step.slot.bound}` }, { sql: `ALTER TABLE ${t} DROP CONSTRAINT ${check}` })
      return out
    }
    case 'retire': {
      const t = qname(step.schema, step.name)
      const marker = { sql: `COMMENT ON TABLE ${t} IS ${literal(retiredMarker(w, step.slot.bound))}` }
      const after = retiredEnd(w, step.schema, step.name)
      if (concurrentDetach(live, db)) return [marker, { sql: `ALTER TABLE ${parent} DETACH PARTITION ${t} CONCURRENTLY`, alone: true }, ...after]
      return [marker, { sql: `ALTER TABLE ${parent} DETACH PARTITION ${t}` }, ...after]
    }
    case 'finalize_detach':
      return [{ sql: `ALTER TABLE ${parent} DETACH PARTITION ${qname(step.schema, step.name)} FINALIZE`, alone: true }, ...retiredEnd(w, step.schema, step.name)]
    case 'drop_retired':
      return [{ sql: `DROP TABLE ${qname(step.schema, step.name)}` }]
    case 'archive_retired':
      return [{ sql: `ALTER TABLE ${qname(step.schema, step.name)} SET SCHEMA ${ident(step.to)}` }]
  }
}

/** ` WITH (…)` of the window's storage parameters, or nothing. */
function withOf(w: RangeWindow): string {
  const keys = Object.keys(w.with ?? {}).sort()
  return keys.length ? ` WITH (${keys.map((k) => storageParam(k, w.with![k]!)).join(', ')})` : ''
}

/** After the detach: drop, or move into the archive schema (nothing when it stays where it is). */
function retiredEnd(w: RangeWindow, schema: string, name: string): Statement[] {
  if (w.retire === 'drop') return [{ sql: `DROP TABLE ${qname(schema, name)}` }]
  const archive = archiveSchemaOf(w)
  return archive !== schema ? [{ sql: `ALTER TABLE ${qname(schema, name)} SET SCHEMA ${ident(archive)}` }] : []
}

/** The temporary CHECK constraint of a new partition (at most 63 bytes). */
function checkName(table: string): string {
  const suffix = '_cairn_bound'
  return Buffer.byteLength(table + suffix) <= 63 ? table + suffix : `cairn_bound_${Buffer.from(table).toString('hex').slice(0, 40)}`
}

function describeStep(w: RangeWindow, step: MaintenanceStep, live: LiveWindow, db: Database): Omit<StepResult, 'sql' | 'status'> {
  const parent = `${w.parentSchema}.${w.parent}`
  const def = live.partitions.find((p) => p.bound === 'DEFAULT')
  switch (step.kind) {
    case 'create':
      return {
        parent, kind: step.kind, object: `${step.schema}.${step.slot.name}`, from: step.slot.from, to: step.slot.to,
        summary: `create ${step.schema}.${step.slot.name} (${step.slot.from} … ${step.slot.to})${def ? (step.moveRows ? `, moving ${step.moveRows} row${step.moveRows === 1 ? '' : 's'} out of ${def.schema}.${def.name}` : `, nothing to move out of ${def.schema}.${def.name}`) : ''}`,
        locks: `SHARE UPDATE EXCLUSIVE on ${parent} (ATTACH PARTITION)${def ? `; ACCESS EXCLUSIVE on the default partition ${def.schema}.${def.name} while its rows move and ATTACH scans it` : ''}`,
      }
    case 'retire': {
      const concurrently = concurrentDetach(live, db)
      const why = concurrently ? '' : db.serverVersion < 140000 ? ' (PostgreSQL before 14 has no DETACH CONCURRENTLY)' : ' (DETACH CONCURRENTLY is not allowed while a default partition exists)'
      const archive = archiveSchemaOf(w)
      const end = w.retire === 'drop' ? 'drop it' : archive !== step.schema ? `keep it as ${archive}.${step.name}` : `keep it as a plain table`
      return {
        parent, kind: step.kind, object: `${step.schema}.${step.name}`, from: step.slot.from, to: step.slot.to,
        summary: `retire ${step.schema}.${step.name} (${step.slot.from} … ${step.slot.to}): detach${concurrently ? ' concurrently' : ''}, ${end}`,
        locks: concurrently ? `SHARE UPDATE EXCLUSIVE on ${parent} (DETACH PARTITION CONCURRENTLY, outside a transaction)` : `ACCESS EXCLUSIVE on ${parent}, briefly${why}`,
      }
    }
    case 'finalize_detach':
      return { parent, kind: step.kind, object: `${step.schema}.${step.name}`, summary: `finish the interrupted detach of ${step.schema}.${step.name}`, locks: `SHARE UPDATE EXCLUSIVE on ${parent} (DETACH PARTITION … FINALIZE)` }
    case 'drop_retired':
      return { parent, kind: step.kind, object: `${step.schema}.${step.name}`, summary: `drop ${step.schema}.${step.name}, detached by an earlier run`, locks: `ACCESS EXCLUSIVE on ${step.schema}.${step.name} only (no longer a partition)` }
    case 'archive_retired':
      return { parent, kind: step.kind, object: `${step.schema}.${step.name}`, summary: `move ${step.schema}.${step.name}, detached by an earlier run, into ${step.to}`, locks: `ACCESS EXCLUSIVE on ${step.schema}.${step.name} only (no longer a partition)` }
  }
}

/** Runs a step's statements: consecutive transactional ones in one transaction, the others alone. */
async function runStep(s: Session, w: RangeWindow, step: MaintenanceStep, live: LiveWindow, db: Database): Promise<{ rowsMoved?: number; ran: string[] }> {
  let statements = stepSql(w, step, live, db)
  // a retirement retried after its DETACH … CONCURRENTLY stopped midway: finish that detach instead
  if (step.kind === 'retire' && (await detachPending(s, db.serverVersion, step.schema, step.name))) {
    statements = stepSql(w, { kind: 'finalize_detach', schema: step.schema, name: step.name }, live, db)
  }
  const ran: string[] = []
  let rowsMoved: number | undefined
  let i = 0
  while (i < statements.length) {
    if (statements[i].alone) {
      await s.exec(statements[i].sql)
      ran.push(statements[i].sql)
      i++
      continue
    }
    const group: Statement[] = []
    while (i < statements.length && !statements[i].alone) group.push(statements[i++])
    await s.transaction(async (tx) => {
      for (const st of group) {
        const rows = await tx.query<{ moved?: number }>(st.sql)
        if (rows[0] && typeof rows[0].moved === 'number') rowsMoved = rows[0].moved
      }
    })
    ran.push(...group.map((g) => g.sql))
  }
  return { ...(rowsMoved !== undefined ? { rowsMoved } : {}), ran }
}

/** Whether a DETACH … CONCURRENTLY of the partition stopped between its two transactions (PostgreSQL 14+). */
async function detachPending(q: Queryable, serverVersion: number, schema: string, name: string): Promise<boolean> {
  if (serverVersion < 140000) return false
  const rows = await q.query<{ pending: boolean }>(`SELECT i.inhdetachpending AS pending FROM pg_catalog.pg_inherits i WHERE i.inhrelid = pg_catalog.to_regclass($1)`, [qname(schema, name)])
  return rows[0]?.pending === true
}

const LOCK_ERRORS = new Set(['55P03', '40P01']) // lock_not_available (lock_timeout), deadlock_detected

/** Runs `f`, again after a backoff when a lock was not granted in time; then gives up with exit 3. */
async function withRetries<T>(
  s: Queryable,
  w: RangeWindow,
  step: MaintenanceStep,
  summary: string,
  o: { retries: number; retryDelayMs: number; lockTimeoutMs: number; done: number; serverVersion: number },
  f: () => Promise<T>,
): Promise<T & { attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await f()), attempts: attempt }
    } catch (e) {
      const code = (e as { code?: unknown }).code
      const lock = typeof code === 'string' && LOCK_ERRORS.has(code)
      const pending = step.kind === 'retire' && (await detachPending(s, o.serverVersion, step.schema, step.name).catch(() => false)) ? `${step.schema}.${step.name}` : undefined
      const state = pending
        ? `${pending} is left DETACH PENDING: the next run finishes the detach (ALTER TABLE … DETACH PARTITION … FINALIZE)`
        : 'the step was rolled back: nothing of it was done'
      const before = o.done ? `; the ${o.done} step${o.done === 1 ? '' : 's'} before it completed` : '; no step had run'
      if (!lock) {
        throw new CairnError('partition_maintenance_failed', `${summary} failed: ${(e as Error).message} (${state}${before})`, {
          hint: 'fix the cause and run cairn partitions maintain again: finished steps are not repeated',
          object: `${w.parentSchema}.${w.parent}`,
          cause: e,
        })
      }
      if (attempt > o.retries) {
        const holders = await lockHolders(s, w, step).catch(() => [])
        throw new CairnError(
          'lock_timeout',
          `${summary}: could not get its locks within lock_timeout ${o.lockTimeoutMs}ms in ${attempt} attempt${attempt === 1 ? '' : 's'}${holders.length ? `, held by ${holders.join('; ')}` : ''} (${state}${before})`,
          {
            hint: 'a long transaction holds a lock on the table: let it finish, end it, or raise --lock-timeout/--retries; the next run picks up where this one stopped',
            object: `${w.parentSchema}.${w.parent}`,
            meta: { attempts: attempt, stepsDone: o.done, ...(holders.length ? { holders } : {}) },
            cause: e,
          },
        )
      }
      await sleep(o.retryDelayMs * 2 ** (attempt - 1))
    }
  }
}

/** Sessions holding locks on the relations a step needs: `pid 123 (psql, idle in transaction): AccessExclusiveLock on audit.events`. */
async function lockHolders(s: Queryable, w: RangeWindow, step: MaintenanceStep): Promise<string[]> {
  const names = [qname(w.parentSchema, w.parent), qname(step.schema, step.kind === 'create' ? step.slot.name : step.name)]
  const rows = await s.query<{ pid: number; app: string | null; state: string | null; mode: string; rel: string }>(
    `SELECT l.pid, a.application_name AS app, a.state, l.mode, l.relation::regclass::text AS rel
       FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
      WHERE l.granted AND l.locktype = 'relation' AND l.pid <> pg_catalog.pg_backend_pid()
        AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
        AND (l.relation IN (SELECT pg_catalog.to_regclass(x) FROM unnest($1::text[]) x)
             OR l.relation IN (SELECT i.inhrelid FROM pg_catalog.pg_inherits i WHERE i.inhparent = pg_catalog.to_regclass($2)))
      ORDER BY l.pid, l.relation::regclass::text`,
    [names, names[0]],
  )
  return rows.map((r) => `pid ${r.pid}${r.app || r.state ? ` (${[r.app, r.state].filter(Boolean).join(', ')})` : ''}: ${r.mode} on ${r.rel}`)
}
