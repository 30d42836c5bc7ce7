/**
 * What the database holds for a rolling window: the parent, its partitions (with their bounds as
 * Postgres prints them in UTC, and whether a DETACH CONCURRENTLY is pending), its DEFAULT
 * partition, the tables maintenance retired, and what moving rows out of the default would touch.
 * Run on a session whose TimeZone is UTC (see maintain.ts), so timestamptz bounds read as written.
 */
import type { Queryable } from '../db/database.js'
import type { RangeWindow } from '../load/range-windows.js'
import { ident, qname } from '../sqlgen/quote.js'
import { archiveSchemaOf } from './window.js'

/** A partition of the parent. */
export interface LivePartition {
  readonly schema: string
  readonly name: string
  /** As `pg_get_expr(relpartbound)` prints it: `FOR VALUES FROM (…) TO (…)` or `DEFAULT`. */
  readonly bound: string
  /** A DETACH … CONCURRENTLY stopped between its two transactions (PostgreSQL 14+). */
  readonly detachPending: boolean
  readonly comment?: string
}

/** A plain table carrying the retirement marker of this window. */
export interface LiveRetired {
  readonly schema: string
  readonly name: string
  readonly comment: string
}

/** The window's parent as the database has it. */
export interface LiveWindow {
  /** False when the parent table does not exist (migrations not applied yet). */
  readonly exists: boolean
  /** True when it exists and is partitioned. */
  readonly partitioned: boolean
  readonly partitions: readonly LivePartition[]
  readonly retired: readonly LiveRetired[]
  /** Rows in the DEFAULT partition, when there is one. */
  readonly defaultRows?: number
  /** Foreign keys of other tables that reference the parent (moving rows would fire their ON DELETE). */
  readonly referencedBy: readonly string[]
  /** Columns a row move copies: every column but generated ones, in order. */
  readonly copyColumns: readonly string[]
  /** Relations of the partitions' schema whose names a missing slot would take (filled by `namesTaken`). */
  readonly taken?: ReadonlySet<string>
}

/** Reads the window's parent, partitions, default partition and retired tables. */
export async function readLiveWindow(q: Queryable, w: RangeWindow, serverVersion: number): Promise<LiveWindow> {
  const parent = qname(w.parentSchema, w.parent)
  const [p] = await q.query<{ oid: string; kind: string }>(
    `SELECT c.oid::text AS oid, c.relkind::text AS kind FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)`,
    [parent],
  )
  if (!p) return { exists: false, partitioned: false, partitions: [], retired: [], referencedBy: [], copyColumns: [] }
  if (p.kind !== 'p') return { exists: true, partitioned: false, partitions: [], retired: [], referencedBy: [], copyColumns: [] }
  const pending = serverVersion >= 140000 ? 'i.inhdetachpending' : 'false'
  const partitions = await q.query<{ schema: string; name: string; bound: string; pending: boolean; comment: string | null }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound,
            ${pending} AS pending, pg_catalog.obj_description(c.oid, 'pg_class') AS comment
       FROM pg_catalog.pg_inherits i
       JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE i.inhparent = $1::oid
      ORDER BY c.relname`,
    [p.oid],
  )
  const prefix = `cairn partitions: retired from ${parent}, `
  const retired = await q.query<{ schema: string; name: string; comment: string }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, d.description AS comment
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
      WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname = ANY($1::text[])
        AND pg_catalog.left(d.description, $2) = $3
      ORDER BY c.relname`,
    [[...new Set([w.schema, archiveSchemaOf(w)])], prefix.length, prefix],
  )
  const refs = await q.query<{ name: string }>(
    `SELECT pg_catalog.format('%s.%s', c.conrelid::regclass::text, pg_catalog.quote_ident(c.conname)) AS name
       FROM pg_catalog.pg_constraint c WHERE c.contype = 'f' AND c.confrelid = $1::oid AND c.conparentid = 0 AND c.conrelid <> $1::oid
      ORDER BY 1`,
    [p.oid],
  )
  const cols = await q.query<{ name: string }>(
    `SELECT a.attname::text AS name FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [p.oid],
  )
  const def = partitions.find((x) => x.bound === 'DEFAULT')
  let defaultRows: number | undefined
  if (def) {
    const [r] = await q.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qname(def.schema, def.name)}`)
    defaultRows = Number(r.n)
  }
  return {
    exists: true,
    partitioned: true,
    partitions: partitions.map((x) => ({ schema: x.schema, name: x.name, bound: x.bound, detachPending: x.pending, ...(x.comment !== null ? { comment: x.comment } : {}) })),
    retired: retired.map((x) => ({ schema: x.schema, name: x.name, comment: x.comment })),
    ...(defaultRows !== undefined ? { defaultRows } : {}),
    referencedBy: refs.map((r) => r.name),
    copyColumns: cols.map((c) => c.name),
  }
}

/** Which of `names` are taken by relations (of any kind) in `schema`. */
export async function namesTaken(q: Queryable, schema: string, names: readonly string[]): Promise<Set<string>> {
  if (!names.length) return new Set()
  const rows = await q.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
    [schema, [...names]],
  )
  return new Set(rows.map((r) => r.name))
}

/** Rows of the default partition inside [from, to) of the key: what creating that slot moves. */
export async function defaultRowsIn(q: Queryable, w: RangeWindow, def: { schema: string; name: string }, from: string, to: string): Promise<number> {
  const key = ident(w.key)
  const [r] = await q.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${qname(def.schema, def.name)} WHERE ${key} >= $1::${w.keyType} AND ${key} < $2::${w.keyType}`,
    [from, to],
  )
  return Number(r.n)
}
