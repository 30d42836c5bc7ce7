/**
 * Rows that satisfy a table's constraints, made up for `cairn verify rls`: a value of the right
 * type for every column that needs one (NOT NULL without a default), the tenant in the tenant
 * column, and for each required foreign key a parent row made first (of the same tenant when the
 * parent is tenant-scoped). A CHECK that refuses a value is retried with the literals its
 * definition holds, a duplicate key with new random values. Everything is inserted inside the
 * caller's transaction (rolled back at the end), each attempt in a subtransaction.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Queryable } from '../db/database.js'
import { ident } from '../sqlgen/quote.js'
import type { Catalog, ColumnInfo, TableInfo } from './catalog.js'

/** A row as inserted: every column's value as text (null for NULL). */
export type RowValues = Readonly<Record<string, string | null>>

export interface MadeRow {
  readonly table: string
  readonly values: RowValues
  /** Physical address, for tables without a primary key. */
  readonly ctid: string
}

/** A value for a column, as text the column's type accepts; undefined when cairn has none for the type. */
export function valueFor(col: ColumnInfo, attempt = 0): string | undefined {
  if (col.array) return '{}'
  if (col.typtype === 'e') return col.enumFirst
  const r = randomBytes(6).readUIntBE(0, 6)
  switch (col.base) {
    case 'uuid':
      return randomUUID()
    case 'int2':
      return String(1 + (r % 32000))
    case 'int4':
      return String(1 + (r % 2_000_000_000))
    case 'int8':
      return String(1 + r)
    case 'numeric': {
      // numeric(p, s): an integer with p - s digits at most
      const p = col.typmod >= 4 ? ((col.typmod - 4) >> 16) & 0xffff : 0
      const s = col.typmod >= 4 ? (col.typmod - 4) & 0xffff : 0
      const digits = p ? Math.max(0, Math.min(9, p - s)) : 6
      return digits ? String(1 + (r % (10 ** digits - 1))) : '0'
    }
    case 'float4':
    case 'float8':
    case 'money':
      return String(1 + (r % 100000))
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
    case 'name': {
      const max = (col.base === 'varchar' || col.base === 'bpchar') && col.typmod > 4 ? col.typmod - 4 : 63
      const v = `cv${r.toString(36)}${attempt ? `x${attempt}` : ''}`
      return v.slice(0, Math.max(1, max))
    }
    case 'bool':
      return 'true'
    case 'date':
      return '2024-01-01'
    case 'timestamp':
    case 'timestamptz':
      return '2024-01-01 00:00:00+00'
    case 'time':
    case 'timetz':
      return '12:00:00'
    case 'interval':
      return '1 day'
    case 'json':
    case 'jsonb':
      return '{}'
    case 'bytea':
      return '\\x00'
    case 'inet':
    case 'cidr':
      return `10.${r % 250}.${(r >> 8) % 250}.${(r >> 16) % 250}`
    case 'macaddr':
      return '08:00:2b:01:02:03'
    case 'tsvector':
    case 'xml':
      return ''
    case 'bit':
    case 'varbit':
      return '1'
    default:
      return undefined
  }
}

/** String and number literals of a CHECK definition: the values it is likely to accept. */
export function checkCandidates(definition: string): string[] {
  const out: string[] = []
  for (const m of definition.matchAll(/'((?:[^']|'')*)'/g)) out.push(m[1].replace(/''/g, "'"))
  for (const m of definition.replace(/'((?:[^']|'')*)'/g, '').matchAll(/(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.])/g)) {
    const n = Number(m[1])
    out.push(String(n), String(n + 1))
  }
  return [...new Set(out)]
}

export interface InsertOutcome {
  readonly row?: MadeRow
  readonly error?: { readonly code: string; readonly message: string; readonly constraint?: string; readonly column?: string }
}

/**
 * `INSERT INTO table [AS alias] (cols) [OVERRIDING SYSTEM VALUE] VALUES ($1::type, …)` for the given
 * columns (DEFAULT VALUES for none): a value made up for a `GENERATED ALWAYS` identity column (a
 * tenants table's id) is only accepted with OVERRIDING SYSTEM VALUE.
 */
export function insertInto(table: TableInfo, cols: readonly string[], alias?: string): string {
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  const overriding = cols.some((c) => byName.get(c)?.identityAlways) ? ' OVERRIDING SYSTEM VALUE' : ''
  return (
    `INSERT INTO ${table.sql}${alias ? ` AS ${alias}` : ''} ` +
    (cols.length ? `(${cols.map(ident).join(', ')})${overriding} VALUES (${cols.map((c, i) => `$${i + 1}::${byName.get(c)?.type}`).join(', ')})` : 'DEFAULT VALUES')
  )
}

