/**
 * `cairn check` on a large table beside the validation it predicts, on the PostgreSQL server of
 * DATABASE_URL (or --url): a table of --rows rows (default 10 million) with three violating rows
 * per constraint (the last rows written).
 *
 * For each statement, interleaved, --reps times (median):
 *   - `cairn check --sql <statement> --json` as a process (wall time, and the check's own time);
 *   - the validation itself, as it costs when it succeeds: in a transaction that is rolled back, the
 *     violating rows are fixed first (an UPDATE of the last 20 rows by primary key), then SET NOT
 *     NULL; ADD CONSTRAINT … NOT VALID and VALIDATE CONSTRAINT (timed: the VALIDATE); CREATE UNIQUE
 *     INDEX; ALTER COLUMN TYPE (which rewrites the table). A validation that meets a violating row
 *     stops there, so timing it on the violating rows would measure where they happen to lie.
 *
 *   npx tsx bench/check.ts [--rows 10000000] [--reps 3] [--url postgres://…/db] [--keep] [--serial]
 *
 * The check's queries may use parallel workers (the server's max_parallel_workers_per_gather); the
 * ALTER TABLE scans never do. --serial runs cairn check with max_parallel_workers_per_gather = 0.
 *
 * The database `cairn_bench_check_<rows>` is created once and kept with --keep (loading 10 million
 * rows takes minutes); without --keep it is dropped at the end.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const REPO = path.resolve(HERE, '..')
const OUT = path.join(HERE, '.out', 'check')
const args = process.argv.slice(2)
const flag = (name: string, fallback: string | undefined) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const ROWS = Number(flag('rows', '10000000'))
const REPS = Number(flag('reps', '3'))
const KEEP = args.includes('--keep')
const SERIAL = args.includes('--serial')
const ADMIN_URL = flag('url', process.env.DATABASE_URL)

interface Case {
  readonly name: string
  /** What `cairn check --sql` reads. */
  readonly statement: string
  /** The validation timed beside it: setup (not timed), then the timed statement, in one transaction rolled back. */
  readonly setup?: string
  readonly validate: string
}

const CASES: Case[] = [
  { name: 'SET NOT NULL', statement: 'ALTER TABLE items ALTER COLUMN email SET NOT NULL', validate: 'ALTER TABLE items ALTER COLUMN email SET NOT NULL' },
  {
    name: 'CHECK',
    statement: 'ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0)',
    setup: 'ALTER TABLE items ADD CONSTRAINT items_qty_check CHECK (qty >= 0) NOT VALID',
    validate: 'ALTER TABLE items VALIDATE CONSTRAINT items_qty_check',
  },
  {
    name: 'FOREIGN KEY',
    statement: 'ALTER TABLE items ADD CONSTRAINT items_parent_fkey FOREIGN KEY (parent_id) REFERENCES parents (id)',
    setup: 'ALTER TABLE items ADD CONSTRAINT items_parent_fkey FOREIGN KEY (parent_id) REFERENCES parents (id) NOT VALID',
    validate: 'ALTER TABLE items VALIDATE CONSTRAINT items_parent_fkey',
  },
  { name: 'UNIQUE', statement: 'CREATE UNIQUE INDEX items_email_key ON items (email)', validate: 'CREATE UNIQUE INDEX items_email_key ON items (email)' },
  {
    name: 'ALTER COLUMN TYPE (USING)',
    statement: 'ALTER TABLE items ALTER COLUMN code TYPE integer USING code::integer',
    validate: 'ALTER TABLE items ALTER COLUMN code TYPE integer USING code::integer',
  },
]

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`)

async function load(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const has = await c.query(`SELECT to_regclass('public.items') IS NOT NULL AS t`)
    if (has.rows[0].t) {
      const n = await c.query(`SELECT count(*)::int8 AS n FROM items`)
      if (Number(n.rows[0].n) === ROWS) return
      await c.query(`DROP TABLE items; DROP TABLE parents`)
    }
    const t0 = performance.now()
    const n = ROWS
    await c.query(`CREATE TABLE parents (id int PRIMARY KEY); INSERT INTO parents SELECT generate_series(1, 100000)`)
    await c.query(`CREATE TABLE items (id bigint NOT NULL, parent_id int, qty int, email text, code text)`)
    await c.query(`SET max_parallel_workers_per_gather = 0`)
    // the violating rows are the last ones written: a validation stops at the first one it meets
    await c.query(
      `INSERT INTO items SELECT g,
         CASE WHEN g BETWEEN ${n - 5} AND ${n - 3} THEN 0 ELSE (g % 100000) + 1 END,
         CASE WHEN g BETWEEN ${n - 8} AND ${n - 6} THEN -1 ELSE g % 1000 END,
         CASE WHEN g BETWEEN ${n - 11} AND ${n - 9} THEN NULL WHEN g > ${n - 3} THEN 'u' || (g - 100) || '@example.com' ELSE 'u' || g || '@example.com' END,
         CASE WHEN g BETWEEN ${n - 8} AND ${n - 6} THEN 'x' || g ELSE g::text END
       FROM generate_series(1, ${n}) g`,
    )
    await c.query(`ALTER TABLE items ADD PRIMARY KEY (id)`)
    await c.query(`VACUUM ANALYZE items`)
    await c.query(`VACUUM ANALYZE parents`)
    process.stderr.write(`loaded ${n.toLocaleString('en-US')} rows in ${fmt(performance.now() - t0)}\n`)
  } finally {
    await c.end()
  }
}

function check(url: string, file: string): { wallMs: number; checkMs: number; failing: number; status: string } {
  const t0 = performance.now()
  const target = SERIAL ? `${url}?options=${encodeURIComponent('-c max_parallel_workers_per_gather=0')}` : url
  const r = spawnSync('node', [path.join(OUT, 'cairn.mjs'), 'check', '--url', target, '--sql', file, '--json', '--timeout', '10m'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const wallMs = performance.now() - t0
  if (r.status !== 0 && r.status !== 1) throw new Error(`cairn check failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  const report = JSON.parse(r.stdout) as { results: Array<{ durationMs: number; failing?: number; status: string }> }
  const res = report.results
  return { wallMs, checkMs: res.reduce((a, x) => a + x.durationMs, 0), failing: res.reduce((a, x) => a + (x.failing ?? 0), 0), status: res.map((x) => x.status).join(',') }
}

