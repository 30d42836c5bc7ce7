/**
 * The peer conformance suite (199 pgschema diff cases) on the PostgreSQL server: cairn's DB-to-DB
 * migration must make each pair of catalogs equal. Fails when fewer cases pass than the floor
 * measured when the floor was last raised, so regressions show up in CI. Needs DATABASE_URL and
 * pg_dump; takes about two minutes.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { cairnDiffer, expectedDiffer } from './differs.js'
import { PGSCHEMA_DIR, loadCases, postgresPeerEngine, runSuite, summarize } from './harness.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

/** Passing cases measured on PostgreSQL 15 (raise it when cairn passes more). */
const PASS_FLOOR = 195

const url = process.env.DATABASE_URL

describe.skipIf(!url)(orSkipped('peer suite (pgschema cases) on the PostgreSQL server', !url, NEEDS_DATABASE_URL), () => {
  it(`passes at least ${PASS_FLOOR} cases, with no harness errors`, { timeout: 300_000 }, async () => {
    const cases = loadCases()
    expect(cases.length).toBe(199)
    const results = await runSuite({ engine: postgresPeerEngine(url!), differ: cairnDiffer, cases, concurrency: 4 })
    const total = summarize(results).at(-1)!
    const failures = results.filter((r) => r.status === 'fail').map((r) => `${r.name}: [${r.stage}] ${r.reason}`)
    // a readable record in the test log of what still fails
    process.stdout.write(
      `peer suite: ${total.pass} pass, ${total.fail} fail, ${total.unsupported} not yet supported, ${total.skip} skipped\n` +
        failures.map((f) => `  ${f}\n`).join(''),
    )
    expect(results.filter((r) => r.reason?.startsWith('harness error'))).toEqual([])
    // only the four cases that need PostgreSQL 18 syntax or pgvector may fail to load on 15
    expect(total.skip).toBeLessThanOrEqual(4)
    expect(total.pass).toBeGreaterThanOrEqual(PASS_FLOOR)
  })

  it('reproduces the recorded PostgreSQL 15 results of the suite\'s own diff.sql (checks the harness)', { timeout: 300_000 }, async () => {
    const tsv = readFileSync(path.join(PGSCHEMA_DIR, 'cases.tsv'), 'utf8').trim().split('\n')
    const col = tsv[0]!.split('\t').indexOf('pg15_dump_after_diff_vs_new')
    const recorded = new Map(tsv.slice(1).map((l) => [l.split('\t')[0]!, l.split('\t')[col]!]))
    const results = await runSuite({ engine: postgresPeerEngine(url!), differ: expectedDiffer, cases: loadCases(), concurrency: 4 })
    const outcome = (r: (typeof results)[number]): string =>
      r.status === 'skip' ? 'na' : r.status === 'fail' ? 'differs' : r.columnOrderOnly ? 'column-order-only' : 'identical'
    const mismatches = results.filter((r) => outcome(r) !== recorded.get(r.name)).map((r) => `${r.name}: ${outcome(r)} vs ${recorded.get(r.name)}`)
    expect(mismatches).toEqual([])
    expect(results.filter((r) => outcome(r) === 'identical')).toHaveLength(171)
  })
})

if (!url) {
  describe('peer suite (pgschema cases)', () => {
    it.skip('skipped: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it on the server', () => {})
  })
}
