/** What the DSL produces: the model's normal form for every feature, and that it applies on every engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bigint, boolean, check, char, cidr, date, doublePrecision, enumType, expr, extension, foreignKey, index, inet, integer,
  interval, json, jsonb, macaddr, numeric, pgSchema, primaryKey, real, sequence, serial, smallint, softDelete, sql, table,
  tenantScoped, text, time, timestamp, timestamps, timestamptz, tsvector, unique, uniqueIndex, uuid, varchar, bytea,
} from '../../../src/dsl/index.js'
import { buildModel } from '../../../src/load/build-model.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { renderScript } from '../../../src/sqlgen/session.js'
import { chooseName, makeObjectName } from '../../../src/dsl/names.js'
import { testEngines } from '../../helpers/engines.js'
import type { TestDatabase } from '../../helpers/engines.js'

const shop = pgSchema('shop', { comment: 'the shop' })
const billing = pgSchema('Billing')
const status = shop.enum('status', ['draft', 'live']).comment('listing status')

const tenants = shop.table('tenants', { id: uuid().primaryKey().defaultRandom(), name: text().notNull() })

const listing = shop.table(
  'Listing',
  {
    id: integer().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id').notNull(),
    title: varchar(200).notNull().collate('C'),
    user: text().comment('a reserved word as a column'),
    price: numeric(10, 2).notNull().default(0).check(sql`price >= (0)::numeric`),
    priceWithTax: numeric('price_with_tax', 12, 2).generatedAlwaysAs(sql`(price * 1.2)`),
    status: status().notNull().default('draft'),
    tags: text().array(),
    attrs: jsonb<{ color?: string }>().default({}),
    parentId: integer('parent_id'),
    code: char(3),
    starts: date(),
    opens: time({ precision: 0 }),
    seen: timestamp(),
    ttl: interval(),
    flags: smallint(),
    big: bigint({ mode: 'bigint' }),
    ratio: real(),
    score: doublePrecision(),
    on: boolean(),
    raw: bytea(),
    ip: inet(),
    net: cidr(),
    mac: macaddr(),
    doc: json(),
    search: tsvector(),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    unique('listing_title_per_tenant').on(t.tenantId, t.title).nullsNotDistinct(),
    foreignKey({ columns: [t.parentId], foreignColumns: [t.id], onDelete: 'set null', deferrable: 'deferred' }),
    check('listing_dates_check', sql`${t.created_at} <= ${t.updated_at}`),
    index().on(t.created_at.desc().nullsLast(), t.title.asc().nullsFirst()),
    index('listing_search').using('gin', t.search),
    index('listing_attrs').using('gin', t.attrs.op('jsonb_path_ops')),
    index('listing_live').on(t.tenantId).include(t.title).where(sql`status = 'live'::shop.status`).with({ fillfactor: 70 }),
    uniqueIndex('listing_lower_title').on(expr(sql`lower((${t.title})::text)`)),
    index('listing_seen_brin').using('brin', t.seen),
    index('listing_code_hash').using('hash', t.code),
    index('listing_ip_gist').using('gist', t.ip.op('inet_ops')),
  ],
  { with: { fillfactor: 80, autovacuum_vacuum_scale_factor: 0.05, toast_tuple_target: 4096 }, comment: 'seed-003 style name', renamedFrom: 'listings' },
)

const invoices = billing.table(
  'invoices',
  {
    tenant: uuid().notNull(),
    number: integer().notNull(),
    listing: integer().references(() => listing.id, { onDelete: 'cascade', onUpdate: 'restrict', name: 'invoice_listing' }),
    amount: numeric(10, 2).renamedFrom('total'),
    n: serial(),
  },
  (t) => [primaryKey({ columns: [t.tenant, t.number] })],
)
const lines = billing.table('lines', { tenant: uuid().notNull(), number: integer().notNull(), pos: integer().notNull() }, (t) => [
  primaryKey({ columns: [t.tenant, t.number, t.pos], name: 'lines_pk' }),
  foreignKey({ columns: [t.tenant, t.number], foreignColumns: () => [invoices.tenant, invoices.number], onDelete: 'cascade' }),
])
export const byTitle = index('listing_title_idx2').on(listing.title)
const counter = shop.sequence('counter', { start: 100, increment: 5 })
const pgcrypto = extension('pgcrypto')

const model = buildModel({ shop, billing, status, tenants, listing, invoices, lines, byTitle, counter })

const find = (schema: string, name: string) => model.tables.find((t) => t.schema === schema && t.name === name)!

describe('DSL → model', () => {
  it('builds tables with Postgres default names and the normal form', () => {
    const l = find('shop', 'Listing')
    expect(l.primaryKey).toEqual({ name: 'Listing_pkey', columns: ['id'] })
    expect(l.uniques).toEqual([{ name: 'listing_title_per_tenant', columns: ['tenant_id', 'title'], nullsNotDistinct: true }])
    expect(l.foreignKeys).toEqual([
      { name: 'Listing_parent_id_fkey', columns: ['parent_id'], refSchema: 'shop', refTable: 'Listing', refColumns: ['id'], onDelete: 'set null', onUpdate: 'no action', deferrable: true, initiallyDeferred: true },
    ])
    expect(l.checks).toEqual([
      { name: 'Listing_price_check', expression: 'price >= (0)::numeric' },
      { name: 'listing_dates_check', expression: 'created_at <= updated_at' },
    ])
    expect(l.with).toEqual({ fillfactor: '80', autovacuum_vacuum_scale_factor: '0.05', toast_tuple_target: '4096' })
    expect(l.comment).toBe('seed-003 style name')
    expect(l.renamedFrom).toBe('listings')
    const col = (n: string) => l.columns.find((c) => c.name === n)
    expect(col('id')).toEqual({ name: 'id', type: 'integer', notNull: true, identity: 'always' })
    expect(col('title')).toEqual({ name: 'title', type: 'character varying(200)', notNull: true, collation: 'C' })
    expect(col('price_with_tax')).toEqual({ name: 'price_with_tax', type: 'numeric(12,2)', notNull: false, generated: '(price * 1.2)' })
    expect(col('status')).toEqual({ name: 'status', type: 'shop.status', notNull: true, default: "'draft'::shop.status" })
    expect(col('tags')!.type).toBe('text[]')
    expect(col('opens')!.type).toBe('time(0) without time zone')
    expect(col('seen')!.type).toBe('timestamp without time zone')
    expect(col('code')!.type).toBe('character(3)')
    expect(col('deleted_at')).toEqual({ name: 'deleted_at', type: 'timestamp with time zone', notNull: false })
    expect(col('created_at')).toEqual({ name: 'created_at', type: 'timestamp with time zone', notNull: true, default: 'now()' })
    expect(col('user')!.comment).toBe('a reserved word as a column')
  })

  it('builds every index shape', () => {
    const ix = Object.fromEntries(find('shop', 'Listing').indexes.map((i) => [i.name, i]))
    expect(Object.keys(ix)).toEqual([
      'Listing_created_at_title_idx', 'listing_attrs', 'listing_code_hash', 'listing_ip_gist', 'listing_live',
      'listing_lower_title', 'listing_search', 'listing_seen_brin', 'listing_title_idx2',
    ])
    expect(ix.Listing_created_at_title_idx.keys).toEqual([
      { column: 'created_at', desc: true, nullsFirst: false },
      { column: 'title', nullsFirst: true },
    ])
    expect(ix.listing_attrs).toEqual({ name: 'listing_attrs', unique: false, method: 'gin', keys: [{ column: 'attrs', opclass: 'jsonb_path_ops' }], include: [], with: {} })
    expect(ix.listing_live).toEqual({
      name: 'listing_live', unique: false, method: 'btree', keys: [{ column: 'tenant_id' }], include: ['title'],
      where: "status = 'live'::shop.status", with: { fillfactor: '70' },
    })
    expect(ix.listing_lower_title).toMatchObject({ unique: true, keys: [{ expression: 'lower((title)::text)' }] })
  })

  it('handles composite, cross-schema and self-referencing keys, serial sequences and standalone sequences', () => {
    const inv = find('Billing', 'invoices')
    expect(inv.primaryKey).toEqual({ name: 'invoices_pkey', columns: ['tenant', 'number'] })
    expect(inv.foreignKeys[0]).toEqual({
      name: 'invoice_listing', columns: ['listing'], refSchema: 'shop', refTable: 'Listing', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'restrict',
    })
    expect(inv.columns.find((c) => c.name === 'amount')!.renamedFrom).toBe('total')
    expect(inv.columns.find((c) => c.name === 'n')).toEqual({ name: 'n', type: 'integer', notNull: true, default: `nextval('"Billing".invoices_n_seq'::regclass)` })
    expect(find('Billing', 'lines').foreignKeys[0]).toMatchObject({ name: 'lines_tenant_number_fkey', refColumns: ['tenant', 'number'] })
    expect(model.sequences).toEqual([
      { kind: 'sequence', schema: 'Billing', name: 'invoices_n_seq', type: 'integer', start: '1', increment: '1', min: '1', max: '2147483647', cache: '1', cycle: false, ownedBy: { table: 'invoices', column: 'n' } },
      { kind: 'sequence', schema: 'shop', name: 'counter', type: 'bigint', start: '100', increment: '5', min: '1', max: '9223372036854775807', cache: '1', cycle: false },
    ])
    expect(model.enums).toEqual([{ kind: 'enum', schema: 'shop', name: 'status', values: ['draft', 'live'], comment: 'listing status' }])
    expect(model.schemas).toEqual([{ kind: 'schema', name: 'Billing' }, { kind: 'schema', name: 'shop', comment: 'the shop' }])
  })

  it('conventions: timestamps, softDelete, tenantScoped', () => {
    const t = table('notes', { id: uuid().primaryKey(), ...tenantScoped(() => tenants.id), ...timestamps(), ...softDelete() })
    const d = t.$def
    expect(d.columns.map((c) => c.name)).toEqual(['id', 'tenant_id', 'created_at', 'updated_at', 'deleted_at'])
    expect(d.columns[1]).toEqual({ name: 'tenant_id', type: 'uuid', notNull: true })
    expect(d.foreignKeys).toEqual([
      { name: 'notes_tenant_id_fkey', columns: ['tenant_id'], refSchema: 'shop', refTable: 'tenants', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' },
    ])
    expect(d.indexes).toEqual([{ name: 'notes_tenant_id_idx', unique: false, method: 'btree', keys: [{ column: 'tenant_id' }], include: [], with: {} }])
  })

  it('exposes $def, $columns and bound columns with their names', () => {
    expect(listing.$def.name).toBe('Listing')
    expect(listing.$schema).toBe('shop')
    expect(listing.tenantId.name).toBe('tenant_id')
    expect(Object.keys(listing.$columns)).toContain('priceWithTax')
    expect(pgcrypto.$def).toEqual({ kind: 'extension', name: 'pgcrypto', schema: 'public' })
    expect(enumType('e', ['a']).$def).toEqual({ kind: 'enum', schema: 'public', name: 'e', values: ['a'] })
    // a renamed value is a hint for ALTER TYPE … RENAME VALUE, like renamedFrom for names
    expect(enumType('e', ['a', 'beta']).renameValue('b', 'beta').$def).toEqual({
      kind: 'enum', schema: 'public', name: 'e', values: ['a', 'beta'], valuesRenamedFrom: { beta: 'b' },
    })
    // identity sequence options in normal form: only what differs from Postgres' own choice
    const counters = table('counters', {
      a: bigint().generatedByDefaultAsIdentity({ start: 100, increment: 5 }),
      b: integer().generatedAlwaysAsIdentity({ start: 1, cache: 1 }),
      c: smallint().generatedAlwaysAsIdentity({ increment: -1, max: -1 }),
      d: integer().generatedAlwaysAsIdentity({ min: 10, cycle: true }),
    })
    expect(counters.$def.columns.map((c) => c.identityOptions)).toEqual([
      { start: '100', increment: '5' }, undefined, { increment: '-1' }, { min: '10', cycle: true },
    ])
  })

  it('chooses names the way Postgres does, truncating to 63 bytes', () => {
    expect(makeObjectName('versions', 'document_id_version_number', 'key')).toBe('versions_document_id_version_number_key')
    const long = makeObjectName('a'.repeat(40), 'b'.repeat(40), 'fkey')
    expect(long).toBe(`${'a'.repeat(29)}_${'b'.repeat(28)}_fkey`)
    expect(Buffer.byteLength(long)).toBe(63)
    expect(chooseName('t', 'a', 'idx', new Set(['t_a_idx', 't_a_idx1']))).toBe('t_a_idx2')
  })

  it('renders byte-identical SQL from identical definitions, quoting where Postgres needs it', () => {
    const a = renderScript(renderModel(model))
    const b = renderScript(renderModel(buildModel({ shop, billing, status, tenants, listing, invoices, lines, byTitle, counter })))
    expect(a).toBe(b)
    expect(a).toContain('CREATE TABLE shop."Listing" (')
    expect(a).toContain('  "user" text,')
    expect(a).toContain('CREATE SCHEMA "Billing"')
    expect(a).toContain('REFERENCES shop."Listing" (id)')
  })
})

describe.each(testEngines())('DSL features on $name', (engine) => {
  let tdb: TestDatabase
  beforeAll(async () => {
    tdb = await engine.open()
  })
  afterAll(async () => tdb?.dispose())

  it('applies cleanly and the catalog holds the indexes and storage parameters', async () => {
    await tdb.db.transaction((tx) => tx.exec(renderScript(renderModel(model))))
    const defs = await tdb.db.session(async (s) => {
      await s.exec('SET search_path = pg_catalog')
      const r = await s.query<{ def: string }>(
        `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'shop."Listing"'::regclass ORDER BY 1`,
      )
      await s.exec('RESET search_path')
      return r.map((x) => x.def)
    })
    expect(defs).toContain('CREATE INDEX "Listing_created_at_title_idx" ON shop."Listing" USING btree (created_at DESC NULLS LAST, title NULLS FIRST)')
    expect(defs).toContain('CREATE INDEX listing_attrs ON shop."Listing" USING gin (attrs jsonb_path_ops)')
    expect(defs).toContain(`CREATE INDEX listing_live ON shop."Listing" USING btree (tenant_id) INCLUDE (title) WITH (fillfactor='70') WHERE (status = 'live'::shop.status)`)
    expect(defs).toContain('CREATE UNIQUE INDEX listing_lower_title ON shop."Listing" USING btree (lower((title)::text))')
    expect(defs).toContain('CREATE UNIQUE INDEX listing_title_per_tenant ON shop."Listing" USING btree (tenant_id, title) NULLS NOT DISTINCT')
    const opts = await tdb.db.query<{ reloptions: string[] }>(`SELECT reloptions FROM pg_class WHERE oid = 'shop."Listing"'::regclass`)
    expect([...opts[0].reloptions].sort()).toEqual(['autovacuum_vacuum_scale_factor=0.05', 'fillfactor=80', 'toast_tuple_target=4096'])
    const fk = await tdb.db.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'Listing_parent_id_fkey'`)
    expect(fk[0].def).toBe('FOREIGN KEY (parent_id) REFERENCES shop."Listing"(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED')
    const gen = await tdb.db.query<{ v: string }>(
      `INSERT INTO shop.tenants (name) VALUES ('t') RETURNING id::text AS v`,
    )
    const row = await tdb.db.query<{ price_with_tax: string; status: string }>(
      `INSERT INTO shop."Listing" (tenant_id, title, price) VALUES ($1, 'x', 10) RETURNING price_with_tax::text, status::text`,
      [gen[0].v],
    )
    expect(row[0]).toEqual({ price_with_tax: '12.00', status: 'draft' })
  })
})
