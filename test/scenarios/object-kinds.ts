/**
 * Scenarios for object kinds beyond tables: domains (create, alter, drop, over enums, arrays,
 * other domains and table row types, with the functions their checks call), exclusion
 * constraints, enum changes, identity sequence options. Same format as cases.ts.
 */
import type { AggregateDef, ColumnDef, CompositeTypeDef, DefaultPrivilegeDef, DomainDef, EnumDef, FunctionDef, GrantDef, Model, TableDef, TriggerDef, ViewDef } from '../../src/model/types.js'
import { createRole } from '../../src/sqlgen/ddl.js'
import { collation, defaultPrivileges, integer, pgSchema, role, text } from '../../src/dsl/index.js'
import { buildModel } from '../../src/load/build-model.js'
import { col, model, model as modelOf, table } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

const app = { kind: 'schema' as const, name: 'app' }
const domain = (name: string, type: string, extra: Partial<DomainDef> = {}): DomainDef => ({
  kind: 'domain',
  schema: 'app',
  name,
  type,
  notNull: false,
  checks: [],
  ...extra,
})
const validCode: FunctionDef = {
  kind: 'function',
  schema: 'app',
  name: 'valid_code',
  args: 'v text',
  isProcedure: false,
  definition: "CREATE OR REPLACE FUNCTION app.valid_code(v text)\n RETURNS boolean\n LANGUAGE plpgsql\n IMMUTABLE\nAS $function$ BEGIN RETURN v LIKE 'c%'; END $function$",
}
const stock = (qty: ColumnDef = col('qty', 'app.qty')): TableDef => table('app', 'stock', [col('id', 'integer', { notNull: true }), qty])
const qty = (extra: Partial<DomainDef> = {}) =>
  domain('qty', 'integer', { default: '1', checks: [{ name: 'qty_positive', expression: '(VALUE > 0)' }, { name: 'qty_small', expression: '(VALUE < 1000)' }], ...extra })

/** Domain scenarios. */
function domainScenarios(): Scenario[] {
  const empty: Model = model({ schemas: [app] })
  return [
    {
      name: 'domain-function-domain-table-order',
      before: empty,
      after: model({
        schemas: [app],
        functions: [validCode],
        domains: [domain('code', 'text', { notNull: true, checks: [{ name: 'code_check', expression: 'app.valid_code(VALUE)' }] })],
        tables: [table('app', 'items', [col('code', 'app.code', { notNull: true })])],
      }),
      // the function its CHECK calls comes before the domain, the domain before the table using it
      sql: [
        validCode.definition,
        'CREATE DOMAIN app.code AS text NOT NULL CONSTRAINT code_check CHECK (app.valid_code(VALUE))',
        'CREATE TABLE app.items (\n  code app.code NOT NULL\n)',
      ],
    },
    {
      name: 'domain-over-table-row-type',
      before: empty,
      after: model({
        schemas: [app],
        domains: [domain('row_d', 'app.base')],
        tables: [table('app', 'base', [col('a', 'integer')]), table('app', 'uses', [col('d', 'app.row_d')])],
      }),
      sql: ['CREATE TABLE app.base (\n  a integer\n)', 'CREATE DOMAIN app.row_d AS app.base', 'CREATE TABLE app.uses (\n  d app.row_d\n)'],
    },
    {
      name: 'domain-over-enum-array-and-domain',
      before: empty,
      after: model({
        schemas: [app],
        enums: [{ kind: 'enum', schema: 'app', name: 'mood', values: ['ok', 'bad'] }],
        domains: [
          domain('moods', 'app.mood[]', { default: "'{}'::app.mood[]" }),
          domain('positive', 'integer', { checks: [{ name: 'positive_check', expression: '(VALUE > 0)' }] }),
          domain('small_positive', 'app.positive', { checks: [{ name: 'small_positive_check', expression: '((VALUE)::integer < 10)' }] }),
          domain('tag', 'text', { collation: 'C', comment: 'a short tag' }),
        ],
        tables: [table('app', 'days', [col('moods', 'app.moods'), col('n', 'app.small_positive'), col('tags', 'app.tag[]')])],
      }),
      sql: [
        "CREATE TYPE app.mood AS ENUM ('ok', 'bad')",
        "CREATE DOMAIN app.moods AS app.mood[] DEFAULT '{}'::app.mood[]",
        'CREATE DOMAIN app.positive AS integer CONSTRAINT positive_check CHECK ((VALUE > 0))',
        'CREATE DOMAIN app.small_positive AS app.positive CONSTRAINT small_positive_check CHECK (((VALUE)::integer < 10))',
        'CREATE DOMAIN app.tag AS text COLLATE "C"',
        'CREATE TABLE app.days (\n  moods app.moods,\n  n app.small_positive,\n  tags app.tag[]\n)',
        "COMMENT ON DOMAIN app.tag IS 'a short tag'",
      ],
    },
    {
      name: 'domain-alter-default-not-null-checks-comments',
      before: model({ domains: [qty({ comment: 'how many' })], tables: [stock()] }),
      after: model({
        domains: [
          qty({
            default: '0',
            notNull: true,
            comment: 'how many units',
            checks: [
              { name: 'qty_positive', expression: '(VALUE >= 0)', comment: 'zero allowed' },
              { name: 'qty_small', expression: '(VALUE < 1000)', comment: 'a sanity limit' },
              { name: 'qty_even', expression: '((VALUE % 2) = 0)' },
            ],
          }),
        ],
        tables: [stock()],
      }),
      sql: [
        'ALTER DOMAIN app.qty DROP CONSTRAINT qty_positive',
        'ALTER DOMAIN app.qty SET DEFAULT 0',
        'ALTER DOMAIN app.qty SET NOT NULL',
        'ALTER DOMAIN app.qty ADD CONSTRAINT qty_even CHECK (((VALUE % 2) = 0)) NOT VALID',
        'ALTER DOMAIN app.qty VALIDATE CONSTRAINT qty_even',
        'ALTER DOMAIN app.qty ADD CONSTRAINT qty_positive CHECK ((VALUE >= 0)) NOT VALID',
        'ALTER DOMAIN app.qty VALIDATE CONSTRAINT qty_positive',
        "COMMENT ON DOMAIN app.qty IS 'how many units'",
        "COMMENT ON CONSTRAINT qty_positive ON DOMAIN app.qty IS 'zero allowed'",
        "COMMENT ON CONSTRAINT qty_small ON DOMAIN app.qty IS 'a sanity limit'",
      ],
      options: { seed: 'INSERT INTO app.stock VALUES (1, 4)' },
    },
    {
      name: 'domain-dropped-after-its-columns-move-off',
      before: model({ domains: [qty()], tables: [stock()] }),
      after: model({ tables: [stock(col('qty', 'integer'))] }),
      sql: ['ALTER TABLE app.stock ALTER COLUMN qty TYPE integer USING qty::integer', 'DROP DOMAIN app.qty'],
      options: { seed: 'INSERT INTO app.stock VALUES (1, 4)' },
    },
    {
      name: 'domain-dropped-with-its-table-and-function',
      before: model({
        functions: [validCode],
        domains: [domain('code', 'text', { checks: [{ name: 'code_check', expression: 'app.valid_code(VALUE)' }] })],
        tables: [table('app', 'items', [col('code', 'app.code')])],
      }),
      after: empty,
      sql: ['DROP TABLE app.items', 'DROP DOMAIN app.code', 'DROP FUNCTION app.valid_code(v text)'],
    },
    {
      name: 'domain-base-type-change-while-unused',
      before: model({ domains: [domain('code', 'character varying(10)')] }),
      after: model({ domains: [domain('code', 'character varying(20)', { comment: 'longer' })] }),
      sql: ['DROP DOMAIN app.code', 'CREATE DOMAIN app.code AS character varying(20)', "COMMENT ON DOMAIN app.code IS 'longer'"],
    },
  ]
}

