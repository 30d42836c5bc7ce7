/**
 * Tenant isolation of the reference model, as its application role `cairn_app` (no superuser, no
 * BYPASSRLS, the tenant set per transaction): with tenant A set, every read, insert, update,
 * delete and re-tag of tenant B's rows — in every tenant table, `tenants` included — fails or
 * touches nothing, and no row of A can point at a parent of B. The role cannot read the `cairn`
 * schema (history, checkpoints, rejected documents), even where default privileges give PUBLIC
 * everything. And `cairn generate` on a project that adds a policy, a partitioned table with
 * partitions (partitions/) and a view (views/) writes a migration that applies on every engine
 * and leaves nothing to diff.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import type { Database, Queryable } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { diff } from '../../src/diff/diff.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { inspect } from '../../src/inspect/inspect.js'
import { loadProject } from '../../src/load/load-project.js'
import type { Model } from '../../src/model/types.js'
import { ensureHistory } from '../../src/migrate/pg-storage.js'
import { ensureBookkeeping, writeCheckpoint } from '../../src/data/checkpoint.js'
import { applySeeds } from '../../src/seed/apply-seeds.js'
import { renderModel } from '../../src/plan/render-model.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const REPO = path.resolve(__dirname, '../..')
const APP_ROLE = 'cairn_app'
const SETTING = 'app.current_tenant_id'

type Row = Record<string, string | number>

/** One tenant's rows in every tenant table, with ids derived from the tenant's digit. */
function fixture(k: number) {
  const id = (n: number) => `${k}${k}${k}${k}${k}${k}${k}${k}-0000-4000-8000-${String(n).padStart(12, '0')}`
  const tenant = id(0)
  const u = id(1)
  const c = id(2)
  const m = id(3)
  const f = id(4)
  const f2 = id(5)
  const co = id(6)
  const rows: Record<string, Row[]> = {
    users: [{ id: u, tenant_id: tenant, email: `u@${k}.test` }],
    conversations: [{ id: c, tenant_id: tenant, user_id: u, provider: 'p', model: 'm' }],
    messages: [{ id: m, conversation_id: c, tenant_id: tenant, content: 'hello', role: 'user' }],
    files: [f, f2].map((fid) => ({
      id: fid, tenant_id: tenant, user_id: u, filename: 'f', original_name: 'f', mime_type: 'text/plain', size: 1, storage_provider: 's', storage_key: fid, url: 'u',
    })),
    message_files: [{ message_id: m, file_id: f, tenant_id: tenant }],
    document_chunks: [{ id: id(7), file_id: f, tenant_id: tenant, content: 'chunk' }],
    memories: [{ id: id(8), tenant_id: tenant, user_id: u, key: 'k', value: 'v' }],
    agents: [{ id: `agent_${k}`, tenant_id: tenant, created_by: u, name: 'a', instructions: 'i', provider: 'p', model: 'm' }],
    courses: [{ id: co, tenant_id: tenant, title: 't', instructor: 'i' }],
    modules: [{ id: id(9), course_id: co, tenant_id: tenant, title: 't' }],
    transactions: [{ id: id(10), tenant_id: tenant, user_id: u, amount: 100, status: 'paid', type: 'one_time' }],
    recordings: [{ id: id(20), tenant_id: tenant, duration: 60 }],
  }
  /** A row that is not in the table yet, in this tenant, pointing at this tenant's parents. */
  const fresh: Record<string, Row> = {
    users: { ...rows.users![0]!, id: id(11), email: `new@${k}.test` },
    conversations: { ...rows.conversations![0]!, id: id(12) },
    messages: { ...rows.messages![0]!, id: id(13), parent_id: m },
    files: { ...rows.files![0]!, id: id(14), storage_key: 'new' },
    message_files: { message_id: m, file_id: f2, tenant_id: tenant },
    document_chunks: { ...rows.document_chunks![0]!, id: id(15) },
    memories: { ...rows.memories![0]!, id: id(16) },
    agents: { ...rows.agents![0]!, id: `agent_new_${k}` },
    courses: { ...rows.courses![0]!, id: id(17) },
    modules: { ...rows.modules![0]!, id: id(18) },
    transactions: { ...rows.transactions![0]!, id: id(19) },
    recordings: { ...rows.recordings![0]!, id: id(21) },
  }
  return { tenant, rows, fresh, parents: { users: u, conversations: c, messages: m, files: f, courses: co } as Record<string, string> }
}

