/**
 * Backfill benchmark: message-like documents from a mongodump directory into a messages table (primary
 * key + indexes on its foreign-key columns; no FK constraints, so \copy can load the same rows) on the
 * PostgreSQL server at DATABASE_URL, beside
 *   (a) `psql \copy` of the same rows pre-transformed to CSV (the physical limit), and
 *   (b) the seed's one-INSERT-per-document loop on a 20,000-document slice.
 * Each contender runs in its own child process under `/usr/bin/time -v` for its peak RSS.
 *
 *   npx tsx bench/backfill.ts [--docs 100000,1000000] [--repeat N] [--batch-size N] [--workers N] [--slice 20000]
 *
 * cairn runs with its defaults (the job's batch size, one worker thread per spare core) unless told.
 * cairn and \copy alternate --repeat times (default 3 below a million documents, else 1): medians.
 */
import { spawn } from 'node:child_process'
import { isMainThread } from 'node:worker_threads'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import pg from 'pg'
import type { TableDef } from '../src/model/types.js'
import { defineBackfill, mapContext, rowsOf } from '../src/data/define-backfill.js'
import * as bz from '../src/data/bson-zod.js'
import { runBackfill } from '../src/data/run-job.js'
import { openSource } from '../src/data/sources/open-source.js'
import { connect } from '../src/db/connect.js'
import { writeCollection, writeMetadata } from '../test/fixtures/write-collection.js'
import { messageDocuments } from '../test/fixtures/generate-legacy.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const OUT = path.join(HERE, '.out')
const COLUMNS: [string, string, boolean?][] = [
  ['id', 'uuid', true], ['conversation_id', 'uuid', true], ['user_id', 'uuid'], ['parent_id', 'uuid'], ['role', 'text', true],
  ['content', 'text'], ['model', 'text'], ['provider', 'text'], ['finish_reason', 'text'], ['token_count', 'integer'],
  ['error', 'boolean', true], ['created_at', 'timestamp with time zone', true], ['updated_at', 'timestamp with time zone', true],
]
const messagesTable: TableDef = {
  kind: 'table', schema: 'bench', name: 'messages',
  columns: COLUMNS.map(([name, type, notNull]) => ({ name, type, notNull: Boolean(notNull) })),
  primaryKey: { name: 'messages_pkey', columns: ['id'] },
  uniques: [], foreignKeys: [], checks: [], indexes: [], with: {}, policies: [],
}
const ROOT = '00000000-0000-0000-0000-000000000000'

