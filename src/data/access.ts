/**
 * What the role running a backfill needs, checked before anything is loaded: the target tables and
 * the bookkeeping tables exist and the role may write them, the session is not read-only, and
 * row-level security does not apply to the role (COPY cannot load through it). Each problem comes
 * with the statement that fixes it.
 */
import type { Queryable } from '../db/database.js'
import type { TableDef } from '../model/types.js'
import { CairnError, type ErrorCode, type Issue } from '../errors.js'
import { ident, qname } from '../sqlgen/quote.js'
import type { LoadMode } from './pg-sink.js'

type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'

interface TableNeed {
  readonly schema: string
  readonly name: string
  readonly privileges: readonly Privilege[]
  /** Loaded with COPY: row-level security must not apply. */
  readonly copy: boolean
  /** Read whole: row-level security must not hide rows. */
  readonly readAll: boolean
}

interface TableRow {
  schema: string
  name: string
  schema_exists: boolean
  schema_usage: boolean | null
  exists: boolean
  rls_active: boolean | null
  forced: boolean | null
  is_owner: boolean | null
  select: boolean | null
  insert: boolean | null
  update: boolean | null
  delete: boolean | null
}

interface RoleRow {
  role: string
  database: string
  superuser: boolean
  bypassrls: boolean
  read_only: string
  recovery: boolean
  temp: boolean
  read_files: boolean
}

const TABLES_SQL = `
SELECT x.schema, x.name,
       n.oid IS NOT NULL AS schema_exists,
       CASE WHEN n.oid IS NULL THEN NULL ELSE has_schema_privilege(n.oid, 'USAGE') END AS schema_usage,
       c.oid IS NOT NULL AS exists,
       CASE WHEN c.oid IS NULL THEN NULL ELSE row_security_active(c.oid) END AS rls_active,
       c.relforcerowsecurity AS forced,
       CASE WHEN c.oid IS NULL THEN NULL ELSE pg_has_role(c.relowner, 'USAGE') END AS is_owner,
       CASE WHEN c.oid IS NULL THEN NULL ELSE has_table_privilege(c.oid, 'SELECT') END AS select,
       CASE WHEN c.oid IS NULL THEN NULL ELSE has_table_privilege(c.oid, 'INSERT') END AS insert,
       CASE WHEN c.oid IS NULL THEN NULL ELSE has_table_privilege(c.oid, 'UPDATE') END AS update,
       CASE WHEN c.oid IS NULL THEN NULL ELSE has_table_privilege(c.oid, 'DELETE') END AS delete
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(schema, name, ord)
  LEFT JOIN pg_namespace n ON n.nspname = x.schema
  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = x.name AND c.relkind IN ('r', 'p')
 ORDER BY x.ord`

const ROLE_SQL = `
SELECT current_user AS role, current_database() AS database, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
       current_setting('transaction_read_only') AS read_only, pg_is_in_recovery() AS recovery,
       has_database_privilege(current_database(), 'TEMP') AS temp,
       pg_has_role(current_user, 'pg_read_server_files', 'USAGE') AS read_files
  FROM pg_roles r WHERE r.rolname = current_user`

// By name through the catalogs: to_regclass() fails on a schema the role may not use.
const SEQUENCES_SQL = `
SELECT s.schema || '.' || s.name AS name, c.oid IS NOT NULL AS exists,
       CASE WHEN c.oid IS NULL THEN NULL ELSE has_sequence_privilege(c.oid, 'USAGE') END AS usage
  FROM unnest($1::text[], $2::text[]) AS s(schema, name)
  LEFT JOIN pg_namespace n ON n.nspname = s.schema
  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.name AND c.relkind = 'S'`

/** The bookkeeping tables and what a run does with them. */
function bookkeepingNeeds(restart: boolean): TableNeed[] {
  const del: Privilege[] = restart ? ['DELETE'] : []
  return [
    { schema: 'cairn', name: 'backfill_runs', privileges: ['SELECT', 'INSERT', 'UPDATE'], copy: false, readAll: true },
    { schema: 'cairn', name: 'backfill_checkpoints', privileges: ['SELECT', 'INSERT', ...del], copy: false, readAll: true },
    { schema: 'cairn', name: 'backfill_rejects', privileges: ['SELECT', 'INSERT', ...del], copy: false, readAll: true },
  ]
}

