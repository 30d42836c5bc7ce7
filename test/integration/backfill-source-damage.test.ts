/**
 * Damaged documents inside intact framing — a BSON document with corrupt bytes, an Extended JSON
 * line that does not parse, a document nested deeper than any decoder should recurse, a document
 * without _id, one whose _id itself is damaged — are rejected with their location (file, byte
 * offset, line) and original bytes while the rest loads; a resume neither loses nor repeats them;
 * verify accounts for them. Lost framing (truncation) still stops the run.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BSON, EJSON } from 'bson'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { listRejects, readProgress } from '../../src/data/checkpoint.js'
import { loadBackfillJobs } from '../../src/data/load-jobs.js'
import { openSource } from '../../src/data/sources/open-source.js'
import type { BackfillJob } from '../../src/data/define-backfill.js'
import { oidOf, resetDatabase, userDocs } from '../unit/data/fixtures.js'

const FIXTURES = path.resolve(__dirname, '../unit/data/fixtures.ts')

/** A user document nested `depth` levels deep under `preferences`. */
function deep(n: number, depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { x: 1 }
  for (let i = 0; i < depth; i++) v = { a: v }
  return { ...userDocs(1, n)[0], preferences: v }
}

/** BSON bytes of a document with the type byte of element `name` replaced by an unknown type. */
function corruptElement(doc: Record<string, unknown>, name: string): Buffer {
  const b = Buffer.from(BSON.serialize(doc))
  const at = b.indexOf(Buffer.from(`${name}\0`), 4)
  b[at - 1] = 0x63
  return b
}

interface Damage {
  readonly bytes: Buffer
  /** The `_id` the reject is recorded under, or undefined when it cannot be read. */
  readonly id?: number
  readonly reason: RegExp
}

// Ten good documents, damage between them. Order in the file: 1 2 3 [corrupt 4] 5 [deep 6] [no _id] 7 [bad _id] 8 9 10
const good = (n: number) => Buffer.from(BSON.serialize(userDocs(1, n)[0]!))
const damage: Record<string, Damage> = {
  corrupt: { bytes: corruptElement(userDocs(1, 4)[0]!, 'email'), id: 4, reason: /corrupt BSON at byte offset \d+: .*unknown BSON type/ },
  deep: { bytes: Buffer.from(BSON.serialize(deep(6, 5000))), id: 6, reason: /document nested deeper than 200 levels at byte offset \d+/ },
  noId: { bytes: Buffer.from(BSON.serialize({ email: 'noid@example.com' })), reason: /document without _id at byte offset \d+/ },
  badId: { bytes: corruptElement({ _id: oidOf(50), email: 'badid@example.com' }, '_id'), reason: /corrupt BSON at byte offset \d+/ },
}
const fileOrder: (number | keyof typeof damage)[] = [1, 2, 3, 'corrupt', 5, 'deep', 'noId', 7, 'badId', 8, 9, 10]

