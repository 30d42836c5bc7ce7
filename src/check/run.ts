/**
 * Counting the rows that would fail each validation, on a live database, without changing it:
 * every check runs in its own transaction, `SET TRANSACTION READ ONLY` (so it may run on a hot
 * standby), with a `statement_timeout`, and with `row_security = off` so that a role subject to
 * row-level security gets an error rather than a count of the rows it happens to see.
 *
 * Queries are built from the parsed statement: names quoted with ident(), expressions as read
 * back from the statement (checked to parse into the statement's own nodes), and cairn's own
 * aliases prefixed `__`. A check's failing rows are collected once (a MATERIALIZED CTE: one scan
 * of the table) for their count and a sample of their keys (primary key columns, else ctid).
 */
import type { Database, Queryable } from '../db/database.js'
import { isConnectionError } from '../db/connection-lost.js'
import type { Name } from '../lint/ast.js'
import { show } from '../lint/ast.js'
import { ident, literal, qname } from '../sqlgen/quote.js'
import { constraintValidations } from './validations.js'
import type { Validation } from './validations.js'

export type CheckStatus =
  /** No existing row fails. */
  | 'passes'
  /** Rows fail: the statement would fail. */
  | 'fails'
  /** Rows fail as the table is now, but an earlier statement of the run changes it first. */
  | 'may_fail'
  /** On a table the run creates: no rows. */
  | 'skipped'
  /** Not evaluated (a kind cairn check does not evaluate, or the check query refers to what the run has not created yet). */
  | 'not_checked'
  /** The check query ran past the statement timeout. */
  | 'timeout'
  /** The check query failed (privileges, row-level security, …). */
  | 'error'

export interface SampleRow {
  /** The key columns' values as text (null for NULL), in keyColumns order. */
  readonly key?: ReadonlyArray<string | null>
  /** Values of interest: the referencing columns of a foreign key, the duplicated key, the value that does not convert. */
  readonly values?: ReadonlyArray<string | null>
  /** UNIQUE: how many rows share the values. */
  readonly count?: number
  /** UNIQUE: keys of some of those rows. */
  readonly keys?: ReadonlyArray<ReadonlyArray<string | null>>
}

export interface CheckResult extends Omit<Validation, 'sql'> {
  readonly status: CheckStatus
  /** The statement's first line (the whole text is in the file). */
  readonly statementText: string
  /** The table as resolved on the database (schema-qualified). */
  readonly resolved?: string
  /** Rows that fail (UNIQUE: rows that share their key with another). */
  readonly failing?: number
  /** The count is a lower bound: the search for failing rows stopped at its budget. */
  readonly atLeast?: boolean
  /** UNIQUE / PRIMARY KEY: how many distinct duplicated keys. */
  readonly groups?: number
  /** How the rows were counted: `scan`, `pg_input_is_valid`, `cast`, `bisect` (cast tried per page, then per row, in subtransactions). */
  readonly method?: string
  readonly keyColumns?: readonly string[]
  readonly valueColumns?: readonly string[]
  readonly sample?: readonly SampleRow[]
  /** Why a check was not evaluated, failed or what the first conversion error said. */
  readonly reason?: string
  readonly durationMs: number
}

export interface CheckOptions {
  /** statement_timeout of each check query (ms). */
  readonly timeoutMs: number
  /** Sample keys shown per check (0: none). */
  readonly sample: number
  /** Queries a type-change search may run once the whole-table cast has failed (default 2000). */
  readonly maxProbes?: number
  /** Called before each check runs. */
  readonly onCheck?: (v: Validation, i: number, total: number) => void
}

const ALIAS = '__'

/** Evaluates each validation on `db`; resolves VALIDATE CONSTRAINT of constraints added before the run. */
export async function runChecks(db: Database, validations: readonly Validation[], options: CheckOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = []
  for (let i = 0; i < validations.length; i++) {
    const v = validations[i]
    options.onCheck?.(v, i, validations.length)
    out.push(...(await runOne(db, v, options)))
  }
  return out
}

