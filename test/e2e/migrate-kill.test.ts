/**
 * A real `kill -9` of a child process running `cairn migrate up` in the middle of a migration that
 * runs statement by statement, then a rerun: it resumes after the last completed statement, the
 * completed non-transactional statements are not repeated, and the history ends up correct.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'
import { spawnCairn, type CliChild } from '../helpers/spawn-cli.js'


type Child = CliChild
const cairn = spawnCairn

describe.each(testEngines())('kill -9 during migrate up on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase | undefined
  let url: string
  let names: string[]
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
    tmp = tempDir('cairn-kill-')
    if (engine.name === 'postgres') {
      t = await engine.open()
      url = t.url
    } else url = `pglite:${path.join(tmp.dir, 'db')}`
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'table', up: 'CREATE TABLE t (id int PRIMARY KEY, a int);\nCREATE TABLE marks (n int);\n' },
      {
        name: 'slow_index',
        up: [
          "SET lock_timeout = '5s';",
          '-- cairn:no-transaction',
          'CREATE INDEX CONCURRENTLY t_a_idx ON t (a);',
          // counts how often this statement runs: it must run exactly once across the kill and the rerun
          'INSERT INTO marks VALUES (1);',
          '-- cairn:no-transaction',
          'SELECT pg_sleep(3);',
          'INSERT INTO marks VALUES (2);',
          '',
        ].join('\n'),
      },
    ])
  })
  afterAll(async () => {
    await t?.dispose()
    tmp.cleanup()
  })

  it('resumes after the last completed statement', async () => {
    const first = cairn(tmp.dir, ['migrate', 'up', '--url', url])
    // wait until statement 3 (the INSERT) has completed, i.e. the run is sleeping in statement 4
    const deadline = Date.now() + 60_000
    for (;;) {
      if (Date.now() > deadline || first.exited()) throw new Error(`never reached the sleep; output:\n${first.out()}`)
      if (first.out().includes(`applied  ${names[0]}`)) {
        if (engine.name === 'pglite') {
          // PGlite's data directory is held by the child: wait a moment into the sleep, then kill
          await new Promise((r) => setTimeout(r, 1500))
          break
        }
        const done = await withDb((db) =>
          db.query<{ n: number }>(`select statements_done as n from cairn.migration_progress where name = $1`, [names[1]]).catch(() => []),
        )
        if (done[0]?.n === 3) break
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    first.kill()
    expect(await first.code).toBe(null)

    const second = cairn(tmp.dir, ['migrate', 'up', '--url', url, '--json'])
    const code = await second.code
    expect(second.out()).toContain('"status":"success"')
    expect(code).toBe(0)
    // JSON lines on stdout, the summary last (stderr is mixed into out: take the last summary line)
    const result = JSON.parse(second.out().split('\n').filter((l) => l.startsWith('{"event":"summary"')).at(-1)!)
    expect(result.results).toEqual([expect.objectContaining({ name: names[1], status: 'success', resumedAt: 4 })])
    await withDb(async (db) => {
      expect(await db.query('select n from marks order by n')).toEqual([{ n: 1 }, { n: 2 }])
      expect((await db.query<{ name: string }>('select name from cairn.schema_migrations order by name')).map((r) => r.name)).toEqual(names)
      expect(await db.query('select * from cairn.migration_progress')).toEqual([])
      expect(await db.query(`select indisvalid from pg_index where indexrelid = 'public.t_a_idx'::regclass`)).toEqual([{ indisvalid: true }])
    })
  })
})