describe.each(testEngines())('damaged source documents on $name', (engine) => {
  let t: TestDatabase
  let tmp: string
  let job: BackfillJob
  const offsets = new Map<string, number>()

  beforeAll(async () => {
    t = await engine.open()
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-source-damage-'))
    fs.mkdirSync(path.join(tmp, 'migrations/data'), { recursive: true })
    fs.writeFileSync(path.join(tmp, 'migrations/data/users.ts'), `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`)
    job = (await loadBackfillJobs({ root: tmp }))[0]!
    // In _id order on disk (streamed), and reversed (sorted into a temporary copy first).
    for (const [dir, order] of [['sorted', fileOrder], ['reversed', [...fileOrder].reverse()]] as const) {
      const parts: Buffer[] = []
      let at = 0
      for (const x of order) {
        const b = typeof x === 'number' ? good(x) : damage[x]!.bytes
        if (typeof x === 'string') offsets.set(`${dir}:${x}`, at)
        parts.push(b)
        at += b.length
      }
      fs.mkdirSync(path.join(tmp, dir))
      fs.writeFileSync(path.join(tmp, dir, 'users.bson'), Buffer.concat(parts))
    }
  }, 60_000)
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await resetDatabase(t.db)
  })

  const count = async () => Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM app.users`))[0]!.n)

  for (const [dir, workers] of [['sorted', 0], ['reversed', 0], ['sorted', 1]] as const) {
    it(`rejects each damaged BSON document with its location and bytes, loads the rest (${dir} file, ${workers} workers)`, async () => {
      const file = path.join(tmp, dir, 'users.bson')
      const source = await openSource(path.join(tmp, dir))
      try {
        const run = await runBackfill(t.db, source, [job], { batchSize: 4, workers })
        expect(run[0]).toMatchObject({ status: 'done', docs: 12, loaded: 8, rejected: 4 })
        expect(await count()).toBe(8)
        const rejects = await listRejects(t.db, { job: 'users' })
        expect(rejects).toHaveLength(4)
        for (const [name, d] of Object.entries(damage)) {
          const offset = offsets.get(`${dir}:${name}`)!
          const r = rejects.find((x) => x.reason.includes(`byte offset ${offset}`))
          expect(r, name).toBeDefined()
          expect(r!.kind).toBe('source')
          expect(r!.reason).toContain(file)
          expect(r!.reason).toMatch(d.reason)
          expect(r!.raw).toEqual(d.bytes)
          if (d.id !== undefined) expect(r!.docId).toBe(EJSON.stringify(oidOf(d.id)))
          else expect(r!.docId).toContain(`(unreadable) ${file} at byte offset ${offset}`)
        }
        // Nothing left to do, nothing rejected twice; verify accounts for the damaged documents.
        const again = await runBackfill(t.db, source, [job], { batchSize: 4, workers })
        expect(again[0]).toMatchObject({ docs: 0 })
        const v = await verifyJob(t.db, source, job)
        expect(v.counts).toMatchObject({ ok: true, source: 12, loaded: 8, rejected: 4 })
        expect(v.content).toMatchObject({ ok: true, unaccounted: 0 })
      } finally {
        await source.close()
      }
    }, 60_000)
  }

  it('a resume after any batch neither loses nor repeats a damaged document', async () => {
    for (const dir of ['sorted', 'reversed']) {
      for (const batchSize of [1, 2, 3, 4, 5]) {
        await resetDatabase(t.db)
        const source = await openSource(path.join(tmp, dir))
        try {
          // Stop after each batch and resume, to the end.
          for (let i = 0; i < 20; i++) {
            const controller = new AbortController()
            const r = await runBackfill(t.db, source, [job], { batchSize, workers: 0, signal: controller.signal, onProgress: () => controller.abort() })
            if (r[0]!.docs === 0) break
          }
          const p = await readProgress(t.db, 'users')
          expect(p, `${dir} batch ${batchSize}`).toMatchObject({ docs: 12, loaded: 8, rejected: 4 })
          expect(await count()).toBe(8)
          expect(await listRejects(t.db, { job: 'users' })).toHaveLength(4)
        } finally {
          await source.close()
        }
      }
    }
  }, 120_000)

  it('rejects Extended JSON lines that do not parse or nest too deep, with line numbers, and goes on', async () => {
    const dir = path.join(tmp, 'ejson')
    fs.mkdirSync(dir, { recursive: true })
    const line = (n: number) => EJSON.stringify(userDocs(1, n)[0]!, { relaxed: false })
    const unparsable = '{"_id":{"$oid":"000000000000000000000004"},"email": oops}'
    const noId = '{oops'
    const deepLine = `{"_id":{"$oid":"000000000000000000000006"},"email":"u6@example.com","preferences":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`
    // Line 1, 2 good, 3 blank, 4 unparsable, 5 good, 6 bad _id, 7 deep, 8 good
    const lines = [line(1), line(2), '', unparsable, line(5), noId, deepLine, line(8)]
    const file = path.join(dir, 'users.json')
    fs.writeFileSync(file, lines.join('\n') + '\n')
    const offsetOf = (k: number) => lines.slice(0, k).reduce((a, l) => a + Buffer.byteLength(l) + 1, 0)
    const source = await openSource(`ejson:${dir}`)
    try {
      const run = await runBackfill(t.db, source, [job], { batchSize: 2, workers: 0 })
      expect(run[0]).toMatchObject({ status: 'done', docs: 7, loaded: 4, rejected: 3 })
      const rejects = await listRejects(t.db, { job: 'users' })
      const byLine = (n: number) => rejects.find((r) => r.reason.includes(`line ${n} (byte offset ${offsetOf(n - 1)})`))
      expect(byLine(4)).toMatchObject({ kind: 'source', docId: '{"$oid":"000000000000000000000004"}', document: unparsable })
      expect(byLine(4)!.reason).toContain(`${file}: invalid Extended JSON at line 4`)
      expect(byLine(4)!.raw).toEqual(Buffer.from(unparsable))
      expect(byLine(6)).toMatchObject({ kind: 'source', document: noId })
      expect(byLine(6)!.docId).toContain('(unreadable)')
      expect(byLine(7)).toMatchObject({ kind: 'source', docId: '{"$oid":"000000000000000000000006"}', document: deepLine })
      expect(byLine(7)!.reason).toMatch(/nested deeper than 200 levels/)
      const v = await verifyJob(t.db, source, job)
      expect(v.ok).toBe(true)
    } finally {
      await source.close()
    }
  })

  it('a truncated file (lost framing) still stops the run, naming the file and offset', async () => {
    const dir = path.join(tmp, 'truncated')
    fs.mkdirSync(dir, { recursive: true })
    const whole = Buffer.concat([good(1), good(2), good(3)])
    fs.writeFileSync(path.join(dir, 'users.bson'), whole.subarray(0, whole.length - 7))
    const source = await openSource(dir)
    try {
      await expect(runBackfill(t.db, source, [job], { workers: 0 })).rejects.toMatchObject({ code: 'source_bson_truncated' })
    } finally {
      await source.close()
    }
  })
})
