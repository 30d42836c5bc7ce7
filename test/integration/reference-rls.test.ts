/**
 * Row-level security of the reference model really isolates tenants for a non-superuser role, and
 * `cairn generate` on a project that adds a policy, a partitioned table with partitions (partitions/)
 * and a view (views/) writes a migration that applies on every engine and leaves nothing to diff.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { diff } from '../../src/diff/diff.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { inspect } from '../../src/inspect/inspect.js'
import { loadProject } from '../../src/load/load-project.js'
import { renderModel } from '../../src/sqlgen/render-model.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const REPO = path.resolve(__dirname, '../..')
const T1 = '11111111-1111-1111-1111-111111111111'
const T2 = '22222222-2222-2222-2222-222222222222'

describe.each(testEngines())('reference RLS on $name', (engine) => {
  let t: TestDatabase
  const appRole = `cairn_rls_app_${randomBytes(3).toString('hex')}`

  beforeAll(async () => {
    t = await engine.open()
    const { model } = await loadProject({ root: REPO })
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
    await t.db.exec(`
      CREATE ROLE ${appRole} NOLOGIN;
      GRANT USAGE ON SCHEMA app TO ${appRole};
      GRANT SELECT, INSERT ON app.tenants, app.users, app.conversations TO ${appRole};
      INSERT INTO app.tenants (id, name, subdomain) VALUES ('${T1}', 'one', 'one'), ('${T2}', 'two', 'two');
      INSERT INTO app.users (tenant_id, email) VALUES ('${T1}', 'a@one.test'), ('${T1}', 'b@one.test'), ('${T2}', 'c@two.test');`)
  }, 60_000)
  afterAll(async () => {
    if (t) await t.db.exec(`DROP SCHEMA app CASCADE; DROP OWNED BY ${appRole}; DROP ROLE ${appRole}`)
    await t?.dispose()
  })

  const asApp = <T>(tenant: string | undefined, fn: (q: Database) => Promise<T>): Promise<T> =>
    t.db.session(async (s) => {
      await s.exec(`SET ROLE ${appRole}`)
      try {
        if (tenant) await s.query(`SELECT set_config('app.current_tenant_id', $1, false)`, [tenant])
        return await fn(s as Database)
      } finally {
        await s.exec(`RESET ROLE; RESET app.current_tenant_id`)
      }
    })

  it('a non-superuser sees only the rows of the tenant in app.current_tenant_id', async () => {
    expect(await asApp(T1, (q) => q.query(`SELECT email FROM app.users ORDER BY email`))).toEqual([{ email: 'a@one.test' }, { email: 'b@one.test' }])
    expect(await asApp(T2, (q) => q.query(`SELECT email FROM app.users ORDER BY email`))).toEqual([{ email: 'c@two.test' }])
    // tenants itself is not tenant-scoped
    expect(await asApp(T2, (q) => q.query(`SELECT count(*)::int AS n FROM app.tenants`))).toEqual([{ n: 2 }])
    // the superuser (the migration owner here) is not subject to RLS
    expect(await t.db.query(`SELECT count(*)::int AS n FROM app.users`)).toEqual([{ n: 3 }])
  })

  it('WITH CHECK stops writing rows of another tenant; no tenant set is an error, not a leak', async () => {
    await asApp(T1, (q) => q.exec(`INSERT INTO app.users (tenant_id, email) VALUES ('${T1}', 'd@one.test')`))
    await expect(asApp(T1, (q) => q.exec(`INSERT INTO app.users (tenant_id, email) VALUES ('${T2}', 'e@two.test')`))).rejects.toMatchObject({ code: '42501' })
    // unset: "unrecognized configuration parameter", or once reset in this session '' is not a uuid
    const unset = await asApp(undefined, (q) => q.query(`SELECT * FROM app.users`)).then(() => undefined, (e: { code?: string }) => e.code)
    expect(['42704', '22P02']).toContain(unset)
    expect(await t.db.query(`SELECT email FROM app.users WHERE tenant_id = $1 ORDER BY email`, [T2])).toEqual([{ email: 'c@two.test' }])
  })
})

function cli(cwd: string) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd, env: {}, stdout: (s) => out.push(s), stderr: (s) => err.push(s), isTTY: false, exitCode: 0 }
  return async (...args: string[]) => {
    out.length = 0
    err.length = 0
    const code = await run(['node', 'cairn', ...args], ctx)
    return { code, stdout: out.join(''), stderr: err.join('') }
  }
}

const SRC = JSON.stringify(path.join(REPO, 'src', 'dsl', 'index.js'))
const SCHEMA_V1 = `import { pgSchema, text, timestamptz, uuid } from ${SRC}
export const crm = pgSchema('crm')
export const tenants = crm.table('tenants', { id: uuid().primaryKey().defaultRandom(), name: text().notNull() })
export const contacts = crm.table('contacts', {
  id: uuid().primaryKey().defaultRandom(),
  tenant_id: uuid().notNull().references(() => tenants.id),
  email: text().notNull(),
  deleted_at: timestamptz(),
})
`
const SCHEMA_V2 = SCHEMA_V1.replace('import { pgSchema,', 'import { tenantIsolation, pgSchema,').replace(
  '  deleted_at: timestamptz(),\n})',
  '  deleted_at: timestamptz(),\n}, () => [tenantIsolation()])',
)
const PARTITIONS = `import { date, index, integer, partitionOf, primaryKey, rangePartitions } from ${SRC}
import { crm } from '../schema/index.js'
export const visits = crm.table('visits', {
  tenant_id: integer().notNull(),
  day: date().notNull(),
  hits: integer().notNull().default(0),
}, (t) => [primaryKey({ columns: [t.tenant_id, t.day] }), index().on(t.day)], { partitionBy: { strategy: 'range', key: ['day'] } })
export const visitMonths = rangePartitions(visits, { from: '2026-01', every: 'month', count: 2 })
export const visitsRest = partitionOf(visits, 'visits_rest', { default: true })
`
const VIEWS = `import { sql, view } from ${SRC}
import { contacts, crm } from '../schema/index.js'
export const liveContacts = view(crm, 'live_contacts', { sql: sql\`select id, tenant_id, email from crm.contacts where deleted_at is null\`, deps: [contacts] })
`

describe('cairn generate with policies, partitions and views', () => {
  const dir = path.join(REPO, 'test', '.generated', `rls-generate-${process.pid}`)
  const write = (rel: string, body: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), body)
  }
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true })
    write('schema/index.ts', SCHEMA_V1)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('adds a policy, a partitioned table with partitions and a view in one migration that applies and leaves nothing to diff', async () => {
    const c = cli(dir)
    const first = await c('generate', 'init', '--json')
    expect(first.code, first.stderr + first.stdout).toBe(0)

    write('schema/index.ts', SCHEMA_V2)
    write('partitions/index.ts', PARTITIONS)
    write('views/index.ts', VIEWS)
    const second = await c('generate', 'rls partitions views', '--json')
    expect(second.code, second.stderr + second.stdout).toBe(0)
    const res = JSON.parse(second.stdout)
    expect(res.status).toBe('created')
    const up = readFileSync(path.join(dir, res.migration.upPath), 'utf8')
    expect(up).toContain('ALTER TABLE crm.contacts ENABLE ROW LEVEL SECURITY;')
    expect(up).toContain('ALTER TABLE crm.contacts FORCE ROW LEVEL SECURITY;')
    expect(up).toContain(
      "CREATE POLICY tenant_isolation ON crm.contacts TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));",
    )
    expect(up).toContain(') PARTITION BY RANGE (day);')
    expect(up).toContain("CREATE TABLE crm.visits_2026_01 PARTITION OF crm.visits FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');")
    expect(up).toContain('CREATE TABLE crm.visits_rest PARTITION OF crm.visits DEFAULT;')
    // the view body as pg_get_viewdef prints it, not as written
    expect(up).toMatch(/CREATE VIEW crm\.live_contacts AS\n\s*SELECT (contacts\.)?id,\n[\s\S]*\n\s+WHERE \((contacts\.)?deleted_at IS NULL\);/)
    expect((await c('generate', 'nothing')).stdout).toContain('no changes')

    const { model } = await loadProject({ root: dir })
    for (const engine of testEngines()) {
      let t: TestDatabase | undefined
      let db: Database | undefined
      try {
        t = await engine.open()
        const pgliteDir = path.join(dir, '.cairn', `apply-${engine.name}`)
        const url = engine.name === 'pglite' ? `pglite:${pgliteDir}` : t.url
        const applied = await c('migrate', 'up', '--url', url)
        expect(applied.code, `${engine.name}: ${applied.stderr}`).toBe(0)
        db = engine.name === 'pglite' ? await openPglite(pgliteDir) : t.db
        const live = await inspect(db)
        const wanted = await canonicalize(model, t.db)
        expect(diff(live, wanted).changes).toEqual([])
        const contacts = live.tables.find((x) => x.name === 'contacts')!
        expect(contacts.rls).toEqual({ enabled: true, forced: true })
        expect(live.tables.filter((x) => x.partitionOf?.parent === 'visits').map((x) => x.name)).toEqual(['visits_2026_01', 'visits_2026_02', 'visits_rest'])
        expect(live.views.map((v) => v.name)).toEqual(['live_contacts'])
      } finally {
        if (db && db !== t?.db) await db.close()
        await t?.dispose()
      }
    }
  }, 120_000)
})
