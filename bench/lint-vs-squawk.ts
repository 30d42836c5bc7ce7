/**
 * `cairn lint` beside squawk (https://squawkhq.com) on the same SQL:
 *   - every fixture of test/fixtures/lint/<rule>/{bad,good}.sql (cairn lints each after
 *     test/fixtures/lint/schema.sql, as an applied migration, so it knows the tables and their
 *     column types; squawk reads the fixture alone);
 *   - the checked-in migrations/ (squawk with --assume-in-transaction when the migration runs in
 *     one transaction, as test/scenarios/squawk.test.ts does).
 * For each fixture: cairn's codes, squawk's rules, whether they agree on the fixture's rule, and
 * the time of each. Agreement is judged through a fixed map from cairn codes to the squawk rules
 * that cover the same hazard; squawk rules that do not apply to migrations (listed below with the
 * reason) are left out.
 *
 *   npx tsx bench/lint-vs-squawk.ts [--reps 3] [--json]
 *
 * squawk-cli is never a dependency of the project: install it beside it with
 *   mkdir -p .peers && echo '{"private":true}' > .peers/package.json && npm install --prefix .peers squawk-cli@2
 * (or set SQUAWK_BIN).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { lint } from '../src/lint/index.js'
import type { LintFileInput } from '../src/lint/index.js'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const REPO = path.resolve(HERE, '..')
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'lint')
const OUT = path.join(HERE, '.out', 'lint')
const args = process.argv.slice(2)
const REPS = Number(args[args.indexOf('--reps') + 1] ?? 3) || 3
const JSON_OUT = args.includes('--json')

/** squawk rules that do not apply to migrations, with the reason (see also the README's squawk section). */
export const SQUAWK_NOT_APPLICABLE: Record<string, string> = {
  'require-statement-timeout': 'lock_timeout bounds how long a statement waits for (and blocks others behind) a lock; a statement_timeout would kill CONCURRENTLY builds and VALIDATE scans, long on purpose',
  'prefer-robust-stmts': 'asks for IF NOT EXISTS / a transaction so a failed file can be rerun: a resumability policy, not lock safety (cairn records progress and resumes)',
  'prefer-bigint-over-int': 'a column type chosen in the definitions',
  'prefer-bigint-over-smallint': 'a column type chosen in the definitions',
  'prefer-identity': 'a column type chosen in the definitions',
  'prefer-timestamp-tz': 'a column type chosen in the definitions',
  'prefer-timestamptz': 'a column type chosen in the definitions',
  'prefer-text-field': 'a column type chosen in the definitions',
  'ban-char-field': 'a column type chosen in the definitions',
  'require-enum-value-ordering': 'where a new enum value sorts is the definitions\' choice (appending is the default)',
  'ban-drop-not-null': 'making a column nullable takes a brief lock and no scan',
  'ban-create-domain-with-constraint': 'a domain and its CHECK are chosen in the definitions; adding a check to a used domain later is what CL104 looks at',
}

/** The squawk rules that cover the hazard of each cairn code; empty: squawk has no such rule. */
export const SQUAWK_EQUIVALENT: Record<string, readonly string[]> = {
  CL101: ['require-concurrent-index-creation'],
  CL102: ['require-concurrent-index-deletion'],
  CL103: ['require-concurrent-reindex'],
  CL104: ['constraint-missing-not-valid', 'adding-foreign-key-constraint', 'ban-alter-domain-with-add-constraint'],
  CL105: ['disallowed-unique-constraint', 'constraint-missing-not-valid', 'adding-serial-primary-key-field'],
  CL106: ['constraint-missing-not-valid'],
  CL107: ['adding-not-nullable-field'],
  CL108: ['changing-column-type'],
  CL109: ['adding-field-with-default', 'adding-serial-primary-key-field'],
  CL110: ['adding-required-field'],
  CL111: ['require-lock-timeout', 'require-timeout-settings'],
  CL112: ['require-concurrent-partition-detach'],
  CL113: [],
  CL114: [],
  CL115: [],
  CL116: [],
  CL117: ['ban-truncate-cascade'],
  PGK101: ['ban-drop-table'],
  PGK102: ['ban-drop-column'],
  PGK103: [],
  PGK104: ['changing-column-type'],
  PGK105: [],
  PGK106: [],
  PGK107: [],
  PGK108: [],
  PGK109: [],
  PGK110: [],
  PGK111: [],
  PGK112: [],
  PGK113: [],
  CL201: ['renaming-table'],
  CL202: ['renaming-column'],
  CL203: ['ban-drop-database'],
  CL204: [],
  CL301: ['ban-concurrent-index-creation-in-transaction'],
  CL302: ['transaction-nesting'],
  CL303: ['ban-uncommitted-transaction'],
  CL304: [],
  CL305: [],
  CL501: [],
  CL502: [],
  CL503: [],
}

