/**
 * The server ends cairn's connection (pg_terminate_backend) in the middle of `cairn migrate up`:
 * cairn exits 3 with `connection_lost` saying where the database was left (no stack trace, JSON
 * with --json), the database stays at the last good migration, and the next `migrate up` completes.
 * Once during a migration that runs in one transaction (rolled back by the server), once during a
 * migration that runs statement by statement (its progress row records where it stopped).
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'
import { spawnCairn, type CliChild } from '../helpers/spawn-cli.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'


type Child = CliChild
const cairn = spawnCairn

const serverUrl = process.env.DATABASE_URL

describe.skipIf(!serverUrl)(orSkipped('the server terminates cairn during migrate up', !serverUrl, NEEDS_DATABASE_URL), () => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase
  let names: string[]

  /** Waits until cairn's backend runs a statement matching `pattern`, then terminates it; returns its pid. */
  async function terminateWhenRunning(child: Child, pattern: string): Promise<number> {
    const deadline = Date.now() + 60_000
    for (;;) {
      if (Date.now() > deadline || child.exited()) throw new Error(`never saw "${pattern}" running; output:\n${child.stdout()}${child.stderr()}`)
      const rows = await t.db.query<{ pid: number }>(
        `select pid from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and query like $1`,
        [`%${pattern}%`],
      )
      if (rows.length) {
        await t.db.query('select pg_terminate_backend($1)', [rows[0].pid])
        return rows[0].pid
      }
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  const historyNames = async () => (await t.db.query<{ name: string }>('select name from cairn.schema_migrations order by name')).map((r) => r.name)

  beforeAll(async () => {
    tmp = tempDir('cairn-lost-')
    t = await postgresEngine(serverUrl!).open()
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'table', up: 'CREATE TABLE t (id int);\nCREATE TABLE marks (n int);\n' },
      // one transaction: the sleep is where the connection goes
      { name: 'in_one_transaction', up: "INSERT INTO t VALUES (1);\nSELECT pg_sleep(2.5), 'cairn-sleep-tx';\nINSERT INTO t VALUES (2);\n" },
      {
        name: 'stepwise',
        up: [
          'INSERT INTO t VALUES (3);',
          '-- cairn:no-transaction',
          'CREATE INDEX CONCURRENTLY t_id_idx ON t (id);',
          // counts how often this statement runs: exactly once across the loss and the rerun
          'INSERT INTO marks VALUES (1);',
          '-- cairn:no-transaction',
          "SELECT pg_sleep(2.5), 'cairn-sleep-step';",
          'INSERT INTO t VALUES (4);',
          '',
        ].join('\n'),
      },
    ])
  })
  afterAll(async () => {
    await t?.dispose()
    tmp?.cleanup()
  })

  it('during a transactional migration: exit 3, rolled back, and the rerun applies it', async () => {
    const first = cairn(tmp.dir, ['migrate', 'up', '--url', t.url, '--to', names[1], '--json'])
    await terminateWhenRunning(first, "'cairn-sleep-tx'")
    expect(await first.code).toBe(3)
    const out = first.stdout()
    expect(first.stderr()).not.toMatch(/\n\s+at /) // no stack trace
    expect(first.stderr()).not.toContain('Unhandled')
    const e = JSON.parse(out.trimEnd().split('\n').at(-1)!).error
    expect(e.code).toBe('connection_lost')
    expect(e.message).toContain(`during migration ${names[1]} (up), statement 2 of 3`)
    expect(e.hint).toContain(`rolled back`)
    expect(e.hint).toContain(`the database is at ${names[0]}`)
    expect(e.meta).toMatchObject({ migration: names[1], direction: 'up', statement: { index: 2, of: 3 }, databaseAt: names[0] })
    expect(await historyNames()).toEqual([names[0]])
    expect(await t.db.query('select id from t')).toEqual([])

    const again = cairn(tmp.dir, ['migrate', 'up', '--url', t.url, '--to', names[1]])
    expect(await again.code).toBe(0)
    expect(await historyNames()).toEqual(names.slice(0, 2))
    expect(await t.db.query('select id from t order by id')).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('during a migration run statement by statement: exit 3, progress kept, and the rerun resumes', async () => {
    const first = cairn(tmp.dir, ['migrate', 'up', '--url', t.url])
    await terminateWhenRunning(first, "'cairn-sleep-step'")
    expect(await first.code).toBe(3)
    const err = first.stderr()
    expect(err).not.toMatch(/\n\s+at /)
    expect(err).toContain('[connection_lost]')
    expect(err).toContain(`during migration ${names[2]} (up), statement 4 of 5`)
    expect(err).toContain('statements 1–3 completed and are recorded in cairn.migration_progress')
    expect(err).toContain('resumes at statement 4')
    expect(await historyNames()).toEqual(names.slice(0, 2))
    expect(await t.db.query('select statements_done, last_error from cairn.migration_progress where name = $1', [names[2]])).toEqual([
      { statements_done: 3, last_error: expect.stringContaining('connection lost: terminating connection due to administrator command') },
    ])

    const again = cairn(tmp.dir, ['migrate', 'up', '--url', t.url, '--json'])
    expect(await again.code).toBe(0)
    expect(JSON.parse(again.stdout().trimEnd().split('\n').at(-1)!).results).toEqual([expect.objectContaining({ name: names[2], status: 'success', resumedAt: 4 })])
    expect(await historyNames()).toEqual(names)
    expect(await t.db.query('select id from t order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }])
    expect(await t.db.query('select n from marks')).toEqual([{ n: 1 }])
    expect(await t.db.query('select * from cairn.migration_progress')).toEqual([])
    expect(await t.db.query(`select indisvalid from pg_index where indexrelid = 'public.t_id_idx'::regclass`)).toEqual([{ indisvalid: true }])
  })
})
