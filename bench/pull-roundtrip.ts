/**
 * `cairn pull` against the pgschema peer suite's target states: for each case, load setup.sql and
 * new.sql into an empty database, inspect it, pull it into definitions, load those back (bundled
 * and imported as cairn loads a project) and compare the model with the database's. A case
 * round-trips exactly when pull warns about nothing, the loaded model equals the inspected one,
 * and the SQL of the loaded model, applied to another empty database, inspects back to the same
 * model (what `cairn generate` would find: nothing). The rest are counted by why.
 *
 *   npx tsx bench/pull-roundtrip.ts [--engine postgres|pglite] [--only <regex>] [--verbose]
 *
 * postgres uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). Results are
 * written to bench/.out/pull-roundtrip-<engine>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from '../src/inspect/inspect.js'
import type { Model } from '../src/model/types.js'
import { pullModel } from '../src/pull/emit.js'
import type { PullWarning } from '../src/pull/emit.js'
import { checkPull } from '../src/pull/verify.js'
import { compareModels } from '../src/pull/compare.js'
import type { ModelDifference } from '../src/pull/compare.js'
import { renderModel } from '../src/sqlgen/render-model.js'
import { loadCases, pglitePeerEngine, postgresPeerEngine } from '../test/peer/harness.js'
import type { PeerCase, PeerEngine } from '../test/peer/harness.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const flag = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const engineName = flag('engine', process.env.DATABASE_URL ? 'postgres' : 'pglite')!
const verbose = args.includes('--verbose')

/** The outcome of one case. */
interface CaseOutcome {
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

const oneLine = (s: string, n = 200) => {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > n ? `${t.slice(0, n - 1)}…` : t
}

async function runCase(c: PeerCase, engine: PeerEngine): Promise<CaseOutcome> {
  const t0 = Date.now()
  const dbs = await engine.open('0')
  const done = (o: Omit<CaseOutcome, 'name' | 'ms'>): CaseOutcome => ({ name: c.name, ...o, ms: Date.now() - t0 })
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

async function main(): Promise<void> {
  const engine = engineName === 'pglite' ? pglitePeerEngine() : postgresPeerEngine(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  const cases = loadCases(undefined, flag('only'))
  await engine.prepare(cases)
  const results: CaseOutcome[] = []
  const t0 = Date.now()
  try {
    for (const [i, c] of cases.entries()) {
      const r = await runCase(c, engine)
      results.push(r)
      process.stderr.write(`${String(i + 1).padStart(3)}/${cases.length} ${r.status.padEnd(8)} ${c.name}${r.categories.length ? `  (${r.categories.join('; ')})` : ''}\n`)
      if (verbose && (r.status === 'mismatch' || r.status === 'sql-differs')) {
        for (const w of r.warnings) process.stderr.write(`      ${oneLine(w.message, 300)}\n`)
        for (const d of r.differences ?? []) process.stderr.write(`      ${d.path}: ${oneLine(JSON.stringify(d.expected) ?? 'nothing', 140)} → ${oneLine(JSON.stringify(d.actual) ?? 'nothing', 140)}\n`)
      }
    }
  } finally {
    await engine.close()
  }
  const count = (s: CaseOutcome['status']) => results.filter((r) => r.status === s).length
  const loaded = results.filter((r) => r.status !== 'skip')
  const byCategory = new Map<string, string[]>()
  for (const r of loaded) for (const cat of r.categories) byCategory.set(cat, [...(byCategory.get(cat) ?? []), r.name])
  const lines = [
    `pull round trip on ${engineName}: ${count('exact')}/${cases.length} exact` +
      ` (${count('lossy')} lossy with warnings, ${count('sql-differs')} with exact definitions whose SQL applies differently,` +
      ` ${count('mismatch')} mismatched, ${count('skip')} not loadable here) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    `definitions exact (loaded back, the same model, no warning): ${count('exact') + count('sql-differs')}/${cases.length}`,
    '',
    'why the others are not exact (cases per reason; a case may have several):',
    ...[...byCategory].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).map(([cat, names]) => `  ${String(names.length).padStart(3)}  ${cat}`),
  ]
  for (const r of results.filter((x) => x.status === 'skip')) lines.push(`  skip ${r.name}: ${r.categories[0]}`)
  process.stdout.write(lines.join('\n') + '\n')
  const out = path.join(HERE, '.out')
  mkdirSync(out, { recursive: true })
  writeFileSync(path.join(out, `pull-roundtrip-${engineName}.json`), JSON.stringify({ engine: engineName, results }, null, 2))
}

await main()