const bookings = (extra: Partial<TableDef> = {}): TableDef =>
  table('app', 'bookings', [
    col('id', 'integer', { notNull: true }),
    col('during', 'tstzrange', { notNull: true }),
    col('active', 'boolean', { notNull: true, default: 'true' }),
    col('lo', 'integer'),
    col('hi', 'integer'),
  ], extra)
const overlap = { name: 'bookings_during_excl', definition: 'EXCLUDE USING gist (during WITH &&) WHERE (active)' }

/** Exclusion constraint scenarios (gist over range types: no extension needed). */
function exclusionScenarios(): Scenario[] {
  return [
    {
      name: 'exclusion-added-to-existing-table',
      before: model({ tables: [bookings()] }),
      after: model({ tables: [bookings({ exclusions: [overlap] })] }),
      sql: ['ALTER TABLE app.bookings ADD CONSTRAINT bookings_during_excl EXCLUDE USING gist (during WITH &&) WHERE (active)'],
      options: { seed: "INSERT INTO app.bookings (id, during) VALUES (1, '[2025-01-01,2025-01-02)')" },
    },
    {
      name: 'exclusion-in-new-table-expression-deferrable',
      before: model({ schemas: [app] }),
      after: model({
        tables: [
          bookings({
            exclusions: [
              { name: 'bookings_lo_hi_excl', definition: 'EXCLUDE USING gist (int4range(lo, hi) WITH &&) DEFERRABLE INITIALLY DEFERRED' },
              { name: 'bookings_during_int4range_excl', definition: 'EXCLUDE USING gist (during WITH &&, int4range(lo, hi) WITH &&)' },
            ],
          }),
        ],
      }),
      sql: [
        'CREATE TABLE app.bookings (\n  id integer NOT NULL,\n  during tstzrange NOT NULL,\n  active boolean DEFAULT true NOT NULL,\n  lo integer,\n  hi integer,\n' +
          '  CONSTRAINT bookings_during_int4range_excl EXCLUDE USING gist (during WITH &&, int4range(lo, hi) WITH &&),\n' +
          '  CONSTRAINT bookings_lo_hi_excl EXCLUDE USING gist (int4range(lo, hi) WITH &&) DEFERRABLE INITIALLY DEFERRED\n)',
      ],
    },
    {
      name: 'exclusion-changed-renamed-and-dropped',
      before: model({ tables: [bookings({ exclusions: [overlap, { name: 'lo_hi', definition: 'EXCLUDE USING gist (int4range(lo, hi) WITH &&)' }] })] }),
      after: model({ tables: [bookings({ exclusions: [{ ...overlap, definition: 'EXCLUDE USING gist (during WITH &&)' }, { name: 'lo_hi_excl', definition: 'EXCLUDE USING gist (int4range(lo, hi) WITH &&)' }] })] }),
      sql: [
        'ALTER TABLE app.bookings RENAME CONSTRAINT lo_hi TO lo_hi_excl',
        'ALTER TABLE app.bookings DROP CONSTRAINT bookings_during_excl',
        'ALTER TABLE app.bookings ADD CONSTRAINT bookings_during_excl EXCLUDE USING gist (during WITH &&)',
      ],
    },
  ]
}

const mood = (values: string[], extra: Partial<EnumDef> = {}): EnumDef => ({ kind: 'enum', schema: 'app', name: 'mood', values, ...extra })
const tickets = (type: string, def: string | undefined, extra: Partial<TableDef> = {}, more: ColumnDef[] = []): TableDef =>
  table('app', 'tickets', [col('id', 'integer', { notNull: true }), col('mood', type, def !== undefined ? { default: def } : {}), ...more], {
    primaryKey: { name: 'tickets_pkey', columns: ['id'] },
    ...extra,
  })