/** The problems found, each with its fix, and the fixes as one script. */
interface Findings {
  readonly role: RoleRow
  readonly issues: Issue[]
  readonly fixes: string[]
}

/** What else a check looks at. */
interface AccessOptions {
  /** Temporary tables are created (upserts, verify). */
  readonly temp: boolean
  /** Rows are written (a read-only session is a problem). */
  readonly write: boolean
  /** COPY reads its data from a server-side file (PGlite's /dev/blob): pg_read_server_files is needed. */
  readonly copyFromFile: boolean
}

async function inspectAccess(q: Queryable, needs: readonly TableNeed[], sequences: readonly (readonly [string, string])[], options: AccessOptions): Promise<Findings> {
  const role = (await q.query<RoleRow>(ROLE_SQL))[0]!
  const rows = await q.query<TableRow>(TABLES_SQL, [needs.map((n) => n.schema), needs.map((n) => n.name)])
  const issues: Issue[] = []
  const fixes: string[] = []
  const who = ident(role.role)
  const fix = (sql: string) => {
    if (!fixes.includes(sql)) fixes.push(sql)
  }
  if (options.write && (role.read_only === 'on' || role.recovery)) {
    issues.push({
      code: 'backfill_read_only',
      message: role.recovery ? 'the server is a standby (in recovery): it accepts no writes' : 'the session is read-only (default_transaction_read_only is on)',
      hint: role.recovery ? 'point --url at the primary' : `ALTER ROLE ${who} SET default_transaction_read_only = off (or connect to the primary)`,
    })
  }
  const merged = new Map<string, { need: TableNeed; row: TableRow }>()
  needs.forEach((need, i) => {
    const key = `${need.schema}.${need.name}`
    const prev = merged.get(key)
    const privileges = prev ? [...new Set([...prev.need.privileges, ...need.privileges])] : need.privileges
    merged.set(key, { need: { ...need, privileges, copy: need.copy || Boolean(prev?.need.copy), readAll: need.readAll || Boolean(prev?.need.readAll) }, row: rows[i]! })
  })
  for (const { need, row } of merged.values()) {
    const table = qname(need.schema, need.name)
    if (!row.exists) {
      issues.push({
        code: 'backfill_table_missing',
        message: `table ${table} does not exist`,
        hint: need.schema === 'cairn' ? 'the bookkeeping tables are created by the first run' : 'apply the migrations first: `cairn migrate up`',
        object: `${need.schema}.${need.name}`,
      })
      continue
    }
    if (row.schema_usage === false) {
      issues.push({ code: 'backfill_privilege', message: `role ${role.role} has no USAGE on schema ${ident(need.schema)}`, object: need.schema })
      fix(`GRANT USAGE ON SCHEMA ${ident(need.schema)} TO ${who};`)
    }
    const missing = need.privileges.filter((p) => row[p.toLowerCase() as 'select' | 'insert' | 'update' | 'delete'] === false)
    if (missing.length) {
      issues.push({ code: 'backfill_privilege', message: `role ${role.role} lacks ${missing.join(', ')} on ${table}`, object: `${need.schema}.${need.name}` })
      fix(`GRANT ${missing.join(', ')} ON ${table} TO ${who};`)
    }
    if (row.rls_active && (need.copy || need.readAll)) {
      const why = row.is_owner
        ? `row-level security is forced on ${table} (FORCE ROW LEVEL SECURITY applies to its owner ${role.role} too)`
        : `row-level security is enabled on ${table} and role ${role.role} is neither a superuser nor BYPASSRLS`
      issues.push({
        code: 'backfill_rls',
        message: need.copy
          ? `${why}: COPY cannot load through row-level security, and the policies would hide rows from other tenants`
          : `${why}: its policies hide rows from this role`,
        object: `${need.schema}.${need.name}`,
      })
      fix(`ALTER ROLE ${who} BYPASSRLS;  -- as a superuser`)
    }
  }
  if (sequences.length) {
    const seqs = await q.query<{ name: string; exists: boolean; usage: boolean | null }>(SEQUENCES_SQL, [sequences.map((x) => x[0]), sequences.map((x) => x[1])])
    for (const s of seqs) {
      if (s.exists && s.usage === false) {
        issues.push({ code: 'backfill_privilege', message: `role ${role.role} lacks USAGE on sequence ${s.name}`, object: s.name })
        fix(`GRANT USAGE ON SEQUENCE ${s.name} TO ${who};`)
      }
    }
  }
  if (options.copyFromFile && !role.read_files) {
    issues.push({ code: 'backfill_privilege', message: `role ${role.role} may not COPY from a file, which is how the embedded database receives COPY data` })
    fix(`GRANT pg_read_server_files TO ${who};`)
  }
  if (options.temp && !role.temp) {
    issues.push({ code: 'backfill_privilege', message: `role ${role.role} may not create temporary tables in database ${role.database} (upserts and verify stage rows in one)` })
    fix(`GRANT TEMP ON DATABASE ${ident(role.database)} TO ${who};`)
  }
  return { role, issues, fixes }
}

