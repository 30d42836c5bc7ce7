import { describe, expect, it } from 'vitest'
import type {
  CatalogRows,
  ColumnRow,
  ConstraintRow,
  DefaultPrivilegeRow,
  GrantRow,
  IndexKeyRow,
  IndexRow,
  NamespaceRow,
  TableRow,
} from '../../../src/inspect/catalog-rows.js'
import type { MapContext } from '../../../src/inspect/map-rows.js'
import {
  checkExpression,
  mapColumn,
  mapConstraints,
  mapDefaultPrivileges,
  mapGrants,
  mapIndex,
  mapIndexKey,
  mapRows,
  mapSequence,
  parseOptions,
  parsePartitionKey,
  referencedRoles,
  selectNamespaces,
  stripOuterParens,
} from '../../../src/inspect/map-rows.js'
import { catalogFeatures, catalogQueries, oidList } from '../../../src/inspect/queries.js'

const ctx15: MapContext = { currentUser: 'postgres', publicSchemaPublicPrivileges: ['USAGE'] }

const emptyRows = (): CatalogRows => ({
  namespaces: [],
  extensions: [],
  enums: [],
  domains: [],
  sequences: [],
  tables: [],
  columns: [],
  constraints: [],
  indexes: [],
  policies: [],
  views: [],
  functions: [],
  triggers: [],
  grants: [],
  roles: [],
})

const ns = (oid: string, name: string, extra: Partial<NamespaceRow> = {}): NamespaceRow => ({
  oid,
  name,
  comment: null,
  extension_member: false,
  ...extra,
})

const tableRow = (oid: string, schema: string, name: string, extra: Partial<TableRow> = {}): TableRow => ({
  oid,
  schema,
  name,
  kind: 'r',
  options: null,
  toast_options: null,
  rls: false,
  force_rls: false,
  partition_key: null,
  parent_schema: null,
  parent_name: null,
  partition_bound: null,
  comment: null,
  ...extra,
})

const colRow = (table_oid: string, num: number, name: string, type: string, extra: Partial<ColumnRow> = {}): ColumnRow => ({
  table_oid,
  name,
  num,
  type,
  not_null: false,
  default_expr: null,
  identity: '',
  generated: '',
  collation: null,
  comment: null,
  ...extra,
})

const conRow = (table_oid: string, name: string, type: string, extra: Partial<ConstraintRow> = {}): ConstraintRow => ({
  table_oid,
  name,
  type,
  columns: null,
  ref_schema: null,
  ref_table: null,
  ref_columns: null,
  on_delete: ' ',
  on_update: ' ',
  match: ' ',
  deferrable: false,
  deferred: false,
  no_inherit: false,
  is_local: true,
  has_parent: false,
  definition: null,
  nulls_not_distinct: false,
  ...extra,
})

const keyRow = (extra: Partial<IndexKeyRow>): IndexKeyRow => ({
  column: null,
  expression: null,
  option: 0,
  opclass: 'int4_ops',
  opclassDefault: true,
  collation: null,
  collationDefault: true,
  ...extra,
})

const indexRow = (table_oid: string, name: string, keys: IndexKeyRow[], extra: Partial<IndexRow> = {}): IndexRow => ({
  table_oid,
  name,
  unique: false,
  method: 'btree',
  key_count: keys.length,
  keys,
  predicate: null,
  nulls_not_distinct: false,
  options: null,
  comment: null,
  backs_constraint: false,
  is_partition: false,
  ...extra,
})

