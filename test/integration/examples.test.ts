/**
 * The example projects under examples/ (one per system the seed documents describe), on every
 * engine: each migrates from zero with the runner and takes its seeds; a few rows show its rules at
 * work (partition routing, CHECKs, tenant-carrying keys, the trigger); then nothing is left to
 * generate (the definitions match the migrations), its migrations lint clean, drift finds nothing,
 * and the definitions as loaded equal the database as inspected (load ≡ inspect, through the same
 * alignment drift uses for another server version). A project whose history creates an extension
 * the server does not offer (vector-search needs pgvector) is skipped there, saying so; the embedded
 * engine has every extension the examples use.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
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
import { lint } from '../../src/lint/index.js'
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
const EXAMPLES = ['prosync', 'canonical-platform', 'marketplace', 'vector-search'].filter((n) => existsSync(path.join(repo, 'examples', n, 'migrations')))
const rootOf = (name: string) => path.join(repo, 'examples', name)

/** The extensions each example's history creates: the embedded engine loads them, a server must offer them. */
const NEEDS: Record<string, readonly string[]> = { 'vector-search': ['vector'] }
const PGLITE_EXTENSIONS = [...new Set(Object.values(NEEDS).flat())]

/** PGlite from the initialised template (src/db/scratch.ts), and the server when DATABASE_URL is set. */
const engines: { name: string; open(): Promise<{ db: Database; dispose(): Promise<void> }> }[] = [
  { name: 'pglite', open: async () => { const db = await openScratchPglite({ extensions: PGLITE_EXTENSIONS }); return { db, dispose: () => db.close() } } },
  ...(process.env.DATABASE_URL && process.env.CAIRN_TEST_ENGINES !== 'pglite'
    ? [{ name: 'postgres', open: (): Promise<TestDatabase> => postgresEngine(process.env.DATABASE_URL!).open() }]
    : []),
]

