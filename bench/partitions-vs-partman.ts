/**
 * `cairn partitions maintain` beside pg_partman's `run_maintenance()` on the same schedules, on the
 * PostgreSQL server (DATABASE_URL; pg_partman installed there: Debian `postgresql-15-partman`; it
 * is created in a scratch database of its own, never in a project database).
 *
 * For each schedule (monthly with a DEFAULT partition and retired partitions kept, daily and
 * quarterly with retired partitions dropped) both tools start from the same partitions (pg_partman's
 * create_parent with a small premake; cairn's declared window copies what it made, under
 * pg_partman's names), rows wait in the DEFAULT partition for a slot not made yet, then premake and
 * retention are raised and maintenance runs: which partitions each created and retired, what became
 * of the default partition's rows, a second (idempotent) run, and timings.
 *
 * Then the locks: a reader keeps a transaction open on a daily table while maintenance retires
 * partitions and a writer inserts every 20 ms; prints how long maintenance took and the writer's
 * longest insert, for pg_partman and for cairn with and without a default partition.
 *
 * pg_partman cannot be given a `--now`: both run at the real time (cairn with --now set to it).
 *
 *   npx tsx bench/partitions-vs-partman.ts [--url postgres://…/postgres]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { run } from '../src/cli/program.js'
import type { CliContext } from '../src/cli/context.js'
import { nodeDirFsAt } from '../src/migrate/migration-dir.js'
import { migrateUp } from '../src/migrate/runner.js'
import { openPostgres } from '../src/db/postgres.js'
import { generate } from '../src/workflows/generate.js'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const REPO = path.resolve(HERE, '..')
const OUT = path.join(HERE, '.out', 'partitions')
const args = process.argv.slice(2)
const flag = (name: string, fallback: string | undefined) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const ADMIN_URL = flag('url', process.env.DATABASE_URL)
if (!ADMIN_URL) throw new Error('set DATABASE_URL (or --url) to a PostgreSQL server with pg_partman installed')

const urlOf = (db: string) => {
  const u = new URL(ADMIN_URL!)
  u.pathname = `/${db}`
  return u.toString()
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

interface Schedule {
  readonly table: string
  readonly interval: 'daily' | 'monthly' | 'quarterly'
  readonly every: 'day' | 'month' | 'quarter'
  /** pg_partman's suffix for a slot, as cairn's name template. */
  readonly template: string
  /** How many intervals back the initial partitions start. */
  readonly back: number
  readonly premake: number
  /** pg_partman's retention interval and cairn's retention. */
  readonly retention: string
  readonly keep: boolean
  /** A row in the default partition this many intervals ahead (beyond the initial premake of 1). */
  readonly defaultAhead: number
}

const SCHEDULES: readonly Schedule[] = [
  { table: 'events', interval: 'monthly', every: 'month', template: '{parent}_p{yyyy}_{mm}', back: 9, premake: 4, retention: '6 months', keep: true, defaultAhead: 2 },
  { table: 'hits', interval: 'daily', every: 'day', template: '{parent}_p{yyyy}_{mm}_{dd}', back: 40, premake: 14, retention: '30 days', keep: false, defaultAhead: 3 },
  { table: 'sales', interval: 'quarterly', every: 'quarter', template: '{parent}_p{yyyy}q{q}', back: 6, premake: 2, retention: '1 year', keep: false, defaultAhead: 2 },
]

/** The start of the slot `n` intervals before now, as pg_partman and cairn both want it. */
function slotStart(every: Schedule['every'], back: number, now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  if (every === 'day') d.setUTCDate(d.getUTCDate() - back)
  else {
    const m = every === 'month' ? d.getUTCMonth() - back : Math.floor(d.getUTCMonth() / 3) * 3 - back * 3
    d.setUTCDate(1)
    d.setUTCMonth(m)
  }
  return d.toISOString().slice(0, 10)
}

function ahead(every: Schedule['every'], n: number, now: Date): string {
  const d = new Date(now)
  if (every === 'day') d.setUTCDate(d.getUTCDate() + n)
  else d.setUTCMonth(d.getUTCMonth() + n * (every === 'month' ? 1 : 3))
  return d.toISOString()
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

async function client(db: string, name: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: urlOf(db), application_name: name })
  await c.connect()
  return c
}

async function partitionsOf(c: pg.Client, parent: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(`SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`, [parent])
  return r.rows.map((x) => x.name)
}

