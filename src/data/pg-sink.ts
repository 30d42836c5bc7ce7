/**
 * Writes prepared batches into Postgres: COPY per target table (straight into the table, or via a
 * temporary stage table and INSERT … ON CONFLICT for upserts), inside savepoints so that a batch
 * Postgres refuses is bisected down to the documents it refuses; the rest load.
 */
import { createHash } from 'node:crypto'
import type { Queryable } from '../db/database.js'
import type { TableDef } from '../model/types.js'
import { CairnError } from '../errors.js'
import { ident, identList, qname } from '../sqlgen/quote.js'
import type { EncodedColumn } from './copy-format.js'
import { lineEncoder, writableColumns, type LineEncoder } from './copy-format.js'
import { BinaryWriter, binaryEncoder, type BinaryRowEncoder } from './copy-binary.js'

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
  readonly subsets: Map<string, RowShape>
  /** The key order of the last row encoded (rows of one shape skip the column lookup). */
  last?: { readonly keys: readonly string[]; readonly shape: RowShape }
}

/** The columns a row sets and how to encode such rows. */
export interface RowShape {
  /** Indexes into the target's columns, as a comma-joined key (rows with equal keys share a COPY). */
  readonly colsKey: string
  readonly text: LineEncoder
  /** Binary COPY encoder, when every column type has a binary form here. */
  readonly binary?: BinaryRowEncoder
  /** Set once a value had no binary form: this shape loads as text from then on. */
  textOnly?: boolean
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
 * The shape of one mapped row for `target`: columns are those the row sets (undefined = absent, so
 * the column default applies). Unknown keys are a definition error.
 */
export function rowShape(targets: readonly SinkTarget[], t: number, row: Readonly<Record<string, unknown>>, job: string): RowShape {
  const target = targets[t]!
  // Fast path: a row with the same keys, in the same order, as the previous row of this target
  // (map() returns object literals of one shape).
  const last = target.last
  if (last !== undefined) {
    const keys = last.keys
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
    if (same && j === keys.length) return last.shape
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
  let shape = target.subsets.get(colsKey)
  if (!shape) {
    const cols = present.map((i) => target.columns[i]!)
    const binary = binaryEncoder(cols)
    shape = { colsKey, text: lineEncoder(cols), ...(binary ? { binary } : {}) }
    target.subsets.set(colsKey, shape)
  }
  target.last = { keys, shape }
  return shape
}

/** Encodes one mapped row for `target` as a COPY text line. */
export function encodeRow(targets: readonly SinkTarget[], t: number, row: Readonly<Record<string, unknown>>, job: string): EncodedRow {
  const shape = rowShape(targets, t, row, job)
  return { target: t, colsKey: shape.colsKey, line: shape.text(row) }
}

/** The COPY data of one (target, column set): what one COPY statement loads. */
export interface CopyGroup {
  readonly target: number
  readonly colsKey: string
  readonly rows: number
  /** Binary COPY format, else text. */
  readonly binary: boolean
  /** The COPY data, in a buffer of its own (transferable between threads). */
  readonly data: Uint8Array
}

/** Raised by GroupCollector.addRow when a value has no binary form after rows went in as binary. */
export class BinaryFallback extends Error {}

interface Builder {
  rows: number
  lines?: string[]
  binary?: BinaryWriter
}

/**
 * Collects rows into COPY groups: by target in target order, then by column set in the order first
 * seen. A group is binary when its shape has a binary encoder (and has not fallen back to text).
 */
export class GroupCollector {
  private readonly byTarget: Map<string, Builder>[]

  constructor(targets: number) {
    this.byTarget = Array.from({ length: targets }, () => new Map())
  }

  /** Adds a text line (rows prepared per document). */
  add(row: EncodedRow): void {
    const g = this.builder(row.target, row.colsKey, false)
    g.rows++
    g.lines!.push(row.line)
  }

  /**
   * Encodes and adds a mapped row. Throws BinaryFallback when a value has no binary form in a group
   * already holding binary rows (the shape is marked text-only: prepare the batch again).
   */
  addRow(target: number, shape: RowShape, row: Readonly<Record<string, unknown>>): void {
    const binary = shape.binary !== undefined && !shape.textOnly
    const g = this.builder(target, shape.colsKey, binary)
    if (g.binary) {
      if (!shape.binary!(row, g.binary)) {
        shape.textOnly = true
        throw new BinaryFallback(`a value of ${shape.colsKey} has no binary form`)
      }
    } else g.lines!.push(shape.text(row))
    g.rows++
  }

  private builder(target: number, colsKey: string, binary: boolean): Builder {
    const groups = this.byTarget[target]!
    let g = groups.get(colsKey)
    if (!g) groups.set(colsKey, (g = binary ? { rows: 0, binary: new BinaryWriter() } : { rows: 0, lines: [] }))
    return g
  }

  finish(): CopyGroup[] {
    const out: CopyGroup[] = []
    this.byTarget.forEach((groups, target) => {
      for (const [colsKey, g] of groups) {
        out.push({ target, colsKey, rows: g.rows, binary: Boolean(g.binary), data: g.binary ? g.binary.finish() : utf8(g.lines!) })
      }
    })
    return out
  }
}

// Lines joined and encoded once into a buffer that owns its memory: small Buffers share a pooled
// ArrayBuffer, which a transfer to another thread would take from under their neighbours.
function utf8(lines: readonly string[]): Uint8Array {
  const text = lines.join('')
  if (text.length > Buffer.poolSize) return Buffer.from(text, 'utf8')
  return new Uint8Array(Buffer.from(text, 'utf8'))
}

/** The COPY groups of `units`' rows. */
export function groupsOf(targets: number, units: readonly LoadUnit[]): CopyGroup[] {
  const c = new GroupCollector(targets)
  for (const u of units) for (const r of u.rows) c.add(r)
  return c.finish()
}

/** sha256 of a batch's COPY data, group by group in load order (a checkpoint's hash). */
export function groupsHash(groups: readonly CopyGroup[]): string {
  const h = createHash('sha256')
  for (const g of groups) h.update(g.data)
  return h.digest('hex')
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
   * Loads `units` inside the open transaction `tx` with savepoints, bisecting down to the documents
   * Postgres refuses; returns those (the rest are written).
   */
  async load(tx: Queryable, units: readonly LoadUnit[]): Promise<RefusedUnit[]> {
    if (units.length === 0) return []
    return this.bisect(tx, units, 0)
  }

  private async bisect(tx: Queryable, units: readonly LoadUnit[], depth: number): Promise<RefusedUnit[]> {
    const sp = `cairn_sp_${depth}`
    await tx.exec(`SAVEPOINT ${sp}`)
    try {
      await this.loadGroups(tx, groupsOf(this.targets.length, units))
      await tx.exec(`RELEASE SAVEPOINT ${sp}`)
      return []
    } catch (e) {
      if (!isRowError(e)) throw e
      await tx.exec(`ROLLBACK TO SAVEPOINT ${sp}`)
      await tx.exec(`RELEASE SAVEPOINT ${sp}`)
      if (units.length === 1) return [{ unit: units[0]!, reason: pgReason(e) }]
      const mid = units.length >>> 1
      const left = await this.bisect(tx, units.slice(0, mid), depth + 1)
      const right = await this.bisect(tx, units.slice(mid), depth + 1)
      return left.concat(right)
    }
  }

  /**
   * COPYs prepared groups inside the open transaction `tx`, without savepoints: a refusal aborts the
   * transaction (the fast path; callers redo the batch with `load` in a new transaction).
   */
  async loadGroups(tx: Queryable, groups: readonly CopyGroup[]): Promise<void> {
    if (!tx.copyFrom) throw new CairnError('backfill_no_copy', 'this database connection cannot COPY')
    for (const g of groups) await this.copyGroup(tx, this.targets[g.target]!, g)
  }

  private async copyGroup(tx: Queryable, target: SinkTarget, g: CopyGroup): Promise<void> {
    const cols = g.colsKey === '' ? [] : g.colsKey.split(',').map((i) => target.columns[Number(i)]!.name)
    const table = qname(target.table.schema, target.table.name)
    if (cols.length === 0) {
      await tx.exec(`INSERT INTO ${table} SELECT FROM generate_series(1, ${g.rows})`)
      return
    }
    const chunks = chunks1M(g.data)
    const format = g.binary ? ' (FORMAT binary)' : ''
    if (this.mode === 'insert') {
      await tx.copyFrom!(`COPY ${table} (${identList(cols)}) FROM STDIN${format}`, chunks)
      return
    }
    const stage = `cairn_stage_${++this.stage}`
    await tx.exec(`CREATE TEMP TABLE ${stage} ON COMMIT DROP AS SELECT ${identList(cols)} FROM ${table} WITH NO DATA`)
    await tx.copyFrom!(`COPY ${stage} (${identList(cols)}) FROM STDIN${format}`, chunks)
    const pk = target.table.primaryKey!.columns
    const rest = cols.filter((c) => !pk.includes(c))
    const action = rest.length ? `DO UPDATE SET ${rest.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`).join(', ')}` : 'DO NOTHING'
    await tx.exec(`INSERT INTO ${table} (${identList(cols)}) SELECT ${identList(cols)} FROM ${stage} ON CONFLICT (${identList(pk)}) ${action}`)
  }
}

// COPY data in views of at most 1 MiB (the stream writes them as they drain).
function chunks1M(data: Uint8Array): Buffer[] {
  const out: Buffer[] = []
  for (let at = 0; at < data.length; at += 1 << 20) out.push(Buffer.from(data.buffer, data.byteOffset + at, Math.min(1 << 20, data.length - at)))
  return out
}

/** The SQLSTATE of a Postgres error, if it is one. */
export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined
}

/**
 * True for an error one row causes: a constraint violation (class 23) or a bad value (class 22).
 * Only those make rejects; anything else concerns the whole batch or the session (a feature not
 * supported, a missing privilege or table, a read-only or lost connection, a full disk) and stops
 * the run.
 */
export function isRowError(e: unknown): boolean {
  const code = sqlState(e)
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'))
}

/** A reject reason from a Postgres error: SQLSTATE, message and detail. */
export function pgReason(e: unknown): string {
  const err = e as { code?: string; message?: string; detail?: string; constraint?: string }
  return `${err.code ?? ''} ${err.message ?? String(e)}${err.detail ? ` (${err.detail})` : ''}`.trim()
}
