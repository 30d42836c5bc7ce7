/**
 * The example projects under examples/ (one per system the seed documents describe), on every
 * engine: each migrates from zero with the runner and takes its seeds; then nothing is left to
 * generate (the definitions match the migrations), drift finds nothing, and the definitions as
 * loaded equal the database as inspected (load ≡ inspect, through the same alignment drift uses
 * for another server version).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import { alignEquivalentText } from '../../src/diff/align.js'
import { diff } from '../../src/diff/index.js'
import { canonicalize, resetScratchDatabase } from '../../src/inspect/canonicalize.js'
import { loadSameText } from '../../src/inspect/expression-form.js'
import { inspect } from '../../src/inspect/inspect.js'
import { loadProject } from '../../src/load/load-project.js'
import { nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { migrateUp } from '../../src/migrate/runner.js'
import type { Model } from '../../src/model/types.js'
import { applySeeds } from '../../src/seed/apply-seeds.js'
import { drift } from '../../src/workflows/drift.js'
import { generate } from '../../src/workflows/generate.js'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const EXAMPLES = ['prosync', 'canonical-platform', 'marketplace'].filter((n) => existsSync(path.join(repo, 'examples', n, 'migrations')))
const rootOf = (name: string) => path.join(repo, 'examples', name)

/** PGlite from the initialised template (src/db/scratch.ts), and the server when DATABASE_URL is set. */
const engines: { name: string; open(): Promise<{ db: Database; dispose(): Promise<void> }> }[] = [
  { name: 'pglite', open: async () => { const db = await openScratchPglite(); return { db, dispose: () => db.close() } } },
  ...(process.env.DATABASE_URL && process.env.CAIRN_TEST_ENGINES !== 'pglite'
    ? [{ name: 'postgres', open: (): Promise<TestDatabase> => postgresEngine(process.env.DATABASE_URL!).open() }]
    : []),
]

/** The canonical form of each example's definitions, computed once in one scratch database. */
const desired = new Map<string, Model>()
beforeAll(async () => {
  const scratch = await openScratchPglite()
  try {
    for (const name of EXAMPLES) desired.set(name, await canonicalize((await loadProject({ root: rootOf(name) })).model, scratch))
  } finally {
    await scratch.close()
  }
})

describe('the example projects', () => {
  it('are all present', () => {
    expect(EXAMPLES).toEqual(['prosync', 'canonical-platform'])
  })

  it.each(EXAMPLES)('%s: nothing left to generate', async (name) => {
    const r = await generate({ root: rootOf(name), name: 'pending', dryRun: true })
    expect(r.changes).toEqual([])
    expect(r.status).toBe('no_changes')
  })
})

describe.each(engines)('the example projects on $name', (engine) => {
  let t: { db: Database; dispose(): Promise<void> }
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it.each(EXAMPLES)('%s: migrates from zero, seeds, shows no drift, and inspects as it loads', async (name) => {
    const root = rootOf(name)
    await resetScratchDatabase(t.db)
    const applied = await migrateUp(t.db, { dir: 'migrations', fs: nodeDirFsAt(root) })
    expect(applied.results.length).toBeGreaterThan(0)
    const seeded = await applySeeds(t.db, { dir: 'seeds', fs: nodeDirFsAt(root) })
    expect(seeded.results.length).toBeGreaterThan(0)

    const report = await drift({ root, db: t.db })
    expect(report.definitions.items).toEqual([])
    expect(report.migrations.items).toEqual([])
    expect(report.database.items).toEqual([])
    expect(report.drift).toBe(false)

    // load ≡ inspect: the live schema against the canonical definitions, nothing to change
    const want = desired.get(name)!
    const live = await inspect(t.db)
    const result = diff(alignEquivalentText(live, want, await loadSameText()), want, { resolveRenames: () => 'no' })
    expect(result.status).not.toBe('needs_input')
    expect(result.status === 'needs_input' ? result.candidates : result.changes).toEqual([])
  })
})
