/**
 * Which statements of a run validate existing rows, and the SQL text read back from each (pure:
 * libpg-query, no database): the expression of a CHECK, USING and partial-index predicates, index
 * and exclusion elements, foreign keys, NOT VALID constraints validated later, tables created by
 * the run, and statements that change a table before it is validated.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loadSqlParser, splitSql } from '../../../src/migrate/split-sql.js'
import { validationsOf } from '../../../src/check/validations.js'
import type { Validation } from '../../../src/check/validations.js'

beforeAll(() => loadSqlParser())

async function run(...files: string[]): Promise<Validation[]> {
  const input = []
  for (const [i, sql] of files.entries()) input.push({ path: `m${i + 1}.sql`, statements: await splitSql(sql) })
  return validationsOf(input)
}
const brief = (v: Validation) => {
  const { sql: _sql, file: _file, statement: _statement, ...rest } = v
  return rest
}

describe('validationsOf', () => {
  it('reads SET NOT NULL, CHECK, FOREIGN KEY, UNIQUE and PRIMARY KEY with their place in the file', async () => {
    const v = await run(`-- a comment
ALTER TABLE shop.customers ALTER COLUMN email SET NOT NULL;

ALTER TABLE shop.orders
  ADD CONSTRAINT orders_amount_check CHECK (amount > 0 AND note <> 'a)b, c'),
  ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers (id),
  ADD UNIQUE NULLS NOT DISTINCT (code, region),
  ADD PRIMARY KEY (id);
ALTER TABLE "Weird ""Name""" ADD CHECK ("Col" ~ '^x' /* ) */);
`)
    expect(v.map(brief)).toEqual([
      { line: 2, kind: 'not_null', table: { schema: 'shop', name: 'customers' }, columns: ['email'], what: 'ALTER COLUMN email SET NOT NULL' },
      { line: 4, kind: 'check', table: { schema: 'shop', name: 'orders' }, constraint: 'orders_amount_check', predicate: "amount > 0 AND note <> 'a)b, c'", what: "CONSTRAINT orders_amount_check CHECK (amount > 0 AND note <> 'a)b, c')" },
      {
        line: 4, kind: 'foreign_key', table: { schema: 'shop', name: 'orders' }, constraint: 'orders_customer_fkey', columns: ['customer_id'],
        references: { table: { schema: 'shop', name: 'customers' }, columns: ['id'], match: 'simple' },
        what: 'CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers (id)',
      },
      { line: 4, kind: 'unique', table: { schema: 'shop', name: 'orders' }, keys: [{ sql: 'code', column: 'code' }, { sql: 'region', column: 'region' }], nullsNotDistinct: true, what: 'UNIQUE NULLS NOT DISTINCT (code, region)' },
      { line: 4, kind: 'not_null', table: { schema: 'shop', name: 'orders' }, columns: ['id'], what: 'PRIMARY KEY (id): NOT NULL' },
      { line: 4, kind: 'primary_key', table: { schema: 'shop', name: 'orders' }, keys: [{ sql: 'id', column: 'id' }], what: 'PRIMARY KEY (id)' },
      // comments are not part of the text read back (a trailing -- comment would swallow what follows it)
      { line: 9, kind: 'check', table: { name: 'Weird "Name"' }, predicate: `"Col" ~ '^x'`, what: `CHECK ("Col" ~ '^x')` },
    ])
  })

  it('checks a NOT VALID constraint where it is validated, in a later file too; one validated before the run is looked up later', async () => {
    const v = await run(
      `ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;\nALTER TABLE t ADD CONSTRAINT t_c CHECK (n >= 0) NOT VALID;`,
      `ALTER TABLE t VALIDATE CONSTRAINT t_c;\nALTER TABLE t VALIDATE CONSTRAINT t_fk;\nALTER TABLE t VALIDATE CONSTRAINT older;`,
    )
    expect(v.map((x) => [x.file, x.line, x.kind, x.constraint, x.predicate ?? x.references?.table.name])).toEqual([
      ['m2.sql', 1, 'check', 't_c', 'n >= 0'],
      ['m2.sql', 2, 'foreign_key', 't_fk', 'p'],
      ['m2.sql', 3, 'validate', 'older', undefined],
    ])
  })

  it('reads unique index keys (columns, calls, parenthesised expressions), partial predicates and exclusion elements', async () => {
    const v = await run(`CREATE UNIQUE INDEX CONCURRENTLY i ON s.t USING btree (lower(email) text_pattern_ops DESC, (a + b) NULLS LAST, c COLLATE "C") WHERE deleted_at IS NULL AND kind = 'x';
