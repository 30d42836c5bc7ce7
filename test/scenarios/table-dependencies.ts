/**
 * Scenarios where a table-level change must be ordered around what depends on it: sequences owned
 * by dropped columns or tables, defaults calling dropped sequences, columns made again (generated)
 * with the indexes, constraints and foreign keys that use them. Same format as cases.ts.
 */
import type { DomainDef, FunctionDef, IndexDef, SequenceDef, TableDef, TriggerDef, ViewDef } from '../../src/model/types.js'
import { col, model, table } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

const seq = (name: string, extra: Partial<SequenceDef> = {}): SequenceDef => ({
  kind: 'sequence',
  schema: 'app',
  name,
  type: 'bigint',
  start: '1',
  increment: '1',
  min: '1',
  max: '9223372036854775807',
  cache: '1',
  cycle: false,
  ...extra,
})
const nextval = (name: string) => `nextval('app.${name}'::regclass)`

/** Sequence ownership and defaults. */
function sequenceScenarios(): Scenario[] {
  return [
    {
      // dropping the owning column would drop the sequence the other column goes on using
      name: 'sequence-released-before-its-owner-column-is-dropped',
      before: model({
        tables: [table('app', 'mover', [col('a', 'integer', { notNull: true, default: nextval('move_seq') }), col('b', 'integer', { notNull: true })])],
        sequences: [seq('move_seq', { ownedBy: { table: 'mover', column: 'a' } })],
      }),
      after: model({
        tables: [table('app', 'mover', [col('b', 'integer', { notNull: true, default: nextval('move_seq') })])],
        sequences: [seq('move_seq', { ownedBy: { table: 'mover', column: 'b' } })],
      }),
      sql: [
        'ALTER SEQUENCE app.move_seq OWNED BY NONE',
        'ALTER TABLE app.mover DROP COLUMN a',
        `ALTER TABLE app.mover ALTER COLUMN b SET DEFAULT ${nextval('move_seq')}`,
        'ALTER SEQUENCE app.move_seq OWNED BY app.mover.b',
      ],
    },
    {
      // the sequence outlives the table that owned it
      name: 'sequence-released-before-its-owner-table-is-dropped',
      before: model({
        tables: [table('app', 'doomed', [col('id', 'integer', { notNull: true, default: nextval('keep_seq') })])],
        sequences: [seq('keep_seq', { ownedBy: { table: 'doomed', column: 'id' } })],
      }),
      after: model({ schemas: [{ kind: 'schema', name: 'app' }], sequences: [seq('keep_seq')] }),
      sql: ['ALTER SEQUENCE app.keep_seq OWNED BY NONE', 'DROP TABLE app.doomed'],
    },
    {
      // ALTER SEQUENCE … MINVALUE 10 is refused while the sequence stands below 10 (a fresh one stands at 1)
      name: 'sequence-minvalue-raised-above-its-value',
      before: model({ schemas: [{ kind: 'schema', name: 'app' }], sequences: [seq('ticket_seq')] }),
      after: model({ schemas: [{ kind: 'schema', name: 'app' }], sequences: [seq('ticket_seq', { min: '10', start: '10' })] }),
      sql: [
        "SELECT setval('app.ticket_seq', GREATEST(last_value, 10), is_called) FROM app.ticket_seq",
        'ALTER SEQUENCE app.ticket_seq AS bigint INCREMENT BY 1 MINVALUE 10 MAXVALUE 9223372036854775807 START WITH 10 CACHE 1 NO CYCLE',
      ],
    },
    {
      // the old default depends on the sequence being dropped: it goes first, the new one comes after
      name: 'default-moves-off-a-dropped-sequence',
      before: model({
        tables: [table('app', 'orders', [col('id', 'integer', { notNull: true, default: nextval('orders_id_seq') }), col('label', 'text')])],
        sequences: [seq('orders_id_seq', { type: 'integer', max: '2147483647', ownedBy: { table: 'orders', column: 'id' } })],
      }),
      after: model({
        tables: [table('app', 'orders', [col('id', 'integer', { notNull: true, default: nextval('custom_seq') }), col('label', 'text')])],
        sequences: [seq('custom_seq', { increment: '5', ownedBy: { table: 'orders', column: 'id' } })],
      }),
      sql: [
        'ALTER TABLE app.orders ALTER COLUMN id DROP DEFAULT',
        'DROP SEQUENCE app.orders_id_seq',
        'CREATE SEQUENCE app.custom_seq AS bigint INCREMENT BY 5 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE',
        `ALTER TABLE app.orders ALTER COLUMN id SET DEFAULT ${nextval('custom_seq')}`,
        'ALTER SEQUENCE app.custom_seq OWNED BY app.orders.id',
      ],
    },
  ]
}

