import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { CairnError } from '../../../src/errors.js'
import type { Model } from '../../../src/model/types.js'
import { plan, type PlanPolicy } from '../../../src/plan/plan.js'
import { renderMigration, splitMigration } from '../../../src/plan/render-migration.js'
import { col, model, table } from './build.js'

const planOf = (a: Model, b: Model, policy: PlanPolicy = { allowDestructive: true }) => {
  const d = diff(a, b)
  expect(d.status).toBe('ok')
  return plan(d.changes, policy)
}
const sqlOf = (a: Model, b: Model, policy?: PlanPolicy) => planOf(a, b, policy).steps.map((s) => s.sql)
const refusal = (fn: () => unknown): CairnError => {
  try {
    fn()
  } catch (e) {
    return e as CairnError
  }
  throw new Error('expected a refusal')
}

const users = (patch: object = {}, cols = [col('id', 'bigint', { notNull: true }), col('email', 'text'), col('age', 'integer')]) =>
  table('app', 'users', cols, { primaryKey: { name: 'users_pkey', columns: ['id'] }, ...patch })
const idx = (name: string, column: string, unique = false) => ({ name, unique, method: 'btree', keys: [{ column }], include: [], with: {} })

// [name, from, to, expected SQL] in the style of atlas' TestPlanChanges
const CASES: [string, Model, Model, string[]][] = [
  ['create schema and table with index', model({}), model({ tables: [users({ indexes: [idx('users_email_idx', 'email')] })] }), [
    'CREATE SCHEMA app',
    'CREATE TABLE app.users (\n  id bigint NOT NULL,\n  email text,\n  age integer,\n  CONSTRAINT users_pkey PRIMARY KEY (id)\n)',
    'CREATE INDEX users_email_idx ON app.users USING btree (email)',
  ]],
  ['index on an existing table is concurrent', model({ tables: [users()] }), model({ tables: [users({ indexes: [idx('users_email_idx', 'email')] })] }), [
    'CREATE INDEX CONCURRENTLY users_email_idx ON app.users USING btree (email)',
  ]],
  ['index dropped concurrently', model({ tables: [users({ indexes: [idx('users_email_idx', 'email')] })] }), model({ tables: [users()] }), [
    'DROP INDEX CONCURRENTLY app.users_email_idx',
  ]],
  ['unique through a concurrent index', model({ tables: [users()] }), model({ tables: [users({ uniques: [{ name: 'users_email_key', columns: ['email'], deferrable: true }] })] }), [
    'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users USING btree (email)',
    'ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key DEFERRABLE',
  ]],
  ['not null through a validated check', model({ tables: [users()] }), model({ tables: [users({}, [col('id', 'bigint', { notNull: true }), col('email', 'text', { notNull: true }), col('age', 'integer')])] }), [
    'ALTER TABLE app.users ADD CONSTRAINT users_email_not_null_check CHECK (email IS NOT NULL) NOT VALID',
    'ALTER TABLE app.users VALIDATE CONSTRAINT users_email_not_null_check',
    'ALTER TABLE app.users ALTER COLUMN email SET NOT NULL',
    'ALTER TABLE app.users DROP CONSTRAINT users_email_not_null_check',
  ]],
  ['drop a column with its constraint first', model({ tables: [users({ checks: [{ name: 'users_age_check', expression: '(age > 0)' }] })] }), model({ tables: [users({}, [col('id', 'bigint', { notNull: true }), col('email', 'text')])] }), [
    'ALTER TABLE app.users DROP CONSTRAINT users_age_check',
    'ALTER TABLE app.users DROP COLUMN age',
  ]],
  ['enum before the table that uses it', model({}), model({ enums: [{ kind: 'enum', schema: 'app', name: 'mood', values: ['ok', "it's"] }], tables: [table('app', 't', [col('m', 'app.mood')])] }), [
    'CREATE SCHEMA app',
    "CREATE TYPE app.mood AS ENUM ('ok', 'it''s')",
    'CREATE TABLE app.t (\n  m app.mood\n)',
  ]],
  ['quoted identifiers', model({ tables: [table('public', 'Order', [col('id', 'integer')])] }), model({ tables: [table('public', 'Order', [col('id', 'integer'), col('User Name', 'text')])] }), [
    'ALTER TABLE public."Order" ADD COLUMN "User Name" text',
  ]],
  ['storage reset and comment removal', model({ tables: [users({ with: { fillfactor: '70' }, comment: 'x' })] }), model({ tables: [users()] }), [
    'ALTER TABLE app.users RESET (fillfactor)',
    'COMMENT ON TABLE app.users IS NULL',
  ]],
  ['rls and a policy on a new table', model({}), model({ tables: [users({ rls: { enabled: true, forced: true }, policies: [{ name: 'own', permissive: true, command: 'all', roles: ['public'], using: '(id = 1)' }] })] }), [
    'CREATE SCHEMA app',
    'CREATE TABLE app.users (\n  id bigint NOT NULL,\n  email text,\n  age integer,\n  CONSTRAINT users_pkey PRIMARY KEY (id)\n)',
    'ALTER TABLE app.users ENABLE ROW LEVEL SECURITY',
    'ALTER TABLE app.users FORCE ROW LEVEL SECURITY',
    'CREATE POLICY own ON app.users TO PUBLIC USING ((id = 1))',
  ]],
  ['drops in reverse dependency order', model({ schemas: [{ kind: 'schema', name: 'app' }], enums: [{ kind: 'enum', schema: 'app', name: 'mood', values: ['ok'] }], tables: [table('app', 't', [col('m', 'app.mood')])] }), model({}), [
    'DROP TABLE app.t',
    'DROP TYPE app.mood',
    'DROP SCHEMA app',
  ]],
  ['a partition after its parent, whatever the names', model({}), model({
    tables: [
      table('app', 'a_part', [col('d', 'date')], { partitionOf: { parentSchema: 'app', parent: 'z_parent', bound: 'DEFAULT' } }),
      table('app', 'z_parent', [col('d', 'date')], { partitionBy: { strategy: 'range', key: '(d)' } }),
    ],
  }), [
    'CREATE SCHEMA app',
    'CREATE TABLE app.z_parent (\n  d date\n) PARTITION BY RANGE (d)',
    'CREATE TABLE app.a_part PARTITION OF app.z_parent DEFAULT',
  ]],
]