// Rows as PostgreSQL 15.20 returned them for:
//   create table s.t (id int primary key, v int not null check (v > 0) no inherit,
//                     w text unique nulls not distinct, g int generated always as (v*2) stored);
//   create index t_w on s.t (w desc) where v > 1
const pg15Constraints: ConstraintRow[] = [
  conRow('29733', 't_v_check', 'c', { columns: ['v'], no_inherit: true, definition: 'CHECK ((v > 0)) NO INHERIT' }),
  conRow('29733', 't_pkey', 'p', { columns: ['id'], no_inherit: true }),
  conRow('29733', 't_w_key', 'u', { columns: ['w'], no_inherit: true, nulls_not_distinct: true }),
]
// The same table on PostgreSQL 18.0 (PGlite): NOT NULL constraints are pg_constraint rows too
const pg18Constraints: ConstraintRow[] = [
  conRow('16385', 't_v_check', 'c', { columns: ['v'], no_inherit: true, definition: 'CHECK ((v > 0)) NO INHERIT' }),
  conRow('16385', 't_id_not_null', 'n', { columns: ['id'] }),
  conRow('16385', 't_v_not_null', 'n', { columns: ['v'] }),
  conRow('16385', 't_pkey', 'p', { columns: ['id'], no_inherit: true }),
  conRow('16385', 't_w_key', 'u', { columns: ['w'], no_inherit: true, nulls_not_distinct: true }),
]
const tIndexes = (oid: string): IndexRow[] => [
  indexRow(oid, 't_pkey', [keyRow({ column: 'id' })], { unique: true, backs_constraint: true }),
  indexRow(oid, 't_w_key', [keyRow({ column: 'w', opclass: 'text_ops', collation: 'default' })], {
    unique: true,
    nulls_not_distinct: true,
    backs_constraint: true,
  }),
  indexRow(oid, 't_w', [keyRow({ column: 'w', option: 3, opclass: 'text_ops', collation: 'default' })], { predicate: '(v > 1)' }),
]
const tColumns = (oid: string): ColumnRow[] => [
  colRow(oid, 1, 'id', 'integer', { not_null: true }),
  colRow(oid, 2, 'v', 'integer', { not_null: true }),
  colRow(oid, 3, 'w', 'text'),
  colRow(oid, 4, 'g', 'integer', { default_expr: '(v * 2)', generated: 's' }),
]

describe('mapRows: PostgreSQL 15 and 18 rows give the same model', () => {
  const rowsFor = (oid: string, constraints: ConstraintRow[]): CatalogRows => ({
    ...emptyRows(),
    namespaces: [ns('11', 'pg_catalog'), ns('2200', 'public'), ns('99', 's'), ns('99b', 'pg_toast'), ns('98', 'cairn')],
    tables: [tableRow(oid, 's', 't')],
    columns: tColumns(oid),
    constraints,
    indexes: tIndexes(oid),
  })
  const expected = {
    kind: 'table',
    schema: 's',
    name: 't',
    columns: [
      { name: 'id', type: 'integer', notNull: true },
      { name: 'v', type: 'integer', notNull: true },
      { name: 'w', type: 'text', notNull: false },
      { name: 'g', type: 'integer', notNull: false, generated: '(v * 2)' },
    ],
    primaryKey: { name: 't_pkey', columns: ['id'] },
    uniques: [{ name: 't_w_key', columns: ['w'], nullsNotDistinct: true }],
    foreignKeys: [],
    checks: [{ name: 't_v_check', expression: '(v > 0)', noInherit: true }],
    indexes: [{ name: 't_w', unique: false, method: 'btree', keys: [{ column: 'w', desc: true }], include: [], where: '(v > 1)', with: {} }],
    with: {},
    policies: [],
  }

  it('maps the PostgreSQL 15 rows', () => {
    const m = mapRows(rowsFor('29733', pg15Constraints), ctx15)
    expect(m.schemas).toStrictEqual([{ kind: 'schema', name: 's' }])
    expect(m.tables).toStrictEqual([expected])
  })

  it('maps the PostgreSQL 18 rows, ignoring NOT NULL constraint rows', () => {
    const m15 = mapRows(rowsFor('29733', pg15Constraints), ctx15)
    const m18 = mapRows(rowsFor('16385', pg18Constraints), ctx15)
    expect(m18).toStrictEqual(m15)
  })

  it('reads a virtual generated column (18+) as a generated one', () => {
    expect(mapColumn(colRow('1', 1, 'g', 'integer', { default_expr: '(v * 2)', generated: 'v' }))).toStrictEqual({
      name: 'g',
      type: 'integer',
      notNull: false,
      generated: '(v * 2)',
    })
  })
})