/** Enum scenarios: columns moving between enums and text, values removed or renamed. */
function enumScenarios(engine: string): Scenario[] {
  const q = engine === 'postgres' ? 'tickets.' : ''
  const moodsView: ViewDef = {
    kind: 'view',
    schema: 'app',
    name: 'happy_tickets',
    materialized: false,
    definition: `SELECT ${q}id,\n    ${q}mood\n   FROM app.tickets\n  WHERE (${q}mood = 'a'::app.mood)`,
    with: {},
    indexes: [],
  }
  return [
    {
      name: 'enum-column-moves-to-another-enum',
      before: model({
        enums: [mood(['a', 'b'])],
        tables: [tickets('app.mood', "'a'::app.mood", {}, [col('history', 'app.mood[]')])],
      }),
      after: model({
        enums: [{ kind: 'enum', schema: 'app', name: 'feeling', values: ['a', 'b', 'c'] }],
        tables: [tickets('app.feeling', "'b'::app.feeling", {}, [col('history', 'app.feeling[]')])],
      }),
      sql: [
        'ALTER TABLE app.tickets ALTER COLUMN mood DROP DEFAULT',
        "CREATE TYPE app.feeling AS ENUM ('a', 'b', 'c')",
        'ALTER TABLE app.tickets ALTER COLUMN mood TYPE app.feeling USING mood::text::app.feeling',
        "ALTER TABLE app.tickets ALTER COLUMN mood SET DEFAULT 'b'::app.feeling",
        'ALTER TABLE app.tickets ALTER COLUMN history TYPE app.feeling[] USING history::text[]::app.feeling[]',
        'DROP TYPE app.mood',
      ],
      options: { seed: "INSERT INTO app.tickets VALUES (1, 'b', '{a,b}')" },
    },
    {
      name: 'enum-column-becomes-text',
      before: model({ enums: [mood(['a', 'b'])], tables: [tickets('app.mood', "'a'::app.mood")] }),
      after: model({ tables: [tickets('text', "'a'::text")] }),
      sql: [
        'ALTER TABLE app.tickets ALTER COLUMN mood TYPE text',
        "ALTER TABLE app.tickets ALTER COLUMN mood SET DEFAULT 'a'::text",
        'DROP TYPE app.mood',
      ],
      options: { seed: "INSERT INTO app.tickets VALUES (1, 'b')" },
    },
    {
      name: 'enum-value-removed-type-recreated',
      before: model({
        enums: [mood(['a', 'b', 'c'])],
        tables: [tickets('app.mood', "'a'::app.mood", {
          checks: [{ name: 'tickets_mood_check', expression: "(mood <> 'b'::app.mood)" }],
          indexes: [{ name: 'tickets_happy_idx', unique: false, method: 'btree', keys: [{ column: 'id' }], include: [], where: "(mood = 'a'::app.mood)", with: {} }],
        })],
        views: [moodsView],
      }),
      after: model({
        enums: [mood(['c', 'a'])],
        tables: [tickets('app.mood', "'a'::app.mood", {
          checks: [{ name: 'tickets_mood_check', expression: "(mood <> 'c'::app.mood)" }],
          indexes: [{ name: 'tickets_happy_idx', unique: false, method: 'btree', keys: [{ column: 'id' }], include: [], where: "(mood = 'a'::app.mood)", with: {} }],
        })],
        views: [moodsView],
      }),
      // what uses the type is made again around it: the view, the check, the partial index, the default
      sql: [
        'DROP VIEW app.happy_tickets',
        'ALTER TABLE app.tickets DROP CONSTRAINT tickets_mood_check',
        'DROP INDEX CONCURRENTLY app.tickets_happy_idx',
        'ALTER TABLE app.tickets ALTER COLUMN mood DROP DEFAULT',
        'ALTER TYPE app.mood RENAME TO mood__old',
        "CREATE TYPE app.mood AS ENUM ('c', 'a')",
        'ALTER TABLE app.tickets ALTER COLUMN mood TYPE app.mood USING mood::text::app.mood',
        "ALTER TABLE app.tickets ALTER COLUMN mood SET DEFAULT 'a'::app.mood",
        'DROP TYPE app.mood__old',
        "ALTER TABLE app.tickets ADD CONSTRAINT tickets_mood_check CHECK ((mood <> 'c'::app.mood)) NOT VALID",
        'ALTER TABLE app.tickets VALIDATE CONSTRAINT tickets_mood_check',
        "CREATE INDEX CONCURRENTLY tickets_happy_idx ON app.tickets USING btree (id) WHERE (mood = 'a'::app.mood)",
        `CREATE VIEW app.happy_tickets AS\n${moodsView.definition}`,
      ],
      options: { seed: "INSERT INTO app.tickets VALUES (1, 'a'), (2, 'a')" },
    },
    {
      name: 'enum-value-renamed-by-hint',
      before: model({ enums: [mood(['a', 'b'])], tables: [tickets('app.mood', "'b'::app.mood")] }),
      after: model({ enums: [mood(['a', 'beta'], { valuesRenamedFrom: { beta: 'b' } })], tables: [tickets('app.mood', "'beta'::app.mood")] }),
      sql: ["ALTER TYPE app.mood RENAME VALUE 'b' TO 'beta'"],
      options: { seed: "INSERT INTO app.tickets VALUES (1, 'b')" },
    },
    {
      name: 'enum-renamed-by-hint-while-used',
      before: model({ enums: [mood(['a', 'b'])], tables: [tickets('app.mood', "'b'::app.mood", { checks: [{ name: 'tickets_mood_check', expression: "(mood <> 'a'::app.mood)" }] })] }),
      after: model({
        enums: [{ ...mood(['a', 'b']), name: 'feeling', renamedFrom: 'mood' }],
        tables: [tickets('app.feeling', "'b'::app.feeling", { checks: [{ name: 'tickets_mood_check', expression: "(mood <> 'a'::app.feeling)" }] })],
      }),
      sql: ['ALTER TYPE app.mood RENAME TO feeling'],
    },
  ]
}

const counters = (cols: ColumnDef[]): TableDef => table('app', 'counters', cols)