describe('plan: changes → SQL', () => {
  it.each(CASES)('%s', (_name, from, to, sql) => {
    expect(sqlOf(from, to)).toEqual(sql)
  })
})

describe('plan: transactional flags', () => {
  it('marks CONCURRENTLY and VALIDATE steps non-transactional, the rest transactional', () => {
    const p = planOf(
      model({ tables: [users(), table('app', 'posts', [col('user_id', 'bigint')])] }),
      model({
        tables: [
          users({ indexes: [idx('users_email_idx', 'email')] }),
          table('app', 'posts', [col('user_id', 'bigint')], {
            foreignKeys: [{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
          }),
        ],
      }),
    )
    expect(p.steps.map((s) => [s.sql.split(' ').slice(0, 5).join(' '), s.transactional])).toEqual([
      ['ALTER TABLE app.posts ADD CONSTRAINT', true],
      ['ALTER TABLE app.posts VALIDATE CONSTRAINT', false],
      ['CREATE INDEX CONCURRENTLY users_email_idx ON', false],
    ])
    expect(p.steps[0].sql).toMatch(/NOT VALID$/)
  })

  it('keeps indexes and foreign keys of tables created in the same migration plain and transactional', () => {
    const p = planOf(model({}), model({ tables: [users({ indexes: [idx('users_email_idx', 'email')] })] }))
    expect(p.steps.every((s) => s.transactional)).toBe(true)
    expect(p.steps.some((s) => /CONCURRENTLY|NOT VALID/.test(s.sql))).toBe(false)
  })

  it('adds an enum value in the transaction unless a later statement uses it, or the server is older than 12', () => {
    const e = (values: string[]) => ({ kind: 'enum' as const, schema: 'app', name: 'mood', values })
    const a = model({ enums: [e(['ok'])], tables: [users()] })
    const b = model({ enums: [e(['ok', 'meh'])], tables: [users()] })
    expect(planOf(a, b).steps[0].transactional).toBe(true)
    expect(planOf(a, b, { serverVersion: 110000 }).steps[0].transactional).toBe(false)
    const c = model({ enums: [e(['ok', 'meh'])], tables: [users({}, [...users().columns, col('m', 'app.mood', { default: "'meh'::app.mood" })])] })
    const p = planOf(a, c)
    expect(p.steps[0]).toMatchObject({ sql: "ALTER TYPE app.mood ADD VALUE 'meh' AFTER 'ok'", transactional: false })
    expect(p.steps[0].hazards.map((h) => h.code)).toContain('non_transactional')
  })

  it('builds partitioned-parent indexes and keys plainly, with a blocking hazard', () => {
    const parent = (patch: object) => table('app', 'ev', [col('id', 'bigint', { notNull: true }), col('d', 'date', { notNull: true })], { partitionBy: { strategy: 'range', key: '(d)' }, ...patch })
    const p = planOf(model({ tables: [parent({})] }), model({ tables: [parent({ indexes: [idx('ev_id_idx', 'id')], uniques: [{ name: 'ev_id_d_key', columns: ['id', 'd'] }] })] }))
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE app.ev ADD CONSTRAINT ev_id_d_key UNIQUE (id, d)',
      'CREATE INDEX ev_id_idx ON app.ev USING btree (id)',
    ])
    expect(p.steps.every((s) => s.transactional && s.hazards.some((h) => h.code === 'blocking_index_build'))).toBe(true)
  })
})