/** The benchmark's job: the seed-001 message mapping. */
export const benchMessages = defineBackfill({
  name: 'bench_messages',
  collection: 'messages',
  target: messagesTable,
  document: z.object({
    _id: bz.objectId(),
    messageId: z.string(),
    conversationId: z.string(),
    user: bz.objectId().nullish(),
    sender: z.string(),
    text: z.string().nullish(),
    parentMessageId: z.string().nullish(),
    error: z.boolean().nullish(),
    model: z.string().nullish(),
    endpoint: z.string().nullish(),
    finish_reason: z.string().nullish(),
    tokenCount: bz.int().nullish(),
    createdAt: bz.date(),
    updatedAt: bz.date().nullish(),
  }),
  map: (d, ctx) => ({
    // Keyed on _id: the generator's 32-bit-seeded messageIds collide a few times per million.
    id: ctx.uuid('messages', d._id),
    conversation_id: ctx.uuid('conversations', d.conversationId),
    user_id: ctx.ref('users', d.user),
    parent_id: !d.parentMessageId || d.parentMessageId === ROOT ? null : ctx.uuid('message-ids', d.parentMessageId),
    role: d.sender === 'User' ? 'user' : 'assistant',
    content: d.text ?? null,
    model: d.model ?? null,
    provider: d.endpoint ?? null,
    finish_reason: d.finish_reason ?? null,
    token_count: d.tokenCount ?? null,
    error: d.error ?? false,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})

const DDL = `
DROP SCHEMA IF EXISTS bench CASCADE;
DROP SCHEMA IF EXISTS cairn CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.messages (${COLUMNS.map(([n, t, nn]) => `${n} ${t}${nn ? ' NOT NULL' : ''}`).join(', ')}, CONSTRAINT messages_pkey PRIMARY KEY (id));
CREATE INDEX messages_conversation_id_idx ON bench.messages (conversation_id);
CREATE INDEX messages_user_id_idx ON bench.messages (user_id);
CREATE INDEX messages_parent_id_idx ON bench.messages (parent_id);
`

const arg = (argv: string[], name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}

/** Child: the cairn backfill of the dump. */
async function workerCairn(argv: string[]): Promise<void> {
  const db = await connect(arg(argv, 'url')!)
  const source = await openSource(arg(argv, 'dir')!)
  const started = Date.now()
  // The job's module file lets worker threads load it, as they do for jobs in migrations/data.
  const job = { ...benchMessages, origin: fileURLToPath(import.meta.url) }
  const workers = arg(argv, 'workers')
  const batchSize = arg(argv, 'batch-size')
  const [s] = await runBackfill(db, source, [job], { ...(batchSize ? { batchSize: Number(batchSize) } : {}), ...(workers ? { workers: Number(workers) } : {}) })
  const ms = Date.now() - started
  await source.close()
  await db.close()
  process.stdout.write(JSON.stringify({ ms, loaded: s!.loaded, rejected: s!.rejected, maxRssKb: process.resourceUsage().maxRSS }) + '\n')
}

/** Child: the seed's loop, one awaited INSERT per document. */
async function workerInsert(argv: string[]): Promise<void> {
  const limit = Number(arg(argv, 'limit'))
  const client = new pg.Client({ connectionString: arg(argv, 'url')! })
  await client.connect()
  const source = await openSource(arg(argv, 'dir')!)
  const ctx = mapContext(benchMessages)
  const cols = COLUMNS.map(([n]) => n)
  const sql = `INSERT INTO bench.messages (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`
  const started = Date.now()
  let n = 0
  outer: for await (const batch of source.batches('messages', { batchSize: 1000 })) {
    for (const doc of batch) {
      if (n >= limit) break outer
      const parsed = benchMessages.document.safeParse(doc)
      if (!parsed.success) continue
      const row = rowsOf(benchMessages.map(parsed.data as never, ctx as never), benchMessages).get('')![0]!
      await client.query(sql, cols.map((c) => row[c] ?? null))
      n++
    }
  }
  const ms = Date.now() - started
  await source.close()
  await client.end()
  process.stdout.write(JSON.stringify({ ms, loaded: n, maxRssKb: process.resourceUsage().maxRSS }) + '\n')
}

interface Measured {
  readonly wallMs: number
  readonly peakRssMb: number
  readonly stdout: string
}

/** Runs a command under /usr/bin/time -v and returns its wall time, peak RSS and stdout. */
function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn('/usr/bin/time', ['-v', cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      const wallMs = Date.now() - started
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr.slice(-3000)}`))
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)
      resolve({ wallMs, peakRssMb: m ? Number(m[1]) / 1024 : NaN, stdout })
    })
  })
}

async function generate(n: number): Promise<{ dir: string; csv: string; rows: number }> {
  const dir = path.join(OUT, `dump-${n}`, 'legacy')
  const csv = path.join(OUT, `messages-${n}.csv`)
  const marker = path.join(OUT, `dump-${n}.done`)
  if (!fs.existsSync(marker)) {
    fs.rmSync(path.join(OUT, `dump-${n}`), { recursive: true, force: true })
    await writeCollection(messageDocuments(n, { seed: 1 }), [{ kind: 'bson', file: path.join(dir, 'messages.bson') }])
    writeMetadata(path.join(dir, 'messages.metadata.json'), 'messages', '0'.repeat(32))
    // The same rows, mapped once ahead of time, as CSV for \copy.
    const out = fs.createWriteStream(csv)
    const ctx = mapContext(benchMessages)
    const source = await openSource(dir)
    let rows = 0
    const field = (v: unknown): string => {
      if (v === null || v === undefined) return ''
      const s = v instanceof Date ? v.toISOString() : String(v)
      return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s
    }
    for await (const batch of source.batches('messages', { batchSize: 5000 })) {
      let chunk = ''
      for (const doc of batch) {
        const p = benchMessages.document.safeParse(doc)
        if (!p.success) continue
        const row = rowsOf(benchMessages.map(p.data as never, ctx as never), benchMessages).get('')![0]!
        chunk += COLUMNS.map(([c]) => field(row[c])).join(',') + '\n'
        rows++
      }
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
    }
    await new Promise<void>((r) => out.end(() => r()))
    await source.close()
    fs.writeFileSync(marker, String(rows))
  }
  return { dir, csv, rows: Number(fs.readFileSync(marker, 'utf8')) }
}

async function reset(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  await c.query(DDL)
  await c.query('CHECKPOINT')
  await c.end()
}

async function count(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  const r = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM bench.messages')
  await c.end()
  return Number(r.rows[0]!.n)
}

/** Compiles this file and what it imports to plain JavaScript, so workers run as a built CLI would (no tsx in memory). */
async function compile(): Promise<string> {
  const dir = path.join(OUT, 'build')
  fs.writeFileSync(
    path.join(OUT, 'tsconfig.bench.json'),
    JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { noEmit: false, outDir: 'build', rootDir: '../..', sourceMap: false, declaration: false }, files: ['../backfill.ts'], include: [] }),
  )
  await new Promise<void>((resolve, reject) => {
    const c = spawn(process.execPath, [path.join(HERE, '../node_modules/typescript/bin/tsc'), '-p', path.join(OUT, 'tsconfig.bench.json')], { stdio: 'inherit' })
    c.on('exit', () => resolve())
    c.on('error', reject)
  })
  const js = path.join(dir, 'bench', 'backfill.js')
  if (!fs.existsSync(js)) throw new Error(`compiling the benchmark failed: ${js} is missing`)
  return js
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--worker') return argv[1] === 'cairn' ? workerCairn(argv) : workerInsert(argv)
  const adminUrl = process.env.DATABASE_URL
  if (!adminUrl) throw new Error('set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test)')
  const sizes = (arg(argv, 'docs') ?? '100000,1000000').split(',').map(Number)
  const passed = ['batch-size', 'workers'].flatMap((k) => (arg(argv, k) ? [`--${k}`, arg(argv, k)!] : []))
  const slice = Number(arg(argv, 'slice') ?? 20000)
  fs.mkdirSync(OUT, { recursive: true })
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query('DROP DATABASE IF EXISTS cairn_bench WITH (FORCE)')
  await admin.query('CREATE DATABASE cairn_bench')
  await admin.end()
  const u = new URL(adminUrl)
  u.pathname = '/cairn_bench'
  const url = u.toString()
  const self = await compile()
  const results: Record<string, unknown>[] = []
  for (const n of sizes) {
    const g0 = Date.now()
    const { dir, csv, rows } = await generate(n)
    process.stderr.write(`${n} documents ready in ${((Date.now() - g0) / 1000).toFixed(1)} s (${rows} valid rows)\n`)

    // cairn and \copy alternate `repeat` times (the machine's speed drifts); medians are reported.
    const repeat = Number(arg(argv, 'repeat') ?? (n >= 1_000_000 ? 1 : 3))
    const cairnRuns: { jobMs: number; wallMs: number; rss: number; rows: number; rejected: number }[] = []
    const copyRuns: { ms: number; rss: number; rows: number }[] = []
    for (let k = 0; k < repeat; k++) {
      await reset(url)
      const cairn = await measure(process.execPath, [self, '--worker', 'cairn', '--dir', dir, '--url', url, ...passed])
      const c = JSON.parse(cairn.stdout.trim().split('\n').pop()!)
      cairnRuns.push({ jobMs: c.ms, wallMs: cairn.wallMs, rss: cairn.peakRssMb, rows: await count(url), rejected: c.rejected })
      await reset(url)
      const copy = await measure('psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench.messages (${COLUMNS.map(([x]) => x).join(', ')}) FROM '${csv}' WITH (FORMAT csv)`])
      copyRuns.push({ ms: copy.wallMs, rss: copy.peakRssMb, rows: await count(url) })
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
    const c = { ms: median(cairnRuns.map((r) => r.jobMs)), rejected: cairnRuns[0]!.rejected }
    const cairn = { wallMs: median(cairnRuns.map((r) => r.wallMs)), peakRssMb: Math.max(...cairnRuns.map((r) => r.rss)) }
    const cairnRows = cairnRuns[0]!.rows
    const copy = { wallMs: median(copyRuns.map((r) => r.ms)), peakRssMb: Math.max(...copyRuns.map((r) => r.rss)) }
    const copyRows = copyRuns[0]!.rows
    if (cairnRuns.some((r) => r.rows !== cairnRows) || copyRuns.some((r) => r.rows !== copyRows)) throw new Error('row counts differ between repeats')

    await reset(url)
    const ins = await measure(process.execPath, [self, '--worker', 'insert', '--dir', dir, '--url', url, '--limit', String(slice)])
    const i = JSON.parse(ins.stdout.trim().split('\n').pop()!)

    const rate = (r: number, ms: number) => Math.round((r * 1000) / ms)
    const row = {
      docs: n,
      repeat,
      cairnRunsMs: cairnRuns.map((r) => r.jobMs),
      copyRunsMs: copyRuns.map((r) => r.ms),
      cairn: { rows: cairnRows, rejected: c.rejected, jobMs: c.ms, processMs: cairn.wallMs, rowsPerSec: rate(cairnRows, c.ms), rowsPerSecWithStartup: rate(cairnRows, cairn.wallMs), peakRssMb: Math.round(cairn.peakRssMb) },
      psqlCopy: { rows: copyRows, ms: copy.wallMs, rowsPerSec: rate(copyRows, copy.wallMs), peakRssMb: Math.round(copy.peakRssMb) },
      insertLoop: { rows: i.loaded, ms: i.ms, rowsPerSec: rate(i.loaded, i.ms), peakRssMb: Math.round(ins.peakRssMb) },
      cairnVsCopy: Number((rate(cairnRows, c.ms) / rate(copyRows, copy.wallMs)).toFixed(2)),
      cairnVsInsertLoop: Number((rate(cairnRows, c.ms) / rate(i.loaded, i.ms)).toFixed(1)),
    }
    results.push(row)
    process.stderr.write(JSON.stringify(row) + '\n')
  }
  const pad = (s: string | number, w: number) => String(s).padStart(w)
  process.stdout.write(`\n${'docs'.padEnd(9)} ${'contender'.padEnd(22)} ${pad('rows', 9)} ${pad('seconds', 8)} ${pad('rows/s', 9)} ${pad('peak RSS MB', 12)}\n`)
  for (const r of results as any[]) {
    const line = (name: string, rows: number, ms: number, rps: number, rss: number) =>
      `${String(r.docs).padEnd(9)} ${name.padEnd(22)} ${pad(rows, 9)} ${pad((ms / 1000).toFixed(1), 8)} ${pad(rps, 9)} ${pad(rss, 12)}\n`
    process.stdout.write(line('cairn backfill', r.cairn.rows, r.cairn.jobMs, r.cairn.rowsPerSec, r.cairn.peakRssMb))
    process.stdout.write(line('psql \\copy (CSV)', r.psqlCopy.rows, r.psqlCopy.ms, r.psqlCopy.rowsPerSec, r.psqlCopy.peakRssMb))
    process.stdout.write(line('INSERT per document', r.insertLoop.rows, r.insertLoop.ms, r.insertLoop.rowsPerSec, r.insertLoop.peakRssMb))
    process.stdout.write(`${''.padEnd(9)} cairn/\\copy = ${r.cairnVsCopy}× (medians of ${r.repeat}: cairn ${r.cairnRunsMs.join(', ')} ms, \\copy ${r.copyRunsMs.join(', ')} ms), cairn/INSERT loop = ${r.cairnVsInsertLoop}×, cairn with process start-up ${r.cairn.rowsPerSecWithStartup} rows/s\n`)
  }
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2))
}

const isMain = isMainThread && process.argv[1] && path.resolve(process.argv[1]).replace(/\.ts$/, '.js') === fileURLToPath(import.meta.url).replace(/\.ts$/, '.js')
if (isMain) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exitCode = 1
  })
}
