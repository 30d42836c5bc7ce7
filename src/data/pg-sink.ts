/**
 * Writes prepared batches into Postgres: COPY per target table (straight into the table, or via a
 * temporary stage table and INSERT … ON CONFLICT for upserts), inside savepoints so that a batch
 * Postgres refuses is bisected down to the documents it refuses; the rest load.
 */
import { createHash, type Hash } from 'node:crypto'
import type { Queryable } from '../db/database.js'
import type { TableDef } from '../model/types.js'
import { CairnError } from '../errors.js'
import { ident, identList, qname } from '../sqlgen/quote.js'
import type { EncodedColumn } from './copy-format.js'
import { copyLine, writableColumns } from './copy-format.js'

/** Insert fails on existing keys; upsert updates them (re-runs over existing rows). */
export type LoadMode = 'insert' | 'upsert'

/** One target table of a job with its encodable columns. */
export interface SinkTarget {
  /** '' for the main target, else the extra target's key. */
  readonly key: string
  readonly table: TableDef
  readonly columns: readonly EncodedColumn[]
  readonly byName: ReadonlyMap<string, number>
  /** Column subsets seen so far, by key. */
  readonly subsets: Map<string, readonly EncodedColumn[]>
  /** The key order of the last row encoded (rows of one shape skip the column lookup). */
  shape?: { readonly keys: readonly string[]; readonly colsKey: string; readonly cols: readonly EncodedColumn[] }
}

/** Builds the sink targets of a job: main first, then extra targets in declaration order. */
export function sinkTargets(main: TableDef, extra: Readonly<Record<string, TableDef>>): SinkTarget[] {
  const mk = (key: string, table: TableDef): SinkTarget => {
    const columns = writableColumns(table)
    return { key, table, columns, byName: new Map(columns.map((c, i) => [c.name, i])), subsets: new Map() }
  }
  return [mk('', main), ...Object.entries(extra).map(([k, t]) => mk(k, t))]
}

/** One encoded row: which target, which column subset, and its COPY line. */
export interface EncodedRow {
  readonly target: number
  /** Indexes into the target's columns, as a comma-joined key (rows with equal keys share a COPY). */
  readonly colsKey: string
  readonly line: string
}

/** A document ready to load: its `_id` text and its encoded rows. */
export interface LoadUnit {
  readonly idText: string
  readonly rows: readonly EncodedRow[]
  /** Index of the document in its source batch (to find the original on reject). */
  readonly index: number
}

/**
 * Encodes one mapped row for `target`: columns are those the row sets (undefined = absent, so the
 * column default applies). Unknown keys are a definition error.
 */
export function encodeRow(targets: readonly SinkTarget[], t: number, row: Readonly<Record<string, unknown>>, job: string): EncodedRow {
  const target = targets[t]!
  // Fast path: a row with the same keys, in the same order, as the previous row of this target
  // (map() returns object literals of one shape).
  const shape = target.shape
  if (shape !== undefined) {
    const keys = shape.keys
    let j = 0
    let same = true
    for (const k in row) {
      if (row[k] === undefined) continue
      if (keys[j] !== k) {
        same = false
        break
      }
      j++
    }
    if (same && j === keys.length) return { target: t, colsKey: shape.colsKey, line: copyLine(row, shape.cols) }
  }
  const present: number[] = []
  const keys: string[] = []
  for (const k in row) {
    if (row[k] === undefined) continue
    const i = target.byName.get(k)
    if (i === undefined) {
      const known = target.table.columns.some((c) => c.name === k)
      throw new CairnError(
        'backfill_unknown_column',
        `backfill ${job}: map() sets ${known ? 'generated column' : 'unknown column'} "${k}" of ${target.table.schema}.${target.table.name}`,
        { hint: 'map() must return column names as in the database (snake_case), only for writable columns' },
      )
    }
    present.push(i)
    keys.push(k)
  }
  present.sort((a, b) => a - b)
  const colsKey = present.join(',')
  let cols = target.subsets.get(colsKey)
  if (!cols) target.subsets.set(colsKey, (cols = present.map((i) => target.columns[i]!)))
  target.shape = { keys, colsKey, cols }
  return { target: t, colsKey, line: copyLine(row, cols) }
}

/** A document Postgres refused, with the error. */
export interface RefusedUnit {
  readonly unit: LoadUnit
  readonly reason: string
}

/** Loads documents into the database through COPY, isolating refused documents by bisection. */
export class PgSink {
  private stage = 0

  constructor(
    private readonly targets: readonly SinkTarget[],
    private readonly mode: LoadMode,
  ) {}

  /**
   * Loads `units` inside the open transaction `tx`; returns the refused ones (the rest are written).
   * With `isolate: false` the rows go in without savepoints and a refusal aborts the transaction
   * (the fast path: callers retry the batch with `isolate: true` in a new transaction).
   */
  async load(tx: Queryable, units: readonly LoadUnit[], options: { isolate?: boolean } = {}): Promise<RefusedUnit[]> {
    if (!tx.copyFrom) throw new CairnError('backfill_no_copy', 'this database connection cannot COPY', { exitCode: 3 })
    if (units.length === 0) return []
    if (options.isolate === false) {
      await this.write(tx, units)
      return []
    }
    return this.bisect(tx, units, 0)
  }

