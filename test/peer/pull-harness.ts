/**
 * `cairn pull` over one case of the pgschema peer suite: load setup.sql and new.sql into an empty
 * database, inspect it, pull it, load the definitions back and compare; when nothing differs, apply
 * the definitions' SQL to another empty database and compare again. Used by
 * test/peer/pull-roundtrip.test.ts and bench/pull-roundtrip.ts.
 */
import path from 'node:path'
import { inspect } from '../../src/inspect/inspect.js'
import type { Model } from '../../src/model/types.js'
import { pullModel } from '../../src/pull/emit.js'
import type { PullWarning } from '../../src/pull/emit.js'
import { checkPull } from '../../src/pull/verify.js'
import { compareModels } from '../../src/pull/compare.js'
import type { ModelDifference } from '../../src/pull/compare.js'
import { renderModel } from '../../src/plan/render-model.js'
import type { PeerCase, PeerEngine } from './harness.js'

/** The outcome of one case. */
export interface PullCaseOutcome {
  readonly name: string
  /**
   * exact: round-trips; lossy: pull warned (and said why); mismatch: a difference no warning
   * explained; sql-differs: the definitions are exact, but their SQL, applied to an empty database,
   * gives another schema (cairn's SQL renderer or PostgreSQL's own printing, not pull); skip:
   * new.sql does not load on this engine.
   */
  readonly status: 'exact' | 'lossy' | 'mismatch' | 'sql-differs' | 'skip'
  /** Why it is not exact: warning categories (pull's, then the check's), deduplicated. */
  readonly categories: readonly string[]
  readonly warnings: readonly Pick<PullWarning, 'code' | 'category' | 'message'>[]
  readonly differences?: readonly ModelDifference[]
  readonly ms: number
}

export const oneLine = (s: string, n = 200) => {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > n ? `${t.slice(0, n - 1)}…` : t
}

/** Pulls one case on `engine` (slot 0 of the engine's databases). */
export async function runPullCase(c: PeerCase, engine: PeerEngine): Promise<PullCaseOutcome> {
  const t0 = Date.now()
  const dbs = await engine.open('0')
  const done = (o: Omit<PullCaseOutcome, 'name' | 'ms'>): PullCaseOutcome => ({ name: c.name, ...o, ms: Date.now() - t0 })
  try {
    try {
      if (c.setup) await dbs.load('b', c.setup, path.join(c.dir, 'setup.sql'))
      await dbs.load('b', c.new, path.join(c.dir, 'new.sql'))
    } catch (e) {
      return done({ status: 'skip', categories: [`does not load: ${oneLine((e as Error).message, 120)}`], warnings: [] })
    }
    const model = await inspect(dbs.b.db)
    const pulled = pullModel(model)
    const check = await checkPull(model, pulled.files, pulled.warnings)
    const warnings = [...pulled.warnings, ...check.warnings]
    const categories = [...new Set(warnings.map((w) => `${w.code === 'not_round_trip' ? '' : `${w.code}: `}${w.category}`))]
    const brief = warnings.map((w) => ({ code: w.code, category: w.category, message: w.message }))
    if (check.warnings.length) return done({ status: 'mismatch', categories, warnings: brief, differences: check.unexplained })
    if (warnings.length) return done({ status: 'lossy', categories, warnings: brief })
    // what generate would see: the definitions' SQL applied to an empty database inspects back the same
    const loaded = check.loaded.model as Model
    try {
      await dbs.a.db.transaction(async (tx) => {
        for (const s of renderModel(loaded)) await tx.exec(s)
      })
    } catch (e) {
      return done({ status: 'sql-differs', categories: ['SQL of the definitions does not apply'], warnings: [{ code: 'not_round_trip', category: 'apply', message: oneLine((e as Error).message) }] })
    }
    const again = compareModels(model, await inspect(dbs.a.db))
    if (again.length) {
      return done({
        status: 'sql-differs',
        categories: [...new Set(again.map((d) => `SQL of the definitions applied gives another ${d.path.split('/').filter((_, i) => i === 0 || (i >= 2 && i % 2 === 0)).join(' ')}`))],
        warnings: [],
        differences: again,
      })
    }
    return done({ status: 'exact', categories: [], warnings: [] })
  } finally {
    await dbs.dispose().catch(() => {})
  }
}