describe('plan: partitioned tables', () => {
  const ev = (fks: boolean) =>
    table('app', 'ev', [col('user_id', 'bigint'), col('d', 'date', { notNull: true })], {
      partitionBy: { strategy: 'range', key: '(d)' },
      foreignKeys: fks ? [{ name: 'ev_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }] : [],
      checks: fks ? [{ name: 'ev_d_check', expression: "(d > '2000-01-01'::date)" }] : [],
    })
  const a = model({ tables: [users(), ev(false)] })
  const b = model({ tables: [users(), ev(true)] })
  it('uses NOT VALID for checks, and for foreign keys only from PostgreSQL 18 on', () => {
    expect(sqlOf(a, b)).toEqual([
      "ALTER TABLE app.ev ADD CONSTRAINT ev_d_check CHECK ((d > '2000-01-01'::date)) NOT VALID",
      'ALTER TABLE app.ev VALIDATE CONSTRAINT ev_d_check',
      'ALTER TABLE app.ev ADD CONSTRAINT ev_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id)',
    ])
    expect(planOf(a, b).hazards.map((h) => h.code)).toEqual(['blocking_scan'])
    expect(sqlOf(a, b, { allowDestructive: true, serverVersion: 180000 }).slice(2)).toEqual([
      'ALTER TABLE app.ev ADD CONSTRAINT ev_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) NOT VALID',
      'ALTER TABLE app.ev VALIDATE CONSTRAINT ev_user_id_fkey',
    ])
  })
})

describe('plan: policy switches', () => {
  const a = model({ tables: [users()] })
  const b = model({ tables: [users({ indexes: [idx('users_email_idx', 'email')], checks: [{ name: 'c', expression: '(age > 0)' }] })] })
  it('sets standard_conforming_strings always, lock_timeout by default, configurable, and statement_timeout only when asked', () => {
    const scs = 'SET standard_conforming_strings = on'
    expect(planOf(a, b).preamble).toEqual([scs, "SET lock_timeout = '5s'"])
    expect(planOf(a, b, { lockTimeout: '2s', statementTimeout: '10min' }).preamble).toEqual([scs, "SET lock_timeout = '2s'", "SET statement_timeout = '10min'"])
    expect(planOf(a, b, { lockTimeout: false }).preamble).toEqual([scs])
    expect(planOf(a, a).preamble).toEqual([])
  })
  it('turns each lock-safety measure off on request, flagging what it costs', () => {
    const p = planOf(a, b, { concurrentIndexes: false, notValidConstraints: false })
    expect(p.steps.map((s) => s.sql)).toEqual([
      'ALTER TABLE app.users ADD CONSTRAINT c CHECK ((age > 0))',
      'CREATE INDEX users_email_idx ON app.users USING btree (email)',
    ])
    expect(p.hazards.map((h) => h.code)).toEqual(['blocking_scan', 'blocking_index_build'])
  })
})

describe('plan: destructive changes', () => {
  const a = model({
    schemas: [{ kind: 'schema', name: 'old' }],
    tables: [users(), table('app', 'logs', [col('line', 'text')])],
    sequences: [{ kind: 'sequence', schema: 'app', name: 's', type: 'bigint', start: '1', increment: '1', min: '1', max: '9', cache: '1', cycle: false }],
  })
  const b = model({ tables: [users({}, [col('id', 'integer', { notNull: true }), col('email', 'text')])] })

  it('refuses them with stable codes and says how to allow them', () => {
    const e = refusal(() => planOf(a, b, {}))
    expect(e.code).toBe('destructive_changes')
    expect(e.exitCode).toBe(2)
    expect(e.issues.map((i) => i.code)).toEqual(['PGK102 drop_column', 'PGK101 drop_table', 'PGK106 drop_sequence', 'PGK103 drop_schema', 'PGK104 type_narrowing'])
    expect(e.issues.map((i) => i.object)).toEqual(['app.users.age', 'app.logs', 'app.s', 'old', 'app.users.id'])
    expect(e.hint).toMatch(/--allow-destructive/)
  })

  it('generates them when allowed and lists them in the migration header', () => {
    const r = renderMigration(planOf(a, b), { name: 'cleanup' })
    const header = r.up.split('\n').filter((l) => l.startsWith('-- cairn:destructive'))
    expect(header).toEqual([
      '-- cairn:destructive PGK102 drop_column app.users.age column app.users.age is dropped with its data',
      '-- cairn:destructive PGK101 drop_table app.logs table app.logs is dropped with all its rows',
      '-- cairn:destructive PGK106 drop_sequence app.s sequence app.s is dropped (its current value is lost)',
      '-- cairn:destructive PGK103 drop_schema old schema old is dropped',
      '-- cairn:destructive PGK104 type_narrowing app.users.id app.users.id narrows bigint → integer: values that do not fit make the migration fail',
    ])
  })

  it('does not treat dropping a constraint or an index as destructive', () => {
    const p = planOf(model({ tables: [users({ uniques: [{ name: 'u', columns: ['email'] }] })] }), model({ tables: [users()] }), {})
    expect(p.destructive).toEqual([])
  })
})

describe('plan: unsupported changes', () => {
  // a view over the table holds on to it: it cannot simply be dropped and created again
  const over = { kind: 'view' as const, schema: 'app', name: 'ev_v', materialized: false, definition: ' SELECT ev.d\n   FROM app.ev;', with: {}, indexes: [] }
  it('refuses with the object and the manual fix', () => {
    const e = refusal(() =>
      planOf(
        model({ tables: [table('app', 'ev', [col('d', 'date')])], views: [over] }),
        model({ tables: [table('app', 'ev', [col('d', 'date')], { partitionBy: { strategy: 'range', key: '(d)' } })], views: [over] }),
      ),
    )
    expect(e.code).toBe('unsupported_change')
    expect(e.object).toBe('app.ev')
    expect(e.message).toMatch(/table app\.ev: a plain table cannot become a partitioned one/)
    expect(e.hint).toMatch(/INSERT … SELECT/)
  })
})

describe('plan: reverse', () => {
  it('recreates a dropped table and its foreign keys, saying the rows are lost', () => {
    const posts = table('app', 'posts', [col('user_id', 'bigint')], {
      foreignKeys: [{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
      indexes: [idx('posts_user_id_idx', 'user_id')],
    })
    const r = renderMigration(planOf(model({ tables: [users(), posts] }), model({ tables: [users()] })), { name: 'x' })
    const down = splitMigration(r.down).map((s) => s.sql)
    expect(r.down).toContain('-- undo: drop table app.posts\n-- recreates the structure of app.posts; its rows are lost\nCREATE TABLE app.posts')
    expect(down.slice(2)).toEqual([
      'CREATE TABLE app.posts (\n  user_id bigint\n)',
      'CREATE INDEX posts_user_id_idx ON app.posts USING btree (user_id)',
      'ALTER TABLE app.posts ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id)',
    ])
  })

  it('flags an irreversible enum value in the down migration', () => {
    const e = (values: string[]) => model({ enums: [{ kind: 'enum', schema: 'app', name: 'mood', values }] })
    const r = renderMigration(planOf(e(['a']), e(['a', 'b'])), { name: 'x' })
    expect(r.info.irreversible).toEqual(["Postgres cannot remove the value 'b' from enum app.mood"])
    expect(r.down).toContain("-- cairn:irreversible Postgres cannot remove the value 'b' from enum app.mood")
    expect(r.down).toContain("-- irreversible: Postgres cannot remove the value 'b' from enum app.mood")
  })
})

describe('plan: dependencies between functions, views, indexes and keys', () => {
  const fn = (name: string, returns: string, body: string) => ({
    kind: 'function' as const, schema: 'app', name, args: '', isProcedure: false,
    definition: `CREATE OR REPLACE FUNCTION app.${name}()\n RETURNS ${returns}\n LANGUAGE sql\nAS $function$ ${body} $function$`,
  })
  const view = (name: string, definition: string) => ({ kind: 'view' as const, schema: 'app', name, materialized: false, definition, with: {}, indexes: [] })
  const first = (sql: string[]) => sql.map((s) => s.split('\n')[0])

  it('creates a view before a function that returns its rows, and the views that view reads', () => {
    const m = model({
      tables: [users()],
      functions: [fn('adults', 'SETOF app.grown', 'SELECT * FROM grown')],
      views: [view('base', 'SELECT id, age FROM app.users'), view('grown', 'SELECT id FROM app.base WHERE age > 17')],
    })
    expect(first(sqlOf(model({ tables: [users()] }), m))).toEqual([
      'CREATE VIEW app.base AS',
      'CREATE VIEW app.grown AS',
      'CREATE OR REPLACE FUNCTION app.adults()',
    ])
  })

  it('creates a called SQL function before its caller, whatever their names', () => {
    const m = model({ schemas: [{ kind: 'schema', name: 'app' }], functions: [fn('a_wrapper', 'text', 'SELECT z_helper()'), fn('z_helper', 'text', "SELECT 'x'")] })
    expect(first(sqlOf(model({ schemas: [{ kind: 'schema', name: 'app' }] }), m))).toEqual([
      'CREATE OR REPLACE FUNCTION app.z_helper()',
      'CREATE OR REPLACE FUNCTION app.a_wrapper()',
    ])
  })

  it('drops a function that returns a view\u2019s rows before the view', () => {
    const m = model({ tables: [users()], functions: [fn('all_users', 'SETOF app.v', 'SELECT * FROM app.v')], views: [view('v', 'SELECT id FROM app.users')] })
    expect(sqlOf(m, model({ tables: [users()] }))).toEqual(['DROP FUNCTION app.all_users()', 'DROP VIEW app.v'])
  })

  it('builds a unique index before a foreign key that references it', () => {
    const parent = (ix: boolean) => table('app', 'parent', [col('id', 'bigint', { notNull: true }), col('tenant', 'text', { notNull: true })], {
      indexes: ix ? [{ name: 'parent_id_tenant_idx', unique: true, method: 'btree', keys: [{ column: 'id' }, { column: 'tenant' }], include: [], with: {} }] : [],
    })
    const child = table('app', 'child', [col('parent_id', 'bigint'), col('tenant', 'text')], {
      foreignKeys: [{ name: 'child_fkey', columns: ['parent_id', 'tenant'], refSchema: 'app', refTable: 'parent', refColumns: ['id', 'tenant'], onDelete: 'no action', onUpdate: 'no action' }],
    })
    expect(first(sqlOf(model({ tables: [parent(false)] }), model({ tables: [parent(true), child] })))).toEqual([
      'CREATE TABLE app.child (',
      'CREATE UNIQUE INDEX CONCURRENTLY parent_id_tenant_idx ON app.parent USING btree (id, tenant)',
      'ALTER TABLE app.child ADD CONSTRAINT child_fkey FOREIGN KEY (parent_id, tenant) REFERENCES app.parent (id, tenant)',
    ])
  })

  it('recreates an INSTEAD OF trigger with its recreated view', () => {
    const trig = { kind: 'trigger' as const, schema: 'app', table: 'v', name: 'v_ins', definition: 'CREATE TRIGGER v_ins INSTEAD OF INSERT ON app.v FOR EACH ROW EXECUTE FUNCTION app.noop()' }
    const a = model({ tables: [users()], views: [view('v', 'SELECT id, age FROM app.users')], triggers: [trig] })
    const b = model({ tables: [users()], views: [view('v', 'SELECT id FROM app.users')], triggers: [trig] })
    expect(first(sqlOf(a, b))).toEqual(['DROP TRIGGER v_ins ON app.v', 'DROP VIEW app.v', 'CREATE VIEW app.v AS', trig.definition])
  })

  it('sets a new partition\u2019s own defaults and NOT NULLs after creating it, without the safe NOT NULL dance', () => {
    const cols = [col('region', 'text', { notNull: true }), col('note', 'text'), col('prio', 'integer', { default: '0' })]
    const parent = table('app', 'orders', cols, { partitionBy: { strategy: 'list', key: '(region)' } })
    const us = table('app', 'orders_us', [cols[0], col('note', 'text', { notNull: true }), col('prio', 'integer', { default: '10' })], {
      partitionOf: { parentSchema: 'app', parent: 'orders', bound: "FOR VALUES IN ('us')" },
    })
    expect(sqlOf(model({ tables: [parent] }), model({ tables: [parent, us] }))).toEqual([
      "CREATE TABLE app.orders_us PARTITION OF app.orders FOR VALUES IN ('us')",
      'ALTER TABLE app.orders_us ALTER COLUMN note SET NOT NULL',
      'ALTER TABLE app.orders_us ALTER COLUMN prio SET DEFAULT 10',
    ])
  })
})