async function validate(url: string, c: Case): Promise<{ ms: number; error: string }> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    // a scan of a large table otherwise starts where the previous one (the check's) left off
    await client.query('SET synchronize_seqscans = off')
    await client.query('BEGIN')
    await client.query(`UPDATE items SET parent_id = 1, qty = 1, email = 'fixed' || id || '@example.com', code = id::text WHERE id > ${ROWS - 20}`)
    if (c.setup) await client.query(c.setup)
    const t0 = performance.now()
    let error = ''
    try {
      await client.query(c.validate)
    } catch (e) {
      error = (e as Error).message
    }
    const ms = performance.now() - t0
    await client.query('ROLLBACK')
    return { ms, error }
  } finally {
    await client.end()
  }
}

async function main(): Promise<void> {
  if (!ADMIN_URL) throw new Error('set DATABASE_URL (or --url) to a PostgreSQL server')
  rmSync(OUT, { recursive: true, force: true })
  mkdirSync(OUT, { recursive: true })
  // the CLI from the sources (tsx), so the bench needs no build
  writeFileSync(path.join(OUT, 'cairn.mjs'), `import { register } from 'tsx/esm/api'\nregister()\nconst { run } = await import(${JSON.stringify(path.join(REPO, 'src', 'cli', 'program.ts'))})\nprocess.exitCode = await run(process.argv)\n`)
  const name = `cairn_bench_check_${ROWS}`
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount
  if (!exists) await admin.query(`CREATE DATABASE ${name}`)
  const u = new URL(ADMIN_URL)
  u.pathname = `/${name}`
  const url = u.toString()
  const server = (await admin.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb, current_setting('max_parallel_workers_per_gather') AS par`)).rows[0]
  await admin.end()
  try {
    await load(url)
    const rows: string[][] = []
    for (const c of CASES) {
      const file = path.join(OUT, `${c.name.replace(/\W+/g, '_').toLowerCase()}.sql`)
      writeFileSync(file, `${c.statement};\n`)
      const checks: ReturnType<typeof check>[] = []
      const validations: Array<{ ms: number; error: string }> = []
      for (let i = 0; i < REPS; i++) {
        checks.push(check(url, file))
        validations.push(await validate(url, c))
      }
      const wall = median(checks.map((x) => x.wallMs))
      const own = median(checks.map((x) => x.checkMs))
      const val = median(validations.map((x) => x.ms))
      rows.push([c.name, `${checks[0].failing} (${checks[0].status})`, fmt(wall), fmt(own), fmt(val), (own / val).toFixed(2)])
      if (validations.some((v) => v.error)) throw new Error(`${c.name}: the validation failed on fixed rows: ${validations.find((v) => v.error)!.error}`)
      process.stderr.write(`${c.name}: check ${fmt(own)} (process ${fmt(wall)}), validation ${fmt(val)}\n`)
    }
    const out = [
      `PostgreSQL ${server.v}, shared_buffers ${server.sb}, max_parallel_workers_per_gather ${SERIAL ? '0 for the check' : server.par}; ${ROWS.toLocaleString('en-US')} rows; medians of ${REPS}`,
      '',
      '| statement | failing rows found | cairn check (process) | check queries | the validation itself (succeeding) | check / validation |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n')
    process.stdout.write(out + '\n')
    writeFileSync(path.join(OUT, SERIAL ? 'results-serial.md' : 'results.md'), out + '\n')
  } finally {
    if (!KEEP) {
      const a = new pg.Client({ connectionString: ADMIN_URL })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    }
  }
}

await main()
