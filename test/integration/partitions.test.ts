/**
 * `cairn partitions status | maintain` on both engines: windows of every interval (daily, weekly,
 * monthly, quarterly, yearly) created ahead as declared, a second run that does nothing, status
 * exit codes, retention by drop and by detach into an archive schema, the default partition's rows
 * moved into a partition before it is attached (every row counted), and generate/drift reporting
 * nothing after maintenance, also for the reference model's audit.events. On the server: a lock
 * held on the parent (retries, exit 3, nothing half-done), a DETACH CONCURRENTLY left pending and
 * finished by the next run, and a second maintainer refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { Database } from '../../src/db/database.js'
import { connect } from '../../src/db/connect.js'
import { nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { migrateUp } from '../../src/migrate/runner.js'
import { MAINTENANCE_LOCK_KEY } from '../../src/partitions/lock.js'
import { drift } from '../../src/workflows/drift.js'
import { generate } from '../../src/workflows/generate.js'
import { capturedContext } from '../helpers/cli-context.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase, TestEngine } from '../helpers/engines.js'
import { writeProject } from '../helpers/schema-project.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const REPO = path.resolve(__dirname, '../..')

const SCHEMA = `import { pgSchema, integer, text, date, timestamp, timestamptz, primaryKey, rangePartitions } from 'CAIRN'
export const app = pgSchema('app')
export const archive = pgSchema('app_archive')
const range = (key: string) => ({ partitionBy: { strategy: 'range' as const, key: [key] } })
export const events = app.table('events', { id: integer().notNull(), at: timestamptz().notNull(), body: text() }, (t) => [primaryKey({ columns: [t.id, t.at] })], range('at'))
export const eventParts = rangePartitions(events, { from: '2026-01', every: 'month', count: 2, premake: 2, retention: '3 months', retire: 'detach', archiveSchema: 'app_archive', default: true })
export const hits = app.table('hits', { day: date().notNull(), n: integer() }, () => [], range('day'))
export const hitParts = rangePartitions(hits, { from: '2026-01-12', every: 'day', count: 2, premake: 3, retention: '5 days' })
export const visits = app.table('visits', { at: timestamptz().notNull() }, () => [], range('at'))
export const visitParts = rangePartitions(visits, { from: '2026-01-05', every: 'week', count: 1, premake: 1, retention: '2 weeks', retire: 'detach' })
export const sales = app.table('sales', { at: timestamp().notNull(), amount: integer() }, () => [], range('at'))
export const saleParts = rangePartitions(sales, { from: '2026-01', every: 'quarter', count: 1, premake: 1, with: { fillfactor: 90, autovacuum_vacuum_scale_factor: 0.05 } })
export const yearly = app.table('yearly', { on: date().notNull() }, () => [], range('on'))
export const yearParts = rangePartitions(yearly, { from: '2026-01', every: 'year', count: 1, premake: 1, retention: '1 year' })
`

interface Live {
  readonly url: string
  use<T>(fn: (db: Database) => Promise<T>): Promise<T>
  dispose(): Promise<void>
}

async function openLive(engine: TestEngine): Promise<Live> {
  if (engine.name === 'postgres') {
    const t: TestDatabase = await engine.open()
    return { url: t.url, use: (fn) => fn(t.db), dispose: () => t.dispose() }
  }
  // a PGlite directory has one opener at a time: the CLI opens it for each run
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-partitions-'))
  const use = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    // as the CLI opens it (with the extensions PGlite ships: a directory opened with them needs them)
    const db = await connect(`pglite:${dir}`)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  return { url: `pglite:${dir}`, use, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
}

async function cli(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string; json: any }> {
  const ctx = capturedContext(root)
  const code = await run(['node', 'cairn', ...args, '--project', root], ctx)
  let json: any
  try {
    json = JSON.parse(ctx.out)
  } catch {
    json = undefined
  }
  return { code, out: ctx.out, err: ctx.err, json }
}

/** Partitions of each parent (schema.name sorted) and plain tables of the archive schemas. */
async function layout(db: Database): Promise<Record<string, string[]>> {
  const rows = await db.query<{ parent: string | null; rel: string }>(
    `SELECT p.relname::text AS parent, n.nspname || '.' || c.relname AS rel
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE n.nspname IN ('app', 'app_archive') AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('events', 'hits', 'visits', 'sales', 'yearly')
      ORDER BY 2`,
  )
  const out: Record<string, string[]> = {}
  for (const r of rows) (out[r.parent ?? 'plain'] ??= []).push(r.rel)
  return out
}

