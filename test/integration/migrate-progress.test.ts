/**
 * `migrate up` progress: `--json` streams one object per event (migration_start, statement_start,
 * statement_done, migration_done, the summary last) on both engines; on the server an index build
 * long enough is polled from a second connection (pg_stat_progress_create_index) and reported as
 * `progress` events, and in human mode as plain `statement n of m` lines on stderr.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'
import { openPostgres } from '../../src/db/postgres.js'
import { migrateUp } from '../../src/migrate/runner.js'
import type { MigrateEvent } from '../../src/migrate/runner.js'

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

/** Every stdout line must be one JSON object. */
function lines(out: string): any[] {
  return out
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l))
}

describe.each(testEngines())('migrate up --json event lines on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase | undefined
  let url: string
  let names: string[]

  beforeAll(async () => {
    tmp = tempDir('cairn-progress-')
    if (engine.name === 'postgres') {
      t = await engine.open()
      url = t.url
    } else url = `pglite:${path.join(tmp.dir, 'db')}`
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'items', up: "SET lock_timeout = '5s';\nCREATE TABLE items (id int PRIMARY KEY, label text);\nINSERT INTO items VALUES (1, 'a'), (2, 'b');\n" },
      { name: 'items_idx', up: "SET lock_timeout = '5s';\nALTER TABLE items ADD COLUMN note text;\n-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY items_label_idx ON items (label);\n" },
    ])
  })
  afterAll(async () => {
    await t?.dispose()
    tmp?.cleanup()
  })

  it('one object per line, in order, the summary last', async () => {
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json')
    expect(r.code).toBe(0)
    const events = lines(r.out)
    const shape = events.map((e) => [e.event, e.name ?? null, e.statement ?? null])
    expect(shape).toEqual([
      ['migration_start', names[0], null],
      ['statement_start', names[0], 1],
      ['statement_done', names[0], 1],
      ['statement_start', names[0], 2],
      ['statement_done', names[0], 2],
      ['statement_start', names[0], 3],
      ['statement_done', names[0], 3],
      ['migration_done', names[0], null],
      ['migration_start', names[1], null],
      ['statement_start', names[1], 1],
      ['statement_done', names[1], 1],
      ['statement_start', names[1], 2],
      ['statement_done', names[1], 2],
      ['statement_start', names[1], 3],
      ['statement_done', names[1], 3],
      ['migration_done', names[1], null],
      ['summary', null, null],
    ])
    expect(events[1]).toMatchObject({
      direction: 'up',
      total: 3,
      transactional: true,
      file: `migrations/${names[0]}/up.sql`,
      line: 1,
      text: "SET lock_timeout = '5s'",
    })
    expect(events[13]).toMatchObject({ total: 3, transactional: false, line: 4, text: 'CREATE INDEX CONCURRENTLY items_label_idx ON items (label)' })
    expect(events[14]).toMatchObject({ event: 'statement_done', durationMs: expect.any(Number) })
    expect(events[15]).toMatchObject({ event: 'migration_done', durationMs: expect.any(Number) })
    // the summary is the document `--json` printed before, on one line
    expect(events.at(-1)).toMatchObject({
      event: 'summary',
      ok: true,
      direction: 'up',
      dryRun: false,
      results: [
        { name: names[0], status: 'success', statements: 3, transactional: true },
        { name: names[1], status: 'success', statements: 3, transactional: false },
      ],
    })
    expect(r.err).not.toContain('statement 1 of') // fast statements are not announced

    // nothing pending: the summary alone
    const again = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json')
    expect(lines(again.out)).toEqual([expect.objectContaining({ event: 'summary', ok: true, results: [] })])
  })

  it('a failure: migration_failed, then the error on the last line', async () => {
    const [broken] = await writeAll(path.join(tmp.dir, 'migrations'), [{ name: 'broken', up: 'CREATE TABLE fine (id int);\nALTER TABLE nope ADD COLUMN x int;\n' }], Date.UTC(2024, 5, 1))
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', url, '--json', '--skip-lint')
    expect(r.code).toBe(3)
    const events = lines(r.out)
    expect(events.map((e) => e.event)).toEqual(['migration_start', 'statement_start', 'statement_done', 'statement_start', 'migration_failed', undefined])
    expect(events[4]).toMatchObject({ name: broken })
    expect(events.at(-1)).toMatchObject({ ok: false, error: { code: 'migration_failed', meta: { statement: { index: 2 } } } })
  })
})

