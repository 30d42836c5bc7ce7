/**
 * Scenarios where a table-level change must be ordered around what depends on it: sequences owned
 * by dropped columns or tables, defaults calling dropped sequences, columns made again (generated)
 * with the indexes, constraints and foreign keys that use them. Same format as cases.ts.
 */
import type { FunctionDef, IndexDef, SequenceDef, TableDef, TriggerDef } from '../../src/model/types.js'
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

/** Every scenario of this file. */
export function tableDependencyScenarios(): Scenario[] {
  return [...sequenceScenarios(), ...columnDependentScenarios()]
}