const index = (name: string, keys: IndexDef['keys'], extra: Partial<IndexDef> = {}): IndexDef => ({ name, unique: false, method: 'btree', keys, include: [], with: {}, ...extra })
const code = "('ORD-'::text || (id)::text)"
const orders = (codeExtra: { generated?: string }, extra: Partial<TableDef> = {}): TableDef =>
  table('app', 'orders', [col('id', 'integer', { notNull: true }), col('qty', 'integer', { notNull: true }), col('code', 'text', codeExtra)], {
    primaryKey: { name: 'orders_pkey', columns: ['id'] },
    indexes: [index('orders_code_key', [{ column: 'code' }], { unique: true }), index('orders_code_lower', [{ expression: 'lower(code)' }], { where: '(qty > 0)' })],
    checks: [{ name: 'orders_code_check', expression: "(code <> ''::text)" }],
    ...extra,
  })
const shipments = table('app', 'shipments', [col('order_code', 'text')], {
  foreignKeys: [{ name: 'shipments_order_code_fkey', columns: ['order_code'], refSchema: 'app', refTable: 'orders', refColumns: ['code'], onDelete: 'no action', onUpdate: 'no action' }],
})
const audit: FunctionDef = {
  kind: 'function',
  schema: 'app',
  name: 'audit',
  args: '',
  isProcedure: false,
  definition: 'CREATE OR REPLACE FUNCTION app.audit()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN RETURN NEW; END $function$',
}
const qtyTrigger: TriggerDef = {
  kind: 'trigger',
  schema: 'app',
  table: 'orders',
  name: 'orders_qty_trg',
  definition: 'CREATE TRIGGER orders_qty_trg AFTER UPDATE OF qty ON app.orders FOR EACH ROW WHEN ((new.qty > 0)) EXECUTE FUNCTION app.audit()',
}

const sumA: FunctionDef = {
  kind: 'function',
  schema: 'app',
  name: 'total',
  args: '',
  isProcedure: false,
  definition: 'CREATE OR REPLACE FUNCTION app.total()\n RETURNS bigint\n LANGUAGE sql\n STABLE\nRETURN (SELECT max(t.a) AS max FROM app.t)',
}

