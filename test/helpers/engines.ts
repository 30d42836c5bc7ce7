/**
 * Test engines: embedded PGlite always, and the PostgreSQL server when DATABASE_URL is set.
 * Each server test file gets its own throwaway database, dropped when the file ends. Embedded ones
 * are copies of the initialised template cluster (as the shadow database is): an in-memory PGlite
 * runs initdb every time it opens, several times the cost of copying.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Database } from '../../src/db/database.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import { openPostgres } from '../../src/db/postgres.js'

export interface TestEngine {
  readonly name: 'pglite' | 'postgres'
  /** Opens a fresh, empty database on this engine. */
  open(): Promise<TestDatabase>
}

export interface TestDatabase {
  readonly db: Database
  /** A URL that reaches the same database (for CLI tests); `pglite:` dir for embedded. */
  readonly url: string
  /** Closes the connection and drops the database. */
  dispose(): Promise<void>
}

/** Engines to run database tests on: `CAIRN_TEST_ENGINES=pglite` narrows the list. */
export function testEngines(): TestEngine[] {
  const only = process.env.CAIRN_TEST_ENGINES?.split(',')
  const engines: TestEngine[] = [pgliteEngine]
  if (process.env.DATABASE_URL) engines.push(postgresEngine(process.env.DATABASE_URL))
  return only ? engines.filter((e) => only.includes(e.name)) : engines
}

const pgliteEngine: TestEngine = {
  name: 'pglite',
  async open() {
    const db = await openScratchPglite()
    return { db, url: 'pglite:memory', dispose: () => db.close() }
  },
}

/** Creates `cairn_t_<random>` on the server behind `adminUrl` and opens it. */
export function postgresEngine(adminUrl: string): TestEngine {
  return {
    name: 'postgres',
    async open() {
      const name = `cairn_t_${randomBytes(5).toString('hex')}`
      const admin = new pg.Client({ connectionString: adminUrl })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      const u = new URL(adminUrl)
      u.pathname = `/${name}`
      const url = u.toString()
      const db = await openPostgres(url)
      return {
        db,
        url,
        async dispose() {
          await db.close()
          const c = new pg.Client({ connectionString: adminUrl })
          await c.connect()
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
          await c.end()
        },
      }
    },
  }
}
