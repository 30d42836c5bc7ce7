/**
 * Memory stays flat while reading: a 200k-document dump (about 90 MB of BSON) is read to the end in
 * a child process, in _id order, both when the file is already in _id order (streamed) and when it is
 * not (sorted once into a temporary copy). The child runs with a 32 MB old-generation heap: holding the
 * decoded documents (several times the file's 90 MB) would end it with an out-of-memory error, so a
 * complete read is the deterministic proof; RSS (buffers, young generation, GC timing) is checked
 * against loose bounds only, since it varies with load on the machine.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Document } from 'bson'
import { messageDocuments } from '../fixtures/generate-legacy.js'
import { writeCollection } from '../fixtures/write-collection.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-sources-memory-'))
const MB = 1024 * 1024
/** Old-generation heap of the reading child, in MB: a fraction of the file's size. */
const HEAP_MB = 32

/** Natural order with each block of 1000 documents reversed: not _id order. */
function* blockReversed(docs: Iterable<Document>): Generator<Document> {
  let block: Document[] = []
  for (const d of docs) {
    block.push(d)
    if (block.length === 1000) {
      yield* block.reverse()
      block = []
    }
  }
  yield* block.reverse()
}

function read(uri: string): { docs: number; ms: number; docsPerSec: number; docsPerCpuSec: number; rssBefore: number; rssPeak: number; maxRss: number } {
  const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'test/fixtures/read-source.ts', uri, 'messages', '1000'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  return JSON.parse(out.trim().split('\n').at(-1)!)
}

beforeAll(async () => {
  await writeCollection(messageDocuments(200_000), [{ kind: 'bson', file: path.join(dir, 'sorted200k', 'messages.bson') }])
  await writeCollection(blockReversed(messageDocuments(200_000)), [{ kind: 'bson', file: path.join(dir, 'unsorted200k', 'messages.bson') }])
  await writeCollection(messageDocuments(20_000), [{ kind: 'bson', file: path.join(dir, 'sorted20k', 'messages.bson') }])
}, 300_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('source memory', () => {
  it('reading 200k documents keeps RSS growth small and flat in collection size', () => {
    const size = fs.statSync(path.join(dir, 'sorted200k', 'messages.bson')).size
    const small = read(path.join(dir, 'sorted20k'))
    const sorted = read(path.join(dir, 'sorted200k'))
    const unsorted = read(path.join(dir, 'unsorted200k'))
    const growth = (r: typeof sorted): number => (r.rssPeak - r.rssBefore) / MB
    const report = {
      fileMB: Math.round(size / MB),
      '20k sorted': { growthMB: Math.round(growth(small)), peakMB: Math.round(small.rssPeak / MB), docsPerSec: small.docsPerSec, docsPerCpuSec: small.docsPerCpuSec },
      '200k sorted': { growthMB: Math.round(growth(sorted)), peakMB: Math.round(sorted.rssPeak / MB), docsPerSec: sorted.docsPerSec, docsPerCpuSec: sorted.docsPerCpuSec },
      '200k unsorted': { growthMB: Math.round(growth(unsorted)), peakMB: Math.round(unsorted.rssPeak / MB), docsPerSec: unsorted.docsPerSec, docsPerCpuSec: unsorted.docsPerCpuSec },
    }
    console.log(JSON.stringify(report))
    expect(sorted.docs).toBe(200_000)
    expect(unsorted.docs).toBe(200_000)
    expect(size / MB).toBeGreaterThan(60)
    expect(size / MB).toBeGreaterThan(2 * HEAP_MB)
    // Flat in collection size: 10x the documents adds less than the file's own size (holding the
    // documents would add several times it: decoded objects outweigh BSON); what growth there is,
    // is buffers and V8's young generation, which vary with GC timing on a loaded machine (seen:
    // 20-60 MB).
    expect(growth(sorted) - growth(small)).toBeLessThan(size / MB)
    expect(growth(unsorted) - growth(small)).toBeLessThan(size / MB)
    expect(sorted.rssPeak / MB).toBeLessThan(250)
    expect(unsorted.rssPeak / MB).toBeLessThan(250)
  }, 300_000)
})