  private async bisect(tx: Queryable, units: readonly LoadUnit[], depth: number): Promise<RefusedUnit[]> {
    const sp = `cairn_sp_${depth}`
    await tx.exec(`SAVEPOINT ${sp}`)
    try {
      await this.write(tx, units)
      await tx.exec(`RELEASE SAVEPOINT ${sp}`)
      return []
    } catch (e) {
      await tx.exec(`ROLLBACK TO SAVEPOINT ${sp}`)
      await tx.exec(`RELEASE SAVEPOINT ${sp}`)
      if (!isDatabaseError(e)) throw e
      if (units.length === 1) return [{ unit: units[0]!, reason: pgReason(e) }]
      const mid = units.length >>> 1
      const left = await this.bisect(tx, units.slice(0, mid), depth + 1)
      const right = await this.bisect(tx, units.slice(mid), depth + 1)
      return left.concat(right)
    }
  }

  /**
   * Loads `units` inside the open transaction `tx` without savepoints (a refusal aborts the
   * transaction) and returns the sha256 of their rows in load order, as rowsHash computes it.
   */
  async loadHashed(tx: Queryable, units: readonly LoadUnit[]): Promise<string> {
    if (!tx.copyFrom) throw new CairnError('backfill_no_copy', 'this database connection cannot COPY', { exitCode: 3 })
    const h = createHash('sha256')
    if (units.length === 0) return h.digest('hex')
    await this.write(tx, units, h)
    return h.digest('hex')
  }

  /**
   * COPYs all rows of `units`, table by table (main target first), column set by column set. With
   * `hash`, feeds it the rows in unit order: from the COPY data itself when all rows form one group
   * (then COPY order is unit order), else row by row.
   */
  private async write(tx: Queryable, units: readonly LoadUnit[], hash?: Hash): Promise<void> {
    const all: { t: number; colsKey: string; lines: string[] }[] = []
    for (let t = 0; t < this.targets.length; t++) {
      const groups = new Map<string, string[]>()
      for (const u of units) {
        const rows = u.rows
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!
          if (r.target !== t) continue
          let g = groups.get(r.colsKey)
          if (!g) groups.set(r.colsKey, (g = []))
          g.push(r.line)
        }
      }
      for (const [colsKey, lines] of groups) all.push({ t, colsKey, lines })
    }
    const whole = hash !== undefined && all.length === 1
    if (hash && !whole) for (const u of units) for (const r of u.rows) hash.update(r.line)
    for (const g of all) {
      const data = chunked(g.lines)
      if (whole) for (const d of data) hash.update(d)
      await this.copyGroup(tx, this.targets[g.t]!, g.colsKey, data, g.lines.length)
    }
  }

  private async copyGroup(tx: Queryable, target: SinkTarget, colsKey: string, data: readonly Buffer[], count: number): Promise<void> {
    const cols = colsKey === '' ? [] : colsKey.split(',').map((i) => target.columns[Number(i)]!.name)
    const table = qname(target.table.schema, target.table.name)
    if (cols.length === 0) {
      await tx.exec(`INSERT INTO ${table} SELECT FROM generate_series(1, ${count})`)
      return
    }
    if (this.mode === 'insert') {
      await tx.copyFrom!(`COPY ${table} (${identList(cols)}) FROM STDIN`, data)
      return
    }
    const stage = `cairn_stage_${++this.stage}`
    await tx.exec(`CREATE TEMP TABLE ${stage} ON COMMIT DROP AS SELECT ${identList(cols)} FROM ${table} WITH NO DATA`)
    await tx.copyFrom!(`COPY ${stage} (${identList(cols)}) FROM STDIN`, data)
    const pk = target.table.primaryKey!.columns
    const rest = cols.filter((c) => !pk.includes(c))
    const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}` : 'DO NOTHING'
    await tx.exec(`INSERT INTO ${table} (${identList(cols)}) SELECT ${identList(cols)} FROM ${stage} ON CONFLICT (${identList(pk)}) ${action}`)
  }
}

// A batch's lines joined in ~1 MB chunks and encoded once: small strings, no write per row, and
// the same bytes feed the hash and the COPY.
function chunked(lines: readonly string[]): Buffer[] {
  const out: Buffer[] = []
  let from = 0
  let size = 0
  for (let i = 0; i < lines.length; i++) {
    size += lines[i]!.length
    if (size > 1 << 20) {
      out.push(Buffer.from(lines.slice(from, i + 1).join(''), 'utf8'))
      from = i + 1
      size = 0
    }
  }
  if (from < lines.length) out.push(Buffer.from((from === 0 ? lines : lines.slice(from)).join(''), 'utf8'))
  return out
}

/** sha256 of the rows of `units`, in unit order (a batch checkpoint's hash). */
export function rowsHash(units: readonly LoadUnit[]): string {
  const h = createHash('sha256')
  for (const u of units) for (const r of u.rows) h.update(r.line)
  return h.digest('hex')
}

/** True for an error that Postgres raised about the data (SQLSTATE present), not a lost connection. */
export function isDatabaseError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false
  // Class 08 (connection), 53 (resources), 57 (operator intervention), 58 (system) are not the data's fault.
  return !/^(08|53|57|58|XX)/.test(code)
}

/** A reject reason from a Postgres error: SQLSTATE, message and detail. */
export function pgReason(e: unknown): string {
  const err = e as { code?: string; message?: string; detail?: string; constraint?: string }
  return `${err.code ?? ''} ${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ''}`.trim()
}
