/**
 * `cairn verify rls` seeds its two tenants into a tenants table whose key is `GENERATED ALWAYS AS
 * IDENTITY` (the made-up ids are given with OVERRIDING SYSTEM VALUE), and still finds a leak.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { verifyRls } from '../../src/rls/index.js'

describe('verify rls with an identity tenant key', () => {
  let db: Database
  beforeAll(async () => {
    db = await openPglite()
    await db.exec(`CREATE ROLE cairn_vrls_identity;
      CREATE SCHEMA app;
      CREATE TABLE app.tenants (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
      CREATE TABLE app.items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES app.tenants (id), body text NOT NULL);
      ALTER TABLE app.items ENABLE ROW LEVEL SECURITY;
      CREATE POLICY tenant_isolation ON app.items USING (tenant_id = current_setting('app.current_tenant_id')::bigint);
      CREATE TABLE app.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id bigint NOT NULL REFERENCES app.tenants (id), body text NOT NULL);
      ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
      CREATE POLICY too_wide ON app.notes USING (true);
      GRANT USAGE ON SCHEMA app TO cairn_vrls_identity;
      GRANT SELECT, INSERT, UPDATE, DELETE ON app.items, app.notes TO cairn_vrls_identity;`)
  })
  afterAll(async () => {
    await db?.close()
  })

  it('makes the tenants and probes every table', async () => {
    const r = await verifyRls(db, { role: 'cairn_vrls_identity' })
    expect(r.tenantsTable).toBe('app.tenants')
    expect(r.tables.map((t) => [t.table, t.unverified])).toEqual([['app.items', undefined], ['app.notes', undefined]])
    const items = r.tables.find((t) => t.table === 'app.items')!
    expect(items.cells.filter((c) => c.status === 'leak')).toEqual([])
    expect(r.tables.find((t) => t.table === 'app.notes')!.cells.find((c) => c.op === 'select')?.status).toBe('leak')
    // nothing stays behind: the run is rolled back
    expect(await db.query('SELECT * FROM app.tenants')).toEqual([])
  })
})