/** Columns made again or retyped, with what stands on them. */
function columnDependentScenarios(): Scenario[] {
  return [
    {
      // DROP COLUMN would refuse (the foreign key needs the unique index) or take the index and check along
      name: 'generated-column-made-again-with-its-indexes-check-and-foreign-keys',
      before: model({ tables: [orders({}), shipments] }),
      after: model({ tables: [orders({ generated: code }), shipments] }),
      sql: [
        'ALTER TABLE app.shipments DROP CONSTRAINT shipments_order_code_fkey',
        'ALTER TABLE app.orders DROP CONSTRAINT orders_code_check',
        'DROP INDEX CONCURRENTLY app.orders_code_key',
        'DROP INDEX CONCURRENTLY app.orders_code_lower',
        'ALTER TABLE app.orders DROP COLUMN code',
        `ALTER TABLE app.orders ADD COLUMN code text GENERATED ALWAYS AS (${code}) STORED`,
        "ALTER TABLE app.orders ADD CONSTRAINT orders_code_check CHECK ((code <> ''::text)) NOT VALID",
        'ALTER TABLE app.orders VALIDATE CONSTRAINT orders_code_check',
        'CREATE UNIQUE INDEX CONCURRENTLY orders_code_key ON app.orders USING btree (code)',
        'ALTER TABLE app.shipments ADD CONSTRAINT shipments_order_code_fkey FOREIGN KEY (order_code) REFERENCES app.orders (code) NOT VALID',
        'ALTER TABLE app.shipments VALIDATE CONSTRAINT shipments_order_code_fkey',
        'CREATE INDEX CONCURRENTLY orders_code_lower ON app.orders USING btree ((lower(code))) WHERE (qty > 0)',
      ],
    },
    {
      // g reads b, which is dropped: g goes first; h reads a, which is retyped: h is dropped before and added after
      name: 'generated-columns-over-a-dropped-and-a-retyped-column',
      before: model({
        tables: [table('app', 'calc', [col('a', 'integer'), col('b', 'integer'), col('g', 'integer', { generated: '(a + b)' }), col('h', 'bigint', { generated: '(a * 2)' })])],
      }),
      after: model({ tables: [table('app', 'calc', [col('a', 'bigint'), col('g', 'integer', { generated: '(a * 2)' }), col('h', 'bigint', { generated: '(a * 2)' })])] }),
      sql: [
        'ALTER TABLE app.calc DROP COLUMN g',
        'ALTER TABLE app.calc DROP COLUMN h',
        'ALTER TABLE app.calc DROP COLUMN b',
        'ALTER TABLE app.calc ALTER COLUMN a TYPE bigint',
        'ALTER TABLE app.calc ADD COLUMN g integer GENERATED ALWAYS AS ((a * 2)) STORED',
        'ALTER TABLE app.calc ADD COLUMN h bigint GENERATED ALWAYS AS ((a * 2)) STORED',
      ],
    },
    {
      // a SQL-standard body depends on the columns it reads: Postgres refuses to retype one under it
      name: 'sql-body-function-over-a-retyped-column',
      before: model({ tables: [table('app', 't', [col('id', 'integer'), col('a', 'integer')])], functions: [sumA] }),
      after: model({ tables: [table('app', 't', [col('id', 'integer'), col('a', 'bigint')])], functions: [sumA] }),
      sql: ['DROP FUNCTION app.total()', 'ALTER TABLE app.t ALTER COLUMN a TYPE bigint', sumA.definition],
    },
    {
      // a foreign key into a table made again partitioned holds it, unless the new model drops that key too
      name: 'table-made-partitioned-once-the-foreign-key-into-it-goes',
      before: model({
        tables: [
          table('app', 'p', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 'p_pkey', columns: ['id'] } }),
          table('app', 'c', [col('p_id', 'integer')], {
            foreignKeys: [{ name: 'c_p_id_fkey', columns: ['p_id'], refSchema: 'app', refTable: 'p', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
          }),
        ],
      }),
      after: model({
        tables: [
          table('app', 'p', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 'p_pkey', columns: ['id'] }, partitionBy: { strategy: 'hash', key: '(id)' } }),
          table('app', 'c', [col('p_id', 'integer')]),
        ],
      }),
      sql: ['ALTER TABLE app.c DROP CONSTRAINT c_p_id_fkey', 'DROP TABLE app.p', 'CREATE TABLE app.p (\n  id integer NOT NULL,\n  CONSTRAINT p_pkey PRIMARY KEY (id)\n) PARTITION BY HASH (id)'],
    },
    {
      // Postgres refuses to retype a column a trigger's WHEN or UPDATE OF uses
      name: 'retyped-column-under-a-trigger',
      before: model({ tables: [orders({})], functions: [audit], triggers: [qtyTrigger] }),
      after: model({
        tables: [{ ...orders({}), columns: orders({}).columns.map((c) => (c.name === 'qty' ? { ...c, type: 'bigint' } : c)) }],
        functions: [audit],
        triggers: [qtyTrigger],
      }),
      sql: ['DROP TRIGGER orders_qty_trg ON app.orders', 'ALTER TABLE app.orders ALTER COLUMN qty TYPE bigint', qtyTrigger.definition],
    },
  ]
}

