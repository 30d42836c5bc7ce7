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
import { BinaryFallback, GroupCollector, encodeRow, groupsHash, rowShape } from './pg-sink.js'
import {
  DESERIALIZE_OPTIONS,
  UNREADABLE_RECORD,
  rawCount,
  recordBytes,
  recordId,
  recordLocation,
  readDocument,
  recordOriginal,
  tooDeep,
  type RawBatch,
} from './raw-batch.js'
import { originalText, rawOf } from './source.js'

/** Documents to prepare: parsed ones from a source, or a raw batch decoded one at a time. */
export type BatchInput = readonly Document[] | RawBatch

const isRaw = (b: BatchInput): b is RawBatch => !Array.isArray(b)

/** Number of documents in an input. */
export function inputCount(b: BatchInput): number {
  return isRaw(b) ? rawCount(b) : b.length
}

/** Document `i` of a batch, or the reject of a raw record that is not a readable document. */
function docAt(b: BatchInput, i: number): Document | UnreadableReject {
  if (!isRaw(b)) return b[i]!
  try {
    return readDocument(b, i)
  } catch (e) {
    if (!(isCairnError(e) && UNREADABLE_RECORD.has(e.code))) throw e
    return unreadableReject(b, i, e.message)
  }
}

class UnreadableReject implements RejectRecord {
  readonly kind = 'source' as const
  constructor(
    readonly docId: string,
    readonly reason: string,
    readonly document: string,
    readonly raw: Uint8Array,
  ) {}
}

/**
 * The reject of a raw record that cannot be read as a document: its `_id` when that much can be
 * read (else its location), the error with the file, byte offset and line, and the original bytes.
 */
function unreadableReject(b: RawBatch, i: number, reason: string): UnreadableReject {
  const id = recordId(b, i)
  const loc = recordLocation(b, i)
  const docId = id !== undefined ? idText(id) : `(unreadable) ${loc.origin} ${loc.at}`
  const original = recordOriginal(b, i)
  const raw = typeof original === 'string' ? Buffer.from(recordBytes(b, i)) : original
  const document = typeof original === 'string' ? original : `(${raw.length} bytes of BSON that do not decode: see raw)`
  return new UnreadableReject(docId, reason, document, raw)
}

/** The canonical `_id` text of the last record of a raw batch whose `_id` can be read ('' when none). */
function lastReadableId(b: RawBatch, upTo: number): string {
  for (let i = upTo; i >= 0; i--) {
    const id = recordId(b, i)
    if (id !== undefined) return idText(id)
  }
  return ''
}

/** A reject of document `i` of `input`, keeping its original as read. */
export function rejectAt(input: BatchInput, i: number, docId: string, kind: RejectRecord['kind'], reason: string): RejectRecord {
  const raw = isRaw(input) ? recordOriginal(input, i) : rawOf(input[i]!)
  if (typeof raw === 'string') return { docId, kind, reason, document: raw }
  if (raw) return { docId, kind, reason, document: bsonText(raw), raw }
  return { docId, kind, reason, document: originalText((input as readonly Document[])[i]!) }
}

// Canonical EJSON of BSON bytes; a note when they do not decode (the bytes are kept as raw).
function bsonText(raw: Uint8Array): string {
  try {
    if (!tooDeep('bson', raw)) return EJSON.stringify(BSON.deserialize(raw, DESERIALIZE_OPTIONS), { relaxed: false })
  } catch {
    /* below */
  }
  return `(${raw.length} bytes of BSON that do not decode: see raw)`
}

/** Why a document is rejected before it reaches Postgres. */
type Refusal = { readonly kind: 'validation' | 'mapping'; readonly reason: string }

/** One mapped row: its target index and its values. */
type MappedRow = { readonly t: number; readonly row: Readonly<Record<string, unknown>> }

const isRefusal = (x: unknown): x is Refusal => !Array.isArray(x)

/** Rethrows definition errors (CairnError other than a bad value); anything else rejects the document. */
function mappingRefusal(e: unknown): Refusal {
  if (isCairnError(e) && e.code !== 'backfill_bad_value') throw e
  return { kind: 'mapping', reason: (e as Error).message }
}

/** Validates and maps one document. Definition errors (CairnError) are thrown. */
function mapDocument(job: BackfillJob, targets: readonly SinkTarget[], ctx: MapContext<never, never>, doc: Document): MappedRow[] | Refusal {
  let parsed: ReturnType<typeof job.document.safeParse>
  try {
    parsed = job.document.safeParse(doc)
  } catch (e) {
    // A schema that recurses (z.lazy) past the stack on a deep document: that document's fault.
    if (e instanceof RangeError) return { kind: 'validation', reason: `validation failed: ${e.message}` }
    throw e
  }
  if (!parsed.success) {
    return { kind: 'validation', reason: parsed.error.issues.map((x) => `${x.path.length ? x.path.join('.') : '(document)'}: ${x.message}`).join('; ') }
  }
  try {
    const result = job.map(parsed.data as never, ctx as never) as unknown
    // The common case: one row for the main target.
    if (result !== null && typeof result === 'object' && !Array.isArray(result) && !(result instanceof JobRows)) return [{ t: 0, row: result as Record<string, unknown> }]
    const byTarget = rowsOf(result, job)
    const rows: MappedRow[] = []
    for (let t = 0; t < targets.length; t++) for (const row of byTarget.get(targets[t]!.key) ?? []) rows.push({ t, row })
    return rows
  } catch (e) {
    return mappingRefusal(e)
  }
}

