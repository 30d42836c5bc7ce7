/**
 * `cairn verify rls`: tenant isolation proven on a live database rather than read from the
 * policies. Inside one transaction that is always rolled back, rows are made for two tenants, A
 * and B, in every tenant-scoped table the application role can use (and the parents they need);
 * then, as the role with tenant A set, each operation is tried on B's rows, each in a
 * subtransaction that is rolled back:
 *
 *   select     SELECT … WHERE <B's key>                       any row is a leak
 *   insert     INSERT a row tagged B                           success is a leak
 *   update     UPDATE … SET <tenant> = <tenant> WHERE <B's key> B's row changed (seen as the owner) is a leak
 *   delete     DELETE … WHERE <B's key>                        B's row gone is a leak
 *   retag      UPDATE … SET <tenant> = B WHERE <A's key>       A's row now B's is a leak
 *   reference  INSERT an A row (or UPDATE A's row) whose foreign key points at B's parent: success is a leak
 *   no tenant  SELECT with the setting empty                   any row is a leak
 *
 * plus the static checks of analyze.ts. Nothing is committed.
 */
import type { Database, Queryable } from '../db/database.js'
import { isConnectionError } from '../db/connection-lost.js'
import { CairnError } from '../errors.js'
import { ident, literal } from '../sqlgen/quote.js'
import { flagsOf, scopeOf } from './analyze.js'
import type { Flag, Scope, TenantTable } from './analyze.js'
import { readCatalog } from './catalog.js'
import type { TableInfo } from './catalog.js'
import { RowMaker, valueFor } from './rows.js'
import type { MadeRow } from './rows.js'

export type Operation = 'select' | 'insert' | 'update' | 'delete' | 'retag' | 'reference' | 'no_tenant'
export const OPERATIONS: readonly Operation[] = ['select', 'insert', 'update', 'delete', 'retag', 'reference', 'no_tenant']

export interface Cell {
  readonly op: Operation
  /** `pass`: B's rows were out of reach; `leak`; `n/a`: the role may not do it at all (or nothing to try); `unverified`: could not be tried. */
  readonly status: 'pass' | 'leak' | 'n/a' | 'unverified'
  /** What happened: `0 rows`, `refused (42501 new row violates row-level security policy …)`, … */
  readonly detail: string
  /** For a leak: what was run, as the role, values inlined. */
  readonly statement?: string
  /** For reference: the foreign key tried. */
  readonly object?: string
}

export interface TableResult {
  readonly table: string
  readonly tenantColumn: string
  readonly rls: boolean
  readonly forced: boolean
  readonly cells: readonly Cell[]
  /** Why the table could not be tried (its rows could not be made). */
  readonly unverified?: string
  /** What tenant A's own rows allowed (the control of each probe): false when even A's own row was out of reach. */
  readonly own: Readonly<Partial<Record<'select' | 'insert' | 'update' | 'delete', boolean>>>
}

export interface RlsReport {
  readonly ok: boolean
  readonly target: string
  readonly serverVersion: number
  readonly role: string
  readonly tenantColumn: string
  readonly setting: Scope['setting']
  readonly tenantsTable?: string
  readonly tenants: { readonly a: string; readonly b: string }
  readonly flags: readonly Flag[]
  readonly tables: readonly TableResult[]
  /** Tenant-scoped tables the role has no privilege on: nothing to leak through them. */
  readonly unreachable: readonly string[]
  readonly counts: { readonly leaks: number; readonly flags: number; readonly unverified: number; readonly tables: number }
  readonly durationMs: number
}

export interface VerifyRlsOptions {
  /** The application role (it must exist; the connecting user must be able to SET ROLE to it). */
  readonly role: string
  /** Default `tenant_id`. */
  readonly tenantColumn?: string
  /** Default: what the policies read (`current_setting('…')`), else `app.current_tenant_id`. */
  readonly tenantSetting?: string
  /** statement_timeout of each statement (ms, default 30 s). */
  readonly timeoutMs?: number
}

const ROLLBACK = Symbol('rollback')

type Outcome = { ok: true; rows: Array<Record<string, unknown>> } | { ok: false; code: string; message: string }

/** Verifies tenant isolation for `role` on `db`; changes nothing (one transaction, rolled back). */
export async function verifyRls(db: Database, options: VerifyRlsOptions): Promise<RlsReport> {
  const started = Date.now()
  let report: RlsReport | undefined
  try {
    await db.transaction(async (tx) => {
      report = await verifyIn(tx, db, options, started)
      throw ROLLBACK
    })
  } catch (e) {
    if (e !== ROLLBACK) throw e
  }
  return report!
}

