/**
 * Runs the peer conformance suite (test/peer/pgschema) and prints the pass rate by category.
 *
 *   npx tsx scripts/peer-suite.ts [--engine postgres|pglite] [--only <regex>] [--json] [--cases <dir>]
 *                                 [--differ cairn|migra|expected] [--migra-bin <path>] [--concurrency N]
 *
 * `--cases <dir>` runs any folder of `<category>__<case>/{old,new,setup}.sql` cases instead of the
 * checked-in one; its results go to peer-results-<folder name>*.json so they do not overwrite the suite's.
 * The postgres engine uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 * Results are also written to test/.generated/peer-results.json (or peer-results-<differ>.json).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { cairnDiffer, expectedDiffer, findMigra, migraDiffer } from '../test/peer/differs.js'
import type { Differ } from '../test/peer/differs.js'
import { loadCases, pglitePeerEngine, postgresPeerEngine, runSuite, summarize } from '../test/peer/harness.js'
import type { CaseResult, CategoryRow } from '../test/peer/harness.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const program = new Command('peer-suite')
  .option('--engine <engine>', 'postgres | pglite', 'postgres')
  .option('--only <pattern>', 'run only cases whose name matches this regex')
  .option('--cases <dir>', 'a folder of <name>/{old,new,setup}.sql cases (default: test/peer/pgschema)')
  .option('--json', 'print machine-readable results')
  .option('--differ <differ>', 'cairn | migra | expected (the suite\'s own diff.sql, to check the harness)', 'cairn')
  .option('--migra-bin <path>', 'path to the migra CLI (or MIGRA_BIN)')
  .option('--concurrency <n>', 'cases in flight at once (default 4 on postgres, 1 on pglite: one thread runs every instance)')
  .option('--verbose', 'print each failing case with its residual lines')
  .parse()

const opts = program.opts<{
  engine: string
  only?: string
  cases?: string
  json?: boolean
  differ: string
  migraBin?: string
  concurrency?: string
  verbose?: boolean
}>()

const log = (s: string): void => void process.stderr.write(s + '\n')

async function main(): Promise<number> {
  let differ: Differ
  if (opts.differ === 'migra') {
    const bin = findMigra(opts.migraBin)
    if (!bin) {
      log('migra not found: install it outside the repo (npm install --prefix <dir> @pgkit/migra; it is not a dependency of cairn)')
      log('and pass --migra-bin <dir>/node_modules/.bin/migra or set MIGRA_BIN')
      return 2
    }
    differ = migraDiffer(bin)
  } else if (opts.differ === 'cairn') differ = cairnDiffer
  else if (opts.differ === 'expected') differ = expectedDiffer
  else {
    log(`unknown differ "${opts.differ}" (cairn | migra | expected)`)
    return 2
  }
  if (opts.engine !== 'postgres' && opts.engine !== 'pglite') {
    log(`unknown engine "${opts.engine}" (postgres | pglite)`)
    return 2
  }
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
  const engine = opts.engine === 'pglite' ? pglitePeerEngine() : postgresPeerEngine(url)
  if (differ.name === 'migra' && engine.name !== 'postgres') {
    log('migra needs --engine postgres')
    return 2
  }
  const casesDir = opts.cases ? path.resolve(opts.cases) : undefined
  if (casesDir && !existsSync(casesDir)) {
    log(`no such folder: ${casesDir}`)
    return 2
  }
  const cases = loadCases(casesDir, opts.only)
  if (cases.length === 0) {
    log('no case matches')
    return 2
  }
  const t0 = Date.now()
  const tty = Boolean(process.stderr.isTTY) && !opts.json
  const results = await runSuite({
    engine,
    differ,
    cases,
    concurrency: Number(opts.concurrency) || (engine.name === 'pglite' ? 1 : 4),
    onResult: (r, done, total) => {
      if (tty) process.stderr.write(`\r${done}/${total} ${r.name.slice(0, 60).padEnd(60)}`)
    },
  })
  if (tty) process.stderr.write('\r'.padEnd(80) + '\r')
  const rows = summarize(results)
  const seconds = (Date.now() - t0) / 1000
  const report = { differ: differ.name, engine: engine.name, seconds, summary: rows, results }
  const folder = casesDir ? `-${path.basename(casesDir).replace(/[^\w.-]+/g, '_')}` : ''
  const suffix = `${folder}${differ.name === 'cairn' ? '' : `-${differ.name}`}${engine.name === 'postgres' ? '' : `-${engine.name}`}`
  const out = path.join(root, 'test/.generated', `peer-results${suffix}.json`)
  mkdirSync(path.dirname(out), { recursive: true })
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n')
  if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else process.stdout.write(renderReport(rows, results, seconds, differ.name, engine.name, Boolean(opts.verbose)) + `\nresults: ${path.relative(root, out)}\n`)
  return 0
}

function renderReport(
  rows: readonly CategoryRow[],
  results: readonly CaseResult[],
  seconds: number,
  differ: string,
  engine: string,
  verbose: boolean,
): string {
  const head = ['category', 'cases', 'pass', 'fail', 'unsupported', 'skip', 'col-order']
  const body = rows.map((r) => [r.category, r.cases, r.pass, r.fail, r.unsupported, r.skip, r.columnOrderOnly].map(String))
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const fmt = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')
  const lines = [`peer suite: differ=${differ} engine=${engine} (${seconds.toFixed(1)} s)`, '', fmt(head), widths.map((w) => '-'.repeat(w)).join('-|-')]
  for (const b of body) {
    if (b[0] === 'total') lines.push(widths.map((w) => '-'.repeat(w)).join('-|-'))
    lines.push(fmt(b))
  }
  const section = (title: string, list: readonly CaseResult[], line: (r: CaseResult) => string): void => {
    if (list.length === 0) return
    lines.push('', `${title} (${list.length}):`)
    for (const r of list) {
      lines.push(`  ${r.name}: ${line(r)}`)
      if (verbose && r.residual) for (const x of r.residual.slice(0, 12)) lines.push(`      ${x.slice(0, 200)}`)
    }
  }
  section('failures', results.filter((r) => r.status === 'fail'), (r) => `[${r.stage}] ${r.reason}`)
  section('not yet supported', results.filter((r) => r.status === 'unsupported'), (r) =>
    r.needs.length ? `needs ${r.needs.join(', ')} [${r.stage}]` : `[${r.stage}] ${r.reason}`,
  )
  section('skipped (does not load here)', results.filter((r) => r.status === 'skip'), (r) => r.reason ?? '')
  section('passed only with column order ignored', results.filter((r) => r.columnOrderOnly), () => 'columns in another order')
  return lines.join('\n')
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e) => {
    log(String((e as Error).stack ?? e))
    process.exitCode = 3
  },
)
