/**
 * `cairn pull` on each engine: the reference model migrated by this repo's migrations pulls into
 * definitions that `cairn generate` finds nothing to add to; a schema with one of each kind pulls
 * exactly (loaded back, and applied to an empty database, it is the same schema) into definitions
 * that type-check; what the DSL cannot express is warned about and commented; and the command
 * refuses to overwrite, shows a diff, overwrites when forced, and exits by --strict.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { Project, ts } from 'ts-morph'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { inspect } from '../../src/inspect/inspect.js'
import { loadProject } from '../../src/load/load-project.js'
import { nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { migrateUp } from '../../src/migrate/runner.js'
import { compareModels } from '../../src/pull/compare.js'
import { pullDatabase } from '../../src/pull/index.js'
import { renderModel } from '../../src/plan/render-model.js'
import { generate } from '../../src/workflows/generate.js'
import { capturedContext } from '../helpers/cli-context.js'
import { testEngines } from '../helpers/engines.js'
import type { TestEngine } from '../helpers/engines.js'

const REPO = path.resolve(__dirname, '../..')
const DSL = path.join(REPO, 'src', 'dsl', 'index.js')
const GEN = path.join(REPO, 'test', '.generated', 'pull')
const SCENARIO = readFileSync(path.join(REPO, 'test', 'fixtures', 'pull', 'scenario.sql'), 'utf8')

/** A database the CLI can reach by URL: a PGlite folder (closed while the CLI has it), or a server database. */
async function urlDatabase(engine: TestEngine): Promise<{ url: string; open(): Promise<Database>; dispose(): Promise<void> }> {
  if (engine.name === 'pglite') {
    const dir = path.join(GEN, `db-${randomBytes(4).toString('hex')}`)
    // opened as the CLI opens it (with the extensions PGlite ships), so either may open it next
    return { url: `pglite:${dir}`, open: () => openPglite(dir, { extensions: 'all' }), dispose: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const t = await engine.open()
  await t.db.close()
  const { openPostgres } = await import('../../src/db/postgres.js')
  return { url: t.url, open: () => openPostgres(t.url), dispose: () => t.dispose() }
}

async function withDb<T>(d: { open(): Promise<Database> }, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await d.open()
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

const cli = async (cwd: string, ...args: string[]) => {
  const ctx = capturedContext(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

const newDir = (name: string) => {
  const dir = path.join(GEN, `${name}-${randomBytes(4).toString('hex')}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Roles the scenario creates, unique to the run (roles are cluster-wide on a server). */
const roles = { a: `pull_a_${randomBytes(3).toString('hex')}`, b: `pull_b_${randomBytes(3).toString('hex')}` }
const scenarioSql = SCENARIO.replaceAll('ROLE_A', roles.a).replaceAll('ROLE_B', roles.b)

afterAll(async () => {
  if (!process.env.DATABASE_URL) return
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await c.connect()
  for (const r of [roles.b, roles.a]) await c.query(`DROP ROLE IF EXISTS ${r}`).catch(() => {})
  await c.end()
})

for (const engine of testEngines()) {
  describe(`cairn pull on ${engine.name}`, () => {
    it('pulls the reference model into definitions that generate nothing against the migrations that made it', async () => {
      const target = await urlDatabase(engine)
      const root = newDir(`reference-${engine.name}`)
      try {
        const live = await withDb(target, async (db) => {
          await migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(REPO) })
          return inspect(db)
        })
        const r = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--json')
        expect(r.code, r.err).toBe(0)
        const report = JSON.parse(r.out)
        expect(report.warnings).toEqual([])
        const paths = report.files.map((f: { path: string }) => f.path)
        expect(paths[0]).toBe('schema/index.ts')
        expect(paths).toEqual(expect.arrayContaining(['app', 'audit', 'auth', 'documents', 'workspaces', 'roles'].map((f) => `schema/${f}.ts`)))
        const app = readFileSync(path.join(root, 'schema', 'app.ts'), 'utf8')
        for (const helper of ['...tenantScoped(() => tenants.id)', '...timestamps()', 'tenantKey()', 'tenantIsolation()', "tenantIsolation({ column: 'id' })",
          "tenantReference(t.parent_id, (): AnyTable => messages)", "grant(['SELECT', 'UPDATE'], { on: tenants, to: cairn_app })"]) expect(app).toContain(helper)
        expect(readFileSync(path.join(root, 'schema', 'audit.ts'), 'utf8')).toContain("rangePartitions(events, { from: '2026-01', every: 'month', count: 6 })")
        // loaded as a project, the definitions are the database's schema, text for text
        const loaded = await loadProject({ root })
        expect(compareModels(live, loaded.model)).toEqual([])
        // and generate, against the migrations that made the database, has nothing to do
        cpSync(path.join(REPO, 'migrations'), path.join(root, 'migrations'), { recursive: true })
        const g = await generate({ root, name: 'after_pull', dryRun: true })
        expect(g.changes).toEqual([])
        expect(g.status).toBe('no_changes')
      } finally {
        await target.dispose()
        rmSync(root, { recursive: true, force: true })
      }
    })

    it('writes one of each kind exactly: loaded back, and applied to an empty database, it is the same schema', async () => {
      const a = await engine.open()
      const b = await engine.open()
      const out = newDir(`scenario-${engine.name}`)
      try {
        await a.db.exec(scenarioSql)
        const pulled = await pullDatabase(a.db, { dslImport: DSL })
        expect(pulled.warnings.map((w) => w.message)).toEqual([])
        expect(pulled.check.differences).toEqual([])
        const text = (f: string) => pulled.files.find((x) => x.path === f)!.text
        const shop = text('shop.ts')
        for (const s of [
          '...tenantScoped(() => tenants.id)', '...softDelete()', '...timestamps()', 'tenantKey()', 'tenantIsolation({ force: false })',
          "tenantIsolation({ column: 'id' })", `policy('readers', { as: 'restrictive', for: 'select', to: ${roles.a}, using: sql\`(deleted_at IS NULL)\` })`,
          "export const status = shop.enum('status', ['draft', 'paid', 'shipped', \"it's odd\"]).comment('Order status')",
          "id: bigint().primaryKey().generatedAlwaysAsIdentity({ start: 100, increment: 10 })", 'n: smallint().generatedByDefaultAsIdentity()', 'id: serial()', 'big: bigserial()', "status: status().notNull().default('draft')",
          'total: numeric().generatedAlwaysAs(sql`((quantity)::numeric * unit_price)`)', "tags: text().array().default(['a', 'b c'])",
          "prefs: jsonb().default({ size: 3, theme: 'dark' })", "note: text().default(\"it's \\\\ fine\")", "'Display Name': text().collate('C')",
          "index('customers_lower_email_idx').on(expr(sql`lower((email)::text)`).desc().nullsLast())",
          "index().using('gin', t.prefs.op('jsonb_path_ops')).with({ fastupdate: 'off' })",
          "rangePartitions(events, { from: '2026-01', every: 'month', count: 3 })",
          "partitionOf(regions, 'regions_eu', { in: ['de', 'fr'] }, { partitionBy: { strategy: 'hash', key: ['n'] } })",
          "partitionOf(regions_eu, 'regions_eu_0', { modulus: 2, remainder: 0 })",
          "partitionOf(readings, 'readings_low', { from: [MINVALUE, MINVALUE], to: [100, 0] })",
          "order_id: bigint().notNull().references(() => orders.id, { deferrable: 'deferred' })",
          "grant(['USAGE'], { on: { schema: 'shop', name: 'invoice_no', kind: 'sequence' }, to: " + roles.a + ' })',
          "shop.sequence('invoice_no', { type: 'integer', start: 1000, increment: 5, max: 999999, cache: 10, cycle: true, comment: 'Invoice numbers' })",
        ]) expect(shop).toContain(s)
        // names that are not identifiers, collide, or shadow an import; a cycle of foreign keys
        expect(text('Odd_Schema.ts')).toContain("$name_: text('$name'),")
        expect(text('Odd_Schema.ts')).toContain("st: customType<'draft' | 'paid' | 'shipped' | \"it's odd\">('shop.status'),")
        expect(text('public.ts')).toContain("export const public_text = table('text', {")
        expect(text('reporting.ts')).toContain('b_id: integer().references((): AnyColumn => b.id)')
        for (const s of [
          "export const positive = domain(shop, 'positive', integer(), { notNull: true, default: sql`1`, check: sql`(VALUE > 0)` })",
          "check: { sku_short: sql`(length((VALUE)::text) > 2)`, sku_upper: sql`((VALUE)::text = upper((VALUE)::text))` }",
          'qty: positive(),', 'sku: sku(),',
          "export const touch = fn(shop, 'touch', {", "export const add = fn(shop, 'add', {",
          "args: ['a integer', { name: 'b', type: 'integer', default: '1' }]",
          "export const orders_touch = trigger(orders, 'orders_touch', {",
          "updateOf: ['status', 'quantity']", '...timestamps({ touch: true }),', 'when: sql`(old.status IS DISTINCT FROM new.status)`', 'function: touch,',
          'sqlBody: sql`RETURN (n * 2)`', 'cost: 5,\n  rows: 10,', "searchPath: ['shop', 'pg_temp']",
          "args: ['IN n integer', { mode: 'out', name: 'm', type: 'integer' }]", 'procedure: true',
          'constraint: { deferrable: true, initiallyDeferred: true },', "enabled: 'disabled',",
        ]) expect(shop).toContain(s)
        expect(text('reporting.ts')).toContain("trigger(paid_orders, 'paid_orders_note', { timing: 'instead of', events: ['insert'], function: 'shop.touch', args: ['a', 'b'] })")
        expect(text('roles.ts')).toContain(`role('${roles.b}', { login: true, inherit: false, bypassRls: true, memberOf: [${roles.a}] })`)

        // the definitions' SQL, applied to an empty database, inspects back as the same schema (the
        // renderer writes no COMMENT ON VIEW, SEQUENCE or FUNCTION yet: those are left out of this comparison)
        await b.db.transaction(async (tx) => {
          for (const s of renderModel(pulled.check.loaded.model!)) await tx.exec(s)
        })
        const again = compareModels(pulled.model, await inspect(b.db)).filter((d) => !/^(views|sequences|functions)\/[^/]+\/comment$/.test(d.path))
        expect(again).toEqual([])

        if (engine.name === 'pglite') {
          // the files type-check as they are (strict, NodeNext), cycles and odd names included
          for (const f of pulled.files) writeFileSync(path.join(out, f.path), f.text)
          const project = new Project({
            compilerOptions: {
              target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
              strict: true, skipLibCheck: true, noEmit: true, types: ['node'],
            },
          })
          project.addSourceFilesAtPaths(path.join(out, '*.ts'))
          const errors = project.getPreEmitDiagnostics().filter((d) => d.getSourceFile()?.getFilePath().startsWith(out))
          expect(project.formatDiagnosticsWithColorAndContext(errors)).toBe('')
        }
      } finally {
        await a.dispose()
        await b.dispose()
        rmSync(out, { recursive: true, force: true })
      }
    })

    it('writes default privileges and collations with their helpers: the definitions generate nothing against the migration that made them', async () => {
      const target = await urlDatabase(engine)
      const root = newDir(`defaults-${engine.name}`)
      const r = roles.a
      const sql = [
        `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r}') THEN CREATE ROLE ${r}; END IF; END $$;`,
        'CREATE SCHEMA shop;',
        "CREATE COLLATION shop.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);",
        "CREATE COLLATION shop.bytes (provider = libc, locale = 'C');",
        "COMMENT ON COLLATION shop.bytes IS 'byte order';",
        'CREATE TABLE shop.people (id integer PRIMARY KEY, email text COLLATE shop.ci, code text COLLATE shop.bytes);',
        `ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO ${r};`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT USAGE ON SEQUENCES TO ${r} WITH GRANT OPTION;`,
        'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;',
        `ALTER DEFAULT PRIVILEGES FOR ROLE ${r} IN SCHEMA shop GRANT SELECT ON TABLES TO PUBLIC;`,
        '',
      ].join('\n')
      try {
        const live = await withDb(target, async (db) => {
          await db.exec(sql)
          return inspect(db)
        })
        expect(live.defaultPrivileges).toHaveLength(4)
        const p = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--json')
        expect(p.code, p.err).toBe(0)
        expect(JSON.parse(p.out).warnings).toEqual([])
        const shop = readFileSync(path.join(root, 'schema', 'shop.ts'), 'utf8')
        expect(shop).toContain("export const ci = collation(shop, 'ci', { provider: 'icu', locale: 'und-u-ks-level2', deterministic: false })")
        expect(shop).toContain("export const bytes = collation(shop, 'bytes', { provider: 'libc', locale: 'C', comment: 'byte order' })")
        expect(shop).toMatch(new RegExp(`defaultPrivileges\\(\\{\\s*inSchema: shop,\\s*on: 'sequences',\\s*grant: \\['USAGE'\\],\\s*to: ${r},\\s*withGrantOption: true\\s*\\}\\)`))
        expect(shop).toMatch(new RegExp(`defaultPrivileges\\(\\{\\s*forRole: ${r},\\s*inSchema: shop,\\s*on: 'tables',\\s*grant: \\['SELECT'\\],\\s*to: 'public'\\s*\\}\\)`))
        expect(readFileSync(path.join(root, 'schema', 'roles.ts'), 'utf8')).toMatch(/defaultPrivileges\(\{\s*on: 'functions',\s*revoke: \['EXECUTE'\],\s*from: 'public'\s*\}\)/)
        const loaded = await loadProject({ root })
        expect(compareModels(live, loaded.model)).toEqual([])
        const init = path.join(root, 'migrations', '20260101000000_init')
        mkdirSync(init, { recursive: true })
        writeFileSync(path.join(init, 'up.sql'), sql)
        writeFileSync(path.join(init, 'down.sql'), 'SELECT 1;\n')
        expect((await cli(root, 'migrate', 'hash')).code).toBe(0)
        const g = await generate({ root, name: 'after_pull', dryRun: true })
        expect(g.changes).toEqual([])
        expect(g.status).toBe('no_changes')
      } finally {
        await target.dispose()
        rmSync(root, { recursive: true, force: true })
      }
    })

    it('warns about what the DSL cannot express, writes it as a comment, and exits 1 with --strict', async () => {
      const target = await urlDatabase(engine)
      const root = newDir(`lossy-${engine.name}`)
      try {
        await withDb(target, (db) =>
          db.exec(`
            CREATE DOMAIN public.positive AS integer CONSTRAINT positive_check CHECK (VALUE > 0);
            COMMENT ON CONSTRAINT positive_check ON DOMAIN public.positive IS 'checks have no comments in domain()';
            CREATE TABLE public.items (id integer PRIMARY KEY, qty public.positive, CONSTRAINT items_id_check CHECK (id > 0) NO INHERIT,
              touched timestamptz, during tstzrange, CONSTRAINT items_no_overlap EXCLUDE USING gist (during WITH &&) INCLUDE (id));
            CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql SET work_mem TO '64MB' AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
            CREATE CONSTRAINT TRIGGER items_touch AFTER UPDATE ON public.items FROM public.items DEFERRABLE FOR EACH ROW EXECUTE FUNCTION public.touch();
            CREATE SEQUENCE public.item_numbers OWNED BY public.items.id;
            CREATE AGGREGATE public.total(integer) (SFUNC = int4pl, STYPE = integer);
          `),
        )
        const r = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--out', 'defs', '--json', '--strict')
        expect(r.code, r.err).toBe(1)
        const report = JSON.parse(r.out)
        expect(report.warnings.map((w: { code: string; category: string }) => `${w.code}: ${w.category}`).sort()).toEqual([
          'lost_detail: check NO INHERIT', 'lost_detail: exclusion constraint', 'lost_detail: sequence OWNED BY', 'not_in_dsl: domain', 'not_in_dsl: function', 'not_in_dsl: trigger',
        ])
        expect(report.warnings.find((w: { category: string }) => w.category === 'function').file).toBe('defs/public.ts')
        const file = readFileSync(path.join(root, 'defs', 'public.ts'), 'utf8')
        expect(file).toContain('// CREATE OR REPLACE FUNCTION public.touch()')
        expect(file).toContain('// CREATE CONSTRAINT TRIGGER items_touch AFTER UPDATE ON public.items')
        expect(file).toContain('// CREATE DOMAIN public.positive AS integer')
        expect(file).toContain('// cairn pull: not expressible: check items_id_check is NO INHERIT')
        expect(file).toContain("qty: customType('public.positive'),")
        // without --strict the same pull is a success that says what it left out
        const again = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--out', 'defs', '--force')
        expect(again.code, again.err).toBe(0)
        expect(file).toContain('// cairn pull: not expressible: exclusion constraint items_no_overlap EXCLUDE USING gist (during WITH &&) INCLUDE (id)')
        expect(again.err).toContain('6 warnings: the definitions do not hold everything in the database')
        expect(again.err).toContain('warning function public.touch(): fn() sets only search_path; its SQL is in a comment in public.ts (defs/public.ts)')
      } finally {
        await target.dispose()
        rmSync(root, { recursive: true, force: true })
      }
    })

    it('refuses a folder that holds files before connecting, shows --diff without writing, and overwrites with --force', async () => {
      const target = await urlDatabase(engine)
      const root = newDir(`cli-${engine.name}`)
      try {
        await withDb(target, (db) => db.exec('CREATE TABLE public.notes (id integer PRIMARY KEY, body text)'))
        const first = await cli(root, 'pull', '--url', target.url, '--import', DSL)
        expect(first.code, first.err).toBe(0)
        expect(first.out).toContain('created   schema/public.ts')
        expect(first.out).toContain('✓ pulled 1 table into schema/')
        const file = path.join(root, 'schema', 'public.ts')
        const before = readFileSync(file, 'utf8')
        expect(before).toContain("export const notes = table('notes', {\n  id: integer().primaryKey(),\n  body: text(),\n})")

        // a second pull refuses, and says so before it connects (this URL reaches nothing)
        const refused = await cli(root, 'pull', '--url', 'postgres://nobody@127.0.0.1:1/none', '--json')
        expect(refused.code).toBe(2)
        expect(JSON.parse(refused.out).error.code).toBe('pull_target_not_empty')
        expect(refused.err).not.toContain('database:')

        await withDb(target, (db) => db.exec('ALTER TABLE public.notes ADD COLUMN pinned boolean NOT NULL DEFAULT false'))
        const diff = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--diff')
        expect(diff.code, diff.err).toBe(0)
        expect(diff.out).toContain('--- a/schema/public.ts\n+++ b/schema/public.ts\n')
        expect(diff.out).toContain('+  pinned: boolean().notNull().default(false),')
        expect(readFileSync(file, 'utf8')).toBe(before)

        writeFileSync(path.join(root, 'schema', 'extra.ts'), '// mine\n')
        const forced = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--force', '--json')
        expect(forced.code, forced.err).toBe(0)
        const report = JSON.parse(forced.out)
        expect(report.files.find((f: { path: string }) => f.path === 'schema/public.ts').status).toBe('updated')
        expect(report.files.find((f: { path: string }) => f.path === 'schema/index.ts').status).toBe('unchanged')
        expect(report.untouched).toEqual(['schema/extra.ts'])
        expect(readFileSync(file, 'utf8')).toContain('pinned: boolean().notNull().default(false),')
        expect(existsSync(path.join(root, 'schema', 'extra.ts'))).toBe(true)
        const nothing = await cli(root, 'pull', '--url', target.url, '--import', DSL, '--diff')
        expect(nothing.out).toContain('no changes: schema/ already holds these definitions')
      } finally {
        await target.dispose()
        rmSync(root, { recursive: true, force: true })
      }
    })
  })
}