async function verifyIn(tx: Queryable, db: Database, options: VerifyRlsOptions, started: number): Promise<RlsReport> {
  const tenantColumn = options.tenantColumn ?? 'tenant_id'
  await tx.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.timeoutMs ?? 30_000))}`)
  await tx.exec(`SET LOCAL lock_timeout = 5000`)
  const catalog = await readCatalog(tx, options.role)
  if (!catalog) {
    throw new CairnError('role_missing', `role ${options.role} does not exist on ${db.target}`, { hint: 'give the application role with --role (the role the application connects as, or a role it is a member of)' })
  }
  const can = await tx.query<{ ok: boolean; who: string }>(
    `SELECT current_user AS who, (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) OR pg_catalog.pg_has_role(current_user, $1, 'MEMBER') AS ok`,
    [options.role],
  )
  if (!can[0]?.ok) {
    throw new CairnError('cannot_set_role', `${can[0]?.who} cannot SET ROLE ${options.role}`, { hint: `connect as a superuser or the tables' owner, and GRANT ${options.role} TO ${can[0]?.who}` })
  }
  const scope = scopeOf(catalog, tenantColumn, options.tenantSetting)
  if (!scope.tables.some((t) => !t.isTenants)) {
    throw new CairnError('no_tenant_tables', `no table on ${db.target} has a column ${tenantColumn}`, { hint: 'give the tenant column with --tenant-column' })
  }
  const flags = flagsOf(catalog, scope)
  const setting = scope.setting.name
  const setTenant = async (t: string | null) => {
    await tx.query(`SELECT pg_catalog.set_config($1, $2, true)`, [setting, t ?? ''])
  }
  const tenantColumns = new Map(scope.tables.map((t) => [t.key, t.column]))
  const maker = new RowMaker(tx, catalog, tenantColumns, scope.tenants?.table, setTenant)

  // the two tenants: rows of the tenants table when the tenant column references one
  const sample = scope.tenants
    ? catalog.tables.get(scope.tenants.table)?.columns.find((c) => c.name === scope.tenants!.column)
    : scope.tables[0].info.columns.find((c) => c.name === tenantColumn)
  const a = sample ? valueFor(sample) : undefined
  const b = sample ? valueFor(sample) : undefined
  if (a === undefined || b === undefined) throw new CairnError('tenant_type_unsupported', `cannot make up tenant values of type ${sample?.type ?? '?'}`)
  if (scope.tenants) {
    for (const t of [a, b]) {
      const r = await maker.row(scope.tenants.table, t)
      if (!r) throw new CairnError('tenant_rows_failed', `cannot create tenants in ${scope.tenants.table}: ${maker.failure(scope.tenants.table)}`)
    }
  }

  const tables: TableResult[] = []
  const reachable = scope.tables.filter((t) => t.reachable)
  for (const t of reachable) {
    const rowA = await maker.row(t.key, a)
    const rowB = await maker.row(t.key, b)
    if (!rowA || !rowB) {
      const why = maker.failure(t.key) ?? 'its rows could not be made'
      tables.push({ table: t.key, tenantColumn: t.column, rls: t.info.rls, forced: t.info.forced, cells: OPERATIONS.map((op) => ({ op, status: 'unverified', detail: why })), unverified: why, own: {} })
      continue
    }
    tables.push(await probeTable(tx, options.role, setting, t, scope, maker, { a, b, rowA, rowB }))
  }
  const leaks = tables.reduce((n, t) => n + t.cells.filter((c) => c.status === 'leak').length, 0)
  const unverified = tables.filter((t) => t.unverified).length
  return {
    ok: leaks === 0 && flags.length === 0,
    target: db.target,
    serverVersion: db.serverVersion,
    role: options.role,
    tenantColumn,
    setting: scope.setting,
    ...(scope.tenants ? { tenantsTable: scope.tenants.table } : {}),
    tenants: { a, b },
    flags,
    tables,
    unreachable: scope.tables.filter((t) => !t.reachable).map((t) => t.key),
    counts: { leaks, flags: flags.length, unverified, tables: tables.length },
    durationMs: Date.now() - started,
  }
}

interface Fixture {
  readonly a: string
  readonly b: string
  readonly rowA: MadeRow
  readonly rowB: MadeRow
}

