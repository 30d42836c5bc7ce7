/**
 * The holder named by a waiting runner is a session of THIS database: the same advisory key held in
 * another database of the server is someone else's runner (and not the pid to terminate).
 * Server only (DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { MIGRATION_LOCK_KEY, lockHolder, withMigrationLock } from '../../src/migrate/lock.js'
import type { Session } from '../../src/db/database.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const url = process.env.DATABASE_URL

/** Holds the migration lock on a session of `t` until the returned function is called. */
async function holdLock(t: TestDatabase): Promise<{ pid: number; release: () => Promise<void> }> {
  let pid!: number
  let release!: () => void
  let ready!: () => void
  const isReady = new Promise<void>((r) => (ready = r))
  const done = t.db.session(async (s: Session) => {
    ;[{ pid }] = await s.query<{ pid: number }>('select pg_backend_pid() as pid')
    await s.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()])
    ready()
    await new Promise<void>((r) => (release = r))
    await s.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY.toString()])
  })
  await isReady
  return { pid, release: async () => (release(), await done) }
}

describe.skipIf(!url)(orSkipped('the migration lock holder', !url, NEEDS_DATABASE_URL), () => {
  let mine: TestDatabase
  let other: TestDatabase

  beforeAll(async () => {
    mine = await postgresEngine(url!).open()
    other = await postgresEngine(url!).open()
  })
  afterAll(async () => {
    await mine?.dispose()
    await other?.dispose()
  })

  it('is not a session holding the same key in another database', async () => {
    const elsewhere = await holdLock(other)
    try {
      expect(await lockHolder(mine.db)).toBeUndefined()
      // and the lock of this database is free: a runner here goes straight in
      expect(await withMigrationLock({}, mine.db, { timeoutMs: 0 }, async () => 'ran')).toBe('ran')
    } finally {
      await elsewhere.release()
    }
  })

  it('is the session of this database when both hold it, and the timeout hint names that pid', async () => {
    const elsewhere = await holdLock(other)
    const here = await holdLock(mine)
    try {
      for (let i = 0; i < 5; i++) expect((await lockHolder(mine.db))?.pid).toBe(here.pid)
      const e = await mine.db
        .session((s) => withMigrationLock({}, s, { timeoutMs: 100, target: mine.db.target }, async () => 'ran'))
        .catch((err: { message: string; hint: string; meta: { holder?: { pid: number; applicationName?: string } } }) => err)
      expect(typeof e).toBe('object')
      const err = e as { message: string; hint: string; meta: { holder?: { pid: number; applicationName?: string } } }
      expect(err.meta.holder?.pid).toBe(here.pid)
      expect(err.hint).toContain(`pg_terminate_backend(${here.pid})`)
      expect(err.hint).not.toContain(String(elsewhere.pid))
      // cairn's connections are named, so the holder says who it is
      expect(err.meta.holder?.applicationName).toBe('cairn')
      expect(err.message).toContain('application "cairn"')
    } finally {
      await here.release()
      await elsewhere.release()
    }
  })
})
