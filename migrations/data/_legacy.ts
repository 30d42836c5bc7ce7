/**
 * Shared pieces of the seed-001 backfill jobs (files starting with `_` are not jobs): the default
 * tenant every single-tenant legacy row goes to, and lenient readers for the legacy data's dirt.
 */
import { z } from 'zod'
import type { Queryable } from '../../src/db/database.js'
import * as bz from '../../src/data/bson-zod.js'

/** The tenant all legacy data belongs to (the legacy system had one). */
export const DEFAULT_TENANT = '00000000-0000-4000-8000-000000000001'

/** Creates the default tenant when missing (each job's `prepare`). */
export async function ensureDefaultTenant(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO app.tenants (id, name, subdomain) VALUES ($1, 'Default (migrated from MongoDB)', 'default') ON CONFLICT (id) DO NOTHING`,
    [DEFAULT_TENANT],
  )
}

/** A BSON number or a numeric string written by an old client, as a number. */
export const looseNumber = () =>
  z.union([bz.number(), z.string().regex(/^-?\d+(\.\d+)?$/).transform(Number)])

/** A date, or an ISO string some old clients stored instead. */
export const looseDate = () =>
  z.union([bz.date(), z.string().datetime({ offset: true }).transform((s) => new Date(s))])

/** A boolean, or the strings 'true' / 'false'. */
export const looseBoolean = () => z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')])

/** A value lower-cased and checked against the allowed set (legacy 'ADMIN', 'Pro'). */
export const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((s) => s.toLowerCase()).pipe(z.enum(values))
