/**
 * The migration lock: a session-level PostgreSQL advisory lock on one fixed key, held on the
 * runner's dedicated connection for the whole command, so two cairn runners against the same
 * database never interleave. The second polls until its timeout, then fails and names the holder.
 * Inside one process the same Database is also serialised (PGlite has a single session, on which
 * advisory locks are re-entrant and would not exclude a second runner).
 */
import { createHash } from 'node:crypto'
import { CairnError } from '../errors.js'
import type { Database, Queryable, Session } from '../db/database.js'

/** The advisory lock key: the first 8 bytes of sha256('cairn') as a signed 64-bit integer. */
export const MIGRATION_LOCK_KEY: bigint = createHash('sha256').update('cairn').digest().readBigInt64BE(0)

/** Default wait for the lock before giving up. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000

const POLL_MS = 100

const inProcess = new WeakMap<object, Promise<void>>()

export interface LockOptions {
  /** How long to wait for another runner; 0 fails at once. */
  readonly timeoutMs?: number
  /** Called once when the lock is busy and the runner starts waiting. */
  readonly onWait?: (holder: LockHolder | undefined) => void
  /** Where the database is, for the message. */
  readonly target?: string
}

/** Who holds the migration lock, from pg_locks and pg_stat_activity. */
export interface LockHolder {
  readonly pid: number
  readonly applicationName?: string
  readonly user?: string
  readonly clientAddr?: string
  readonly since?: string
}

/**
 * Runs `fn` while holding the migration lock on `session` (which must stay the same connection for
 * the whole call). `owner` identifies the database object for the in-process lock.
 */
export async function withMigrationLock<T>(owner: object, session: Queryable, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  let waited = false
  const noteWait = async () => {
    if (waited) return
    waited = true
    options.onWait?.(await lockHolder(session).catch(() => undefined))
  }
  // in-process queue first: a second runner on the same Database waits for the first
  const previous = inProcess.get(owner)
  let release!: () => void
  const mine = new Promise<void>((r) => (release = r))
  const chained = (previous ?? Promise.resolve()).then(() => mine)
  inProcess.set(owner, chained)
  // once `previous` settled, `chained` settles with our release: only then may the entry go
  let queueDone = !previous
  try {
    if (previous) {
      await noteWait()
      const ok = await within(previous, Math.max(0, deadline - Date.now()))
      if (!ok) throw await timeoutError(session, timeoutMs, options.target)
      queueDone = true
    }
    for (;;) {
      const [row] = await session.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [MIGRATION_LOCK_KEY.toString()])
      if (row.ok) break
      await noteWait()
      if (Date.now() >= deadline) throw await timeoutError(session, timeoutMs, options.target)
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())))
    }
    try {
      return await fn()
    } finally {
      await session.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]).catch(() => {})
    }
  } finally {
    release()
    if (queueDone && inProcess.get(owner) === chained) inProcess.delete(owner)
  }
}

/**
 * The session holding the migration lock of this database, if any and visible. Advisory locks are
 * per database: the same key held in another database of the server is another project's runner,
 * never the one to wait for or to terminate.
 */
export async function lockHolder(q: Queryable, lockKey: bigint = MIGRATION_LOCK_KEY): Promise<LockHolder | undefined> {
  const key = BigInt.asUintN(64, lockKey)
  const classid = (key >> 32n).toString()
  const objid = (key & 0xffffffffn).toString()
  const rows = await q.query<{ pid: number; application_name: string | null; usename: string | null; client_addr: string | null; since: string | null }>(
    `select l.pid, a.application_name, a.usename::text as usename, a.client_addr::text as client_addr,
            to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since
       from pg_catalog.pg_locks l
       left join pg_catalog.pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_catalog.pg_database where datname = pg_catalog.current_database())
        and l.classid::text = $1 and l.objid::text = $2 and l.pid <> pg_backend_pid()
      limit 1`,
    [classid, objid],
  )
  const r = rows[0]
  if (!r) return undefined
  return {
    pid: Number(r.pid),
    ...(r.application_name ? { applicationName: r.application_name } : {}),
    ...(r.usename ? { user: r.usename } : {}),
    ...(r.client_addr ? { clientAddr: r.client_addr } : {}),
    ...(r.since ? { since: r.since } : {}),
  }
}

async function timeoutError(q: Queryable, timeoutMs: number, target?: string): Promise<CairnError> {
  const holder = await lockHolder(q).catch(() => undefined)
  const who = holder
    ? `pid ${holder.pid}${holder.applicationName ? `, application "${holder.applicationName}"` : ''}${holder.user ? `, user ${holder.user}` : ''}${holder.clientAddr ? ` from ${holder.clientAddr}` : ''}${holder.since ? `, connected since ${holder.since}` : ''}`
    : 'a runner in this process'
  return new CairnError(
    'lock_timeout',
    `another cairn is migrating ${target ?? 'this database'}: gave up after ${formatMs(timeoutMs)} waiting for the migration lock held by ${who}`,
    {
      hint:
        'wait for the other run to finish and try again, or raise --lock-timeout; a lock whose process died is released when its connection closes' +
        (holder ? ` (SELECT pg_terminate_backend(${holder.pid}) ends it)` : ''),
      meta: { ...(holder ? { holder } : {}), timeoutMs },
    },
  )
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}

/** True when `p` settles within `ms`; the timer never outlives the wait. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms)
    void p.then(() => {
      clearTimeout(t)
      resolve(true)
    })
  })
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Lock events reported to a caller while it waits for the migration lock. */
export interface LockEvent {
  readonly event: 'lock_waiting' | 'lock_acquired'
  readonly holder?: LockHolder
  readonly durationMs?: number
}

/**
 * Opens a dedicated session, takes the migration lock on it (reporting a wait through `onEvent`),
 * names the session so a waiting runner can say who holds the lock, runs `fn`, and resets the
 * session's settings so a `SET` in a migration or seed never outlives the command.
 */
export async function withLockedSession<T>(
  db: Database,
  options: { readonly lockTimeoutMs?: number; readonly onEvent?: (e: LockEvent) => void },
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  return db.session(async (session) => {
    const waitStart = performance.now()
    let waited = false
    return withMigrationLock(
      db,
      session,
      {
        timeoutMs: options.lockTimeoutMs,
        target: db.target,
        onWait: (holder) => {
          waited = true
          options.onEvent?.({ event: 'lock_waiting', ...(holder ? { holder } : {}) })
        },
      },
      async () => {
        if (waited) options.onEvent?.({ event: 'lock_acquired', durationMs: Math.round(performance.now() - waitStart) })
        try {
          await session.query(`select set_config('application_name', 'cairn', false) where current_setting('application_name') = ''`)
          return await fn(session)
        } finally {
          await session.exec('RESET ALL').catch(() => {})
        }
      },
    )
  })
}
