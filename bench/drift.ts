/**
 * `cairn drift` on the reference model (schema/, views/, partitions/, migrations/ of this repo),
 * migrated into a live database, run as a process exactly as CI runs it:
 *   - cold: no project cache (a fresh clone; the embedded engine's template in the user cache stays);
 *   - warm: the project cache from the cold run just before (nothing changed); cold and warm
 *     interleaved, --reps of each, medians with the range;
 *   - warm with one hand-made index on the live database (drift found, exit 1).
 * Prints wall times and the phases drift reports in --json (load, status, inspect, definitions, database).
 *
 *   npx tsx bench/drift.ts [--reps 3] [--url postgres://…/db]   (default: DATABASE_URL, else an embedded database)
 *
 * Needs a build (`npm run build`), or `--cli <path to program.js>` of one.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const REPO = path.resolve(HERE, '..')
const OUT = path.join(HERE, '.out', 'drift')
const args = process.argv.slice(2)
const flag = (name: string, fallback: string | undefined) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const REPS = Number(flag('reps', '3'))
const CLI = path.resolve(flag('cli', path.join(REPO, 'dist', 'cli', 'program.js'))!)
const ADMIN_URL = flag('url', process.env.DATABASE_URL)

interface Run {
  readonly ms: number
  /** CPU time of the process (user + system), when /usr/bin/time is there: on a shared machine wall time drifts with the load. */
  readonly cpuMs?: number
  readonly code: number
  readonly timings: Record<string, number>
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

function drift(project: string, url: string): Run {
  const argv = [path.join(OUT, 'cairn.mjs'), 'drift', '--project', project, '--url', url, '--json']
  const t0 = performance.now()
  const r = TIME
    ? spawnSync(TIME, ['-f', 'cpu %U %S', 'node', ...argv], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync('node', argv, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const ms = performance.now() - t0
  if (r.status !== 0 && r.status !== 1) throw new Error(`cairn drift failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return {
    ms,
    ...(cpu ? { cpuMs: (Number(cpu[1]) + Number(cpu[2])) * 1000 } : {}),
    code: r.status,
    timings: (JSON.parse(r.stdout) as { timings: Record<string, number> }).timings,
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main(): Promise<void> {
  if (!existsSync(CLI)) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'inherit' })
  rmSync(OUT, { recursive: true, force: true })
  const project = path.join(OUT, 'project')
  mkdirSync(project, { recursive: true })
  for (const d of ['schema', 'views', 'partitions', 'migrations']) if (existsSync(path.join(REPO, d))) cpSync(path.join(REPO, d), path.join(project, d), { recursive: true })
  // the definitions import ../src/dsl/index.js
  symlinkSync(path.join(REPO, 'src'), path.join(project, 'src'))
  writeFileSync(path.join(OUT, 'cairn.mjs'), `import { run } from ${JSON.stringify(CLI)}\nprocess.exitCode = await run(process.argv)\n`)

  // the live database: a throwaway database on the server, or an embedded one
  let url: string
  let dispose = async () => {}
  if (ADMIN_URL) {
    const name = `cairn_bench_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: ADMIN_URL })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const u = new URL(ADMIN_URL)
    u.pathname = `/${name}`
    url = u.toString()
    dispose = async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  } else {
    url = `pglite:${path.join(OUT, 'live')}`
  }
  try {
    const migrate = spawnSync('node', [path.join(OUT, 'cairn.mjs'), 'migrate', 'up', '--url', url, '--json'], { cwd: project, encoding: 'utf8' })
    if (migrate.status !== 0) throw new Error(`migrate up failed:\n${migrate.stdout}\n${migrate.stderr}`)

    // cold then warm, interleaved: the project cache removed before each cold run
    const cold: Run[] = []
    const warm: Run[] = []
    for (let i = 0; i < REPS; i++) {
      rmSync(path.join(project, '.cairn', 'cache'), { recursive: true, force: true })
      cold.push(drift(project, url))
      warm.push(drift(project, url))
    }
    const exec = spawnSync('node', ['-e', `
      const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
      c.connect().then(() => c.query('CREATE INDEX bench_tmp_idx ON auth.users (created_at)')).then(() => c.end())`, url], { cwd: REPO, encoding: 'utf8' })
    const withDrift: Run[] = []
    if (ADMIN_URL && exec.status === 0) for (let i = 0; i < REPS; i++) withDrift.push(drift(project, url))

    const fmt = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round(ms)} ms`)
    const phases = (r: Run) => Object.entries(r.timings).map(([k, v]) => `${k} ${v}`).join(', ')
    const mid = (runs: Run[]) => runs.slice().sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]
    const cpu = (runs: Run[]) => (runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => r.cpuMs!)) : undefined)
    const range = (runs: Run[]) => `${Math.round(Math.min(...runs.map((r) => r.ms)))}–${Math.round(Math.max(...runs.map((r) => r.ms)))}`
    const row = (label: string, runs: Run[]) =>
      console.log(`${label.padEnd(38)} ${fmt(median(runs.map((r) => r.ms))).padStart(8)} ${range(runs).padStart(11)} ${fmt(cpu(runs)).padStart(8)}  exit ${mid(runs).code}   ${phases(mid(runs))}`)
    console.log(`\ncairn drift on the reference model, live database ${ADMIN_URL ? 'on the PostgreSQL server' : 'embedded (PGlite)'}; one process per run\n`)
    console.log(`${'run'.padEnd(38)} ${'wall'.padStart(8)} ${'range'.padStart(11)} ${'cpu'.padStart(8)}  exit   phases (ms, from --json; they overlap)`)
    row(`cold, no project cache (median of ${REPS})`, cold)
    row(`warm, no drift (median of ${REPS})`, warm)
    if (withDrift.length) row(`warm, one hand-made index (median of ${REPS})`, withDrift)
    const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim()
    if (load) console.log(`\nload average at the end: ${load.split(' ').slice(0, 3).join(' ')}`)
  } finally {
    await dispose()
  }
}

await main()