/** `INSERT … RETURNING` the row as text values, in a subtransaction; an error is returned, not thrown. */
export async function insertRow(tx: Queryable, table: TableInfo, values: RowValues, before?: () => Promise<void>): Promise<InsertOutcome> {
  const cols = Object.keys(values)
  const sql =
    insertInto(table, cols, '__r') +
    ` RETURNING __r.ctid::text AS ctid, (SELECT pg_catalog.json_object_agg(e.key, e.value) FROM pg_catalog.json_each_text(pg_catalog.row_to_json(__r.*)) e)::text AS r`
  await tx.exec('SAVEPOINT __cairn_row')
  try {
    if (before) await before()
    const rows = await tx.query<{ ctid: string; r: string }>(sql, cols.map((c) => values[c]))
    await tx.exec('RELEASE SAVEPOINT __cairn_row')
    return { row: { table: `${table.schema}.${table.name}`, values: JSON.parse(rows[0].r) as RowValues, ctid: rows[0].ctid } }
  } catch (e) {
    await tx.exec('ROLLBACK TO SAVEPOINT __cairn_row')
    await tx.exec('RELEASE SAVEPOINT __cairn_row')
    const err = e as { code?: string; message?: string; constraint?: string; column?: string }
    return { error: { code: err.code ?? '', message: err.message ?? String(e), ...(err.constraint ? { constraint: err.constraint } : {}), ...(err.column ? { column: err.column } : {}) } }
  }
}

/** Makes rows: one per (table, tenant, variant), parents first; remembers what it made. */
export class RowMaker {
  private readonly made = new Map<string, MadeRow>()
  private readonly failed = new Map<string, string>()
  private readonly busy = new Set<string>()
  /** The values that got through each table's constraints last time: the template of later rows. */
  private readonly accepted = new Map<string, Record<string, string | null>>()

  constructor(
    private readonly tx: Queryable,
    private readonly catalog: Catalog,
    /** Table key → its tenant column (tenant-scoped tables and the tenants table). */
    private readonly tenantColumns: ReadonlyMap<string, string>,
    private readonly tenantsTable: string | undefined,
    /** Sets the tenant for the statements that follow (the owner may be under FORCE ROW LEVEL SECURITY too). */
    private readonly setTenant: (tenant: string | null) => Promise<void>,
  ) {}

  /** Why a table's row could not be made, if it could not. */
  failure(table: string): string | undefined {
    return this.failed.get(table)
  }

  /** The row of `table` for `tenant` (null: a table shared by tenants), made on first use. */
  async row(table: string, tenant: string | null, variant = 0): Promise<MadeRow | undefined> {
    const key = `${table}\u0000${tenant ?? ''}\u0000${variant}`
    const have = this.made.get(key)
    if (have) return have
    if (this.failed.has(key) || this.busy.has(key)) return undefined
    this.busy.add(key)
    try {
      const values = await this.valuesFor(table, tenant, variant)
      if (typeof values === 'string') {
        this.failed.set(key, values)
        if (!this.failed.has(table)) this.failed.set(table, values)
        return undefined
      }
      const info = this.catalog.tables.get(table)!
      const made = await this.insertWithRetries(info, values, tenant)
      if (typeof made === 'string') {
        this.failed.set(key, made)
        if (!this.failed.has(table)) this.failed.set(table, made)
        return undefined
      }
      this.made.set(key, made)
      return made
    } finally {
      this.busy.delete(key)
    }
  }

  /**
   * The values of a new row of `table` for `tenant`, not inserted: the accepted template, new
   * values for the columns of its unique keys, and parents of `tenant`. `parents` overrides the
   * parent row of some foreign keys (by constraint name).
   */
  async values(table: string, tenant: string | null, parents: Readonly<Record<string, MadeRow>> = {}): Promise<Record<string, string | null> | string> {
    return this.valuesFor(table, tenant, 1 + this.made.size, parents, true)
  }

