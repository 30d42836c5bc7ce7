/**
 * `cairn diff --from --to` and diffDatabases() against real databases on both engines: output
 * formats, exit codes, refusal of destructive changes, and that applying the printed migration
 * makes the two schemas equal.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { diffDatabases } from '../../src/workflows/diff-databases.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const FROM_SQL = `
create schema app;
create table app.users (id bigint generated always as identity primary key, email text not null);
create table app.legacy (id integer);
`
const TO_SQL = `
create schema app;
create table app.users (id bigint generated always as identity primary key, email text not null, name text);
create index users_email_idx on app.users (email);
create table app.orders (id bigint primary key, user_id bigint not null references app.users (id));
`

interface Side {
  readonly url: string
  /** Opens the database for library calls (PGlite directories allow one opener at a time). */
  use<T>(fn: (db: Database) => Promise<T>): Promise<T>
  dispose(): Promise<void>
}

async function makeSide(engine: ReturnType<typeof testEngines>[number], sql: string): Promise<Side> {
  if (engine.name === 'postgres') {
    const t: TestDatabase = await engine.open()
    await t.db.exec(sql)
    return { url: t.url, use: (fn) => fn(t.db), dispose: () => t.dispose() }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'cairn-diff-'))
  const use = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const db = await openPglite(dir)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  await use((db) => db.exec(sql))
  return { url: `pglite:${dir}`, use, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
}


async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const ctx = capturedContext(process.cwd())
  const code = await run(['node', 'cairn', 'diff', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

describe.each(testEngines())('cairn diff on $name', (engine) => {
  let from: Side
  let to: Side
  beforeAll(async () => {
    from = await makeSide(engine, FROM_SQL)
    to = await makeSide(engine, TO_SQL)
  })
  afterAll(async () => {
    await from?.dispose()
    await to?.dispose()
  })

  it('refuses destructive changes unless allowed, with exit 2 and the change listed', async () => {
    const r = await cli('--from', from.url, '--to', to.url)
    expect(r.code).toBe(2)
    expect(r.err).toContain('destructive_changes')
    expect(r.err).toMatch(/PGK101 drop_table app\.legacy/)
    expect(r.err).toContain('--allow-destructive')
    const j = await cli('--from', from.url, '--to', to.url, '--json')
    expect(j.code).toBe(2)
    expect(JSON.parse(j.out)).toMatchObject({ ok: false, error: { code: 'destructive_changes' } })
  })

  it('prints the lock-safe migration as SQL', async () => {
    const r = await cli('--from', from.url, '--to', to.url, '--allow-destructive')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain("SET lock_timeout = '5s';")
    expect(r.out).toMatch(/^ALTER TABLE app\.users ADD COLUMN name text;$/m)
    expect(r.out).toMatch(/-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx ON app\.users USING btree \(email\);/)
    expect(r.out).toMatch(/^CREATE TABLE app\.orders \(/m)
    expect(r.out).toMatch(/^DROP TABLE app\.legacy;$/m)
    expect(r.out).toMatch(/^-- cairn:destructive PGK101 drop_table app\.legacy/m)
  })

  it('prints changes and statements as JSON', async () => {
    const r = await cli('--from', from.url, '--to', to.url, '--allow-destructive', '--format', 'json')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.out) as { ok: boolean; empty: boolean; changes: { kind: string }[]; statements: { sql: string; transactional: boolean }[]; destructive: { destructive: string }[] }
    expect(doc.ok).toBe(true)
    expect(doc.empty).toBe(false)
    expect(doc.changes.map((c) => c.kind).sort()).toEqual(
      expect.arrayContaining(['add_column', 'create_index', 'create_table', 'drop_table']),
    )
    expect(doc.statements.find((s) => s.sql.startsWith('CREATE INDEX CONCURRENTLY'))?.transactional).toBe(false)
    expect(doc.destructive.map((d) => d.destructive)).toEqual(['PGK101'])
  })

  it('summarises changes as text', async () => {
    const r = await cli('--from', from.url, '--to', to.url, '--allow-destructive', '--format', 'text')
    expect(r.code).toBe(0)
    const lines = r.out.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^diff .* → /)
    expect(lines.filter((l) => l.startsWith('  + ')).length).toBeGreaterThanOrEqual(3)
    expect(lines.filter((l) => l.startsWith('  - ')).length).toBe(1)
    expect(r.out).toMatch(/destructive PGK101 drop_table app\.legacy/)
    expect(lines.at(-1)).toMatch(/^\d+ changes, \d+ statements; --format sql prints the migration$/)
  })

  it('exits 1 with --exit-code when the schemas differ', async () => {
    const r = await cli('--from', from.url, '--to', to.url, '--allow-destructive', '--exit-code')
    expect(r.code).toBe(1)
  })

  it('rejects an unknown URL scheme with exit 2', async () => {
    const r = await cli('--from', 'mysql://x', '--to', to.url)
    expect(r.code).toBe(2)
    expect(r.err).toContain('bad_url')
  })

  it('makes the schemas equal once its migration is applied; then reports no differences', async () => {
    await from.use((a) =>
      to.use(async (b) => {
        const d = await diffDatabases({ from: a, to: b, policy: { allowDestructive: true } })
        expect(d.empty).toBe(false)
        await a.session(async (s) => {
          for (const st of d.statements) await s.exec(st.sql)
        })
        const again = await diffDatabases({ from: a, to: b })
        expect(again.changes).toEqual([])
        expect(again.statements).toEqual([])
        expect(again.from).toEqual(again.to)
      }),
    )
    const r = await cli('--from', from.url, '--to', to.url, '--exit-code', '--format', 'text')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/no differences/)
    const s = await cli('--from', from.url, '--to', to.url)
    expect(s.out).toMatch(/^-- no differences between /)
  })
})

describe.each(testEngines())('cairn diff and cluster-wide roles on $name', (engine) => {
  const role = `cairn_diff_r_${randomBytes(4).toString('hex')}`
  let from: Side
  let to: Side
  beforeAll(async () => {
    from = await makeSide(engine, `create table t (a integer); create role ${role}; grant select on t to ${role};`)
    to = await makeSide(engine, `create table t (a integer);`)
  })
  afterAll(async () => {
    await from?.dispose()
    await to?.dispose()
    if (engine.name === 'postgres') {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await c.connect()
      await c.query(`drop role if exists ${role}`)
      await c.end()
    }
  })

  it('revokes grants but leaves the role out unless --drop-roles', async () => {
    const r = await cli('--from', from.url, '--to', to.url)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(new RegExp(`^REVOKE SELECT ON TABLE public\\.t FROM ${role};$`, 'm'))
    expect(r.out).not.toContain('DROP ROLE')
    const t = await cli('--from', from.url, '--to', to.url, '--format', 'text')
    expect(t.out).toContain(`left out: drop role ${role} (roles are cluster-wide; --drop-roles includes it)`)
    const j = JSON.parse((await cli('--from', from.url, '--to', to.url, '--json')).out) as { omitted: { kind: string }[] }
    expect(j.omitted.map((o) => o.kind)).toEqual(['drop_role'])
    // dropping a role is destructive (PGK112): refused unless allowed
    const refused = await cli('--from', from.url, '--to', to.url, '--drop-roles')
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(new RegExp(`PGK112 drop_role ${role}`))
    const d = await cli('--from', from.url, '--to', to.url, '--drop-roles', '--allow-destructive')
    expect(d.out).toMatch(new RegExp(`^DROP ROLE ${role};$`, 'm'))
    expect(d.out).toMatch(new RegExp(`^-- cairn:destructive PGK112 drop_role ${role} `, 'm'))
  })
})
