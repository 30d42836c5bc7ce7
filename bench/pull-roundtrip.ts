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
import { loadCases, pglitePeerEngine, postgresPeerEngine } from '../test/peer/harness.js'
import { oneLine, runPullCase } from '../test/peer/pull-harness.js'
import type { PullCaseOutcome } from '../test/peer/pull-harness.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const flag = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const engineName = flag('engine', process.env.DATABASE_URL ? 'postgres' : 'pglite')!
const verbose = args.includes('--verbose')

async function main(): Promise<void> {
  const engine = engineName === 'pglite' ? pglitePeerEngine() : postgresPeerEngine(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  const cases = loadCases(undefined, flag('only'))
  await engine.prepare(cases)
  const results: PullCaseOutcome[] = []
  const t0 = Date.now()
  try {
    for (const [i, c] of cases.entries()) {
      const r = await runPullCase(c, engine)
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
  const count = (s: PullCaseOutcome['status']) => results.filter((r) => r.status === s).length
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