function firstLine(sql: string): string {
  const line = sql.split(/\r?\n/)[0]
  return line.length > 160 ? `${line.slice(0, 157)}…` : line + (sql.includes('\n') ? ' …' : '')
}

function resultOf(v: Validation, rest: Partial<CheckResult> & { status: CheckStatus; durationMs: number }): CheckResult {
  const { sql, ...fields } = v
  return { ...fields, statementText: firstLine(sql), ...rest }
}

class CheckFailure extends Error {
  constructor(readonly status: CheckStatus, message: string) {
    super(message)
  }
}

async function runOne(db: Database, v: Validation, options: CheckOptions): Promise<CheckResult[]> {
  const started = Date.now()
  const ms = () => Date.now() - started
  if (v.skip) return [resultOf(v, { status: v.newTable ? 'skipped' : 'not_checked', reason: v.skip, durationMs: 0 })]
  try {
    return await db.transaction(async (tx) => {
      await tx.exec(`SET TRANSACTION READ ONLY`)
      await tx.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`)
      await tx.exec(`SET LOCAL row_security = off`)
      const table = await resolveTable(tx, v.table)
      if (!table) throw new CheckFailure('not_checked', `${show(v.table)} does not exist on this database${v.changedBefore ? '' : ' (is it created or renamed by an earlier migration?)'}`)
      if (v.kind === 'validate') return validateExisting(db, tx, v, table, options, started)
      const r = await evaluate(tx, db.serverVersion, v, table, options)
      return [resultOf(v, { ...r, resolved: table.display, durationMs: ms() })]
    })
  } catch (e) {
    if (isConnectionError(e)) throw e
    if (e instanceof CheckFailure) return [resultOf(v, { status: e.status, reason: e.message, durationMs: ms() })]
    return [resultOf(v, { ...classify(e, v), durationMs: ms() })]
  }
}

/** A failed check query: a timeout, a query that refers to what does not exist (yet), or an error. */
function classify(e: unknown, v: Validation): { status: CheckStatus; reason: string } {
  const code = (e as { code?: string }).code ?? ''
  const message = e instanceof Error ? e.message : String(e)
  if (code === '57014') return { status: 'timeout', reason: `the check query ran past the statement timeout (--timeout): ${message}` }
  if (code === '42501') {
    return {
      status: 'error',
      reason: /row-level security/i.test(message)
        ? `${message}: connect as the table owner or a role with BYPASSRLS (foreign keys and constraints see every row; a count under row-level security would not)`
        : `${message}: the checking role needs SELECT on the tables`,
    }
  }
  if (code.startsWith('42')) {
    return { status: 'not_checked', reason: `the check query does not run here (${message})${v.changedBefore ? `; ${v.changedBefore.file}:${v.changedBefore.line} changes the table first` : '; it may refer to something an earlier statement of the run creates'}` }
  }
  return { status: 'error', reason: message }
}

interface Table {
  readonly oid: string
  readonly schema: string
  readonly name: string
  /** Schema-qualified, quoted: for SQL. */
  readonly sql: string
  readonly display: string
  readonly partitioned: boolean
}

async function resolveTable(tx: Queryable, t: Name): Promise<Table | undefined> {
  const name = t.schema ? qname(t.schema, t.name) : ident(t.name)
  const rows = await tx.query<{ oid: string; nspname: string; relname: string; relkind: string }>(
    `SELECT c.oid::int8::text AS oid, n.nspname, c.relname, c.relkind::text AS relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = pg_catalog.to_regclass($1)`,
    [name],
  )
  const r = rows[0]
  if (!r) return undefined
  return { oid: r.oid, schema: r.nspname, name: r.relname, sql: qname(r.nspname, r.relname), display: `${r.nspname}.${r.relname}`, partitioned: r.relkind === 'p' }
}

/** The primary key columns of a table, in key order; empty when it has none. */
async function primaryKey(tx: Queryable, oid: string): Promise<string[]> {
  const rows = await tx.query<{ attname: string }>(
    `SELECT a.attname FROM pg_catalog.pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1::oid AND i.indisprimary ORDER BY k.ord`,
    [oid],
  )
  return rows.map((r) => r.attname)
}

/** Key columns shown for failing rows, and their SQL (relative to `alias`, or unqualified). */
async function keysOf(tx: Queryable, table: Table, alias?: string): Promise<{ names: string[]; sql: string[] }> {
  const pk = await primaryKey(tx, table.oid)
  const q = (c: string) => (alias ? `${alias}.${c}` : c)
  if (pk.length) return { names: pk, sql: pk.map((c) => q(ident(c))) }
  // no primary key: the row's physical address (and partition)
  return table.partitioned
    ? { names: ['tableoid', 'ctid'], sql: [`${q('tableoid')}::pg_catalog.regclass`, q('ctid')] }
    : { names: ['ctid'], sql: [q('ctid')] }
}

type Row = Record<string, unknown>
const num = (x: unknown) => Number(x ?? 0)
const textArray = (sql: readonly string[]) => `pg_catalog.json_build_array(${sql.map((s) => `(${s})::text`).join(', ')})`

interface Evaluation {
  status: CheckStatus
  failing?: number
  atLeast?: boolean
  groups?: number
  method?: string
  keyColumns?: string[]
  valueColumns?: string[]
  sample?: SampleRow[]
  reason?: string
}

/**
 * Counts the rows of `from` matching `where` and samples their keys (and values), with one scan:
 * the failing rows are collected in a MATERIALIZED CTE.
 */
async function failingRows(
  tx: Queryable,
  from: string,
  where: string,
  keys: { names: readonly string[]; sql: readonly string[] },
  sample: number,
  values: { names: readonly string[]; sql: readonly string[] } = { names: [], sql: [] },
): Promise<Pick<Evaluation, 'failing' | 'sample' | 'keyColumns' | 'valueColumns'>> {
  if (sample <= 0) {
    const r = await tx.query<Row>(`SELECT count(*)::int8 AS n FROM ${from} WHERE ${where}`)
    return { failing: num(r[0]?.n) }
  }
  const cols = [...keys.sql, ...values.sql].map((s, i) => `(${s}) AS ${ALIAS}c${i + 1}`)
  const k = keys.sql.map((_, i) => `${ALIAS}c${i + 1}`)
  const vv = values.sql.map((_, i) => `${ALIAS}c${keys.sql.length + i + 1}`)
  const order = k.map((_, i) => String(i + 1)).join(', ')
  const sql =
    `WITH ${ALIAS}f AS MATERIALIZED (SELECT ${cols.join(', ')} FROM ${from} WHERE ${where})\n` +
    `SELECT (SELECT count(*) FROM ${ALIAS}f)::int8 AS n,\n` +
    `  (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_array(${textArray(k)}, ${vv.length ? textArray(vv) : 'NULL'})), '[]')` +
    ` FROM (SELECT * FROM ${ALIAS}f ORDER BY ${order} LIMIT ${Math.floor(sample)}) ${ALIAS}s)::text AS sample`
  const r = (await tx.query<Row>(sql))[0]
  const rows = JSON.parse(String(r?.sample ?? '[]')) as Array<[Array<string | null>, Array<string | null> | null]>
  return {
    failing: num(r?.n),
    keyColumns: [...keys.names],
    ...(values.names.length ? { valueColumns: [...values.names] } : {}),
    sample: rows.map(([key, vals]) => ({ key, ...(vals ? { values: vals } : {}) })),
  }
}

async function evaluate(tx: Queryable, serverVersion: number, v: Validation, table: Table, o: CheckOptions): Promise<Evaluation> {
  const verdict = (e: Omit<Evaluation, 'status'>): Evaluation => ({
    status: (e.failing ?? 0) > 0 ? (v.changedBefore ? 'may_fail' : 'fails') : 'passes',
    ...e,
  })
  switch (v.kind) {
    case 'not_null': {
      let cols = v.columns
      if (!cols && v.usingIndex) {
        const ix = v.usingIndex.schema ? qname(v.usingIndex.schema, v.usingIndex.name) : ident(v.usingIndex.name)
        const rows = await tx.query<{ attname: string }>(
          `SELECT a.attname FROM pg_catalog.pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indexrelid = pg_catalog.to_regclass($1) ORDER BY k.ord`,
          [ix],
        )
        if (!rows.length) throw new CheckFailure('not_checked', `index ${show(v.usingIndex)} does not exist on this database, or is on expressions`)
        cols = rows.map((r) => r.attname)
      }
      if (!cols?.length) throw new CheckFailure('not_checked', 'no columns')
      const keys = await keysOf(tx, table)
      return verdict({ method: 'scan', ...(await failingRows(tx, table.sql, cols.map((c) => `${ident(c)} IS NULL`).join(' OR '), keys, o.sample)) })
    }
    case 'check': {
      const keys = await keysOf(tx, table)
      // a CHECK passes when its expression is true or NULL: only a false one fails
      return verdict({ method: 'scan', ...(await failingRows(tx, table.sql, `NOT (${v.predicate}\n)`, keys, o.sample)) })
    }
    case 'required_column': {
      const keys = await keysOf(tx, table)
      const n = num((await tx.query<Row>(`SELECT count(*)::int8 AS n FROM ${table.sql}`))[0]?.n)
      const sample = o.sample > 0 && n > 0
        ? (await tx.query<{ k: string }>(`SELECT ${textArray(keys.sql)}::text AS k FROM ${table.sql} LIMIT ${Math.floor(o.sample)}`)).map((r) => ({ key: JSON.parse(r.k) }))
        : []
      return verdict({ method: 'scan', failing: n, keyColumns: keys.names, sample })
    }
    case 'foreign_key':
      return verdict(await foreignKey(tx, v, table, o))
    case 'unique':
    case 'primary_key':
      return verdict(await unique(tx, v, table, o))
    case 'exclusion':
      return verdict(await exclusion(tx, v, table, o))
    case 'type_change':
      return typeChange(tx, serverVersion, v, table, o, verdict)
    default:
      throw new CheckFailure('not_checked', `${v.kind} is not evaluated`)
  }
}

async function foreignKey(tx: Queryable, v: Validation, table: Table, o: CheckOptions): Promise<Omit<Evaluation, 'status'>> {
  const ref = v.references!
  const fk = v.columns ?? []
  const c = `${ALIAS}c`
  const p = `${ALIAS}p`
  let exists: string
  if (ref.empty) exists = 'false'
  else {
    const parent = await resolveTable(tx, ref.table)
    if (!parent) throw new CheckFailure('not_checked', `the referenced table ${show(ref.table)} does not exist on this database`)
    const pk = ref.columns?.length ? [...ref.columns] : await primaryKey(tx, parent.oid)
    if (pk.length !== fk.length) throw new CheckFailure('not_checked', `the referenced columns of ${parent.display} are not known (${pk.length ? pk.join(', ') : 'it has no primary key'})`)
    exists = `EXISTS (SELECT 1 FROM ${parent.sql} AS ${p} WHERE ${pk.map((col, i) => `${p}.${ident(col)} = ${c}.${ident(fk[i])}`).join(' AND ')})`
  }
  const all = fk.map((col) => `${c}.${ident(col)} IS NOT NULL`).join(' AND ')
  // MATCH SIMPLE (and PARTIAL, which PostgreSQL does not implement): a row with a NULL key column is not checked;
  // MATCH FULL: a row with some but not all key columns NULL fails as well
  let where = `${all} AND NOT ${exists}`
  if (ref.match === 'full' && fk.length > 1) where = `(${where}) OR (NOT (${all}) AND NOT (${fk.map((col) => `${c}.${ident(col)} IS NULL`).join(' AND ')}))`
  const keys = await keysOf(tx, table, c)
  const values = { names: fk, sql: fk.map((col) => `${c}.${ident(col)}`) }
  return { method: 'anti-join', ...(await failingRows(tx, `${table.sql} AS ${c}`, where, keys, o.sample, values)) }
}

async function unique(tx: Queryable, v: Validation, table: Table, o: CheckOptions): Promise<Omit<Evaluation, 'status'>> {
  const parts = v.keys ?? []
  const keys = await keysOf(tx, table)
  const u = parts.map((_, i) => `${ALIAS}u${i + 1}`)
  // the first and last key of each duplicated group come out of the same scan (as text: min/max exist for every type's text)
  const key = keys.sql.length === 1 ? `(${keys.sql[0]})::text` : `${textArray(keys.sql)}::text`
  const inner = `SELECT ${parts.map((k, i) => `${k.sql} AS ${u[i]}`).join(', ')}, ${key} AS ${ALIAS}k FROM ${table.sql}${v.predicate ? ` WHERE (${v.predicate}\n)` : ''}`
  // NULLS DISTINCT (the default): a row with a NULL key part never conflicts
  const notNull = v.nullsNotDistinct ? '' : ` WHERE ${u.map((x) => `${x} IS NOT NULL`).join(' AND ')}`
  const order = u.map((_, i) => String(i + 1)).join(', ')
  // nearly every group has one row: grouping by sorting, with the memory an index build gets, beats a hash that spills
  await tx.query(`SELECT pg_catalog.set_config('work_mem', current_setting('maintenance_work_mem'), true), pg_catalog.set_config('enable_hashagg', 'off', true)`)
  const sql =
    `WITH ${ALIAS}d AS MATERIALIZED (SELECT ${u.join(', ')}, count(*) AS ${ALIAS}n, min(${ALIAS}k) AS ${ALIAS}lo, max(${ALIAS}k) AS ${ALIAS}hi FROM (${inner}) ${ALIAS}x${notNull} GROUP BY ${u.join(', ')} HAVING count(*) > 1)\n` +
    `SELECT (SELECT count(*) FROM ${ALIAS}d)::int8 AS groups, (SELECT coalesce(sum(${ALIAS}n), 0) FROM ${ALIAS}d)::int8 AS n,\n` +
    `  (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_array(${ALIAS}n, ${textArray(u)}, ${ALIAS}lo, ${ALIAS}hi)), '[]') FROM (SELECT * FROM ${ALIAS}d ORDER BY ${ALIAS}n DESC, ${order} LIMIT ${Math.max(0, Math.floor(o.sample))}) ${ALIAS}s)::text AS sample`
  const r = (await tx.query<Row>(sql))[0]
  const groups = JSON.parse(String(r?.sample ?? '[]')) as Array<[number, Array<string | null>, string, string]>
  const asKey = (k: string): Array<string | null> => (keys.sql.length === 1 ? [k] : (JSON.parse(k) as Array<string | null>))
  return {
    method: 'group by',
    failing: num(r?.n),
    groups: num(r?.groups),
    valueColumns: parts.map(partName),
    keyColumns: keys.names,
    sample: groups.map(([n, vals, lo, hi]) => ({ values: vals, count: Number(n), keys: lo === hi ? [asKey(lo)] : [asKey(lo), asKey(hi)] })),
  }
}

async function exclusion(tx: Queryable, v: Validation, table: Table, o: CheckOptions): Promise<Omit<Evaluation, 'status'>> {
  const parts = v.keys ?? []
  const keys = await keysOf(tx, table)
  const u = parts.map((_, i) => `${ALIAS}u${i + 1}`)
  const k = keys.sql.map((_, i) => `${ALIAS}k${i + 1}`)
  const a = `${ALIAS}a`
  const b = `${ALIAS}b`
  const op = (p: (typeof parts)[number]) => (p.op!.schema ? `OPERATOR(${ident(p.op!.schema)}.${p.op!.name})` : p.op!.name)
  const x =
    `SELECT tableoid AS ${ALIAS}to, ctid AS ${ALIAS}ct, ${keys.sql.map((s, i) => `(${s}) AS ${k[i]}`).join(', ')}, ${parts.map((p, i) => `${p.sql} AS ${u[i]}`).join(', ')} FROM ${table.sql}` +
    (v.predicate ? ` WHERE (${v.predicate}\n)` : '')
  const conflict = `EXISTS (SELECT 1 FROM ${ALIAS}x ${b} WHERE (${b}.${ALIAS}to <> ${a}.${ALIAS}to OR ${b}.${ALIAS}ct <> ${a}.${ALIAS}ct) AND ${parts.map((p, i) => `${a}.${u[i]} ${op(p)} ${b}.${u[i]}`).join(' AND ')})`
  const sql =
    `WITH ${ALIAS}x AS MATERIALIZED (${x}),\n` +
    `${ALIAS}f AS MATERIALIZED (SELECT * FROM ${ALIAS}x ${a} WHERE ${conflict})\n` +
    `SELECT (SELECT count(*) FROM ${ALIAS}f)::int8 AS n,\n` +
    `  (SELECT coalesce(pg_catalog.json_agg(pg_catalog.json_build_array(${textArray(k)}, ${textArray(u)})), '[]') FROM (SELECT * FROM ${ALIAS}f ORDER BY ${k.join(', ')} LIMIT ${Math.max(0, Math.floor(o.sample))}) ${ALIAS}s)::text AS sample`
  const r = (await tx.query<Row>(sql))[0]
  const rows = JSON.parse(String(r?.sample ?? '[]')) as Array<[Array<string | null>, Array<string | null>]>
  return {
    method: 'self-join',
    failing: num(r?.n),
    keyColumns: keys.names,
    valueColumns: parts.map(partName),
    sample: rows.map(([key, values]) => ({ key, values })),
  }
}

/** A key part as shown: the column, or the expression without its parentheses. */
const partName = (p: { column?: string; sql: string }) => p.column ?? p.sql.replace(/^\((.*)\)$/s, '$1')

const DATA_ERROR = /^(22|23|P0)/

async function typeChange(
  tx: Queryable,
  serverVersion: number,
  v: Validation,
  table: Table,
  o: CheckOptions,
  verdict: (e: Omit<Evaluation, 'status'>) => Evaluation,
): Promise<Evaluation> {
  const t = v.type!
  const col = await tx.query<{ type: string; category: string; oid: string }>(
    `SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, ty.typcategory::text AS category, a.atttypid::int8::text AS oid
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
      WHERE a.attrelid = $1::oid AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped`,
    [table.oid, t.column],
  )
  if (!col[0]) throw new CheckFailure('not_checked', `${table.display} has no column ${t.column} on this database`)
  const source = col[0]
  const target = await tx.query<{ oid: string | null }>(`SELECT pg_catalog.to_regtype($1)::oid::int8::text AS oid`, [t.text])
  if (!target[0]?.oid) throw new CheckFailure('not_checked', `type ${t.text} does not exist on this database`)
  if (!t.using && !(await automaticCast(tx, source.oid, target[0].oid))) {
    return {
      status: 'fails',
      method: 'catalog',
      reason: `there is no automatic cast from ${source.type} to ${t.text}: the ALTER fails whatever the rows hold (give USING ${ident(t.column)}::${t.text})`,
    }
  }
  const keys = await keysOf(tx, table)
  const expr = t.using !== undefined ? `(${t.using}\n)` : ident(t.column)
  const value = { names: [t.column], sql: [ident(t.column)] }
  // PostgreSQL 16+: a text-like column without USING converts through the type's input function, which pg_input_is_valid tries without an error
  if (serverVersion >= 160000 && t.using === undefined && source.category === 'S') {
    const where = `${ident(t.column)} IS NOT NULL AND NOT pg_catalog.pg_input_is_valid(${ident(t.column)}::text, ${literal(t.text)})`
    return verdict({ method: 'pg_input_is_valid', ...(await failingRows(tx, table.sql, where, keys, o.sample, value)) })
  }
  // one scan converting every row (an explicit cast, to the type without its length: varchar(n) and char(n) are
  // compared by length, since an ALTER refuses a longer value where an explicit cast would cut it)
  const castType = t.base ?? t.text
  const long = t.maxLength !== undefined ? `pg_catalog.char_length(pg_catalog.rtrim((${ALIAS}v)::text, ' ')) > ${t.maxLength}` : undefined
  const converted = (where?: string) => `(SELECT ${keys.sql.map((s, i) => `(${s}) AS ${ALIAS}k${i + 1}`).join(', ')}, ${ident(t.column)} AS ${ALIAS}o, (${expr})::${castType} AS ${ALIAS}v FROM ${table.sql}${where ? ` WHERE ${where}` : ''}) ${ALIAS}x`
  const kk = { names: keys.names, sql: keys.sql.map((_, i) => `${ALIAS}k${i + 1}`) }
  await tx.exec(`SAVEPOINT ${ALIAS}cast`)
  try {
    let r: Omit<Evaluation, 'status'>
    if (long) r = await failingRows(tx, converted(), `${ALIAS}v IS NOT NULL AND ${long}`, kk, o.sample, { names: value.names, sql: [`${ALIAS}o`] })
    else {
      // count(v) makes every row convert; the count itself is not needed
      await tx.query(`SELECT count(${ALIAS}v) FROM ${converted()}`)
      r = { failing: 0, keyColumns: keys.names, sample: [] }
    }
    await tx.exec(`RELEASE SAVEPOINT ${ALIAS}cast`)
    return verdict({ method: 'cast', ...r })
  } catch (e) {
    const code = (e as { code?: string }).code ?? ''
    if (!DATA_ERROR.test(code)) throw e
    await tx.exec(`ROLLBACK TO SAVEPOINT ${ALIAS}cast`)
    const first = e instanceof Error ? e.message : String(e)
    const found = await bisect(tx, table, keys, expr, ident(t.column), castType, long, o)
    return verdict({
      method: 'bisect',
      failing: found.failing,
      ...(found.atLeast ? { atLeast: true } : {}),
      keyColumns: keys.names,
      valueColumns: value.names,
      sample: found.sample,
      reason: `the conversion fails: ${first}${found.atLeast ? `; the search stopped after ${found.probes} queries, so this is a lower bound` : ''}`,
    })
  }
}

/** True when ALTER COLUMN … TYPE without USING may convert `source` to `target` (an implicit or assignment cast exists). */
async function automaticCast(tx: Queryable, source: string, target: string): Promise<boolean> {
  const r = await tx.query<{ ok: boolean }>(
    `SELECT $1::oid = $2::oid
         OR t.typcategory = 'S' OR t.typtype = 'd' OR s.typtype = 'd' OR t.typelem <> 0 AND t.typlen = -1
         OR EXISTS (SELECT 1 FROM pg_catalog.pg_cast c WHERE c.castsource = $1::oid AND c.casttarget = $2::oid AND c.castcontext IN ('a', 'i')) AS ok
       FROM pg_catalog.pg_type s, pg_catalog.pg_type t WHERE s.oid = $1::oid AND t.oid = $2::oid`,
    [source, target],
  )
  return r[0]?.ok !== false
}

/**
 * The rows whose conversion fails, found by halving page ranges of the table (`ctid` ranges, each
 * converted in a subtransaction), then trying each row of a failing page alone. Bounded by
 * `maxProbes` queries: past that, the count found so far is a lower bound.
 */
async function bisect(
  tx: Queryable,
  table: Table,
  keys: { names: readonly string[]; sql: readonly string[] },
  expr: string,
  column: string,
  castType: string,
  long: string | undefined,
  o: CheckOptions,
): Promise<{ failing: number; atLeast: boolean; probes: number; sample: SampleRow[] }> {
  const max = o.maxProbes ?? 2000
  let probes = 0
  let failing = 0
  const sample: SampleRow[] = []
  const pages = num((await tx.query<Row>(
    `SELECT greatest(pg_catalog.pg_relation_size($1::oid::regclass), (SELECT max(pg_catalog.pg_relation_size(relid)) FROM pg_catalog.pg_partition_tree($1::oid::regclass))) / current_setting('block_size')::int8 AS pages`,
    [table.oid],
  ))[0]?.pages)
  const range = (lo: number, hi: number | undefined) => `ctid >= '(${lo},0)'::tid${hi === undefined ? '' : ` AND ctid < '(${hi},0)'::tid`}`
  /** Runs `sql` in a subtransaction: its rows, or undefined when it fails with a data error. */
  const attempt = async <R>(sql: string, params: unknown[] = []): Promise<R[] | undefined> => {
    probes++
    await tx.exec(`SAVEPOINT ${ALIAS}probe`)
    try {
      const rows = await tx.query<R & Row>(sql, params)
      await tx.exec(`RELEASE SAVEPOINT ${ALIAS}probe`)
      return rows
    } catch (e) {
      if (!DATA_ERROR.test((e as { code?: string }).code ?? '')) throw e
      await tx.exec(`ROLLBACK TO SAVEPOINT ${ALIAS}probe`)
      await tx.exec(`RELEASE SAVEPOINT ${ALIAS}probe`)
      return undefined
    }
  }
  const lengthCount = long ? `count(*) FILTER (WHERE ${long.replaceAll(`${ALIAS}v`, `(${expr})::${castType}`)})` : '0'
  // pages [0, pages) are halved; the open-ended rest holds rows added since the size was read (usually none)
  const stack: Array<[number, number | undefined]> = [[pages, undefined], ...(pages > 0 ? [[0, pages] as [number, number]] : [])]
  let stopped = false
  while (stack.length) {
    if (probes >= max) {
      stopped = true
      break
    }
    const [lo, hi] = stack.pop()!
    const ok = await attempt<{ n: string; l: string }>(`SELECT count((${expr})::${castType})::int8 AS n, ${lengthCount}::int8 AS l FROM ${table.sql} WHERE ${range(lo, hi)}`)
    if (ok) {
      failing += num(ok[0]?.l)
      continue
    }
    if (hi !== undefined && hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2)
      stack.push([mid, hi], [lo, mid])
      continue
    }
    // one page (or the open-ended rest): each row alone
    const rows = await tx.query<{ o: string; r: string; k: string; v: string | null }>(
      `SELECT tableoid::oid::int8::text AS o, ctid::text AS r, ${textArray(keys.sql)}::text AS k, (${column})::text AS v FROM ${table.sql} WHERE ${range(lo, hi)} ORDER BY ctid LIMIT ${Math.max(1, max - probes)}`,
    )
    for (const row of rows) {
      if (probes >= max) {
        stopped = true
        break
      }
      const one = await attempt<{ l: boolean }>(
        `SELECT (${expr})::${castType} IS NULL AS n, ${long ? long.replaceAll(`${ALIAS}v`, `(${expr})::${castType}`) : 'false'} AS l FROM ${table.sql} WHERE tableoid = $1::oid AND ctid = $2::tid`,
        [row.o, row.r],
      )
      if (one && !one[0]?.l) continue
      failing++
      if (sample.length < o.sample) sample.push({ key: JSON.parse(row.k), values: [row.v] })
    }
    if (stopped) break
  }
  return { failing, atLeast: stopped, probes, sample }
}

/** VALIDATE CONSTRAINT of a constraint that exists on the database: its definition is read and checked. */
async function validateExisting(db: Database, tx: Queryable, v: Validation, table: Table, options: CheckOptions, started: number): Promise<CheckResult[]> {
  const rows = await tx.query<{ def: string; validated: boolean }>(
    `SELECT pg_catalog.pg_get_constraintdef(c.oid) AS def, c.convalidated AS validated FROM pg_catalog.pg_constraint c WHERE c.conrelid = $1::oid AND c.conname = $2`,
    [table.oid, v.constraint],
  )
  const row = rows[0]
  if (!row) throw new CheckFailure('not_checked', `${table.display} has no constraint ${v.constraint} on this database${v.changedBefore ? '' : ' (is it added by an earlier migration?)'}`)
  if (row.validated) return [resultOf(v, { status: 'passes', resolved: table.display, reason: 'the constraint is already valid: VALIDATE does nothing', durationMs: Date.now() - started })]
  const found = constraintValidations({ schema: table.schema, name: table.name }, v.constraint!, row.def, v)
  if (!found.length) throw new CheckFailure('not_checked', `cannot evaluate ${row.def}`)
  const out: CheckResult[] = []
  for (const f of found) {
    const r = await evaluate(tx, db.serverVersion, f, table, options)
    out.push(resultOf({ ...f, what: `VALIDATE CONSTRAINT ${ident(v.constraint!)}: ${f.what}`, kind: f.kind }, { ...r, resolved: table.display, durationMs: Date.now() - started }))
  }
  return out
}