describe('catalog queries by server version', () => {
  it('reads indnullsnotdistinct only from PostgreSQL 15 on', () => {
    expect(catalogQueries(['1'], catalogFeatures(140010)).indexes).not.toContain('indnullsnotdistinct')
    expect(catalogQueries(['1'], catalogFeatures(130000)).constraints).not.toContain('indnullsnotdistinct')
    expect(catalogQueries(['1'], catalogFeatures(150020)).indexes).toContain('indnullsnotdistinct')
    expect(catalogQueries(['1'], catalogFeatures(180006)).constraints).toContain('indnullsnotdistinct')
  })
  it('reads the columns of ON DELETE SET NULL (…) only from PostgreSQL 15 on', () => {
    expect(catalogQueries(['1'], catalogFeatures(140010)).constraints).not.toContain('confdelsetcols')
    expect(catalogQueries(['1'], catalogFeatures(150020)).constraints).toContain('confdelsetcols')
  })
  it('never selects NOT NULL constraint rows', () => {
    expect(catalogQueries(['1'], catalogFeatures(180006)).constraints).toContain(`c.contype IN ('p', 'u', 'f', 'c', 'x')`)
  })
  it('knows initdb gave PUBLIC CREATE on public before 15', () => {
    expect(catalogFeatures(140000).publicSchemaPublicPrivileges).toEqual(['CREATE', 'USAGE'])
    expect(catalogFeatures(150000).publicSchemaPublicPrivileges).toEqual(['USAGE'])
  })
  it('inlines only numeric oids', () => {
    expect(oidList(['1', '22'])).toBe(`ANY ('{1,22}'::oid[])`)
    expect(() => oidList(["1'; drop"])).toThrow(/not an oid/)
  })
})

describe('namespaces', () => {
  const rows = [
    ns('11', 'pg_catalog'),
    ns('12', 'information_schema'),
    ns('13', 'pg_toast'),
    ns('14', 'pg_temp_3'),
    ns('15', 'pg_toast_temp_3'),
    ns('16', 'cairn'),
    ns('2200', 'public'),
    ns('17', 'app'),
    ns('18', 'audit'),
    ns('19', 'ext_owned', { extension_member: true }),
  ]
  it('skips system, temp, toast, cairn and extension schemas', () => {
    expect(selectNamespaces(rows).map((n) => n.name)).toEqual(['public', 'app', 'audit'])
  })
  it('applies schemas and excludeSchemas', () => {
    expect(selectNamespaces(rows, { schemas: ['app', 'cairn'] }).map((n) => n.name)).toEqual(['app'])
    expect(selectNamespaces(rows, { excludeSchemas: ['public'] }).map((n) => n.name)).toEqual(['app', 'audit'])
  })
  it('never lists public as a schema, but reads its objects; plpgsql is not an extension', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: rows,
        extensions: [
          { name: 'plpgsql', schema: 'pg_catalog' },
          { name: 'pg_trgm', schema: 'public' },
        ],
        enums: [{ schema: 'public', name: 'mood', values: ['b', 'a'], comment: 'feel' }],
      },
      ctx15,
    )
    expect(m.schemas.map((s) => s.name)).toEqual(['app', 'audit'])
    expect(m.extensions).toStrictEqual([{ kind: 'extension', name: 'pg_trgm', schema: 'public' }])
    expect(m.enums).toStrictEqual([{ kind: 'enum', schema: 'public', name: 'mood', values: ['b', 'a'], comment: 'feel' }])
  })
})

