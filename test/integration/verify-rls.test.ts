/**
 * `cairn verify rls` through the CLI on both engines, on this repository's migrations applied to a
 * fresh database: the reference model is isolated (exit 0: every operation on tenant B's rows out
 * of reach of `cairn_app` with tenant A set, nothing flagged), and each way of weakening it, one at
 * a time and undone after, is caught with exit 1: FORCE off on a table the role owns, a policy
 * without WITH CHECK, a WITH CHECK that accepts anything, a dropped policy, BYPASSRLS, a foreign
 * key without the tenant column, a tenant table without row-level security. The weakenings run as
 * a role of this test's own (a member of cairn_app): roles are shared by every database of a server.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { Database } from '../../src/db/database.js'
import { connect } from '../../src/db/connect.js'
import type { RlsReport } from '../../src/rls/index.js'
import { capturedContext } from '../helpers/cli-context.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { tempDir } from '../unit/migrate/fixtures.js'

const REPO = path.resolve(__dirname, '../..')

async function cairn(...args: string[]) {
  const ctx = capturedContext(REPO)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

const PREDICATE = `(tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)`
const policy = (table: string, using = PREDICATE, check: string | null = PREDICATE) =>
  `DROP POLICY IF EXISTS tenant_isolation ON app.${table}; CREATE POLICY tenant_isolation ON app.${table} USING ${using}${check ? ` WITH CHECK ${check}` : ''};`

interface Weakening {
  readonly name: string
  readonly apply: (role: string) => string
  readonly undo: (role: string) => string
  readonly flags: ReadonlyArray<readonly [code: string, table: string | undefined]>
  /** Cells that must leak: [table, operation]. */
  readonly leaks: ReadonlyArray<readonly [string, string]>
}

const WEAKENINGS: readonly Weakening[] = [
  {
    name: 'FORCE off on a table the application role owns',
    apply: (r) => `ALTER TABLE app.transactions NO FORCE ROW LEVEL SECURITY; ALTER TABLE app.transactions OWNER TO ${r};`,
    undo: () => `ALTER TABLE app.transactions OWNER TO CURRENT_USER; ALTER TABLE app.transactions FORCE ROW LEVEL SECURITY;`,
    flags: [['not_forced', 'app.transactions']],
    leaks: [['app.transactions', 'select'], ['app.transactions', 'insert'], ['app.transactions', 'update'], ['app.transactions', 'delete'], ['app.transactions', 'no_tenant']],
  },
  {
    name: "a policy's WITH CHECK dropped",
    apply: () => policy('files', PREDICATE, null),
    undo: () => policy('files'),
    flags: [['policy_without_check', 'app.files']],
    leaks: [],
  },
  {
    name: 'a WITH CHECK that accepts any row',
    apply: () => policy('users', PREDICATE, '(true)'),
    undo: () => policy('users'),
    flags: [],
    // a re-tag is still refused: the foreign keys of its children carry the tenant
    leaks: [['app.users', 'insert']],
  },
  {
    name: 'a policy dropped',
    apply: () => `DROP POLICY tenant_isolation ON app.modules;`,
    undo: () => policy('modules'),
    flags: [['no_policy', 'app.modules']],
    leaks: [],
  },
  {
    name: 'BYPASSRLS granted to the role',
    apply: (r) => `ALTER ROLE ${r} BYPASSRLS;`,
    undo: (r) => `ALTER ROLE ${r} NOBYPASSRLS;`,
    flags: [['role_bypasses_rls', undefined]],
    leaks: [['app.users', 'select'], ['app.messages', 'update'], ['app.tenants', 'select'], ['app.files', 'no_tenant']],
  },
  {
    name: 'a foreign key without the tenant column',
    apply: () => `ALTER TABLE app.memories DROP CONSTRAINT memories_user_id_fkey; ALTER TABLE app.memories ADD CONSTRAINT memories_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id);`,
    undo: () => `ALTER TABLE app.memories DROP CONSTRAINT memories_user_id_fkey; ALTER TABLE app.memories ADD CONSTRAINT memories_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE;`,
    flags: [['cross_tenant_fk', 'app.memories']],
    leaks: [['app.memories', 'reference']],
  },
  {
    name: 'row-level security disabled on a tenant table',
    apply: () => `ALTER TABLE app.courses DISABLE ROW LEVEL SECURITY;`,
    undo: () => `ALTER TABLE app.courses ENABLE ROW LEVEL SECURITY;`,
    flags: [['no_rls', 'app.courses']],
    leaks: [['app.courses', 'select'], ['app.courses', 'insert'], ['app.courses', 'update'], ['app.courses', 'delete'], ['app.courses', 'retag'], ['app.courses', 'no_tenant']],
  },
  {
    name: 'a new tenant table without row-level security',
    apply: () => `CREATE TABLE app.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), tenant_id uuid NOT NULL REFERENCES app.tenants (id), body text NOT NULL); GRANT SELECT, INSERT ON app.notes TO cairn_app;`,
    undo: () => `DROP TABLE app.notes;`,
    flags: [['no_rls', 'app.notes']],
    leaks: [['app.notes', 'select'], ['app.notes', 'insert']],
  },
]

