import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openScratchPglite } from '../../../src/db/scratch.js'
import type { Database } from '../../../src/db/database.js'
import { MIGRATION_LOCK_KEY, withMigrationLock } from '../../../src/migrate/lock.js'

describe('migration lock in one process (PGlite, one session)', () => {
  let db: Database
  beforeAll(async () => {
    db = await openScratchPglite()
  })
  afterAll(async () => {
    await db.close()
  })

  it('uses a fixed key derived from "cairn"', () => {
    expect(MIGRATION_LOCK_KEY).toBe(5375338253063619325n)
  })

  it('makes a second runner wait for the first, and holds the advisory lock meanwhile', async () => {
    const log: string[] = []
    const hold = (tag: string) =>
      withMigrationLock(db, db, { onWait: () => log.push(`${tag} waits`) }, async () => {
        log.push(`${tag} in`)
        const rows = await db.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted`)
        expect(rows[0].n).toBeGreaterThan(0)
        await db.query('select pg_sleep(0.1)')
        log.push(`${tag} out`)
      })
    await Promise.all([hold('A'), hold('B')])
    expect(log).toEqual(['A in', 'B waits', 'A out', 'B in', 'B out'])
    const rows = await db.query<{ n: number }>(`select count(*)::int as n from pg_locks where locktype = 'advisory'`)
    expect(rows[0].n).toBe(0)
  })

  it('gives up after the timeout with lock_timeout', async () => {
    let release!: () => void
    const first = withMigrationLock(db, db, {}, () => new Promise<void>((r) => (release = r)))
    const err = await withMigrationLock(db, db, { timeoutMs: 50, target: 'pglite:memory' }, async () => 'ran').catch((e) => e)
    expect(err.code).toBe('lock_timeout')
    expect(err.message).toContain('another cairn is migrating pglite:memory')
    expect(err.exitCode).toBe(3)
    // the timed-out waiter must not let a third runner in while the first still holds the lock
    const third = await withMigrationLock(db, db, { timeoutMs: 50 }, async () => 'ran').catch((e) => e.code)
    expect(third).toBe('lock_timeout')
    release()
    await first
    expect(await withMigrationLock(db, db, { timeoutMs: 50 }, async () => 'ran')).toBe('ran')
  })
})