/** Identity columns with sequence options. */
function identityScenarios(): Scenario[] {
  const id = (extra: Partial<ColumnDef> = {}) => col('id', 'bigint', { notNull: true, identity: 'by default', ...extra })
  return [
    {
      name: 'identity-sequence-options-in-new-table',
      before: model({ schemas: [app] }),
      after: model({
        tables: [
          counters([
            id({ identityOptions: { start: '1000', increment: '10' } }),
            col('down', 'integer', { notNull: true, identity: 'always', identityOptions: { increment: '-1' } }),
            col('small', 'smallint', { notNull: true, identity: 'always', identityOptions: { min: '5', max: '500', cache: '20', cycle: true } }),
          ]),
        ],
      }),
      sql: [
        'CREATE TABLE app.counters (\n  id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1000 INCREMENT BY 10) NOT NULL,\n' +
          '  down integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1) NOT NULL,\n' +
          '  small smallint GENERATED ALWAYS AS IDENTITY (MINVALUE 5 MAXVALUE 500 CACHE 20 CYCLE) NOT NULL\n)',
      ],
    },
    {
      name: 'identity-sequence-options-changed',
      before: model({ tables: [counters([id({ identityOptions: { start: '1000', increment: '10' } })])] }),
      after: model({ tables: [counters([id({ identity: 'always', identityOptions: { increment: '5', max: '100000', cycle: true } })])] }),
      sql: [
        'ALTER TABLE app.counters ALTER COLUMN id SET GENERATED ALWAYS',
        'ALTER TABLE app.counters ALTER COLUMN id SET INCREMENT BY 5 SET MAXVALUE 100000 SET START WITH 1 SET CYCLE',
      ],
    },
    {
      name: 'identity-added-to-existing-columns',
      before: model({ tables: [counters([col('id', 'bigint', { notNull: true }), col('n', 'integer')])] }),
      after: model({ tables: [counters([id({ identityOptions: { start: '100' } }), col('n', 'integer', { notNull: true, identity: 'always' })])] }),
      sql: [
        'ALTER TABLE app.counters ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 100)',
        'ALTER TABLE app.counters ADD CONSTRAINT counters_n_not_null_check CHECK (n IS NOT NULL) NOT VALID',
        'ALTER TABLE app.counters VALIDATE CONSTRAINT counters_n_not_null_check',
        'ALTER TABLE app.counters ALTER COLUMN n SET NOT NULL',
        'ALTER TABLE app.counters DROP CONSTRAINT counters_n_not_null_check',
        'ALTER TABLE app.counters ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY',
      ],
      options: { seed: 'INSERT INTO app.counters VALUES (1, 1)' },
    },
  ]
}

/** Drops in dependency order. */
function dropOrderScenarios(): Scenario[] {
  const built = model({
    domains: [domain('row_d', 'app.base')],
    tables: [table('app', 'base', [col('a', 'integer')]), table('app', 'uses', [col('d', 'app.row_d')])],
  })
  return [
    {
      // uses → row_d → base: each goes before what its definition names
      name: 'drop-table-domain-table-chain',
      before: built,
      after: model({ schemas: [app] }),
      sql: ['DROP TABLE app.uses', 'DROP DOMAIN app.row_d', 'DROP TABLE app.base'],
    },
  ]
}