CREATE INDEX j ON s.t (a);
ALTER TABLE s.r ADD CONSTRAINT r_excl EXCLUDE USING gist (room WITH =, tsrange(starts, ends, '[)') WITH &&) WHERE (NOT cancelled);`)
    expect(v.map(brief)).toEqual([
      {
        line: 1, kind: 'unique', table: { schema: 's', name: 't' }, constraint: 'i',
        keys: [{ sql: '(lower(email))' }, { sql: '(a + b)' }, { sql: 'c', column: 'c' }],
        predicate: "deleted_at IS NULL AND kind = 'x'",
        what: "CREATE UNIQUE INDEX CONCURRENTLY i ((lower(email)), (a + b), c) WHERE deleted_at IS NULL AND kind = 'x'",
      },
      {
        line: 3, kind: 'exclusion', table: { schema: 's', name: 'r' }, constraint: 'r_excl',
        keys: [{ sql: 'room', column: 'room', op: { name: '=' } }, { sql: "(tsrange(starts, ends, '[)'))", op: { name: '&&' } }],
        predicate: 'NOT cancelled',
        what: "CONSTRAINT r_excl EXCLUDE USING gist (room WITH =, (tsrange(starts, ends, '[)')) WITH &&) WHERE (NOT cancelled)",
      },
    ])
  })

  it('reads type changes (USING, a length), required new columns, and a primary key added USING INDEX', async () => {
    const v = await run(`ALTER TABLE t ALTER COLUMN code TYPE integer USING nullif(code, '')::integer, ALTER COLUMN note TYPE varchar(10) COLLATE "C", ALTER COLUMN n SET DATA TYPE bigint;
ALTER TABLE t ADD COLUMN must int NOT NULL, ADD COLUMN fine int NOT NULL DEFAULT 0, ADD COLUMN s serial NOT NULL;
CREATE UNIQUE INDEX CONCURRENTLY t_pkey_idx ON t (id);
ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey_idx, ADD CONSTRAINT t_u UNIQUE USING INDEX t_other;`)
    expect(v.map((x) => [x.line, x.kind, x.columns, x.type, x.what])).toEqual([
      [1, 'type_change', ['code'], { column: 'code', text: 'integer', using: "nullif(code, '')::integer" }, "ALTER COLUMN code TYPE integer USING nullif(code, '')::integer"],
      [1, 'type_change', ['note'], { column: 'note', text: 'varchar(10)', base: 'pg_catalog.varchar', maxLength: 10 }, 'ALTER COLUMN note TYPE varchar(10)'],
      [1, 'type_change', ['n'], { column: 'n', text: 'bigint' }, 'ALTER COLUMN n TYPE bigint'],
      [2, 'required_column', ['must'], undefined, 'ADD COLUMN must NOT NULL without a default (every existing row fails)'],
      [3, 'unique', undefined, undefined, 'CREATE UNIQUE INDEX CONCURRENTLY t_pkey_idx (id)'],
      [4, 'not_null', ['id'], undefined, 'CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_pkey_idx (its columns become NOT NULL)'],
    ])
  })

  it('skips tables the run creates, and marks what earlier statements change first', async () => {
    const v = await run(
      `CREATE TABLE fresh (id int, parent int);\nALTER TABLE fresh ADD CHECK (id > 0);\nUPDATE t SET tier = 'free' WHERE tier IS NULL;`,
      `ALTER TABLE t ALTER COLUMN tier SET NOT NULL;\nALTER TABLE t ALTER COLUMN code TYPE integer USING code::integer;\nALTER TABLE u ADD CHECK (code > 0), ADD CHECK (other > 0);\nALTER TABLE u ALTER COLUMN code TYPE bigint;\nALTER TABLE u ADD CHECK (code > 0), ADD CHECK (other > 0);\nALTER TABLE old ADD FOREIGN KEY (parent) REFERENCES fresh (id);`,
    )
    expect(v.map((x) => [x.file, x.line, x.kind, x.skip ? 'skip' : x.changedBefore ? `after ${x.changedBefore.file}:${x.changedBefore.line}` : 'now', x.references?.empty ?? null])).toEqual([
      ['m1.sql', 2, 'check', 'skip', null],
      ['m2.sql', 1, 'not_null', 'after m1.sql:3', null],
      ['m2.sql', 2, 'type_change', 'after m1.sql:3', null],
      ['m2.sql', 3, 'check', 'now', null],
      ['m2.sql', 3, 'check', 'now', null],
      ['m2.sql', 4, 'type_change', 'now', null],
      // only the check on the converted column waits for the conversion
      ['m2.sql', 5, 'check', 'after m2.sql:4', null],
      ['m2.sql', 5, 'check', 'now', null],
      ['m2.sql', 6, 'foreign_key', 'now', true],
    ])
  })

  it('does not count what already ran of a migration that stopped midway', async () => {
    const stmts = await splitSql(`ALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ALTER COLUMN b SET NOT NULL;`)
    expect(validationsOf([{ path: 'm.sql', statements: stmts, done: 1 }]).map((x) => x.columns)).toEqual([['b']])
  })
})