function accessError(code: ErrorCode, what: string, f: Findings): CairnError {
  const lines = f.issues.map((i) => `  - ${i.message}${i.hint ? ` (${i.hint})` : ''}`)
  return new CairnError(code, `${what} as role ${f.role.role}:\n${lines.join('\n')}`, {
    hint: f.fixes.length ? `as a superuser or the tables' owner, run:\n  ${f.fixes.join('\n  ')}` : 'fix the problems above, then run again',
    issues: f.issues,
    meta: { role: f.role.role, fixes: f.fixes },
  })
}

/**
 * Checks, before the first batch, that the current role can run backfill jobs writing `targets`:
 * tables present, privileges on them and on the bookkeeping tables, a writable session, no
 * row-level security in the way. Throws one CairnError (exit 3) listing every problem and the
 * statements that fix them.
 */
export async function checkLoadAccess(q: Queryable, targets: readonly TableDef[], options: { mode: LoadMode; restart: boolean; copyFromFile: boolean }): Promise<void> {
  const privileges: Privilege[] = options.mode === 'upsert' ? ['SELECT', 'INSERT', 'UPDATE'] : ['INSERT']
  const needs: TableNeed[] = [
    ...targets.map((t) => ({ schema: t.schema, name: t.name, privileges, copy: true, readAll: false })),
    ...bookkeepingNeeds(options.restart),
  ]
  const sequences = [['cairn', 'backfill_runs_id_seq'], ['cairn', 'backfill_rejects_id_seq']] as const
  const f = await inspectAccess(q, needs, sequences, { temp: options.mode === 'upsert', write: true, copyFromFile: options.copyFromFile })
  if (f.issues.length) throw accessError('backfill_access', 'cannot run the backfill', f)
}

/**
 * Checks that the current role sees every row of `targets` (verify compares whole tables): SELECT
 * privileges, and no row-level security hiding rows, which would otherwise look like missing rows.
 */
export async function checkReadAccess(q: Queryable, targets: readonly TableDef[], options: { copyFromFile: boolean }): Promise<void> {
  const needs: TableNeed[] = [
    ...targets.map((t) => ({ schema: t.schema, name: t.name, privileges: ['SELECT'] as Privilege[], copy: false, readAll: true })),
    ...bookkeepingNeeds(false).map((n) => ({ ...n, privileges: ['SELECT'] as Privilege[] })),
  ]
  const f = await inspectAccess(q, needs, [], { temp: true, write: false, copyFromFile: options.copyFromFile })
  if (f.issues.length) {
    const e = accessError('backfill_verify_access', 'cannot verify: this role does not see every row', f)
    throw new CairnError(e.code, e.message, {
      hint: `verify as the role that loaded the rows (a superuser or a role with BYPASSRLS), or ${e.hint}`,
      issues: e.issues,
      ...(e.meta ? { meta: e.meta } : {}),
    })
  }
}