async function plainTables(c: pg.Client, like: string): Promise<string[]> {
  const r = await c.query<{ name: string }>(`SELECT relname::text AS name FROM pg_class WHERE relkind = 'r' AND NOT relispartition AND relnamespace = 'bench'::regnamespace AND relname LIKE $1 ORDER BY 1`, [like])
  return r.rows.map((x) => x.name)
}

const count = async (c: pg.Client, rel: string) => Number((await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel}`)).rows[0].n)

/** Runs the cairn CLI in-process on the bench project. */
async function cairn(project: string, argv: string[]): Promise<{ code: number; out: string; err: string; ms: number }> {
  let out = ''
  let err = ''
  const ctx: CliContext = { cwd: project, env: { NO_COLOR: '1' }, stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, exitCode: 0 }
  const t0 = performance.now()
  const code = await run(['node', 'cairn', ...argv, '--project', project], ctx)
  return { code, out, err, ms: Math.round(performance.now() - t0) }
}

const diffList = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x))
const short = (xs: readonly string[]) => (xs.length > 6 ? `${xs.slice(0, 3).join(', ')}, … ${xs.slice(-2).join(', ')} (${xs.length})` : xs.join(', ') || '—')

async function main(): Promise<void> {
  const now = new Date()
  const nowIso = now.toISOString()
  const PM = 'cairn_bench_partman'
  const CA = 'cairn_bench_cairn'
  await admin(async (c) => {
    for (const db of [PM, CA]) {
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
      await c.query(`CREATE DATABASE ${db}`)
    }
  })
  const pm = await client(PM, 'bench-partman')
  await pm.query('CREATE SCHEMA partman; CREATE EXTENSION pg_partman SCHEMA partman; CREATE SCHEMA bench')
  const [{ extversion }] = (await pm.query<{ extversion: string }>(`SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'`)).rows
  console.log(`pg_partman ${extversion} vs cairn partitions, PostgreSQL ${(await pm.query('SHOW server_version')).rows[0].server_version}, now ${nowIso}\n`)

  // ---- pg_partman: create_parent with premake 1, then the real settings --------------------------
  const initial = new Map<string, string[]>()
  for (const s of SCHEDULES) {
    await pm.query(`CREATE TABLE bench.${s.table} (id bigint NOT NULL, at timestamptz NOT NULL, body text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)`)
    await pm.query(`SELECT partman.create_parent(p_parent_table := $1, p_control := 'at', p_type := 'native', p_interval := $2, p_premake := 1, p_start_partition := $3, p_jobmon := false)`, [
      `bench.${s.table}`, s.interval, slotStart(s.every, s.back, now),
    ])
    await pm.query(`UPDATE partman.part_config SET premake = $2, retention = $3, retention_keep_table = $4, infinite_time_partitions = true WHERE parent_table = $1`, [
      `bench.${s.table}`, s.premake, s.retention, s.keep,
    ])
    initial.set(s.table, (await partitionsOf(pm, `bench.${s.table}`)).filter((n) => !n.endsWith('_default')))
  }

  // ---- cairn: the same partitions as the declared window, the same settings ------------------------
  rmSync(OUT, { recursive: true, force: true })
  const project = path.join(OUT, 'project')
  mkdirSync(path.join(project, 'schema'), { recursive: true })
  const dsl = path.relative(path.join(project, 'schema'), path.join(REPO, 'src', 'dsl', 'index.js'))
  writeFileSync(path.join(project, 'schema', 'index.ts'), [
    `import { pgSchema, bigint, text, timestamptz, primaryKey, rangePartitions } from '${dsl}'`,
    `export const bench = pgSchema('bench')`,
    ...SCHEDULES.flatMap((s) => [
      `export const ${s.table} = bench.table('${s.table}', { id: bigint().notNull(), at: timestamptz().notNull(), body: text() }, (t) => [primaryKey({ columns: [t.id, t.at] })], { partitionBy: { strategy: 'range', key: ['at'] } })`,
      `export const ${s.table}Parts = rangePartitions(${s.table}, { from: '${slotStart(s.every, s.back, now)}', every: '${s.every}', count: ${initial.get(s.table)!.length}, premake: ${s.premake}, retention: '${s.retention}', retire: '${s.keep ? 'detach' : 'drop'}', default: true, name: '${s.template}' })`,
    ]),
    // the lock test's tables: one with a default partition, one without
    `export const lockd = bench.table('lockd', { id: bigint().notNull(), at: timestamptz().notNull() }, () => [], { partitionBy: { strategy: 'range', key: ['at'] } })`,
    `export const lockdParts = rangePartitions(lockd, { from: '${slotStart('day', 20, now)}', every: 'day', count: 22, premake: 1, retention: '10 days', default: true, name: '{parent}_p{yyyy}_{mm}_{dd}' })`,
    `export const lockn = bench.table('lockn', { id: bigint().notNull(), at: timestamptz().notNull() }, () => [], { partitionBy: { strategy: 'range', key: ['at'] } })`,
    `export const locknParts = rangePartitions(lockn, { from: '${slotStart('day', 20, now)}', every: 'day', count: 22, premake: 1, retention: '10 days', name: '{parent}_p{yyyy}_{mm}_{dd}' })`,
    '',
  ].join('\n'))
  const g = await generate({ root: project, name: 'bench', now })
  if (g.status !== 'created') throw new Error(`generate: ${g.status}`)
  const cdb = await openPostgres(urlOf(CA))
  await migrateUp(cdb, { dir: 'migrations', fs: nodeDirFsAt(project) })
  await cdb.close()
  const ca = await client(CA, 'bench-cairn')
  for (const s of SCHEDULES) {
    const mine = (await partitionsOf(ca, `bench.${s.table}`)).filter((n) => !n.endsWith('_default'))
    if (mine.join() !== initial.get(s.table)!.join()) throw new Error(`initial partitions differ for ${s.table}:\n  partman ${initial.get(s.table)!.join(', ')}\n  cairn   ${mine.join(', ')}`)
  }

  // rows waiting in the default partition for a slot neither has made yet, and one in the current slot
  for (const c of [pm, ca]) {
    for (const s of SCHEDULES) {
      await c.query(`INSERT INTO bench.${s.table} (id, at, body) VALUES (1, $1, 'ahead'), (2, $1::timestamptz + interval '1 hour', 'ahead'), (3, $2, 'now')`, [ahead(s.every, s.defaultAhead, now), nowIso])
    }
  }

  // ---- maintenance ---------------------------------------------------------------------------------
  interface Outcome { created: string[]; retired: string[]; kept: string[]; gaps: string[]; defaultRows: number; total: number; ms: number; error?: string }
  /** Slots missing between the oldest and the newest partition (the bounds, read back from the catalog). */
  const gapsOf = async (c: pg.Client, parent: string): Promise<string[]> => {
    const r = await c.query<{ lo: string; hi: string }>(
      `SELECT (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1] AS lo,
              (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1] AS hi
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT' ORDER BY 1`,
      [parent],
    )
    const out: string[] = []
    for (let i = 1; i < r.rows.length; i++) if (Date.parse(r.rows[i].lo) !== Date.parse(r.rows[i - 1].hi)) out.push(`${r.rows[i - 1].hi.slice(0, 10)} … ${r.rows[i].lo.slice(0, 10)}`)
    return out
  }
  const outcome = async (c: pg.Client, s: Schedule, before: string[], ms: number, error?: string): Promise<Outcome> => {
    const after = await partitionsOf(c, `bench.${s.table}`)
    return {
      created: diffList(after, before),
      retired: diffList(before, after),
      kept: await plainTables(c, `${s.table}_p%`),
      gaps: await gapsOf(c, `bench.${s.table}`),
      defaultRows: await count(c, `bench.${s.table}_default`),
      total: await count(c, `bench.${s.table}`),
      ms,
      ...(error ? { error } : {}),
    }
  }
  const beforePm = new Map<string, string[]>()
  const beforeCa = new Map<string, string[]>()
  for (const s of SCHEDULES) {
    beforePm.set(s.table, await partitionsOf(pm, `bench.${s.table}`))
    beforeCa.set(s.table, await partitionsOf(ca, `bench.${s.table}`))
  }
  const pmResults = new Map<string, Outcome>()
  for (const s of SCHEDULES) {
    const t0 = performance.now()
    let error: string | undefined
    try {
      await pm.query(`SELECT partman.run_maintenance(p_parent_table := $1, p_analyze := false, p_jobmon := false)`, [`bench.${s.table}`])
    } catch (e) {
      error = (e as Error).message.split('\n')[0]
    }
    pmResults.set(s.table, await outcome(pm, s, beforePm.get(s.table)!, Math.round(performance.now() - t0), error))
  }
  // pg_partman's way with rows in the default: partition_data_time() moves them (then maintenance again)
  const pmMoved = new Map<string, { ms: number; rows: number; error?: string; after?: Outcome }>()
  for (const s of SCHEDULES) {
    if (!pmResults.get(s.table)!.error) continue
    const t0 = performance.now()
    try {
      const r = await pm.query<{ n: string }>(`SELECT partman.partition_data_time($1, p_batch_count := 100)::text AS n`, [`bench.${s.table}`])
      await pm.query(`SELECT partman.run_maintenance(p_parent_table := $1, p_analyze := false, p_jobmon := false)`, [`bench.${s.table}`])
      pmMoved.set(s.table, { ms: Math.round(performance.now() - t0), rows: Number(r.rows[0].n), after: await outcome(pm, s, beforePm.get(s.table)!, 0) })
    } catch (e) {
      pmMoved.set(s.table, { ms: Math.round(performance.now() - t0), rows: 0, error: (e as Error).message.split('\n')[0] })
    }
  }
  const only = SCHEDULES.flatMap((s) => ['--table', `bench.${s.table}`])
  const maintain = await cairn(project, ['partitions', 'maintain', '--url', urlOf(CA), '--now', nowIso, '--json', ...only])
  if (maintain.code !== 0) throw new Error(`cairn partitions maintain exited ${maintain.code}:\n${maintain.out}${maintain.err}`)
  const report = JSON.parse(maintain.out) as { steps: { parent: string; kind: string; ms: number }[]; timings: Record<string, number> }
  const caResults = new Map<string, Outcome>()
  for (const s of SCHEDULES) {
    const ms = report.steps.filter((x) => x.parent === `bench.${s.table}`).reduce((n, x) => n + x.ms, 0)
    caResults.set(s.table, await outcome(ca, s, beforeCa.get(s.table)!, ms))
  }

  // second runs: nothing to do
  let t0 = performance.now()
  await pm.query(`SELECT partman.run_maintenance(p_analyze := false, p_jobmon := false)`).catch(() => undefined)
  const pmAgainMs = Math.round(performance.now() - t0)
  const again = await cairn(project, ['partitions', 'maintain', '--url', urlOf(CA), '--now', nowIso, '--json', ...only])
  const againSteps = (JSON.parse(again.out) as { steps: unknown[]; timings: Record<string, number> })

  for (const s of SCHEDULES) {
    const p = pmResults.get(s.table)!
    const c = caResults.get(s.table)!
    const moved = pmMoved.get(s.table)
    console.log(`${s.interval} ${s.table}: premake ${s.premake}, retention ${s.retention} (${s.keep ? 'keep the table' : 'drop'}), start ${slotStart(s.every, s.back, now)}, ${initial.get(s.table)!.length} partitions + default to begin with`)
    console.log(`  pg_partman run_maintenance  ${p.ms} ms${p.error ? `  FAILED: ${p.error}` : ''}`)
    console.log(`    created  ${short(p.created)}`)
    console.log(`    retired  ${short(p.retired)}${p.kept.length ? `; kept as plain tables: ${short(p.kept)}` : ''}`)
    console.log(`    default  ${p.defaultRows} rows left; ${p.total} rows in the table${p.gaps.length ? `; GAPS: ${p.gaps.join(', ')}` : ''}`)
    if (moved) {
      console.log(`    then partition_data_time() + run_maintenance: ${moved.ms} ms, ${moved.rows} rows moved${moved.error ? `, FAILED: ${moved.error}` : ''}`)
      const a = moved.after
      if (a) {
        console.log(`      created  ${short(a.created)}`)
        console.log(`      retired  ${short(a.retired)}${a.kept.length ? `; kept as plain tables: ${short(a.kept)}` : ''}`)
        console.log(`      default  ${a.defaultRows} rows left; ${a.total} rows in the table${a.gaps.length ? `; GAPS: ${a.gaps.join(', ')}` : ''}`)
      }
    }
    console.log(`  cairn partitions maintain   ${c.ms} ms (steps)`)
    console.log(`    created  ${short(c.created)}`)
    console.log(`    retired  ${short(c.retired)}${c.kept.length ? `; kept as plain tables: ${short(c.kept)}` : ''}`)
    console.log(`    default  ${c.defaultRows} rows left; ${c.total} rows in the table${c.gaps.length ? `; GAPS: ${c.gaps.join(', ')}` : ''}`)
    const fin = moved?.after ?? p
    const same = fin.created.join() === c.created.join() && fin.retired.join() === c.retired.join()
    console.log(`  same partitions created and retired: ${same ? 'yes' : `no (pg_partman only: ${short(diffList(fin.created, c.created).concat(diffList(fin.retired, c.retired)))}; cairn only: ${short(diffList(c.created, fin.created).concat(diffList(c.retired, fin.retired)))})`}`)
    console.log('')
  }
  console.log(`cairn maintain, whole command in-process (loading the definitions included): ${maintain.ms} ms; its own timings: ${JSON.stringify(report.timings)}`)
  console.log(`second run: pg_partman run_maintenance() ${pmAgainMs} ms; cairn ${again.ms} ms (${againSteps.steps.length} steps; maintain ${againSteps.timings.total} ms)\n`)

  // ---- locks: a reader's open transaction while old partitions are retired --------------------------
  await pm.query(`CREATE TABLE bench.lockd (id bigint NOT NULL, at timestamptz NOT NULL) PARTITION BY RANGE (at)`)
  await pm.query(`SELECT partman.create_parent('bench.lockd', 'at', 'native', 'daily', p_premake := 1, p_start_partition := $1, p_jobmon := false)`, [slotStart('day', 20, now)])
  await pm.query(`UPDATE partman.part_config SET retention = '10 days', retention_keep_table = false, infinite_time_partitions = true WHERE parent_table = 'bench.lockd'`)
  const lockRun = async (db: string, parent: string, maintenance: () => Promise<string>) => {
    const reader = await client(db, 'bench-reader')
    const writer = await client(db, 'bench-writer')
    await reader.query('BEGIN')
    await reader.query(`SELECT count(*) FROM ${parent}`)
    let stop = false
    let worst = 0
    let inserts = 0
    const writing = (async () => {
      let id = 1000
      while (!stop) {
        const t = performance.now()
        await writer.query(`INSERT INTO ${parent} (id, at) VALUES ($1, now())`, [id++])
        worst = Math.max(worst, performance.now() - t)
        inserts++
        await sleep(20)
      }
    })()
    await sleep(200)
    const started = performance.now()
    const release = sleep(1500).then(() => reader.query('COMMIT'))
    const result = await maintenance()
    const ms = Math.round(performance.now() - started)
    await release
    await sleep(100)
    stop = true
    await writing
    await reader.end()
    await writer.end()
    return { ms, worst: Math.round(worst), inserts, result }
  }
  const pmLock = await lockRun(PM, 'bench.lockd', async () => {
    const c = await client(PM, 'bench-partman-maint')
    try {
      await c.query(`SET lock_timeout = '5s'`)
      await c.query(`SELECT partman.run_maintenance('bench.lockd', p_analyze := false, p_jobmon := false)`)
      return 'ok'
    } catch (e) {
      return (e as Error).message
    } finally {
      await c.end()
    }
  })
  const caLock = async (table: string) =>
    lockRun(CA, `bench.${table}`, async () => {
      const r = await cairn(project, ['partitions', 'maintain', '--url', urlOf(CA), '--now', nowIso, '--json', '--lock-timeout', '5s', '--retries', '0', '--table', `bench.${table}`])
      const steps = r.code === 0 ? (JSON.parse(r.out) as { steps: { parent: string; kind: string; locks: string }[] }).steps.filter((x) => x.parent === `bench.${table}` && x.kind === 'retire') : []
      return r.code === 0 ? `ok, ${steps.length} retired: ${steps[0]?.locks ?? ''}` : `exit ${r.code}: ${r.out}`
    })
  const caLockN = await caLock('lockn')
  const caLockD = await caLock('lockd')
  console.log('locks: a reader holds a transaction open on the parent for 1.5 s while maintenance retires 10 daily partitions; a writer inserts every 20 ms')
  console.log(`  pg_partman (plain DETACH/DROP, ACCESS EXCLUSIVE on the parent)       maintenance ${pmLock.ms} ms (${pmLock.result}); writer's longest insert ${pmLock.worst} ms (${pmLock.inserts} inserts)`)
  console.log(`  cairn, no default partition (DETACH … CONCURRENTLY)                    maintenance ${caLockN.ms} ms (${caLockN.result}); writer's longest insert ${caLockN.worst} ms (${caLockN.inserts} inserts)`)
  console.log(`  cairn, with a default partition (plain DETACH, under lock_timeout)     maintenance ${caLockD.ms} ms (${caLockD.result}); writer's longest insert ${caLockD.worst} ms (${caLockD.inserts} inserts)`)

  await pm.end()
  await ca.end()
  await admin(async (c) => {
    for (const db of [PM, CA]) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  })
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