/** Every column of a tenant table that points at a tenant-scoped parent, and the parent table. */
const REFERENCES: [table: string, column: string, parent: string][] = [
  ['conversations', 'user_id', 'users'], ['messages', 'conversation_id', 'conversations'], ['messages', 'parent_id', 'messages'],
  ['message_files', 'message_id', 'messages'], ['message_files', 'file_id', 'files'], ['files', 'user_id', 'users'],
  ['document_chunks', 'file_id', 'files'], ['memories', 'user_id', 'users'], ['agents', 'created_by', 'users'],
  ['modules', 'course_id', 'courses'], ['transactions', 'user_id', 'users'],
]

const KEYS: Record<string, string[]> = { message_files: ['message_id', 'file_id'] }
const keyOf = (table: string) => KEYS[table] ?? (table === 'tenants' ? ['id'] : ['id'])

const insertSql = (table: string, row: Row) => {
  const cols = Object.keys(row)
  return { sql: `INSERT INTO app.${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING 1`, params: cols.map((c) => row[c]) }
}
const whereKey = (table: string, row: Row, from = 1) => {
  const key = keyOf(table)
  return { sql: key.map((c, i) => `${c} = $${i + from}`).join(' AND '), params: key.map((c) => row[c]) }
}

type Outcome = { rows: number } | { code: string }
type Statement = { sql: string; params: readonly unknown[] }
const ROLLBACK = new Error('rollback')

/**
 * Runs statements as the application role with `tenant` set for the transaction, then rolls back;
 * the outcome is the last statement's row count, or the error code of the first that fails.
 */
async function runAs(db: Database, tenant: string | undefined, sql: string | Statement[], params: readonly unknown[] = []): Promise<Outcome> {
  const statements = typeof sql === 'string' ? [{ sql, params }] : sql
  let out: Outcome | undefined
  try {
    await db.transaction(async (tx: Queryable) => {
      await tx.exec(`SET LOCAL ROLE ${APP_ROLE}`)
      if (tenant) await tx.query(`SELECT set_config($1, $2, true)`, [SETTING, tenant])
      for (const st of statements) out = { rows: (await tx.query(st.sql, st.params)).length }
      throw ROLLBACK
    })
  } catch (e) {
    if (e !== ROLLBACK) return { code: (e as { code?: string }).code ?? String(e) }
  }
  return out!
}