describe('constraints', () => {
  it('maps foreign key actions, match full and deferral', () => {
    const parts = mapConstraints([
      conRow('1', 'fk', 'f', {
        columns: ['a', 'b'],
        ref_schema: 'x',
        ref_table: 'y',
        ref_columns: ['c', 'd'],
        on_delete: 'c',
        on_update: 'r',
        match: 'f',
        deferrable: true,
        deferred: true,
      }),
      conRow('1', 'fk2', 'f', { columns: ['e'], ref_schema: 'x', ref_table: 'y', ref_columns: ['c'], on_delete: 'n', on_update: 'd', match: 's' }),
      conRow('1', 'fk3', 'f', { columns: ['e'], ref_schema: 'x', ref_table: 'y', ref_columns: ['c'], on_delete: 'a', on_update: 'a', match: 's' }),
    ])
    expect(parts.foreignKeys).toStrictEqual([
      {
        name: 'fk',
        columns: ['a', 'b'],
        refSchema: 'x',
        refTable: 'y',
        refColumns: ['c', 'd'],
        onDelete: 'cascade',
        onUpdate: 'restrict',
        match: 'full',
        deferrable: true,
        initiallyDeferred: true,
      },
      { name: 'fk2', columns: ['e'], refSchema: 'x', refTable: 'y', refColumns: ['c'], onDelete: 'set null', onUpdate: 'set default' },
      { name: 'fk3', columns: ['e'], refSchema: 'x', refTable: 'y', refColumns: ['c'], onDelete: 'no action', onUpdate: 'no action' },
    ])
  })
  it('skips constraints cloned onto partitions and inherited checks', () => {
    const parts = mapConstraints([
      conRow('1', 'p_pkey', 'p', { columns: ['id'], has_parent: true }),
      conRow('1', 'p_c_check', 'c', { definition: 'CHECK ((c > 0))', is_local: false }),
      conRow('1', 'p_fk', 'f', { columns: ['a'], has_parent: true, on_delete: 'a', on_update: 'a' }),
    ])
    expect(parts).toStrictEqual({ uniques: [], foreignKeys: [], checks: [], exclusions: [] })
  })
  it('rejects an unknown action code instead of guessing', () => {
    expect(() => mapConstraints([conRow('1', 'fk', 'f', { on_delete: 'z', on_update: 'a' })])).toThrow(/unknown foreign key action/)
  })
  it('takes the expression out of CHECK (…) and drops NOT VALID / NO INHERIT / NOT ENFORCED', () => {
    expect(checkExpression('CHECK ((price > (0)::numeric))')).toBe('(price > (0)::numeric)')
    expect(checkExpression('CHECK ((v > 0)) NO INHERIT')).toBe('(v > 0)')
    expect(checkExpression('CHECK ((v > 0)) NOT VALID')).toBe('(v > 0)')
    expect(checkExpression('CHECK ((v > 0)) NO INHERIT NOT VALID')).toBe('(v > 0)')
    expect(checkExpression('CHECK ((v > 0)) NOT ENFORCED')).toBe('(v > 0)')
    expect(checkExpression("CHECK ((s <> ' NOT VALID'::text))")).toBe("(s <> ' NOT VALID'::text)")
  })
})

