/**
 * The checked-in model snapshot (`migrations/cairn.model.json`): a fresh clone with no cache runs
 * `generate` without starting an embedded database; an edited migration makes the snapshot stale
 * (replayed instead); a snapshot that lies is caught by `--verify-snapshot`.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import * as scratch from '../../src/db/scratch.js'

// counts the embedded databases started (every shadow replay and canonicalisation opens one)
vi.mock('../../src/db/scratch.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/db/scratch.js')>()
  return { ...m, openScratchPglite: vi.fn(m.openScratchPglite) }
})
const opened = () => vi.mocked(scratch.openScratchPglite).mock.calls.length

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
const dir = path.resolve(__dirname, `../.generated/generate-snapshot/p${process.pid}`)
const snapshotFile = path.join(dir, 'migrations', 'cairn.model.json')

async function cairn(...args: string[]) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd: dir, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, exitCode: 0 }
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

const freshClone = () => rmSync(path.join(dir, '.cairn'), { recursive: true, force: true })

describe('generate: the checked-in model snapshot', () => {
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'schema'), { recursive: true })
    writeFileSync(
      path.join(dir, 'schema', 'index.ts'),
      `import { pgSchema, uuid, text, integer, check, sql, index } from ${JSON.stringify(SRC)}
export const shop = pgSchema('shop')
export const customers = shop.table('customers', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().default('anon'),
  visits: integer().notNull().default(0),
}, (t) => [check('customers_visits_check', sql\`visits >= 0\`), index('customers_lower_name_idx').on(sql\`lower(name)\`)])
`,
    )
    const first = await cairn('generate', 'init', '--json')
    expect(first.code, first.stderr + first.stdout).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  beforeEach(() => vi.mocked(scratch.openScratchPglite).mockClear())

  it('is written with the migration and records the cairn.sum it was produced from', () => {
    const s = JSON.parse(readFileSync(snapshotFile, 'utf8'))
    const sum = readFileSync(path.join(dir, 'migrations', 'cairn.sum'), 'utf8').split('\n')[0]
    expect(s.sum).toBe(sum)
    expect(s.model.tables.map((t: { name: string }) => t.name)).toEqual(['customers'])
    expect(typeof s.definitions).toBe('string')
    expect(Object.values(s.expressions)).toContain('(visits >= 0)')
  })

  it('a fresh clone with no change starts no database', async () => {
    freshClone()
    const r = await cairn('generate', 'noop', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(JSON.parse(r.stdout).status).toBe('no_changes')
    const dry = await cairn('generate', 'noop', '--dry-run')
    expect(dry.code, dry.stderr).toBe(0)
    expect(opened()).toBe(0)
  })

  it('--verify-snapshot replays and accepts an honest snapshot', async () => {
    const r = await cairn('generate', 'noop', '--dry-run', '--verify-snapshot', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(JSON.parse(r.stdout).status).toBe('no_changes')
    expect(opened()).toBeGreaterThan(0)
  })

  it('an edited migration makes the snapshot stale: the history is replayed, then the snapshot renewed', async () => {
    const [m] = readdirSync(path.join(dir, 'migrations')).filter((n) => /^\d{14}_/.test(n))
    appendFileSync(path.join(dir, 'migrations', m, 'up.sql'), '\n-- reviewed\n')
    expect((await cairn('migrate', 'hash')).code).toBe(0)
    freshClone()
    const r = await cairn('generate', 'noop', '--json')
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(JSON.parse(r.stdout).status).toBe('no_changes')
    expect(opened()).toBeGreaterThan(0)
    const sum = readFileSync(path.join(dir, 'migrations', 'cairn.sum'), 'utf8').split('\n')[0]
    expect(JSON.parse(readFileSync(snapshotFile, 'utf8')).sum).toBe(sum)
    vi.mocked(scratch.openScratchPglite).mockClear()
    freshClone()
    expect((await cairn('generate', 'noop', '--json')).code).toBe(0)
    expect(opened()).toBe(0)
  })

  it('a snapshot that lies is caught by --verify-snapshot (exit 1) and by --no-cache', async () => {
    const s = JSON.parse(readFileSync(snapshotFile, 'utf8'))
    // claims the history made a column it never made
    s.model.tables[0].columns.push({ ...s.model.tables[0].columns.find((c: { name: string }) => c.name === 'name'), name: 'ghost' })
    writeFileSync(snapshotFile, JSON.stringify(s))
    freshClone()
    const verified = await cairn('generate', 'noop', '--dry-run', '--verify-snapshot', '--json')
    expect(verified.code, verified.stdout).toBe(1)
    expect(JSON.parse(verified.stdout).error.code).toBe('snapshot_mismatch')
    const noCache = await cairn('generate', 'noop', '--dry-run', '--no-cache')
    expect(noCache.code).toBe(1)
    expect(noCache.stderr).toContain('cairn.model.json')
  })
})
