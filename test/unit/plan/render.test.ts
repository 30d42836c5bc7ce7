import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { splitSql } from '../../../src/migrate/split-sql.js'
import type { FunctionDef, Model } from '../../../src/model/types.js'
import { plan } from '../../../src/plan/plan.js'
import { NO_TRANSACTION, renderMigration, splitMigration } from '../../../src/plan/render-migration.js'
import { col, model, table } from './build.js'

const fn: FunctionDef = {
  kind: 'function',
  schema: 'app',
  name: 'touch',
  args: '',
  isProcedure: false,
  definition: "CREATE OR REPLACE FUNCTION app.touch()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN\n  NEW.note := 'a;b';\n  RETURN NEW;\nEND;\n$function$",
}
const before = model({ tables: [table('app', 'users', [col('id', 'bigint', { notNull: true }), col('email', 'text')])] })
const after = model({
  tables: [
    table('app', 'users', [col('id', 'bigint', { notNull: true }), col('email', 'text', { notNull: true }), col('note', 'text', { comment: "it's; here" })], {
      indexes: [{ name: 'users_email_idx', unique: false, method: 'btree', keys: [{ column: 'email' }], include: [], with: {} }],
    }),
  ],
  functions: [fn],
})
const render = (a: Model, b: Model) => {
  const d = diff(a, b)
  return renderMigration(plan(d.changes, { allowDestructive: true }), { name: 'add_note' })
}

describe('renderMigration', () => {
  const r = render(before, after)

  it('is deterministic', () => {
    expect(render(before, after)).toEqual(r)
  })

  it('starts with the header, standard_conforming_strings and the lock timeout', () => {
    const lines = r.up.split('\n')
    expect(lines.slice(0, 5)).toEqual([
      '-- cairn: add_note (up)',
      '-- cairn:summary 8 statements: 1 add_column, 1 alter_column_nullability, 1 create_function, 1 create_index, 1 set_comment',
      '-- cairn:transaction per-statement',
      'SET standard_conforming_strings = on;',
      "SET lock_timeout = '5s';",
    ])
    expect(r.info).toMatchObject({ name: 'add_note', steps: 8, transactional: false, destructive: [], irreversible: [] })
  })

  it('puts the no-transaction marker directly before each statement that must run alone', () => {
    const lines = r.up.split('\n')
    const marked = lines.flatMap((l, i) => (l === NO_TRANSACTION ? [lines[i + 1]] : []))
    expect(marked).toEqual([
      'ALTER TABLE app.users VALIDATE CONSTRAINT users_email_not_null_check;',
      'CREATE INDEX CONCURRENTLY users_email_idx ON app.users USING btree (email);',
    ])
  })

  it('ends every statement with ; at the end of a line', () => {
    for (const s of splitMigration(r.up)) {
      const idx = r.up.indexOf(s.sql)
      expect(r.up.slice(idx + s.sql.length, idx + s.sql.length + 2)).toBe(';\n')
    }
  })

  it('splits back into the plan statements, with the function body kept whole', () => {
    const stmts = splitMigration(r.up)
    expect(stmts.map((s) => s.sql)).toContain(fn.definition)
    expect(stmts).toHaveLength(10)
    expect(stmts.filter((s) => !s.transactional)).toHaveLength(2)
  })

  it('agrees with the runner\u2019s parser-based splitter on statements and transactionality', async () => {
    for (const text of [r.up, r.down]) {
      const mine = splitMigration(text)
      const theirs = await splitSql(text)
      expect(theirs.map((s) => [s.text, s.transactional])).toEqual(mine.map((s) => [s.sql, s.transactional]))
      expect(theirs.map((s) => s.line)).toEqual(mine.map((s) => s.line))
    }
  })

  it('keeps a BEGIN ATOMIC body whole, with the CASE … END inside it, like the runner\u2019s parser', async () => {
    const text = [
      'CREATE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n SELECT x + 1;\nEND;',
      "CREATE TABLE app.t (end_date date, \"begin\" text DEFAULT 'BEGIN ATOMIC;');",
      'SELECT 1;',
      '',
    ].join('\n')
    const mine = splitMigration(text)
    expect(mine.map((s) => s.sql)).toEqual([
      'CREATE FUNCTION app.f(x integer) RETURNS integer LANGUAGE sql\nBEGIN ATOMIC\n SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n SELECT x + 1;\nEND',
      "CREATE TABLE app.t (end_date date, \"begin\" text DEFAULT 'BEGIN ATOMIC;')",
      'SELECT 1',
    ])
    const theirs = await splitSql(text)
    expect(theirs.map((s) => s.text)).toEqual(mine.map((s) => s.sql))
  })

  it('renders nothing for an empty plan', () => {
    expect(render(before, before)).toMatchObject({ up: '', down: '', info: { steps: 0 } })
  })

  it('writes the down migration in reverse order, non-transactional where the reverse needs it', () => {
    const down = splitMigration(r.down)
    expect(down.map((s) => [s.sql.split('\n')[0], s.transactional])).toEqual([
      ['SET standard_conforming_strings = on', true],
      ["SET lock_timeout = '5s'", true],
      ['COMMENT ON COLUMN app.users.note IS NULL', true],
      ['DROP INDEX CONCURRENTLY app.users_email_idx', false],
      ['DROP FUNCTION app.touch()', true],
      ['ALTER TABLE app.users ALTER COLUMN email DROP NOT NULL', true],
      ['ALTER TABLE app.users DROP COLUMN note', true],
    ])
    expect(r.info.downTransactional).toBe(false)
  })
})