/** The columns and values that pick out one row: its primary key, else its ctid. */
function keyOf(info: TableInfo, row: MadeRow): Array<{ sql: string; value: string | null; type: string }> {
  if (!info.primaryKey.length) return [{ sql: 'ctid', value: row.ctid, type: 'tid' }]
  return info.primaryKey.map((c) => ({ sql: ident(c), value: row.values[c] ?? null, type: info.columns.find((x) => x.name === c)!.type }))
}

/** `col = $n::type AND …` with its parameters, numbered from `from`. */
function where(key: ReturnType<typeof keyOf>, from: number): { sql: string; params: Array<string | null> } {
  return { sql: key.map((k, i) => `${k.sql} = $${i + from}::${k.type}`).join(' AND '), params: key.map((k) => k.value) }
}

/** The statement with its parameters written in, for people. */
function inline(sql: string, params: ReadonlyArray<string | null>): string {
  return sql.replace(/\$(\d+)/g, (all, n: string) => {
    const v = params[Number(n) - 1]
    return v === undefined ? all : v === null ? 'NULL' : literal(v)
  })
}

async function probeTable(tx: Queryable, role: string, setting: string, t: TenantTable, scope: Scope, maker: RowMaker, f: Fixture): Promise<TableResult> {
  const info = t.info
  const col = ident(t.column)
  const typeOf = (c: string) => info.columns.find((x) => x.name === c)!.type
  const tenantType = typeOf(t.column)
  const keyA = keyOf(info, f.rowA)
  const keyB = keyOf(info, f.rowB)
  const own: Partial<Record<'select' | 'insert' | 'update' | 'delete', boolean>> = {}
  const cells: Cell[] = []
  const header = (tenant: string) => `SET ROLE ${ident(role)}; SELECT set_config(${literal(setting)}, ${literal(tenant)}, true);`

  /** Runs `sql` as the role with `tenant` set, then `after` as the connecting user, in a subtransaction rolled back. */
  const asRole = async (tenant: string, sql: string, params: ReadonlyArray<string | null>, after?: () => Promise<Array<Record<string, unknown>>>): Promise<{ run: Outcome; after?: Array<Record<string, unknown>> }> => {
    await tx.exec('SAVEPOINT __cairn_probe')
    try {
      await tx.exec(`SET LOCAL ROLE ${ident(role)}`)
      await tx.query(`SELECT pg_catalog.set_config($1, $2, true)`, [setting, tenant])
      let run: Outcome
      try {
        run = { ok: true, rows: await tx.query(sql, params) }
      } catch (e) {
        if (isConnectionError(e)) throw e
        const err = e as { code?: string; message?: string }
        return { run: { ok: false, code: err.code ?? '', message: err.message ?? String(e) } }
      }
      if (!after) return { run }
      await tx.exec('RESET ROLE')
      return { run, after: await after() }
    } finally {
      await tx.exec('ROLLBACK TO SAVEPOINT __cairn_probe')
      await tx.exec('RELEASE SAVEPOINT __cairn_probe')
    }
  }
  /** As the connecting user, with `tenant` set (an owner under FORCE ROW LEVEL SECURITY sees that tenant). */
  const asOwner = (tenant: string, sql: string, params: ReadonlyArray<string | null>) => async () => {
    await tx.query(`SELECT pg_catalog.set_config($1, $2, true)`, [setting, tenant])
    return tx.query(sql, params)
  }
  const refused = (o: Outcome) => (o.ok ? '' : `refused (${o.code} ${o.message.slice(0, 120)})`)
  const leak = (op: Operation, detail: string, tenant: string, sql: string, params: ReadonlyArray<string | null>, object?: string): Cell => ({
    op, status: 'leak', detail, statement: `${header(tenant)} ${inline(sql, params)}`, ...(object ? { object } : {}),
  })
  const privileges = info.privileges

  // select
  if (!privileges.select) cells.push({ op: 'select', status: 'n/a', detail: `${role} has no SELECT` })
  else {
    const wa = where(keyA, 1)
    own.select = ((await asRole(f.a, `SELECT 1 FROM ${info.sql} WHERE ${wa.sql}`, wa.params)).run as { rows?: unknown[] }).rows?.length === 1
    const wb = where(keyB, 1)
    const sql = `SELECT 1 FROM ${info.sql} WHERE ${wb.sql}`
    const r = (await asRole(f.a, sql, wb.params)).run
    cells.push(r.ok && r.rows.length ? leak('select', `B's row is visible`, f.a, sql, wb.params) : { op: 'select', status: 'pass', detail: r.ok ? '0 rows' : refused(r) })
  }

  // insert: a row of tenant B (and, as the control, one of tenant A)
  if (!privileges.insert) cells.push({ op: 'insert', status: 'n/a', detail: `${role} has no INSERT` })
  else {
    const insertSql = (values: Record<string, string | null>) => {
      const cols = Object.keys(values)
      return {
        sql: `INSERT INTO ${info.sql} (${cols.map(ident).join(', ')}) VALUES (${cols.map((c, i) => `$${i + 1}::${typeOf(c)}`).join(', ')})`,
        params: cols.map((c) => values[c]),
      }
    }
    const mine = await maker.values(t.key, f.a)
    if (typeof mine !== 'string') {
      const ins = insertSql(mine)
      own.insert = (await asRole(f.a, ins.sql, ins.params)).run.ok
    }
    const theirs = await maker.values(t.key, f.b)
    if (typeof theirs === 'string') cells.push({ op: 'insert', status: 'unverified', detail: theirs })
    else {
      const ins = insertSql(theirs)
      const r = (await asRole(f.a, ins.sql, ins.params)).run
      cells.push(r.ok ? leak('insert', `a row of ${t.isTenants ? 'another tenant' : 'tenant B'} was inserted`, f.a, ins.sql, ins.params) : insertBlocked(r))
    }
  }

  // update, delete, re-tag: seen afterwards as the owner. A row that was updated or deleted is no longer
  // at its address (an update writes a new version elsewhere), so the statement changed it exactly when
  // it ran and the row is gone from there
  const byCtid = (tenant: string, ctid: string) => asOwner(tenant, `SELECT 1 FROM ${info.sql} WHERE ctid = $1::tid`, [ctid])
  const changed = (r: { run: Outcome; after?: unknown[] }) => r.run.ok && r.after?.length === 0
  if (!privileges.update) cells.push({ op: 'update', status: 'n/a', detail: `${role} has no UPDATE` })
  else {
    const wa = where(keyA, 1)
    own.update = changed(await asRole(f.a, `UPDATE ${info.sql} SET ${col} = ${col} WHERE ${wa.sql}`, wa.params, byCtid(f.a, f.rowA.ctid)))
    const wb = where(keyB, 1)
    const sql = `UPDATE ${info.sql} SET ${col} = ${col} WHERE ${wb.sql}`
    const r = await asRole(f.a, sql, wb.params, byCtid(f.b, f.rowB.ctid))
    // an updated row has a new version: the old one is gone
    cells.push(changed(r) ? leak('update', `B's row was updated`, f.a, sql, wb.params) : { op: 'update', status: 'pass', detail: r.run.ok ? 'no row of B changed' : refused(r.run) })
  }
  if (!privileges.delete) cells.push({ op: 'delete', status: 'n/a', detail: `${role} has no DELETE` })
  else {
    const wa = where(keyA, 1)
    own.delete = changed(await asRole(f.a, `DELETE FROM ${info.sql} WHERE ${wa.sql}`, wa.params, byCtid(f.a, f.rowA.ctid)))
    const wb = where(keyB, 1)
    const sql = `DELETE FROM ${info.sql} WHERE ${wb.sql}`
    const r = await asRole(f.a, sql, wb.params, byCtid(f.b, f.rowB.ctid))
    cells.push(changed(r) ? leak('delete', `B's row was deleted`, f.a, sql, wb.params) : { op: 'delete', status: 'pass', detail: r.run.ok ? 'no row of B deleted' : refused(r.run) })
  }

  // re-tag A's row as B's
  if (t.isTenants) cells.push({ op: 'retag', status: 'n/a', detail: 'the tenant column is the key of the tenants table' })
  else if (!privileges.update) cells.push({ op: 'retag', status: 'n/a', detail: `${role} has no UPDATE` })
  else {
    const w = where(keyA, 2)
    const sql = `UPDATE ${info.sql} SET ${col} = $1::${tenantType} WHERE ${w.sql}`
    const params = [f.b, ...w.params]
    const r = await asRole(f.a, sql, params, byCtid(f.a, f.rowA.ctid))
    cells.push(changed(r) ? leak('retag', `A's row now belongs to B`, f.a, sql, params) : { op: 'retag', status: 'pass', detail: r.run.ok ? 'no row moved to B' : refused(r.run) })
  }

  // references: a row of A pointing at B's parent, through each foreign key to a tenant-scoped table
  const tenantScoped = new Set(scope.tables.filter((x) => !x.isTenants).map((x) => x.key))
  const fks = t.isTenants ? [] : info.foreignKeys.filter((fk) => tenantScoped.has(fk.refTable) && !fk.columns.every((c) => c === t.column))
  if (!fks.length) cells.push({ op: 'reference', status: 'n/a', detail: 'no foreign key to a tenant-scoped table' })
  for (const fk of fks) {
    const parentB = await maker.row(fk.refTable, f.b)
    if (!parentB) {
      cells.push({ op: 'reference', status: 'unverified', object: fk.name, detail: `no row of B in ${fk.refTable}: ${maker.failure(fk.refTable) ?? ''}` })
      continue
    }
    const pointed = fk.columns.filter((c) => c !== t.column)
    const results: Cell[] = []
    if (privileges.insert) {
      const values = await maker.values(t.key, f.a, { [fk.name]: parentB })
      if (typeof values === 'string') results.push({ op: 'reference', status: 'unverified', object: fk.name, detail: values })
      else {
        values[t.column] = f.a
        const cols = Object.keys(values)
        const sql = `INSERT INTO ${info.sql} (${cols.map(ident).join(', ')}) VALUES (${cols.map((c, i) => `$${i + 1}::${typeOf(c)}`).join(', ')})`
        const params = cols.map((c) => values[c])
        const r = (await asRole(f.a, sql, params)).run
        results.push(r.ok ? leak('reference', `a row of A points at B's ${fk.refTable} row (${fk.name})`, f.a, sql, params, fk.name) : { op: 'reference', status: 'pass', object: fk.name, detail: refused(r) })
      }
    }
    if (privileges.update && pointed.length) {
      const set = pointed.map((c, i) => `${ident(c)} = $${i + 1}::${typeOf(c)}`).join(', ')
      const vals = pointed.map((c) => parentB.values[fk.refColumns[fk.columns.indexOf(c)]] ?? null)
      const w = where(keyA, pointed.length + 1)
      const sql = `UPDATE ${info.sql} SET ${set} WHERE ${w.sql}`
      const params = [...vals, ...w.params]
      const r = await asRole(f.a, sql, params, byCtid(f.a, f.rowA.ctid))
      results.push(changed(r) ? leak('reference', `A's row now points at B's ${fk.refTable} row (${fk.name})`, f.a, sql, params, fk.name) : { op: 'reference', status: 'pass', object: fk.name, detail: r.run.ok ? 'no row changed' : refused(r.run) })
    }
    if (!results.length) results.push({ op: 'reference', status: 'n/a', object: fk.name, detail: `${role} has neither INSERT nor UPDATE` })
    cells.push(results.find((c) => c.status === 'leak') ?? results.find((c) => c.status === 'unverified') ?? results[0])
  }

  // no tenant set: nothing may be visible
  if (!privileges.select) cells.push({ op: 'no_tenant', status: 'n/a', detail: `${role} has no SELECT` })
  else {
    const wa = where(keyA, 1)
    const wb = where(keyB, 1 + keyA.length)
    const sql = `SELECT 1 FROM ${info.sql} WHERE (${wa.sql}) OR (${wb.sql})`
    const params = [...wa.params, ...wb.params]
    const r = (await asRole('', sql, params)).run
    cells.push(r.ok && r.rows.length
      ? { op: 'no_tenant', status: 'leak', detail: `${r.rows.length} row${r.rows.length === 1 ? '' : 's'} visible with no tenant set`, statement: `${header('')} ${inline(sql, params)}` }
      : { op: 'no_tenant', status: 'pass', detail: r.ok ? '0 rows' : refused(r) })
  }
  return { table: t.key, tenantColumn: t.column, rls: info.rls, forced: info.forced, cells, own }
}

/** An INSERT of B's row that failed: refused by row-level security (or privileges), or by something else (not proven). */
function insertBlocked(r: Outcome): Cell {
  if (r.ok) throw new Error('unreachable')
  if (r.code === '42501') return { op: 'insert', status: 'pass', detail: `refused (${r.code} ${r.message.slice(0, 120)})` }
  return { op: 'insert', status: 'unverified', detail: `the row was refused for another reason first (${r.code} ${r.message.slice(0, 120)})` }
}
