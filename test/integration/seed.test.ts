/**
 * `cairn seed` on every engine: apply, skip unchanged, re-run edited files, roll back a failed file,
 * refuse while migrations are pending, dry runs change nothing, the migration lock is honoured, and
 * the repo's own seeds/ apply twice on a database migrated with the repo's migrations/.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import type { Database } from '../../src/db/database.js'
import { isCairnError } from '../../src/errors.js'
import type { CairnError } from '../../src/errors.js'
import { withMigrationLock } from '../../src/migrate/lock.js'
import { openPostgres } from '../../src/db/postgres.js'
import { nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { fileChecksum } from '../../src/migrate/sum.js'
import { applySeeds } from '../../src/seed/apply-seeds.js'
import type { ApplySeedsOptions, SeedEvent } from '../../src/seed/apply-seeds.js'
import { DEFAULT_TENANT } from '../../migrations/data/_legacy.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const COLOURS = `INSERT INTO shop.colours (code, label) VALUES ('red', 'Red'), ('blue', 'Blue')
ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label;
`
const SIZES = `-- sizes
INSERT INTO shop.sizes (code, rank) VALUES ('s', 1), ('m', 2) ON CONFLICT (code) DO NOTHING;
UPDATE shop.sizes SET rank = rank WHERE code = 's';
`

function cliCtx(cwd: string): CliContext & { out: string[]; err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { cwd, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0, out, err }
}

async function cairn(cwd: string, ...args: string[]) {
  const ctx = cliCtx(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out.join(''), err: ctx.err.join('') }
}

async function caught(p: Promise<unknown>): Promise<CairnError> {
  try {
    await p
  } catch (e) {
    if (isCairnError(e)) return e
    throw e
  }
  throw new Error('expected a CairnError')
}

describe.each(testEngines())('cairn seed on $name', (engine) => {
  let t: TestDatabase
  let db: Database
  let tmp: ReturnType<typeof tempDir>
  let seeds: string
  const opts = (extra: Partial<ApplySeedsOptions> = {}): ApplySeedsOptions => ({ dir: 'seeds', migrationsDir: 'migrations', fs: nodeDirFsAt(tmp.dir), ...extra })
  const write = (name: string, sql: string) => writeFileSync(path.join(seeds, name), sql)
  const history = () => db.query<{ name: string; checksum: string; runs: number }>('select name, checksum, runs from cairn.seed_history order by name')
  const exists = async (rel: string) => (await db.query<{ r: string | null }>('select to_regclass($1)::text as r', [rel]))[0].r !== null

  beforeAll(async () => {
    t = await engine.open()
    db = t.db
    tmp = tempDir('cairn-seed-')
  })
  afterAll(async () => {
    await t?.dispose()
    tmp?.cleanup()
  })
  beforeEach(async () => {
    await db.exec('DROP SCHEMA IF EXISTS cairn CASCADE; DROP SCHEMA IF EXISTS shop CASCADE')
    await db.exec(`CREATE SCHEMA shop;
      CREATE TABLE shop.colours (code text PRIMARY KEY, label text NOT NULL);
      CREATE TABLE shop.sizes (code text PRIMARY KEY, rank int NOT NULL CHECK (rank > 0))`)
    rmSync(tmp.dir, { recursive: true, force: true })
    seeds = path.join(tmp.dir, 'seeds')
    mkdirSync(seeds, { recursive: true })
    write('001-colours.sql', COLOURS)
    write('002-sizes.sql', SIZES)
    write('README.md', 'not a seed')
  })

  it('applies new seed files in name order, each with its history row', async () => {
    const events: SeedEvent[] = []
    const r = await applySeeds(db, opts({ onEvent: (e) => events.push(e) }))
    expect(r.dryRun).toBe(false)
    expect(r.dir).toBe('seeds')
    expect(r.results.map((x) => [x.name, x.file, x.status, x.reason, x.statements, x.runs])).toEqual([
      ['001-colours', 'seeds/001-colours.sql', 'applied', 'new', 1, 1],
      ['002-sizes', 'seeds/002-sizes.sql', 'applied', 'new', 2, 1],
    ])
    expect(events.filter((e) => e.event === 'seeded').map((e) => e.name)).toEqual(['001-colours', '002-sizes'])
    expect(await db.query('select code, label from shop.colours order by code')).toEqual([{ code: 'blue', label: 'Blue' }, { code: 'red', label: 'Red' }])
    expect(await history()).toEqual([
      { name: '001-colours', checksum: fileChecksum(COLOURS), runs: 1 },
      { name: '002-sizes', checksum: fileChecksum(SIZES), runs: 1 },
    ])
  })

  it('skips unchanged files; --force runs them again without duplicating rows', async () => {
    await applySeeds(db, opts())
    const again = await applySeeds(db, opts())
    expect(again.results.map((x) => [x.status, x.reason, x.runs])).toEqual([['skipped', 'unchanged', 1], ['skipped', 'unchanged', 1]])
    const forced = await applySeeds(db, opts({ force: true }))
    expect(forced.results.map((x) => [x.status, x.reason, x.runs])).toEqual([['applied', 'forced', 2], ['applied', 'forced', 2]])
    expect((await history()).map((h) => h.runs)).toEqual([2, 2])
    expect(await db.query('select count(*)::int as n from shop.colours')).toEqual([{ n: 2 }])
    expect(await db.query('select count(*)::int as n from shop.sizes')).toEqual([{ n: 2 }])
  })

  it('re-runs only the edited file and records its new checksum', async () => {
    await applySeeds(db, opts())
    const edited = COLOURS.replace("'Red'", "'Crimson'").replace("('blue', 'Blue')", "('blue', 'Blue'), ('green', 'Green')")
    write('001-colours.sql', edited)
    const r = await applySeeds(db, opts())
    expect(r.results.map((x) => [x.name, x.status, x.reason, x.runs])).toEqual([
      ['001-colours', 'applied', 'changed', 2],
      ['002-sizes', 'skipped', 'unchanged', 1],
    ])
    expect(await db.query('select code, label from shop.colours order by code')).toEqual([
      { code: 'blue', label: 'Blue' },
      { code: 'green', label: 'Green' },
      { code: 'red', label: 'Crimson' },
    ])
    expect((await history())[0]).toEqual({ name: '001-colours', checksum: fileChecksum(edited), runs: 2 })
  })

  it('rolls back a failed file completely and reports seed_failed with file, statement and Postgres error', async () => {
    write('002-sizes.sql', "INSERT INTO shop.sizes (code, rank) VALUES ('l', 3);\n\nINSERT INTO shop.sizes (code, rank)\nVALUES ('xs', 0);\n")
    write('003-more.sql', "INSERT INTO shop.colours (code, label) VALUES ('pink', 'Pink');\n")
    const e = await caught(applySeeds(db, opts()))
    expect(e.code).toBe('seed_failed')
    expect(e.exitCode).toBe(3)
    expect(e.message).toContain('seed 002-sizes failed on statement 2 of 2 at seeds/002-sizes.sql:3')
    expect(e.message).toContain('[23514]')
    expect(e.message).toContain('sizes_rank_check')
    expect(e.message).toContain("statement: INSERT INTO shop.sizes (code, rank) VALUES ('xs', 0)")
    expect(e.file).toBe('seeds/002-sizes.sql:3')
    expect(e.hint).toContain('rolled back')
    const meta = e.meta as { statement: { index: number }; postgres: { code: string }; results: { name: string; status: string }[] }
    expect(meta.statement.index).toBe(2)
    expect(meta.postgres.code).toBe('23514')
    expect(meta.results.map((x) => [x.name, x.status])).toEqual([['001-colours', 'applied'], ['002-sizes', 'failed'], ['003-more', 'not_executed']])
    // the earlier file stays, the failed file left nothing (not even its first statement), the later one never ran
    expect(await db.query('select count(*)::int as n from shop.sizes')).toEqual([{ n: 0 }])
    expect(await db.query(`select count(*)::int as n from shop.colours where code = 'pink'`)).toEqual([{ n: 0 }])
    expect((await history()).map((h) => h.name)).toEqual(['001-colours'])
    // the session is usable and a fixed file applies
    write('002-sizes.sql', SIZES)
    const r = await applySeeds(db, opts())
    expect(r.results.map((x) => x.status)).toEqual(['skipped', 'applied', 'applied'])
  })

  it('refuses while migrations are pending unless told to ignore them, and creates nothing', async () => {
    await writeAll(path.join(tmp.dir, 'migrations'), [{ name: 'more', up: 'CREATE TABLE shop.extra (id int PRIMARY KEY);\n' }])
    const e = await caught(applySeeds(db, opts()))
    expect(e.code).toBe('pending_migrations')
    expect(e.exitCode).toBe(2)
    expect(e.message).toContain('20240101000000_more')
    expect(await exists('cairn.seed_history')).toBe(false)
    expect(await db.query('select count(*)::int as n from shop.colours')).toEqual([{ n: 0 }])
    expect((await caught(applySeeds(db, opts({ dryRun: true })))).code).toBe('pending_migrations')
    const r = await applySeeds(db, opts({ ignorePending: true }))
    expect(r.results.map((x) => x.status)).toEqual(['applied', 'applied'])
  })

  it('dry run reports what would run and changes nothing', async () => {
    const first = await applySeeds(db, opts({ dryRun: true }))
    expect(first.dryRun).toBe(true)
    expect(first.results.map((x) => [x.status, x.reason])).toEqual([['pending', 'new'], ['pending', 'new']])
    expect(await exists('cairn.seed_history')).toBe(false)
    expect(await exists('cairn')).toBe(false)
    expect(await db.query('select count(*)::int as n from shop.colours')).toEqual([{ n: 0 }])
    await applySeeds(db, opts())
    write('002-sizes.sql', SIZES + "INSERT INTO shop.sizes (code, rank) VALUES ('l', 3) ON CONFLICT (code) DO NOTHING;\n")
    const dry = await applySeeds(db, opts({ dryRun: true }))
    expect(dry.results.map((x) => [x.status, x.reason])).toEqual([['skipped', 'unchanged'], ['pending', 'changed']])
    expect(await db.query('select count(*)::int as n from shop.sizes')).toEqual([{ n: 2 }])
    expect((await history()).map((h) => h.checksum)).toEqual([fileChecksum(COLOURS), fileChecksum(SIZES)])
  })

  it('waits for the migration lock and gives up after its timeout', async () => {
    // on a server the lock is held by another connection (as by another cairn); PGlite has one session
    const holder = engine.name === 'postgres' ? await openPostgres(t.url) : db
    const events: SeedEvent[] = []
    try {
      const e = await holder.session((s) => withMigrationLock(holder, s, {}, () => caught(applySeeds(db, opts({ lockTimeoutMs: 300, onEvent: (x) => events.push(x) })))))
      expect(e.code).toBe('lock_timeout')
      expect(e.exitCode).toBe(3)
      expect(events.map((x) => x.event)).toEqual(['lock_waiting'])
    } finally {
      if (holder !== db) await holder.close()
    }
    expect(await exists('cairn.seed_history')).toBe(false)
    expect((await applySeeds(db, opts())).results.map((x) => x.status)).toEqual(['applied', 'applied'])
  })

  it('refuses misnamed files, transaction control, non-transactional statements and a missing directory before running anything', async () => {
    write('1-bad.sql', 'SELECT 1;\n')
    expect(await caught(applySeeds(db, opts()))).toMatchObject({ code: 'bad_seed_name', exitCode: 2, file: 'seeds/1-bad.sql' })
    rmSync(path.join(seeds, '1-bad.sql'))
    write('003-tx.sql', 'BEGIN;\nSELECT 1;\nCOMMIT;\n')
    expect(await caught(applySeeds(db, opts()))).toMatchObject({ code: 'transaction_control_in_seed', exitCode: 2 })
    write('003-tx.sql', 'CREATE INDEX CONCURRENTLY colours_label_idx ON shop.colours (label);\n')
    expect(await caught(applySeeds(db, opts()))).toMatchObject({ code: 'seed_not_transactional', exitCode: 2, file: 'seeds/003-tx.sql:1' })
    write('003-tx.sql', 'SELECT (;\n')
    expect((await caught(applySeeds(db, opts()))).code).toBe('sql_syntax_error')
    expect(await exists('cairn.seed_history')).toBe(false)
    expect(await db.query('select count(*)::int as n from shop.colours')).toEqual([{ n: 0 }])
    expect(await caught(applySeeds(db, opts({ dir: 'nowhere' })))).toMatchObject({ code: 'seed_dir_missing', exitCode: 2 })
  })

  it('the CLI applies seeds, skips them on a second run, and reports errors with exit codes', async () => {
    const url = engine.name === 'postgres' ? t.url : `pglite:${path.join(tmp.dir, 'db')}`
    if (engine.name === 'pglite') {
      const { openPglite } = await import('../../src/db/pglite.js')
      const p = await openPglite(path.join(tmp.dir, 'db'))
      await p.exec('CREATE SCHEMA shop; CREATE TABLE shop.colours (code text PRIMARY KEY, label text NOT NULL); CREATE TABLE shop.sizes (code text PRIMARY KEY, rank int NOT NULL)')
      await p.close()
    }
    const dry = await cairn(tmp.dir, 'seed', '--url', url, '--dry-run')
    expect(dry.code, dry.err).toBe(0)
    expect(dry.out).toContain('would run 001-colours (new, 1 statements)')
    expect(dry.out).toContain('2 of 2 seed files would run')
    const first = await cairn(tmp.dir, 'seed', '--url', url)
    expect(first.code, first.err).toBe(0)
    expect(first.out).toMatch(/seeded {3}001-colours \(new, \d+ ms\)/)
    expect(first.out).toContain('2 seed files applied, 0 unchanged')
    const second = await cairn(tmp.dir, 'seed', '--url', url, '--json')
    expect(second.code).toBe(0)
    expect(JSON.parse(second.out).results.map((x: { status: string }) => x.status)).toEqual(['skipped', 'skipped'])
    write('002-sizes.sql', "INSERT INTO shop.nowhere VALUES (1);\n")
    const failed = await cairn(tmp.dir, 'seed', '--url', url, '--json')
    expect(failed.code).toBe(3)
    expect(JSON.parse(failed.out).error).toMatchObject({ code: 'seed_failed', file: 'seeds/002-sizes.sql:1' })
    const human = await cairn(tmp.dir, 'seed', '--url', url)
    expect(human.code).toBe(3)
    expect(human.err).toContain('[seed_failed] seed 002-sizes failed on statement 1 of 1')
    expect((await cairn(tmp.dir, 'seed', '--url', url, '--lock-timeout', 'soon')).code).toBe(2)
  })

  it("applies the repo's reference seeds after `cairn migrate up`, twice, without duplicates", async () => {
    let url: string
    let check: Database
    let close = async () => {}
    if (engine.name === 'postgres') {
      await db.exec('DROP SCHEMA IF EXISTS shop CASCADE')
      url = t.url
      check = db
    } else url = `pglite:${path.join(tmp.dir, 'ref')}`
    const before = await cairn(ROOT, 'seed', '--url', url, '--json')
    expect(before.code).toBe(2)
    expect(JSON.parse(before.out).error.code).toBe('pending_migrations')
    const up = await cairn(ROOT, 'migrate', 'up', '--url', url)
    expect(up.code, up.err + up.out).toBe(0)
    for (const runNo of [1, 2]) {
      const r = await cairn(ROOT, 'seed', '--url', url, '--json')
      expect(r.code, r.out + r.err).toBe(0)
      const results = JSON.parse(r.out).results as { name: string; status: string }[]
      expect(results.length).toBeGreaterThan(0)
      expect(results.every((x) => x.status === (runNo === 1 ? 'applied' : 'skipped'))).toBe(true)
    }
    const forced = await cairn(ROOT, 'seed', '--url', url, '--force', '--json')
    expect(forced.code, forced.out).toBe(0)
    if (engine.name === 'pglite') {
      const { openPglite } = await import('../../src/db/pglite.js')
      check = await openPglite(path.join(tmp.dir, 'ref'))
      close = () => check.close()
    }
    try {
      // the default tenant the backfill jobs use, exactly once
      expect(await check!.query('select id, name, subdomain, plan::text as plan, status from app.tenants')).toEqual([
        { id: DEFAULT_TENANT, name: 'Default (migrated from MongoDB)', subdomain: 'default', plan: 'free', status: 'active' },
      ])
      const files = readFileSync(path.join(ROOT, 'seeds', '001-default-tenant.sql'), 'utf8')
      expect(files).toContain(DEFAULT_TENANT)
      expect((await check!.query<{ runs: number }>('select runs from cairn.seed_history order by name')).map((h) => h.runs).every((n) => n === 2)).toBe(true)
    } finally {
      await close()
    }
  })
})
