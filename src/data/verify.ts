/**
 * Verification of a backfill job: counts (source = loaded + rejected), then a content check that
 * re-reads the source, re-applies the mapping, and compares row by row with Postgres by primary key.
 * The expected rows are COPYed into temporary tables in the same encoding as the load; Postgres
 * then merge-joins both sides in key order and the client streams the join through a cursor
 * comparing each column as Postgres prints it, so memory stays flat on both sides.
 */
import { createHash } from 'node:crypto'
import type { Database, Queryable } from '../db/database.js'
import { CairnError } from '../errors.js'
import { ident, identList, qname } from '../sqlgen/quote.js'
import type { BackfillJob } from './define-backfill.js'
import * as cp from './checkpoint.js'
import type { SinkTarget } from './pg-sink.js'
import { sinkTargets } from './pg-sink.js'
import { inputCount, prepareBatch, type BatchInput } from './prepare.js'
import { packRecords, rawCount, recordBytes, recordId, recordLocation, type RawBatch } from './raw-batch.js'
import { checkReadAccess } from './access.js'
import type { Document } from 'bson'
import type { Source } from './source.js'

/** Options of a verification. */
export interface VerifyOptions {
  /** Check about this many documents (picked by a hash of their `_id`) instead of all; extra rows are not looked for. */
  readonly sample?: number
  /** How many differences to report in full (default 10). */
  readonly show?: number
  readonly batchSize?: number
}

/** One row that differs between the source (after mapping) and Postgres. */
export interface RowDifference {
  readonly table: string
  readonly kind: 'missing' | 'extra' | 'different'
  /** Primary key values as Postgres prints them. */
  readonly key: Readonly<Record<string, string | null>>
  /** For 'different': the columns that differ, expected (from the source) vs actual (in Postgres). */
  readonly columns?: readonly { readonly column: string; readonly expected: string | null; readonly actual: string | null }[]
}

/** Per-table content comparison totals. */
export interface TableCheck {
  readonly table: string
  readonly expected: number
  readonly matched: number
  readonly missing: number
  readonly extra: number
  readonly different: number
}

/** The outcome of `cairn backfill verify`. */
export interface VerifyReport {
  readonly job: string
  readonly ok: boolean
  readonly counts: {
    readonly ok: boolean
    /** Documents in the source now. */
    readonly source: number
    /** Documents the committed checkpoints account for. */
    readonly read: number
    readonly loaded: number
    /** Rows in the rejects table for this job. */
    readonly rejected: number
  }
  readonly content: {
    readonly ok: boolean
    readonly sampled: boolean
    /** Documents compared (not rejected). */
    readonly docs: number
    /** Documents that fail validation or mapping now but are not among the recorded rejects. */
    readonly unaccounted: number
    readonly tables: readonly TableCheck[]
    readonly differences: readonly RowDifference[]
  }
}

/** Verifies one job: counts, then a streaming content comparison (full or sampled). */
export async function verifyJob(db: Database, source: Source, job: BackfillJob, options: VerifyOptions = {}): Promise<VerifyReport> {
  if (!(await cp.hasBookkeeping(db))) {
    throw new CairnError('backfill_not_run', `backfill ${job.name} has never run against this database`, {
      hint: `run \`cairn backfill run ${job.name} --source …\` first`,
    })
  }
  const show = options.show ?? 10
  const progress = await cp.readProgress(db, job.name)
  const rejectedCount = await cp.countRejects(db, job.name)
  const sourceCount = await source.count(job.collection)
  const counts = {
    ok: sourceCount === progress.loaded + rejectedCount && progress.docs === sourceCount,
    source: sourceCount,
    read: progress.docs,
    loaded: progress.loaded,
    rejected: rejectedCount,
  }
  const rejectedIds = new Set<string>()
  for (const r of await cp.listRejects(db, { job: job.name })) rejectedIds.add(r.docId)
  const targets = sinkTargets(job.table, job.extraTables)
  const sampled = options.sample !== undefined && options.sample < sourceCount
  const every = sampled ? Math.max(1, Math.ceil(sourceCount / Math.max(1, options.sample!))) : 1
  // Row-level security that hides rows from this role would read as missing rows: say so instead.
  await checkReadAccess(db, targets.map((t) => t.table), { copyFromFile: db.engine === 'pglite' })

  return db.session((s) =>
    s.transaction(async (tx) => {
      const stages = targets.map((t, i) => `cairn_expect_${i}`)
      for (let i = 0; i < targets.length; i++) {
        const t = targets[i]!
        await tx.exec(
          `CREATE TEMP TABLE ${stages[i]} ON COMMIT DROP AS SELECT ${identList(t.columns.map((c) => c.name))}, ''::text AS cairn_set FROM ${qname(t.table.schema, t.table.name)} WITH NO DATA`,
        )
      }
      let docs = 0
      let unaccounted = 0
      const expected = targets.map(() => 0)
      // Raw batches when the source has them: a record that is not a readable document is a
      // reject there too, instead of an error that stops the verification.
      const read = { batchSize: options.batchSize ?? job.batchSize }
      const batches: AsyncIterable<BatchInput> = source.rawBatches ? source.rawBatches(job.collection, read) : source.batches(job.collection, read)
      for await (const batch of batches) {
        const picked = sampled ? pickSample(batch, every) : batch
        if (inputCount(picked) === 0) continue
        const p = prepareBatch(job, targets, picked)
        for (const r of p.rejects) if (!rejectedIds.has(r.docId)) unaccounted++
        const lines: string[][] = targets.map(() => [])
        for (const u of p.units) {
          if (rejectedIds.has(u.idText)) continue
          docs++
          for (const r of u.rows) {
            lines[r.target]!.push(r.line.slice(0, -1) + '\t' + r.colsKey + '\n')
            expected[r.target]!++
          }
        }
        for (let i = 0; i < targets.length; i++) {
          if (lines[i]!.length === 0) continue
          await copyExpected(tx, stages[i]!, targets[i]!, lines[i]!)
        }
      }
      const tables: TableCheck[] = []
      const differences: RowDifference[] = []
      for (let i = 0; i < targets.length; i++) {
        await tx.exec(`ANALYZE ${stages[i]}`)
        tables.push(await compareTable(tx, targets[i]!, stages[i]!, expected[i]!, sampled, differences, show))
      }
      const contentOk = unaccounted === 0 && tables.every((t) => t.missing === 0 && t.extra === 0 && t.different === 0)
      return {
        job: job.name,
        ok: counts.ok && contentOk,
        counts,
        content: { ok: contentOk, sampled, docs, unaccounted, tables, differences },
      }
    }),
  )
}

