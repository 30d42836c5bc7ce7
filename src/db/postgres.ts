import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyStream } from 'pg-copy-streams'
import { Kysely, PostgresDialect } from 'kysely'
import type { Database, Queryable, Session } from './database.js'
import { MIN_SERVER_VERSION } from './database.js'
import { CairnError } from '../errors.js'
import { connectionLost, isConnectionError } from './connection-lost.js'
import { redactSecrets } from './redact.js'

/** The `application_name` of cairn's connections unless the URL or PGAPPNAME names another. */
export const DEFAULT_APPLICATION_NAME = 'cairn'

/** How long opening a connection may take unless the URL's `connect_timeout` (seconds) says otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

export interface OpenPostgresOptions {
  readonly poolSize?: number
  /** Shown in pg_stat_activity; the URL's `application_name` wins (default `cairn`). */
  readonly applicationName?: string
  /** Connect timeout when the URL has no `connect_timeout` (default 10 s; 0 waits for ever). */
  readonly connectTimeoutMs?: number
}

/**
 * Opens a PostgreSQL server through a `pg` pool and checks that it answers and is new enough.
 *
 * Every connection is named (`application_name`), gives up connecting after the connect timeout,
 * and has an 'error' listener from birth: a connection the server ends (pg_terminate_backend, a
 * restart) never becomes an unhandled 'error' event. The next query on it rejects with the
 * CairnError `connection_lost` (exit 3); queries on the pool simply use a new connection.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<Database> {
  const target = redactSecrets(url)
  const connectTimeoutMs = connectTimeoutOf(url) ?? options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  // The pool's own connectionTimeoutMillis would also bound the wait for a free pooled connection;
  // the timeout belongs to opening a connection only, so it is set on the client.
  class CairnClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs })
      // a dead connection shows up as the failure of the next query on it, never as an event
      this.on('error', () => {})
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    application_name: options.applicationName ?? (process.env.PGAPPNAME || DEFAULT_APPLICATION_NAME),
    Client: CairnClient as unknown as new () => pg.ClientBase,
  })
  pool.on('error', () => {})
  let serverVersion: number
  try {
    const r = await pool.query<{ v: string }>(`select current_setting('server_version_num') as v`)
    serverVersion = Number(r.rows[0].v)
  } catch (e) {
    await pool.end().catch(() => {})
    throw unreachable(url, e, connectTimeoutMs)
  }
  if (serverVersion < MIN_SERVER_VERSION) {
    await pool.end()
    throw new CairnError('server_too_old', `${target} runs PostgreSQL ${serverVersion}; cairn needs 13 or newer`, {
      hint: 'upgrade the server or point --url at a newer one',
    })
  }
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  /** Runs one driver call; a lost connection becomes `connection_lost`, other errors pass as they are. */
  const guard = async <T>(during: 'query' | 'copy' | 'commit', call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (e) {
      throw isConnectionError(e) ? connectionLost(e, target, during) : e
    }
  }
  const asQueryable = (c: pg.Pool | pg.PoolClient): Queryable => ({
    query: (sql, params) => guard('query', async () => (await c.query(sql, params as unknown[] | undefined)).rows),
    exec: (sql) =>
      guard('query', async () => {
        await c.query(sql)
      }),
    copyFrom: (sql, data) =>
      guard('copy', async () => {
        const copy = async (client: pg.PoolClient): Promise<number> => {
          const stream = client.query(copyStream(sql))
          await pipeline(Readable.from(Array.isArray(data) ? data : [data]), stream)
          return stream.rowCount
        }
        if (c instanceof pg.Pool) return withClient(copy)
        return copy(c as pg.PoolClient)
      }),
  })
  const inTransaction = async <T>(client: pg.PoolClient, fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    await guard('query', () => client.query('BEGIN'))
    try {
      const out = await fn(asQueryable(client))
      await guard('commit', () => client.query('COMMIT'))
      return out
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    }
  }
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await guard('query', () => pool.connect())
    let failure: unknown
    try {
      return await fn(client)
    } catch (e) {
      failure = e
      throw e
    } finally {
      // a connection that was lost goes, it does not return to the pool
      client.release(isConnectionError(failure) ? (failure as Error) : undefined)
    }
  }
  return {
    engine: 'postgres',
    target,
    serverVersion,
    kysely,
    ...asQueryable(pool),
    transaction: (fn) => withClient((c) => inTransaction(c, fn)),
    session: (fn) =>
      withClient((c) => {
        const s: Session = { ...asQueryable(c), transaction: (f) => inTransaction(c, f) }
        return fn(s)
      }),
    async close() {
      await kysely.destroy().catch(() => {})
      // Kysely ends the pool only if it ever used it; an idle pool would keep the process alive
      if (!pool.ended) await pool.end().catch(() => {})
    },
  }
}

/** The URL's `connect_timeout` (seconds, as libpq reads it) in milliseconds; 0 means no limit. */
function connectTimeoutOf(url: string): number | undefined {
  let raw: string | null = null
  try {
    raw = new URL(url).searchParams.get('connect_timeout')
  } catch {
    return undefined
  }
  if (raw === null || raw.trim() === '') return undefined
  const seconds = Number(raw)
  if (!Number.isFinite(seconds)) return undefined
  return seconds <= 0 ? 0 : Math.round(seconds * 1000)
}

function unreachable(url: string, e: unknown, connectTimeoutMs: number): CairnError {
  if ((e as { code?: unknown })?.code === 'ERR_INVALID_URL') {
    return new CairnError('bad_url', `invalid database URL "${redactSecrets(url)}"`, {
      hint: 'check the port and percent-encode special characters of the user name and password (@ → %40, : → %3A, / → %2F, space → %20)',
      cause: e,
    })
  }
  let host = '?'
  let port = '5432'
  let database = '?'
  try {
    const u = new URL(url)
    host = u.hostname || 'localhost'
    port = u.port || '5432'
    database = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)'
  } catch {
    /* not a URL: pg parsed it as a keyword string */
  }
  const message = e instanceof Error ? e.message : String(e)
  const timedOut = connectTimeoutMs > 0 && /timeout|timed out/i.test(message)
  const reason = timedOut
    ? `no answer within ${connectTimeoutMs / 1000} s (connect_timeout)`
    : redactSecrets(message || (e as { code?: string })?.code || 'connection failed')
  return new CairnError(
    'db_unreachable',
    `cannot connect to PostgreSQL at ${host}:${port}, database "${database}": ${reason}`,
    {
      hint:
        'check that the server is running and accepts TCP connections (pg_isready -h ' +
        `${host} -p ${port}), that the database exists, and that --url / DATABASE_URL is right; ` +
        (timedOut ? 'a slow network may need a longer ?connect_timeout=<seconds> in the URL; ' : '') +
        'or use the embedded database with --url pglite:memory',
      meta: { host, port, database, ...(timedOut ? { connectTimeoutMs } : {}) },
      cause: e,
    },
  )
}
