/**
 * cairn's backend terminated (pg_terminate_backend) during a backfill, between batches and in the
 * middle of a COPY: the run fails with connection_lost (exit 3, JSON on --json), the run row is
 * marked failed with the error on a fresh connection, and the next run continues from the
 * checkpoint with nothing lost or doubled. Server only: PGlite has no backends to terminate.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EJSON, type Document } from 'bson'
import { postgresEngine, type TestDatabase } from '../helpers/engines.js'
import { capturedContext } from '../helpers/cli-context.js'
import { run } from '../../src/cli/program.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { readProgress } from '../../src/data/checkpoint.js'
import { memorySource, type Source } from '../../src/data/source.js'
import { resetDatabase, userDocs, usersJob } from '../unit/data/fixtures.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const FIXTURES = path.resolve(__dirname, '../unit/data/fixtures.ts')
const url = process.env.DATABASE_URL

describe.skipIf(!url)(orSkipped('backfill when its connection is terminated', !url, NEEDS_DATABASE_URL), () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await postgresEngine(url!).open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetDatabase(t.db)
  })

  const docs = userDocs(20)
  const count = async () => Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM app.users`))[0]!.n)

  /** The backend holding a backfill job's advisory lock (the run's session). */
  async function sessionPid(): Promise<number | undefined> {
    const r = await t.db.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
    return r[0]?.pid
  }
  async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
    for (let i = 0; i < 400; i++) {
      const v = await probe()
      if (v) return v
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`timed out waiting for ${what}`)
  }
  async function terminate(pid: number): Promise<void> {
    await t.db.query(`SELECT pg_terminate_backend($1)`, [pid])
    await until('the backend to exit', async () => (await t.db.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [pid])).length === 0)
  }
  /** Holds the batch while a COPY of it runs: the row of user5 sleeps in a trigger. */
  async function slowRow(): Promise<void> {
    await t.db.exec(`
      CREATE FUNCTION app.slow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.email = 'user5@example.com' THEN PERFORM pg_sleep(30); END IF; RETURN NEW; END $$;
      CREATE TRIGGER slow BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.slow();`)
  }
  async function copyInProgress(): Promise<number | undefined> {
    const r = await t.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY app.users%' AND wait_event = 'PgSleep'`,
    )
    return r[0]?.pid
  }

  async function expectRecordedAndResumable(): Promise<void> {
    const runs = await t.db.query<{ status: string; error: string | null }>(`SELECT status, error FROM cairn.backfill_runs ORDER BY id`)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.status).toBe('failed')
    expect(runs[0]!.error).toMatch(/lost the connection/)
    const p = await readProgress(t.db, 'users')
    expect(p).toMatchObject({ batches: 1, docs: 3, loaded: 3 })
    expect(await count()).toBe(3)
    await t.db.exec('DROP TRIGGER IF EXISTS slow ON app.users')
    const source = memorySource({ users: docs })
    const rest = await runBackfill(t.db, source, [usersJob])
    expect(rest[0]).toMatchObject({ status: 'done', docs: 17, loaded: 17, total: { docs: 20, loaded: 20, rejected: 0 } })
    expect(await count()).toBe(20)
    expect((await verifyJob(t.db, source, usersJob)).ok).toBe(true)
  }

  it('between batches: connection_lost, the run recorded as failed, the next run resumes', async () => {
    // The second batch is held back until the session is idle and has been terminated.
    let reached!: () => void
    const atGate = new Promise<void>((r) => (reached = r))
    let open!: () => void
    const gate = new Promise<void>((r) => (open = r))
    const inner = memorySource({ users: docs })
    const source: Source = {
      ...inner,
      async *batches(collection, options) {
        let i = 0
        for await (const b of inner.batches(collection, options)) {
          if (i++ === 1) {
            reached()
            await gate
          }
          yield b as Document[]
        }
      },
    }
    const running = runBackfill(t.db, source, [usersJob]).then(
      () => undefined,
      (e: unknown) => e,
    )
    await atGate
    await until('batch 1 to commit', async () => (await readProgress(t.db, 'users')).batches === 1)
    const pid = await until('the session', sessionPid)
    await terminate(pid)
    open()
    const e = await running
    expect(e).toMatchObject({ code: 'connection_lost', exitCode: 3 })
    await expectRecordedAndResumable()
  })

  it('during a COPY: connection_lost, nothing of the batch written, the next run resumes', async () => {
    await slowRow()
    const running = runBackfill(t.db, memorySource({ users: docs }), [usersJob]).then(
      () => undefined,
      (e: unknown) => e,
    )
    await terminate(await until('the COPY of batch 2', copyInProgress))
    const e = await running
    expect(e).toMatchObject({ code: 'connection_lost', exitCode: 3 })
    await expectRecordedAndResumable()
  })

  it('the CLI exits 3 with a clear message, and JSON on --json', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-backfill-conn-'))
    try {
      fs.mkdirSync(path.join(tmp, 'migrations/data'), { recursive: true })
      fs.writeFileSync(path.join(tmp, 'migrations/data/users.ts'), `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`)
      fs.mkdirSync(path.join(tmp, 'export'))
      fs.writeFileSync(path.join(tmp, 'export/users.json'), docs.map((d) => EJSON.stringify(d, { relaxed: false })).join('\n') + '\n')
      await slowRow()
      for (const json of [true, false]) {
        if (!json) {
          await resetDatabase(t.db)
          await slowRow()
        }
        const ctx = capturedContext(tmp)
        const args = ['node', 'cairn', 'backfill', 'run', '--source', 'ejson:export', '--url', t.url, '--project', tmp, '--workers', '0', '--batch-size', '3']
        const code = run(json ? [...args, '--json'] : args, ctx)
        await terminate(await until('the COPY of batch 2', copyInProgress))
        expect(await code).toBe(3)
        if (json) {
          const body = JSON.parse(ctx.out)
          expect(body.ok).toBe(false)
          expect(body.error).toMatchObject({ code: 'connection_lost' })
          expect(body.error.message).toMatch(/lost the connection/)
        } else {
          expect(ctx.err).toMatch(/lost the connection/)
          expect(ctx.err).not.toMatch(/\n\s+at /)
        }
        const runs = await t.db.query<{ status: string }>(`SELECT status FROM cairn.backfill_runs ORDER BY id`)
        expect(runs.map((r) => r.status)).toEqual(['failed'])
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