const fn = (name: string, returns: string, body: string, volatility = 'IMMUTABLE'): FunctionDef => ({
  kind: 'function',
  schema: 'app',
  name,
  args: '',
  isProcedure: false,
  definition: `CREATE OR REPLACE FUNCTION app.${name}()\n RETURNS ${returns}\n LANGUAGE sql\n ${volatility}\nAS $function$ ${body} $function$`,
})
const stock = (extra: Partial<TableDef> = {}): TableDef =>
  table('app', 'stock', [col('id', 'integer', { notNull: true }), col('qty', 'integer', { default: 'app.default_qty()' }), col('code', 'text')], {
    checks: [{ name: 'stock_qty_check', expression: '(qty <= app.max_qty())' }],
    indexes: [index('stock_large_idx', [{ column: 'id' }], { where: '(qty > (app.max_qty() / 2))' }), index('stock_qty_idx', [{ expression: '(qty + app.max_qty())' }])],
    rls: { enabled: true, forced: false },
    policies: [{ name: 'stock_small', permissive: true, command: 'select', roles: ['public'], using: '(qty < app.max_qty())' }],
    ...extra,
  })
const range = (from: number, to: number) => `FOR VALUES FROM (${from}) TO (${to})`
const measurements = (qtyDefault: string, partitions: { name: string; bound: string; own?: string }[]): TableDef[] => [
  table('app', 'measurements', [col('id', 'integer', { notNull: true }), col('qty', 'integer', { default: qtyDefault })], {
    partitionBy: { strategy: 'range', key: '(id)' },
  }),
  ...partitions.map((p) =>
    table('app', p.name, [col('id', 'integer', { notNull: true }), col('qty', 'integer', { default: p.own ?? qtyDefault })], {
      partitionOf: { parentSchema: 'app', parent: 'measurements', bound: p.bound },
    }),
  ),
]

const plusOne = (returns: string): FunctionDef => ({
  kind: 'function',
  schema: 'app',
  name: 'plus_one',
  args: 'x integer',
  isProcedure: false,
  definition: `CREATE OR REPLACE FUNCTION app.plus_one(x integer)\n RETURNS ${returns}\n LANGUAGE sql\n IMMUTABLE\nAS $function$ SELECT x + 1 $function$`,
})
const quantity: DomainDef = {
  kind: 'domain',
  schema: 'app',
  name: 'quantity',
  type: 'integer',
  notNull: false,
  default: 'app.default_qty()',
  checks: [{ name: 'quantity_max', expression: '(VALUE <= app.max_qty())' }],
}
const numbers: ViewDef = {
  kind: 'view',
  schema: 'app',
  name: 'numbers',
  materialized: true,
  definition: 'SELECT 1 AS one',
  with: {},
  indexes: [index('numbers_plus_idx', [{ expression: 'app.plus_one(one)' }])],
}

