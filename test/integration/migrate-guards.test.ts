/**
 * The guards around the database commands: the target is always named first (and the embedded
 * default said so), a missing migration directory and a bare command group are errors, baseline
 * checks the database against the migrations, `migrate down` refuses to destroy data without
 * --allow-destructive, and `migrate status --exit-code` fails on anything not fully applied.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { capturedContext } from '../helpers/cli-context.js'
import { run } from '../../src/cli/program.js'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { hashMigrationDir, nodeDirFs } from '../../src/migrate/migration-dir.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'

async function cairn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const ctx = capturedContext(cwd, env)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

describe('commands without a database', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    tmp = tempDir('cairn-guards-')
  })
  afterAll(() => tmp.cleanup())

  it('a bare command group prints its help on stderr and exits 2', async () => {
    for (const group of [['migrate'], ['backfill'], []]) {
      const r = await cairn(tmp.dir, group)
      expect(r.code).toBe(2)
      expect(r.out).toBe('')
      expect(r.err).toContain(`Usage: cairn${group.length ? ` ${group[0]}` : ''} [options] [command]`)
    }
    expect((await cairn(tmp.dir, ['migrate', '--help'])).code).toBe(0)
    expect((await cairn(tmp.dir, ['help', 'migrate'])).code).toBe(0)
  })

  it('names the embedded default prominently when neither --url nor DATABASE_URL is given', async () => {
    await writeAll(path.join(tmp.dir, 'migrations'), [{ name: 'a', up: 'CREATE TABLE a (id int);\n' }])
    const up = await cairn(tmp.dir, ['migrate', 'up'])
    expect(up.code).toBe(0)
    expect(up.err.split('\n')[0]).toBe(
      'database: pglite:.cairn/dev (the embedded development database of this project: no --url given and DATABASE_URL is not set)',
    )
    const status = await cairn(tmp.dir, ['migrate', 'status', '--json'])
    expect(status.err.split('\n')[0]).toContain('pglite:.cairn/dev (the embedded development database')
    expect(JSON.parse(status.out).counts).toMatchObject({ applied: 1, pending: 0 })
  }, 60_000)
})

describe.each(testEngines())('guards of the migrate commands on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase | undefined
  let url: string
  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (t) return fn(t.db)
    const db = await connect(url)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  const history = () =>
    withDb(async (db) => {
      const [{ t }] = await db.query<{ t: string | null }>(`select to_regclass('cairn.schema_migrations')::text as t`)
      return t ? (await db.query<{ name: string }>('select name from cairn.schema_migrations order by name')).map((r) => r.name) : []
    })

  beforeAll(async () => {
    tmp = tempDir('cairn-guards-')
    if (engine.name === 'postgres') {
      t = await engine.open()
      url = t.url
    } else url = `pglite:${path.join(tmp.dir, 'db')}`
  })
  afterAll(async () => {
    await t?.dispose()
    tmp.cleanup()
  })
  // every test starts from an empty database
  beforeEach(() => withDb((db) => db.exec('DROP SCHEMA IF EXISTS cairn CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public')))

  it('prints the target first, without its password', async () => {
    mkdirSync(path.join(tmp.dir, 'empty'), { recursive: true })
    const r = await cairn(tmp.dir, ['migrate', 'status', '--url', url, '--dir', 'empty'])
    expect(r.code).toBe(0)
    expect(r.err.split('\n')[0]).toBe(`database: ${url} (from --url)`)
    const env = await cairn(tmp.dir, ['migrate', 'plan', '--dir', 'empty'], { DATABASE_URL: url })
    expect(env.err.split('\n')[0]).toBe(`database: ${url} (from DATABASE_URL)`)
    // seed and push name it before anything else, even when they then fail
    for (const args of [['seed', '--dir', 'no-seeds', '--migrations', 'empty'], ['push', '--project', 'no-project'], ['baseline', 'x', '--dir', 'empty']]) {
      const r = await cairn(tmp.dir, [...args, '--url', url])
      expect(r.err.split('\n')[0], args[0]).toBe(`database: ${url} (from --url)`)
    }
    if (engine.name === 'postgres') {
      // trust authentication ignores the password, so the URL still connects
      const u = new URL(url)
      u.password = 'sw0rdfish'
      const secret = await cairn(tmp.dir, ['migrate', 'status', '--url', u.toString(), '--dir', 'empty'])
      expect(secret.code).toBe(0)
      expect(secret.err.split('\n')[0]).toContain(`${u.username}:***@`)
      expect(secret.err + secret.out).not.toContain('sw0rdfish')
    }
  })

  it('a missing migration directory is an error naming the resolved path, not "up to date"', async () => {
    for (const args of [['migrate', 'up'], ['migrate', 'down'], ['migrate', 'status'], ['migrate', 'plan'], ['migrate', 'hash'], ['baseline', 'x']]) {
      const r = await cairn(tmp.dir, [...args, ...(args[1] === 'hash' ? [] : ['--url', url]), '--dir', 'migrashuns'])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err).toContain('[migrations_dir_missing]')
      expect(r.err).toContain(path.join(tmp.dir, 'migrashuns'))
      expect(r.out).not.toContain('up to date')
    }
    const j = await cairn(tmp.dir, ['migrate', 'up', '--url', url, '--dir', 'migrashuns', '--json'])
    expect(JSON.parse(j.out).error).toMatchObject({ code: 'migrations_dir_missing', meta: { resolved: path.join(tmp.dir, 'migrashuns') } })
  })

  it('baseline refuses a database that lacks what the migrations create, unless --force', async () => {
    const dir = path.join(tmp.dir, 'bl')
    const names = await writeAll(dir, [
      { name: 'users', up: 'CREATE TABLE bl_users (id int PRIMARY KEY, email text NOT NULL);\n' },
      { name: 'posts', up: 'CREATE TABLE bl_posts (id int PRIMARY KEY, user_id int REFERENCES bl_users);\nCREATE INDEX bl_posts_user_idx ON bl_posts (user_id);\n' },
    ])
    // the database holds only the first migration's table, and with a different column type
    await withDb((db) => db.exec('CREATE TABLE bl_users (id int PRIMARY KEY, email varchar(10) NOT NULL)'))
    const refused = await cairn(tmp.dir, ['baseline', names[1], '--url', url, '--dir', 'bl'])
    expect(refused.code).toBe(2)
    expect(refused.err).toContain('[baseline_mismatch]')
    expect(refused.err).toContain('create table public.bl_posts')
    expect(refused.err).toContain('bl_users.email')
    const json = JSON.parse((await cairn(tmp.dir, ['baseline', names[1], '--url', url, '--dir', 'bl', '--json'])).out)
    expect(json.error.code).toBe('baseline_mismatch')
    expect(json.error.meta.differences.map((d: { kind: string }) => d.kind)).toEqual(expect.arrayContaining(['create_table', 'alter_column_type']))
    expect(await history()).toEqual([])

    // made to match: baseline records both without running them
    await withDb((db) =>
      db.exec(
        'ALTER TABLE bl_users ALTER COLUMN email TYPE text; CREATE TABLE bl_posts (id int PRIMARY KEY, user_id int REFERENCES bl_users); CREATE INDEX bl_posts_user_idx ON bl_posts (user_id)',
      ),
    )
    const ok = await cairn(tmp.dir, ['baseline', names[1], '--url', url, '--dir', 'bl'])
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(`2 migrations recorded as applied`)
    expect(await history()).toEqual(names)
    await withDb((db) => db.exec('DROP TABLE bl_posts; DROP TABLE bl_users; DELETE FROM cairn.schema_migrations'))
    expect((await cairn(tmp.dir, ['baseline', names[0], '--url', url, '--dir', 'bl'])).code).toBe(2)

    // --force records them on an empty database
    const forced = await cairn(tmp.dir, ['baseline', names[0], '--url', url, '--dir', 'bl', '--force'])
    expect(forced.code).toBe(0)
    expect(await history()).toEqual([names[0]])
  }, 120_000)

  it('status --exit-code exits 1 when anything is pending, partial, changed or missing', async () => {
    const rel = 'st'
    const dir = path.join(tmp.dir, rel)
    const status = async (...extra: string[]) => {
      const r = await cairn(tmp.dir, ['migrate', 'status', '--url', url, '--dir', rel, ...extra])
      return { code: r.code, json: extra.includes('--json') ? JSON.parse(r.out) : undefined, out: r.out }
    }
    const names = await writeAll(dir, [
      { name: 'a', up: 'CREATE TABLE st_a (id int);\n' },
      { name: 'b', up: 'CREATE TABLE st_b (id int);\n' },
    ])
    // pending
    expect((await status()).code).toBe(0)
    const pending = await status('--exit-code', '--json')
    expect(pending.code).toBe(1)
    expect(pending.json).toMatchObject({ ok: false, counts: { pending: 2 } })
    // everything applied
    expect((await cairn(tmp.dir, ['migrate', 'up', '--url', url, '--dir', rel])).code).toBe(0)
    expect(await status('--exit-code', '--json')).toMatchObject({ code: 0, json: { ok: true, counts: { applied: 2, pending: 0 } } })
    // changed: an applied up.sql edited (and the sum recomputed)
    const bUp = path.join(dir, names[1], 'up.sql')
    writeFileSync(bUp, 'CREATE TABLE st_b (id bigint);\n')
    await hashMigrationDir(nodeDirFs, dir)
    expect(await status('--exit-code', '--json')).toMatchObject({ code: 1, json: { counts: { changed: 1 } } })
    writeFileSync(bUp, 'CREATE TABLE st_b (id int);\n')
    await hashMigrationDir(nodeDirFs, dir)
    expect((await status('--exit-code')).code).toBe(0)
    // missing: an applied migration's folder removed
    rmSync(path.join(dir, names[1]), { recursive: true })
    await hashMigrationDir(nodeDirFs, dir)
    expect(await status('--exit-code', '--json')).toMatchObject({ code: 1, json: { counts: { missing: 1 } } })
    await withDb((db) => db.exec(`DROP TABLE st_b; DELETE FROM cairn.schema_migrations WHERE name = '${names[1]}'`))
    expect((await status('--exit-code')).code).toBe(0)
    // partial: a statement-by-statement migration stopped midway
    await writeAll(
      dir,
      [{ name: 'c', up: 'CREATE TABLE st_c (x int);\nINSERT INTO st_c VALUES (1), (1);\n-- cairn:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY st_c_x ON st_c (x);\n' }],
      Date.UTC(2024, 2, 1),
    )
    expect((await cairn(tmp.dir, ['migrate', 'up', '--url', url, '--dir', rel])).code).toBe(3)
    expect(await status('--exit-code', '--json')).toMatchObject({ code: 1, json: { counts: { partial: 1 } } })
  })

  it('migrate down refuses to destroy data without --allow-destructive, and reverts nothing', async () => {
    const rel = 'dn'
    const dir = path.join(tmp.dir, rel)
    const names = await writeAll(dir, [
      { name: 'keep', up: "CREATE TABLE dn_keep (id int PRIMARY KEY, name varchar(20));\nINSERT INTO dn_keep VALUES (1, 'one'), (2, 'two');\n", down: 'DROP TABLE dn_keep;\n' },
      { name: 'widen', up: 'ALTER TABLE dn_keep ALTER COLUMN name TYPE varchar(100);\n', down: 'ALTER TABLE dn_keep ALTER COLUMN name TYPE varchar(20);\n' },
      { name: 'idx', up: 'CREATE INDEX dn_keep_name_idx ON dn_keep (name);\nALTER TABLE dn_keep ALTER COLUMN id TYPE bigint;\n', down: 'ALTER TABLE dn_keep ALTER COLUMN id TYPE int;\nDROP INDEX dn_keep_name_idx;\n' },
    ])
    const down = (...extra: string[]) => cairn(tmp.dir, ['migrate', 'down', '--url', url, '--dir', rel, ...extra])
    expect((await cairn(tmp.dir, ['migrate', 'up', '--url', url, '--dir', rel])).code).toBe(0)

    // narrowing int back from bigint is destructive too
    const idx = await down()
    expect(idx.code).toBe(2)
    expect(idx.err).toContain('[destructive_changes]')
    expect(idx.err).toContain('PGK104 type_narrowing')
    expect(idx.err).toContain('dn_keep.id (bigint → integer)')
    expect(await history()).toEqual(names)
    expect((await down('--allow-destructive')).code).toBe(0)
    expect(await history()).toEqual(names.slice(0, 2))

    // varchar(100) → varchar(20): refused, listed; nothing reverted
    const refused = await down()
    expect(refused.code).toBe(2)
    expect(refused.err).toContain(`refusing to revert ${names[1]}: 1 statement of down.sql would destroy data`)
    expect(refused.err).toContain(`dn_keep.name (character varying(100) → character varying(20))`)
    expect(refused.err).toContain(`${rel}/${names[1]}/down.sql:1`)
    expect(refused.err).toContain('--allow-destructive')
    expect(await history()).toEqual(names.slice(0, 2))

    // two migrations at once: the DROP TABLE is listed as well, and nothing of either is reverted
    const both = await down('--steps', '2', '--json')
    expect(both.code).toBe(2)
    const e = JSON.parse(both.out).error
    expect(e.code).toBe('destructive_changes')
    expect(e.meta.destructive.map((x: { code: string; kind: string; object: string }) => [x.code, x.kind, x.object])).toEqual([
      ['PGK104', 'type_narrowing', 'dn_keep.name (character varying(100) → character varying(20))'],
      ['PGK101', 'drop_table', 'dn_keep'],
    ])
    expect(await history()).toEqual(names.slice(0, 2))
    expect(await withDb((db) => db.query('select id, name from dn_keep order by id'))).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ])
    expect(
      await withDb((db) => db.query(`select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'dn_keep'::regclass and attname = 'name'`)),
    ).toEqual([{ t: 'character varying(100)' }])

    // a dry run lists them and changes nothing
    const dry = await down('--steps', '2', '--dry-run')
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('-- destroys data (refused without --allow-destructive):\n--   PGK104 type_narrowing dn_keep.name')
    expect(dry.out).toContain('--   PGK101 drop_table dn_keep (')
    expect(await history()).toEqual(names.slice(0, 2))

    // allowed: both are reverted
    const allowed = await down('--steps', '2', '--allow-destructive')
    expect(allowed.code).toBe(0)
    expect(allowed.out).toContain(`reverted ${names[1]}`)
    expect(allowed.out).toContain(`reverted ${names[0]}`)
    expect(await history()).toEqual([])
    expect(await withDb((db) => db.query(`select to_regclass('public.dn_keep') as t`))).toEqual([{ t: null }])
  })

  it('migrate down runs a down.sql that destroys nothing without the flag', async () => {
    const rel = 'safe'
    const names = await writeAll(path.join(tmp.dir, rel), [
      { name: 'ix', up: 'CREATE TABLE safe_t (id int, name varchar(20));\n', down: 'DROP TABLE safe_t;\n' },
      { name: 'widen', up: 'CREATE INDEX safe_t_idx ON safe_t (id);\nALTER TABLE safe_t ALTER COLUMN name TYPE varchar(10);\n', down: 'ALTER TABLE safe_t ALTER COLUMN name TYPE varchar(20);\nDROP INDEX safe_t_idx;\n' },
    ])
    expect((await cairn(tmp.dir, ['migrate', 'up', '--url', url, '--dir', rel])).code).toBe(0)
    const r = await cairn(tmp.dir, ['migrate', 'down', '--url', url, '--dir', rel])
    expect(r.err).toBe(`database: ${url} (from --url)\n`)
    expect(r.code).toBe(0)
    expect(await history()).toEqual([names[0]])
    expect((await cairn(tmp.dir, ['migrate', 'down', '--url', url, '--dir', rel, '--allow-destructive'])).code).toBe(0)
  })
})
