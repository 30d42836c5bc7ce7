/**
 * A real `kill -9` of a child process running `cairn backfill run`, at several moments, then a
 * resume: the table ends up with exactly the source's documents, none lost, none doubled.
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
import { deterministicUuid } from '../../src/data/convert.js'
import { readProgress } from '../../src/data/checkpoint.js'
import { oidOf, resetDatabase, usersJob } from '../unit/data/fixtures.js'

const ROOT = path.resolve(__dirname, '../..')
const CLI = path.join(ROOT, 'test/unit/data/run-cli.ts')
const FIXTURES = path.join(ROOT, 'test/unit/data/fixtures.ts')
const N = 30_000

describe.each(testEngines())('kill -9 during a backfill on $name', (engine) => {
  let t: TestDatabase | undefined
  let url: string
  let tmp: string
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (t) return fn(t.db)
    const db = await connect(url)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-backfill-kill-'))
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
    await withDb(resetDatabase)
    fs.mkdirSync(path.join(tmp, 'migrations/data'), { recursive: true })
    fs.writeFileSync(path.join(tmp, 'migrations/data/users.ts'), `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`)
    // A mongodump-layout collection, written out of _id order like a real dump can be.
    fs.mkdirSync(path.join(tmp, 'dump/legacy'), { recursive: true })
    const parts: Uint8Array[] = []
    for (let i = 0; i < N; i++) {
      const n = ((i * 7919) % N) + 1
      parts.push(BSON.serialize({ _id: oidOf(n), email: `user${n}@example.com`, name: `User ${n}`, age: n % 90, createdAt: new Date(Date.UTC(2020, 0, 1) + n * 60_000) }))
    }
    fs.writeFileSync(path.join(tmp, 'dump/legacy/users.bson'), Buffer.concat(parts))
    fs.writeFileSync(path.join(tmp, 'dump/legacy/users.metadata.json'), JSON.stringify({ indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }], uuid: '00', collectionName: 'users' }))
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  /** Starts the CLI; resolves with its exit code, or kills it -9 `delayMs` after its first progress line. */
  function runCli(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI, 'backfill', 'run', '--source', path.join(tmp, 'dump/legacy'), '--url', url, '--project', tmp, '--batch-size', '250'],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let stderr = ''
      let armed = false
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (killAfterMs !== undefined && !armed && /users: \d+\/\d+ docs/.test(stderr)) {
          armed = true
          setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        }
      })
      child.on('error', reject)
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }))
    })
  }

  it('resumes after each kill and ends with exactly the source documents', async () => {
    // Killed right after the first committed batch, and a little later: runs take about a second
    // on an idle machine, so the delays are short.
    let killedMidway = 0
    for (const delay of [0, 60, 200]) {
      const r = await runCli(delay)
      const p = await withDb((db) => readProgress(db, 'users'))
      if (r.signal === 'SIGKILL' && p.docs < N) killedMidway++
      else expect(r.code, r.stderr).toBe(0)
      const rows = await withDb((db) => db.query<{ n: string }>(`SELECT count(*)::text AS n FROM app.users`))
      // What is committed is exactly what the checkpoints say: nothing half-written.
      expect(Number(rows[0]!.n)).toBe(p.loaded)
      expect(p.docs % 250 === 0 || p.docs === N).toBe(true)
    }
    expect(killedMidway).toBeGreaterThan(0)
    const final = await runCli()
    expect(final.code, final.stderr).toBe(0)
    await withDb(async (db) => {
      const r = await db.query<{ n: string; d: string }>(`SELECT count(*)::text AS n, count(DISTINCT email)::text AS d FROM app.users`)
      expect(r[0]).toEqual({ n: String(N), d: String(N) })
      const p = await readProgress(db, 'users')
      expect(p).toMatchObject({ docs: N, loaded: N, rejected: 0 })
      const some = await db.query<{ email: string }>(`SELECT email FROM app.users WHERE id = $1`, [deterministicUuid('users', oidOf(12345))])
      expect(some[0]!.email).toBe('user12345@example.com')
      const source = await openSource(path.join(tmp, 'dump/legacy'))
      try {
        const v = await verifyJob(db, source, usersJob)
        expect(v.ok).toBe(true)
        expect(v.content.tables[0]).toMatchObject({ matched: N, missing: 0, extra: 0, different: 0 })
      } finally {
        await source.close()
      }
    })
  })
})
