/**
 * Purging recorded rejects. `cairn.backfill_rejects` keeps every rejected document whole (the
 * audit trail of what was not loaded, and why): with user data that is personal data, password
 * hashes included, so it is deleted once it has served, by job and by age.
 */
import type { Queryable } from '../db/database.js'
import { hasBookkeeping } from './checkpoint.js'

/** Which rejects to purge: all, one job's, those recorded before a moment, or both. */
export interface RejectFilter {
  readonly job?: string
  /** Only rejects recorded strictly before this moment. */
  readonly before?: Date
}

const WHERE = `($1::text IS NULL OR job = $1) AND ($2::timestamptz IS NULL OR at < $2::timestamptz)`
const params = (f: RejectFilter) => [f.job ?? null, f.before ? f.before.toISOString() : null]

/** How many recorded rejects `filter` matches (0 when no backfill ever ran here). */
export async function countRejectsMatching(q: Queryable, filter: RejectFilter = {}): Promise<number> {
  if (!(await hasBookkeeping(q))) return 0
  const r = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM cairn.backfill_rejects WHERE ${WHERE}`, params(filter))
  return Number(r[0]!.n)
}

/**
 * Deletes the recorded rejects `filter` matches and returns how many. Checkpoints keep their
 * counts, so `backfill verify` of the job then finds the purged documents unaccounted for.
 */
export async function purgeRejects(q: Queryable, filter: RejectFilter = {}): Promise<number> {
  if (!(await hasBookkeeping(q))) return 0
  const r = await q.query<{ n: string }>(
    `WITH gone AS (DELETE FROM cairn.backfill_rejects WHERE ${WHERE} RETURNING 1) SELECT count(*)::text AS n FROM gone`,
    params(filter),
  )
  return Number(r[0]!.n)
}

/**
 * Parses `--before`: an ISO 8601 date (`2026-01-31`, midnight UTC) or date and time
 * (`2026-01-31T12:00:00Z`, `2026-01-31 12:00+02:00`); undefined when it is neither.
 */
export function parseBefore(text: string): Date | undefined {
  const t = text.trim()
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i.test(t)) return undefined
  // no rolling over: 2026-02-30 is not 2 March
  const day = t.slice(0, 10)
  if (new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) return undefined
  // a date and time without an offset is read as UTC, like a bare date
  const iso = t.replace(' ', 'T')
  const d = new Date(/T.*(Z|[+-]\d{2}:\d{2})$/i.test(iso) || !iso.includes('T') ? iso : `${iso}Z`)
  return Number.isNaN(d.getTime()) ? undefined : d
}
