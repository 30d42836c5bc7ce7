/**
 * Extensions declared in the DSL, with columns of their types and indexes with their operator
 * classes, through the four-way scenario check on each engine: the embedded one with the
 * extensions loaded, the server with those it has (pgvector only on PGlite here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import * as d from '../../src/dsl/index.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { collectModel } from '../../src/load/build-model.js'
import { loadSqlFragmentParser } from '../../src/load/sql-fragments.js'
import { emptyModel } from '../../src/model/types.js'
import type { Model } from '../../src/model/types.js'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { migrationChecker, pureSql } from '../helpers/expect-migration.js'

const ALL = ['citext', 'pg_trgm', 'btree_gist', 'vector']

function definitions(withVector: boolean) {
  const citext = d.extension('citext')
  const trgm = d.extension('pg_trgm')
  const gist = d.extension('btree_gist')
  const vector = d.extension('vector')
  const docs = d.table('docs', {
    id: d.integer().primaryKey(),
    email: d.citext().notNull().unique(),
    title: d.text().notNull(),
    room: d.integer().notNull(),
    ...(withVector ? { embedding: d.vector(3), half: d.halfvec(2), sparse: d.sparsevec(5) } : {}),
  }, (t) => [
    d.index('docs_title_trgm').using('gin').on(t.title.op('gin_trgm_ops')),
    d.index('docs_title_gist').using('gist').on(t.title.op('gist_trgm_ops')),
    d.index('docs_room_gist').using('gist').on(t.room),
    ...(withVector
      ? [
          d.index('docs_embedding_hnsw').using('hnsw').on((t as never as { embedding: d.AnyColumn }).embedding.op('vector_cosine_ops')).with({ m: 16, ef_construction: 64 }),
          d.index('docs_embedding_ivf').using('ivfflat').on((t as never as { embedding: d.AnyColumn }).embedding.op('vector_l2_ops')).with({ lists: 10 }),
        ]
      : []),
  ])
  return withVector ? { citext, trgm, gist, vector, docs } : { citext, trgm, gist, docs }
}

interface Engine {
  readonly name: string
  readonly vector: boolean
  open(): Promise<TestDatabase>
}

const engines: Engine[] = [
  {
    name: 'pglite',
    vector: true,
    async open() {
      const db = await openScratchPglite({ extensions: ALL })
      return { db, url: 'pglite:memory', dispose: () => db.close() }
    },
  },
  ...(process.env.DATABASE_URL && process.env.CAIRN_TEST_ENGINES?.split(',').includes('postgres') !== false
    ? [{ name: 'postgres', vector: false, open: () => postgresEngine(process.env.DATABASE_URL!).open() }]
    : []),
]

beforeAll(async () => {
  await loadSqlFragmentParser()
})

describe.each(engines)('extensions in the definitions on $name', (engine) => {
  let t: TestDatabase
  let canonical: Model
  beforeAll(async () => {
    t = await engine.open()
    const { model, issues } = collectModel(definitions(engine.vector))
    expect(issues).toEqual([])
    const scratch: Database = await openScratchPglite({ extensions: ALL })
    try {
      canonical = await canonicalize(model, scratch)
    } finally {
      await scratch.close()
    }
  }, 120_000)
  afterAll(async () => {
    await t?.dispose()
  })
  const expectMigration = migrationChecker(() => t.db)

  it('creates the extensions before the table, columns of their types and indexes with their operator classes', async () => {
    const docs = canonical.tables.find((x) => x.name === 'docs')!
    expect(docs.columns.find((c) => c.name === 'email')?.type).toBe('public.citext')
    expect(docs.indexes.find((i) => i.name === 'docs_title_trgm')?.keys[0].opclass).toBe('public.gin_trgm_ops')
    if (engine.vector) {
      expect(docs.columns.find((c) => c.name === 'embedding')?.type).toBe('public.vector(3)')
      expect(docs.indexes.find((i) => i.name === 'docs_embedding_hnsw')?.with).toEqual({ ef_construction: '64', m: '16' })
    }
    const sql = pureSql(emptyModel(), canonical)
    const table = sql.findIndex((s) => s.startsWith('CREATE TABLE public.docs'))
    for (const x of engine.vector ? ALL : ALL.slice(0, 3)) {
      const at = sql.findIndex((s) => s.startsWith(`CREATE EXTENSION IF NOT EXISTS ${x}`) || s.startsWith(`CREATE EXTENSION ${x}`))
      expect(at, x).toBeGreaterThanOrEqual(0)
      expect(at, x).toBeLessThan(table)
    }
    await expectMigration(`extensions-${engine.name}`, emptyModel(), canonical, sql)
  }, 120_000)
})
