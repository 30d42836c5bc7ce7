/**
 * Model fixtures for round-trip tests: hand-written models covering every column type, constraint
 * kind and index shape, written in Postgres' printed form, and a seeded generator of random valid
 * models. The few texts whose printed form depends on the server version take `serverVersion`.
 */
import type { ColumnDef, ForeignKeyDef, IndexDef, Model, TableDef, ViewDef } from '../../src/model/types.js'
import { emptyModel } from '../../src/model/types.js'

/** Roles the fixtures grant to; cluster-wide on a server, so named to avoid clashes. */
export const FIXTURE_ROLES = { reader: 'cairn_fx_reader', writer: 'cairn_fx_writer' } as const

const col = (name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef => ({ name, type, notNull: false, ...extra })

const table = (schema: string, name: string, t: Partial<TableDef> & { columns: ColumnDef[] }): TableDef => ({
  kind: 'table',
  schema,
  name,
  uniques: [],
  foreignKeys: [],
  checks: [],
  indexes: [],
  with: {},
  policies: [],
  ...t,
})

/** pg_get_viewdef's text without its leading blank (inspect trims it). */
const view = (v: ViewDef): ViewDef => ({ ...v, definition: v.definition.trim() })

const index = (name: string, ix: Partial<IndexDef> & Pick<IndexDef, 'keys'>): IndexDef => ({
  name,
  unique: false,
  method: 'btree',
  include: [],
  with: {},
  ...ix,
})

/** Every column type of the model, with defaults, identity, generated columns and collations. */
export function columnTypesModel(): Model {
  return {
    ...emptyModel(),
    schemas: [{ kind: 'schema', name: 'app', comment: 'application tables' }],
    enums: [
      { kind: 'enum', schema: 'app', name: 'user_role', values: ['admin', 'member', 'guest'], comment: 'who may do what' },
      { kind: 'enum', schema: 'public', name: 'Mood', values: ['sad', 'ok', 'happy'] },
    ],
    tables: [
      table('app', 'all_types', {
        comment: 'one column of each type',
        columns: [
          col('id', 'uuid', { notNull: true, default: 'gen_random_uuid()' }),
          col('t', 'text', { default: "'x'::text", comment: 'free text' }),
          col('vc', 'character varying(40)', { notNull: true, collation: 'C' }),
          col('ch', 'character(3)'),
          col('ch1', 'character(1)'),
          col('i2', 'smallint', { default: '0' }),
          col('i4', 'integer', { default: "'-1'::integer" }),
          col('i8', 'bigint', { default: '42' }),
          col('num', 'numeric(10,2)', { default: '0.00' }),
          col('num_any', 'numeric'),
          col('r4', 'real'),
          col('r8', 'double precision'),
          col('flag', 'boolean', { notNull: true, default: 'true' }),
          col('d', 'date', { default: 'CURRENT_DATE' }),
          col('tm', 'time without time zone'),
          col('ts', 'timestamp without time zone'),
          col('ts3', 'timestamp(3) with time zone'),
          col('tstz', 'timestamp with time zone', { notNull: true, default: 'now()' }),
          col('iv', 'interval'),
          col('jb', 'jsonb', { default: "'{}'::jsonb" }),
          col('js', 'json'),
          col('bin', 'bytea'),
          col('ip', 'inet'),
          col('net', 'cidr'),
          col('tags', 'text[]', { default: "'{}'::text[]" }),
          col('matrix', 'integer[]'),
          col('role', 'app.user_role', { notNull: true, default: "'member'::app.user_role" }),
          col('roles', 'app.user_role[]'),
          col('mood', 'public."Mood"'),
          col('posix_name', 'text', { collation: 'POSIX' }),
        ],
        primaryKey: { name: 'all_types_pkey', columns: ['id'] },
      }),
      table('app', 'generated', {
        columns: [
          col('id', 'bigint', { notNull: true, identity: 'always' }),
          col('n', 'integer', { notNull: true, identity: 'by default' }),
          col('first', 'text'),
          col('last', 'text'),
          col('full_name', 'text', { generated: "((first || ' '::text) || last)" }),
          col('s', 'integer', { notNull: true, default: "nextval('app.generated_s_seq'::regclass)" }),
        ],
        primaryKey: { name: 'generated_pkey', columns: ['id'] },
      }),
    ],
    sequences: [
      {
        kind: 'sequence',
        schema: 'app',
        name: 'generated_s_seq',
        type: 'integer',
        start: '1',
        increment: '1',
        min: '1',
        max: '2147483647',
        cache: '1',
        cycle: false,
        ownedBy: { table: 'generated', column: 's' },
      },
      {
        kind: 'sequence',
        schema: 'app',
        name: 'tickets',
        type: 'bigint',
        start: '100',
        increment: '5',
        min: '1',
        max: '9223372036854775807',
        cache: '10',
        cycle: true,
        comment: 'ticket numbers',
      },
    ],
  }
}

/** Every constraint kind and index shape, storage parameters and comments. */
export function constraintsModel(): Model {
  return {
    ...emptyModel(),
    schemas: [{ kind: 'schema', name: 'app' }, { kind: 'schema', name: 'audit', comment: 'audit trail' }],
    tables: [
      table('app', 'accounts', {
        columns: [
          col('id', 'uuid', { notNull: true }),
          col('handle', 'character varying(40)', { notNull: true }),
          col('email', 'text'),
          col('tenant', 'integer'),
          col('price', 'numeric(10,2)'),
          col('doc', 'jsonb'),
          col('tags', 'text[]'),
          col('ip', 'inet'),
          col('seen_at', 'timestamp with time zone'),
          col('active', 'boolean', { notNull: true, default: 'true' }),
          col('label', 'text'),
        ],
        primaryKey: { name: 'accounts_pkey', columns: ['id'] },
        uniques: [
          { name: 'accounts_handle_key', columns: ['handle'] },
          { name: 'accounts_tenant_email_key', columns: ['tenant', 'email'], nullsNotDistinct: true },
          { name: 'accounts_label_key', columns: ['label'], deferrable: true, initiallyDeferred: true },
        ],
        checks: [
          { name: 'accounts_price_check', expression: '(price >= (0)::numeric)' },
          { name: 'accounts_handle_check', expression: '(length((handle)::text) > 2)', noInherit: true },
          { name: 'email_has_at', expression: "(email ~~ '%@%'::text)" },
        ],
        indexes: [
          index('accounts_lower_handle_idx', { unique: true, keys: [{ expression: 'lower((handle)::text)' }], comment: 'case-insensitive handle' }),
          index('accounts_active_idx', { keys: [{ column: 'tenant' }], where: '(active AND (email IS NOT NULL))' }),
          index('accounts_seen_idx', {
            keys: [{ column: 'seen_at', desc: true, nullsFirst: false }, { column: 'tenant', nullsFirst: true }],
            include: ['email', 'price'],
            with: { fillfactor: '70' },
          }),
          index('accounts_doc_idx', { method: 'gin', keys: [{ column: 'doc', opclass: 'jsonb_path_ops' }] }),
          index('accounts_tags_idx', { method: 'gin', keys: [{ column: 'tags' }], with: { fastupdate: 'off' } }),
          index('accounts_ip_idx', { method: 'gist', keys: [{ column: 'ip', opclass: 'inet_ops' }] }),
          index('accounts_seen_brin', { method: 'brin', keys: [{ column: 'seen_at' }], with: { pages_per_range: '32' } }),
          index('accounts_handle_hash', { method: 'hash', keys: [{ column: 'handle' }] }),
          index('accounts_label_pattern_idx', { keys: [{ column: 'label', opclass: 'text_pattern_ops' }] }),
          index('accounts_label_c_idx', { keys: [{ column: 'label', collation: 'C', desc: true }] }),
          index('accounts_email_nnd_idx', { unique: true, keys: [{ column: 'email' }], nullsNotDistinct: true }),
          index('accounts_sum_idx', { keys: [{ expression: '(tenant + 1)' }, { expression: "(doc ->> 'kind'::text)" }] }),
        ],
        with: { fillfactor: '80', autovacuum_enabled: 'false', 'toast.autovacuum_enabled': 'false' },
        comment: "accounts' table",
      }),
      table('app', 'members', {
        columns: [
          col('id', 'bigint', { notNull: true, identity: 'always' }),
          col('account_id', 'uuid', { notNull: true }),
          col('parent_id', 'bigint'),
          col('event_id', 'bigint'),
          col('role', 'text', { notNull: true, default: "'member'::text" }),
        ],
        primaryKey: { name: 'members_pkey', columns: ['id'] },
        foreignKeys: [
          {
            name: 'members_account_id_fkey',
            columns: ['account_id'],
            refSchema: 'app',
            refTable: 'accounts',
            refColumns: ['id'],
            onDelete: 'cascade',
            onUpdate: 'restrict',
            deferrable: true,
            initiallyDeferred: true,
          },
          {
            name: 'members_parent_id_fkey',
            columns: ['parent_id'],
            refSchema: 'app',
            refTable: 'members',
            refColumns: ['id'],
            onDelete: 'set null',
            onUpdate: 'no action',
          },
          {
            name: 'members_event_id_fkey',
            columns: ['event_id'],
            refSchema: 'audit',
            refTable: 'events',
            refColumns: ['id'],
            onDelete: 'set default',
            onUpdate: 'cascade',
            deferrable: true,
          },
        ],
        with: { 'autovacuum_vacuum_scale_factor': '0.05', toast_tuple_target: '256' },
      }),
      table('app', 'memberships', {
        columns: [
          col('account_id', 'uuid', { notNull: true }),
          col('member_id', 'bigint', { notNull: true }),
          col('since', 'date'),
        ],
        primaryKey: { name: 'memberships_pkey', columns: ['member_id', 'account_id'] },
        foreignKeys: [
          {
            name: 'memberships_member_fk',
            columns: ['member_id'],
            refSchema: 'app',
            refTable: 'members',
            refColumns: ['id'],
            onDelete: 'no action',
            onUpdate: 'no action',
            match: 'full',
          },
        ],
      }),
      table('audit', 'archive', {
        columns: [col('id', 'bigint', { notNull: true }), col('moved_at', 'timestamp with time zone')],
        primaryKey: { name: 'archive_pkey', columns: ['id'], deferrable: true },
      }),
      table('audit', 'events', {
        columns: [
          col('id', 'bigint', { notNull: true, default: "nextval('audit.events_id_seq'::regclass)" }),
          col('at', 'timestamp with time zone', { notNull: true, default: 'now()' }),
          col('account_id', 'uuid'),
          col('member_id', 'bigint'),
        ],
        primaryKey: { name: 'events_pkey', columns: ['id'] },
        foreignKeys: [
          {
            name: 'events_account_member_fkey',
            columns: ['member_id', 'account_id'],
            refSchema: 'app',
            refTable: 'memberships',
            refColumns: ['member_id', 'account_id'],
            onDelete: 'cascade',
            onUpdate: 'no action',
          },
        ],
      }),
    ],
    sequences: [
      {
        kind: 'sequence',
        schema: 'audit',
        name: 'events_id_seq',
        type: 'bigint',
        start: '1',
        increment: '1',
        min: '1',
        max: '9223372036854775807',
        cache: '1',
        cycle: false,
        ownedBy: { table: 'events', column: 'id' },
      },
    ],
  }
}

/** RLS, policies, partitions, views, functions, triggers, roles and grants. */
export function objectsModel(serverVersion: number): Model {
  const { reader, writer } = FIXTURE_ROLES
  // PostgreSQL 16 stopped qualifying column references that are unambiguous
  const q = (t: string) => (serverVersion >= 160000 ? '' : `${t}.`)
  return {
    ...emptyModel(),
    schemas: [{ kind: 'schema', name: 'app' }],
    roles: [
      { kind: 'role', name: reader, login: false, inherit: true, bypassRls: false, memberOf: [] },
      { kind: 'role', name: writer, login: true, inherit: false, bypassRls: true, memberOf: [reader] },
    ],
    tables: [
      table('app', 'docs', {
        columns: [
          col('id', 'bigint', { notNull: true, identity: 'by default' }),
          col('owner', 'text', { notNull: true }),
          col('body', 'text'),
          col('updated_at', 'timestamp with time zone'),
        ],
        primaryKey: { name: 'docs_pkey', columns: ['id'] },
        rls: { enabled: true, forced: true },
        policies: [
          { name: 'docs_read', permissive: true, command: 'select', roles: [reader, writer], using: '(owner = CURRENT_USER)' },
          { name: 'docs_write', permissive: true, command: 'insert', roles: [writer], withCheck: '(owner = CURRENT_USER)' },
          {
            name: 'docs_guard',
            permissive: false,
            command: 'all',
            roles: ['public'],
            using: '(body IS NOT NULL)',
            withCheck: '(length(body) < 10000)',
          },
          { name: 'docs_edit', permissive: true, command: 'update', roles: [writer], using: 'true' },
          { name: 'docs_delete', permissive: true, command: 'delete', roles: [writer], using: 'false' },
        ],
      }),
      table('app', 'notes', {
        columns: [col('id', 'integer', { notNull: true }), col('body', 'text')],
        rls: { enabled: true, forced: false },
      }),
      table('app', 'measurements', {
        columns: [
          col('id', 'bigint', { notNull: true }),
          col('taken_on', 'date', { notNull: true }),
          col('value', 'double precision', { default: '0' }),
        ],
        primaryKey: { name: 'measurements_pkey', columns: ['id', 'taken_on'] },
        indexes: [index('measurements_value_idx', { keys: [{ column: 'value' }] })],
        partitionBy: { strategy: 'range', key: '(taken_on)' },
        comment: 'partitioned by day',
      }),
      table('app', 'measurements_2025', {
        columns: [
          col('id', 'bigint', { notNull: true }),
          col('taken_on', 'date', { notNull: true }),
          col('value', 'double precision', { default: '0' }),
        ],
        partitionOf: { parentSchema: 'app', parent: 'measurements', bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')" },
        indexes: [index('measurements_2025_taken_on_idx', { keys: [{ column: 'taken_on' }] })],
      }),
      table('app', 'measurements_rest', {
        columns: [
          col('id', 'bigint', { notNull: true }),
          col('taken_on', 'date', { notNull: true }),
          col('value', 'double precision', { default: '0' }),
        ],
        partitionOf: { parentSchema: 'app', parent: 'measurements', bound: 'DEFAULT' },
      }),
      table('app', 'tags', {
        columns: [col('kind', 'text', { notNull: true }), col('name', 'text')],
        partitionBy: { strategy: 'list', key: '(kind)' },
      }),
      table('app', 'tags_ab', {
        columns: [col('kind', 'text', { notNull: true }), col('name', 'text')],
        partitionOf: { parentSchema: 'app', parent: 'tags', bound: "FOR VALUES IN ('a', 'b')" },
        partitionBy: { strategy: 'hash', key: '(name)' },
      }),
      table('app', 'tags_ab_0', {
        columns: [col('kind', 'text', { notNull: true }), col('name', 'text')],
        partitionOf: { parentSchema: 'app', parent: 'tags_ab', bound: 'FOR VALUES WITH (modulus 2, remainder 0)' },
      }),
    ],
    views: [
      view({
        kind: 'view',
        schema: 'app',
        name: 'recent_docs',
        materialized: false,
        definition: ` SELECT ${q('docs')}id,\n    ${q('docs')}owner\n   FROM app.docs\n  WHERE (${q('docs')}updated_at > (now() - '7 days'::interval))`,
        with: { security_barrier: 'true' },
        indexes: [],
        comment: 'last week',
      }),
      view({
        kind: 'view',
        schema: 'app',
        name: 'doc_counts',
        materialized: true,
        definition: ` SELECT ${q('docs')}owner,\n    count(*) AS n\n   FROM app.docs\n  GROUP BY ${q('docs')}owner`,
        with: { fillfactor: '90' },
        indexes: [index('doc_counts_owner_idx', { unique: true, keys: [{ column: 'owner' }], comment: 'one row per owner' })],
      }),
    ],
    functions: [
      {
        kind: 'function',
        schema: 'app',
        name: 'add',
        args: 'a integer, b integer',
        isProcedure: false,
        definition:
          'CREATE OR REPLACE FUNCTION app.add(a integer, b integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT a + b$function$',
        comment: 'adds',
      },
      {
        kind: 'function',
        schema: 'app',
        name: 'touch',
        args: '',
        isProcedure: false,
        definition:
          'CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$function$',
      },
      {
        kind: 'function',
        schema: 'app',
        name: 'purge',
        args: 'IN days integer',
        isProcedure: true,
        definition:
          'CREATE OR REPLACE PROCEDURE app.purge(IN days integer)\n LANGUAGE sql\nAS $procedure$DELETE FROM app.docs WHERE updated_at < now() - make_interval(days => days)$procedure$',
      },
    ],
    triggers: [
      {
        kind: 'trigger',
        schema: 'app',
        table: 'docs',
        name: 'docs_touch',
        definition: 'CREATE TRIGGER docs_touch BEFORE UPDATE ON app.docs FOR EACH ROW EXECUTE FUNCTION app.touch()',
        comment: 'keeps updated_at',
      },
      {
        kind: 'trigger',
        schema: 'app',
        table: 'docs',
        name: 'docs_audit',
        definition:
          'CREATE TRIGGER docs_audit AFTER INSERT OR DELETE ON app.docs FOR EACH ROW WHEN ((pg_trigger_depth() = 0)) EXECUTE FUNCTION app.touch()',
      },
    ],
    grants: [
      { kind: 'grant', on: 'schema', schema: 'app', name: 'app', role: reader, privileges: ['USAGE'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 'docs', role: reader, privileges: ['SELECT'], withGrantOption: false },
      { kind: 'grant', on: 'table', schema: 'app', name: 'docs', role: writer, privileges: ['INSERT', 'SELECT', 'UPDATE'], withGrantOption: true },
      { kind: 'grant', on: 'table', schema: 'app', name: 'recent_docs', role: 'public', privileges: ['SELECT'], withGrantOption: false },
      { kind: 'grant', on: 'function', schema: 'app', name: 'add', args: 'a integer, b integer', role: reader, privileges: ['EXECUTE'], withGrantOption: false },
      { kind: 'grant', on: 'function', schema: 'app', name: 'add', args: 'a integer, b integer', role: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true },
      { kind: 'grant', on: 'table', schema: 'app', name: 'docs', column: 'body', role: reader, privileges: ['UPDATE'], withGrantOption: false },
      { kind: 'grant', on: 'sequence', schema: 'app', name: 'docs_id_seq', role: writer, privileges: ['SELECT', 'USAGE'], withGrantOption: false },
    ],
  }
}

/** Every hand-written fixture, by name. */
export function handWrittenModels(serverVersion: number): Record<string, Model> {
  return {
    'column types': columnTypesModel(),
    'constraints and indexes': constraintsModel(),
    'rls, partitions, views, functions, triggers, grants': objectsModel(serverVersion),
  }
}

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface TypeSpec {
  readonly type: string
  readonly defaults: readonly string[]
  /** A CHECK on a column `c` of this type, as Postgres prints it. */
  readonly check?: (c: string) => string
  readonly btree: boolean
}

const TYPES: readonly TypeSpec[] = [
  { type: 'integer', defaults: ['0', '7', "'-1'::integer"], check: (c) => `(${c} > 0)`, btree: true },
  { type: 'bigint', defaults: ['0', '1000'], check: (c) => `(${c} >= 0)`, btree: true },
  { type: 'smallint', defaults: ['1'], btree: true },
  { type: 'text', defaults: ["'x'::text", "''::text"], check: (c) => `(length(${c}) < 100)`, btree: true },
  { type: 'character varying(64)', defaults: ["'v'::character varying"], btree: true },
  { type: 'character(2)', defaults: ["'ab'::bpchar"], btree: true },
  { type: 'uuid', defaults: ['gen_random_uuid()'], btree: true },
  { type: 'numeric(12,2)', defaults: ['0.00', '1.50'], check: (c) => `(${c} >= (0)::numeric)`, btree: true },
  { type: 'numeric', defaults: [], btree: true },
  { type: 'real', defaults: [], btree: true },
  { type: 'double precision', defaults: ['0'], btree: true },
  { type: 'boolean', defaults: ['true', 'false'], btree: true },
  { type: 'date', defaults: ['CURRENT_DATE'], btree: true },
  { type: 'time without time zone', defaults: [], btree: true },
  { type: 'timestamp without time zone', defaults: [], btree: true },
  { type: 'timestamp with time zone', defaults: ['now()'], btree: true },
  { type: 'interval', defaults: ["'01:00:00'::interval"], btree: true },
  { type: 'jsonb', defaults: ["'{}'::jsonb", "'[]'::jsonb"], btree: false },
  { type: 'json', defaults: [], btree: false },
  { type: 'bytea', defaults: [], btree: true },
  { type: 'inet', defaults: [], btree: true },
  { type: 'cidr', defaults: [], btree: true },
  { type: 'text[]', defaults: ["'{}'::text[]"], btree: true },
  { type: 'integer[]', defaults: [], btree: true },
]

/**
 * A random valid model: `tables` tables over a few schemas, with random columns, defaults,
 * primary keys (single or composite), uniques, checks, foreign keys to earlier tables (including
 * self-references and cross-schema ones) and indexes of several shapes.
 */
export function randomModel(seed: number, options: { tables?: number } = {}): Model {
  const rnd = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]
  const chance = (p: number) => rnd() < p
  const schemaNames = ['public', 'rs_a', 'rs_b']
  const count = options.tables ?? 12
  const tables: TableDef[] = []
  for (let ti = 0; ti < count; ti++) {
    const schema = pick(schemaNames)
    const name = `t${ti}`
    const columns: ColumnDef[] = []
    const pkKind = pick(['uuid', 'bigint', 'identity', 'composite', 'none'] as const)
    if (pkKind === 'uuid') columns.push(col('id', 'uuid', { notNull: true, default: 'gen_random_uuid()' }))
    if (pkKind === 'bigint') columns.push(col('id', 'bigint', { notNull: true }))
    if (pkKind === 'identity') columns.push(col('id', 'bigint', { notNull: true, identity: chance(0.5) ? 'always' : 'by default' }))
    if (pkKind === 'composite') columns.push(col('k1', 'integer', { notNull: true }), col('k2', 'text', { notNull: true }))
    const specs = new Map<string, TypeSpec>()
    const ncols = 2 + Math.floor(rnd() * 7)
    for (let ci = 0; ci < ncols; ci++) {
      const spec = pick(TYPES)
      const c = `c${ci}`
      specs.set(c, spec)
      const extra: Partial<ColumnDef> = { notNull: chance(0.3) }
      if (spec.defaults.length && chance(0.4)) Object.assign(extra, { default: pick(spec.defaults) })
      if (chance(0.1)) Object.assign(extra, { comment: `column ${c} of ${name}` })
      if (spec.type === 'text' && chance(0.15)) Object.assign(extra, { collation: 'C' })
      columns.push(col(c, spec.type, extra))
    }
    const t: {
      -readonly [K in keyof TableDef]: TableDef[K] extends readonly (infer E)[] ? E[] : TableDef[K]
    } = {
      kind: 'table',
      schema,
      name,
      columns,
      uniques: [],
      foreignKeys: [],
      checks: [],
      indexes: [],
      with: chance(0.15) ? { fillfactor: String(50 + Math.floor(rnd() * 50)) } : {},
      policies: [],
    }
    if (pkKind === 'composite') t.primaryKey = { name: `${name}_pkey`, columns: ['k1', 'k2'] }
    else if (pkKind !== 'none') t.primaryKey = { name: `${name}_pkey`, columns: ['id'] }
    if (chance(0.2)) t.comment = `table ${schema}.${name}`
    const plain = [...specs.keys()]
    const btreeCols = plain.filter((c) => specs.get(c)!.btree)
    if (btreeCols.length && chance(0.4)) {
      const c = pick(btreeCols)
      t.uniques.push({ name: `${name}_${c}_key`, columns: [c], ...(chance(0.3) ? { nullsNotDistinct: true } : {}) })
    }
    for (const c of plain) {
      const spec = specs.get(c)!
      if (spec.check && chance(0.2)) t.checks.push({ name: `${name}_${c}_check`, expression: spec.check(c) })
    }
    // foreign keys to a table with a single-column or composite key already made (or itself)
    const targets = [...tables, ...(t.primaryKey ? [t as TableDef] : [])].filter((x) => x.primaryKey)
    const nfk = Math.floor(rnd() * 3)
    for (let fi = 0; fi < nfk && targets.length; fi++) {
      const target = pick(targets)
      const refCols = target.primaryKey!.columns
      const fkCols = refCols.map((rc, i) => {
        const ref = target.columns.find((x) => x.name === rc)!
        const fc = `fk${fi}_${i}`
        columns.push(col(fc, ref.type, chance(0.3) ? { notNull: true } : {}))
        return fc
      })
      const fk: ForeignKeyDef = {
        name: `${name}_${fkCols.join('_')}_fkey`,
        columns: fkCols,
        refSchema: target.schema,
        refTable: target.name,
        refColumns: refCols,
        onDelete: pick(['no action', 'cascade', 'restrict', 'set null'] as const),
        onUpdate: pick(['no action', 'cascade'] as const),
        ...(chance(0.2) ? { deferrable: true, ...(chance(0.5) ? { initiallyDeferred: true } : {}) } : {}),
        ...(fkCols.length > 1 && chance(0.3) ? { match: 'full' as const } : {}),
      }
      t.foreignKeys.push(fk)
      if (chance(0.6)) t.indexes.push(index(`${name}_${fkCols.join('_')}_idx`, { keys: fkCols.map((c) => ({ column: c })) }))
    }
    const nix = Math.floor(rnd() * 3)
    for (let ii = 0; ii < nix && btreeCols.length; ii++) {
      const c = pick(btreeCols)
      const shape = pick(['plain', 'desc', 'partial', 'unique', 'include', 'params'] as const)
      const ix = index(`${name}_ix${ii}`, { keys: [{ column: c }] })
      if (shape === 'desc') t.indexes.push({ ...ix, keys: [{ column: c, desc: true, ...(chance(0.5) ? { nullsFirst: false } : {}) }] })
      else if (shape === 'partial') t.indexes.push({ ...ix, where: `(${c} IS NOT NULL)` })
      else if (shape === 'unique') t.indexes.push({ ...ix, unique: true })
      else if (shape === 'include') t.indexes.push({ ...ix, include: plain.filter((x) => x !== c).slice(0, 1) })
      else if (shape === 'params') t.indexes.push({ ...ix, with: { fillfactor: '60' } })
      else t.indexes.push(ix)
    }
    const jsonCols = plain.filter((c) => specs.get(c)!.type === 'jsonb')
    if (jsonCols.length && chance(0.5)) t.indexes.push(index(`${name}_gin`, { method: 'gin', keys: [{ column: jsonCols[0] }] }))
    tables.push(t as TableDef)
  }
  const used = new Set(tables.map((t) => t.schema))
  return {
    ...emptyModel(),
    schemas: schemaNames.filter((s) => s !== 'public' && used.has(s)).map((name) => ({ kind: 'schema' as const, name })),
    tables,
  }
}

/** DDL of `n` tables of 8 columns, 2 indexes, a CHECK and a foreign key to the previous table. */
export function syntheticSchemaSql(n: number, schema = 'perf'): string {
  const out = [`CREATE SCHEMA ${schema};`]
  for (let i = 0; i < n; i++) {
    const fk = i === 0 ? '' : ` REFERENCES ${schema}.t${i - 1} (id) ON DELETE CASCADE`
    out.push(
      `CREATE TABLE ${schema}.t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id bigint${fk}, ` +
        `name text NOT NULL, email varchar(255), created_at timestamptz NOT NULL DEFAULT now(), ` +
        `amount numeric(12,2) CHECK (amount >= 0), flags jsonb DEFAULT '{}', status integer DEFAULT 0);`,
      `CREATE INDEX t${i}_parent_idx ON ${schema}.t${i} (parent_id);`,
      `CREATE UNIQUE INDEX t${i}_email_idx ON ${schema}.t${i} (lower(email)) WHERE status = 0;`,
    )
  }
  return out.join('\n')
}