const server = testEngines().find((e) => e.name === 'postgres')

describe.skipIf(!server)(`index build progress on the server${server ? '' : ' (skipped: set DATABASE_URL to run it)'}`, () => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase
  let names: string[]

  beforeAll(async () => {
    tmp = tempDir('cairn-progress-big-')
    t = await server!.open()
    // 2M rows of text: sorting them for an index takes seconds, well over the 1 s poll interval
    await t.db.exec(`CREATE TABLE big (id int, tag text); INSERT INTO big SELECT i, md5(i::text) FROM generate_series(1, 2000000) i; ANALYZE big`)
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'big_tag_idx', up: "SET maintenance_work_mem = '1MB';\n-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY big_tag_idx ON big (tag);\n" },
      { name: 'big_tag_id_idx', up: "SET lock_timeout = '5s';\nSET maintenance_work_mem = '1MB';\nCREATE INDEX big_tag_id_idx ON big (tag, id);\n" },
    ])
  })
  afterAll(async () => {
    await t?.dispose()
    tmp?.cleanup()
  })

  it('--json: progress events from pg_stat_progress_create_index while CREATE INDEX CONCURRENTLY runs', async () => {
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', t.url, '--json', '--skip-lint', '--to', names[0])
    expect(r.code).toBe(0)
    const events = lines(r.out)
    const progress = events.filter((e) => e.event === 'progress')
    expect(progress.length).toBeGreaterThanOrEqual(1)
    expect(progress[0]).toMatchObject({
      name: names[0],
      statement: 2,
      total: 2,
      elapsedMs: expect.any(Number),
      progress: { command: 'CREATE INDEX CONCURRENTLY', table: 'big', phase: expect.any(String), blocksTotal: expect.any(Number), tuplesDone: expect.any(Number) },
    })
    expect(progress.some((e) => e.progress.blocksTotal > 0 || e.progress.tuplesDone > 0)).toBe(true)
    // progress comes between the statement's start and its end
    const start = events.findIndex((e) => e.event === 'statement_start' && e.statement === 2)
    const done = events.findIndex((e) => e.event === 'statement_done' && e.statement === 2)
    expect(events.indexOf(progress[0])).toBeGreaterThan(start)
    expect(events.indexOf(progress.at(-1))).toBeLessThan(done)
    expect(events.at(-1)).toMatchObject({ event: 'summary', results: [{ name: names[0], status: 'success' }] })
  })

  it('human output without a terminal: plain statement n of m lines with the index build on stderr', async () => {
    const r = await cairn(tmp.dir, 'migrate', 'up', '--url', t.url, '--skip-lint')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`applied  ${names[1]}`)
    expect(r.err).toContain(`  ${names[1]}: statement 3 of 3 (migrations/${names[1]}/up.sql:3) running: CREATE INDEX big_tag_id_idx ON big (tag, id)\n`)
    expect(r.err).toMatch(new RegExp(`  ${names[1]}: statement 3 of 3: CREATE INDEX( big_tag_id_idx)? on big: [a-z :]+(, blocks \\d+/\\d+ \\(\\d+%\\))?`))
    expect(r.err).toMatch(new RegExp(`  ${names[1]}: statement 3 of 3 done in \\d+\\.\\d s\n`))
    expect(r.err).not.toContain('\x1b[')
  })

  it('a pool with no connection to spare: the poll waits at most 2 s after the statement, the run is not held up', async () => {
    const dir = path.join(tmp.dir, 'single')
    const [name] = await writeAll(dir, [{ name: 'sleepy', up: 'SELECT pg_sleep(1.5);\n' }])
    // a database of its own: the history of the other tests is not in this directory
    const own = await server!.open()
    const db = await openPostgres(own.url, { poolSize: 1 })
    const events: MigrateEvent[] = []
    try {
      const started = performance.now()
      const r = await migrateUp(db, { dir, onEvent: (e) => events.push(e) })
      expect(r.results).toEqual([expect.objectContaining({ name, status: 'success' })])
      expect(performance.now() - started).toBeLessThan(15_000)
    } finally {
      await db.close()
      await own.dispose()
    }
    expect(events.map((e) => e.event)).toEqual(['migrating', 'statement_start', 'statement', 'migrated'])
  })
})
