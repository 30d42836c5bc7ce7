/**
 * `cairn generate` end to end: definitions in a temporary project → migrations → applied with
 * `cairn migrate up` on each engine → a change → the next migration → nothing left to generate.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import { inspect } from '../../src/inspect/inspect.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
const ROOT = path.resolve(__dirname, '../.generated/generate')

function cli(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd, env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0 }
  return {
    run: async (...args: string[]) => {
      out.length = 0
      err.length = 0
      const code = await run(['node', 'cairn', ...args], ctx)
      return { code, stdout: out.join(''), stderr: err.join('') }
    },
  }
}

function writeSchema(dir: string, body: string) {
  mkdirSync(path.join(dir, 'schema'), { recursive: true })
  writeFileSync(path.join(dir, 'schema', 'index.ts'), `import { pgSchema, table, uuid, text, varchar, integer, index, check, sql } from ${JSON.stringify(SRC)}\n${body}`)
}

const V1 = `
export const shop = pgSchema('shop')
export const customers = shop.table('customers', {
  id: uuid().primaryKey().defaultRandom(),
  email: varchar(255).notNull().unique(),
  name: text(),
})
export const orders = shop.table('orders', {
  id: uuid().primaryKey().defaultRandom(),
  customer_id: uuid().notNull().references(() => customers.id, { onDelete: 'cascade' }),
  total: integer().notNull().default(0),
}, (t) => [check('orders_total_check', sql\`total>=0\`)])
`

const V2 = `
export const shop = pgSchema('shop')
export const customers = shop.table('customers', {
  id: uuid().primaryKey().defaultRandom(),
  email: varchar(255).notNull().unique(),
  full_name: text().renamedFrom('name'),
  country: text().notNull().default('NZ'),
}, (t) => [index('customers_country_idx').on(t.country)])
export const orders = shop.table('orders', {
  id: uuid().primaryKey().defaultRandom(),
  customer_id: uuid().notNull().references(() => customers.id, { onDelete: 'cascade' }),
  total: integer().notNull().default(0),
}, (t) => [check('orders_total_check', sql\`total>=0\`)])
`

describe('cairn generate', () => {
  const dir = path.join(ROOT, `p${process.pid}`)
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true })
    writeSchema(dir, V1)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the first migration, then finds nothing more to do', async () => {
    const c = cli(dir)
    const first = await c.run('generate', 'init', '--json')
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const r = JSON.parse(first.stdout)
    expect(r.status).toBe('created')
    const up = readFileSync(path.join(dir, r.migration.upPath), 'utf8')
    expect(up).toContain('CREATE SCHEMA shop;')
    expect(up).toContain('CREATE TABLE shop.customers (')
    // a check written as total>=0 is stored in Postgres' own spelling
    expect(up).toContain('CONSTRAINT orders_total_check CHECK ((total >= 0))')
    expect(readdirSync(path.join(dir, 'migrations')).sort()).toEqual([r.migration.name, 'cairn.model.json', 'cairn.sum'])

    const again = await c.run('generate', 'again')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('no changes')
    expect(readdirSync(path.join(dir, 'migrations'))).toHaveLength(3)
  })

  it('a look-alike rename without an answer stops with exit 2 and writes nothing', async () => {
    writeSchema(dir, V2.replace(".renamedFrom('name')", ''))
    const c = cli(dir)
    const r = await c.run('generate', 'rename')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('needs_input')
    expect(r.stderr).toContain('--rename shop.customers.name=full_name')
    expect(readdirSync(path.join(dir, 'migrations'))).toHaveLength(3)
  })

  it('the next migration renames, adds lock-safely, and applies on every engine', async () => {
    writeSchema(dir, V2)
    const c = cli(dir)
    const r = await c.run('generate', 'customer country', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const res = JSON.parse(r.stdout)
    const up = readFileSync(path.join(dir, res.migration.upPath), 'utf8')
    expect(up).toContain('ALTER TABLE shop.customers RENAME COLUMN name TO full_name;')
    expect(up).toMatch(/-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY customers_country_idx ON shop.customers/)
    expect(up).not.toMatch(/DROP COLUMN/)
    expect((await c.run('generate', 'nothing')).stdout).toContain('no changes')

    for (const engine of testEngines()) {
      let t: TestDatabase | undefined
      try {
        t = await engine.open()
        const url = engine.name === 'pglite' ? `pglite:${path.join(dir, '.cairn', 'apply-test')}` : t.url
        if (engine.name === 'pglite') rmSync(path.join(dir, '.cairn', 'apply-test'), { recursive: true, force: true })
        const applied = await c.run('migrate', 'up', '--url', url)
        expect(applied.code, `${engine.name}: ${applied.stderr}`).toBe(0)
        if (engine.name === 'postgres') {
          const m = await inspect(t.db)
          const customers = m.tables.find((x) => x.name === 'customers')
          expect(customers?.columns.map((col) => col.name)).toEqual(['id', 'email', 'full_name', 'country'])
          expect(customers?.indexes.map((i) => i.name)).toEqual(['customers_country_idx'])
        }
        const status = await c.run('migrate', 'status', '--url', url, '--json')
        expect(JSON.parse(status.stdout).counts, status.stdout).toMatchObject({ applied: 2, pending: 0, changed: 0 })
      } finally {
        await t?.dispose()
      }
    }
  })
})
