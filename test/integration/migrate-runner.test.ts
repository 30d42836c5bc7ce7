import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { baseline, migrateDown, migrateUp, migrationStatus } from '../../src/migrate/index.js'
import type { MigrateEvent } from '../../src/migrate/index.js'
import { historyNames, publicTables, resetDb, tempDir, writeAll } from '../unit/migrate/fixtures.js'

async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

describe.each(testEngines())('migrate runner on $name', (engine) => {
  let t: TestDatabase
  let tmp: ReturnType<typeof tempDir>
  let dir: string

  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetDb(t.db)
    tmp = tempDir()
    dir = path.join(tmp.dir, 'migrations')
  })
  afterEach(() => tmp.cleanup())

  const three = [
    { name: 'a', up: "SET lock_timeout = '5s';\nCREATE TABLE a (id int PRIMARY KEY);\n", down: 'DROP TABLE a;\n' },
    { name: 'b', up: 'CREATE TABLE b (id int PRIMARY KEY);\nINSERT INTO b VALUES (1);\n', down: 'DROP TABLE b;\n' },
    { name: 'c', up: 'CREATE TABLE c (id int PRIMARY KEY);\n', down: 'DROP TABLE c;\n' },
  ]

  it('applies all pending migrations once, each with its history row', async () => {
    const names = await writeAll(dir, three)
    const events: MigrateEvent[] = []
    const r = await migrateUp(t.db, { dir, onEvent: (e) => events.push(e) })
    expect(r.results.map((x) => [x.name, x.status, x.transactional])).toEqual(names.map((n) => [n, 'success', true]))
    expect(await publicTables(t.db)).toEqual(['a', 'b', 'c'])
    expect(await historyNames(t.db)).toEqual(names)
    const rows = await t.db.query<{ checksum: string; duration_ms: number; applied_by: string; statements: number }>(
      'select checksum, duration_ms, applied_by, statements from cairn.schema_migrations order by name',
    )
    expect(rows[0].checksum).toMatch(/^h1:/)
    expect(rows[0].applied_by).toBeTruthy()
    expect(rows.map((x) => x.statements)).toEqual([2, 2, 1])
    expect(events.filter((e) => e.event === 'migrated').map((e) => e.name)).toEqual(names)
    expect(events.every((e) => e.event !== 'migrated' || typeof e.durationMs === 'number')).toBe(true)
    // again: nothing to do
    expect((await migrateUp(t.db, { dir })).results).toEqual([])
    // the migration's SET did not leak into the session after the run
    const [lt] = await t.db.query<{ v: string }>(`select current_setting('lock_timeout') as v`)
    expect(lt.v).toBe('0')
  })

  it('stops at the statement that fails and leaves the database at the last good migration', async () => {
    const names = await writeAll(dir, [
      three[0],
      { name: 'b', up: 'CREATE TABLE b (id int PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);\nCREATE TABLE b2 (id int);\n' },
      three[2],
    ])
    const err = await caught(migrateUp(t.db, { dir }))
    expect(err.code).toBe('migration_failed')
    expect(err.exitCode).toBe(3)
    expect(err.message).toContain(names[1])
    expect(err.message).toContain('statement 2 of 3')
    expect(err.message).toContain('INSERT INTO missing_table VALUES (1)')
    expect(err.message).toContain('42P01')
    expect(err.file).toBe(`${dir}/${names[1]}/up.sql:2`)
    expect(err.meta.postgres).toMatchObject({ code: '42P01', message: expect.stringContaining('missing_table') })
    expect(err.meta.statement).toMatchObject({ index: 2, of: 3, line: 2 })
    expect(err.meta.databaseAt).toBe(names[0])
    expect(err.meta.results.map((x: any) => x.status)).toEqual(['success', 'error', 'not_executed'])
    expect(err.hint).toContain('rolled back')
    // catalog: only the first migration's table exists; b was rolled back whole
    expect(await publicTables(t.db)).toEqual(['a'])
    expect(await historyNames(t.db)).toEqual([names[0]])
    const s = await migrationStatus(t.db, { dir })
    expect(s.migrations.map((m) => m.status)).toEqual(['applied', 'pending', 'pending'])
  })

  it('refuses to run when an applied migration was edited, and runs nothing', async () => {
    const names = await writeAll(dir, three.slice(0, 1))
    await migrateUp(t.db, { dir })
    // edit the applied file AND re-hash so that only the history check can catch it
    const up = path.join(dir, names[0], 'up.sql')
    writeFileSync(up, readFileSync(up, 'utf8') + 'CREATE TABLE sneaky (id int);\n')
    // writing a new migration on top of an edited one is refused too
    expect((await caught(writeAll(dir, [{ name: 'next', up: 'SELECT 1;\n' }], Date.UTC(2025, 0, 1)))).code).toBe('checksum_mismatch')
    const { hashMigrationDir, nodeDirFs } = await import('../../src/migrate/migration-dir.js')
    await hashMigrationDir(nodeDirFs, dir)
    await writeAll(dir, [{ name: 'next', up: 'CREATE TABLE next (id int);\n' }], Date.UTC(2025, 0, 1))
    const err = await caught(migrateUp(t.db, { dir }))
    expect(err.code).toBe('applied_migration_changed')
    expect(err.file).toBe(`${dir}/${names[0]}/up.sql`)
    expect(err.hint).toContain('new migration')
    expect(await publicTables(t.db)).toEqual(['a'])
    const s = await migrationStatus(t.db, { dir })
    expect(s.problems).toBe(true)
    expect(s.migrations.map((m) => m.status)).toEqual(['changed', 'pending'])
  })

  it('refuses to run when cairn.sum was tampered with, before touching the database', async () => {
    await writeAll(dir, three)
    const sumPath = path.join(dir, 'cairn.sum')
    writeFileSync(sumPath, readFileSync(sumPath, 'utf8').replace(/h1:(.)/, (_m, c) => `h1:${c === 'A' ? 'B' : 'A'}`))
    const err = await caught(migrateUp(t.db, { dir }))
    expect(err.code).toBe('checksum_mismatch')
    expect(await publicTables(t.db)).toEqual([])
    const [row] = await t.db.query<{ n: string | null }>(`select to_regnamespace('cairn')::text as n`)
    expect(row.n).toBeNull()
    // an edited pending file is named
    writeFileSync(sumPath, (await import('../../src/migrate/sum.js')).computeSum([]))
    const err2 = await caught(migrateUp(t.db, { dir }))
    expect(err2.code).toBe('checksum_mismatch')
  })

  it('refuses when an applied migration file is missing', async () => {
    const names = await writeAll(dir, three.slice(0, 2))
    await migrateUp(t.db, { dir })
    const { rmSync } = await import('node:fs')
    rmSync(path.join(dir, names[1]), { recursive: true })
    const { hashMigrationDir, nodeDirFs } = await import('../../src/migrate/migration-dir.js')
    await hashMigrationDir(nodeDirFs, dir)
    const err = await caught(migrateUp(t.db, { dir }))
    expect(err.code).toBe('applied_migration_missing')
    expect((await migrationStatus(t.db, { dir })).migrations.map((m) => [m.name, m.status])).toEqual([
      [names[0], 'applied'],
      [names[1], 'missing'],
    ])
  })

  it('refuses an out-of-order pending migration unless allowed', async () => {
    const [, second] = await writeAll(dir, [three[0], three[2]])
    await migrateUp(t.db, { dir })
    // a migration from another branch with an older timestamp
    const { mkdirSync } = await import('node:fs')
    const late = '20240101120000_from_branch'
    mkdirSync(path.join(dir, late))
    writeFileSync(path.join(dir, late, 'up.sql'), 'CREATE TABLE late (id int);\n')
    const { hashMigrationDir, nodeDirFs } = await import('../../src/migrate/migration-dir.js')
    await hashMigrationDir(nodeDirFs, dir)
    const err = await caught(migrateUp(t.db, { dir }))
    expect(err.code).toBe('out_of_order_migration')
    expect(err.message).toContain(`${late} sorts before ${second}`)
    expect((await migrationStatus(t.db, { dir })).migrations.find((m) => m.name === late)).toMatchObject({ status: 'pending', outOfOrder: true })
    const r = await migrateUp(t.db, { dir, allowOutOfOrder: true })
    expect(r.results.map((x) => x.name)).toEqual([late])
  })

  it('runs a CONCURRENTLY migration outside a transaction, records it, and resumes after a failure', async () => {
    const names = await writeAll(dir, [
      { name: 'table', up: 'CREATE TABLE t (id int PRIMARY KEY, email text);\nINSERT INTO t VALUES (1, \'x\'), (2, \'x\');\n', down: 'DROP TABLE t;\n' },
      {
        name: 'unique_email',
        up: [
          '-- cairn: unique_email',
          "SET lock_timeout = '5s';",
          '-- cairn:no-transaction',
          'CREATE UNIQUE INDEX CONCURRENTLY t_email_key ON t (email);',
          'ALTER TABLE t ADD CONSTRAINT t_email_key UNIQUE USING INDEX t_email_key;',
          '',
        ].join('\n'),
        down: 'ALTER TABLE t DROP CONSTRAINT t_email_key;\n',
      },
    ])
    const events: MigrateEvent[] = []
    const err = await caught(migrateUp(t.db, { dir, onEvent: (e) => events.push(e) }))
    expect(err.code).toBe('migration_failed')
    expect(err.meta.statement).toMatchObject({ index: 2, transactional: false })
    expect(err.meta.postgres.code).toBe('23505')
    expect(err.hint).toContain('resumes at statement 2')
    expect(await historyNames(t.db)).toEqual([names[0]])
    const [p] = await t.db.query<{ statements_done: number; last_error: string }>('select statements_done, last_error from cairn.migration_progress')
    expect(p.statements_done).toBe(1)
    expect(p.last_error).toContain('duplicate')
    const st = await migrationStatus(t.db, { dir })
    expect(st.migrations[1]).toMatchObject({ status: 'partial', progress: { statementsDone: 1, lastError: expect.stringContaining('duplicate') } })
    expect(st.problems).toBe(true)
    // the statement ran outside a transaction (inside one Postgres refuses CONCURRENTLY)
    expect(events.find((e) => e.event === 'statement' && e.statement === 1 && e.name === names[1])?.transactional).toBe(true)

    // fix the data, rerun: it resumes at statement 2, dropping the INVALID index left behind first
    await t.db.exec(`UPDATE t SET email = 'y' WHERE id = 2`)
    const events2: MigrateEvent[] = []
    const r = await migrateUp(t.db, { dir, onEvent: (e) => events2.push(e) })
    expect(r.results).toEqual([expect.objectContaining({ name: names[1], status: 'success', resumedAt: 2, transactional: false })])
    expect(events2.filter((e) => e.event === 'statement').map((e) => [e.statement, e.transactional])).toEqual([
      [1, true], // the session SET replayed before resuming
      [2, false], // the retry cleanup
      [2, false],
      [3, true],
    ])
    expect(await historyNames(t.db)).toEqual(names)
    expect(await t.db.query('select * from cairn.migration_progress')).toEqual([])
    const idx = await t.db.query<{ indisvalid: boolean; conname: string }>(
      `select i.indisvalid, c.conname from pg_index i join pg_class x on x.oid = i.indexrelid
         left join pg_constraint c on c.conindid = i.indexrelid where x.relname = 't_email_key'`,
    )
    expect(idx).toEqual([{ indisvalid: true, conname: 't_email_key' }])

    // down reverts the non-transactional migration too
    await migrateDown(t.db, { dir })
    expect(await historyNames(t.db)).toEqual([names[0]])
  })

  it('reverts with down, --steps and --to', async () => {
    const names = await writeAll(dir, three)
    await migrateUp(t.db, { dir })
    const one = await migrateDown(t.db, { dir, allowDestructive: true })
    expect(one.results.map((x) => [x.name, x.direction, x.status])).toEqual([[names[2], 'down', 'success']])
    expect(await publicTables(t.db)).toEqual(['a', 'b'])
    await migrateUp(t.db, { dir })
    const two = await migrateDown(t.db, { dir, steps: 2, allowDestructive: true })
    expect(two.results.map((x) => x.name)).toEqual([names[2], names[1]])
    expect(await publicTables(t.db)).toEqual(['a'])
    await migrateUp(t.db, { dir, to: names[1] })
    expect(await historyNames(t.db)).toEqual(names.slice(0, 2))
    await migrateUp(t.db, { dir })
    const to = await migrateDown(t.db, { dir, to: names[0], allowDestructive: true })
    expect(to.results.map((x) => x.name)).toEqual([names[2], names[1]])
    expect(await historyNames(t.db)).toEqual([names[0]])
    expect(await publicTables(t.db)).toEqual(['a'])
    expect((await caught(migrateDown(t.db, { dir, to: names[2] }))).code).toBe('unknown_migration')
    expect((await caught(migrateDown(t.db, { dir, to: names[0], steps: 1 }))).code).toBe('bad_usage')
    expect((await caught(migrateUp(t.db, { dir, to: 'nope' }))).code).toBe('unknown_migration')
  })

  it('refuses to revert a migration without down.sql', async () => {
    const names = await writeAll(dir, [{ name: 'a', up: 'CREATE TABLE a (id int);\n' }])
    await migrateUp(t.db, { dir })
    const err = await caught(migrateDown(t.db, { dir }))
    expect(err.code).toBe('no_down_migration')
    expect(await historyNames(t.db)).toEqual(names)
  })

  it('a failing down leaves the migration applied', async () => {
    const names = await writeAll(dir, [{ name: 'a', up: 'CREATE TABLE a (id int);\n', down: 'DROP TABLE a;\nDROP TABLE not_there;\n' }])
    await migrateUp(t.db, { dir })
    const err = await caught(migrateDown(t.db, { dir, allowDestructive: true }))
    expect(err.code).toBe('migration_failed')
    expect(err.meta).toMatchObject({ direction: 'down', statement: { index: 2 } })
    expect(await publicTables(t.db)).toEqual(['a'])
    expect(await historyNames(t.db)).toEqual(names)
  })

  it('baseline records migrations as applied without running them', async () => {
    const names = await writeAll(dir, three)
    await t.db.exec('CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY)')
    const r = await baseline(t.db, { dir, to: names[1] })
    expect(r.results.map((x) => [x.name, x.status])).toEqual([
      [names[0], 'baselined'],
      [names[1], 'baselined'],
    ])
    expect(await historyNames(t.db)).toEqual(names.slice(0, 2))
    const s = await migrationStatus(t.db, { dir })
    expect(s.migrations.map((m) => [m.status, m.baseline ?? false])).toEqual([
      ['applied', true],
      ['applied', true],
      ['pending', false],
    ])
    const up = await migrateUp(t.db, { dir })
    expect(up.results.map((x) => x.name)).toEqual([names[2]])
    expect(await publicTables(t.db)).toEqual(['a', 'b', 'c'])
    expect((await caught(baseline(t.db, { dir, to: names[0] }))).code).toBe('baseline_behind_history')
    expect((await caught(baseline(t.db, { dir, to: 'x' }))).code).toBe('unknown_migration')
  })

  it('dry run returns the SQL and changes nothing, not even the history schema', async () => {
    const names = await writeAll(dir, [
      three[0],
      { name: 'idx', up: 'CREATE INDEX CONCURRENTLY a_id_idx ON a (id);\n' },
    ])
    const r = await migrateUp(t.db, { dir, dryRun: true })
    expect(r.dryRun).toBe(true)
    expect(r.results.map((x) => [x.name, x.status])).toEqual(names.map((n) => [n, 'pending']))
    expect(r.results[0].sql).toBe(`-- ${names[0]} (up): one transaction\nSET lock_timeout = '5s';\nCREATE TABLE a (id int PRIMARY KEY);\n`)
    expect(r.results[1].sql).toBe(
      `-- ${names[1]} (up): statement by statement, 1 outside a transaction\n-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY a_id_idx ON a (id);\n`,
    )
    expect(await publicTables(t.db)).toEqual([])
    const [row] = await t.db.query<{ n: string | null }>(`select to_regnamespace('cairn')::text as n`)
    expect(row.n).toBeNull()
    await migrateUp(t.db, { dir, to: names[0] })
    const down = await migrateDown(t.db, { dir, dryRun: true })
    expect(down.results[0].sql).toContain('DROP TABLE a;')
    expect(await publicTables(t.db)).toEqual(['a'])
  })

  it('status reports applied, pending, times and counts in a stable JSON shape', async () => {
    const names = await writeAll(dir, three)
    await migrateUp(t.db, { dir, to: names[0] })
    const s = await migrationStatus(t.db, { dir })
    expect(JSON.parse(JSON.stringify(s))).toEqual({
      target: t.db.target,
      dir,
      sum: { ok: true },
      migrations: [
        { name: names[0], status: 'applied', appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), durationMs: expect.any(Number), appliedBy: expect.any(String) },
        { name: names[1], status: 'pending' },
        { name: names[2], status: 'pending' },
      ],
      counts: { applied: 1, pending: 2, partial: 0, changed: 0, missing: 0 },
      current: names[0],
      problems: false,
    })
  })

  it('serialises two runners on the same Database object', async () => {
    const names = await writeAll(dir, three)
    const events: MigrateEvent[] = []
    const [r1, r2] = await Promise.all([
      migrateUp(t.db, { dir, onEvent: (e) => events.push(e) }),
      migrateUp(t.db, { dir, onEvent: (e) => events.push(e) }),
    ])
    expect([...r1.results, ...r2.results].map((x) => x.name).sort()).toEqual(names)
    // each migration ran exactly once (PGlite's WASM calls may finish one runner before the other starts)
    expect(events.filter((e) => e.event === 'migrated').map((e) => e.name).sort()).toEqual(names)
    expect(await historyNames(t.db)).toEqual(names)
  })
})
