/**
 * The fast path: raw batches from a file source prepared on worker threads. It must load exactly
 * what the in-process path loads (same rows, same checkpoint hashes), fall back to bisection when
 * Postgres refuses a batch, keep rejected originals byte-for-byte, and bring a job's definition
 * errors back from the worker with their codes.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BSON, EJSON } from 'bson'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { runBackfill } from '../../src/data/run-job.js'
import { memorySource } from '../../src/data/source.js'
import { listRejects } from '../../src/data/checkpoint.js'
import { openSource } from '../../src/data/sources/open-source.js'
import type { BackfillJob } from '../../src/data/define-backfill.js'
import { writeCollection } from '../fixtures/write-collection.js'
import { messagesJob, oidOf, resetDatabase, userDocs, usersJob } from '../unit/data/fixtures.js'

const FIXTURES = fileURLToPath(new URL('../unit/data/fixtures.ts', import.meta.url))
const fromFile = (job: BackfillJob): BackfillJob => ({ ...job, origin: FIXTURES })

describe.each(testEngines())('backfill on worker threads on $name', (engine) => {
  let t: TestDatabase
  let dir: string
  beforeAll(async () => {
    t = await engine.open()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-workers-'))
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  beforeEach(async () => {
    await resetDatabase(t.db)
  })

  const users = userDocs(20)
  users[7]!.email = 'USER3@example.com' // refused by Postgres (unique email), in batch 3
  users[11]!.email = 'not an email' // refused by the zod schema
  const messages = Array.from({ length: 30 }, (_, i) => ({
    _id: oidOf(100 + i),
    user: oidOf((i % 6) + 1),
    parent: i > 0 ? oidOf(100 + i - 1) : null,
    text: `message ${i}\twith tab`,
    files: i % 4 === 0 ? ['a', 'b'] : [],
  }))

  async function dump(name: string): Promise<string> {
    const d = path.join(dir, name)
    await writeCollection(users, [{ kind: 'bson', file: path.join(d, 'users.bson') }])
    await writeCollection(messages, [{ kind: 'bson', file: path.join(d, 'messages.bson') }])
    return d
  }

  async function snapshot() {
    const q = (sql: string) => t.db.query<Record<string, unknown>>(sql)
    return {
      users: await q(`SELECT id, email, age FROM app.users ORDER BY id`),
      messages: await q(`SELECT id, user_id, parent_id, content FROM app.messages ORDER BY id`),
      files: await q(`SELECT message_id, file_id, position FROM app.message_files ORDER BY 1, 2`),
      checkpoints: await q(`SELECT job, batch, last_id, docs, loaded, rejected, rows, sha256 FROM cairn.backfill_checkpoints ORDER BY job, batch`),
      rejects: (await listRejects(t.db)).map((r) => [r.job, r.docId, r.kind, r.document, r.raw?.toString('hex')]),
    }
  }

  it('loads what the in-process path loads, with the same checkpoint hashes', async () => {
    const source = await openSource(await dump('same'))
    try {
      const jobs = [fromFile(usersJob), fromFile(messagesJob)]
      const threaded = await runBackfill(t.db, source, jobs, { workers: 2 })
      expect(threaded.map((s) => [s.job, s.docs, s.loaded, s.rejected])).toEqual([
        ['users', 20, 18, 2],
        ['messages', 30, 30, 0],
      ])
      expect(threaded[1]!.rows).toEqual({ 'app.messages': 30, 'app.message_files': 16 })
      const a = await snapshot()
      await resetDatabase(t.db)
      await runBackfill(t.db, source, jobs, { workers: 0 })
      const b = await snapshot()
      await resetDatabase(t.db)
      // Parsed documents (no raw batches): the same hashes again.
      await runBackfill(t.db, memorySource({ users, messages }), [usersJob, messagesJob])
      const c = await snapshot()
      expect(b).toEqual(a)
      expect(c.checkpoints).toEqual(a.checkpoints)
      expect(a.users).toHaveLength(18)
      expect(a.checkpoints.filter((x) => x.job === 'users').map((x) => x.rejected)).toEqual([0, 0, 1, 1, 0, 0, 0])
    } finally {
      await source.close()
    }
  })

  it('keeps the original BSON bytes of validation and database rejects', async () => {
    const source = await openSource(await dump('rejects'))
    try {
      await runBackfill(t.db, source, [fromFile(usersJob)], { workers: 1 })
      const rejects = await listRejects(t.db, { job: 'users' })
      expect(rejects.map((r) => [r.docId, r.kind])).toEqual([
        [EJSON.stringify(oidOf(8)), 'database'],
        [EJSON.stringify(oidOf(12)), 'validation'],
      ])
      expect(rejects[0]!.reason).toMatch(/^23505 .*users_email_key/)
      expect(rejects[0]!.raw).toEqual(Buffer.from(BSON.serialize(users[7]!)))
      expect(rejects[1]!.raw).toEqual(Buffer.from(BSON.serialize(users[11]!)))
      expect(JSON.parse(rejects[1]!.document).email).toBe('not an email')
    } finally {
      await source.close()
    }
  })

  it('loads binary where every value has a binary form and falls back to text for the rest, with equal results', async () => {
    const { defineBackfill } = await import('../../src/data/define-backfill.js')
    const at = new Date(Date.UTC(2021, 2, 4, 5, 6, 7, 890))
    const mixed = defineBackfill({
      ...usersJob,
      name: 'mixed',
      // Odd documents spell the id without hyphens (binary still); the 5th gives its timestamp as text,
      // which sends its batch (and the rest) as text.
      map: (d: { _id: unknown; email: string }, ctx) => {
        const n = Number(String(d.email).match(/\d+/)![0])
        const id = ctx.uuid('users', d._id)
        return {
          id: n % 2 ? id.replace(/-/g, '').toUpperCase() : id,
          tenant_id: ctx.tenant,
          email: d.email.toLowerCase(),
          name: n === 4 ? 'tab\tand\nnewline \\ é' : null,
          age: n,
          created_at: n === 5 ? '2021-03-04 05:06:07.89+00' : at,
        }
      },
      batchSize: 2,
    })
    const docs = userDocs(6)
    const run = await runBackfill(t.db, memorySource({ users: docs }), [mixed])
    expect(run[0]).toMatchObject({ docs: 6, loaded: 6, rejected: 0 })
    const rows = await t.db.query<{ n: number; ok: boolean; name: string | null }>(
      `SELECT age AS n, created_at = '2021-03-04 05:06:07.89+00'::timestamptz AS ok, name FROM app.users ORDER BY age`,
    )
    expect(rows.map((r) => [r.n, r.ok])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, true]))
    expect(rows[3]!.name).toBe('tab\tand\nnewline \\ é')
  })

  it('brings a definition error back from the worker with its code, and a job file that fails to load', async () => {
    const src = fileURLToPath(new URL('../../src/data/define-backfill.ts', import.meta.url))
    const fixtures = FIXTURES
    const file = path.join(dir, 'bad-job.ts')
    fs.writeFileSync(
      file,
      `import { defineBackfill } from ${JSON.stringify(src)}
import { usersJob } from ${JSON.stringify(fixtures)}
// Fine for the first batch (prepared on the main thread while the workers start), wrong after.
export default defineBackfill({
  ...usersJob,
  name: 'bad',
  map: (d: any, ctx: any) => ({ ...usersJob.map(d, ctx), ...(Number(d.email.match(/\\d+/)[0]) > 6 ? { nope: 1 } : {}) }),
})
`,
    )
    const { jobsOfModule, importJobModule } = await import('../../src/data/load-jobs.js')
    const [bad] = jobsOfModule(await importJobModule(file))
    const source = await openSource(await dump('bad'))
    try {
      await expect(runBackfill(t.db, source, [{ ...bad!, origin: file }], { workers: 1 })).rejects.toMatchObject({ code: 'backfill_unknown_column' })
      await resetDatabase(t.db)
      await expect(runBackfill(t.db, source, [{ ...usersJob, origin: path.join(dir, 'missing.ts') }], { workers: 1 })).rejects.toThrow(/missing\.ts/)
    } finally {
      await source.close()
    }
  })
})