/** Functions dropped and created again, and partitions' defaults. */
function functionAndPartitionScenarios(): Scenario[] {
  return [
    {
      // DROP FUNCTION is refused while a default, check, index or policy calls it
      name: 'function-recreated-under-defaults-checks-indexes-and-policies',
      before: model({ tables: [stock()], functions: [fn('default_qty', 'integer', 'SELECT 5'), fn('max_qty', 'integer', 'SELECT 100')] }),
      after: model({ tables: [stock()], functions: [fn('default_qty', 'bigint', 'SELECT 5'), fn('max_qty', 'bigint', 'SELECT 100')] }),
      sql: [
        'DROP POLICY stock_small ON app.stock',
        'ALTER TABLE app.stock DROP CONSTRAINT stock_qty_check',
        'DROP INDEX CONCURRENTLY app.stock_large_idx',
        'DROP INDEX CONCURRENTLY app.stock_qty_idx',
        'ALTER TABLE app.stock ALTER COLUMN qty DROP DEFAULT',
        'DROP FUNCTION app.default_qty()',
        'DROP FUNCTION app.max_qty()',
        fn('default_qty', 'bigint', 'SELECT 5').definition,
        'ALTER TABLE app.stock ALTER COLUMN qty SET DEFAULT app.default_qty()',
        fn('max_qty', 'bigint', 'SELECT 100').definition,
        'ALTER TABLE app.stock ADD CONSTRAINT stock_qty_check CHECK ((qty <= app.max_qty())) NOT VALID',
        'ALTER TABLE app.stock VALIDATE CONSTRAINT stock_qty_check',
        'CREATE INDEX CONCURRENTLY stock_large_idx ON app.stock USING btree (id) WHERE (qty > (app.max_qty() / 2))',
        'CREATE INDEX CONCURRENTLY stock_qty_idx ON app.stock USING btree (((qty + app.max_qty())))',
        'CREATE POLICY stock_small ON app.stock FOR SELECT TO PUBLIC USING ((qty < app.max_qty()))',
      ],
    },
    {
      // a domain's default and check calling the functions hold them just as a table's do
      name: 'function-recreated-under-a-domain-default-and-check',
      before: model({ schemas: [{ kind: 'schema', name: 'app' }], functions: [fn('default_qty', 'integer', 'SELECT 5'), fn('max_qty', 'integer', 'SELECT 100')], domains: [quantity] }),
      after: model({ schemas: [{ kind: 'schema', name: 'app' }], functions: [fn('default_qty', 'bigint', 'SELECT 5'), fn('max_qty', 'bigint', 'SELECT 100')], domains: [quantity] }),
      sql: [
        'ALTER DOMAIN app.quantity DROP CONSTRAINT quantity_max',
        'ALTER DOMAIN app.quantity DROP DEFAULT',
        'DROP FUNCTION app.default_qty()',
        'DROP FUNCTION app.max_qty()',
        fn('default_qty', 'bigint', 'SELECT 5').definition,
        'ALTER DOMAIN app.quantity SET DEFAULT app.default_qty()',
        fn('max_qty', 'bigint', 'SELECT 100').definition,
        'ALTER DOMAIN app.quantity ADD CONSTRAINT quantity_max CHECK ((VALUE <= app.max_qty())) NOT VALID',
        'ALTER DOMAIN app.quantity VALIDATE CONSTRAINT quantity_max',
      ],
    },
    {
      // the materialized view does not call the function, its index does: the index is made again around it
      name: 'function-recreated-under-a-materialized-view-index',
      before: model({ schemas: [{ kind: 'schema', name: 'app' }], functions: [plusOne('integer')], views: [numbers] }),
      after: model({ schemas: [{ kind: 'schema', name: 'app' }], functions: [plusOne('bigint')], views: [numbers] }),
      sql: [
        'DROP INDEX CONCURRENTLY app.numbers_plus_idx',
        'DROP FUNCTION app.plus_one(x integer)',
        plusOne('bigint').definition,
        'CREATE INDEX CONCURRENTLY numbers_plus_idx ON app.numbers USING btree ((app.plus_one(one)))',
      ],
    },
    {
      // SET DEFAULT on a partitioned table reaches every partition, a partition's own default too
      name: 'partition-keeps-its-own-default-when-the-parent-default-changes',
      before: model({
        tables: measurements('1', [{ name: 'measurements_p1', bound: range(0, 10), own: '7' }, { name: 'measurements_p2', bound: range(10, 20) }]),
      }),
      after: model({
        tables: measurements('2', [
          { name: 'measurements_p1', bound: range(0, 10), own: '7' },
          { name: 'measurements_p2', bound: range(10, 20) },
          { name: 'measurements_p3', bound: range(20, 30) },
        ]),
      }),
      // ONLY on the parent; the partition created here took the parent's old default
      sql: [
        'CREATE TABLE app.measurements_p3 PARTITION OF app.measurements FOR VALUES FROM (20) TO (30)',
        'ALTER TABLE ONLY app.measurements ALTER COLUMN qty SET DEFAULT 2',
        'ALTER TABLE app.measurements_p2 ALTER COLUMN qty SET DEFAULT 2',
        'ALTER TABLE app.measurements_p3 ALTER COLUMN qty SET DEFAULT 2',
      ],
    },
  ]
}