describe.each(testEngines())('reference tenant isolation on $name', (engine) => {
  let t: TestDatabase
  let model: Model
  const A = fixture(1)
  const B = fixture(2)
  const tables = Object.keys(A.rows)

  beforeAll(async () => {
    t = await engine.open()
    model = (await loadProject({ root: REPO })).model
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
    // the owner (a superuser here) loads both tenants
    for (const f of [A, B]) {
      await t.db.query(`INSERT INTO app.tenants (id, name, subdomain) VALUES ($1, $2, $2)`, [f.tenant, `t${f.tenant.slice(0, 1)}`])
      for (const table of tables) for (const row of f.rows[table]!) {
        const { sql, params } = insertSql(table, row)
        await t.db.query(sql, params)
      }
    }
  }, 60_000)
  afterAll(async () => t?.dispose())

  const asApp = (tenant: string | undefined, sql: string | Statement[], params: readonly unknown[] = []) => runAs(t.db, tenant, sql, params)

  it('ships a least-privilege application role: NOLOGIN, no BYPASSRLS, FORCE RLS on every app table, nothing on cairn', async () => {
    expect(await t.db.query(`SELECT rolcanlogin, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = $1`, [APP_ROLE]))
      .toEqual([{ rolcanlogin: false, rolbypassrls: false, rolsuper: false }])
    const rls = await t.db.query<{ relname: string; on: boolean; forced: boolean }>(
      `SELECT relname, relrowsecurity AS on, relforcerowsecurity AS forced FROM pg_class WHERE relnamespace = 'app'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1`,
    )
    expect(rls.map((r) => r.relname).sort()).toEqual([...tables, 'tenants'].sort())
    for (const r of rls) expect(r, r.relname).toMatchObject({ on: true, forced: true })
    const privileges = await t.db.query<{ t: string; p: string }>(
      `SELECT c.relname AS t, string_agg(x.privilege_type, ',' ORDER BY x.privilege_type) AS p
         FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) x
        WHERE c.relnamespace = 'app'::regnamespace AND x.grantee = $1::regrole GROUP BY 1 ORDER BY 1`,
      [APP_ROLE],
    )
    expect(Object.fromEntries(privileges.map((r) => [r.t, r.p]))).toEqual({
      ...Object.fromEntries(tables.map((x) => [x, 'DELETE,INSERT,SELECT,UPDATE'])),
      tenants: 'SELECT,UPDATE',
    })
    expect(await t.db.query(`SELECT has_schema_privilege($1, 'app', 'USAGE') AS app, has_schema_privilege($1, 'auth', 'USAGE') AS auth`, [APP_ROLE]))
      .toEqual([{ app: true, auth: false }])
  })

  it('as tenant A, reads, writes and re-tags its own rows (the grants are enough)', async () => {
    for (const table of tables) {
      const own = A.rows[table]![0]!
      const w = whereKey(table, own)
      expect(await asApp(A.tenant, `SELECT 1 FROM app.${table} WHERE ${w.sql}`, w.params), table).toEqual({ rows: 1 })
      expect(await asApp(A.tenant, `SELECT 1 FROM app.${table}`), table).toEqual({ rows: A.rows[table]!.length })
      expect(await asApp(A.tenant, `UPDATE app.${table} SET tenant_id = tenant_id WHERE ${w.sql} RETURNING 1`, w.params), table).toEqual({ rows: 1 })
      const ins = insertSql(table, A.fresh[table]!)
      expect(await asApp(A.tenant, ins.sql, ins.params), table).toEqual({ rows: 1 })
      const added = whereKey(table, A.fresh[table]!)
      expect(await asApp(A.tenant, [ins, { sql: `DELETE FROM app.${table} WHERE ${added.sql} RETURNING 1`, params: added.params }]), table).toEqual({ rows: 1 })
    }
    expect(await asApp(A.tenant, `SELECT id FROM app.tenants`)).toEqual({ rows: 1 })
    expect(await asApp(A.tenant, `UPDATE app.tenants SET name = 'renamed' WHERE id = $1 RETURNING 1`, [A.tenant])).toEqual({ rows: 1 })
  })

  it("as tenant A, no read, update, delete or re-tag reaches tenant B's rows, and no insert lands in B", async () => {
    for (const table of tables) {
      const theirs = B.rows[table]![0]!
      const w = whereKey(table, theirs)
      const w2 = whereKey(table, theirs, 2)
      expect(await asApp(A.tenant, `SELECT 1 FROM app.${table} WHERE ${w.sql}`, w.params), `read ${table}`).toEqual({ rows: 0 })
      expect(await asApp(A.tenant, `SELECT 1 FROM app.${table} WHERE tenant_id = $1`, [B.tenant]), `read ${table}`).toEqual({ rows: 0 })
      expect(await asApp(A.tenant, `UPDATE app.${table} SET tenant_id = tenant_id WHERE ${w.sql} RETURNING 1`, w.params), `update ${table}`).toEqual({ rows: 0 })
      expect(await asApp(A.tenant, `DELETE FROM app.${table} WHERE ${w.sql} RETURNING 1`, w.params), `delete ${table}`).toEqual({ rows: 0 })
      // re-tag B's row into A: invisible; re-tag A's own row into B: refused by WITH CHECK
      expect(await asApp(A.tenant, `UPDATE app.${table} SET tenant_id = $1 WHERE ${w2.sql} RETURNING 1`, [A.tenant, ...w2.params]), `re-tag ${table}`).toEqual({ rows: 0 })
      const mine = whereKey(table, A.rows[table]![0]!, 2)
      expect(await asApp(A.tenant, `UPDATE app.${table} SET tenant_id = $1 WHERE ${mine.sql} RETURNING 1`, [B.tenant, ...mine.params]), `re-tag ${table}`).toEqual({ code: '42501' })
      const ins = insertSql(table, B.fresh[table]!)
      expect(await asApp(A.tenant, ins.sql, ins.params), `insert ${table}`).toEqual({ code: '42501' })
    }
    // tenants: only A's own row exists for A; B's can be neither seen, changed nor removed
    expect(await asApp(A.tenant, `SELECT 1 FROM app.tenants WHERE id = $1`, [B.tenant])).toEqual({ rows: 0 })
    expect(await asApp(A.tenant, `UPDATE app.tenants SET name = 'x' WHERE id = $1 RETURNING 1`, [B.tenant])).toEqual({ rows: 0 })
    expect(await asApp(A.tenant, `UPDATE app.tenants SET id = $1 WHERE id = $2 RETURNING 1`, [A.tenant, B.tenant])).toEqual({ rows: 0 })
    expect(await asApp(A.tenant, `UPDATE app.tenants SET id = $1 WHERE id = $2 RETURNING 1`, [B.tenant, A.tenant])).toEqual({ code: '42501' })
    // removing a tenant (which cascades to all its data) and creating one are the owner's
    expect(await asApp(A.tenant, `DELETE FROM app.tenants WHERE id = $1`, [B.tenant])).toEqual({ code: '42501' })
    expect(await asApp(A.tenant, `DELETE FROM app.tenants WHERE id = $1`, [A.tenant])).toEqual({ code: '42501' })
    expect(await asApp(A.tenant, `INSERT INTO app.tenants (id, name, subdomain) VALUES (gen_random_uuid(), 'x', 'x')`)).toEqual({ code: '42501' })
    // B's data is all there
    for (const table of tables) {
      expect(await t.db.query(`SELECT 1 FROM app.${table} WHERE tenant_id = $1`, [B.tenant]), table).toHaveLength(B.rows[table]!.length)
    }
  })

  it("refuses a row of tenant A that points at a parent of tenant B, inserted or updated", async () => {
    for (const [table, column, parent] of REFERENCES) {
      const row = { ...A.fresh[table]!, [column]: B.parents[parent]! }
      const ins = insertSql(table, row)
      expect(await asApp(A.tenant, ins.sql, ins.params), `insert ${table}.${column}`).toEqual({ code: '23503' })
      const mine = whereKey(table, A.rows[table]![0]!, 2)
      expect(await asApp(A.tenant, `UPDATE app.${table} SET ${column} = $1 WHERE ${mine.sql} RETURNING 1`, [B.parents[parent]!, ...mine.params]), `update ${table}.${column}`)
        .toEqual({ code: '23503' })
    }
  })

  it('without a tenant set, every query as the role is an error, not a leak', async () => {
    for (const table of [...tables, 'tenants']) {
      const out = await asApp(undefined, `SELECT 1 FROM app.${table}`)
      // "unrecognized configuration parameter", or '' (a setting reset in this session) is not a uuid
      expect(['42704', '22P02'], table).toContain((out as { code?: string }).code)
    }
  })

  it('cannot read the cairn schema: history, seed history, checkpoints, rejects', async () => {
    await ensureHistory(t.db)
    await ensureBookkeeping(t.db)
    await applySeeds(t.db, { dir: path.join(REPO, 'seeds'), migrationsDir: path.join(REPO, 'migrations'), ignorePending: true })
    for (const table of ['schema_migrations', 'migration_progress', 'seed_history', 'backfill_rejects', 'backfill_checkpoints', 'backfill_runs']) {
      expect(await asApp(A.tenant, `SELECT * FROM cairn.${table}`), table).toEqual({ code: '42501' })
    }
  })
})

