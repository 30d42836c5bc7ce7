/**
 * Domains from the DSL end to end: `domain()` with a CHECK calling a DSL function, a column of it;
 * `cairn generate` orders function → domain → table, finds nothing more to do once canonicalised,
 * and alters the domain in place when its checks and default change.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')

const schema = (checks: string, dflt: string) => `import { pgSchema, domain, fn, integer, text, sql } from ${JSON.stringify(SRC)}
export const app = pgSchema('app')
export const validCode = fn(app, 'valid_code', { args: [{ name: 'v', type: 'text' }], returns: 'boolean', language: 'sql', volatility: 'immutable', body: "SELECT v LIKE 'c%'" })
export const code = domain(app, 'code', text(), { notNull: true, check: sql\`app.valid_code(VALUE)\`, comment: 'a product code' })
export const qty = domain(app, 'qty', integer(), { default: sql\`${dflt}\`, check: ${checks} })
export const items = app.table('items', { code: code().primaryKey(), n: qty() })
`

async function cli(cwd: string, ...args: string[]) {
  const ctx = capturedContext(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

describe('DSL domains through generate', () => {
  const dir = path.resolve(__dirname, `../.generated/dsl-domain-${process.pid}`)
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'schema'), { recursive: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates function, domains and table in dependency order, then has nothing left to do', async () => {
    writeFileSync(path.join(dir, 'schema', 'index.ts'), schema('sql`VALUE>=0`', '1'))
    const r = await cli(dir, 'generate', 'init', '--json')
    expect(r.code, r.err + r.out).toBe(0)
    const up = readFileSync(path.join(dir, JSON.parse(r.out).migration.upPath), 'utf8')
    const at = (s: string) => up.indexOf(s)
    expect(at('CREATE OR REPLACE FUNCTION app.valid_code')).toBeGreaterThan(0)
    expect(at('CREATE DOMAIN app.code AS text NOT NULL CONSTRAINT code_check CHECK (app.valid_code(VALUE))')).toBeGreaterThan(at('CREATE OR REPLACE FUNCTION app.valid_code'))
    // the check is stored in Postgres' spelling
    expect(up).toContain('CREATE DOMAIN app.qty AS integer DEFAULT 1 CONSTRAINT qty_check CHECK ((VALUE >= 0))')
    expect(at('CREATE TABLE app.items')).toBeGreaterThan(at('CREATE DOMAIN app.code'))
    expect(up).toContain("COMMENT ON DOMAIN app.code IS 'a product code'")
    const again = await cli(dir, 'generate', 'again')
    expect(again.code, again.err).toBe(0)
    expect(again.out).toContain('no changes')
    const fresh = await cli(dir, 'generate', 'again', '--no-cache')
    expect(fresh.out).toContain('no changes')
  })

  it('alters the domain in place: a new default and a new named check', async () => {
    writeFileSync(path.join(dir, 'schema', 'index.ts'), schema('{ qty_check: sql`VALUE>=0`, qty_small: sql`VALUE < 1000` }', '0'))
    const r = await cli(dir, 'generate', 'qty', '--json')
    expect(r.code, r.err + r.out).toBe(0)
    const up = readFileSync(path.join(dir, JSON.parse(r.out).migration.upPath), 'utf8')
    expect(up).toMatch(/^ALTER DOMAIN app\.qty SET DEFAULT 0;$/m)
    expect(up).toMatch(/^ALTER DOMAIN app\.qty ADD CONSTRAINT qty_small CHECK \(\(VALUE < 1000\)\) NOT VALID;$/m)
    expect(up).toMatch(/-- cairn:no-transaction\nALTER DOMAIN app\.qty VALIDATE CONSTRAINT qty_small;/)
    expect((await cli(dir, 'generate', 'nothing')).out).toContain('no changes')
  })
})