const customers = table('app', 'customers', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 'customers_pkey', columns: ['id'] } })
const payments = (extra: Partial<TableDef> = {}): TableDef =>
  table('app', 'payments', [col('id', 'integer', { notNull: true }), col('amount', 'integer'), col('customer_id', 'integer')], extra)

/** Constraint states and key options the catalog keeps. */
function constraintOptionScenarios(): Scenario[] {
  const amountCheck = { name: 'payments_amount_check', expression: '(amount >= 0)', notValid: true as const }
  const customerFk = {
    name: 'payments_customer_id_fkey', columns: ['customer_id'], refSchema: 'app', refTable: 'customers', refColumns: ['id'],
    onDelete: 'no action' as const, onUpdate: 'no action' as const, notValid: true as const,
  }
  const { notValid: _, ...validFk } = customerFk
  return [
    {
      // NOT VALID is the wanted state: the rows already there (which break both) are never validated
      name: 'not-valid-check-and-foreign-key-stay-unvalidated',
      before: model({ tables: [customers, payments()] }),
      after: model({
        tables: [customers, payments({ checks: [amountCheck], foreignKeys: [customerFk] }), table('app', 'refunds', [col('amount', 'integer')], { checks: [{ ...amountCheck, name: 'refunds_amount_check' }] })],
      }),
      sql: [
        'CREATE TABLE app.refunds (\n  amount integer\n)',
        'ALTER TABLE app.payments ADD CONSTRAINT payments_amount_check CHECK ((amount >= 0)) NOT VALID',
        'ALTER TABLE app.refunds ADD CONSTRAINT refunds_amount_check CHECK ((amount >= 0)) NOT VALID',
        'ALTER TABLE app.payments ADD CONSTRAINT payments_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES app.customers (id) NOT VALID',
      ],
      options: { seed: 'INSERT INTO app.payments VALUES (1, -5, 99)' },
    },
    {
      // only the validation changes: VALIDATE CONSTRAINT, no drop and add
      name: 'not-valid-check-and-foreign-key-validated-in-place',
      before: model({ tables: [customers, payments({ checks: [{ ...amountCheck, comment: 'no refunds here' }], foreignKeys: [customerFk] })] }),
      after: model({
        tables: [customers, payments({ checks: [{ name: amountCheck.name, expression: amountCheck.expression, comment: 'no refunds here' }], foreignKeys: [validFk] })],
      }),
      sql: ['ALTER TABLE app.payments VALIDATE CONSTRAINT payments_amount_check', 'ALTER TABLE app.payments VALIDATE CONSTRAINT payments_customer_id_fkey'],
    },
    {
      // ON DELETE SET NULL (b) sets only b: the column list is part of the foreign key
      name: 'foreign-key-on-delete-sets-some-columns',
      before: model({
        tables: [
          table('app', 'parents', [col('a', 'integer', { notNull: true }), col('b', 'integer', { notNull: true })], { primaryKey: { name: 'parents_pkey', columns: ['a', 'b'] } }),
          table('app', 'kids', [col('a', 'integer'), col('b', 'integer')], {
            foreignKeys: [{ name: 'kids_fk', columns: ['a', 'b'], refSchema: 'app', refTable: 'parents', refColumns: ['a', 'b'], onDelete: 'set null', onUpdate: 'no action' }],
          }),
        ],
      }),
      after: model({
        tables: [
          table('app', 'parents', [col('a', 'integer', { notNull: true }), col('b', 'integer', { notNull: true })], { primaryKey: { name: 'parents_pkey', columns: ['a', 'b'] } }),
          table('app', 'kids', [col('a', 'integer'), col('b', 'integer')], {
            foreignKeys: [{ name: 'kids_fk', columns: ['a', 'b'], refSchema: 'app', refTable: 'parents', refColumns: ['a', 'b'], onDelete: 'set null', onDeleteColumns: ['b'], onUpdate: 'no action' }],
          }),
        ],
      }),
      sql: [
        'ALTER TABLE app.kids DROP CONSTRAINT kids_fk',
        'ALTER TABLE app.kids ADD CONSTRAINT kids_fk FOREIGN KEY (a, b) REFERENCES app.parents (a, b) ON DELETE SET NULL (b) NOT VALID',
        'ALTER TABLE app.kids VALIDATE CONSTRAINT kids_fk',
      ],
    },
    {
      name: 'keys-with-include-columns',
      before: model({ tables: [payments({ primaryKey: { name: 'payments_pkey', columns: ['id'] } })] }),
      after: model({
        tables: [
          payments({
            primaryKey: { name: 'payments_pkey', columns: ['id'], include: ['amount'] },
            uniques: [{ name: 'payments_customer_id_key', columns: ['customer_id'], include: ['id', 'amount'] }],
          }),
        ],
      }),
      sql: [
        'ALTER TABLE app.payments DROP CONSTRAINT payments_pkey',
        'CREATE UNIQUE INDEX CONCURRENTLY payments_pkey ON app.payments USING btree (id) INCLUDE (amount)',
        'ALTER TABLE app.payments ADD CONSTRAINT payments_pkey PRIMARY KEY USING INDEX payments_pkey',
        'CREATE UNIQUE INDEX CONCURRENTLY payments_customer_id_key ON app.payments USING btree (customer_id) INCLUDE (id, amount)',
        'ALTER TABLE app.payments ADD CONSTRAINT payments_customer_id_key UNIQUE USING INDEX payments_customer_id_key',
      ],
    },
  ]
}