describe('indexes', () => {
  it('spells DESC / NULLS only when they differ from the default', () => {
    expect(mapIndexKey(keyRow({ column: 'a', option: 0 }))).toStrictEqual({ column: 'a' })
    expect(mapIndexKey(keyRow({ column: 'a', option: 3 }))).toStrictEqual({ column: 'a', desc: true })
    expect(mapIndexKey(keyRow({ column: 'a', option: 1 }))).toStrictEqual({ column: 'a', desc: true, nullsFirst: false })
    expect(mapIndexKey(keyRow({ column: 'a', option: 2 }))).toStrictEqual({ column: 'a', nullsFirst: true })
    expect(mapIndexKey(keyRow({ column: 'a', option: null }))).toStrictEqual({ column: 'a' })
  })
  it('names non-default opclasses and collations only', () => {
    expect(mapIndexKey(keyRow({ column: 'd', opclass: 'jsonb_path_ops', opclassDefault: false }))).toStrictEqual({
      column: 'd',
      opclass: 'jsonb_path_ops',
    })
    expect(mapIndexKey(keyRow({ column: 'd', opclass: 'public.gin_trgm_ops', opclassDefault: false }))).toStrictEqual({
      column: 'd',
      opclass: 'public.gin_trgm_ops',
    })
    expect(mapIndexKey(keyRow({ column: 'l', collation: 'C', collationDefault: false }))).toStrictEqual({ column: 'l', collation: 'C' })
  })
  it('strips the parentheses pg_get_indexdef puts around key expressions', () => {
    expect(mapIndexKey(keyRow({ expression: '((a + b))' }))).toStrictEqual({ expression: '(a + b)' })
    expect(mapIndexKey(keyRow({ expression: 'lower(email)' }))).toStrictEqual({ expression: 'lower(email)' })
    expect(stripOuterParens('(a) + (b)')).toBe('(a) + (b)')
    expect(stripOuterParens("(x = ')')")).toBe("x = ')'")
    expect(stripOuterParens('("a)" = 1)')).toBe('"a)" = 1')
  })
  it('splits INCLUDE columns from keys and reads predicate, options and NULLS NOT DISTINCT', () => {
    const ix = mapIndex(
      indexRow('1', 'ix', [keyRow({ column: 'a' }), keyRow({ column: 'b', option: null, opclass: null, opclassDefault: null })], {
        key_count: 1,
        unique: true,
        predicate: '(a > 0)',
        options: ['fillfactor=70', 'deduplicate_items=off'],
        nulls_not_distinct: true,
        comment: 'c',
      }),
    )
    expect(ix).toStrictEqual({
      name: 'ix',
      unique: true,
      method: 'btree',
      keys: [{ column: 'a' }],
      include: ['b'],
      where: '(a > 0)',
      nullsNotDistinct: true,
      with: { fillfactor: '70', deduplicate_items: 'off' },
      comment: 'c',
    })
  })
  it('leaves out constraint indexes and partitions of a parent index', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: [ns('1', 'public')],
        tables: [tableRow('5', 'public', 'p')],
        indexes: [
          indexRow('5', 'p_pkey', [keyRow({ column: 'id' })], { backs_constraint: true }),
          indexRow('5', 'p_x_idx', [keyRow({ column: 'x' })], { is_partition: true }),
          indexRow('5', 'p_own', [keyRow({ column: 'x' })]),
        ],
      },
      ctx15,
    )
    expect(m.tables[0].indexes.map((i) => i.name)).toEqual(['p_own'])
  })
})

describe('tables', () => {
  it('reads storage parameters, toast ones prefixed, RLS, partitioning and comments', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: [ns('1', 'public')],
        tables: [
          tableRow('5', 'public', 'events', {
            kind: 'p',
            partition_key: 'RANGE (created_on, id)',
            rls: true,
            comment: 'all events',
          }),
          tableRow('6', 'public', 'events_2025', {
            options: ['fillfactor=80', 'autovacuum_enabled=false'],
            toast_options: ['autovacuum_enabled=false'],
            parent_schema: 'public',
            parent_name: 'events',
            partition_bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            force_rls: true,
          }),
        ],
      },
      ctx15,
    )
    const [events, p2025] = m.tables
    expect(events.partitionBy).toStrictEqual({ strategy: 'range', key: '(created_on, id)' })
    expect(events.rls).toStrictEqual({ enabled: true, forced: false })
    expect(events.comment).toBe('all events')
    expect(p2025.with).toStrictEqual({ fillfactor: '80', autovacuum_enabled: 'false', 'toast.autovacuum_enabled': 'false' })
    expect(p2025.partitionOf).toStrictEqual({
      parentSchema: 'public',
      parent: 'events',
      bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    })
    expect(p2025.rls).toStrictEqual({ enabled: false, forced: true })
    expect('rls' in mapRows({ ...emptyRows(), namespaces: [ns('1', 'public')], tables: [tableRow('7', 'public', 'x')] }, ctx15).tables[0]).toBe(false)
  })
  it('parses partition keys of each strategy', () => {
    expect(parsePartitionKey('LIST (kind)')).toStrictEqual({ strategy: 'list', key: '(kind)' })
    expect(parsePartitionKey('HASH (id)')).toStrictEqual({ strategy: 'hash', key: '(id)' })
    expect(parsePartitionKey('RANGE (lower(name))')).toStrictEqual({ strategy: 'range', key: '(lower(name))' })
    expect(() => parsePartitionKey('WEIRD (x)')).toThrow(/unexpected partition key/)
  })
  it('keeps columns in attnum order and omits absent optional fields', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: [ns('1', 'public')],
        tables: [tableRow('5', 'public', 't')],
        columns: [
          colRow('5', 3, 'c', 'text', { collation: 'C', comment: 'see' }),
          colRow('5', 1, 'a', 'bigint', { not_null: true, identity: 'a' }),
          colRow('5', 2, 'b', 'integer', { not_null: true, identity: 'd' }),
          colRow('5', 4, 'd', 'integer', { default_expr: "nextval('public.t_d_seq'::regclass)" }),
        ],
      },
      ctx15,
    )
    expect(m.tables[0].columns).toStrictEqual([
      { name: 'a', type: 'bigint', notNull: true, identity: 'always' },
      { name: 'b', type: 'integer', notNull: true, identity: 'by default' },
      { name: 'c', type: 'text', notNull: false, collation: 'C', comment: 'see' },
      { name: 'd', type: 'integer', notNull: false, default: "nextval('public.t_d_seq'::regclass)" },
    ])
  })
  it('parses options with = in the value', () => {
    expect(parseOptions(['a=b=c', 'flag'])).toStrictEqual({ a: 'b=c', flag: '' })
  })
})