const count = async (db: Database, rel: string) => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${rel}`))[0].n)

describe('cairn partitions', () => {
  let project: ReturnType<typeof writeProject>
  beforeAll(async () => {
    project = writeProject({ 'schema/index.ts': SCHEMA })
    const g = await generate({ root: project.root, name: 'init', now: new Date('2026-01-01T00:00:00Z') })
    expect(g.status).toBe('created')
  }, 240_000)
  afterAll(() => project?.remove())

  describe.each(testEngines().map((e) => [e.name, e] as const))('on %s', (_name, engine) => {
    let live: Live
    beforeAll(async () => {
      live = await openLive(engine)
      await live.use((db) => migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(project.root) }))
    }, 240_000)
    afterAll(async () => live?.dispose())

    it('creates ahead for every interval, moves the default partition rows first, and a second run does nothing', async () => {
      await live.use(async (db) => {
        await db.exec(`INSERT INTO app.events (id, at, body) VALUES (1, '2026-01-10 08:00+00', 'jan'), (2, '2026-03-05 00:00+00', 'mar'), (3, '2026-03-31 23:59:59+00', 'mar'), (4, '2026-06-01 00:00+00', 'jun')`)
        expect(await count(db, 'app.events_default')).toBe(3)
      })
      const now = '2026-01-15T12:00:00Z'
      const before = await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', now, '--json')
      expect(before.code).toBe(1)
      const ev = before.json.windows.find((w: any) => w.parent === 'app.events')
      expect(ev.missingAhead.map((s: any) => s.name)).toEqual(['events_2026_03'])
      expect(ev.default).toEqual({ name: 'app.events_default', rows: 3, rowsToMove: 2 })
      expect(before.json.due).toBe(true)

      const text = await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', now)
      expect(text.out).toMatch(/app\.events {2}monthly, premake 2, retention 3 months, then detached into app_archive, default partition events_default/)
      expect(text.out).toMatch(/default {4}app\.events_default: 3 rows \(2 belong in partitions maintenance creates: moved first\)/)
      expect(text.out).toMatch(/maintenance due/)

      const r = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', now, '--json')
      expect(r.err).not.toMatch(/error/i)
      expect(r.code).toBe(0)
      expect(r.json.steps.map((s: any) => `${s.kind} ${s.object}`)).toEqual([
        'create app.events_2026_03',
        'create app.hits_2026_01_14', 'create app.hits_2026_01_15', 'create app.hits_2026_01_16', 'create app.hits_2026_01_17', 'create app.hits_2026_01_18',
        'create app.sales_2026_q2',
        'create app.visits_2026_w03', 'create app.visits_2026_w04',
        'create app.yearly_2027',
      ])
      expect(r.json.steps[0]).toMatchObject({ rowsMoved: 2, status: 'done', from: '2026-03-01', to: '2026-04-01' })
      expect(r.json.steps[0].locks).toMatch(/^SHARE UPDATE EXCLUSIVE on app.events \(ATTACH PARTITION\); ACCESS EXCLUSIVE on the default partition/)
      await live.use(async (db) => {
        expect(await count(db, 'app.events_2026_03')).toBe(2)
        expect(await count(db, 'app.events_default')).toBe(1)
        expect(await count(db, 'app.events')).toBe(4)
        // the temporary CHECK is gone, the parent's constraints are the partition's
        const checks = await db.query<{ conname: string }>(`SELECT conname::text FROM pg_constraint WHERE conrelid = 'app.events_2026_03'::regclass AND contype = 'c'`)
        expect(checks).toEqual([])
        expect((await layout(db)).sales).toEqual(['app.sales_2026_q1', 'app.sales_2026_q2'])
        // the window's storage parameters, on the partition generate made and on the one maintenance made
        expect(await db.query(`SELECT relname::text AS p, (SELECT string_agg(x, ',' ORDER BY x) FROM unnest(reloptions) x) AS o FROM pg_class WHERE relname IN ('sales', 'sales_2026_q1', 'sales_2026_q2') ORDER BY 1`)).toEqual([
          { p: 'sales', o: null },
          { p: 'sales_2026_q1', o: 'autovacuum_vacuum_scale_factor=0.05,fillfactor=90' },
          { p: 'sales_2026_q2', o: 'autovacuum_vacuum_scale_factor=0.05,fillfactor=90' },
        ])
        // rows route into the new partitions
        await db.exec(`INSERT INTO app.hits (day, n) VALUES ('2026-01-18', 1); INSERT INTO app.visits (at) VALUES ('2026-01-25 10:00+00'); INSERT INTO app.yearly ("on") VALUES ('2027-12-31')`)
      })

      const again = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', now)
      expect(again.code).toBe(0)
      expect(again.out).toMatch(/nothing to do: every window is up to date/)
      const after = await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', now, '--json')
      expect(after.code).toBe(0)
      expect(after.json.due).toBe(false)
    }, 240_000)

    it('retires by drop and by detach (into the archive schema), keeping the archived rows', async () => {
      const now = '2026-06-10T00:00:00Z'
      const dry = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', now, '--dry-run')
      expect(dry.code).toBe(0)
      expect(dry.out).toMatch(/would retire app\.events_2026_01 \(2026-01-01 … 2026-02-01\): detach, keep it as app_archive\.events_2026_01/)
      expect(dry.out).toMatch(/ACCESS EXCLUSIVE on app\.events, briefly \(DETACH CONCURRENTLY is not allowed while a default partition exists\)/)
      expect(dry.out).toMatch(/ALTER TABLE app\.hits DETACH PARTITION app\.hits_2026_01_12 CONCURRENTLY;/)
      await live.use(async (db) => expect((await layout(db)).plain).toBeUndefined())

      const r = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', now, '--json')
      expect(r.code).toBe(0)
      const kinds = (k: string, parent: string) => r.json.steps.filter((s: any) => s.kind === k && s.parent === parent).map((s: any) => s.object)
      expect(kinds('create', 'app.events')).toEqual(['app.events_2026_04', 'app.events_2026_05', 'app.events_2026_06', 'app.events_2026_07', 'app.events_2026_08'])
      expect(kinds('retire', 'app.events')).toEqual(['app.events_2026_01', 'app.events_2026_02'])
      expect(kinds('retire', 'app.hits')).toHaveLength(7)
      expect(kinds('create', 'app.hits')).toHaveLength(9) // June 5 … 13
      expect(kinds('retire', 'app.visits')).toEqual(['app.visits_2026_w02', 'app.visits_2026_w03', 'app.visits_2026_w04'])
      expect(kinds('create', 'app.sales')).toEqual(['app.sales_2026_q3'])
      expect(r.json.steps.filter((s: any) => s.parent === 'app.yearly')).toEqual([])
      expect(r.json.steps.find((s: any) => s.object === 'app.events_2026_06').rowsMoved).toBe(1)
      await live.use(async (db) => {
        const l = await layout(db)
        expect(l.plain).toEqual(['app.visits_2026_w02', 'app.visits_2026_w03', 'app.visits_2026_w04', 'app_archive.events_2026_01', 'app_archive.events_2026_02'])
        expect(l.hits).toEqual(Array.from({ length: 9 }, (_, i) => `app.hits_2026_06_${String(5 + i).padStart(2, '0')}`))
        expect(l.events).toEqual(['app.events_2026_03', 'app.events_2026_04', 'app.events_2026_05', 'app.events_2026_06', 'app.events_2026_07', 'app.events_2026_08', 'app.events_default'])
        // archived rows are kept; nothing else was lost
        expect(await count(db, 'app_archive.events_2026_01')).toBe(1)
        expect(await count(db, 'app.events')).toBe(3)
        expect(await count(db, 'app.events_default')).toBe(0)
        expect(await count(db, 'app.visits_2026_w04')).toBe(1)
        const [c] = await db.query<{ c: string }>(`SELECT obj_description('app_archive.events_2026_01'::regclass, 'pg_class') AS c`)
        expect(c.c).toBe("cairn partitions: retired from app.events, FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')")
      })
      expect((await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', now, '--json')).json.steps).toEqual([])
      expect((await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', now)).code).toBe(0)
    }, 240_000)

    it('leaves what maintenance made out of generate and drift', async () => {
      const g = await generate({ root: project.root, name: 'nothing', dryRun: true })
      expect(g.status).toBe('no_changes')
      // rolling the declared window forward writes no migration either: its partitions are maintenance's
      const file = path.join(project.root, 'schema', 'index.ts')
      const original = readFileSync(file, 'utf8')
      try {
        writeFileSync(file, original.replace("from: '2026-01', every: 'month', count: 2", "from: '2026-04', every: 'month', count: 3"))
        expect((await generate({ root: project.root, name: 'rolled', dryRun: true })).status).toBe('no_changes')
      } finally {
        writeFileSync(file, original)
      }
      const d = await cli(project.root, 'drift', '--url', live.url, '--json')
      expect(d.json?.database?.items ?? d.out).toEqual([])
      expect(d.json.definitions.items).toEqual([])
      expect(d.code).toBe(0)
    }, 240_000)

    it('maintains the reference model\'s audit.events, and drift finds nothing after', async () => {
      const ref = await openLive(engine)
      try {
        await ref.use((db) => migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(REPO) }))
        const r = await cli(REPO, 'partitions', 'maintain', '--url', ref.url, '--now', '2027-02-10', '--json')
        expect(r.code).toBe(0)
        expect(r.json.steps.filter((s: any) => s.kind === 'create')).toHaveLength(11) // July 2026 … May 2027
        expect(r.json.steps.filter((s: any) => s.kind === 'retire').map((s: any) => s.object)).toEqual(['audit.events_2026_01'])
        await ref.use(async (db) => {
          const rep = await drift({ root: REPO, db })
          expect(rep.database.items).toEqual([])
          expect(rep.definitions.items).toEqual([])
          expect(rep.drift).toBe(false)
        })
      } finally {
        await ref.dispose()
      }
    }, 240_000)
  })

  describe.runIf(process.env.DATABASE_URL)(orSkipped('on the server, under concurrent sessions', !process.env.DATABASE_URL, NEEDS_DATABASE_URL), () => {
    const engine = testEngines().find((e) => e.name === 'postgres')
    let live: Live
    let other: pg.Client
    beforeAll(async () => {
      live = await openLive(engine!)
      await live.use((db) => migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(project.root) }))
      other = new pg.Client({ connectionString: live.url, application_name: 'other-session' })
      await other.connect()
    }, 240_000)
    afterAll(async () => {
      await other?.end()
      await live?.dispose()
    })

    it('retries a lock held on the parent, then exits 3 with nothing half-done', async () => {
      await other.query('BEGIN')
      await other.query('LOCK TABLE app.events IN SHARE MODE')
      const started = Date.now()
      const r = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', '2026-01-15T12:00:00Z', '--lock-timeout', '200ms', '--retries', '2', '--json')
      const took = Date.now() - started
      await other.query('ROLLBACK')
      expect(r.code).toBe(3)
      expect(r.json.ok).toBe(false)
      expect(r.json.error.code).toBe('lock_timeout')
      expect(r.json.error.message).toMatch(/create app\.events_2026_03 .*: could not get its locks within lock_timeout 200ms in 3 attempts, held by pid \d+ \(other-session, idle in transaction\): ShareLock on app\.events/)
      expect(r.json.error.message).toMatch(/the step was rolled back: nothing of it was done; no step had run/)
      expect(took).toBeGreaterThanOrEqual(3 * 200 + 500 + 1000)
      await live.use(async (db) => {
        expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'events_2026_03'`)).toEqual([])
        expect((await layout(db)).hits).toEqual(['app.hits_2026_01_12', 'app.hits_2026_01_13'])
      })
      // once the lock is gone, the next run does it all
      const ok = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', '2026-01-15T12:00:00Z', '--json')
      expect(ok.code).toBe(0)
      expect(ok.json.steps).toHaveLength(10)
    }, 240_000)

    it('leaves a DETACH CONCURRENTLY pending when its wait times out, and the next run finishes it', async () => {
      // an open transaction that read app.hits: DETACH CONCURRENTLY's second phase waits for it
      await other.query('BEGIN')
      await other.query('SELECT count(*) FROM app.hits')
      const r = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', '2026-01-25T00:00:00Z', '--lock-timeout', '200ms', '--retries', '1', '--json')
      expect(r.code).toBe(3)
      expect(r.json.error.code).toBe('lock_timeout')
      expect(r.json.error.message).toMatch(/retire app\.hits_2026_01_12 .*app\.hits_2026_01_12 is left DETACH PENDING: the next run finishes the detach/)
      await live.use(async (db) => {
        const [p] = await db.query<{ pending: boolean }>(`SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = 'app.hits_2026_01_12'::regclass`)
        expect(p.pending).toBe(true)
        // the creates before it are done
        expect((await layout(db)).hits).toContain('app.hits_2026_01_28')
      })
      const status = await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', '2026-01-25T00:00:00Z', '--json')
      expect(status.code).toBe(1)
      await other.query('COMMIT')
      const ok = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', '2026-01-25T00:00:00Z', '--json')
      expect(ok.code).toBe(0)
      expect(ok.json.steps[0]).toMatchObject({ kind: 'finalize_detach', object: 'app.hits_2026_01_12' })
      await live.use(async (db) => {
        expect(await db.query(`SELECT 1 FROM pg_class WHERE relname = 'hits_2026_01_12'`)).toEqual([])
        expect((await layout(db)).hits?.[0]).toBe('app.hits_2026_01_20')
      })
      expect((await cli(project.root, 'partitions', 'status', '--url', live.url, '--now', '2026-01-25T00:00:00Z')).code).toBe(0)
    }, 240_000)

    it('refuses to run beside another maintainer', async () => {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [MAINTENANCE_LOCK_KEY.toString()])
      try {
        const r = await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', '2026-03-01', '--lock-wait', '300ms', '--json')
        expect(r.code).toBe(3)
        expect(r.json.error.code).toBe('maintenance_running')
        expect(r.json.error.message).toMatch(/another cairn partitions maintain is running .* \(pid \d+\): nothing was done/)
      } finally {
        await other.query('SELECT pg_advisory_unlock($1::bigint)', [MAINTENANCE_LOCK_KEY.toString()])
      }
      // bad input: exit 2 before connecting
      expect((await cli(project.root, 'partitions', 'maintain', '--url', live.url, '--now', 'tomorrow')).code).toBe(2)
      expect((await cli(project.root, 'partitions', 'status', '--url', 'postgres://nobody@127.0.0.1:1/x?connect_timeout=2')).code).toBe(3)
    }, 240_000)
  })
})
