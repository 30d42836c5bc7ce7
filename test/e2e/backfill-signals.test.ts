/**
 * SIGINT / SIGTERM to a child process running `cairn backfill run`: the batch being loaded commits,
 * the run is recorded as interrupted, the sorted temporary copy is removed, exit 130 / 143. After a
 * SIGKILL, the next run removes the temporary copy the dead process left and marks its run
 * abandoned; the resumed load ends with exactly the source's documents.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BSON } from 'bson'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { openSource } from '../../src/data/sources/open-source.js'
import { verifyJob } from '../../src/data/verify.js'
import { hasBookkeeping, readProgress } from '../../src/data/checkpoint.js'
import { oidOf, resetDatabase, usersJob } from '../unit/data/fixtures.js'

const ROOT = path.resolve(__dirname, '../..')
const CLI = path.join(ROOT, 'test/unit/data/run-cli.ts')
const FIXTURES = path.join(ROOT, 'test/unit/data/fixtures.ts')
const N = 20_000

describe.each(testEngines())('signals during a backfill on $name', (engine) => {
  let t: TestDatabase | undefined
  let url: string
  let tmp: string
  let tmpdir: string
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (t) return fn(t.db)
    const db = await connect(url)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  const leftovers = () => fs.readdirSync(tmpdir).filter((n) => n.startsWith('cairn-source-'))
  const runs = () =>
    withDb(async (db) => ((await hasBookkeeping(db)) ? db.query<{ status: string }>(`SELECT status FROM cairn.backfill_runs ORDER BY id`) : [])).then((r) =>
      r.map((x) => x.status),
    )
  const rows = () => withDb((db) => db.query<{ n: string }>(`SELECT count(*)::text AS n FROM app.users`)).then((r) => Number(r[0]!.n))

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-backfill-signals-'))
    tmpdir = path.join(tmp, 'tmp')
    fs.mkdirSync(tmpdir)
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
    await withDb(resetDatabase)
    fs.mkdirSync(path.join(tmp, 'migrations/data'), { recursive: true })
    fs.writeFileSync(path.join(tmp, 'migrations/data/users.ts'), `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`)
    // Out of _id order: the source sorts it into a temporary copy under TMPDIR first.
    fs.mkdirSync(path.join(tmp, 'dump/legacy'), { recursive: true })
    const parts: Uint8Array[] = []
    for (let i = 0; i < N; i++) {
      const n = ((i * 7919) % N) + 1
      parts.push(BSON.serialize({ _id: oidOf(n), email: `user${n}@example.com`, name: `User ${n}` }))
    }
    fs.writeFileSync(path.join(tmp, 'dump/legacy/users.bson'), Buffer.concat(parts))
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  /** Runs the CLI; sends `signal` once the first batch is reported (or never). */
  function runCli(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string; pid: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI, 'backfill', 'run', '--source', path.join(tmp, 'dump/legacy'), '--url', url, '--project', tmp, '--batch-size', '250', '--workers', '0'],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', TMPDIR: tmpdir }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let stderr = ''
      let stdout = ''
      let sent = false
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (signal && !sent && /users: \d+\/\d+ docs/.test(stderr)) {
          sent = true
          child.kill(signal)
        }
      })
      child.on('error', reject)
      child.on('exit', (code, sig) => resolve({ code, signal: sig, stderr, stdout, pid: child.pid! }))
    })
  }

  it('SIGINT and SIGTERM: exit 130 / 143, run interrupted, temporary copy removed, resumable', async () => {
    for (const [signal, exit] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const before = await runs()
      const r = await runCli(signal)
      expect(r.code, r.stderr).toBe(exit)
      expect(r.stderr).toContain(`interrupted by ${signal}`)
      expect(r.stderr).toContain('run again to resume')
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(leftovers()).toEqual([])
      expect(await runs()).toEqual([...before, 'interrupted'])
      const p = await withDb((db) => readProgress(db, 'users'))
      expect(p.docs).toBeLessThan(N)
      expect(await rows()).toBe(p.loaded)
    }
  }, 120_000)

  it('after SIGKILL the next run removes the stale temporary copy, marks the dead run abandoned and finishes exactly', async () => {
    const killed = await runCli('SIGKILL')
    expect(killed.signal).toBe('SIGKILL')
    // The dead process could not clean up.
    expect(leftovers().some((n) => n.startsWith(`cairn-source-${killed.pid}-`))).toBe(true)
    expect((await runs()).at(-1)).toBe('running')
    const final = await runCli()
    expect(final.code, final.stderr).toBe(0)
    expect(leftovers()).toEqual([])
    const statuses = await runs()
    expect(statuses.slice(-2)).toEqual(['abandoned', 'done'])
    expect(await rows()).toBe(N)
    await withDb(async (db) => {
      expect(await readProgress(db, 'users')).toMatchObject({ docs: N, loaded: N, rejected: 0 })
      const source = await openSource(path.join(tmp, 'dump/legacy'))
      try {
        expect((await verifyJob(db, source, usersJob)).ok).toBe(true)
      } finally {
        await source.close()
      }
    })
  }, 120_000)
})