/** What each example's database does with rows, checked in a transaction that is rolled back. */
const BEHAVIOUR: Record<string, (db: Database) => Promise<void>> = {
  prosync: (db) =>
    rolledBack(db, async (q) => {
      await q.exec(`INSERT INTO users.users (id, login) VALUES ('00000000-0000-4000-8000-000000000001', 'ana@example.com');
        INSERT INTO projects.projects (id, name, owner_id) VALUES ('00000000-0000-4000-8000-000000000002', 'Onboarding', '00000000-0000-4000-8000-000000000001');
        INSERT INTO documents.documents (project_id, filename, filetype_id, storage_id, s3_key, size, checksum, uploaded_by, uploaded_at)
        VALUES ('00000000-0000-4000-8000-000000000002', 'a.pdf', 1, 1, 'p/a.pdf', 10, repeat('a', 64), '00000000-0000-4000-8000-000000000001', '2026-05-05')`)
      // the history triggers record the changes, a soft delete as a delete
      await q.exec(`UPDATE projects.projects SET deleted_at = now(), updated_by = owner_id`)
      expect(await q.query(`SELECT operation FROM projects.project_history ORDER BY id`)).toEqual([{ operation: 'insert' }, { operation: 'delete' }])
      expect(await q.query(`SELECT operation, new_data->>'filename' AS f FROM documents.document_history`)).toEqual([{ operation: 'insert', f: 'a.pdf' }])
      await q.exec(`UPDATE projects.projects SET deleted_at = NULL`)
      // the row went to its quarter; the summary counts it once refreshed
      expect(await q.query(`SELECT tableoid::regclass::text AS p FROM documents.documents`)).toEqual([{ p: 'documents.documents_2026_q2' }])
      // the quarter carries the storage parameters rangePartitions({ with }) gives every partition
      expect(await q.query(`SELECT (SELECT string_agg(x, ',' ORDER BY x) FROM unnest(reloptions) x) AS o FROM pg_class WHERE oid = 'documents.documents_2026_q2'::regclass`))
        .toEqual([{ o: 'fillfactor=85,parallel_workers=4,toast_tuple_target=4080' }])
      await q.exec('REFRESH MATERIALIZED VIEW projects.onboarding_project_summary')
      expect(await q.query(`SELECT document_count::int AS n FROM projects.onboarding_project_summary`)).toEqual([{ n: 1 }])
      // a rejection needs its reason
      await expect(
        savepoint(q, `INSERT INTO staging.documents_ingest (project_id, filename, checksum, s3_key, status, processed_at)
          VALUES ('00000000-0000-4000-8000-000000000002', 'b.pdf', repeat('b', 64), 'p/b.pdf', 'rejected', now())`),
      ).rejects.toThrow(/documents_ingest_rejection_check/)
      await expect(savepoint(q, `INSERT INTO users.users (login) VALUES ('no-at-sign')`)).rejects.toThrow(/users_login_check/)
    }),
  marketplace: (db) =>
    rolledBack(db, async (q) => {
      await q.exec(`INSERT INTO "Tenant" (id, identifier, name, status, plan, settings, features, "updatedAt") VALUES (1, 't', 'T', 'ACTIVE', 'free', '{}', '{}', now());
        INSERT INTO "User" (id, "tenantId", email, "updatedAt") VALUES (1, 1, 'a@example.com', now()), (2, 1, 'b@example.com', now());
        INSERT INTO "Account" (id, "tenantId", identifier, name, type, features, limits, "updatedAt") VALUES (1, 1, 'acme', 'Acme', 'AGENCY', '{}', '{}', now());
        INSERT INTO "Listing" (id, "tenantId", "accountId", "userId", type, title, description, "priceType", "updatedAt") VALUES (1, 1, 1, 1, 'GIG', 'Logo', 'A logo', 'FIXED', now());
        INSERT INTO "Application" ("tenantId", "listingId", "applicantId", attachments, "updatedAt") VALUES (1, 1, 1, '{}', now()), (1, 1, 2, '{}', now())`)
      // the trigger keeps the count, on insert and on delete
      expect(await q.query(`SELECT "applicationCount" AS n FROM "Listing"`)).toEqual([{ n: 2 }])
      await q.exec(`DELETE FROM "Application" WHERE "applicantId" = 2`)
      expect(await q.query(`SELECT "applicationCount" AS n, "liveApplicationCount"::int AS live FROM "ListingWithStats"`)).toEqual([{ n: 1, live: 1 }])
      await expect(
        savepoint(q, `INSERT INTO "Booking" ("tenantId", "resourceId", "clientId", title, type, "startTime", "endTime", timezone, "updatedAt")
          VALUES (1, 1, 2, 'Call', 'CONSULTATION', '2026-05-05 10:00', '2026-05-05 09:00', 'UTC', now())`),
      ).rejects.toThrow(/check_booking_dates/)
    }),
  'vector-search': (db) =>
    rolledBack(db, async (q) => {
      const t = '00000000-0000-4000-8000-000000000001'
      const at = (i: number) => `(SELECT array_agg(CASE WHEN g = ${i} THEN 1 ELSE 0.01 END ORDER BY g)::vector FROM generate_series(1, 1536) g)`
      await q.exec(`INSERT INTO app.users (id, tenant_id, email) VALUES ('00000000-0000-4000-8000-000000000002', '${t}', 'a@example.com');
        INSERT INTO app.files (id, tenant_id, user_id, filename, original_name, mime_type, size, storage_provider, storage_key, url)
        VALUES ('00000000-0000-4000-8000-000000000003', '${t}', '00000000-0000-4000-8000-000000000002', 'a.pdf', 'a.pdf', 'application/pdf', 10, 'r2', 'k', 'u');
        INSERT INTO app.document_chunks (tenant_id, file_id, content, embedding)
        SELECT '${t}', '00000000-0000-4000-8000-000000000003', 'chunk ' || i, ${at(0)} FROM generate_series(1, 3) i;
        UPDATE app.document_chunks SET embedding = ${at(1)} WHERE content = 'chunk 2'`)
      // nearest first by cosine distance, as the document queries it
      expect(await q.query(`SELECT content FROM app.document_chunks WHERE tenant_id = '${t}' ORDER BY embedding <=> ${at(1)} LIMIT 1`)).toEqual([{ content: 'chunk 2' }])
      expect(await q.query(`SELECT am.amname AS method, pg_get_indexdef(i.indexrelid) LIKE '%vector_cosine_ops%' AS cosine FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'document_chunks_embedding_idx'`)).toEqual([{ method: 'ivfflat', cosine: true }])
      // an embedding of another size is refused
      await expect(
        savepoint(q, `INSERT INTO app.document_chunks (tenant_id, file_id, content, embedding) VALUES ('${t}', '00000000-0000-4000-8000-000000000003', 'x', '[1,2,3]')`),
      ).rejects.toThrow(/expected 1536 dimensions/)
    }),
  'canonical-platform': (db) =>
    rolledBack(db, async (q) => {
      await q.exec(`INSERT INTO platform.tenants (slug, name) VALUES ('a', 'A'), ('b', 'B');
        INSERT INTO platform.users (tenant_id, email) SELECT id, 'x@' || slug || '.example' FROM platform.tenants;
        INSERT INTO platform.roles (tenant_id, name) SELECT id, 'admin' FROM platform.tenants`)
      // a membership cannot join a user of one tenant to a role of another
      await expect(
        savepoint(q, `INSERT INTO platform.memberships (tenant_id, user_id, role_id)
          SELECT u.tenant_id, u.id, r.id FROM platform.users u JOIN platform.roles r ON r.tenant_id <> u.tenant_id LIMIT 1`),
      ).rejects.toThrow(/memberships_role_id_fkey/)
    }),
}

