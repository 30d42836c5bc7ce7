/**
 * Functions and triggers in the DSL: what the loader builds, the problems it reports, the round
 * trip (canonical definitions → migration → inspected database → nothing to diff) on each engine,
 * and `generate`: a declared trigger is created once and then left alone; a trigger only the
 * history has is a destructive drop, refused without --allow-destructive.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import * as d from '../../src/dsl/index.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { collectModel } from '../../src/load/build-model.js'
import { loadSqlFragmentParser } from '../../src/load/sql-fragments.js'
import { emptyModel } from '../../src/model/types.js'
import type { Model } from '../../src/model/types.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { migrationChecker, pureSql, resetDatabase } from '../helpers/expect-migration.js'
import { renderModel } from '../../src/plan/render-model.js'

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
const ROOT = path.resolve(__dirname, '../.generated/dsl-routines')

function definitions() {
  const app = d.pgSchema('app')
  const users = app.table('users', {
    id: d.integer().primaryKey(),
    email: d.text().notNull(),
    status: d.text().notNull().default('active'),
    ...d.timestamps({ touch: true }),
  })
  const posts = app.table('posts', {
    id: d.integer().primaryKey(),
    title: d.text().notNull(),
    ...d.timestamps({ touch: true }),
  })
  const audit = app.table('audit', { id: d.bigserial().primaryKey(), what: d.text().notNull() })
  const logStatus = d.fn(app, 'log_status', {
    returns: 'trigger',
    body: `\nBEGIN\n  INSERT INTO app.audit (what) VALUES (TG_TABLE_NAME || ': ' || NEW.status);\n  RETURN NEW;\nEND\n`,
    security: 'definer',
    searchPath: ['app', 'pg_catalog'],
    comment: 'records status changes',
  })
  const statusChanged = d.trigger(users, 'status_changed', {
    timing: 'after',
    events: ['update'],
    updateOf: [users.status],
    when: d.sql`OLD.status IS DISTINCT FROM NEW.status`,
    function: logStatus,
  })
  const userCount = d.fn(app, 'user_count', {
    args: [{ name: 'p_status', type: 'text', default: "'active'" }],
    returns: 'bigint',
    language: 'sql',
    volatility: 'stable',
    strict: true,
    parallel: 'safe',
    body: 'SELECT count(*) FROM app.users WHERE status = p_status',
  })
  return { app, users, posts, audit, statusChanged, userCount }
}

beforeAll(async () => {
  await loadSqlFragmentParser()
})

describe('functions and triggers in the definitions', () => {
  it('builds the functions, the triggers and one touch function per schema', () => {
    const { model, issues } = collectModel(definitions())
    expect(issues).toEqual([])
    expect(model.functions.map((f) => `${f.schema}.${f.name}(${f.args})`)).toEqual([
      'app.log_status()',
      'app.touch_updated_at()',
      'app.user_count(p_status text)',
    ])
    expect(model.triggers.map((t) => t.definition)).toEqual([
      'CREATE TRIGGER touch_updated_at BEFORE UPDATE ON app.posts FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()',
      'CREATE TRIGGER status_changed AFTER UPDATE OF status ON app.users FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION app.log_status()',
      'CREATE TRIGGER touch_updated_at BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()',
    ])
    const userCount = model.functions.find((f) => f.name === 'user_count')!
    expect(userCount.definition).toBe(
      "CREATE OR REPLACE FUNCTION app.user_count(p_status text DEFAULT 'active')\n RETURNS bigint\n LANGUAGE sql\n STABLE PARALLEL SAFE STRICT\nAS $function$SELECT count(*) FROM app.users WHERE status = p_status$function$",
    )
  })

  it('reports SQL that would leave its place, unknown tables and undeclared schemas at their line', () => {
    const other = d.table('other', { id: d.integer().primaryKey() })
    const bad = d.fn('public', 'bad', { returns: 'integer; DROP TABLE other', language: 'sql', body: 'SELECT 1' })
    const stray = d.trigger({ schema: 'public', name: 'missing' }, 'stray', { timing: 'before', events: ['insert'], function: 'public.f' })
    const hidden = d.fn('hidden', 'f', { returns: 'void', body: 'BEGIN END' })
    const badArg = d.fn('public', 'g', { args: [{ name: 'x', type: 'int); DROP TABLE other; --' }], returns: 'void', body: 'BEGIN END' })
    const { issues } = collectModel({ other, bad, stray, hidden, badArg })
    const codes = issues.map((i) => `${i.code} ${i.object}`).sort()
    expect(codes).toEqual([
      'invalid_sql public.bad()',
      'invalid_sql public.g(x int); DROP TABLE other; --)',
      'invalid_sql public.g(x int); DROP TABLE other; --)',
      'trigger_unknown_table public.missing.stray',
      'undeclared_schema hidden.f()',
    ])
    for (const i of issues) expect(i.file).toMatch(/dsl-routines\.test\.ts:\d+/)
  })
})

describe.each(testEngines())('functions and triggers round trip on $name', (engine) => {
  let t: TestDatabase
  let canonical: Model
  beforeAll(async () => {
    t = await engine.open()
    const scratch = await openScratchPglite()
    try {
      canonical = await canonicalize(collectModel(definitions()).model, scratch)
    } finally {
      await scratch.close()
    }
  }, 120_000)
  afterAll(async () => {
    await t?.dispose()
  })
  const expectMigration = migrationChecker(() => t.db)

  it('creates them, leaves nothing to diff, and the down migration removes them', async () => {
    const sql = pureSql(emptyModel(), canonical)
    expect(sql).toContain('CREATE TRIGGER touch_updated_at BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()')
    expect(sql.findIndex((s) => s.includes('FUNCTION app.touch_updated_at()') && s.startsWith('CREATE OR REPLACE'))).toBeLessThan(
      sql.findIndex((s) => s.startsWith('CREATE TRIGGER touch_updated_at')),
    )
    await expectMigration(`dsl-routines-${engine.name}`, emptyModel(), canonical, sql)
    // and they work
    await resetDatabase(t.db)
    await t.db.exec(renderModel(canonical).map((s) => `${s};`).join('\n'))
    await t.db.exec(`INSERT INTO app.users (id, email, updated_at) VALUES (1, 'a@x', '2000-01-01')`)
    await t.db.exec(`UPDATE app.users SET status = 'gone' WHERE id = 1`)
    const [row] = await t.db.query<{ touched: boolean; n: string }>(
      `SELECT updated_at > '2001-01-01' AS touched, (SELECT count(*) FROM app.audit)::text AS n FROM app.users`,
    )
    expect(row).toEqual({ touched: true, n: '1' })
  }, 120_000)

  it('a changed function body is CREATE OR REPLACE', () => {
    const before = canonical
    const after: Model = {
      ...canonical,
      functions: canonical.functions.map((f) =>
        f.name === 'user_count' ? { ...f, definition: f.definition.replace('count(*)', 'count(1)') } : f,
      ),
    }
    const sql = pureSql(before, after)
    expect(sql).toHaveLength(1)
    expect(sql[0]).toMatch(/^CREATE OR REPLACE FUNCTION app\.user_count/)
  })
})

function cli(cwd: string) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0 }
  return async (...args: string[]) => {
    out.length = 0
    err.length = 0
    const code = await run(['node', 'cairn', ...args], ctx)
    return { code, stdout: out.join(''), stderr: err.join('') }
  }
}

afterAll(() => rmSync(ROOT, { recursive: true, force: true }))

describe.each(testEngines())('generate with triggers, migrated on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('a declared trigger is generated, applied, then left alone; one only the history has is a destructive drop', async () => {
    const dir = path.join(ROOT, engine.name)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'schema'), { recursive: true })
    writeFileSync(
      path.join(dir, 'schema', 'index.ts'),
      `import * as d from ${JSON.stringify(SRC)}
export const app = d.pgSchema('app')
export const users = app.table('users', { id: d.integer().primaryKey(), email: d.text().notNull(), ...d.timestamps({ touch: true }) })
`,
    )
    const cairn = cli(dir)
    const first = await cairn('generate', 'init')
    expect(first.code, first.stderr).toBe(0)
    const [init] = readdirSync(path.join(dir, 'migrations')).filter((n) => /_init$/.test(n))
    expect(init).toBeDefined()
    const url = engine.name === 'pglite' ? 'pglite:db' : t.url
    const up = await cairn('migrate', 'up', '--url', url)
    expect(up.code, up.stderr).toBe(0)
    const again = await cairn('generate', 'again', '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/"status": ?"no_changes"/)
    const cold = await cairn('generate', 'again', '--json', '--no-cache')
    expect(cold.stdout).toMatch(/"status": ?"no_changes"/)

    // a hand-written migration adds a trigger the definitions do not declare
    const manual = path.join(dir, 'migrations', '29990101000000_manual')
    mkdirSync(manual, { recursive: true })
    writeFileSync(
      path.join(manual, 'up.sql'),
      `SET lock_timeout = '5s';\nCREATE FUNCTION app.lower_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.email := lower(NEW.email); RETURN NEW; END $$;\n` +
        `CREATE TRIGGER lower_email BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.lower_email();\n`,
    )
    expect((await cairn('migrate', 'hash')).code).toBe(0)
    const refused = await cairn('generate', 'drop_it')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/PGK108|PGK109/)
    expect(readdirSync(path.join(dir, 'migrations')).filter((n) => /_drop_it$/.test(n))).toEqual([])
    const allowed = await cairn('generate', 'drop_it', '--allow-destructive')
    expect(allowed.code, allowed.stderr).toBe(0)
    const up2 = await cairn('migrate', 'up', '--url', url)
    expect(up2.code, up2.stderr).toBe(0)
    expect((await cairn('generate', 'after', '--json')).stdout).toMatch(/"status": ?"no_changes"/)
  }, 300_000)
})
