/**
 * `cairn generate` beside `drizzle-kit generate` on the same synthetic schema (100 and 500 tables,
 * each with 8 columns, 2 indexes and a foreign key to the previous table), in one run:
 *   - no pending change (the definitions match the history);
 *   - one change (a new column on one table; a different column each time, so no cache has seen it);
 *   - warm (the `.cairn/cache` of the previous run) and cold (no `.cairn/cache`: a fresh clone, only
 *     what is checked in, cairn.sum and the model snapshot migrations/cairn.model.json), each beside
 *     drizzle-kit doing the same (it keeps no cache);
 *   - this repository's reference model (schema/, views/, partitions/, migrations/) and each project
 *     under examples/, no change, `generate --dry-run`, warm and cold, cairn only; the rows say
 *     whether a run started a database (`--json` timings).
 * Both tools run as separate processes, exactly as a user runs them. Prints medians with the range
 * (min–max) and the ratio of the medians with the range of the interleaved pairs' ratios, the same
 * ratio for CPU time (user + system of each process and what it waited for: steadier than wall time
 * on a shared machine), and the load average before and after (compare ratios within one run).
 *
 * `--baseline <checkout>` runs another build of cairn (e.g. the previous commit, exported and built)
 * beside this one in the same interleaving, as a "before" column.
 *
 *   npx tsx bench/generate.ts [--tables 100,500] [--reps 3] [--no-reference] [--baseline <dir>]
 *
 * drizzle-kit and drizzle-orm are installed on first use into bench/.peers (never a dependency).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const REPO = path.resolve(HERE, '..')
const OUT = path.join(HERE, '.out', 'generate')
const PEERS = path.join(HERE, '.peers')
const args = process.argv.slice(2)
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const SIZES = flag('tables', '100,500').split(',').map(Number)
const REPS = Number(flag('reps', '3'))
/** Another build of cairn (a checkout's root, built) run beside this one in the same interleaving: the "before" column. */
const BASELINE = args.includes('--baseline') ? path.resolve(flag('baseline', '')) : undefined

function ensurePeers(): string {
  const bin = path.join(PEERS, 'node_modules', '.bin', 'drizzle-kit')
  if (!existsSync(bin)) {
    mkdirSync(PEERS, { recursive: true })
    writeFileSync(path.join(PEERS, 'package.json'), '{"private":true}')
    console.log('installing drizzle-kit and drizzle-orm into bench/.peers …')
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', PEERS, 'drizzle-kit', 'drizzle-orm'], { stdio: 'ignore' })
  }
  return bin
}

function cairnSchema(n: number, extra: string[], root = REPO): string {
  let s = `import { table, uuid, text, varchar, integer, boolean, jsonb, timestamptz, index } from ${JSON.stringify(path.join(root, 'dist/dsl/index.js'))}\n`
  for (let i = 0; i < n; i++) {
    s += `export const t${i} = table('t${i}', {
  id: uuid().primaryKey().defaultRandom(),
  name: varchar(200).notNull(),
  body: text(),
  count: integer().notNull().default(0),
  active: boolean().notNull().default(true),
  meta: jsonb(),
  created_at: timestamptz().notNull().defaultNow(),
  ${i > 0 ? `parent_id: uuid().references(() => t${i - 1}.id),` : ''}
  ${i === 0 ? extra.map((c) => `${c}: text(),`).join('\n  ') : ''}
}, (t) => [index('t${i}_name_idx').on(t.name), index('t${i}_created_idx').on(t.created_at)])\n`
  }
  return s
}

function drizzleSchema(n: number, extra: string[]): string {
  let s = `import { pgTable, uuid, text, integer, timestamp, boolean, varchar, index, jsonb } from 'drizzle-orm/pg-core'\n`
  for (let i = 0; i < n; i++) {
    s += `export const t${i} = pgTable('t${i}', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 200 }).notNull(),
  body: text('body'),
  count: integer('count').notNull().default(0),
  active: boolean('active').notNull().default(true),
  meta: jsonb('meta'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  ${i > 0 ? `parentId: uuid('parent_id').references(() => t${i - 1}.id),` : ''}
  ${i === 0 ? extra.map((c) => `${c}: text('${c}'),`).join('\n  ') : ''}
}, (t) => [index('t${i}_name_idx').on(t.name), index('t${i}_created_idx').on(t.createdAt)])\n`
  }
  return s
}