  private async valuesFor(
    table: string,
    tenant: string | null,
    variant: number,
    parents: Readonly<Record<string, MadeRow>> = {},
    fresh = false,
  ): Promise<Record<string, string | null> | string> {
    const info = this.catalog.tables.get(table)
    if (!info) return `${table} is not a table cairn can see`
    const tenantColumn = this.tenantColumns.get(table)
    const values: Record<string, string | null> = {}
    const isTenants = table === this.tenantsTable
    if (tenantColumn && tenant !== null && !(isTenants && fresh)) values[tenantColumn] = tenant
    // a foreign key holds while any of its columns is NULL (MATCH SIMPLE): it needs a parent only when all are NOT NULL
    const required = (cols: readonly string[]) => cols.every((c) => info.columns.find((x) => x.name === c)?.notNull)
    // a second row of a table keyed by its foreign keys alone (a join table) needs another parent for one of them
    const isFkColumn = (c: string) => info.foreignKeys.some((f) => f.columns.includes(c) && !f.columns.every((x) => x === tenantColumn))
    const fkKey = info.unique.find((u) => u.every((c) => c === tenantColumn || isFkColumn(c)))
    const vary = fresh && fkKey ? info.foreignKeys.find((f) => !f.columns.every((c) => c === tenantColumn) && f.columns.some((c) => fkKey.includes(c))) : undefined
    for (const fk of info.foreignKeys) {
      const onlyTenant = fk.columns.every((c) => c === tenantColumn)
      if (onlyTenant) continue
      const given = parents[fk.name]
      if (!given && !required(fk.columns)) continue
      let parent: MadeRow | undefined = given
      if (!parent) {
        if (fk.refTable === this.tenantsTable && tenant !== null) {
          for (const c of fk.columns) values[c] = tenant
          continue
        }
        const parentTenant = this.tenantColumns.has(fk.refTable) ? tenant : null
        parent = await this.row(fk.refTable, parentTenant, fk === vary ? variant : 0)
        if (!parent) return `cannot make a ${fk.refTable} row for foreign key ${fk.name}: ${this.failed.get(fk.refTable) ?? 'a cycle of required foreign keys'}`
      }
      const p = parent
      fk.columns.forEach((c, i) => {
        values[c] = p.values[fk.refColumns[i]] ?? null
      })
    }
    const template = this.accepted.get(table) ?? {}
    const uniqueCols = new Set(info.unique.flat())
    for (const col of info.columns) {
      if (col.generated || col.name in values) continue
      if (!col.notNull || col.filled) continue
      const reuse = template[col.name]
      if (reuse !== undefined && reuse !== null && !uniqueCols.has(col.name)) {
        values[col.name] = reuse
        continue
      }
      const v = valueFor(col)
      if (v === undefined) return `no value for ${table}.${col.name} of type ${col.type} (NOT NULL without a default)`
      values[col.name] = v
    }
    return values
  }

  private async insertWithRetries(info: TableInfo, first: Record<string, string | null>, tenant: string | null): Promise<MadeRow | string> {
    const table = `${info.schema}.${info.name}`
    const values = { ...first }
    const tried = new Map<string, string[]>()
    let last = ''
    for (let attempt = 0; attempt < 12; attempt++) {
      const r = await insertRow(this.tx, info, values, () => this.setTenant(tenant))
      if (r.row) {
        this.accepted.set(table, { ...values })
        return r.row
      }
      const e = r.error!
      last = `${e.code} ${e.message}`
      if (e.code === '23505') {
        // a duplicate: new values for the columns cairn made up
        for (const col of info.columns) {
          if (values[col.name] === undefined || col.name === this.tenantColumns.get(table)) continue
          if (info.foreignKeys.some((f) => f.columns.includes(col.name))) continue
          const v = valueFor(col, attempt + 1)
          if (v !== undefined) values[col.name] = v
        }
        continue
      }
      if (e.code === '23514' && e.constraint) {
        const check = info.checks.find((c) => c.name === e.constraint)
        const cols = (check?.columns ?? []).filter((c) => values[c] !== undefined && !info.foreignKeys.some((f) => f.columns.includes(c)))
        if (!check || !cols.length) break
        const candidates = checkCandidates(check.definition)
        const key = cols.join(',')
        const used = tried.get(key) ?? []
        const next = candidates.find((c) => !used.includes(c))
        if (next === undefined) break
        used.push(next)
        tried.set(key, used)
        for (const c of cols) values[c] = next
        continue
      }
      if (e.code === '23502' && e.column) {
        const col = info.columns.find((c) => c.name === e.column)
        const v = col ? valueFor(col, attempt) : undefined
        if (v === undefined || values[e.column] !== undefined) break
        values[e.column] = v
        continue
      }
      break
    }
    return `cannot insert a row into ${table}: ${last}`
  }
}
