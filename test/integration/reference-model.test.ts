/**
 * The reference model in schema/ applies cleanly on every engine, and the catalog then holds
 * exactly the tables, columns, types, defaults, constraints, indexes, enums and comments it defines.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/load/load-project.js'
import type { Model, TableDef } from '../../src/model/types.js'
import { ident, qname } from '../../src/sqlgen/quote.js'
import { renderModel } from '../../src/plan/render-model.js'
import { renderScript } from '../../src/sqlgen/session.js'
import type { Queryable } from '../../src/db/database.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
let model: Model
let script: string

beforeAll(async () => {
  model = (await loadProject({ root })).model
  script = renderScript(renderModel(model))
})

const table = (schema: string, name: string) => model.tables.find((t) => t.schema === schema && t.name === name)!

describe('the reference model', () => {
  it('covers seed 000 and seed 001', () => {
    const names = model.tables.map((t) => `${t.schema}.${t.name}`)
    for (const n of [
      'auth.users', 'auth.sessions', 'auth.oauth_connections', 'documents.documents', 'documents.versions',
      'documents.blocks', 'workspaces.workspaces', 'workspaces.members', 'workspaces.teams', 'collaboration.presence',
      'collaboration.operations', 'audit.logs', 'app.tenants', 'app.users', 'app.conversations', 'app.messages',
      'app.agents', 'app.files', 'app.memories', 'app.courses', 'app.modules', 'app.transactions', 'app.message_files',
    ]) expect(names).toContain(n)
    expect(model.schemas.map((s) => s.name)).toEqual(['ai', 'analytics', 'app', 'audit', 'auth', 'collaboration', 'documents', 'workspaces'])
    // the reply tree, and tenant scoping on every app table but tenants
    expect(table('app', 'messages').foreignKeys.find((f) => f.name === 'messages_parent_id_fkey')).toMatchObject({
      columns: ['tenant_id', 'parent_id'], refTable: 'messages', refColumns: ['tenant_id', 'id'],
    })
    for (const t of model.tables.filter((t) => t.schema === 'app' && t.name !== 'tenants')) {
      expect(t.columns.find((c) => c.name === 'tenant_id')).toEqual({ name: 'tenant_id', type: 'uuid', notNull: true })
      expect(t.indexes.map((i) => i.name)).toContain(`${t.name}_tenant_id_idx`)
      // a row can only point at a parent of its own tenant: every key to another app table carries tenant_id
      for (const f of t.foreignKeys.filter((f) => f.refTable !== 'tenants')) {
        expect(f, `${t.name}.${f.name}`).toMatchObject({ refSchema: 'app', refColumns: ['tenant_id', 'id'] })
        expect(f.columns[0], `${t.name}.${f.name}`).toBe('tenant_id')
      }
    }
    expect(table('documents', 'documents').indexes.find((i) => i.name === 'idx_documents_updated')!.keys).toEqual([{ column: 'updated_at', desc: true }])
  })

  it('isolates every tenant-scoped table, partitions the audit events and defines the operational views', () => {
    const predicate = (column: string) => `(${column} = (current_setting('app.current_tenant_id'::text))::uuid)`
    for (const t of model.tables.filter((t) => t.schema === 'app')) {
      // tenants too, on its own id: a tenant sees and changes only its own row
      const p = predicate(t.name === 'tenants' ? 'id' : 'tenant_id')
      expect(t.rls, t.name).toEqual({ enabled: true, forced: true })
      expect(t.policies, t.name).toEqual([{ name: 'tenant_isolation', permissive: true, command: 'all', roles: ['public'], using: p, withCheck: p }])
    }
    // the application role: NOLOGIN, no BYPASSRLS, granted the app schema and its tables only
    expect(model.roles).toEqual([{ kind: 'role', name: 'cairn_app', login: false, inherit: true, bypassRls: false, memberOf: [] }])
    expect(new Set(model.grants.map((g) => g.schema))).toEqual(new Set(['app']))
    expect(table('audit', 'events').partitionBy).toEqual({ strategy: 'range', key: '(created_at)' })
    expect(table('audit', 'events').primaryKey).toEqual({ name: 'events_pkey', columns: ['id', 'created_at'] })
    expect(model.tables.filter((t) => t.partitionOf?.parent === 'events').map((t) => t.name)).toEqual(
      ['events_2026_01', 'events_2026_02', 'events_2026_03', 'events_2026_04', 'events_2026_05', 'events_2026_06'],
    )
    expect(model.views.map((v) => `${v.schema}.${v.name}${v.materialized ? ' (materialized)' : ''}`)).toEqual([
      'audit.trail_by_workspace', 'documents.active_documents', 'documents.pending_documents', 'documents.workspace_document_stats (materialized)',
    ])
  })

  it('renders byte-identical SQL on every load', async () => {
    const again = renderScript(renderModel((await loadProject({ root })).model))
    expect(again).toBe(script)
    expect(script).toContain('"order" integer DEFAULT 0')
  })
})

async function catalog<T>(db: TestDatabase['db'], fn: (q: Queryable) => Promise<T>): Promise<T> {
  return db.session(async (s) => {
    await s.exec('SET search_path = pg_catalog')
    try {
      return await fn(s)
    } finally {
      await s.exec('RESET search_path')
    }
  })
}

function expectedIndexDef(t: TableDef, ix: TableDef['indexes'][number]): string {
  const keys = ix.keys.map((k) => {
    let s = k.column !== undefined ? ident(k.column) : k.expression!
    if (k.opclass) s += ` ${k.opclass}`
    if (k.desc) s += ' DESC'
    if (k.nullsFirst === true) s += ' NULLS FIRST'
    if (k.nullsFirst === false) s += ' NULLS LAST'
    return s
  })
  const include = ix.include.length ? ` INCLUDE (${ix.include.map(ident).join(', ')})` : ''
  const where = ix.where ? ` WHERE ${ix.where}` : ''
  // an index on a partitioned table is the template of its partitions' indexes: ON ONLY
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ident(ix.name)} ON ${t.partitionBy ? 'ONLY ' : ''}${qname(t.schema, t.name)} USING ${ix.method} (${keys.join(', ')})${include}${where}`
}

function expectedConstraintDef(t: TableDef): { table: string; name: string; def: string }[] {
  const out: { table: string; name: string; def: string }[] = []
  const tn = `${t.schema}.${t.name}`
  const cols = (c: readonly string[]) => c.map(ident).join(', ')
  if (t.primaryKey) out.push({ table: tn, name: t.primaryKey.name, def: `PRIMARY KEY (${cols(t.primaryKey.columns)})` })
  for (const u of t.uniques) out.push({ table: tn, name: u.name, def: `UNIQUE (${cols(u.columns)})` })
  for (const f of t.foreignKeys) {
    let def = `FOREIGN KEY (${cols(f.columns)}) REFERENCES ${qname(f.refSchema, f.refTable)}(${cols(f.refColumns)})`
    if (f.onUpdate !== 'no action') def += ` ON UPDATE ${f.onUpdate.toUpperCase()}`
    if (f.onDelete !== 'no action') def += ` ON DELETE ${f.onDelete.toUpperCase()}`
    out.push({ table: tn, name: f.name, def })
  }
  for (const c of t.checks) out.push({ table: tn, name: c.name, def: `CHECK (${c.expression})` })
  return out
}

const byKey = <T extends { table: string; name: string }>(a: T, b: T) =>
  a.table < b.table ? -1 : a.table > b.table ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0

describe.each(testEngines())('the reference model on $name', (engine) => {
  let tdb: TestDatabase
  const schemas = () => model.schemas.map((s) => s.name)

  beforeAll(async () => {
    tdb = await engine.open()
    await tdb.db.transaction((tx) => tx.exec(script))
  })
  afterAll(async () => tdb?.dispose())

  it('creates every table with its columns, types, NOT NULL and defaults', async () => {
    const rows = await catalog(tdb.db, (q) =>
      q.query<{ tbl: string; name: string; type: string; not_null: boolean; def: string | null; comment: string | null }>(
        `SELECT n.nspname || '.' || c.relname AS tbl, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
                a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS def, col_description(c.oid, a.attnum) AS comment
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
          WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
          ORDER BY n.nspname, c.relname, a.attnum`,
        [schemas()],
      ),
    )
    const expected = model.tables.flatMap((t) =>
      t.columns.map((c) => ({ tbl: `${t.schema}.${t.name}`, name: c.name, type: c.type, not_null: c.notNull, def: c.default ?? null, comment: c.comment ?? null })),
    )
    expect(rows).toEqual(expected)
    expect(rows.length).toBeGreaterThan(200)
  })

  it('creates every primary key, unique, foreign key and check constraint', async () => {
    const rows = await catalog(tdb.db, (q) =>
      q.query<{ table: string; name: string; def: string }>(
        `SELECT n.nspname || '.' || c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
           FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE con.contype IN ('p', 'u', 'f', 'c') AND n.nspname = ANY($1::text[])
            AND con.conparentid = 0 AND con.conislocal`,
        [schemas()],
      ),
    )
    const expected = model.tables.flatMap(expectedConstraintDef)
    expect([...rows].sort(byKey)).toEqual([...expected].sort(byKey))
    expect(rows.some((r) => r.def === 'FOREIGN KEY (tenant_id, parent_id) REFERENCES app.messages(tenant_id, id)')).toBe(true)
  })

  it('creates every index, including GIN full-text and DESC ones', async () => {
    const rows = await catalog(tdb.db, (q) =>
      q.query<{ table: string; name: string; def: string }>(
        `SELECT n.nspname || '.' || t.relname AS table, i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid AND con.contype IN ('p', 'u'))
            AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = x.indexrelid)
            AND t.relkind <> 'm'`,
        [schemas()],
      ),
    )
    const expected = model.tables.flatMap((t) => t.indexes.map((ix) => ({ table: `${t.schema}.${t.name}`, name: ix.name, def: expectedIndexDef(t, ix) })))
    expect([...rows].sort(byKey)).toEqual([...expected].sort(byKey))
    expect(rows.map((r) => r.def)).toContain(
      `CREATE INDEX idx_documents_content_fts ON documents.documents USING gin (to_tsvector('english'::regconfig, content_text))`,
    )
    expect(rows.map((r) => r.def)).toContain('CREATE INDEX idx_audit_created ON audit.logs USING btree (created_at DESC)')
  })

  it('creates the policies, partitions and views', async () => {
    const policies = await catalog(tdb.db, (q) =>
      q.query<{ table: string; name: string; qual: string; check: string; rls: boolean; forced: boolean }>(
        `SELECT n.nspname || '.' || c.relname AS table, p.polname AS name, pg_get_expr(p.polqual, p.polrelid) AS qual,
                pg_get_expr(p.polwithcheck, p.polrelid) AS check, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
           FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ANY($1::text[]) ORDER BY 1, 2`,
        [schemas()],
      ),
    )
    const expectedPolicies = model.tables.flatMap((t) =>
      t.policies.map((p) => ({ table: `${t.schema}.${t.name}`, name: p.name, qual: p.using, check: p.withCheck, rls: true, forced: true })),
    )
    expect(policies).toEqual(expectedPolicies)
    expect(policies).toHaveLength(13)
    const partitions = await catalog(tdb.db, (q) =>
      q.query<{ name: string; parent: string; bound: string }>(
        `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
           FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent
          WHERE c.relispartition AND c.relkind = 'r' AND c.relnamespace = 'audit'::regnamespace ORDER BY 1`,
      ),
    )
    expect(partitions).toEqual(model.tables.filter((t) => t.partitionOf).map((t) => ({ name: t.name, parent: t.partitionOf!.parent, bound: t.partitionOf!.bound })))
    const views = await catalog(tdb.db, (q) =>
      q.query<{ name: string; kind: string }>(
        `SELECT n.nspname || '.' || c.relname AS name, c.relkind::text AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[]) ORDER BY 1`,
        [schemas()],
      ),
    )
    expect(views).toEqual(model.views.map((v) => ({ name: `${v.schema}.${v.name}`, kind: v.materialized ? 'm' : 'v' })))
    await tdb.db.exec(`INSERT INTO documents.documents (workspace_id, title, owner_id, status) VALUES
      ('00000000-0000-0000-0000-00000000000a', 'a', gen_random_uuid(), 'draft'), ('00000000-0000-0000-0000-00000000000a', 'b', gen_random_uuid(), 'published')`)
    await tdb.db.exec('REFRESH MATERIALIZED VIEW CONCURRENTLY documents.workspace_document_stats')
    expect(await tdb.db.query(`SELECT documents::int AS d, draft_documents::int AS draft FROM documents.workspace_document_stats`)).toEqual([{ d: 2, draft: 1 }])
    expect(await tdb.db.query(`SELECT title FROM documents.pending_documents`)).toEqual([{ title: 'a' }])
  })

  it('creates the enums in order and the schema and table comments', async () => {
    const enums = await catalog(tdb.db, (q) =>
      q.query<{ name: string; labels: string[] }>(
        `SELECT n.nspname || '.' || t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
          WHERE n.nspname = ANY($1::text[]) GROUP BY 1 ORDER BY 1`,
        [schemas()],
      ),
    )
    expect(enums).toEqual(model.enums.map((e) => ({ name: `${e.schema}.${e.name}`, labels: [...e.values] })))
    const comments = await catalog(tdb.db, (q) =>
      q.query<{ name: string; comment: string }>(
        `SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace
          WHERE nspname = ANY($1::text[]) ORDER BY 1`,
        [schemas()],
      ),
    )
    expect(comments).toEqual(model.schemas.map((s) => ({ name: s.name, comment: s.comment ?? null })))
  })
})
