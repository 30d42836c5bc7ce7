/**
 * Row-level security, policies, roles, grants, partitions and views in the DSL: the model shapes
 * they produce, the problems validation reports, and that they apply on every engine and inspect
 * back deep-equal to what was loaded (views after canonicalize).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  enableRls, forceRls, grant, index, integer, jsonb, materializedView, MAXVALUE, partitionOf, pgSchema, policy, primaryKey,
  rangePartitions, role, sql, tenantIsolation, tenantPredicate, text, timestamp, timestamptz, date, unique, uuid, view,
} from '../../../src/dsl/index.js'
import { buildModel, collectModel } from '../../../src/load/build-model.js'
import { inspect } from '../../../src/inspect/inspect.js'
import { canonicalize } from '../../../src/inspect/canonicalize.js'
import { diff } from '../../../src/diff/diff.js'
import { renderModel } from '../../../src/plan/render-model.js'
import type { Model } from '../../../src/model/types.js'
import { testEngines } from '../../helpers/engines.js'
import type { TestDatabase } from '../../helpers/engines.js'

const suffix = randomBytes(3).toString('hex')
const readerName = `cairn_pvp_reader_${suffix}`

// ---- the definitions under test ------------------------------------------------------------
const crm = pgSchema('crm')
const reader = role(readerName, { login: false })

const tenants = crm.table('tenants', { id: uuid().primaryKey().defaultRandom(), name: text().notNull() })

const contacts = crm.table(
  'contacts',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenant_id: uuid().notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    owner: text().notNull().default(sql`CURRENT_USER`),
    email: text().notNull(),
    deleted_at: timestamptz(),
  },
  (t) => [
    index().on(t.tenant_id),
    tenantIsolation(),
    policy('owner_reads', { as: 'restrictive', for: 'select', to: [reader], using: sql`(owner = CURRENT_USER)` }),
  ],
)

const notes = crm.table(
  'notes',
  { id: integer().primaryKey(), body: text() },
  (t) => [enableRls(), policy('notes_insert', { for: 'insert', to: 'public', withCheck: sql`(length(body) < 1000)` })],
)

const secrets = crm.table('secrets', { id: integer().primaryKey() }, { rls: { enabled: true, forced: true } })

const events = crm.table(
  'events',
  {
    id: uuid().notNull().defaultRandom(),
    tenant_id: uuid().notNull(),
    kind: text().notNull(),
    payload: jsonb<Record<string, unknown>>().default({}),
    created_at: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.id, t.created_at] }), index().on(t.tenant_id, t.created_at.desc())],
  { partitionBy: { strategy: 'range', key: ['created_at'] } },
)
const eventPartitions = rangePartitions(events, { from: '2026-01', every: 'quarter', count: 2 })
const eventsLater = partitionOf(events, 'events_later', { from: '2026-07-01', to: MAXVALUE })

const days = crm.table('days', { day: date().notNull(), n: integer() }, { partitionBy: { strategy: 'range', key: ['day'] } })
const daysJan = partitionOf(days, 'days_2026_01', { from: '2026-01-01', to: '2026-02-01' })
const stamps = crm.table('stamps', { at: timestamp().notNull() }, { partitionBy: { strategy: 'range', key: ['at'] } })
const stampsJan = partitionOf(stamps, 'stamps_2026_01', sql`FOR VALUES FROM ('2026-01-01 00:00:00') TO ('2026-02-01 00:00:00')`)

const regions = crm.table('regions', { code: text().notNull(), name: text() }, { partitionBy: { strategy: 'list', key: ['code'] } })
const regionsEu = partitionOf(regions, 'regions_eu', { in: ['de', 'fr'] }, { partitionBy: { strategy: 'hash', key: ['name'] } })
const regionsEu0 = partitionOf(regionsEu, 'regions_eu_0', { modulus: 2, remainder: 0 })
const regionsEu1 = partitionOf(regionsEu, 'regions_eu_1', { modulus: 2, remainder: 1 })
const regionsOther = partitionOf(regions, 'regions_other', { default: true })

const liveContacts = view(crm, 'live_contacts', {
  sql: sql`SELECT id, tenant_id, email FROM crm.contacts WHERE deleted_at IS NULL`,
  with: { security_barrier: true },
  deps: [contacts],
  comment: 'contacts not soft-deleted',
})
const eventCounts = materializedView('crm', 'event_counts', {
  sql: sql`SELECT tenant_id, kind, count(*) AS n, max(created_at) AS last_at FROM crm.events GROUP BY tenant_id, kind`,
  deps: [events],
  indexes: [{ on: ['tenant_id', 'kind'], unique: true }],
})
const readContacts = grant(['select'], { on: contacts, to: reader })
const readView = grant(['SELECT'], { on: liveContacts, to: reader })

const exportsUnderTest = {
  crm, reader, tenants, contacts, notes, secrets, events, eventPartitions, eventsLater, days, daysJan, stamps, stampsJan,
  regions, regionsEu, regionsEu0, regionsEu1, regionsOther, liveContacts, eventCounts, readContacts, readView,
}
const model = buildModel(exportsUnderTest)
const tbl = (name: string) => model.tables.find((t) => t.schema === 'crm' && t.name === name)!

describe('DSL shapes', () => {
  it('tenantIsolation() enables and forces RLS with the tenant_isolation policy in pg_get_expr form', () => {
    const predicate = "(tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)"
    expect(tenantPredicate()).toBe(predicate)
    expect(tbl('contacts').rls).toEqual({ enabled: true, forced: true })
    expect(tbl('contacts').policies).toEqual([
      { name: 'owner_reads', permissive: false, command: 'select', roles: [readerName], using: '(owner = CURRENT_USER)' },
      { name: 'tenant_isolation', permissive: true, command: 'all', roles: ['public'], using: predicate, withCheck: predicate },
    ])
    expect(tenantPredicate({ column: 'Org', setting: 'x.org', type: 'integer' })).toBe(`("Org" = (current_setting('x.org'::text))::integer)`)
    expect(tenantIsolation({ force: false }).forced).toBe(false)
    expect(forceRls()).toMatchObject({ enabled: true, forced: true })
  })

  it('enableRls(), the rls option, insert-only policies', () => {
    expect(tbl('notes').rls).toEqual({ enabled: true, forced: false })
    expect(tbl('notes').policies).toEqual([{ name: 'notes_insert', permissive: true, command: 'insert', roles: ['public'], withCheck: '(length(body) < 1000)' }])
    expect(tbl('secrets').rls).toEqual({ enabled: true, forced: true })
    expect(tbl('secrets').policies).toEqual([])
    expect('rls' in tbl('tenants')).toBe(false)
  })

  it('roles and grants', () => {
    expect(model.roles).toEqual([{ kind: 'role', name: readerName, login: false, inherit: true, bypassRls: false, memberOf: [] }])
    expect(model.grants).toEqual([
      { kind: 'grant', on: 'table', schema: 'crm', name: 'contacts', role: readerName, privileges: ['SELECT'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'crm', name: 'live_contacts', role: readerName, privileges: ['SELECT'], withGrantOption: false },
    ])
  })

  it('partitioned parents and partitions', () => {
    expect(tbl('events').partitionBy).toEqual({ strategy: 'range', key: '(created_at)' })
    expect(eventPartitions.map((p) => p.$name)).toEqual(['events_2026_q1', 'events_2026_q2'])
    expect(tbl('events_2026_q1')).toEqual({
      kind: 'table', schema: 'crm', name: 'events_2026_q1',
      columns: [
        { name: 'id', type: 'uuid', notNull: true, default: 'gen_random_uuid()' },
        { name: 'tenant_id', type: 'uuid', notNull: true },
        { name: 'kind', type: 'text', notNull: true },
        { name: 'payload', type: 'jsonb', notNull: false, default: "'{}'::jsonb" },
        { name: 'created_at', type: 'timestamp with time zone', notNull: true, default: 'now()' },
      ],
      uniques: [], foreignKeys: [], checks: [], indexes: [], with: {}, policies: [],
      partitionOf: { parentSchema: 'crm', parent: 'events', bound: "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-04-01 00:00:00+00')" },
    })
    expect(tbl('events_later').partitionOf!.bound).toBe("FOR VALUES FROM ('2026-07-01 00:00:00+00') TO (MAXVALUE)")
    expect(tbl('days_2026_01').partitionOf!.bound).toBe("FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')")
    expect(tbl('regions_eu')).toMatchObject({ partitionBy: { strategy: 'hash', key: '(name)' }, partitionOf: { bound: "FOR VALUES IN ('de', 'fr')" } })
    expect(tbl('regions_eu_1').partitionOf).toEqual({ parentSchema: 'crm', parent: 'regions_eu', bound: 'FOR VALUES WITH (modulus 2, remainder 1)' })
    expect(tbl('regions_other').partitionOf!.bound).toBe('DEFAULT')
    const months = rangePartitions(days, { from: '2025-11', every: 'month', count: 3 })
    expect(months.map((p) => [p.$name, p.$def.partitionOf!.bound])).toEqual([
      ['days_2025_11', "FOR VALUES FROM ('2025-11-01') TO ('2025-12-01')"],
      ['days_2025_12', "FOR VALUES FROM ('2025-12-01') TO ('2026-01-01')"],
      ['days_2026_01', "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')"],
    ])
    const named = rangePartitions(days, { from: '2026-01', every: 'year', count: 1, name: (s) => `days_y${s.year}` })
    expect(named[0].$name).toBe('days_y2026')
    expect(() => rangePartitions(days, { from: '2026-02', every: 'quarter', count: 1 })).toThrow(/quarter/)
  })

  it('rangePartitions() gives every partition it declares, the default one too, the storage parameters of `with`', () => {
    const tuned = rangePartitions(days, {
      from: '2026-01', every: 'month', count: 2, default: true, premake: 1,
      with: { fillfactor: 90, autovacuum_vacuum_scale_factor: 0.05, autovacuum_enabled: true },
    })
    const want = { fillfactor: '90', autovacuum_vacuum_scale_factor: '0.05', autovacuum_enabled: 'true' }
    expect(tuned.map((p) => [p.$name, p.$def.with])).toEqual([['days_2026_01', want], ['days_2026_02', want], ['days_default', want]])
    // the rolling window keeps them for the partitions `cairn partitions maintain` creates
    const st = (tuned[0] as unknown as Record<symbol, { partition: { window: { with?: unknown } } }>)[Symbol.for('cairn.dsl.table-state')]
    expect(st.partition.window.with).toEqual(want)
    expect(rangePartitions(days, { from: '2026-01', every: 'month', count: 1 })[0].$def.with).toEqual({})
  })

  it('views and materialized views', () => {
    expect(model.views).toEqual([
      {
        kind: 'view', schema: 'crm', name: 'event_counts', materialized: true,
        definition: 'SELECT tenant_id, kind, count(*) AS n, max(created_at) AS last_at FROM crm.events GROUP BY tenant_id, kind',
        with: {},
        indexes: [{ name: 'event_counts_tenant_id_kind_idx', unique: true, method: 'btree', keys: [{ column: 'tenant_id' }, { column: 'kind' }], include: [], with: {} }],
      },
      {
        kind: 'view', schema: 'crm', name: 'live_contacts', materialized: false,
        definition: 'SELECT id, tenant_id, email FROM crm.contacts WHERE deleted_at IS NULL',
        with: { security_barrier: 'true' }, indexes: [], comment: 'contacts not soft-deleted',
      },
    ])
  })
})

describe('validation', () => {
  const codes = (exports: Record<string, unknown>) => collectModel(exports).issues.map((i) => i.code).sort()
  const s = pgSchema('v')

  it('partition keys must exist and be part of every primary key and unique constraint', () => {
    const bad = s.table(
      'log',
      { id: uuid().primaryKey(), at: timestamptz().notNull(), ref: text() },
      (t) => [unique().on(t.ref, t.at)],
      { partitionBy: { strategy: 'range', key: ['at'] } },
    )
    const r = collectModel({ s, bad })
    expect(r.issues.map((i) => i.code)).toEqual(['partition_key_not_in_constraint'])
    expect(r.issues[0].message).toBe('primary key log_pkey on partitioned table v.log must include the partition key column at')
    expect(r.issues[0].file).toMatch(/policies-views-partitions\.test\.ts:\d+$/)
    const unknown = s.table('log2', { at: timestamptz() }, { partitionBy: { strategy: 'range', key: ['when'] } })
    expect(codes({ s, unknown })).toEqual(['unknown_column'])
    const expr = s.table('log3', { id: integer().primaryKey(), at: timestamptz() }, { partitionBy: { strategy: 'range', key: sql`date_trunc('day'::text, at)` } })
    expect(codes({ s, expr })).toEqual(['partition_key_not_in_constraint'])
  })

  it('partitions need a partitioned, exported parent and a bound of the right strategy', () => {
    const plain = s.table('plain', { id: integer() })
    const part = partitionOf(plain, 'plain_1', { from: 1, to: 2 })
    expect(codes({ s, plain, part })).toEqual(['partition_parent_not_partitioned'])
    const listed = s.table('listed', { k: text() }, { partitionBy: { strategy: 'list', key: ['k'] } })
    const wrong = partitionOf(listed, 'listed_1', { from: 'a', to: 'b' })
    expect(codes({ s, listed, wrong })).toEqual(['invalid_partition_bound'])
    const orphan = partitionOf(listed, 'listed_2', { in: ['x'] })
    expect(codes({ s, orphan })).toEqual(['partition_unknown_parent'])
  })

  it('policies: roles must be exported and used, RLS must be on, clauses must fit the command', () => {
    const ghost = s.table('ghost', { id: integer() }, () => [enableRls(), policy('p', { to: 'nobody_here', using: sql`true` })])
    expect(codes({ s, ghost })).toEqual(['unknown_role'])
    const off = s.table('off', { id: integer() }, () => [policy('p', { using: sql`true` })])
    expect(codes({ s, off })).toEqual(['policy_without_rls'])
    const clauses = s.table('clauses', { id: integer() }, () => [
      enableRls(),
      policy('a', { for: 'select', using: sql`true`, withCheck: sql`true` }),
      policy('b', { for: 'insert', using: sql`true` }),
      policy('b', { for: 'delete', using: sql`true` }),
      policy('c', {}),
    ])
    expect(codes({ s, clauses })).toEqual(['duplicate_policy', 'invalid_policy', 'invalid_policy', 'invalid_policy'])
    const lonely = role('lonely_role')
    expect(codes({ s, lonely })).toEqual(['unused_role'])
  })

  it('views: dependencies must be exported, indexes only on materialized views', () => {
    const base = s.table('base', { id: integer() })
    const v1 = view(s, 'v1', { sql: 'SELECT id FROM v.base', deps: [base] })
    expect(codes({ s, v1 })).toEqual(['view_unknown_dependency'])
    const v2 = view(s, 'v2', { sql: 'SELECT 1 AS one', indexes: [{ on: ['one'] }] })
    expect(codes({ s, v2 })).toEqual(['invalid_view'])
    const v3 = view(s, 'base', { sql: 'SELECT 1 AS one' })
    expect(codes({ s, base, v3 })).toEqual(['duplicate_view'])
    const v4 = view('nowhere', 'v4', { sql: 'SELECT 1 AS one' })
    expect(codes({ v4 })).toEqual(['undeclared_schema'])
  })
})

describe.each(testEngines())('round trip on $name', (engine) => {
  let t: TestDatabase
  let canonical: Model
  beforeAll(async () => {
    t = await engine.open()
    canonical = await canonicalize(model, t.db)
  }, 60_000)
  afterAll(async () => {
    if (t && engine.name === 'postgres') {
      await t.db.exec(`DROP SCHEMA IF EXISTS crm CASCADE; DROP OWNED BY ${readerName}; DROP ROLE IF EXISTS ${readerName}`)
    }
    await t?.dispose()
  })

  it('inspects back deep-equal to the loaded model; views equal after canonicalize', async () => {
    await t.db.exec('DROP SCHEMA IF EXISTS crm CASCADE')
    await t.db.transaction(async (tx) => {
      for (const s of renderModel(model)) await tx.exec(s)
    })
    const inspected = await inspect(t.db)
    expect(inspected.tables).toEqual(model.tables)
    expect(inspected.roles).toEqual(model.roles)
    expect(inspected.grants).toEqual(model.grants)
    expect(inspected.views).toEqual(canonical.views)
    expect({ ...inspected, views: [] }).toEqual({ ...model, views: [] })
    expect(diff(inspected, { ...model, views: canonical.views }).changes).toEqual([])
    // the view bodies were really rewritten into pg_get_viewdef form
    expect(canonical.views.find((v) => v.name === 'live_contacts')!.definition).toContain('FROM crm.contacts\n  WHERE')
    // the full-model render keeps view comments (it used to drop them, and canonicalize with it)
    expect(inspected.views.find((v) => v.name === 'live_contacts')!.comment).toBe('contacts not soft-deleted')
    expect(canonical.views.find((v) => v.name === 'live_contacts')!.comment).toBe('contacts not soft-deleted')
  })

  it('Postgres prints the policy, partition key and bounds exactly as the DSL writes them', async () => {
    const rows = await t.db.session(async (s) => {
      await s.exec('SET search_path = pg_catalog')
      try {
        return await s.query<{ name: string; qual: string | null; key: string | null; bound: string | null }>(
          `SELECT c.relname::text AS name,
                  (SELECT pg_get_expr(p.polqual, p.polrelid) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') AS qual,
                  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS key,
                  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'crm' AND c.relname IN ('contacts', 'events', 'events_2026_q2', 'days_2026_01', 'stamps_2026_01')
            ORDER BY 1`,
        )
      } finally {
        await s.exec('RESET search_path')
      }
    })
    expect(rows).toEqual([
      { name: 'contacts', qual: tenantPredicate(), key: null, bound: null },
      { name: 'days_2026_01', qual: null, key: null, bound: "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')" },
      { name: 'events', qual: null, key: 'RANGE (created_at)', bound: null },
      { name: 'events_2026_q2', qual: null, key: null, bound: "FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-07-01 00:00:00+00')" },
      { name: 'stamps_2026_01', qual: null, key: null, bound: "FOR VALUES FROM ('2026-01-01 00:00:00') TO ('2026-02-01 00:00:00')" },
    ])
  })

  it('routes rows to partitions and the materialized view refreshes with its unique index', async () => {
    await t.db.exec(`INSERT INTO crm.events (tenant_id, kind, created_at) VALUES
      ('00000000-0000-0000-0000-000000000001', 'a', '2026-02-01'), ('00000000-0000-0000-0000-000000000001', 'a', '2026-05-01'),
      ('00000000-0000-0000-0000-000000000002', 'b', '2027-01-01')`)
    const parts = await t.db.query<{ part: string; n: number }>(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM crm.events GROUP BY 1 ORDER BY 1`,
    )
    expect(parts).toEqual([{ part: 'crm.events_2026_q1', n: 1 }, { part: 'crm.events_2026_q2', n: 1 }, { part: 'crm.events_later', n: 1 }])
    await expect(t.db.exec(`INSERT INTO crm.events (tenant_id, kind, created_at) VALUES (gen_random_uuid(), 'x', '2025-06-01')`)).rejects.toMatchObject({ code: '23514' })
    await t.db.exec('REFRESH MATERIALIZED VIEW CONCURRENTLY crm.event_counts')
    expect(await t.db.query(`SELECT kind, n::int AS n FROM crm.event_counts ORDER BY kind`)).toEqual([{ kind: 'a', n: 2 }, { kind: 'b', n: 1 }])
  })
})
