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
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

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

describe.skipIf(!url)(orSkipped('a lost server connection', !url, NEEDS_DATABASE_URL), () => {
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

describe.skipIf(!url)(orSkipped('cairn connections on the server', !url, NEEDS_DATABASE_URL), () => {
  let t: TestDatabase

  beforeAll(async () => {
    t = await postgresEngine(url!).open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  const appNameOf = (pid: number) =>
    admin(async (c) => (await c.query<{ a: string }>('select application_name as a from pg_stat_activity where pid = $1', [pid])).rows[0]?.a)

  it('are named "cairn" in pg_stat_activity: pooled queries, sessions and COPY connections', async () => {
    const db = await openPostgres(t.url)
    try {
      const [{ pid }] = await db.query<{ pid: number }>('select pg_backend_pid() as pid')
      expect(await appNameOf(pid)).toBe('cairn')
      await db.session(async (s) => {
        const [{ pid: sp }] = await s.query<{ pid: number }>('select pg_backend_pid() as pid')
        expect(await appNameOf(sp)).toBe('cairn')
      })
      await db.exec('create table if not exists copied (pid int, app text)')
      await db.transaction(async (tx) => {
        await tx.copyFrom!('copy copied (pid) from stdin', '1\n')
        await tx.query(`update copied set pid = pg_backend_pid(), app = current_setting('application_name')`)
      })
      expect(await db.query('select app from copied')).toEqual([{ app: 'cairn' }])
    } finally {
      await db.close()
    }
  })

  it('keep the application_name the URL gives', async () => {
    const u = new URL(t.url)
    u.searchParams.set('application_name', 'nightly-deploy')
    const db = await openPostgres(u.toString())
    try {
      expect(await db.query(`select current_setting('application_name') as a`)).toEqual([{ a: 'nightly-deploy' }])
    } finally {
      await db.close()
    }
  })
})

describe('connecting to a server that does not answer', () => {
  let server: net.Server
  let port: number
  const sockets: net.Socket[] = []

  beforeAll(async () => {
    // accepts TCP connections and never says a word, like a firewalled or hung server
    server = net.createServer((s) => void sockets.push(s))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  })

  it('gives up after the URL connect_timeout with db_unreachable (exit 3) and says why', async () => {
    const started = Date.now()
    const e = await rejection(openPostgres(`postgres://app:s3cret@127.0.0.1:${port}/prod?connect_timeout=1`))
    expect(Date.now() - started).toBeLessThan(5000)
    expect(e.code).toBe('db_unreachable')
    expect(e.exitCode).toBe(3)
    expect(e.message).toBe(`cannot connect to PostgreSQL at 127.0.0.1:${port}, database "prod": no answer within 1 s (connect_timeout)`)
    expect(e.hint).toMatch(/connect_timeout/)
  })

  it('has a default connect timeout (10 s), overridable by the caller', async () => {
    const started = Date.now()
    const e = await rejection(openPostgres(`postgres://app@127.0.0.1:${port}/prod`, { connectTimeoutMs: 500 }))
    expect(Date.now() - started).toBeLessThan(4000)
    expect(e.code).toBe('db_unreachable')
    const { DEFAULT_CONNECT_TIMEOUT_MS } = await import('../../src/db/postgres.js')
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(10_000)
  })

  it('a CLI command fails fast with exit 3 and a clear message', async () => {
    const { run } = await import('../../src/cli/program.js')
    const { capturedContext } = await import('../helpers/cli-context.js')
    const ctx = capturedContext(process.cwd())
    const started = Date.now()
    const code = await run(['node', 'cairn', 'migrate', 'status', '--url', `postgres://app:s3cret@127.0.0.1:${port}/prod?connect_timeout=1`], ctx)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(code).toBe(3)
    expect(ctx.err).toContain(`[db_unreachable] cannot connect to PostgreSQL at 127.0.0.1:${port}, database "prod": no answer within 1 s`)
    expect(ctx.err).not.toContain('s3cret')
  })
})
