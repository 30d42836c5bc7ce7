/**
 * `cairn drift` on both engines: each of the three kinds of drift is found with exit code 1 (an
 * ungenerated definitions change; a pending and an edited migration; a hand-added index, a
 * hand-dropped column and a hand-changed view), the undo SQL it prints brings the database back,
 * --ignore, --json and --format github; bad input (2) and an unreachable server (3) without the
 * password in the output; and the reference model migrated into the PostgreSQL server shows no
 * drift against its replay in the embedded engine. The definitions hold a CHECK whose catalog text does
 * not read back as itself when applied verbatim (`IN (…)` over varchar), which must not show as drift.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { openPostgres } from '../../src/db/postgres.js'
import { hashMigrationDir, nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { migrateUp } from '../../src/migrate/runner.js'
import { drift } from '../../src/workflows/drift.js'
import type { DriftReport } from '../../src/workflows/drift.js'
import { generate } from '../../src/workflows/generate.js'
import { capturedContext } from '../helpers/cli-context.js'
import { applyMigration } from '../helpers/expect-migration.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase, TestEngine } from '../helpers/engines.js'
import { writeProject } from '../helpers/schema-project.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const REPO = path.resolve(__dirname, '../..')

const schema = (extra = '') => `import { pgSchema, uuid, text, varchar, integer, check, sql, view } from 'CAIRN'
export const shop = pgSchema('shop')
export const customers = shop.table('customers', {
  id: uuid().primaryKey().defaultRandom(),
  email: varchar(255).notNull(),
  name: text(),
  note: text(),
  visits: integer().notNull().default(0),
  status: varchar(10),${extra}
}, () => [check('customers_visits_check', sql\`visits >= 0\`), check('customers_status_check', sql\`status IN ('new', 'active')\`)])
export const activeCustomers = view(shop, 'active_customers', {
  sql: 'SELECT id, email, name FROM shop.customers WHERE visits > 0',
  deps: [customers],
})
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
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-drift-'))
  const use = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const db = await openPglite(dir)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  return { url: `pglite:${dir}`, use, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
}

async function cli(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = capturedContext(root)
  const code = await run(['node', 'cairn', 'drift', '--project', root, ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

async function report(root: string, url: string, ...args: string[]): Promise<{ code: number; r: DriftReport & { ok: boolean } }> {
  const res = await cli(root, '--url', url, '--json', ...args)
  try {
    return { code: res.code, r: JSON.parse(res.out) }
  } catch {
    throw new Error(`not JSON (exit ${res.code}): ${res.out}\n${res.err}`)
  }
}

describe.each(testEngines())('cairn drift on $name', (engine) => {
  let project: ReturnType<typeof writeProject>
  let live: Live
  let initial: string
  const file = () => path.join(project.root, 'schema', 'index.ts')
  const writeSchema = (extra = '') => {
    const dsl = path.relative(path.dirname(file()), path.join(REPO, 'src', 'dsl', 'index.js')).split(path.sep).join('/')
    writeFileSync(file(), schema(extra).replace('CAIRN', dsl))
  }
  const rehash = () => hashMigrationDir(nodeDirFsAt(project.root), 'migrations')

  beforeAll(async () => {
    project = writeProject({ 'schema/index.ts': schema() })
    const g = await generate({ root: project.root, name: 'init', now: new Date('2026-01-01T00:00:00Z') })
    initial = g.migration!.name
    live = await openLive(engine)
    await live.use((db) => migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(project.root) }))
  })
  afterAll(async () => {
    await live?.dispose()
    project?.remove()
  })

  it('finds no drift in a database migrated from the definitions (exit 0)', async () => {
    const { code, r } = await report(project.root, live.url)
    expect(code).toBe(0)
    expect(r).toMatchObject({
      ok: true,
      drift: false,
      definitions: { drift: false, items: [], sql: '' },
      migrations: { drift: false, applied: 1, items: [] },
      database: { drift: false, comparedWith: 'pglite', replayed: [initial], items: [], sql: '' },
    })
    const text = await cli(project.root, '--url', live.url)
    expect(text.code).toBe(0)
    expect(text.out).toContain('✓ definitions ≠ migrations: none')
    expect(text.out).toMatch(/no drift\n$/)
    // without the caches the history is replayed and every definition canonicalised through a database
    const uncached = await report(project.root, live.url, '--no-cache')
    expect(uncached.r.definitions.items).toEqual([])
    expect(uncached.r.database.items).toEqual([])
    expect(uncached.code).toBe(0)
  })

  it('reports a definitions change nobody has generated yet (exit 1)', async () => {
    writeSchema('\n  country: text(),')
    try {
      const { code, r } = await report(project.root, live.url)
      expect(code).toBe(1)
      expect(r.drift).toBe(true)
      expect(r.definitions.items).toEqual([
        expect.objectContaining({ drift: 'added', objectKind: 'column', object: 'shop.customers.country', changes: ['add_column'] }),
      ])
      expect(r.definitions.sql).toContain('ALTER TABLE shop.customers ADD COLUMN country text;')
      expect(r.migrations.items).toEqual([])
      expect(r.database.items).toEqual([])
      const gh = await cli(project.root, '--url', live.url, '--format', 'github')
      expect(gh.code).toBe(1)
      expect(gh.out).toContain('::warning title=cairn drift%3A definitions ≠ migrations::column shop.customers.country is added in the definitions')
    } finally {
      writeSchema()
    }
  })

  it('reports a pending migration with its file (exit 1)', async () => {
    writeSchema('\n  country: text(),')
    const g = await generate({ root: project.root, name: 'add_country', now: new Date('2026-01-02T00:00:00Z') })
    const name = g.migration!.name
    try {
      const { code, r } = await report(project.root, live.url)
      expect(code).toBe(1)
      expect(r.definitions.items).toEqual([])
      expect(r.database.items).toEqual([])
      expect(r.database.replayed).toEqual([initial])
      expect(r.migrations.items).toEqual([
        { name, status: 'pending', file: `migrations/${name}/up.sql`, message: 'not applied yet', hint: 'apply it with `cairn migrate up`' },
      ])
      const gh = await cli(project.root, '--url', live.url, '--format', 'github')
      expect(gh.out).toContain(`::warning file=migrations/${name}/up.sql,title=cairn drift%3A migration pending::${name}: not applied yet.`)
    } finally {
      rmSync(path.join(project.root, 'migrations', name), { recursive: true, force: true })
      await rehash()
      writeSchema()
    }
  })

  it('reports an applied migration edited since, and a stale cairn.sum (exit 1)', async () => {
    const up = path.join(project.root, 'migrations', initial, 'up.sql')
    const original = readFileSync(up, 'utf8')
    appendFileSync(up, '-- edited after it was applied\n')
    try {
      let { code, r } = await report(project.root, live.url)
      expect(code).toBe(1)
      expect(r.migrations.items.map((i) => i.status)).toEqual(['sum_mismatch', 'changed'])
      expect(r.migrations.items[0].file).toBe(`migrations/${initial}/up.sql`)
      await rehash()
      ;({ code, r } = await report(project.root, live.url))
      expect(code).toBe(1)
      expect(r.migrations.items).toEqual([
        expect.objectContaining({ name: initial, status: 'changed', file: `migrations/${initial}/up.sql` }),
      ])
      expect(r.database.notes).toEqual([`${initial} was edited after it was applied: it is replayed as it is now`])
      expect(r.definitions.drift || r.database.drift).toBe(false)
      const gh = await cli(project.root, '--url', live.url, '--format', 'github')
      expect(gh.out).toContain(`::error file=migrations/${initial}/up.sql,title=cairn drift%3A migration changed::`)
    } finally {
      writeFileSync(up, original)
      await rehash()
    }
  })

  it('reports a migration applied but missing, and one pending out of order (exit 1)', async () => {
    const early = '20250101000000_early'
    const dir = path.join(project.root, 'migrations', early)
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'up.sql'), 'SELECT 1;\n')
    await rehash()
    await live.use((db) => db.query(`INSERT INTO cairn.schema_migrations (name, checksum) VALUES ('20260101000001_gone', 'h1:x')`))
    try {
      const { code, r } = await report(project.root, live.url)
      expect(code).toBe(1)
      expect(r.migrations.items.map((i) => [i.name, i.status])).toEqual([[early, 'out_of_order'], ['20260101000001_gone', 'missing']])
      expect(r.migrations.items[0].message).toBe('not applied, and older than 20260101000001_gone, the last applied migration')
      expect(r.database.replayed).toEqual([initial])
      expect(r.database.notes).toEqual(['20260101000001_gone is applied but its folder is missing: it is not replayed, so what it created shows as added by hand'])
      expect(r.database.items).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await rehash()
      await live.use((db) => db.query(`DELETE FROM cairn.schema_migrations WHERE name = '20260101000001_gone'`))
    }
  })

  it('reports objects added, removed and changed by hand, with SQL that brings the database back (exit 1)', async () => {
    await live.use((db) =>
      db.exec(`CREATE INDEX customers_name_idx ON shop.customers (name);
        ALTER TABLE shop.customers DROP COLUMN note;
        CREATE OR REPLACE VIEW shop.active_customers AS SELECT id, email, name FROM shop.customers WHERE visits > 1;
        CREATE TEXT SEARCH CONFIGURATION shop.plain (COPY = pg_catalog.simple);`),
    )
    const { code, r } = await report(project.root, live.url)
    expect(code).toBe(1)
    expect(r.definitions.items).toEqual([])
    expect(r.migrations.items).toEqual([])
    const byObject = Object.fromEntries(r.database.items.map((i) => [i.object, i]))
    expect(Object.keys(byObject).sort()).toEqual(['shop.active_customers', 'shop.customers.note', 'shop.customers_name_idx', 'text search configuration shop.plain'])
    // a kind cairn does not model: named, without SQL
    expect(byObject['text search configuration shop.plain']).toMatchObject({ drift: 'added', objectKind: 'text search configuration', sql: '', manual: expect.stringContaining('cairn does not model text search configuration objects') })
    expect(byObject['shop.customers_name_idx']).toMatchObject({
      drift: 'added',
      objectKind: 'index',
      on: 'shop.customers',
      summary: 'index shop.customers_name_idx on shop.customers added by hand',
      adopt: 'declare index shop.customers_name_idx on shop.customers in schema/',
    })
    expect(byObject['shop.customers_name_idx'].sql).toMatch(/^DROP INDEX CONCURRENTLY shop\.customers_name_idx;$/)
    expect(byObject['shop.customers.note']).toMatchObject({ drift: 'removed', objectKind: 'column', adopt: 'remove column shop.customers.note from schema/' })
    expect(byObject['shop.customers.note'].sql).toContain('ALTER TABLE shop.customers ADD COLUMN note text;')
    expect(byObject['shop.active_customers']).toMatchObject({ drift: 'changed', objectKind: 'view' })
    expect(byObject['shop.active_customers'].sql).toMatch(/VIEW shop\.active_customers/)

    const text = await cli(project.root, '--url', live.url)
    expect(text.out).toContain('✗ database ≠ its applied migrations: 4 objects changed by hand')
    expect(text.out).toContain('+ index shop.customers_name_idx on shop.customers added by hand')
    expect(text.out).toContain('- column shop.customers.note removed by hand')
    const gh = await cli(project.root, '--url', live.url, '--format', 'github')
    const errors = gh.out.split('\n').filter((l) => l.startsWith('::error title=cairn drift%3A '))
    expect(errors).toHaveLength(4)
    expect(errors.find((l) => l.includes('customers_name_idx'))).toContain('%0Aundo:%0ADROP INDEX CONCURRENTLY shop.customers_name_idx;%0Aor keep it: declare index')
    expect(gh.out).toMatch(/::error title=cairn drift::drift: 0 ungenerated changes, 0 migration findings, 4 objects changed by hand on .*\n$/)

    // objects managed elsewhere are left out
    const ignored = await report(project.root, live.url, '--ignore', 'index:shop.*_name_idx', '--ignore', 'shop.customers.note', '--ignore', 'shop.plain')
    expect(ignored.r.database.items.map((i) => i.object)).toEqual(['shop.active_customers'])
    expect(ignored.r.ignore).toEqual(['index:shop.*_name_idx', 'shop.customers.note', 'shop.plain'])

    // the undo SQL brings the database back to its migrations (the text search configuration goes by hand)
    await live.use(async (db) => {
      await applyMigration(db, r.database.sql)
      await db.exec('DROP TEXT SEARCH CONFIGURATION shop.plain')
    })
    const after = await report(project.root, live.url)
    expect(after.r.database.items).toEqual([])
    expect(after.code).toBe(0)
  })

  it('refuses a bad --ignore pattern with exit 2', async () => {
    const r = await cli(project.root, '--url', live.url, '--ignore', 'bogus:x.y')
    expect(r.code).toBe(2)
    expect(r.err).toContain('bad_ignore_pattern')
  })
})

describe('cairn drift: bad input and unreachable servers', () => {
  it('exits 2 on an unsupported URL and 3 on an unreachable server, without printing the password', async () => {
    const bad = await cli(REPO, '--url', 'mysql://root:hunter2@localhost/db')
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('bad_url')
    const gone = await cli(REPO, '--url', 'postgres://cairn:s3cr3t-pw@127.0.0.1:1/nowhere', '--json')
    expect(gone.code).toBe(3)
    expect(JSON.parse(gone.out)).toMatchObject({ ok: false, error: { code: 'db_unreachable' } })
    expect(gone.out + gone.err).not.toContain('s3cr3t-pw')
    // bad input is refused before connecting (the server here is unreachable)
    const noDir = await cli(REPO, '--url', 'postgres://cairn:s3cr3t-pw@127.0.0.1:1/nowhere', '--dir', 'no-such-dir')
    expect(noDir.code).toBe(2)
    expect(noDir.err).toContain('migrations_dir_missing')
    const badIgnore = await cli(REPO, '--url', 'postgres://cairn:s3cr3t-pw@127.0.0.1:1/nowhere', '--ignore', 'a b')
    expect(badIgnore.code).toBe(2)
    expect(noDir.out + noDir.err + badIgnore.out + badIgnore.err).not.toContain('s3cr3t-pw')
  })
})

describe.runIf(process.env.DATABASE_URL)(orSkipped('cairn drift on the PostgreSQL server', !process.env.DATABASE_URL, NEEDS_DATABASE_URL), () => {
  const adminUrl = process.env.DATABASE_URL as string
  const created: string[] = []
  const createDb = async (): Promise<string> => {
    const name = `cairn_t_${randomBytes(5).toString('hex')}`
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    await c.query(`CREATE DATABASE ${name}`)
    await c.end()
    created.push(name)
    const u = new URL(adminUrl)
    u.pathname = `/${name}`
    return u.toString()
  }
  afterAll(async () => {
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await c.end()
  })

  it('shows no drift for the reference model (schema/ + migrations/) migrated into the server', async () => {
    const url = await createDb()
    const db = await openPostgres(url)
    try {
      await migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(REPO) })
      const r = await drift({ root: REPO, db })
      expect(r.database.items).toEqual([])
      expect(r.database.notes).toEqual([])
      expect(r.migrations.items).toEqual([])
      expect(r.definitions.items).toEqual([])
      expect(r.drift).toBe(false)
      // and a database-to-database diff against the same migrations in the embedded engine is empty
      const dir = mkdtempSync(path.join(tmpdir(), 'cairn-drift-ref-'))
      try {
        const lite = await openPglite(dir)
        await migrateUp(lite, { dir: 'migrations', fs: nodeDirFsAt(REPO) })
        await lite.close()
        for (const [from, to] of [[url, `pglite:${dir}`], [`pglite:${dir}`, url]]) {
          const ctx = capturedContext(REPO)
          const code = await run(['node', 'cairn', 'diff', '--from', from, '--to', to, '--exit-code'], ctx)
          expect(ctx.out, `${from} → ${to}`).toMatch(/^-- no differences/)
          expect(code).toBe(0)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    } finally {
      await db.close()
    }
  })

  it('replays in a --shadow-url database on the same server, empties it after, and refuses a non-empty one', async () => {
    const project = writeProject({ 'schema/index.ts': schema() })
    try {
      await generate({ root: project.root, name: 'init', now: new Date('2026-01-01T00:00:00Z') })
      const url = await createDb()
      const shadowUrl = await createDb()
      const db = await openPostgres(url)
      await migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(project.root) })
      await db.exec('CREATE INDEX customers_email_idx ON shop.customers (email)')
      await db.close()
      // a password in the URL is never printed (the server trusts the connection, so any password works)
      const withPassword = new URL(url)
      withPassword.password = 'pa55-word'
      const { code, r } = await report(project.root, withPassword.toString(), '--shadow-url', shadowUrl)
      expect(code).toBe(1)
      expect(r.database.comparedWith).toBe(shadowUrl)
      expect(r.database.items.map((i) => i.object)).toEqual(['shop.customers_email_idx'])
      expect(r.target).toContain(':***@')
      const text = await cli(project.root, '--url', withPassword.toString(), '--shadow-url', shadowUrl)
      expect(text.out + text.err).not.toContain('pa55-word')
      expect(text.out).toContain(`replayed in ${shadowUrl}`)
      const shadow = await openPostgres(shadowUrl)
      try {
        const left = await shadow.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('shop', 'cairn')`)
        expect(left).toEqual([])
        await shadow.exec('CREATE TABLE public.keep_me (id int)')
      } finally {
        await shadow.close()
      }
      const refused = await cli(project.root, '--url', url, '--shadow-url', shadowUrl)
      expect(refused.code).toBe(2)
      expect(refused.err).toContain('shadow_not_empty')
    } finally {
      project.remove()
    }
  })
})
