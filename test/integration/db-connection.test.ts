/**
 * The connection layer over a real server: a connection the server ends (pg_terminate_backend)
 * never becomes an unhandled 'error' event, and the next query on a held session rejects with the
 * CairnError `connection_lost` (exit 3). Connections are named and give up connecting in time.
 * Server only (DATABASE_URL).
 */
import net from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { openPostgres } from '../../src/db/postgres.js'
import { isConnectionError } from '../../src/db/connection-lost.js'
import { isCairnError } from '../../src/errors.js'
import type { CairnError } from '../../src/errors.js'

const url = process.env.DATABASE_URL

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

const terminate = (pid: number) => admin((c) => c.query('select pg_terminate_backend($1)', [pid]))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until a backend of this database runs a query matching `like`, and returns its pid. */
async function pidRunning(database: string, like: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const r = await admin((c) =>
      c.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and state = 'active' and query like $2`, [database, like]),
    )
    if (r.rows[0]) return r.rows[0].pid
    await sleep(50)
  }
  throw new Error(`no backend runs ${like}`)
}

async function rejection(p: Promise<unknown>): Promise<CairnError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e, 'expected a rejection').toBeDefined()
  return e as CairnError
}

describe.skipIf(!url)('a lost server connection', () => {
  let t: TestDatabase
  let database: string

  beforeAll(async () => {
    t = await postgresEngine(url!).open()
    database = new URL(t.url).pathname.slice(1)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('a session terminated between queries: no unhandled error, the next query rejects with connection_lost', async () => {
    const db = await openPostgres(t.url)
    try {
      await db.session(async (s) => {
        const [{ pid }] = await s.query<{ pid: number }>('select pg_backend_pid() as pid')
        await terminate(pid)
        // the server's goodbye reaches the idle, checked-out client: it must not crash the process
        await sleep(300)
        const e = await rejection(s.query('select 1'))
        expect(isCairnError(e)).toBe(true)
        expect(e.code).toBe('connection_lost')
        expect(e.exitCode).toBe(3)
        expect(e.message).toContain(db.target)
        expect(e.hint).toMatch(/pg_terminate_backend/)
        expect(isConnectionError(e)).toBe(true)
      })
      // the pool gives a fresh connection afterwards
      expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }])
    } finally {
      await db.close()
    }
  })

  it('a query running when the backend is terminated rejects with connection_lost', async () => {
    const db = await openPostgres(t.url)
    try {
      const e = await db.session(async (s) => {
        const running = rejection(s.query('select pg_sleep(30) as running_query_1'))
        await terminate(await pidRunning(database, '%running_query_1%'))
        return running
      })
      expect(e.code).toBe('connection_lost')
      expect(e.exitCode).toBe(3)
    } finally {
      await db.close()
    }
  })

  it('inside a transaction, the transaction rejects with connection_lost and the Database stays usable', async () => {
    const db = await openPostgres(t.url)
    try {
      const e = await rejection(
        db.transaction(async (tx) => {
          const [{ pid }] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid')
          await terminate(pid)
          await sleep(200)
          await tx.query('select 1')
        }),
      )
      expect(e.code).toBe('connection_lost')
      expect(await db.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }])
    } finally {
      await db.close()
    }
  })

  it('a connection held by Kysely and terminated mid-query does not emit an unhandled error', async () => {
    const db = await openPostgres(t.url)
    try {
      const running = db.kysely.executeQuery({ sql: 'select pg_sleep(30) as kysely_query_1', parameters: [], query: { kind: 'RawNode' } } as never).then(
        () => undefined,
        (err: unknown) => err,
      )
      await terminate(await pidRunning(database, '%kysely_query_1%'))
      const e = await running
      expect(isConnectionError(e)).toBe(true)
      await sleep(200)
    } finally {
      await db.close()
    }
  })

  it('an idle pooled connection terminated is replaced: the next query works', async () => {
    const db = await openPostgres(t.url, { poolSize: 1 })
    try {
      const [{ pid }] = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
      await terminate(pid)
      await sleep(300)
      const [{ pid: next }] = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
      expect(next).not.toBe(pid)
    } finally {
      await db.close()
    }
  })
})