/** Validates, maps and encodes one document as COPY text lines. Definition errors are thrown. */
function encodeDocument(job: BackfillJob, targets: readonly SinkTarget[], ctx: MapContext<never, never>, doc: Document): EncodedRow[] | Refusal {
  const mapped = mapDocument(job, targets, ctx, doc)
  if (isRefusal(mapped)) return mapped
  try {
    return mapped.map((m) => encodeRow(targets, m.t, m.row, job.name))
  } catch (e) {
    return mappingRefusal(e)
  }
}

/**
 * Validates, maps and encodes one document into `collector`: binary rows straight into their
 * groups, text rows encoded first so that a value that cannot be encoded rejects the document
 * before any of its rows went in. Returns the refusal, or undefined when the rows were added.
 */
function collectDocument(
  job: BackfillJob,
  targets: readonly SinkTarget[],
  ctx: MapContext<never, never>,
  doc: Document,
  collector: GroupCollector,
): Refusal | undefined {
  const mapped = mapDocument(job, targets, ctx, doc)
  if (isRefusal(mapped)) return mapped
  const shapes = mapped.map((m) => rowShape(targets, m.t, m.row, job.name))
  let texts: (string | undefined)[] | undefined
  try {
    for (let i = 0; i < mapped.length; i++) {
      const shape = shapes[i]!
      if (shape.binary === undefined || shape.textOnly) (texts ??= [])[i] = shape.text(mapped[i]!.row)
    }
  } catch (e) {
    return mappingRefusal(e)
  }
  for (let i = 0; i < mapped.length; i++) {
    const text = texts?.[i]
    if (text === undefined) collector.addRow(mapped[i]!.t, shapes[i]!, mapped[i]!.row)
    else collector.add({ target: mapped[i]!.t, colsKey: shapes[i]!.colsKey, line: text })
  }
  return undefined
}

/** A batch prepared document by document. */
export interface PreparedUnits {
  readonly count: number
  readonly units: readonly LoadUnit[]
  readonly rejects: RejectRecord[]
  readonly lastId: string
}

/** Validates, maps and encodes a batch, keeping rows per document. */
export function prepareBatch(job: BackfillJob, targets: readonly SinkTarget[], input: BatchInput): PreparedUnits {
  const ctx = mapContext(job)
  const units: LoadUnit[] = []
  const rejects: RejectRecord[] = []
  let lastId = ''
  const n = inputCount(input)
  for (let i = 0; i < n; i++) {
    const got = docAt(input, i)
    if (got instanceof UnreadableReject) {
      rejects.push(got)
      if (i === n - 1) lastId = lastReadableId(input as RawBatch, i)
      continue
    }
    const doc: Document = got
    const id = idText(doc._id)
    lastId = id
    const out = encodeDocument(job, targets, ctx, doc)
    if (Array.isArray(out)) units.push({ idText: id, rows: out, index: i })
    else rejects.push(rejectAt(input, i, id, out.kind, out.reason))
  }
  return { count: n, units, rejects, lastId }
}

/** A batch ready for the fast path: COPY data per group, rejects, checkpoint facts. */
export interface PreparedGroups {
  /** Documents in the batch. */
  readonly count: number
  /** Documents that produced rows (count minus rejects). */
  readonly loaded: number
  readonly groups: readonly CopyGroup[]
  readonly rejects: RejectRecord[]
  /**
   * Canonical EJSON of the batch's last readable `_id` ('' when no record of the batch has one:
   * the checkpoint then keeps the previous one).
   */
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
  for (;;) {
    try {
      return await collectBatch(job, targets, input, pause, slice)
    } catch (e) {
      // A value without a binary form: its shape now loads as text; prepare the batch again.
      if (!(e instanceof BinaryFallback)) throw e
    }
  }
}

async function collectBatch(job: BackfillJob, targets: readonly SinkTarget[], input: BatchInput, pause: (() => Promise<void>) | undefined, slice: number): Promise<PreparedGroups> {
  const ctx = mapContext(job)
  const collector = new GroupCollector(targets.length)
  const rejects: RejectRecord[] = []
  const n = inputCount(input)
  let lastId = ''
  for (let i = 0; i < n; i++) {
    if (pause && i > 0 && i % slice === 0) await pause()
    const got = docAt(input, i)
    if (got instanceof UnreadableReject) {
      rejects.push(got)
      if (i === n - 1) lastId = lastReadableId(input as RawBatch, i)
      continue
    }
    const doc: Document = got
    const refusal = collectDocument(job, targets, ctx, doc, collector)
    if (refusal) rejects.push(rejectAt(input, i, idText(doc._id), refusal.kind, refusal.reason))
    if (i === n - 1) lastId = idText(doc._id)
  }
  const groups = collector.finish()
  return { count: n, loaded: n - rejects.length, groups, rejects, lastId, sha256: groupsHash(groups) }
}