describe.each(testEngines())('the cairn schema on $name, where default privileges give PUBLIC everything', (engine) => {
  let t: TestDatabase

  beforeAll(async () => {
    t = await engine.open()
    const { model } = await loadProject({ root: REPO })
    // a convenience some databases have: every new schema and table readable by everyone
    await t.db.exec(`ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO PUBLIC; ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC`)
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
  }, 60_000)
  afterAll(async () => t?.dispose())

  it('is created without PUBLIC access, so the application role cannot read history or rejected documents', async () => {
    await ensureHistory(t.db)
    await ensureBookkeeping(t.db)
    await t.db.transaction((tx) =>
      writeCheckpoint(tx, { job: 'users', batch: 1, runId: null, lastId: '1', docs: 1, loaded: 0, rejected: 1, rows: 0, sha256: 'x' }, [
        { docId: '1', kind: 'validation', reason: 'email: invalid', document: '{"password":"$2b$10$secret"}' },
      ]),
    )
    expect(await t.db.query(`SELECT has_schema_privilege('public', 'cairn', 'USAGE') AS usage`)).toEqual([{ usage: false }])
    for (const table of ['schema_migrations', 'backfill_rejects']) {
      expect(await runAs(t.db, undefined, `SELECT * FROM cairn.${table}`), table).toEqual({ code: '42501' })
    }
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