/** Every scenario of this file. */
/** Comments on the indexes behind primary keys and unique constraints (not the constraints' own). */
function keyIndexCommentScenarios(): Scenario[] {
  const t = (extra: Partial<TableDef> = {}) =>
    table('app', 'tagged', [col('id', 'integer', { notNull: true }), col('code', 'text')], {
      primaryKey: { name: 'tagged_pkey', columns: ['id'] },
      uniques: [{ name: 'tagged_code_key', columns: ['code'] }],
      ...extra,
    })
  return [
    {
      name: 'key-index-comment-set',
      before: model({ tables: [t()] }),
      after: model({ tables: [t({ keyIndexComments: { tagged_pkey: 'the pk index' } })] }),
      sql: ["COMMENT ON INDEX app.tagged_pkey IS 'the pk index'"],
    },
    {
      name: 'key-index-comment-changed-and-removed',
      before: model({ tables: [t({ keyIndexComments: { tagged_pkey: 'old', tagged_code_key: 'codes' } })] }),
      after: model({ tables: [t({ keyIndexComments: { tagged_pkey: 'new' } })] }),
      sql: ["COMMENT ON INDEX app.tagged_pkey IS 'new'", 'COMMENT ON INDEX app.tagged_code_key IS NULL'],
    },
  ]
}

export function tableDependencyScenarios(): Scenario[] {
  return [...sequenceScenarios(), ...columnDependentScenarios(), ...functionAndPartitionScenarios(), ...constraintOptionScenarios(), ...keyIndexCommentScenarios()]
}