describe.each(testEngines())('cairn verify rls on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let t: TestDatabase | undefined
  let url: string
  const role = `cairn_vrls_${randomBytes(4).toString('hex')}`

  /** Runs SQL on the database (the embedded one is opened for it and closed again: the CLI opens it too). */
  const exec = async (sql: string) => {
    if (t) return t.db.exec(sql)
    const db: Database = await connect(url)
    try {
      await db.exec(sql)
    } finally {
      await db.close()
    }
  }
  const verify = async (...args: string[]) => {
    const r = await cairn('verify', 'rls', '--url', url, ...args)
    return { ...r, report: args.includes('--json') ? (JSON.parse(r.out) as RlsReport) : undefined }
  }

  beforeAll(async () => {
    tmp = tempDir('cairn-vrls-')
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp.dir, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
    const m = await cairn('migrate', 'up', '--url', url)
    expect(m.code, m.err + m.out).toBe(0)
    await exec(`CREATE ROLE ${role} NOLOGIN IN ROLE cairn_app`)
  }, 180_000)
  afterAll(async () => {
    try {
      await exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`)
    } finally {
      await t?.dispose()
      tmp?.cleanup()
    }
  })

  it('the reference model is isolated as cairn_app: every operation on B\'s rows is out of reach, nothing flagged (exit 0)', async () => {
    const r = await verify('--json')
    expect(r.code, r.out).toBe(0)
    const report = r.report!
    expect(report).toMatchObject({ ok: true, role: 'cairn_app', tenantColumn: 'tenant_id', tenantsTable: 'app.tenants', flags: [], counts: { leaks: 0, flags: 0, unverified: 0, tables: 13 } })
    expect(report.setting).toEqual({ name: 'app.current_tenant_id', from: 'policies', others: [] })
    expect(report.tables.map((x) => x.table)).toEqual([
      'app.agents', 'app.conversations', 'app.courses', 'app.document_chunks', 'app.files', 'app.memories', 'app.message_files', 'app.messages', 'app.modules', 'app.recordings', 'app.tenants', 'app.transactions', 'app.users',
    ])
    // the audit log has a tenant_id but the role has no privilege on it
    expect(report.unreachable).toContain('audit.events')
    for (const table of report.tables) {
      for (const c of table.cells) expect(['pass', 'n/a'], `${table.table} ${c.op}: ${c.detail}`).toContain(c.status)
      // the controls: tenant A reaches its own rows (a delete may be refused by a foreign key of its children)
      expect(table.own, table.table).toMatchObject(table.table === 'app.tenants' ? { select: true, update: true } : { select: true, insert: true, update: true })
    }
    // a cross-tenant reference is refused by the composite foreign key, an insert of B's row by the policy
    const messages = report.tables.find((x) => x.table === 'app.messages')!
    expect(messages.cells.filter((c) => c.op === 'reference').map((c) => [c.object, c.status, c.detail.slice(0, 14)])).toEqual([
      ['messages_conversation_id_fkey', 'pass', 'refused (23503'],
      ['messages_parent_id_fkey', 'pass', 'refused (23503'],
    ])
    expect(messages.cells.find((c) => c.op === 'insert')?.detail).toContain('42501')
    const text = await verify()
    expect(text.code).toBe(0)
    expect(text.out).toContain('table                rls     select  insert  update  delete  re-tag  reference  no tenant')
    expect(text.out).toContain('app.messages         forced  ✓       ✓       ✓       ✓       ✓       ✓          ✓')
    expect(text.out).toContain('isolated: no leak in 13 tables, nothing flagged')
  })

  it.each(WEAKENINGS)('catches $name (exit 1)', async (w) => {
    await exec(w.apply(role))
    try {
      const r = await verify('--role', role, '--json')
      expect(r.code, r.out).toBe(1)
      const report = r.report!
      expect(report.ok).toBe(false)
      const flags = report.flags.map((f) => [f.code, f.table])
      for (const f of w.flags) expect(flags, JSON.stringify(report.flags)).toContainEqual([...f])
      expect(report.flags.length, JSON.stringify(report.flags)).toBe(w.flags.length)
      const leaks = report.tables.flatMap((x) => x.cells.filter((c) => c.status === 'leak').map((c) => [x.table, c.op]))
      for (const l of w.leaks) expect(leaks).toContainEqual([...l])
      if (!w.leaks.length) expect(leaks).toEqual([])
      for (const x of report.tables.flatMap((tt) => tt.cells)) if (x.status === 'leak') expect(x.statement).toMatch(new RegExp(`^SET ROLE ${role}; SELECT set_config\\('app.current_tenant_id', '[^']*', true\\); `))
    } finally {
      await exec(w.undo(role))
    }
  })

  it('--format github: an error per flag and per leak; bad input exits 2', async () => {
    await exec(`ALTER TABLE app.courses DISABLE ROW LEVEL SECURITY`)
    try {
      const r = await verify('--role', role, '--format', 'github')
      expect(r.code).toBe(1)
      const lines = r.out.trim().split('\n')
      expect(lines).toContainEqual(expect.stringMatching(/^::error title=cairn verify rls%3A no_rls::app\.courses has a tenant_id column/))
      expect(lines).toContainEqual(expect.stringMatching(/^::error title=cairn verify rls%3A select leaks on app\.courses::app\.courses select: B's row is visible%0ASET ROLE /))
      expect(lines.at(-1)).toMatch(/^::error title=cairn verify rls::6 leaks, 1 flagged, 13 tables tried as cairn_vrls_/)
    } finally {
      await exec(`ALTER TABLE app.courses ENABLE ROW LEVEL SECURITY`)
    }
    expect((await verify('--role', 'no_such_role_here')).code).toBe(2)
    expect((await verify('--tenant-column', 'no_such_column')).code).toBe(2)
    // every weakening undone: isolated again
    const back = await verify('--role', role, '--json')
    expect(back.code, back.out).toBe(0)
  })
})
