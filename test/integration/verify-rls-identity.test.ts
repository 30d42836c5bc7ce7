/**
 * `cairn verify rls` seeds its two tenants into a tenants table whose key is `GENERATED ALWAYS AS
 * IDENTITY` (the made-up ids are given with OVERRIDING SYSTEM VALUE), and still finds a leak; its
 * text report is coloured as NO_COLOR / FORCE_COLOR say, not as the terminal alone.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { verifyRls } from '../../src/rls/index.js'
import { capturedContext } from '../helpers/cli-context.js'

describe('verify rls with an identity tenant key', () => {
  let db: Database
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-vrls-identity-'))
  beforeAll(async () => {
    db = await openPglite(dir)
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
    rmSync(dir, { recursive: true, force: true })
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

  it('colours its report as NO_COLOR and FORCE_COLOR say', async () => {
    await db.close()
    const verify = async (env: Record<string, string>, isTTY: boolean) => {
      const ctx = Object.assign(capturedContext(dir, env), { isTTY })
      const code = await run(['node', 'cairn', 'verify', 'rls', '--url', `pglite:${dir}`, '--role', 'cairn_vrls_identity'], ctx)
      return { code, out: ctx.out, err: ctx.err }
    }
    const plain = await verify({ NO_COLOR: '1' }, true)
    expect(plain.code, plain.err).toBe(1)
    expect(plain.out + plain.err).toContain('app.notes')
    expect(plain.out).not.toMatch(/\x1b\[/)
    expect((await verify({ FORCE_COLOR: '1' }, false)).out).toMatch(/\x1b\[/)
    db = await openPglite(dir)
  })
})
