/**
 * Scenarios where a table-level change must be ordered around what depends on it: sequences owned
 * by dropped columns or tables, defaults calling dropped sequences, columns made again (generated)
 * with the indexes, constraints and foreign keys that use them. Same format as cases.ts.
 */
import type { SequenceDef } from '../../src/model/types.js'
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

/** Every scenario of this file. */
export function tableDependencyScenarios(): Scenario[] {
  return [...sequenceScenarios()]
}
