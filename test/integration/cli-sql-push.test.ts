/** `cairn sql` and `cairn push`: argv → output and exit code, in-process through run(argv, ctx). */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'
import { loadProject } from '../../src/load/load-project.js'
import { renderModel } from '../../src/plan/render-model.js'
import { renderScript } from '../../src/sqlgen/session.js'
import { openPglite } from '../../src/db/pglite.js'
import type { Model } from '../../src/model/types.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { writeProject } from '../helpers/schema-project.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')


async function cairn(args: string[], env: Record<string, string> = {}) {
  const ctx = capturedContext(root, env)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

let model: Model
const cleanup: (() => void)[] = []
let invalid: string
beforeAll(async () => {
  model = (await loadProject({ root })).model
  const p = writeProject({
    'schema/index.ts': `export * from './users.js'\n`,
    'schema/users.ts': `import { table, uuid } from 'CAIRN'\nconst hidden = table('hidden', { id: uuid().primaryKey() })\nexport const users = table('users', {\n  id: uuid().primaryKey(),\n  other: uuid().references(() => hidden.id),\n})\n`,
  })
  invalid = p.root
  cleanup.push(p.remove)
})
afterAll(() => cleanup.forEach((f) => f()))

describe('cairn sql', () => {
  it('prints the DDL of the definitions', async () => {
    const r = await cairn(['sql'])
    expect(r.code).toBe(0)
    expect(r.out).toBe(renderScript(renderModel(model)))
    expect(r.err).toBe('')
  })

  it('--json prints the model', async () => {
    const r = await cairn(['sql', '--json', '--project', '.'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toEqual(model)
  })

  it('--summary prints object counts (and --json them as JSON)', async () => {
    const r = await cairn(['sql', '--summary'])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^schemas\s+8$/m)
    expect(r.out).toMatch(new RegExp(`^tables\\s+${model.tables.length}$`, 'm'))
    const j = JSON.parse((await cairn(['sql', '--summary', '--json'])).out)
    expect(j).toMatchObject({ schemas: 8, tables: model.tables.length, enums: 3 })
    expect(j.columns).toBe(model.tables.reduce((n, t) => n + t.columns.length, 0))
  })

  it('exits 2 on invalid definitions, showing code, message and location', async () => {
    const r = await cairn(['sql', '--project', invalid])
    expect(r.code).toBe(2)
    expect(r.out).toBe('')
    expect(r.err).toContain('[invalid_schema] the schema definitions have 1 problem')
    expect(r.err).toContain('schema/users.ts:5 public.users.users_other_fkey: foreign key public.users.users_other_fkey references public.hidden, which is not an exported table [fk_unknown_table]')
    expect(r.err).toContain('fix: export public.hidden')
  })

  it('--json reports invalid definitions as JSON with every issue', async () => {
    const r = await cairn(['sql', '--project', invalid, '--json'])
    expect(r.code).toBe(2)
    const j = JSON.parse(r.out)
    expect(j.ok).toBe(false)
    expect(j.error.code).toBe('invalid_schema')
    expect(j.error.issues).toEqual([
      expect.objectContaining({ code: 'fk_unknown_table', file: 'schema/users.ts:5', object: 'public.users.users_other_fkey' }),
    ])
  })

  it('exits 2 when there is no schema/index.ts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-empty-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const r = await cairn(['sql', '--project', dir])
    expect(r.code).toBe(2)
    expect(r.err).toContain('[schema_not_found]')
  })
})

describe('cairn push', () => {
  it('exits 3 when the server is unreachable', async () => {
    const r = await cairn(['push', '--url', 'postgres://127.0.0.1:1/x'])
    expect(r.code).toBe(3)
    expect(r.err).toContain('[db_unreachable] cannot connect to PostgreSQL at 127.0.0.1:1, database "x"')
  })

  it('validates before connecting: invalid definitions exit 2 and nothing is written', async () => {
    const r = await cairn(['push', '--project', invalid, '--url', 'postgres://127.0.0.1:1/x'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('[invalid_schema]')
  })

  it('pushes to an embedded database directory, then refuses to push again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-push-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const first = await cairn(['push', '--url', `pglite:${dir}`])
    expect(first.code).toBe(0)
    expect(first.out).toMatch(new RegExp(`^pushed 8 schemas, ${model.tables.length} tables, `))
    const db = await openPglite(dir)
    try {
      const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = ANY($1::text[])`, [model.schemas.map((s) => s.name)])
      expect(rows[0].n).toBe(model.tables.length)
    } finally {
      await db.close()
    }
    const again = await cairn(['push', '--url', `pglite:${dir}`, '--json'])
    expect(again.code).toBe(2)
    const j = JSON.parse(again.out)
    expect(j.error.code).toBe('database_not_empty')
    expect(j.error.meta.existing).toContain('table app.users')
    expect(j.error.hint).toMatch(/cairn migrate/)
  })
})

// pglite:memory cannot be reached by URL from a second process; the embedded path is covered above with a directory
describe.each(testEngines().filter((e) => e.name === 'postgres'))('cairn push on $name', (engine) => {
  let tdb: TestDatabase
  beforeAll(async () => {
    tdb = await engine.open()
  })
  afterAll(async () => tdb?.dispose())

  it('--dry-run checks and prints the SQL, applying nothing; then push applies it from DATABASE_URL', async () => {
    const dry = await cairn(['push', '--url', tdb.url, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.out.startsWith(renderScript(renderModel(model)))).toBe(true)
    expect(dry.out).toMatch(/-- dry run: .* nothing applied\n$/)
    expect((await tdb.db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'app'`)).length).toBe(0)

    const r = await cairn(['push', '--json'], { DATABASE_URL: tdb.url })
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j).toMatchObject({ ok: true, engine: 'postgres', applied: true, summary: { tables: model.tables.length } })
    expect(j.statements).toEqual(renderModel(model))
    const n = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'app'`)
    expect(n[0].n).toBe(model.tables.filter((t) => t.schema === 'app').length)

    const again = await cairn(['push', '--url', tdb.url])
    expect(again.code).toBe(2)
    expect(again.err).toContain('[database_not_empty]')
    expect(again.err).toContain('schema app')
  })

  it('refuses when one table it would create already exists, naming it', async () => {
    await tdb.db.exec('DROP SCHEMA IF EXISTS app, auth, documents, workspaces, collaboration, audit, ai, analytics CASCADE; CREATE SCHEMA audit; CREATE TABLE audit.logs (id int)')
    const r = await cairn(['push', '--url', tdb.url, '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.out).error.meta.existing).toEqual(['schema audit', 'table audit.logs'])
  })
})
