/**
 * The check before generate writes a migration: the new migration is applied on top of the
 * history's model (the snapshot cairn.sum authenticates, or the cache) in one scratch database, not
 * on a replay of the whole history; a history that writes rows is replayed instead, and a migration
 * that fails on top of it is refused with nothing written. A warm run with no change starts no
 * database.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import * as scratch from '../../src/db/scratch.js'

// counts the embedded databases started (a spy around the real function)
vi.mock('../../src/db/scratch.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/db/scratch.js')>()
  return { ...m, openScratchPglite: vi.fn(m.openScratchPglite) }
})
const opened = () => vi.mocked(scratch.openScratchPglite).mock.calls.length

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
const dir = path.resolve(__dirname, `../.generated/generate-check/p${process.pid}`)
const migrations = path.join(dir, 'migrations')

async function cairn(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd: dir, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0 }
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

function schema(columns: string) {
  writeFileSync(
    path.join(dir, 'schema', 'index.ts'),
    `import { pgSchema, uuid, text, integer } from ${JSON.stringify(SRC)}
export const shop = pgSchema('shop')
export const customers = shop.table('customers', {
  id: uuid().primaryKey().defaultRandom(),
  visits: integer().notNull().default(0),
  ${columns}
})
`,
  )
}

const freshClone = () => rmSync(path.join(dir, '.cairn'), { recursive: true, force: true })
const folders = () => readdirSync(migrations).filter((n) => /^\d{14}_/.test(n))
const files = () => Object.fromEntries(['cairn.sum', 'cairn.model.json'].map((f) => [f, readFileSync(path.join(migrations, f), 'utf8')]))

describe('generate: the check before writing', () => {
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'schema'), { recursive: true })
    schema(`name: text(),`)
    const first = await cairn('generate', 'init', '--json')
    expect(first.code, first.stderr + first.stdout).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  beforeEach(() => vi.mocked(scratch.openScratchPglite).mockClear())

  it('a change from a fresh clone is checked on the snapshot in one database, not on a replay', async () => {
    freshClone()
    schema(`name: text(),\n  email: text(),`)
    const r = await cairn('generate', 'add_email', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.status).toBe('created')
    expect(out.timings.check_on_model).toBeTypeOf('number')
    expect(out.timings.check_on_history).toBeUndefined()
    expect(opened()).toBe(1)
    expect(folders()).toHaveLength(2)
    expect(readFileSync(path.join(migrations, folders()[1], 'up.sql'), 'utf8')).toContain('ALTER TABLE shop.customers ADD COLUMN email text')
    // the new snapshot still knows the canonical spelling of the expressions, so the next fresh clone needs no database for them
    expect(Object.values(JSON.parse(files()['cairn.model.json']).expressions)).toEqual(expect.arrayContaining(['gen_random_uuid()', '0']))
  })

  it('on a large model, a change is checked on the tables it can affect', async () => {
    const big = path.join(dir, 'big')
    mkdirSync(path.join(big, 'schema'), { recursive: true })
    const tables = (extra: string) =>
      `import { table, uuid, text } from ${JSON.stringify(SRC)}\n` +
      Array.from({ length: 60 }, (_, i) => `export const t${i} = table('t${i}', { id: uuid().primaryKey(), name: text(),${i === 0 ? extra : ''} })\n`).join('')
    writeFileSync(path.join(big, 'schema', 'index.ts'), tables(''))
    const at = async (...args: string[]) => {
      const out: string[] = []
      const ctx: CliContext = { cwd: big, env: {}, stdout: (t) => out.push(t), stderr: (t) => out.push(t), isTTY: false, exitCode: 0 }
      const code = await run(['node', 'cairn', ...args], ctx)
      return { code, stdout: out.join('') }
    }
    expect((await at('generate', 'init', '--json')).code).toBe(0)
    writeFileSync(path.join(big, 'schema', 'index.ts'), tables(' note: text(),'))
    const r = await at('generate', 'add_note', '--json')
    expect(r.code, r.stdout).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.timings.check_on_scope).toBeTypeOf('number')
    expect(out.timings.check_on_model).toBeUndefined()
    expect(out.migration.statements.up).toContain('ALTER TABLE public.t0 ADD COLUMN note text')
    expect((await at('generate', 'noop', '--json')).stdout).toContain('"no_changes"')
  }, 120_000)

  it('a warm run with no change starts no database', async () => {
    const r = await cairn('generate', 'noop', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(JSON.parse(r.stdout).status).toBe('no_changes')
    expect(JSON.parse(r.stdout).timings.open_database).toBeUndefined()
    expect(opened()).toBe(0)
  })

  it('--verify-snapshot checks the new migration on a replay of the whole history', async () => {
    schema(`name: text(),\n  email: text(),\n  phone: text(),`)
    const written = await cairn('generate', 'add_phone', '--verify-snapshot', '--json')
    expect(written.code, written.stderr + written.stdout).toBe(0)
    const out = JSON.parse(written.stdout)
    expect(out.timings.check_on_history).toBeTypeOf('number')
    expect(out.timings.check_on_model).toBeUndefined()
    expect(folders()).toHaveLength(3)
  })

  it('a migration that fails on top of a history that wrote rows is refused, and nothing is written', async () => {
    // a hand-written migration leaves a customer without a name
    const seed = path.join(migrations, '29990101000000_nameless_customer')
    mkdirSync(seed)
    writeFileSync(path.join(seed, 'up.sql'), `INSERT INTO shop.customers (visits) VALUES (1);\n`)
    expect((await cairn('migrate', 'hash')).code).toBe(0)
    const noop = await cairn('generate', 'noop', '--json')
    expect(noop.code, noop.stderr + noop.stdout).toBe(0)
    expect(JSON.parse(noop.stdout).status).toBe('no_changes')
    const before = { folders: folders(), ...files() }

    schema(`name: text().notNull(),\n  email: text(),\n  phone: text(),`)
    vi.mocked(scratch.openScratchPglite).mockClear()
    const r = await cairn('generate', 'name_required', '--json')
    expect(r.code, r.stdout).toBe(3)
    const error = JSON.parse(r.stdout).error
    expect(error.code).toBe('replay_failed')
    expect(error.message).toMatch(/null/i)
    expect({ folders: folders(), ...files() }).toEqual(before)
    // the history's model alone would have accepted it: the history itself was replayed
    expect(opened()).toBe(1)
  })
})