// The documents of a batch picked by a hash of their `_id` (or of their location when it is unreadable).
function pickSample(batch: BatchInput, every: number): BatchInput {
  if (Array.isArray(batch)) return (batch as readonly Document[]).filter((d) => pick(cp.idText(d._id), every))
  const raw = batch as RawBatch
  const keep: number[] = []
  for (let i = 0; i < rawCount(raw); i++) {
    const id = recordId(raw, i)
    if (pick(id === undefined ? `${raw.origin}:${recordLocation(raw, i).at}` : cp.idText(id), every)) keep.push(i)
  }
  return packRecords(
    raw.format,
    keep.map((i) => recordBytes(raw, i)),
    raw.origin,
    raw.positions ? keep.map((i) => raw.positions![i]!) : undefined,
    raw.lines ? keep.map((i) => raw.lines![i]!) : undefined,
  )
}

function pick(idText: string, every: number): boolean {
  if (every <= 1) return true
  return createHash('sha1').update(idText).digest().readUInt32BE(0) % every === 0
}

// The stage has every writable column plus cairn_set; each line carries only the set columns.
async function copyExpected(tx: Queryable, stage: string, target: SinkTarget, lines: readonly string[]): Promise<void> {
  const groups = new Map<string, string[]>()
  for (const l of lines) {
    const key = l.slice(l.lastIndexOf('\t') + 1, -1)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = []))
    g.push(l)
  }
  for (const [key, ls] of groups) {
    const cols = key === '' ? [] : key.split(',').map((i) => target.columns[Number(i)]!.name)
    await tx.copyFrom!(`COPY ${stage} (${identList([...cols, 'cairn_set'])}) FROM STDIN`, ls.join(''))
  }
}

async function compareTable(
  tx: Queryable,
  target: SinkTarget,
  stage: string,
  expectedRows: number,
  sampled: boolean,
  differences: RowDifference[],
  show: number,
): Promise<TableCheck> {
  const table = `${target.table.schema}.${target.table.name}`
  const pk = target.table.primaryKey!.columns
  const cols = target.columns.map((c) => c.name)
  const on = pk.map((c) => `e.${ident(c)} = a.${ident(c)}`).join(' AND ')
  const select = [
    `e.cairn_set`,
    `(${pk.map((c) => `e.${ident(c)} IS NULL`).join(' AND ')}) AS no_e`,
    `(${pk.map((c) => `a.${ident(c)} IS NULL`).join(' AND ')}) AS no_a`,
    ...cols.map((c, i) => `e.${ident(c)}::text AS e${i}`),
    ...cols.map((c, i) => `a.${ident(c)}::text AS a${i}`),
  ]
  const order = pk.map((c) => `COALESCE(e.${ident(c)}, a.${ident(c)})`).join(', ')
  const join = sampled ? 'LEFT JOIN' : 'FULL JOIN'
  await tx.exec(
    `DECLARE cairn_verify NO SCROLL CURSOR FOR SELECT ${select.join(', ')} FROM ${stage} e ${join} ${qname(target.table.schema, target.table.name)} a ON ${on} ORDER BY ${order}`,
  )
  let matched = 0
  let missing = 0
  let extra = 0
  let different = 0
  const pkIdx = pk.map((c) => cols.indexOf(c))
  const keyOf = (r: Record<string, string | null>, side: 'e' | 'a') => Object.fromEntries(pk.map((c, j) => [c, r[`${side}${pkIdx[j]}`] ?? null]))
  for (;;) {
    const rows = await tx.query<Record<string, string | null> & { cairn_set: string | null; no_e: boolean; no_a: boolean }>(`FETCH 2000 FROM cairn_verify`)
    if (rows.length === 0) break
    for (const r of rows) {
      if (r.no_a) {
        missing++
        if (differences.length < show) differences.push({ table, kind: 'missing', key: keyOf(r, 'e') })
        continue
      }
      if (r.no_e) {
        extra++
        if (differences.length < show) differences.push({ table, kind: 'extra', key: keyOf(r, 'a') })
        continue
      }
      const set = r.cairn_set ? r.cairn_set.split(',').map(Number) : []
      const diff: { column: string; expected: string | null; actual: string | null }[] = []
      for (const i of set) {
        const e = r[`e${i}`] ?? null
        const a = r[`a${i}`] ?? null
        if (e !== a) diff.push({ column: cols[i]!, expected: e, actual: a })
      }
      if (diff.length) {
        different++
        if (differences.length < show) differences.push({ table, kind: 'different', key: keyOf(r, 'e'), columns: diff })
      } else matched++
    }
  }
  await tx.exec(`CLOSE cairn_verify`)
  return { table, expected: expectedRows, matched, missing, extra, different }
}