type Session = Parameters<Parameters<Database['session']>[0]>[0]

async function rolledBack(db: Database, f: (q: Session) => Promise<void>): Promise<void> {
  await db.session(async (q) => {
    await q.exec('BEGIN')
    try {
      await f(q)
    } finally {
      await q.exec('ROLLBACK')
    }
  })
}

async function savepoint(q: Session, statement: string): Promise<void> {
  await q.exec('SAVEPOINT s')
  try {
    await q.exec(statement)
  } finally {
    await q.exec('ROLLBACK TO SAVEPOINT s')
  }
}

/** The canonical form of each example's definitions, computed once in one scratch database. */
const desired = new Map<string, Model>()
beforeAll(async () => {
  const scratch = await openScratchPglite({ extensions: PGLITE_EXTENSIONS })
  try {
    for (const name of EXAMPLES) desired.set(name, await canonicalize((await loadProject({ root: rootOf(name) })).model, scratch))
  } finally {
    await scratch.close()
  }
})

describe('the example projects', () => {
  it('are all present', () => {
    expect(EXAMPLES).toEqual(['prosync', 'canonical-platform', 'marketplace', 'vector-search'])
  })

  it.each(EXAMPLES)('%s: nothing left to generate', async (name) => {
    // (with the checked-in snapshot, as a fresh clone runs it; the live database migrated from the
    // history is compared with the definitions canonicalised through a database below, which a
    // lying snapshot would not pass)
    const r = await generate({ root: rootOf(name), name: 'pending', dryRun: true })
    expect(r.changes).toEqual([])
    expect(r.status).toBe('no_changes')
  })

  it.each(EXAMPLES)('%s: its migrations lint without errors, as `migrate up` lints them on an empty database', async (name) => {
    const dir = path.join(rootOf(name), 'migrations')
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
      .map((m) => ({ path: `migrations/${m}/up.sql`, sql: readFileSync(path.join(dir, m, 'up.sql'), 'utf8'), kind: 'cairn' as const, pending: true }))
    const r = await lint(files)
    expect(r.parseErrors).toBe(0)
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`)).toEqual([])
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

  it.for(EXAMPLES)('%s: migrates from zero, seeds, keeps its rules, shows no drift, and inspects as it loads', async (name, ctx) => {
    const root = rootOf(name)
    const offered = new Set((await t.db.query<{ name: string }>('SELECT name FROM pg_available_extensions')).map((r) => r.name))
    const missing = (NEEDS[name] ?? []).filter((x) => !offered.has(x))
    ctx.skip(missing.length > 0, `the ${engine.name} server does not offer the extension ${missing.join(', ')} its history creates`)
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

    await BEHAVIOUR[name]?.(t.db)

    // load ≡ inspect: the live schema against the canonical definitions, nothing to change
    const want = desired.get(name)!
    const live = await inspect(t.db)
    const result = diff(alignEquivalentText(live, want, await loadSameText()), want, { resolveRenames: () => 'no' })
    expect(result.status).not.toBe('needs_input')
    expect(result.status === 'needs_input' ? result.candidates : result.changes).toEqual([])
  })
})