let lastStdout = ''
/** CPU (user + system) of this process's waited-for children, in ms (Linux: /proc/self/stat cutime + cstime). */
function childrenCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100
}
let lastCpu = 0
/** The CPU time of each run, beside its wall time: `cpu.get(series)[i]` belongs to `series[i]`. */
const cpu = new WeakMap<number[], number[]>()
/** Appends a run's wall time to `series`, and its CPU time (the last `timed` run's) beside it. */
function record(series: number[], wall: number): void {
  series.push(wall)
  if (!cpu.has(series)) cpu.set(series, [])
  cpu.get(series)!.push(lastCpu)
}
function timed(cmd: string, argv: string[], cwd: string): number {
  const t0 = performance.now()
  const c0 = childrenCpu()
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 28 })
  const ms = performance.now() - t0
  lastCpu = childrenCpu() - c0
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`)
  lastStdout = r.stdout
  return ms
}

/** Whether the last `cairn … --json` run started an embedded database (generate reports it in its timings). */
const startedDatabase = () => JSON.parse(lastStdout).timings?.open_database !== undefined

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (x: number) => `${Math.round(x).toLocaleString('en')} ms`
/** Median and range: `1,234 ms (1,100–1,400)`. */
const spread = (xs: number[]) => `${ms(median(xs))} (${Math.round(Math.min(...xs)).toLocaleString('en')}–${Math.round(Math.max(...xs)).toLocaleString('en')})`
/** The ratio of the medians, and the range of the ratios of the interleaved pairs. */
const ratio = (a: number[], b: number[]) => {
  const pairs = a.map((x, i) => x / b[i])
  return `${(median(a) / median(b)).toFixed(2)} (${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)})`
}
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ')

/** A build of cairn under test: this checkout, or the `--baseline` one. */
interface Build {
  readonly label: string
  readonly root: string
  readonly bin: string
}

function main(): void {
  const drizzleKit = ensurePeers()
  const builds: Build[] = [{ label: 'cairn', root: REPO, bin: path.join(REPO, 'bin', 'cairn.js') }]
  if (BASELINE) builds.push({ label: 'before', root: BASELINE, bin: path.join(BASELINE, 'bin', 'cairn.js') })
  for (const b of builds) if (!existsSync(path.join(b.root, 'dist', 'cli', 'program.js'))) execFileSync('npm', ['run', 'build'], { cwd: b.root, stdio: 'ignore' })
  rmSync(OUT, { recursive: true, force: true })
  const loadBefore = load()
  const header = ['scenario', ...builds.map((b) => b.label), 'drizzle-kit', ...builds.map((b) => `${b.label} / drizzle`), ...builds.map((b) => `CPU: ${b.label} / drizzle`)]
  // rows are printed as they are measured (a later failure loses nothing)
  const rows: string[][] = []
  const emit = (r: string[]) => {
    rows.push(r)
    console.log(r.filter((x) => x !== '').join('  |  '))
  }
  console.log(`median (min–max) of ${REPS} runs each, every tool as a separate process, interleaved; load average ${loadBefore}`)
  for (const n of SIZES) {
    const dirs = builds.map((b) => path.join(OUT, `${b.label}-${n}`))
    const d = path.join(OUT, `drizzle-${n}`)
    builds.forEach((b, i) => {
      mkdirSync(path.join(dirs[i], 'schema'), { recursive: true })
      writeFileSync(path.join(dirs[i], 'package.json'), '{"type":"module"}')
      writeFileSync(path.join(dirs[i], 'schema', 'index.ts'), cairnSchema(n, [], b.root))
    })
    mkdirSync(d, { recursive: true })
    writeFileSync(path.join(d, 'package.json'), '{"type":"module"}')
    writeFileSync(path.join(d, 'drizzle.config.ts'), `export default { dialect: 'postgresql', schema: './schema.ts', out: './drizzle' }\n`)
    cpSync(path.join(PEERS, 'node_modules'), path.join(d, 'node_modules'), { recursive: true, verbatimSymlinks: true })
    writeFileSync(path.join(d, 'schema.ts'), drizzleSchema(n, []))

    const cairnRun = (i: number, argv: string[]) => timed('node', [builds[i].bin, ...argv], dirs[i])
    const uncache = (i: number) => rmSync(path.join(dirs[i], '.cairn', 'cache'), { recursive: true, force: true })
    const series = () => builds.map(() => [] as number[])
    const coldInit = builds.map((_, i) => cairnRun(i, ['generate', 'init']))
    timed(drizzleKit, ['generate', '--name', 'init'], d)
    const coldNoChange = series()
    const drizzleCold: number[] = []
    for (let r = 0; r < REPS; r++) {
      builds.forEach((_, i) => {
        uncache(i)
        record(coldNoChange[i], cairnRun(i, ['generate', 'noop']))
      })
      record(drizzleCold, timed(drizzleKit, ['generate', '--name', 'noop'], d))
    }

    const noop = series()
    const drizzleNoop: number[] = []
    const change = series()
    const drizzleChange: number[] = []
    const coldChange = series()
    const drizzleColdChange: number[] = []
    const warmStarted = builds.map(() => false)
    const extra: string[] = []
    // a new column each time, so no cache has seen it; every other change from a fresh clone
    const oneChange = (cold: boolean) => {
      extra.push(`extra_${extra.length}`)
      const name = `add_${extra.at(-1)}`
      builds.forEach((b, i) => {
        writeFileSync(path.join(dirs[i], 'schema', 'index.ts'), cairnSchema(n, extra, b.root))
        if (cold) uncache(i)
        record((cold ? coldChange : change)[i], cairnRun(i, ['generate', name]))
      })
      writeFileSync(path.join(d, 'schema.ts'), drizzleSchema(n, extra))
      record(cold ? drizzleColdChange : drizzleChange, timed(drizzleKit, ['generate', '--name', name], d))
    }
    for (let r = 0; r < REPS; r++) {
      builds.forEach((_, i) => {
        record(noop[i], cairnRun(i, ['generate', 'noop', '--json']))
        warmStarted[i] ||= startedDatabase()
      })
      record(drizzleNoop, timed(drizzleKit, ['generate', '--name', 'noop'], d))
      oneChange(false)
      oneChange(true)
    }
    const cpuOf = (x: number[]) => cpu.get(x) ?? []
    const row = (label: string, xs: number[][], drizzle: number[]) =>
      emit([label, ...xs.map(spread), spread(drizzle), ...xs.map((x) => ratio(x, drizzle)), ...xs.map((x) => ratio(cpuOf(x), cpuOf(drizzle)))])
    row(`${n} tables, no change (warm; ${warmStarted.map((w, i) => `${builds[i].label}: ${w ? 'a database started' : 'no database started'}`).join(', ')})`, noop, drizzleNoop)
    row(`${n} tables, cold cache, no change`, coldNoChange, drizzleCold)
    row(`${n} tables, one change (warm)`, change, drizzleChange)
    row(`${n} tables, cold cache, one change`, coldChange, drizzleColdChange)
    emit([`${n} tables, cold cache, first migration (single run)`, ...coldInit.map(ms), '', ...builds.map(() => ''), ...builds.map(() => '')])
  }
  if (!args.includes('--no-reference')) {
    // definitions import the repository's src/: a copy taken now, so edits made meanwhile do not reach the runs
    cpSync(path.join(REPO, 'src'), path.join(OUT, 'src'), { recursive: true })
    const projects: [string, string][] = [['reference model', referenceProject()]]
    for (const e of readdirSync(path.join(REPO, 'examples'), { withFileTypes: true })) {
      if (e.isDirectory() && existsSync(path.join(REPO, 'examples', e.name, 'migrations'))) projects.push([`examples/${e.name}`, exampleProject(e.name)])
    }
    for (const [label, dir] of projects) {
      try {
        for (const r of projectRows(label, dir, builds[0].bin)) emit([...r, '', ...builds.slice(1).map(() => ''), ...builds.map(() => ''), ...builds.map(() => '')])
      } catch (e) {
        emit([`${label}: failed (${(e as Error).message.split('\n').find((l) => l.startsWith('cairn:')) ?? 'see above'})`, '', ...builds.slice(1).map(() => ''), '', ...builds.map(() => ''), ...builds.map(() => '')])
      }
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => r.map((x, i) => (x ?? '').padEnd(widths[i])).join('  ')
  console.log(`\nmedian (min–max) of ${REPS} runs each, every tool as a separate process, interleaved; load average ${loadBefore} before, ${load()} after\n`)
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

/** This repository's reference model, copied (the copy of src linked, for its relative imports). */
function referenceProject(): string {
  const ref = path.join(OUT, 'reference')
  mkdirSync(ref, { recursive: true })
  for (const d of ['schema', 'views', 'partitions', 'migrations']) {
    if (existsSync(path.join(REPO, d))) cpSync(path.join(REPO, d), path.join(ref, d), { recursive: true })
  }
  symlinkSync(path.join(OUT, 'src'), path.join(ref, 'src'))
  writeFileSync(path.join(ref, 'package.json'), '{"type":"module"}')
  return ref
}

/** An example project, copied to the same depth (its definitions import `../../../src`: the copy). */
function exampleProject(name: string): string {
  const dest = path.join(OUT, 'examples', name)
  cpSync(path.join(REPO, 'examples', name), dest, { recursive: true })
  return dest
}

/** A project with no pending change: `generate --dry-run`, cold (no `.cairn/cache`) and warm, interleaved. */
function projectRows(label: string, dir: string, cairn: string): string[][] {
  const argv = [cairn, 'generate', 'noop', '--dry-run', '--json']
  const cold: number[] = []
  const warm: number[] = []
  let warmStarted = false
  let coldStarted = false
  for (let r = 0; r < REPS; r++) {
    rmSync(path.join(dir, '.cairn', 'cache'), { recursive: true, force: true })
    cold.push(timed('node', argv, dir))
    coldStarted ||= startedDatabase()
    warm.push(timed('node', argv, dir))
    warmStarted ||= startedDatabase()
  }
  const status = JSON.parse(lastStdout).status as string
  const started = (b: boolean) => (b ? 'a database started' : 'no database started')
  return [
    [`${label}, no change (${status}), warm, ${started(warmStarted)}`, spread(warm), '', ''],
    [`${label}, no change (${status}), cold cache, ${started(coldStarted)}`, spread(cold), '', ''],
  ]
}

main()
