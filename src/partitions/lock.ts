/**
 * The maintenance lock: a session-level advisory lock on a key of its own (not the migration
 * lock: migrations and maintenance exclude each other through the table locks they take), so two
 * `cairn partitions maintain` runs against one database never interleave. The second waits up to
 * its limit, then stops naming the holder.
 */
import { createHash } from 'node:crypto'
import { CairnError, EXIT } from '../errors.js'
import type { Queryable } from '../db/database.js'
import { lockHolder, sleep } from '../migrate/lock.js'

/** The first 8 bytes of sha256('cairn partitions') as a signed 64-bit integer. */
export const MAINTENANCE_LOCK_KEY: bigint = createHash('sha256').update('cairn partitions').digest().readBigInt64BE(0)

/** Runs `fn` holding the maintenance lock on `session`; waits up to `waitMs` for another maintainer. */
export async function withMaintenanceLock<T>(session: Queryable, options: { waitMs: number; target: string }, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.waitMs
  for (;;) {
    const [row] = await session.query<{ ok: boolean }>('SELECT pg_catalog.pg_try_advisory_lock($1::bigint) AS ok', [MAINTENANCE_LOCK_KEY.toString()])
    if (row.ok) break
    if (Date.now() >= deadline) {
      const holder = (await lockHolder(session, MAINTENANCE_LOCK_KEY).catch(() => undefined))?.pid
      throw new CairnError('maintenance_running', `another cairn partitions maintain is running on ${options.target}${holder ? ` (pid ${holder})` : ''}: nothing was done`, {
        hint: 'it does the same work: let it finish (a cron job can simply run again next time), or raise --lock-wait',
        ...(holder ? { meta: { holder } } : {}),
      })
    }
    await sleep(Math.min(200, Math.max(1, deadline - Date.now())))
  }
  try {
    return await fn()
  } finally {
    await session.query('SELECT pg_catalog.pg_advisory_unlock($1::bigint)', [MAINTENANCE_LOCK_KEY.toString()]).catch(() => {})
  }
}
