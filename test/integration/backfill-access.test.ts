/**
 * A backfill as a non-superuser: what the role lacks (row-level security in the way of COPY,
 * privileges on the targets and on the bookkeeping tables) is found before anything is loaded,
 * with the statements that fix it; once granted, the load and verify work; verify under forced RLS
 * says it cannot see the rows instead of reporting them missing. Errors that concern a whole batch
 * stop the run (exit 3, recorded) instead of turning every document into a reject.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { openPostgres } from '../../src/db/postgres.js'
import type { Database } from '../../src/db/database.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { ensureBookkeeping, listRejects, readProgress } from '../../src/data/checkpoint.js'
import { memorySource } from '../../src/data/source.js'
import { resetDatabase, userDocs, usersJob } from '../unit/data/fixtures.js'

describe.each(testEngines())('backfill as a non-superuser on $name', (engine) => {
  let t: TestDatabase
  const role = `cairn_loader_${randomBytes(3).toString('hex')}`
  let loaderDb: Database | undefined

  /** Runs `fn` with a Database whose statements run as the loader role. */
  async function asLoader<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (engine.name === 'postgres') {
      if (!loaderDb) {
        const u = new URL(t.url)
        u.username = role
        u.password = ''
        loaderDb = await openPostgres(u.toString())
      }
      return fn(loaderDb)
    }
    // PGlite has one connection: the role is set on it for the duration.
    await t.db.exec(`SET ROLE ${role}`)
    try {
      return await fn(t.db)
    } finally {
      await t.db.exec('RESET ROLE')
    }
  }

  const count = async (sql: string) => Number((await t.db.query<{ n: string }>(sql))[0]!.n)
  const docs = userDocs(20)

  beforeAll(async () => {
    t = await engine.open()
    await t.db.exec(`CREATE ROLE ${role} LOGIN`)
  })
  afterAll(async () => {
    await loaderDb?.close()
    await t.db.exec(`DROP OWNED BY ${role}`).catch(() => {})
    if (engine.name === 'pglite') await t.db.exec(`DROP ROLE ${role}`)
    await t?.dispose()
    if (engine.name === 'postgres') {
      const admin = await openPostgres(process.env.DATABASE_URL!)
      await admin.exec(`DROP ROLE IF EXISTS ${role}`)
      await admin.close()
    }
  })
  beforeEach(async () => {
    await resetDatabase(t.db)
    await t.db.exec(`ALTER ROLE ${role} NOBYPASSRLS`)
  })

  /** The bookkeeping tables, created by the owner, with what the loader needs granted. */
  async function bookkeepingFor(): Promise<void> {
    await ensureBookkeeping(t.db)
    await t.db.exec(`
      GRANT USAGE ON SCHEMA cairn TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA cairn TO ${role};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA cairn TO ${role};`)
  }

  /** The loader owns app.users, with FORCE ROW LEVEL SECURITY and a tenant policy (the reference model's shape). */
  async function forcedRls(): Promise<void> {
    await t.db.exec(`
      GRANT USAGE ON SCHEMA app TO ${role};
      ALTER TABLE app.users OWNER TO ${role};
      ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
      ALTER TABLE app.users FORCE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON app.users USING (tenant_id = current_setting('app.current_tenant_id')::uuid)
        WITH CHECK (tenant_id = current_setting('app.current_tenant_id')::uuid);`)
  }

  it('refuses to load through FORCE ROW LEVEL SECURITY before loading anything, and says what to grant', async () => {
    await bookkeepingFor()
    await forcedRls()
    const e = await asLoader((db) => runBackfill(db, memorySource({ users: docs }), [usersJob])).then(
      () => undefined,
      (x: unknown) => x as { code: string; exitCode: number; message: string; hint: string },
    )
    expect(e).toMatchObject({ code: 'backfill_access', exitCode: 3 })
    expect(e!.message).toContain('row-level security is forced on app.users')
    expect(e!.message).toContain('COPY cannot load through row-level security')
    expect(e!.hint).toContain(`ALTER ROLE ${role} BYPASSRLS;`)
    expect(await count(`SELECT count(*)::text AS n FROM app.users`)).toBe(0)
    expect(await count(`SELECT count(*)::text AS n FROM cairn.backfill_runs`)).toBe(0)
    expect(await count(`SELECT count(*)::text AS n FROM cairn.backfill_checkpoints`)).toBe(0)
  })

  it('lists every missing privilege with the GRANT that fixes it', async () => {
    await ensureBookkeeping(t.db)
    await t.db.exec(`GRANT USAGE ON SCHEMA app TO ${role}; GRANT SELECT ON app.users TO ${role};`)
    const e = await asLoader((db) => runBackfill(db, memorySource({ users: docs }), [usersJob], { mode: 'upsert' })).then(
      () => undefined,
      (x: unknown) => x as { code: string; exitCode: number; message: string; hint: string },
    )
    expect(e).toMatchObject({ code: 'backfill_access', exitCode: 3 })
    expect(e!.hint).toContain(`GRANT INSERT, UPDATE ON app.users TO ${role};`)
    expect(e!.hint).toContain(`GRANT USAGE ON SCHEMA cairn TO ${role};`)
    expect(e!.hint).toContain(`GRANT SELECT, INSERT, UPDATE ON cairn.backfill_runs TO ${role};`)
    expect(e!.hint).toContain(`GRANT SELECT, INSERT ON cairn.backfill_checkpoints TO ${role};`)
    expect(e!.hint).toContain(`GRANT USAGE ON SEQUENCE cairn.backfill_runs_id_seq TO ${role};`)
    expect(await count(`SELECT count(*)::text AS n FROM app.users`)).toBe(0)
  })

  it('a role that may not create the bookkeeping tables is told so', async () => {
    await t.db.exec(`GRANT USAGE ON SCHEMA app TO ${role}; GRANT INSERT ON app.users TO ${role};`)
    await expect(asLoader((db) => runBackfill(db, memorySource({ users: docs }), [usersJob]))).rejects.toMatchObject({
      code: 'backfill_access',
      exitCode: 3,
      hint: expect.stringContaining(`GRANT CREATE ON DATABASE`),
    })
  })

  it('with BYPASSRLS the role loads and verifies; without it, verify says it cannot see the rows', async () => {
    await bookkeepingFor()
    await forcedRls()
    await t.db.exec(`ALTER ROLE ${role} BYPASSRLS`)
    // The embedded engine receives COPY data through a file.
    if (engine.name === 'pglite') await t.db.exec(`GRANT pg_read_server_files TO ${role}`)
    const source = memorySource({ users: docs })
    const run = await asLoader((db) => runBackfill(db, source, [usersJob]))
    expect(run[0]).toMatchObject({ status: 'done', loaded: 20, rejected: 0 })
    expect((await asLoader((db) => verifyJob(db, source, usersJob))).ok).toBe(true)
    // The same role without BYPASSRLS sees no row of another tenant: not "20 missing rows".
    await t.db.exec(`ALTER ROLE ${role} NOBYPASSRLS`)
    await expect(asLoader((db) => verifyJob(db, source, usersJob))).rejects.toMatchObject({
      code: 'backfill_verify_access',
      exitCode: 3,
      message: expect.stringContaining('row-level security is forced on app.users'),
    })
  })

  it('an error that concerns the whole batch stops the run (recorded, resumable) instead of rejecting every document', async () => {
    // What a batch meets when the session or the table is wrong: not a fault of any one document.
    await t.db.exec(`
      CREATE FUNCTION app.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.email = 'user5@example.com' THEN RAISE EXCEPTION 'not supported here' USING ERRCODE = '0A000'; END IF;
        IF NEW.email = 'user12@example.com' THEN RAISE EXCEPTION 'bad row' USING ERRCODE = '23514'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse BEFORE INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.refuse();`)
    const source = memorySource({ users: docs })
    await expect(runBackfill(t.db, source, [usersJob])).rejects.toMatchObject({
      code: 'backfill_batch_failed',
      exitCode: 3,
      meta: { sqlstate: '0A000', batch: 2 },
    })
    expect(await readProgress(t.db, 'users')).toMatchObject({ batches: 1, loaded: 3 })
    expect(await listRejects(t.db, { job: 'users' })).toHaveLength(0)
    const runs = await t.db.query<{ status: string; error: string }>(`SELECT status, error FROM cairn.backfill_runs`)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.status).toBe('failed')
    expect(runs[0]!.error).toContain('0A000 not supported here')
    // A row's own error is still a reject; the rest resumes and loads.
    await t.db.exec(`CREATE OR REPLACE FUNCTION app.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.email = 'user12@example.com' THEN RAISE EXCEPTION 'bad row' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$`)
    const rest = await runBackfill(t.db, source, [usersJob])
    expect(rest[0]).toMatchObject({ docs: 17, loaded: 16, rejected: 1 })
    expect((await listRejects(t.db, { job: 'users' }))[0]!.reason).toMatch(/^23514 bad row/)
    expect(await count(`SELECT count(*)::text AS n FROM app.users`)).toBe(19)
  })
})
