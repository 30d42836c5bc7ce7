import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'

function fakeCtx(cwd: string): CliContext & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { cwd, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0, out, err }
}

async function cairn(cwd: string, ...args: string[]) {
  const ctx = fakeCtx(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out.join(''), err: ctx.err.join('') }
}

describe.each(testEngines())('cairn migrate CLI on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase | undefined
  let url: string
  let names: string[]

  beforeAll(async () => {
    tmp = tempDir('cairn-cli-')
    if (engine.name === 'postgres') {
      t = await engine.open()
      url = t.url
    } else url = `pglite:${path.join(tmp.dir, 'db')}`
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'users', up: "SET lock_timeout = '5s';\nCREATE TABLE users (id int PRIMARY KEY);\n", down: 'DROP TABLE users;\n' },
      { name: 'users_idx', up: '-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY users_id_idx ON users (id);\n', down: 'DROP INDEX CONCURRENTLY users_id_idx;\n' },
      { name: 'posts', up: "SET lock_timeout = '5s';\nCREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);\n", down: 'DROP TABLE posts;\n' },
    ])
  })
  afterAll(async () => {
    await t?.dispose()
    tmp.cleanup()
  })

  it('plans, applies, reports status, reverts, baselines and hashes', async () => {
    const plan = await cairn(tmp.dir, 'migrate', 'plan', '--url', url)
    expect(plan.code).toBe(0)
    expect(plan.out).toContain(`-- ${names[0]} (up): one transaction\nSET lock_timeout = '5s';\nCREATE TABLE users (id int PRIMARY KEY);\n`)
    expect(plan.out).toContain('-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY users_id_idx ON users (id);')

    const up = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--to', names[1])
    expect(up.code).toBe(0)
    expect(up.out).toMatch(new RegExp(`^applied  ${names[0]} \\d+ ms\napplied  ${names[1]} \\d+ ms\n2 migrations applied on `))

    const status = await cairn(tmp.dir, 'migrate', 'status', '--url', url, '--json')
    expect(status.code).toBe(0)
    const s = JSON.parse(status.out)
    expect(s).toMatchObject({ ok: true, dir: 'migrations', sum: { ok: true }, counts: { applied: 2, pending: 1 }, current: names[1] })
    expect(s.migrations.map((m: any) => m.status)).toEqual(['applied', 'applied', 'pending'])

    const human = await cairn(tmp.dir, 'migrate', 'status', '--url', url)
    expect(human.out).toMatch(new RegExp(`${names[2]} +pending`))
    expect(human.out).toContain('2 applied, 1 pending; database at ' + names[1])

    const upJson = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json')
    expect(lastLine(upJson.out)).toMatchObject({ event: 'summary', ok: true, direction: 'up', dryRun: false, results: [{ name: names[2], status: 'success' }] })

    const down = await cairn(tmp.dir, 'migrate', 'down', '--url', url, '--steps', '2', '--allow-destructive')
    expect(down.code).toBe(0)
    expect(down.out).toMatch(new RegExp(`reverted ${names[2]} .*\nreverted ${names[1]} `))

    const dry = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--dry-run')
    expect(dry.out).toContain('CREATE TABLE posts')
    const after = JSON.parse((await cairn(tmp.dir, 'migrate', 'status', '--url', url, '--json')).out)
    expect(after.counts).toMatchObject({ applied: 1, pending: 2 })

    // baseline checks the database first: users_idx and posts are not there, so it refuses
    const refused = await cairn(tmp.dir, 'baseline', names[2], '--url', url)
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('[baseline_mismatch]')
    expect(refused.err).toContain('the database would need: create table public.posts')
    expect(refused.err).toContain('the database would need: create index public.users_id_idx on public.users')
    expect(JSON.parse((await cairn(tmp.dir, 'migrate', 'status', '--url', url, '--json')).out).counts).toMatchObject({ applied: 1, pending: 2 })
    // --force records the remaining migrations without running them (posts does not get created)
    const base = await cairn(tmp.dir, 'baseline', names[2], '--url', url, '--json', '--force')
    expect(base.code).toBe(0)
    expect(JSON.parse(base.out).results.map((r: any) => r.status)).toEqual(['skipped', 'baselined', 'baselined'])
  })

  it('exits 3 with the migration, statement and Postgres error when a migration fails', async () => {
    const dir = path.join(tmp.dir, 'migrations')
    await writeAll(dir, [{ name: 'broken', up: 'CREATE TABLE ok_table (id int);\nALTER TABLE nope ADD COLUMN x int;\n' }], Date.UTC(2024, 5, 1))
    // --skip-lint: the lint would refuse the ALTER without lock_timeout before it could fail
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--skip-lint')
    expect(r.code).toBe(3)
    expect(r.err).toContain('[migration_failed]')
    expect(r.err).toMatch(/_broken \(up\) failed on statement 2 of 2 at migrations\/\d+_broken\/up\.sql:2: \[42P01\]/)
    expect(r.err).toContain('statement: ALTER TABLE nope ADD COLUMN x int')
    expect(r.err).toContain('hint:')
    const j = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json', '--skip-lint')
    expect(j.code).toBe(3)
    const e = lastLine(j.out)
    expect(e.ok).toBe(false)
    expect(e.error).toMatchObject({ code: 'migration_failed', meta: { postgres: { code: '42P01' }, statement: { index: 2 } } })
  })

  it('refuses a tampered sum with exit 2, and `migrate hash` repairs it', async () => {
    const sumPath = path.join(tmp.dir, 'migrations', 'cairn.sum')
    const broken = path.join(tmp.dir, 'migrations', readFileSync(sumPath, 'utf8').match(/(\d{14}_broken)\/up\.sql/)![1], 'up.sql')
    writeFileSync(broken, 'CREATE TABLE fixed_table (id int);\n')
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', url)
    expect(r.code).toBe(2)
    expect(r.err).toContain('[checksum_mismatch]')
    expect(r.err).toContain('cairn migrate hash')
    const h = await cairn(tmp.dir, 'migrate', 'hash')
    expect(h).toMatchObject({ code: 0, out: 'migrations/cairn.sum updated (7 files)\n' })
    const ok = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json')
    expect(ok.code).toBe(0)
    expect(lastLine(ok.out).results).toEqual([expect.objectContaining({ status: 'success' })])
  })

  it('rejects bad options with exit 2', async () => {
    expect((await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--lock-timeout', 'soon')).code).toBe(2)
    expect((await cairn(tmp.dir, 'migrate', 'down', '--url', url, '--steps', '0')).code).toBe(2)
    expect((await cairn(tmp.dir, 'migrate', 'frobnicate')).code).toBe(2)
  })
})

/** `migrate up --json` streams one object per line; the summary (or the error) is the last. */
function lastLine(out: string): any {
  return JSON.parse(out.trimEnd().split('\n').at(-1)!)
}
