/**
 * The seed-001 reference jobs (migrations/data/) move the synthetic legacy dataset — with its dirt:
 * duplicate emails, dangling references, wrong types — into the reference tables of schema/app,
 * references resolved through deterministic ids, and verify clean; from mongodump and from EJSON.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import * as app from '../../schema/app/index.js'
import { buildModel } from '../../src/load/build-model.js'
import { renderModel } from '../../src/plan/render-model.js'
import { loadBackfillJobs } from '../../src/data/load-jobs.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { listRejects } from '../../src/data/checkpoint.js'
import { openSource } from '../../src/data/sources/open-source.js'
import { generateLegacyDataset, type LegacyDatasetPaths } from '../fixtures/generate-legacy.js'
import type { BackfillJob } from '../../src/data/define-backfill.js'

const ROOT = path.resolve(__dirname, '../..')

describe.each(testEngines())('seed-001 reference backfill on $name', (engine) => {
  let t: TestDatabase
  let tmp: string
  let data: LegacyDatasetPaths
  let jobs: BackfillJob[]
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-backfill-ref-'))
    data = await generateLegacyDataset(tmp, { scale: 3, gzip: false, relaxed: false })
    jobs = await loadBackfillJobs({ root: ROOT })
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  async function freshSchema(): Promise<void> {
    await t.db.exec('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA IF EXISTS cairn CASCADE;')
    for (const s of renderModel(buildModel({ app }))) await t.db.exec(s)
  }
  const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql))[0]!.n)

  it('finds the eight jobs and orders them by foreign keys', async () => {
    const { orderJobs } = await import('../../src/data/job-order.js')
    const order = orderJobs(jobs).map((j) => j.name)
    expect([...order].sort()).toEqual(['agents', 'conversations', 'courses', 'files', 'messages', 'modules', 'transactions', 'users'])
    const before = (a: string, b: string) => expect(order.indexOf(a)).toBeLessThan(order.indexOf(b))
    before('users', 'conversations')
    before('conversations', 'messages')
    before('files', 'messages')
    before('users', 'agents')
    before('courses', 'modules')
    before('users', 'transactions')
  })

  for (const kind of ['dump', 'ejson'] as const) {
    it(`migrates every collection from ${kind}, rejects the dirt with reasons, and verifies`, async () => {
      await freshSchema()
      const source = await openSource(kind === 'dump' ? data.dump : `ejson:${data.ejson}`)
      try {
        const summary = await runBackfill(t.db, source, jobs, { batchSize: 200 })
        for (const s of summary) {
          expect(s.docs, s.job).toBe(data.counts[s.collection as keyof typeof data.counts])
          expect(s.loaded + s.rejected, s.job).toBe(s.docs)
          expect(s.loaded, s.job).toBeGreaterThan(s.docs * 0.7)
        }
        const by = Object.fromEntries(summary.map((s) => [s.job, s]))
        // The dataset has duplicate emails, missing emails and dangling references: each is a reject.
        expect(by.users!.rejected).toBeGreaterThan(0)
        const rejects = await listRejects(t.db)
        const reasons = rejects.map((r) => `${r.job} ${r.kind} ${r.reason}`)
        expect(reasons.some((r) => /^users database 23505 .*users_email_key/.test(r))).toBe(true)
        expect(reasons.some((r) => /^users validation email:/.test(r))).toBe(true)
        expect(reasons.some((r) => /^conversations database 23503 .*conversations_user_id_fkey/.test(r))).toBe(true)
        expect(reasons.some((r) => /^messages database 23503 /.test(r))).toBe(true)
        expect(reasons.some((r) => /^modules database 23503 .*modules_course_id_fkey/.test(r))).toBe(true)
        expect(reasons.some((r) => /^transactions database 23505 .*stripe_session_id/.test(r))).toBe(true)

        // References resolved without lookup tables.
        expect(await count(`SELECT count(*)::text AS n FROM app.messages WHERE parent_id IS NOT NULL`)).toBeGreaterThan(100)
        expect(await count(`SELECT count(*)::text AS n FROM app.message_files`)).toBeGreaterThan(10)
        expect(await count(`SELECT count(*)::text AS n FROM app.messages m JOIN app.conversations c ON c.id = m.conversation_id JOIN app.users u ON u.id = c.user_id`)).toBe(by.messages!.loaded)
        expect(await count(`SELECT count(DISTINCT tenant_id)::text AS n FROM app.users`)).toBe(1)
        // Amounts in exact cents whatever the legacy type was.
        expect(await count(`SELECT count(*)::text AS n FROM app.transactions WHERE amount < 500`)).toBe(0)

        for (const job of jobs) {
          const v = await verifyJob(t.db, source, job)
          expect(v.ok, `${job.name}: ${JSON.stringify(v.content.differences.slice(0, 2))} ${JSON.stringify(v.counts)}`).toBe(true)
        }
      } finally {
        await source.close()
      }
    })
  }
})
