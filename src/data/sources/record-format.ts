/**
 * Framing and `_id` reading of the two on-disk document formats: length-prefixed BSON (mongodump `.bson`)
 * and Extended JSON lines (mongoexport). Framing works on a stream of chunks and never holds more
 * than one chunk plus one partial record. Decoding lives in raw-batch.ts.
 */
import { idOfBytes } from '../raw-batch.js'
import { CairnError } from '../../errors.js'

/** One framed record: its byte offset in the (decompressed) file and its bytes, without line terminator. */
export interface RawRecord {
  readonly offset: number
  readonly bytes: Buffer
  /** Line number (1-based) of a line record. */
  readonly line?: number
}

/** How records of one file format are framed, identified and decoded. */
export interface RecordFormat {
  readonly kind: 'bson' | 'ejson'
  /**
   * Splits a chunk stream into records; yields one array per chunk; `base` is the offset of the
   * first byte and `baseLine` its line number (line formats).
   */
  frame(input: AsyncIterable<Buffer>, file: string, base?: number, baseLine?: number): AsyncGenerator<RawRecord[]>
  /** The `_id` of a record (decoded BSON value), or undefined when it cannot be read. */
  id(record: RawRecord, file?: string): unknown
  /** Bytes written after each record when records are copied to a new file. */
  readonly terminator: Buffer
}


// mongod refuses documents over 16 MiB; allow headroom for dumps of oversize internal documents.
const MAX_BSON_DOCUMENT = 48 * 1024 * 1024

function truncated(file: string, offset: number, have: number, want?: number): CairnError {
  return new CairnError(
    'source_bson_truncated',
    `${file}: truncated BSON document at byte offset ${offset} (${have} bytes left${want === undefined ? '' : `, document length ${want}`})`,
    {
      file,
      hint: 'the .bson file ends in the middle of a document: re-run mongodump, or check that the copy/download finished',
      meta: { offset, bytesLeft: have, ...(want === undefined ? {} : { length: want }) },
    },
  )
}

function corrupt(file: string, offset: number, why: string): CairnError {
  return new CairnError('source_bson_corrupt', `${file}: corrupt BSON at byte offset ${offset}: ${why}`, {
    file,
    hint: 'the file is not a mongodump .bson file, or it is damaged; re-run mongodump',
    meta: { offset },
  })
}

async function* frameBson(input: AsyncIterable<Buffer>, file: string, base = 0): AsyncGenerator<RawRecord[]> {
  let pending: Buffer | undefined
  let offset = base
  for await (const chunk of input) {
    let buf: Buffer = pending && pending.length ? Buffer.concat([pending, chunk]) : chunk
    let pos = 0
    const out: RawRecord[] = []
    while (buf.length - pos >= 4) {
      const len = buf.readInt32LE(pos)
      if (len < 5 || len > MAX_BSON_DOCUMENT) throw corrupt(file, offset + pos, `invalid document length ${len}`)
      if (pos + len > buf.length) break
      if (buf[pos + len - 1] !== 0) throw corrupt(file, offset + pos, 'document does not end with a 0x00 byte')
      out.push({ offset: offset + pos, bytes: buf.subarray(pos, pos + len) })
      pos += len
    }
    offset += pos
    pending = pos < buf.length ? buf.subarray(pos) : undefined
    buf = undefined as never
    if (out.length) yield out
  }
  if (pending && pending.length) {
    throw truncated(file, offset, pending.length, pending.length >= 4 ? pending.readInt32LE(0) : undefined)
  }
}

async function* frameLines(input: AsyncIterable<Buffer>, file: string, base = 0, baseLine = 1): AsyncGenerator<RawRecord[]> {
  let pending: Buffer | undefined
  let offset = base
  let line = baseLine
  for await (const chunk of input) {
    const buf: Buffer = pending && pending.length ? Buffer.concat([pending, chunk]) : chunk
    let pos = 0
    const out: RawRecord[] = []
    for (;;) {
      const nl = buf.indexOf(10, pos)
      if (nl < 0) break
      let end = nl
      if (end > pos && buf[end - 1] === 13) end--
      if (!isBlank(buf, pos, end)) out.push({ offset: offset + pos, bytes: buf.subarray(pos, end), line })
      line++
      pos = nl + 1
    }
    offset += pos
    pending = pos < buf.length ? buf.subarray(pos) : undefined
    if (out.length) yield out
  }
  if (pending && pending.length) {
    let end = pending.length
    if (pending[end - 1] === 13) end--
    if (!isBlank(pending, 0, end)) yield [{ offset, bytes: pending.subarray(0, end), line }]
  }
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf[i]
    if (c !== 32 && c !== 9 && c !== 13) return false
  }
  return true
}


/** Length-prefixed BSON documents, as mongodump writes them. */
export const bsonFormat: RecordFormat = {
  kind: 'bson',
  frame: frameBson,
  id: (record) => idOfBytes('bson', record.bytes),
  terminator: Buffer.alloc(0),
}

/** Extended JSON documents, one per line, as mongoexport writes them (canonical or relaxed). */
export const ejsonFormat: RecordFormat = {
  kind: 'ejson',
  frame: frameLines,
  id: (record) => idOfBytes('ejson', record.bytes),
  terminator: Buffer.from('\n'),
}