describe('sequences', () => {
  const seq = {
    schema: 'public',
    name: 's',
    type: 'bigint',
    start: '1',
    increment: '1',
    min: '1',
    max: '9223372036854775807',
    cache: '1',
    cycle: false,
    owner_dependency: null as string | null,
    owned_table: null as string | null,
    owned_column: null as string | null,
    comment: null,
  }
  it('lists standalone and serial-owned sequences but not identity ones', () => {
    expect(mapSequence(seq)).toStrictEqual({
      kind: 'sequence',
      schema: 'public',
      name: 's',
      type: 'bigint',
      start: '1',
      increment: '1',
      min: '1',
      max: '9223372036854775807',
      cache: '1',
      cycle: false,
    })
    expect(mapSequence({ ...seq, owner_dependency: 'a', owned_table: 't', owned_column: 'id' })?.ownedBy).toStrictEqual({ table: 't', column: 'id' })
    expect(mapSequence({ ...seq, owner_dependency: 'i', owned_table: 't', owned_column: 'id' })).toBeUndefined()
  })
})

describe('grants and roles', () => {
  const g = (extra: Partial<GrantRow>): GrantRow => ({
    object_kind: 'table',
    schema: 'app',
    name: 't',
    grantee: 'reader',
    privilege: 'SELECT',
    grantable: false,
    to_owner: false,
    is_default: false,
    ...extra,
  })
  const rows = [
    g({ privilege: 'UPDATE' }),
    g({ privilege: 'SELECT' }),
    g({ privilege: 'INSERT', grantable: true }),
    g({ grantee: 'postgres', privilege: 'SELECT', to_owner: true }),
    g({ object_kind: 'function', name: 'f', grantee: 'public', privilege: 'EXECUTE', is_default: true }),
    g({ object_kind: 'function', name: 'f', grantee: 'runner', privilege: 'EXECUTE' }),
    g({ object_kind: 'schema', schema: 'public', name: 'public', grantee: 'public', privilege: 'USAGE' }),
    g({ object_kind: 'schema', schema: 'public', name: 'public', grantee: 'public', privilege: 'CREATE' }),
    g({ object_kind: 'schema', schema: 'public', name: 'public', grantee: 'pg_database_owner', privilege: 'USAGE', to_owner: true }),
  ]
  it('groups privileges, leaves out the owner, default ACLs and initdb grants on public', () => {
    expect(mapGrants(rows, ctx15)).toStrictEqual([
      { kind: 'grant', on: 'function', schema: 'app', name: 'f', role: 'runner', privileges: ['EXECUTE'], withGrantOption: false },
      { kind: 'grant', on: 'schema', schema: 'public', name: 'public', role: 'public', privileges: ['CREATE'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 't', role: 'reader', privileges: ['SELECT', 'UPDATE'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 't', role: 'reader', privileges: ['INSERT'], withGrantOption: true },
    ])
  })
  it('keeps a function\'s arguments, one entry per column of a column-level grant, and PUBLIC\'s lost defaults as revoke entries', () => {
    const more = [
      g({ object_kind: 'function', name: 'f', args: 'x integer', grantee: 'public', privilege: 'EXECUTE', revoked: true }),
      g({ object_kind: 'function', name: 'f', args: 'x integer', grantee: 'runner', privilege: 'EXECUTE' }),
      g({ object_kind: 'function', name: 'f', args: '', grantee: 'runner', privilege: 'EXECUTE' }),
      g({ column: 'b', privilege: 'SELECT' }),
      g({ column: 'a', privilege: 'UPDATE' }),
      g({ column: 'a', privilege: 'SELECT' }),
      g({ object_kind: 'type', name: 'mood', grantee: 'public', privilege: 'USAGE', revoked: true }),
      g({ object_kind: 'type', name: 'email', privilege: 'USAGE', grantable: true }),
    ]
    expect(mapGrants(more, ctx15)).toStrictEqual([
      { kind: 'grant', on: 'function', schema: 'app', name: 'f', args: '', role: 'runner', privileges: ['EXECUTE'], withGrantOption: false },
      { kind: 'grant', on: 'function', schema: 'app', name: 'f', args: 'x integer', role: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true },
      { kind: 'grant', on: 'function', schema: 'app', name: 'f', args: 'x integer', role: 'runner', privileges: ['EXECUTE'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 't', column: 'a', role: 'reader', privileges: ['SELECT', 'UPDATE'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 't', column: 'b', role: 'reader', privileges: ['SELECT'], withGrantOption: false },
      { kind: 'grant', on: 'type', schema: 'app', name: 'email', role: 'reader', privileges: ['USAGE'], withGrantOption: true },
      { kind: 'grant', on: 'type', schema: 'app', name: 'mood', role: 'public', privileges: ['USAGE'], withGrantOption: false, revoke: true },
    ])
  })
  it('before PostgreSQL 15, CREATE on public for PUBLIC came from initdb too', () => {
    const pg14 = { ...ctx15, publicSchemaPublicPrivileges: ['CREATE', 'USAGE'] }
    expect(mapGrants(rows, pg14).filter((x) => x.on === 'schema')).toEqual([])
  })
  it('names only roles used by policies and grants, without pg_* roles or the current user', () => {
    const names = referencedRoles(
      {
        policies: [
          { table_oid: '1', name: 'p', permissive: true, command: 'r', roles: ['public', 'viewer', 'pg_read_all_data'], using_expr: null, with_check: null },
        ],
        grants: [...rows, g({ grantee: 'postgres' })],
      },
      ctx15,
    )
    expect(names).toEqual(['reader', 'runner', 'viewer'])
  })
  it('maps policies and roles', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: [ns('1', 'app')],
        tables: [tableRow('5', 'app', 'docs', { rls: true })],
        policies: [
          { table_oid: '5', name: 'p_all', permissive: false, command: '*', roles: ['public'], using_expr: '(a > 0)', with_check: '(b > 0)' },
          { table_oid: '5', name: 'p_sel', permissive: true, command: 'r', roles: ['zed', 'viewer'], using_expr: 'true', with_check: null },
          { table_oid: '5', name: 'p_ins', permissive: true, command: 'a', roles: ['viewer'], using_expr: null, with_check: 'true' },
        ],
        roles: [{ name: 'viewer', login: true, inherit: false, bypass_rls: true, member_of: ['z', 'a'] }],
      },
      ctx15,
    )
    expect(m.tables[0].policies).toStrictEqual([
      { name: 'p_all', permissive: false, command: 'all', roles: ['public'], using: '(a > 0)', withCheck: '(b > 0)' },
      { name: 'p_ins', permissive: true, command: 'insert', roles: ['viewer'], withCheck: 'true' },
      { name: 'p_sel', permissive: true, command: 'select', roles: ['viewer', 'zed'], using: 'true' },
    ])
    expect(m.roles).toStrictEqual([{ kind: 'role', name: 'viewer', login: true, inherit: false, bypassRls: true, memberOf: ['a', 'z'] }])
  })
})

describe('views, functions, triggers', () => {
  it('trims pg_get_viewdef and pg_get_functiondef text and keeps matview indexes', () => {
    const m = mapRows(
      {
        ...emptyRows(),
        namespaces: [ns('1', 'app')],
        views: [
          { oid: '7', schema: 'app', name: 'v', materialized: false, definition: ' SELECT 1 AS one;', options: null, comment: null },
          { oid: '8', schema: 'app', name: 'mv', materialized: true, definition: ' SELECT 2 AS two;', options: ['fillfactor=90'], comment: 'm' },
        ],
        indexes: [indexRow('8', 'mv_two_idx', [keyRow({ column: 'two' })])],
        functions: [
          {
            schema: 'app',
            name: 'f',
            args: 'a integer',
            is_procedure: false,
            definition: 'CREATE OR REPLACE FUNCTION app.f(a integer)\n RETURNS integer\n LANGUAGE sql\nAS $function$SELECT a$function$\n',
            comment: null,
          },
        ],
        triggers: [{ schema: 'app', table: 't', name: 'tr', definition: 'CREATE TRIGGER tr ...', comment: 'c' }],
      },
      ctx15,
    )
    expect(m.views).toStrictEqual([
      {
        kind: 'view',
        schema: 'app',
        name: 'mv',
        materialized: true,
        definition: 'SELECT 2 AS two',
        with: { fillfactor: '90' },
        indexes: [{ name: 'mv_two_idx', unique: false, method: 'btree', keys: [{ column: 'two' }], include: [], with: {} }],
        comment: 'm',
      },
      { kind: 'view', schema: 'app', name: 'v', materialized: false, definition: 'SELECT 1 AS one', with: {}, indexes: [] },
    ])
    expect(m.functions[0].definition.endsWith('$function$')).toBe(true)
    expect(m.triggers).toStrictEqual([{ kind: 'trigger', schema: 'app', table: 't', name: 'tr', definition: 'CREATE TRIGGER tr ...', comment: 'c' }])
  })
})

describe('default privileges', () => {
  const row = (x: Partial<DefaultPrivilegeRow>): DefaultPrivilegeRow => ({ role: 'postgres', schema: null, objtype: 'r', grantee: 'reader', privilege: 'SELECT', grantable: false, revoked: false, ...x })
  const rows = [
    row({ schema: 'app' }),
    row({ schema: 'app', privilege: 'INSERT' }),
    row({ schema: 'app', privilege: 'UPDATE', grantable: true }),
    row({ objtype: 'f', grantee: 'public', privilege: 'EXECUTE', revoked: true }),
    row({ role: 'owner', objtype: 'n', grantee: 'auditor', privilege: 'USAGE' }),
  ]

  it('names no role for the connected user\'s entries, and splits entries by grant option and direction', () => {
    expect(mapDefaultPrivileges(rows, 'postgres')).toEqual([
      { kind: 'default_privilege', schema: 'app', on: 'tables', grantee: 'reader', privileges: ['INSERT', 'SELECT'], withGrantOption: false },
      { kind: 'default_privilege', schema: 'app', on: 'tables', grantee: 'reader', privileges: ['UPDATE'], withGrantOption: true },
      { kind: 'default_privilege', on: 'functions', grantee: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true },
      { kind: 'default_privilege', role: 'owner', on: 'schemas', grantee: 'auditor', privileges: ['USAGE'], withGrantOption: false },
    ])
    // another connected user sees postgres's entries as FOR ROLE postgres
    expect(mapDefaultPrivileges(rows, 'deploy').map((d) => d.role)).toEqual(['postgres', 'postgres', 'postgres', 'owner'])
  })

  it('reads the roles they name (FOR ROLE and grantee), as it does for grants, but not the connected user or PUBLIC', () => {
    expect(referencedRoles({ policies: [], grants: [], defaultPrivileges: rows }, ctx15)).toEqual(['auditor', 'owner', 'reader'])
  })
})
