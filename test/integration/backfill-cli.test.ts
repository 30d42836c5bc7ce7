import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EJSON } from 'bson'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { capturedContext } from '../helpers/cli-context.js'
import { run } from '../../src/cli/program.js'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { deterministicUuid } from '../../src/data/convert.js'
import { oidOf, resetDatabase, userDocs } from '../unit/data/fixtures.js'

const FIXTURES = path.resolve(__dirname, '../unit/data/fixtures.ts')


describe.each(testEngines())('cairn backfill CLI on $name', (engine) => {
  let t: TestDatabase | undefined
  let url: string
  let tmp: string
  const badLine = '{"_id":{"$oid":"000000000000000000000063"},"email":"nope","age":{"$numberInt":"3"}}'

  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (t) return fn(t.db)
    const db = await connect(url)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  const cli = async (...args: string[]) => {
    const ctx = capturedContext(tmp)
    const code = await run(['node', 'cairn', 'backfill', ...args, '--url', url, '--project', tmp], ctx)
    return { code, out: ctx.out, err: ctx.err }
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-backfill-cli-'))
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
    await withDb(resetDatabase)
    fs.mkdirSync(path.join(tmp, 'migrations/data'), { recursive: true })
    fs.writeFileSync(path.join(tmp, 'migrations/data/users.ts'), `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`)
    fs.mkdirSync(path.join(tmp, 'export'))
    const lines = userDocs(8).map((d) => EJSON.stringify(d, { relaxed: false }))
    fs.writeFileSync(path.join(tmp, 'export/users.json'), [...lines, badLine].join('\n') + '\n')
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('dry-run reports and writes nothing', async () => {
    const r = await cli('run', '--source', 'ejson:export', '--dry-run')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^job\s+status\s+read\s+loaded\s+rejected/)
    expect(r.out).toMatch(/users\s+dry-run\s+9\s+8\s+1/)
    expect(r.out).toContain('would reject users {"$oid":"000000000000000000000063"}: email:')
    expect(await withDb((db) => db.query(`SELECT 1 FROM app.users`))).toHaveLength(0)
  })

  it('runs, reports status, lists rejects byte-for-byte, verifies and finds a hand edit', async () => {
    const r = await cli('run', '--source', 'ejson:export', '--json')
    expect(r.code).toBe(0)
    const body = JSON.parse(r.out)
    expect(body.jobs[0]).toMatchObject({ job: 'users', status: 'done', docs: 9, loaded: 8, rejected: 1, batches: 3 })

    const s = await cli('status', '--json')
    expect(JSON.parse(s.out).jobs[0]).toMatchObject({ job: 'users', batches: 3, docs: 9, loaded: 8, rejected: 1, lastRun: 'done', lastId: '{"$oid":"000000000000000000000063"}' })
    const st = await cli('status')
    expect(st.out).toMatch(/users\s+users\s+app\.users\s+3\s+9\s+8\s+1\s+done/)

    const rj = await cli('rejects', '--job', 'users', '--json')
    const rejects = JSON.parse(rj.out).rejects
    expect(rejects).toHaveLength(1)
    expect(rejects[0]).toMatchObject({ job: 'users', kind: 'validation', document: badLine })

    const v = await cli('verify', 'users', '--source', 'ejson:export')
    expect(v.code).toBe(0)
    expect(v.out).toContain('users: ok')
    expect(v.out).toContain('loaded 8 + rejected 1 = 9')

    await withDb((db) => db.query(`UPDATE app.users SET name = 'edited' WHERE id = $1`, [deterministicUuid('users', oidOf(2))]))
    const bad = await cli('verify', 'users', '--source', 'ejson:export')
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('MISMATCH')
    expect(bad.out).toContain(`different app.users (id=${deterministicUuid('users', oidOf(2))})`)
    expect(bad.out).toContain('name: expected "User 2", actual "edited"')
    const j = await cli('verify', 'users', '--source', 'ejson:export', '--json')
    expect(j.code).toBe(1)
    expect(JSON.parse(j.out).jobs[0].content.tables[0]).toMatchObject({ different: 1, matched: 7 })

    // Resuming: nothing left to do.
    const again = await cli('run', 'users', '--source', 'ejson:export', '--json')
    expect(JSON.parse(again.out).jobs[0]).toMatchObject({ docs: 0, total: { docs: 9, loaded: 8, rejected: 1 } })
    // Upsert from the start repairs the hand edit.
    const up = await cli('run', '--source', 'ejson:export', '--mode', 'upsert', '--restart', '--json')
    expect(JSON.parse(up.out).jobs[0]).toMatchObject({ docs: 9, loaded: 8, rejected: 1 })
    expect((await cli('verify', 'users', '--source', 'ejson:export')).code).toBe(0)
  })

  it('refuses --restart in insert mode over loaded rows (exit 2); a run that loads nothing exits 1', async () => {
    await withDb(resetDatabase)
    expect((await cli('run', '--workers', '0', '--source', 'ejson:export')).code).toBe(0)
    const restart = await cli('run', '--workers', '0', '--source', 'ejson:export', '--restart')
    expect(restart.code).toBe(2)
    expect(restart.err).toContain('--restart in insert mode would reject every document it already loaded (8) as a duplicate')
    expect(restart.err).toContain('--mode upsert')
    expect(await withDb((db) => db.query(`SELECT 1 FROM app.users`))).toHaveLength(8)
    // Checkpoints lost but rows still there: every document is a duplicate. Not a success.
    await withDb((db) => db.exec('DELETE FROM cairn.backfill_checkpoints; DELETE FROM cairn.backfill_rejects'))
    const dup = await cli('run', '--workers', '0', '--source', 'ejson:export')
    expect(dup.code).toBe(1)
    expect(dup.out).toMatch(/users\s+done\s+9\s+0\s+9/)
    expect(dup.err).toContain('backfill users: all 9 documents read were rejected, none loaded')
    await withDb((db) => db.exec('DELETE FROM cairn.backfill_checkpoints; DELETE FROM cairn.backfill_rejects'))
    const json = await cli('run', '--workers', '0', '--source', 'ejson:export', '--json')
    expect(json.code).toBe(1)
    const body = JSON.parse(json.out)
    expect(body).toMatchObject({ ok: false, error: { code: 'backfill_nothing_loaded' } })
    expect(body.jobs[0]).toMatchObject({ docs: 9, loaded: 0, rejected: 9 })
    // Upsert from the start rewrites the rows in place.
    const up = await cli('run', '--workers', '0', '--source', 'ejson:export', '--restart', '--mode', 'upsert')
    expect(up.code).toBe(0)
  })

  it('stops with exit 1 past --max-rejects, and rejects bad usage with exit 2', async () => {
    const r = await cli('run', '--source', 'ejson:export', '--restart', '--mode', 'upsert', '--max-rejects', '0', '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).error.code).toBe('backfill_too_many_rejects')
    expect((await cli('run', '--source', 'ejson:export', '--mode', 'merge')).code).toBe(2)
    const unknown = await cli('run', 'nope', '--source', 'ejson:export')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('unknown backfill job: nope')
    expect((await cli('run', '--source', 'ejson:missing-dir')).code).toBe(2)
    const workers = await cli('run', '--source', 'ejson:export', '--workers', 'two')
    expect(workers.code).toBe(2)
    expect(workers.err).toContain('--workers must be an integer')
  })
})
