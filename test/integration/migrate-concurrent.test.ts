/**
 * Two runners on two connections (two Database instances) against the same server database: the
 * advisory lock makes one wait, nothing is applied twice. Server only: PGlite has one connection.
 */
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { openPostgres } from '../../src/db/postgres.js'
import type { Database } from '../../src/db/database.js'
import { migrateUp } from '../../src/migrate/index.js'
import type { MigrateEvent } from '../../src/migrate/index.js'
import { historyNames, publicTables, resetDb, tempDir, writeAll } from '../unit/migrate/fixtures.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const url = process.env.DATABASE_URL

describe.skipIf(!url)(orSkipped('two concurrent migrate up runners on the server', !url, NEEDS_DATABASE_URL), () => {
  let t: TestDatabase
  let other: Database
  let tmp: ReturnType<typeof tempDir>
  let dir: string

  beforeAll(async () => {
    t = await postgresEngine(url!).open()
    other = await openPostgres(t.url)
  })
  afterAll(async () => {
    await other?.close()
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetDb(t.db)
    tmp = tempDir()
    dir = path.join(tmp.dir, 'migrations')
  })
  afterEach(() => tmp.cleanup())

  const slow = [
    { name: 'one', up: 'CREATE TABLE one (id int PRIMARY KEY);\nSELECT pg_sleep(0.4);\n' },
    // not idempotent: a second application would fail on the duplicate key
    { name: 'two', up: 'CREATE TABLE two (id int PRIMARY KEY);\nINSERT INTO two VALUES (1);\nSELECT pg_sleep(0.4);\n' },
    { name: 'three', up: 'INSERT INTO two VALUES (2);\n' },
  ]

  it('one waits for the other; every migration is applied exactly once', async () => {
    const names = await writeAll(dir, slow)
    const a: MigrateEvent[] = []
    const b: MigrateEvent[] = []
    const first = migrateUp(t.db, { dir, onEvent: (e) => a.push(e) })
    // start the second only once the first holds the lock (a fixed delay races on a loaded machine)
    while (!a.some((e) => e.event === 'migrating')) await new Promise((r) => setTimeout(r, 10))
    const second = migrateUp(other, { dir, onEvent: (e) => b.push(e) })
    const [r1, r2] = await Promise.all([first, second])
    expect(r1.results.map((x) => [x.name, x.status])).toEqual(names.map((n) => [n, 'success']))
    expect(r2.results).toEqual([])
    const waiting = b.find((e) => e.event === 'lock_waiting')
    expect(waiting).toBeDefined()
    expect(waiting!.holder?.pid).toEqual(expect.any(Number))
    expect(b.some((e) => e.event === 'lock_acquired')).toBe(true)
    expect(b.some((e) => e.event === 'migrating')).toBe(false)
    expect(await historyNames(t.db)).toEqual(names)
    const rows = await t.db.query<{ n: number }>('select count(*)::int as n from cairn.schema_migrations group by name having count(*) > 1')
    expect(rows).toEqual([])
    expect(await t.db.query('select id from two order by id')).toEqual([{ id: 1 }, { id: 2 }])
    expect(await publicTables(t.db)).toEqual(['one', 'two'])
    // the lock is released
    const locks = await t.db.query(
      `select 1 from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`,
    )
    expect(locks).toEqual([])
  })

  it('the second runner gives up after --lock-timeout and names the holder', async () => {
    await writeAll(dir, slow.slice(0, 1))
    const events: MigrateEvent[] = []
    const first = migrateUp(t.db, { dir, onEvent: (e) => events.push(e) })
    while (!events.some((e) => e.event === 'migrating')) await new Promise((r) => setTimeout(r, 10))
    const err = await migrateUp(other, { dir, lockTimeoutMs: 150 }).catch((e) => e)
    expect(err.code).toBe('lock_timeout')
    expect(err.exitCode).toBe(3)
    expect(err.message).toMatch(/another cairn is migrating .* held by pid \d+/)
    expect(err.meta.holder).toMatchObject({ pid: expect.any(Number), applicationName: 'cairn' })
    expect(err.hint).toContain('pg_terminate_backend')
    await first
    expect(await publicTables(t.db)).toEqual(['one'])
  })

  it('a migration blocked by another session fails on its lock_timeout with a clear hint', async () => {
    await t.db.exec('CREATE TABLE busy (id int)')
    const names = await writeAll(dir, [{ name: 'alter_busy', up: "SET lock_timeout = '200ms';\nALTER TABLE busy ADD COLUMN x int;\n" }])
    const err = await other.session(async (s) => {
      await s.exec('BEGIN')
      await s.exec('LOCK TABLE busy IN ACCESS SHARE MODE')
      try {
        return await migrateUp(t.db, { dir }).catch((e) => e)
      } finally {
        await s.exec('ROLLBACK')
      }
    })
    expect(err.code).toBe('migration_failed')
    expect(err.meta.postgres.code).toBe('55P03')
    expect(err.meta.statement.index).toBe(2)
    expect(err.hint).toContain('lock_timeout')
    expect(await historyNames(t.db)).toEqual([])
    expect((await migrateUp(t.db, { dir })).results.map((r) => r.name)).toEqual(names)
  })
})
