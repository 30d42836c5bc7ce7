/**
 * Batch preparation: validate each document with the job's zod schema, map it, and encode its rows
 * as COPY text. Two shapes of the same work:
 *
 * - `prepareBatch` keeps rows per document (LoadUnits): what bisection needs when Postgres refuses
 *   a batch, and what a dry run counts;
 * - `prepareGroups` keeps only the COPY data per (table, column set), the rejects and a hash: the
 *   fast path. It runs in-process or on a worker thread (see prepare-pool.ts) and keeps no parsed
 *   document beyond the one being mapped.
 *
 * Both go through `encodeDocument`, so a batch encodes identically either way.
 */
import { BSON, EJSON, type Document } from 'bson'
import { isCairnError } from '../errors.js'
import type { BackfillJob, MapContext } from './define-backfill.js'
import { JobRows, mapContext, rowsOf } from './define-backfill.js'
import type { RejectRecord } from './checkpoint.js'
import { idText } from './checkpoint.js'
import type { CopyGroup, EncodedRow, LoadUnit, SinkTarget } from './pg-sink.js'
import { GroupCollector, encodeRow, groupsHash } from './pg-sink.js'
import { DESERIALIZE_OPTIONS, decodeRecord, rawCount, recordOriginal, type RawBatch } from './raw-batch.js'
import { originalText, rawOf } from './source.js'

/** Documents to prepare: parsed ones from a source, or a raw batch decoded one at a time. */
export type BatchInput = readonly Document[] | RawBatch

const isRaw = (b: BatchInput): b is RawBatch => !Array.isArray(b)

/** Number of documents in an input. */
export function inputCount(b: BatchInput): number {
  return isRaw(b) ? rawCount(b) : b.length
}

const docAt = (b: BatchInput, i: number): Document => (isRaw(b) ? decodeRecord(b, i) : b[i]!)

/** A reject of document `i` of `input`, keeping its original as read. */
export function rejectAt(input: BatchInput, i: number, docId: string, kind: RejectRecord['kind'], reason: string): RejectRecord {
  const raw = isRaw(input) ? recordOriginal(input, i) : rawOf(input[i]!)
  if (typeof raw === 'string') return { docId, kind, reason, document: raw }
  if (raw) return { docId, kind, reason, document: EJSON.stringify(BSON.deserialize(raw, DESERIALIZE_OPTIONS), { relaxed: false }), raw }
  return { docId, kind, reason, document: originalText(docAt(input, i)) }
}

/** What became of one document: its encoded rows, or why it is rejected. */
type Encoded = EncodedRow[] | { readonly kind: 'validation' | 'mapping'; readonly reason: string }

/** Validates, maps and encodes one document. Definition errors (CairnError) are thrown. */
export function encodeDocument(job: BackfillJob, targets: readonly SinkTarget[], ctx: MapContext<never, never>, doc: Document): Encoded {
  const parsed = job.document.safeParse(doc)
  if (!parsed.success) {
    return { kind: 'validation', reason: parsed.error.issues.map((x) => `${x.path.length ? x.path.join('.') : '(document)'}: ${x.message}`).join('; ') }
  }
  try {
    const result = job.map(parsed.data as never, ctx as never) as unknown
    if (result !== null && typeof result === 'object' && !Array.isArray(result) && !(result instanceof JobRows)) {
      // The common case: one row for the main target.
      return [encodeRow(targets, 0, result as Record<string, unknown>, job.name)]
    }
    const byTarget = rowsOf(result, job)
    const rows: EncodedRow[] = []
    for (let t = 0; t < targets.length; t++) {
      for (const row of byTarget.get(targets[t]!.key) ?? []) rows.push(encodeRow(targets, t, row, job.name))
    }
    return rows
  } catch (e) {
    if (isCairnError(e) && e.code !== 'backfill_bad_value') throw e
    return { kind: 'mapping', reason: (e as Error).message }
  }
}

/** A batch prepared document by document. */
export interface PreparedUnits {
  readonly count: number
  readonly units: readonly LoadUnit[]
  readonly rejects: RejectRecord[]
  readonly lastId: string
}

/** Validates, maps and encodes documents `[from, to)` of a batch, keeping rows per document. */
export function prepareBatch(job: BackfillJob, targets: readonly SinkTarget[], input: BatchInput, from = 0, to = inputCount(input)): PreparedUnits {
  const ctx = mapContext(job)
  const units: LoadUnit[] = []
  const rejects: RejectRecord[] = []
  let lastId = ''
  for (let i = from; i < to; i++) {
    const doc = docAt(input, i)
    const id = idText(doc._id)
    lastId = id
    const out = encodeDocument(job, targets, ctx, doc)
    if (Array.isArray(out)) units.push({ idText: id, rows: out, index: i })
    else rejects.push(rejectAt(input, i, id, out.kind, out.reason))
  }
  return { count: to - from, units, rejects, lastId }
}

/** A batch ready for the fast path: COPY data per group, rejects, checkpoint facts. */
export interface PreparedGroups {
  /** Documents in the batch. */
  readonly count: number
  /** Documents that produced rows (count minus rejects). */
  readonly loaded: number
  readonly groups: readonly CopyGroup[]
  readonly rejects: RejectRecord[]
  /** Canonical EJSON of the batch's last `_id` ('' for an empty batch). */
  readonly lastId: string
  /** sha256 of the COPY data in load order. */
  readonly sha256: string
}

/**
 * Prepares a whole batch for the fast path. `pause` (in-process use) is awaited every `slice`
 * documents so that a load in flight on the same thread keeps moving.
 */
export async function prepareGroups(
  job: BackfillJob,
  targets: readonly SinkTarget[],
  input: BatchInput,
  pause?: () => Promise<void>,
  slice = 250,
): Promise<PreparedGroups> {
  const ctx = mapContext(job)
  const collector = new GroupCollector(targets.length)
  const rejects: RejectRecord[] = []
  const n = inputCount(input)
  let lastDoc: Document | undefined
  for (let i = 0; i < n; i++) {
    if (pause && i > 0 && i % slice === 0) await pause()
    const doc = docAt(input, i)
    const out = encodeDocument(job, targets, ctx, doc)
    if (Array.isArray(out)) for (const r of out) collector.add(r)
    else rejects.push(rejectAt(input, i, idText(doc._id), out.kind, out.reason))
    if (i === n - 1) lastDoc = doc
  }
  const groups = collector.finish()
  return { count: n, loaded: n - rejects.length, groups, rejects, lastId: lastDoc ? idText(lastDoc._id) : '', sha256: groupsHash(groups) }
}
