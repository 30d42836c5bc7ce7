/**
 * Extensions in the embedded shadow: a schema using citext, pg_trgm, btree_gist and pgvector
 * generates from a cold cache, the next cold generate replays it, and it migrates on PGlite; an
 * extension PGlite lacks is a clear error naming it and --shadow-url.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CliContext } from '../../src/cli/context.js'
import { createdExtensions } from '../../src/db/pglite-extensions.js'
import { openPglite } from '../../src/db/pglite.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import { inspect } from '../../src/inspect/inspect.js'
import { diff } from '../../src/diff/index.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { loadProject } from '../../src/load/load-project.js'
import { postgresEngine } from '../helpers/engines.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
const ROOT = path.resolve(__dirname, '../.generated/generate-extensions')

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

function project(name: string, body: string): string {
  const dir = path.join(ROOT, name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.join(dir, 'schema'), { recursive: true })
  writeFileSync(path.join(dir, 'schema', 'index.ts'), `import * as d from ${JSON.stringify(SRC)}\n${body}`)
  return dir
}

afterAll(() => rmSync(ROOT, { recursive: true, force: true }))

describe('createdExtensions', () => {
  it('reads CREATE EXTENSION statements, not comments or strings', () => {
    const sql = `-- CREATE EXTENSION nope;\nCREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n/* create extension hidden */\ncreate extension "uuid-ossp";\nSELECT 'create extension quoted';\nCREATE EXTENSION Pg_Trgm;`
    expect(createdExtensions(sql)).toEqual(['citext', 'pg_trgm', 'uuid-ossp'])
  })
})

describe('generate with extensions on the embedded engine', () => {
  it('citext, pg_trgm, btree_gist and vector: generate cold, generate cold again (nothing), migrate up', async () => {
    const dir = project('mixed', `
export const citext = d.extension('citext')
export const trgm = d.extension('pg_trgm')
export const btreeGist = d.extension('btree_gist')
export const vector = d.extension('vector')
export const docs = d.table('docs', {
  id: d.integer().primaryKey(),
  email: d.citext().notNull().unique(),
  title: d.text().notNull(),
  room: d.integer().notNull(),
  embedding: d.vector(3),
  half: d.halfvec(2),
  sparse: d.sparsevec(5),
}, (t) => [
  d.index('docs_title_trgm').using('gin').on(t.title.op('gin_trgm_ops')),
  d.index('docs_embedding_hnsw').using('hnsw').on(t.embedding.op('vector_cosine_ops')).with({ m: 16, ef_construction: 64 }),
  d.index('docs_room_gist').using('gist').on(t.room),
])
`)
    const cairn = cli(dir)
    const first = await cairn('generate', 'init', '--no-cache', '--json')
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const second = await cairn('generate', 'again', '--no-cache', '--json')
    expect(second.stderr).toBe('')
    expect(second.stdout).toMatch(/"status": ?"no_changes"/)
    const up = await cairn('migrate', 'up', '--url', 'pglite:db')
    expect(up.code, up.stderr).toBe(0)
    // drift replays the history and canonicalises with the same extensions
    const drift = await cairn('drift', '--url', 'pglite:db', '--json')
    expect(drift.code, drift.stdout + drift.stderr).toBe(0)
    // the migrated database is the definitions
    const db = await openPglite(path.join(dir, 'db'), { extensions: 'all' })
    const scratch = await openScratchPglite({ extensions: ['citext', 'pg_trgm', 'btree_gist', 'vector'] })
    try {
      const loaded = await loadProject({ root: dir })
      const desired = await canonicalize(loaded.model, scratch)
      const d = diff(await inspect(db), desired)
      expect(d.status === 'needs_input' ? d.candidates : d.changes).toEqual([])
    } finally {
      await db.close()
      await scratch.close()
    }
  }, 240_000)

  it('an extension PGlite lacks names it and --shadow-url', async () => {
    const dir = project('missing', `export const postgis = d.extension('postgis')\nexport const t = d.table('t', { id: d.integer().primaryKey() })\n`)
    const r = await cli(dir)('generate', 'init', '--json')
    expect(r.code).toBe(2)
    expect(r.stderr + r.stdout).toMatch(/extension_unavailable/)
    expect(r.stderr + r.stdout).toMatch(/"postgis"/)
    expect(r.stderr + r.stdout).toMatch(/--shadow-url/)
    expect(readdirSync(dir)).not.toContain('migrations')
  }, 120_000)

  it.skipIf(!process.env.DATABASE_URL)(orSkipped('--shadow-url replays in a server database instead, and empties it', !process.env.DATABASE_URL, NEEDS_DATABASE_URL), async () => {
    const dir = project('server-shadow', `
export const citext = d.extension('citext')
export const trgm = d.extension('pg_trgm')
export const people = d.table('people', { id: d.integer().primaryKey(), email: d.citext().notNull() }, (t) => [
  d.index('people_email_trgm').using('gin').on(t.email.op('gin_trgm_ops')),
])
`)
    const shadow = await postgresEngine(process.env.DATABASE_URL!).open()
    try {
      const cairn = cli(dir)
      const first = await cairn('generate', 'init', '--shadow-url', shadow.url, '--no-cache')
      expect(first.code, first.stderr).toBe(0)
      const second = await cairn('generate', 'again', '--shadow-url', shadow.url, '--no-cache', '--json')
      expect(second.stdout).toMatch(/"status": ?"no_changes"/)
      const left = await shadow.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`)
      expect(left[0].n).toBe(0)
    } finally {
      await shadow.dispose()
    }
  }, 240_000)
})