/** Why the two tools disagree on a fixture (keyed `<rule dir>/<bad|good>`). */
export const DISAGREEMENT_REASONS: Record<string, string> = {
  'CL101-index-not-concurrent/good':
    'the index is on a table created earlier in the same file (squawk counts a table as new only inside the transaction that created it; nothing can use a table the running migration just created), and CREATE INDEX … ON ONLY a partitioned parent, which builds nothing',
  'CL108-column-type-rewrites/good': 'varchar(100) → varchar(200) and numeric(10,2) → numeric(12,2) need no rewrite; squawk flags every type change (it does not know the old type, cairn reads it from the earlier migration)',
  'PGK104-type-narrowing/good': 'varchar(100) → text needs no rewrite and loses nothing; squawk flags every type change',
  'PGK101-drop-table/good': 'the table is dropped by the migration that created it; squawk flags every DROP TABLE',
  'PGK102-drop-column/good': 'suppressed with `-- cairn-lint-ignore PGK102: reason`, which squawk does not read (its own form is `-- squawk-ignore ban-drop-column`)',
  'CL502-suppression-without-reason/good': 'the DROP TABLE is suppressed with a cairn-lint-ignore comment, which squawk does not read',
  'CL502-suppression-without-reason/bad': 'the DROP TABLE is suppressed with a cairn-lint-ignore comment, which squawk does not read',
  'CL503-suppression-unknown-code/good': 'the rename is suppressed with a cairn-lint-ignore comment, which squawk does not read',
}

/** The squawk executable: the native binary of the platform package when found (the npm wrapper adds a node start-up). */
function squawkBin(): string {
  const peers = [path.join(REPO, '.peers', 'node_modules'), path.join(REPO, 'node_modules')]
  const native = peers.map((p) => path.join(p, '@squawk-cli', `${process.platform}-${process.arch}`, 'bin', process.platform === 'win32' ? 'squawk.exe' : 'squawk'))
  const candidates = [process.env.SQUAWK_BIN, ...native, ...peers.map((p) => path.join(p, '.bin', 'squawk'))]
  const bin = candidates.find((c) => c && existsSync(c))
  if (!bin) {
    console.error(
      'squawk is not installed. Install it beside the project (never as a dependency):\n' +
        `  mkdir -p .peers && echo '{"private":true}' > .peers/package.json && npm install --prefix .peers squawk-cli@2\n` +
        'or set SQUAWK_BIN.',
    )
    process.exit(2)
  }
  return bin as string
}

