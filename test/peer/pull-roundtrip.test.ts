/**
 * `cairn pull` over the 199 target states (new.sql) of the pgschema peer suite, on the PostgreSQL
 * server: no case may have definitions that differ from its database without a warning saying why,
 * and at least the measured number round-trip exactly (pull warns about nothing, the definitions
 * load back into the inspected model, and their SQL applied to an empty database inspects back the
 * same). Needs DATABASE_URL; about a minute and a half. `bench/pull-roundtrip.ts` prints the reasons.
 */
import { describe, expect, it } from 'vitest'
import { loadCases, postgresPeerEngine } from './harness.js'
import { runPullCase } from './pull-harness.js'
import type { PullCaseOutcome } from './pull-harness.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

/** Exact round trips measured on PostgreSQL 15 (raise it when pull or the DSL covers more). */
const EXACT_FLOOR = 192

const url = process.env.DATABASE_URL

describe.skipIf(!url)(orSkipped('cairn pull over the peer suite\'s target states on the PostgreSQL server', !url, NEEDS_DATABASE_URL), () => {
  it(`round-trips at least ${EXACT_FLOOR} of 199 exactly, and never loses anything without a warning`, { timeout: 600_000 }, async () => {
    const cases = loadCases()
    expect(cases.length).toBe(199)
    const engine = postgresPeerEngine(url!)
    await engine.prepare(cases)
    const results: PullCaseOutcome[] = []
    try {
      for (const c of cases) results.push(await runPullCase(c, engine))
    } finally {
      await engine.close()
    }
    const by = (s: PullCaseOutcome['status']) => results.filter((r) => r.status === s)
    process.stdout.write(
      `pull round trip: ${by('exact').length} exact, ${by('lossy').length} lossy with warnings, ` +
        `${by('sql-differs').length} exact definitions whose SQL applies differently, ${by('skip').length} not loadable\n`,
    )
    expect(by('mismatch').map((r) => `${r.name}: ${r.warnings.map((w) => w.message).join('; ')}`)).toEqual([])
    expect(by('skip').length).toBeLessThanOrEqual(4)
    expect(by('exact').length).toBeGreaterThanOrEqual(EXACT_FLOOR)
  })
})
