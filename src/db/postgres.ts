import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyStream } from 'pg-copy-streams'
import { Kysely, PostgresDialect } from 'kysely'
import type { Database, Queryable, Session } from './database.js'
import { MIN_SERVER_VERSION } from './database.js'
import { CairnError } from '../errors.js'

/** Opens a PostgreSQL server through a `pg` pool and checks that it answers and is new enough. */
export async function openPostgres(url: string, options: { poolSize?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 })
  pool.on('error', () => {})
  const target = redactUrl(url)
  let serverVersion: number
  try {
    const r = await pool.query<{ v: string }>(`select current_setting('server_version_num') as v`)
    serverVersion = Number(r.rows[0].v)
  } catch (e) {
    await pool.end().catch(() => {})
    throw unreachable(url, e)
  }
  if (serverVersion < MIN_SERVER_VERSION) {
    await pool.end()
    throw new CairnError('server_too_old', `${target} runs PostgreSQL ${serverVersion}; cairn needs 13 or newer`, {
      hint: 'upgrade the server or point --url at a newer one',
      exitCode: 3,
    })
  }
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) })
  const asQueryable = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query(sql, params) {
      const r = await c.query(sql, params as unknown[] | undefined)
      return r.rows
    },
    async exec(sql) {
      await c.query(sql)
    },
    async copyFrom(sql, data) {
      const copy = async (client: pg.PoolClient): Promise<number> => {
        const stream = client.query(copyStream(sql))
        await pipeline(Readable.from(Array.isArray(data) ? data : [data]), stream)
        return stream.rowCount
      }
      if (c instanceof pg.Pool) {
        const client = await c.connect()
        try {
          return await copy(client)
        } finally {
          client.release()
        }
      }
      return copy(c as pg.PoolClient)
    },
  })
  const inTransaction = async <T>(client: pg.PoolClient, fn: (tx: Queryable) => Promise<T>): Promise<T> => {
    await client.query('BEGIN')
    try {
      const out = await fn(asQueryable(client))
      await client.query('COMMIT')
      return out
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    }
  }
  const withClient = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    try {
      return await fn(client)
    } finally {
      client.release()
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

/** Removes the password from a connection URL so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@')
  }
}

function unreachable(url: string, e: unknown): CairnError {
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
  const reason = e instanceof Error ? e.message : String(e)
  return new CairnError(
    'db_unreachable',
    `cannot connect to PostgreSQL at ${host}:${port}, database "${database}": ${reason}`,
    {
      hint:
        'check that the server is running and accepts TCP connections (pg_isready -h ' +
        `${host} -p ${port}), that the database exists, and that --url / DATABASE_URL is right; ` +
        'or use the embedded database with --url pglite:memory',
      exitCode: 3,
      meta: { host, port, database },
      cause: e,
    },
  )
}