/** Bundles the CLI from source (esbuild, packages external) so it runs as a plain node process, like the built bin/cairn.js. */
async function cairnCli(): Promise<string> {
  const { build } = await import('esbuild')
  const entry = path.join(OUT, 'cairn-cli.ts')
  const outdir = path.join(OUT, 'cairn-cli')
  writeFileSync(entry, `import { run } from ${JSON.stringify(path.join(REPO, 'src', 'cli', 'program.ts'))}\nprocess.exitCode = await run(process.argv)\n`)
  // splitting keeps the CLI's lazy imports lazy (drivers, runner, parser load only when a command needs them)
  await build({ entryPoints: [entry], outdir, bundle: true, splitting: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', logLevel: 'error', outExtension: { '.js': '.mjs' } })
  return path.join(outdir, 'cairn-cli.mjs')
}

interface SquawkViolation {
  readonly file: string
  readonly line: number
  readonly rule_name: string
}

function runSquawk(bin: string, files: readonly string[], inTransaction: boolean): { violations: SquawkViolation[]; ms: number } {
  const start = performance.now()
  const r = spawnSync(bin, ['--reporter', 'json', ...(inTransaction ? ['--assume-in-transaction'] : []), ...files], { encoding: 'utf8', cwd: REPO })
  const ms = performance.now() - start
  if (r.error) throw r.error
  let violations: SquawkViolation[] = []
  try {
    violations = JSON.parse(r.stdout || '[]') as SquawkViolation[]
  } catch {
    throw new Error(`squawk printed no JSON for ${files.join(' ')}: ${r.stdout}\n${r.stderr}`)
  }
  return { violations, ms }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const rel = (p: string) => path.relative(REPO, p).split(path.sep).join('/')
const isCairnFile = (sql: string) => /^\s*-- cairn:/.test(sql)
const runsInOneTransaction = (sql: string) => isCairnFile(sql) && !sql.includes('-- cairn:no-transaction')

interface Row {
  fixture: string
  kind: 'bad' | 'good'
  rule: string
  cairn: string[]
  squawk: string[]
  agree: 'yes' | 'no' | 'n/a'
  reason?: string
  cairnMs: number
  squawkMs: number
}

/**
 * Agreement on one fixture: both flag the fixture's rule or neither does, and squawk fires no rule
 * that none of cairn's findings covers; 'n/a' when squawk has no rule for it and fires nothing else.
 */
function judge(rule: string, cairn: readonly string[], squawk: readonly string[]): 'yes' | 'no' | 'n/a' {
  const eq = SQUAWK_EQUIVALENT[rule] ?? []
  const squawkFlags = squawk.some((r) => eq.includes(r))
  const covered = new Set(cairn.flatMap((c) => SQUAWK_EQUIVALENT[c] ?? []))
  const extra = squawk.filter((r) => !covered.has(r) && !eq.includes(r))
  if (!eq.length) return extra.length ? 'no' : 'n/a'
  return cairn.includes(rule) === squawkFlags && !extra.length ? 'yes' : 'no'
}

async function main(): Promise<void> {
  const bin = squawkBin()
  mkdirSync(OUT, { recursive: true })
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
  const schemaPath = path.join(FIXTURES, 'schema.sql')
  const schema: LintFileInput = { path: rel(schemaPath), sql: readFileSync(schemaPath, 'utf8') }
  await lint([]) // load the parser once, outside the timings

  const rows: Row[] = []
  const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
  for (const dir of dirs) {
    const rule = dir.split('-')[0]
    for (const kind of ['bad', 'good'] as const) {
      const file = path.join(FIXTURES, dir, `${kind}.sql`)
      if (!existsSync(file)) continue
      const sql = readFileSync(file, 'utf8')
      const input: LintFileInput = { path: rel(file), sql }
      const cairnTimes: number[] = []
      let codes: string[] = []
      for (let i = 0; i < REPS; i++) {
        const start = performance.now()
        const r = await lint([schema, input])
        cairnTimes.push(performance.now() - start)
        codes = [...new Set(r.findings.filter((f) => f.file === input.path && !f.suppressed).map((f) => f.code))].sort()
      }
      const squawkTimes: number[] = []
      let rules: string[] = []
      for (let i = 0; i < REPS; i++) {
        const s = runSquawk(bin, [file], runsInOneTransaction(sql))
        squawkTimes.push(s.ms)
        rules = [...new Set(s.violations.map((v) => v.rule_name).filter((n) => !SQUAWK_NOT_APPLICABLE[n]))].sort()
      }
      const agree = judge(rule, codes, rules)
      rows.push({
        fixture: dir,
        kind,
        rule,
        cairn: codes,
        squawk: rules,
        agree,
        ...(agree === 'no' ? { reason: DISAGREEMENT_REASONS[`${dir}/${kind}`] ?? '(unexplained)' } : {}),
        cairnMs: median(cairnTimes),
        squawkMs: median(squawkTimes),
      })
    }
  }

  // the checked-in migrations: one cairn run over all of them, squawk per file
  const migDir = path.join(REPO, 'migrations')
  const migFiles = existsSync(migDir)
    ? readdirSync(migDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(migDir, d.name, 'up.sql'))).map((d) => path.join(migDir, d.name, 'up.sql')).sort()
    : []
  const migInputs: LintFileInput[] = migFiles.map((f) => ({ path: rel(f), sql: readFileSync(f, 'utf8'), kind: 'cairn' }))
  const migCairnTimes: number[] = []
  let migResult = await lint(migInputs)
  for (let i = 0; i < REPS; i++) {
    const start = performance.now()
    migResult = await lint(migInputs)
    migCairnTimes.push(performance.now() - start)
  }
  const counts = (xs: string[]) => [...new Set(xs)].sort().map((x) => `${x}×${xs.filter((y) => y === x).length}`)
  const migrations = migInputs.map((m, i) => {
    const times: number[] = []
    let rules: string[] = []
    let ignored: string[] = []
    for (let k = 0; k < REPS; k++) {
      const s = runSquawk(bin, [migFiles[i]], runsInOneTransaction(m.sql))
      times.push(s.ms)
      rules = s.violations.map((v) => v.rule_name).filter((n) => !SQUAWK_NOT_APPLICABLE[n])
      ignored = s.violations.map((v) => v.rule_name).filter((n) => SQUAWK_NOT_APPLICABLE[n])
    }
    const cairn = migResult.findings.filter((f) => f.file === m.path && !f.suppressed)
    return {
      migration: m.path,
      cairn: counts(cairn.map((f) => `${f.code}${f.severity === 'warning' ? '(w)' : ''}`)),
      squawk: counts(rules),
      squawkNotApplicable: counts(ignored),
      squawkMs: median(times),
    }
  })

  // the whole fixture set, each tool as one process (what a CI step runs)
  const allFixtures = rows.map((r) => path.join(FIXTURES, r.fixture, `${r.kind}.sql`))
  const squawkAll = median(Array.from({ length: REPS }, () => runSquawk(bin, allFixtures, false).ms))
  const cli = await cairnCli()
  const cairnProc = (argv: string[]) => {
    const start = performance.now()
    const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', cwd: REPO })
    if (r.status === null || r.status > 2) throw new Error(`cairn lint failed: ${r.stderr}`)
    return performance.now() - start
  }
  const cairnAll = median(Array.from({ length: REPS }, () => cairnProc(['lint', '--json', ...allFixtures])))
  const cairnStart = median(Array.from({ length: REPS }, () => cairnProc(['--version'])))
  const squawkStart = median(Array.from({ length: REPS }, () => {
    const start = performance.now()
    spawnSync(bin, ['--version'])
    return performance.now() - start
  }))

  const judged = rows.filter((r) => r.agree !== 'n/a')
  const summary = {
    squawk: version,
    fixtures: rows.length,
    comparable: judged.length,
    agree: judged.filter((r) => r.agree === 'yes').length,
    disagree: judged.filter((r) => r.agree === 'no').length,
    noSquawkEquivalent: rows.length - judged.length,
    cairnMedianMsPerFixture: Number(median(rows.map((r) => r.cairnMs)).toFixed(2)),
    squawkMedianMsPerFixture: Number(median(rows.map((r) => r.squawkMs)).toFixed(1)),
    wholeSet: { files: allFixtures.length, cairnProcessMs: Math.round(cairnAll), squawkProcessMs: Math.round(squawkAll), cairnStartupMs: Math.round(cairnStart), squawkStartupMs: Math.round(squawkStart) },
    migrationsCairnMs: Number(median(migCairnTimes).toFixed(1)),
  }
  writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({ summary, rows, migrations }, null, 2) + '\n')
  if (JSON_OUT) {
    console.log(JSON.stringify({ summary, rows, migrations }, null, 2))
    return
  }

  const table = (head: string[], body: string[][]) =>
    [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n')
  console.log(`cairn lint vs ${version}; ${REPS} repetitions, medians; cairn in-process (parser loaded), squawk (native binary) one process per file\n`)
  console.log(table(
    ['fixture', 'file', 'cairn codes', 'squawk rules', 'agree', 'cairn ms', 'squawk ms'],
    rows.map((r) => [r.fixture, r.kind, r.cairn.join(' ') || '—', r.squawk.join(' ') || '—', r.agree, r.cairnMs.toFixed(2), r.squawkMs.toFixed(1)]),
  ))
  const dis = rows.filter((r) => r.agree === 'no')
  if (dis.length) {
    console.log('\ndisagreements:')
    for (const r of dis) console.log(`- ${r.fixture}/${r.kind}: ${r.reason}`)
  }
  console.log('\nchecked-in migrations (cairn: one run over all of them; squawk: per file)\n')
  console.log(table(
    ['migration', 'cairn', 'squawk (applicable)', 'squawk (not applicable)', 'squawk ms'],
    migrations.map((m) => [m.migration, m.cairn.join(' ') || '—', m.squawk.join(' ') || '—', m.squawkNotApplicable.join(' ') || '—', m.squawkMs.toFixed(1)]),
  ))
  console.log(`\ncairn over all ${migInputs.length} migrations: ${summary.migrationsCairnMs} ms in-process`)
  console.log(
    `\n${summary.agree}/${summary.comparable} fixtures agree (${summary.disagree} disagree; ${summary.noSquawkEquivalent} have no squawk equivalent)` +
      `\nper fixture: cairn ${summary.cairnMedianMsPerFixture} ms (in-process), squawk ${summary.squawkMedianMsPerFixture} ms (process)` +
      `\nall ${allFixtures.length} fixture files in one process: cairn ${summary.wholeSet.cairnProcessMs} ms (--version alone ${summary.wholeSet.cairnStartupMs} ms), squawk ${summary.wholeSet.squawkProcessMs} ms (--version alone ${summary.wholeSet.squawkStartupMs} ms)` +
      `\nresults: ${rel(path.join(OUT, 'results.json'))}`,
  )
}

await main()