/** Comments on constraints, storage parameters of indexes and constraints, unlogged tables. */
function tableDetailScenarios(): Scenario[] {
  const parent = (extra: Partial<TableDef> = {}) => table('app', 'parents', [col('id', 'integer', { notNull: true }), col('code', 'text')], {
    primaryKey: { name: 'parents_pkey', columns: ['id'] },
    ...extra,
  })
  const child = (extra: Partial<TableDef> = {}) => table('app', 'children', [col('id', 'integer', { notNull: true }), col('parent_id', 'integer')], {
    foreignKeys: [{ name: 'children_parent_id_fkey', columns: ['parent_id'], refSchema: 'app', refTable: 'parents', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
    checks: [{ name: 'children_id_check', expression: '(id > 0)' }],
    ...extra,
  })
  const ix = (fillfactor: string) => ({ name: 'parents_code_idx', unique: false, method: 'btree', keys: [{ column: 'code' }], include: [], with: { fillfactor } })
  return [
    {
      name: 'constraint-comments',
      before: model({ tables: [parent(), child()] }),
      after: model({
        tables: [
          parent({ primaryKey: { name: 'parents_pkey', columns: ['id'], comment: 'one per id' }, uniques: [{ name: 'parents_code_key', columns: ['code'], comment: 'codes are unique' }] }),
          child({
            foreignKeys: [{ ...child().foreignKeys[0]!, comment: 'the parent row' }],
            checks: [{ name: 'children_id_check', expression: '(id > 0)', comment: "positive, it's a rule" }],
          }),
        ],
      }),
      sql: [
        'CREATE UNIQUE INDEX CONCURRENTLY parents_code_key ON app.parents USING btree (code)',
        'ALTER TABLE app.parents ADD CONSTRAINT parents_code_key UNIQUE USING INDEX parents_code_key',
        "COMMENT ON CONSTRAINT children_id_check ON app.children IS 'positive, it''s a rule'",
        "COMMENT ON CONSTRAINT children_parent_id_fkey ON app.children IS 'the parent row'",
        "COMMENT ON CONSTRAINT parents_pkey ON app.parents IS 'one per id'",
        "COMMENT ON CONSTRAINT parents_code_key ON app.parents IS 'codes are unique'",
      ],
    },
    {
      name: 'index-and-key-storage-parameters',
      before: model({ tables: [parent({ indexes: [ix('90')] })] }),
      after: model({
        tables: [parent({ indexes: [ix('70')], primaryKey: { name: 'parents_pkey', columns: ['id'], with: { fillfactor: '80' } }, uniques: [{ name: 'parents_code_key', columns: ['code'], with: { fillfactor: '60' } }] })],
      }),
      sql: [
        'CREATE UNIQUE INDEX CONCURRENTLY parents_code_key ON app.parents USING btree (code) WITH (fillfactor=60)',
        'ALTER TABLE app.parents ADD CONSTRAINT parents_code_key UNIQUE USING INDEX parents_code_key',
        'ALTER INDEX app.parents_pkey SET (fillfactor=80)',
        'ALTER INDEX app.parents_code_idx SET (fillfactor=70)',
      ],
    },
    {
      name: 'unlogged-tables',
      before: model({ tables: [parent(), { ...table('app', 'cache', [col('k', 'text')]), unlogged: true }] }),
      after: model({ tables: [{ ...parent(), unlogged: true }, table('app', 'cache', [col('k', 'text')]), { ...table('app', 'scratch', [col('v', 'text')]), unlogged: true }] }),
      sql: ['CREATE UNLOGGED TABLE app.scratch (\n  v text\n)', 'ALTER TABLE app.cache SET LOGGED', 'ALTER TABLE app.parents SET UNLOGGED'],
    },
  ]
}

/** User-defined collations, and columns, indexes and domains that use them. */
function collationScenarios(): Scenario[] {
  const ci = { kind: 'collation' as const, schema: 'app', name: 'ci', provider: 'icu' as const, locale: 'und-u-ks-level2', deterministic: false }
  const bytes = { kind: 'collation' as const, schema: 'app', name: 'bytes', provider: 'libc' as const, lcCollate: 'C', lcCtype: 'C', deterministic: true }
  const people = table('app', 'people', [col('email', 'text', { collation: 'app.ci' }), col('code', 'text', { collation: 'C' })], {
    indexes: [{ name: 'people_code_idx', unique: false, method: 'btree', keys: [{ column: 'code', collation: 'app.bytes' }], include: [], with: {} }],
  })
  return [
    {
      name: 'collations-created-and-used',
      before: model({ schemas: [app] }),
      after: model({ collations: [ci, { ...bytes, comment: 'byte order' }], domains: [domain('ci_text', 'text', { collation: 'app.ci' })], tables: [people] }),
      sql: [
        "CREATE COLLATION app.bytes (provider = libc, lc_collate = 'C', lc_ctype = 'C')",
        "CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)",
        'CREATE DOMAIN app.ci_text AS text COLLATE app.ci',
        'CREATE TABLE app.people (\n  email text COLLATE app.ci,\n  code text COLLATE "C"\n)',
        'CREATE INDEX people_code_idx ON app.people USING btree (code COLLATE app.bytes)',
        "COMMENT ON COLLATION app.bytes IS 'byte order'",
      ],
    },
    {
      name: 'collation-dropped-after-its-column',
      before: model({ collations: [ci], tables: [table('app', 'people', [col('email', 'text', { collation: 'app.ci' })])] }),
      after: model({ tables: [table('app', 'people', [col('email', 'text')])] }),
      sql: ['ALTER TABLE app.people ALTER COLUMN email TYPE text', 'DROP COLLATION app.ci'],
    },
  ]
}

/** Triggers disabled, or firing only on replicas or always. */
function triggerStateScenarios(): Scenario[] {
  const touch: FunctionDef = {
    kind: 'function', schema: 'app', name: 'touch', args: '', isProcedure: false,
    definition: 'CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$',
  }
  const trig = (name: string, enabled?: TriggerDef['enabled']): TriggerDef => ({
    kind: 'trigger', schema: 'app', table: 't', name,
    definition: `CREATE TRIGGER ${name} BEFORE UPDATE ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch()`,
    ...(enabled ? { enabled } : {}),
  })
  const t = table('app', 't', [col('a', 'integer')])
  return [
    {
      name: 'trigger-enable-states',
      before: model({ tables: [t], functions: [touch], triggers: [trig('a_trg'), trig('b_trg', 'disabled')] }),
      after: model({ tables: [t], functions: [touch], triggers: [trig('a_trg', 'replica'), trig('b_trg'), trig('c_trg', 'always')] }),
      sql: [
        'ALTER TABLE app.t ENABLE REPLICA TRIGGER a_trg',
        'ALTER TABLE app.t ENABLE TRIGGER b_trg',
        trig('c_trg').definition,
        'ALTER TABLE app.t ENABLE ALWAYS TRIGGER c_trg',
      ],
    },
  ]
}

/** Default privileges: schema entries that grant, database-wide ones that take built-in defaults away. */
function defaultPrivilegeScenarios(): Scenario[] {
  const readAll: DefaultPrivilegeDef = { kind: 'default_privilege', schema: 'app', on: 'tables', grantee: 'public', privileges: ['SELECT'], withGrantOption: false }
  const noExecute: DefaultPrivilegeDef = { kind: 'default_privilege', on: 'functions', grantee: 'public', privileges: ['EXECUTE'], withGrantOption: false, revoke: true }
  const t = (name: string) => table('app', name, [col('a', 'integer')])
  const pub = (name: string): GrantDef => ({ kind: 'grant', on: 'table', schema: 'app', name, role: 'public', privileges: ['SELECT'], withGrantOption: false })
  return [
    {
      // set before the new table is created, which then gets SELECT to PUBLIC like the target's did
      name: 'default-privileges-added',
      before: model({ tables: [t('a')] }),
      // (the target's table c had the default grant revoked: so is the new one, once created)
      after: model({ tables: [t('a'), t('b'), t('c')], defaultPrivileges: [readAll, noExecute], grants: [pub('b')] }),
      sql: [
        'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC',
        'CREATE TABLE app.b (\n  a integer\n)',
        'CREATE TABLE app.c (\n  a integer\n)',
        'GRANT SELECT ON TABLE app.b TO PUBLIC',
        'REVOKE SELECT ON TABLE app.c FROM PUBLIC',
      ],
    },
    {
      name: 'default-privileges-changed-and-removed',
      // (table a was created under the default privileges, so it holds their grant)
      before: model({ tables: [t('a')], defaultPrivileges: [readAll, noExecute], grants: [pub('a')] }),
      after: model({ tables: [t('a')], defaultPrivileges: [{ ...readAll, privileges: ['INSERT', 'SELECT'], withGrantOption: false }], grants: [pub('a')] }),
      sql: [
        'ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO PUBLIC',
      ],
    },
  ]
}

/** Aggregates over functions: created after them, a changed one replaced in place, dropped before them. */
function aggregateScenarios(): Scenario[] {
  const step: FunctionDef = {
    kind: 'function', schema: 'app', name: 'concat_step', args: 'text, text', isProcedure: false,
    definition: "CREATE OR REPLACE FUNCTION app.concat_step(text, text)\n RETURNS text\n LANGUAGE sql\n IMMUTABLE\nAS $function$SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ',' || $2 END$function$",
  }
  const agg = (extra: Partial<AggregateDef> = {}): AggregateDef => ({ kind: 'aggregate', schema: 'app', name: 'group_concat', args: 'text', sfunc: 'app.concat_step', stype: 'text', ...extra })
  const max: AggregateDef = { kind: 'aggregate', schema: 'app', name: 'my_max', args: 'integer', sfunc: 'int4larger', stype: 'integer', combinefunc: 'int4larger', sortop: '>', parallel: 'safe' }
  const base = model({ schemas: [app], functions: [step] })
  return [
    {
      name: 'aggregates-created-with-their-function',
      before: model({ schemas: [app] }),
      after: model({ schemas: [app], functions: [step], aggregates: [agg({ comment: 'joins with commas' }), max] }),
      sql: [
        step.definition,
        'CREATE AGGREGATE app.group_concat(text) (\n  SFUNC = app.concat_step,\n  STYPE = text\n)',
        'CREATE AGGREGATE app.my_max(integer) (\n  SFUNC = int4larger,\n  STYPE = integer,\n  COMBINEFUNC = int4larger,\n  SORTOP = >,\n  PARALLEL = SAFE\n)',
        "COMMENT ON AGGREGATE app.group_concat(text) IS 'joins with commas'",
      ],
    },
    {
      name: 'aggregate-replaced-in-place',
      before: model({ ...base, aggregates: [agg()] }),
      after: model({ ...base, aggregates: [agg({ initcond: '', parallel: 'restricted' })] }),
      sql: ["CREATE OR REPLACE AGGREGATE app.group_concat(text) (\n  SFUNC = app.concat_step,\n  STYPE = text,\n  INITCOND = '',\n  PARALLEL = RESTRICTED\n)"],
    },
    {
      name: 'aggregate-dropped-with-its-function',
      before: model({ ...base, aggregates: [agg()] }),
      after: model({ schemas: [app] }),
      sql: ['DROP AGGREGATE app.group_concat(text)', 'DROP FUNCTION app.concat_step(text, text)'],
      options: { policy: { allowDestructive: true } },
    },
  ]
}

/** Composite types: used by tables and other types, attributes added, retyped and dropped in place. */
function compositeScenarios(): Scenario[] {
  const mood: EnumDef = { kind: 'enum', schema: 'app', name: 'mood', values: ['ok', 'bad'] }
  const address = (attributes: CompositeTypeDef['attributes'], extra: Partial<CompositeTypeDef> = {}): CompositeTypeDef => ({ kind: 'composite', schema: 'app', name: 'address', attributes, ...extra })
  const street = { name: 'street', type: 'text' }
  const zip = { name: 'zip', type: 'character varying(10)' }
  const record: CompositeTypeDef = { kind: 'composite', schema: 'app', name: 'record_type', attributes: [{ name: 'id', type: 'integer' }, { name: 'status', type: 'app.mood' }, { name: 'home', type: 'app.address' }] }
  const shops = table('app', 'shops', [col('id', 'integer', { notNull: true }), col('location', 'app.address')])
  return [
    {
      name: 'composite-types-created-and-used',
      before: model({ schemas: [app] }),
      after: model({ schemas: [app], enums: [mood], composites: [address([{ ...street, comment: 'the street' }, { ...zip, collation: 'C' }], { comment: 'postal' }), record], tables: [shops] }),
      sql: [
        "CREATE TYPE app.mood AS ENUM ('ok', 'bad')",
        'CREATE TYPE app.address AS (street text, zip character varying(10) COLLATE "C")',
        'CREATE TYPE app.record_type AS (id integer, status app.mood, home app.address)',
        'CREATE TABLE app.shops (\n  id integer NOT NULL,\n  location app.address\n)',
        "COMMENT ON TYPE app.address IS 'postal'",
        "COMMENT ON COLUMN app.address.street IS 'the street'",
      ],
    },
    {
      name: 'composite-type-attributes-altered',
      before: model({ schemas: [app], composites: [address([street, zip, { name: 'old', type: 'integer' }])], tables: [shops] }),
      after: model({ schemas: [app], composites: [address([street, zip, { name: 'country', type: 'text' }])], tables: [shops] }),
      sql: ['ALTER TYPE app.address DROP ATTRIBUTE old', 'ALTER TYPE app.address ADD ATTRIBUTE country text'],
      options: { policy: { allowDestructive: true } },
    },
    {
      name: 'composite-type-attribute-retyped',
      before: model({ schemas: [app], composites: [address([street, zip])] }),
      after: model({ schemas: [app], composites: [address([street, { ...zip, type: 'text' }])] }),
      sql: ['ALTER TYPE app.address ALTER ATTRIBUTE zip TYPE text'],
    },
    {
      name: 'composite-type-dropped-after-its-column',
      before: model({ schemas: [app], composites: [address([street])], tables: [shops] }),
      after: model({ tables: [table('app', 'shops', [col('id', 'integer', { notNull: true })])] }),
      sql: ['ALTER TABLE app.shops DROP COLUMN location', 'DROP TYPE app.address'],
      options: { policy: { allowDestructive: true } },
    },
  ]
}

/** Every scenario of this file. */
/**
 * Grants: PUBLIC's default EXECUTE / USAGE taken away (and again on an object made again), grants on
 * functions with their arguments, on types and domains, per column (a table-level REVOKE takes the
 * privilege off the columns too), on identity and free sequences, with grant option.
 */
function grantScenarios(): Scenario[] {
  const readerRole = { kind: 'role' as const, name: 'cairn_scenario_reader', login: false, inherit: true, bypassRls: false, memberOf: [] }
  // the role is in a model when its grants name it (inspect reads only the roles grants and policies name)
  const model = (parts: Partial<Model> & { roles?: unknown }): Model => {
    const { roles: _r, ...rest } = parts
    return modelOf({ ...rest, roles: (parts.grants ?? []).some((x) => x.role === readerRole.name) ? [readerRole] : [] })
  }
  const roles = undefined
  const g = (on: GrantDef['on'], name: string, privileges: string[], extra: Partial<GrantDef> = {}): GrantDef =>
    ({ kind: 'grant', on, schema: 'app', name, role: readerRole.name, privileges, withGrantOption: false, ...extra })
  const pub = (on: GrantDef['on'], name: string, privileges: string[], extra: Partial<GrantDef> = {}): GrantDef =>
    g(on, name, privileges, { role: 'public', revoke: true, ...extra })
  const lookup = (returns = 'integer'): FunctionDef => ({
    kind: 'function', schema: 'app', name: 'lookup', args: 'x integer', isProcedure: false,
    definition: `CREATE OR REPLACE FUNCTION app.lookup(x integer)\n RETURNS ${returns}\n LANGUAGE sql\nAS $function$SELECT x$function$`,
  })
  const archive: FunctionDef = {
    kind: 'function', schema: 'app', name: 'archive', args: '', isProcedure: true,
    definition: 'CREATE OR REPLACE PROCEDURE app.archive()\n LANGUAGE sql\nAS $procedure$SELECT 1$procedure$',
  }
  const t = (cols = [col('a', 'text'), col('b', 'text')]) => table('app', 't', cols)
  const counter = table('app', 'counter', [col('id', 'bigint', { notNull: true, identity: 'always' })])
  const mood: EnumDef = { kind: 'enum', schema: 'app', name: 'mood', values: ['ok'] }
  const email = domain('email', 'text')
  const seq = { kind: 'sequence' as const, schema: 'app', name: 'ticket_no', type: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false }
  return [
    {
      name: 'grants-function-public-execute-revoked',
      before: model({ schemas: [app], roles, functions: [lookup(), archive] }),
      after: model({ schemas: [app], roles, functions: [lookup(), archive], grants: [
        pub('function', 'lookup', ['EXECUTE'], { args: 'x integer' }), g('function', 'lookup', ['EXECUTE'], { args: 'x integer' }),
        pub('function', 'archive', ['EXECUTE'], { args: '' }),
      ] }),
      sql: [
        createRole(readerRole),
        'REVOKE EXECUTE ON ROUTINE app.archive() FROM PUBLIC',
        'REVOKE EXECUTE ON ROUTINE app.lookup(x integer) FROM PUBLIC',
        'GRANT EXECUTE ON ROUTINE app.lookup(x integer) TO cairn_scenario_reader',
      ],
    },
    {
      // a function made again (its return type changes) starts from the defaults: the revoke is made again
      name: 'grants-function-recreated-keeps-its-acl',
      before: model({ schemas: [app], roles, functions: [lookup()], grants: [pub('function', 'lookup', ['EXECUTE'], { args: 'x integer' }), g('function', 'lookup', ['EXECUTE'], { args: 'x integer' })] }),
      after: model({ schemas: [app], roles, functions: [lookup('bigint')], grants: [pub('function', 'lookup', ['EXECUTE'], { args: 'x integer' }), g('function', 'lookup', ['EXECUTE'], { args: 'x integer' })] }),
      sql: [
        'REVOKE EXECUTE ON ROUTINE app.lookup(x integer) FROM cairn_scenario_reader',
        'GRANT EXECUTE ON ROUTINE app.lookup(x integer) TO PUBLIC',
        'DROP FUNCTION app.lookup(x integer)',
        lookup('bigint').definition,
        'REVOKE EXECUTE ON ROUTINE app.lookup(x integer) FROM PUBLIC',
        'GRANT EXECUTE ON ROUTINE app.lookup(x integer) TO cairn_scenario_reader',
      ],
    },
    {
      name: 'grants-public-execute-given-back',
      before: model({ schemas: [app], roles, functions: [lookup()], grants: [pub('function', 'lookup', ['EXECUTE'], { args: 'x integer' })] }),
      after: model({ schemas: [app], roles, functions: [lookup()] }),
      sql: ['GRANT EXECUTE ON ROUTINE app.lookup(x integer) TO PUBLIC'],
    },
    {
      // pgschema issue 324: a table-level grant becomes a column-level one
      name: 'grants-table-to-column',
      before: model({ roles, tables: [t()], grants: [g('table', 't', ['SELECT', 'UPDATE'])] }),
      after: model({ roles, tables: [t()], grants: [g('table', 't', ['SELECT']), g('table', 't', ['UPDATE'], { column: 'a' }), g('table', 't', ['INSERT', 'SELECT'], { column: 'b' })] }),
      sql: [
        'REVOKE UPDATE ON TABLE app.t FROM cairn_scenario_reader',
        'GRANT UPDATE (a) ON TABLE app.t TO cairn_scenario_reader',
        'GRANT INSERT (b), SELECT (b) ON TABLE app.t TO cairn_scenario_reader',
      ],
    },
    {
      // REVOKE UPDATE ON the table takes UPDATE off column b too: b's grant is revoked first and made again after
      name: 'grants-table-revoke-takes-columns',
      before: model({ roles, tables: [t()], grants: [g('table', 't', ['SELECT', 'UPDATE']), g('table', 't', ['UPDATE'], { column: 'b' })] }),
      after: model({ roles, tables: [t()], grants: [g('table', 't', ['SELECT']), g('table', 't', ['UPDATE'], { column: 'b' })] }),
      sql: [
        'REVOKE UPDATE (b) ON TABLE app.t FROM cairn_scenario_reader',
        'REVOKE UPDATE ON TABLE app.t FROM cairn_scenario_reader',
        'GRANT UPDATE (b) ON TABLE app.t TO cairn_scenario_reader',
      ],
    },
    {
      // the column goes with its grant; the other column's grant changes
      name: 'grants-column-dropped-with-its-grant',
      before: model({ roles, tables: [t()], grants: [g('table', 't', ['SELECT'], { column: 'a' }), g('table', 't', ['SELECT', 'UPDATE'], { column: 'b' })] }),
      after: model({ roles, tables: [t([col('a', 'text')])], grants: [g('table', 't', ['REFERENCES', 'SELECT'], { column: 'a' })] }),
      sql: ['REVOKE SELECT (b), UPDATE (b) ON TABLE app.t FROM cairn_scenario_reader', 'ALTER TABLE app.t DROP COLUMN b', 'GRANT REFERENCES (a) ON TABLE app.t TO cairn_scenario_reader'],
    },
    {
      name: 'grants-on-types-and-domains',
      before: model({ roles, enums: [mood], domains: [email] }),
      after: model({ roles, enums: [mood], domains: [email], grants: [pub('type', 'mood', ['USAGE']), g('type', 'email', ['USAGE'], { withGrantOption: true })] }),
      sql: [createRole(readerRole), 'REVOKE USAGE ON TYPE app.mood FROM PUBLIC', 'GRANT USAGE ON TYPE app.email TO cairn_scenario_reader WITH GRANT OPTION'],
    },
    {
      name: 'grants-on-identity-and-free-sequences',
      before: model({ roles, tables: [counter], sequences: [seq] }),
      after: model({ roles, tables: [counter], sequences: [seq], grants: [g('sequence', 'counter_id_seq', ['SELECT', 'USAGE']), g('sequence', 'ticket_no', ['UPDATE', 'USAGE']), g('table', 'counter', ['INSERT'], { role: 'public' })] }),
      sql: [
        createRole(readerRole),
        'GRANT SELECT, USAGE ON SEQUENCE app.counter_id_seq TO cairn_scenario_reader',
        'GRANT UPDATE, USAGE ON SEQUENCE app.ticket_no TO cairn_scenario_reader',
        'GRANT INSERT ON TABLE app.counter TO PUBLIC',
      ],
    },
    {
      // revoked from an identity sequence that stays (its name is not in the model's sequences)
      name: 'grants-identity-sequence-revoked-and-option-added',
      before: model({ roles, tables: [counter], grants: [g('sequence', 'counter_id_seq', ['SELECT', 'USAGE']), g('table', 'counter', ['SELECT'])] }),
      after: model({ roles, tables: [counter], grants: [g('sequence', 'counter_id_seq', ['USAGE']), g('table', 'counter', ['SELECT'], { withGrantOption: true })] }),
      sql: [
        'REVOKE SELECT ON SEQUENCE app.counter_id_seq FROM cairn_scenario_reader',
        'REVOKE SELECT ON TABLE app.counter FROM cairn_scenario_reader',
        'GRANT SELECT ON TABLE app.counter TO cairn_scenario_reader WITH GRANT OPTION',
      ],
    },
    {
      // grants are revoked before their objects are dropped, so that down.sql restores them
      name: 'grants-dropped-with-their-objects',
      before: model({ roles, tables: [counter], functions: [lookup()], grants: [g('schema', 'app', ['USAGE']), g('sequence', 'counter_id_seq', ['USAGE']), g('table', 'counter', ['SELECT']), pub('function', 'lookup', ['EXECUTE'], { args: 'x integer' })] }),
      after: model({ roles, schemas: [app], grants: [g('schema', 'app', ['USAGE'])] }),
      sql: [
        'GRANT EXECUTE ON ROUTINE app.lookup(x integer) TO PUBLIC',
        'REVOKE USAGE ON SEQUENCE app.counter_id_seq FROM cairn_scenario_reader',
        'REVOKE SELECT ON TABLE app.counter FROM cairn_scenario_reader',
        'DROP TABLE app.counter',
        'DROP FUNCTION app.lookup(x integer)',
      ],
    },
  ]
}

/** Default privileges and collations as the DSL declares them: created, changed (a grant option, a locale) and dropped. */
function dslDefaultPrivilegeAndCollationScenarios(): Scenario[] {
  const shop = pgSchema('app')
  const reader = role('cairn_scenario_dp_reader')
  const items = (code = text()) => shop.table('items', { id: integer().primaryKey(), code })
  const read = (withGrantOption = false) => defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['SELECT'], to: reader, withGrantOption })
  const sequences = defaultPrivileges({ inSchema: shop, on: 'sequences', grant: ['USAGE'], to: reader })
  const noExecute = defaultPrivileges({ on: 'functions', revoke: ['EXECUTE'], from: 'public' })
  const noUsage = defaultPrivileges({ on: 'types', revoke: ['usage'], from: 'PUBLIC' })
  const schemasToReader = defaultPrivileges({ on: 'schemas', grant: ['USAGE'], to: reader })
  const owner = role('cairn_scenario_dp_owner')
  const forOwner = [
    defaultPrivileges({ forRole: owner, inSchema: shop, on: 'tables', grant: ['SELECT'], to: reader }),
    defaultPrivileges({ forRole: owner, on: 'functions', revoke: ['EXECUTE'], from: 'public' }),
  ]
  const bytes = collation(shop, 'bytes', { from: 'C' })
  const posix = collation(shop, 'bytes', { locale: 'POSIX' })
  const ci = collation(shop, 'ci', { provider: 'icu', locale: 'und-u-ks-level2', deterministic: false })
  const und = collation(shop, 'und', { from: 'und-x-icu', comment: 'root locale' })
  return [
    {
      name: 'dsl-default-privileges-created',
      before: buildModel({ shop, t: items() }),
      after: buildModel({ shop, reader, t: items(), x: [read(), sequences, noExecute, noUsage, schemasToReader] }),
      sql: [
        createRole(reader.$def),
        'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
        'ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO cairn_scenario_dp_reader',
        'ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT USAGE ON SEQUENCES TO cairn_scenario_dp_reader',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO cairn_scenario_dp_reader',
      ],
    },
    {
      // the grant option is part of the entry: SELECT without it is revoked, then granted with it
      name: 'dsl-default-privileges-changed-and-dropped',
      before: buildModel({ shop, reader, t: items(), x: [read(), sequences, noExecute] }),
      after: buildModel({ shop, reader, t: items(), x: [read(true), defaultPrivileges({ inSchema: shop, on: 'tables', grant: ['INSERT'], to: reader })] }),
      sql: [
        'ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE USAGE ON SEQUENCES FROM cairn_scenario_dp_reader',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app REVOKE SELECT ON TABLES FROM cairn_scenario_dp_reader',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT INSERT ON TABLES TO cairn_scenario_dp_reader',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO cairn_scenario_dp_reader WITH GRANT OPTION',
      ],
    },
    {
      // FOR ROLE another role: the tables this migration creates (as the migrating role) do not get them
      name: 'dsl-default-privileges-for-another-role-leave-new-tables-alone',
      before: buildModel({ shop, reader, owner, x: forOwner }),
      after: buildModel({ shop, reader, owner, x: forOwner, t: items() }),
      sql: [
        'CREATE TABLE app.items (\n  id integer NOT NULL,\n  code text,\n  CONSTRAINT items_pkey PRIMARY KEY (id)\n)',
      ],
    },
    {
      name: 'dsl-collations-created-changed-and-dropped',
      before: buildModel({ shop, bytes, und, t: items(text().collate(und)) }),
      after: buildModel({ shop, posix, ci, t: items(text().collate(ci)) }),
      sql: [
        'DROP COLLATION app.bytes',
        'CREATE COLLATION app.bytes (provider = libc, lc_collate = \'POSIX\', lc_ctype = \'POSIX\')',
        'CREATE COLLATION app.ci (provider = icu, locale = \'und-u-ks-level2\', deterministic = false)',
        'ALTER TABLE app.items ALTER COLUMN code TYPE text COLLATE app.ci',
        'DROP COLLATION app.und',
      ],
    },
  ]
}

export function objectKindScenarios(engine: string): Scenario[] {
  return [...domainScenarios(), ...exclusionScenarios(), ...enumScenarios(engine), ...identityScenarios(), ...dropOrderScenarios(), ...tableDetailScenarios(), ...collationScenarios(), ...triggerStateScenarios(), ...defaultPrivilegeScenarios(), ...aggregateScenarios(), ...compositeScenarios(), ...grantScenarios(), ...dslDefaultPrivilegeAndCollationScenarios()]
}
