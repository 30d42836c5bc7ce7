/**
 * The lint core beyond one snippet per rule: locations, suppressions, the transaction model of
 * cairn migrations and plain files, what a run knows across files, lock_timeout tracking, header
 * hazards, and parse errors.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { lint, lintLoaded, nonTransactionalKind } from '../../../src/lint/index.js'
import type { Finding, LintFileInput, LintOptions } from '../../../src/lint/index.js'
import { loadSqlParser, splitSql } from '../../../src/migrate/split-sql.js'

beforeAll(async () => {
  await loadSqlParser()
})

const T = "SET lock_timeout = '5s';\n"
const run = (sql: string, options: LintOptions = {}, extra: Partial<LintFileInput> = {}) => lintLoaded([{ path: 'm.sql', sql, ...extra }], options)
const live = (sql: string, options: LintOptions = {}, extra: Partial<LintFileInput> = {}) => run(sql, options, extra).findings.filter((f) => !f.suppressed)
const codes = (sql: string, options: LintOptions = {}, extra: Partial<LintFileInput> = {}) => live(sql, options, extra).map((f) => f.code)
const at = (f: Finding | undefined) => (f ? `${f.line}:${f.column}` : 'none')

describe('locations', () => {
  it('points at the statement after its comments, across multi-line statements and block comments', () => {
    const sql = [
      "SET lock_timeout = '5s';", // 1
      '/* a block comment', // 2
      '   over two lines */', // 3
      '-- a line comment', // 4
      'ALTER TABLE users', // 5
      '  ADD COLUMN a text,', // 6
      '  ALTER COLUMN age', // 7
      '    SET NOT NULL;', // 8
      '', // 9
      'DROP TABLE legacy;', // 10
    ].join('\n')
    const f = live(sql)
    expect(f.map((x) => `${x.code}@${at(x)}-${x.endLine}`)).toEqual(['CL107@5:1-8', 'PGK101@10:1-10'])
  })

  it('points at the part of a statement at fault: the column, the constraint, the table of an index', () => {
    const sql = T + 'ALTER TABLE users\n  ADD COLUMN a text,\n  ADD COLUMN token uuid DEFAULT gen_random_uuid(),\n  ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES t (id);\nCREATE INDEX i\n    ON users (a);'
    const f = live(sql)
    expect(f.find((x) => x.code === 'CL109')).toMatchObject({ line: 4, column: 33 })
    expect(f.find((x) => x.code === 'CL104')).toMatchObject({ line: 5, column: 7 })
    expect(f.find((x) => x.code === 'CL101')).toMatchObject({ line: 7, column: 8 })
  })

  it('counts columns in characters when the file holds multi-byte text', () => {
    const sql = "SET lock_timeout = '5s'; -- Grüße, 日本\nCOMMENT ON TABLE users IS 'naïve ☃';   ALTER TABLE users ALTER COLUMN age TYPE bigint;"
    const f = live(sql).find((x) => x.code === 'CL108')
    expect(at(f)).toBe('2:80')
    expect(sql.split('\n')[1].slice(79, 85)).toBe('bigint')
  })

  it('reports a statement number and the file', () => {
    const [f] = live(T + 'DROP TABLE a;')
    expect(f).toMatchObject({ file: 'm.sql', statement: 2, object: 'a' })
  })
})

describe('suppressions', () => {
  it('silences the named codes of the next statement only, keeping the reason', () => {
    const sql = T + '-- cairn-lint-ignore PGK101: archived in 2023\nDROP TABLE a;\nDROP TABLE b;'
    const r = run(sql)
    expect(r.findings.map((f) => `${f.object}:${f.suppressed ? f.suppressed.reason : 'live'}`)).toEqual(['a:archived in 2023', 'b:live'])
    expect(r.suppressed).toBe(1)
    expect(r.errors).toBe(1)
  })

  it('takes several codes, on several lines, in any case', () => {
    const sql = T + '-- cairn-lint-ignore pgk101, CL204: old\n-- cairn-lint-ignore CL111: set by the role\nDROP TABLE a CASCADE;'
    expect(codes(sql)).toEqual([])
  })

  it('warns about a suppression without a reason (CL502) and still applies it', () => {
    const r = run(T + '-- cairn-lint-ignore PGK101\nDROP TABLE a;')
    expect(r.findings.map((f) => `${f.code}:${f.severity}:${f.line}:${Boolean(f.suppressed)}`)).toEqual(['CL502:warning:2:false', 'PGK101:error:3:true'])
  })

  it('warns about an unknown code (CL503)', () => {
    expect(codes(T + '-- cairn-lint-ignore CL9999: typo\nDROP TABLE a;')).toEqual(['CL503', 'PGK101'])
  })

  it('applies to findings reported on a later line of the statement', () => {
    expect(codes(T + '-- cairn-lint-ignore CL109: small table\nALTER TABLE users\n  ADD COLUMN t uuid DEFAULT gen_random_uuid();')).toEqual([])
  })

  it('--ignore leaves whole rules out', () => {
    expect(codes('DROP TABLE a;', { ignore: ['pgk101'] })).toEqual(['CL111'])
  })
})

describe('transactions', () => {
  const header = '-- cairn: x (up)\n-- cairn:transaction per-statement\n'

  it('a cairn migration runs a CONCURRENTLY statement on its own: no CL301, and the lock ends with each run of statements', () => {
    const sql = header + T + 'ALTER TABLE users ADD COLUMN a text;\n-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY i ON users (a);\nALTER TABLE users ADD COLUMN b text;'
    expect(codes(sql)).toEqual([])
  })

  it('refuses BEGIN/COMMIT in a cairn migration (CL302)', () => {
    expect(codes(header + T + 'BEGIN;\nALTER TABLE users ADD COLUMN a text;\nCOMMIT;')).toEqual(['CL302', 'CL302'])
  })

  it('in a plain file, CONCURRENTLY is an error only inside a transaction (BEGIN, or --assume-in-transaction)', () => {
    const sql = T + 'CREATE INDEX CONCURRENTLY i ON users (a);'
    expect(codes(sql)).toEqual([])
    expect(codes(sql, { assumeInTransaction: true })).toEqual(['CL301'])
    expect(codes(T + 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (a);\nCOMMIT;')).toEqual(['CL301'])
  })

  it('a cairn migration is one transaction unless it must not be: a marker changes CL305 and CL304', () => {
    const use = "ALTER TYPE role ADD VALUE 'owner';\nUPDATE users SET role = 'owner';"
    expect(codes(header + T + use)).toEqual(['CL305'])
    expect(codes(header + T + '-- cairn:no-transaction\n' + use)).toEqual([])
    const held = 'ALTER TABLE users ADD COLUMN a text;\nUPDATE orders SET a = 1;'
    expect(codes(header + T + held)).toEqual(['CL304'])
    expect(codes(header + T + '-- cairn:no-transaction\n' + held)).toEqual([])
  })

  it('CL304 counts only statements that wait for another lock or do work, not more changes to the same table', () => {
    expect(codes(T + 'BEGIN;\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN b text;\nCOMMENT ON COLUMN users.a IS $$x$$;\nCOMMIT;')).toEqual([])
    const f = live(T + 'BEGIN;\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE orders ADD COLUMN b text;\nCOMMIT;')
    expect(f.map((x) => `${x.code}@${x.line}`)).toEqual(['CL304@3'])
    expect(f[0].message).toContain('line 4 waits for a lock on orders')
  })

  it('a nested BEGIN and a missing COMMIT', () => {
    expect(codes(T + 'BEGIN;\nBEGIN;\nCOMMIT;')).toEqual(['CL302'])
    expect(codes(T + 'BEGIN;\nSELECT 1;')).toEqual(['CL303'])
    expect(codes(T + 'BEGIN;\nSELECT 1;', { assumeInTransaction: true })).toEqual(['CL302'])
  })

  it('VALIDATE in the transaction that added the constraint (CL106), not after it committed', () => {
    const add = 'ALTER TABLE o ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\n'
    expect(codes(T + 'BEGIN;\n' + add + 'ALTER TABLE o VALIDATE CONSTRAINT c;\nCOMMIT;')).toEqual(['CL106'])
    expect(codes(T + add + 'ALTER TABLE o VALIDATE CONSTRAINT c;')).toEqual([])
    expect(codes(T + 'ALTER TABLE o ADD CONSTRAINT c CHECK (x > 0) NOT VALID, VALIDATE CONSTRAINT c;')).toEqual(['CL106'])
  })

  it('marks the same statements non-transactional as the migration splitter does', async () => {
    const sql = [
      'CREATE INDEX CONCURRENTLY a ON t (x)',
      'DROP INDEX CONCURRENTLY a',
      'REINDEX TABLE CONCURRENTLY t',
      'REINDEX TABLE t',
      'VACUUM t',
      'ANALYZE t',
      'ALTER TABLE p DETACH PARTITION c CONCURRENTLY',
      'ALTER TABLE p DETACH PARTITION c',
      'CREATE INDEX b ON t (x)',
      'ALTER SYSTEM SET work_mem = 1',
    ].join(';\n') + ';'
    const split = await splitSql(sql)
    const { parseSync } = await import('libpg-query')
    const stmts = (parseSync(sql) as { stmts: { stmt: Record<string, unknown> }[] }).stmts
    const mine = stmts.map((s) => {
      const kind = Object.keys(s.stmt)[0]
      return nonTransactionalKind(kind, s.stmt[kind] as Record<string, unknown>) === undefined
    })
    expect(mine).toEqual(split.map((s) => s.transactional))
  })
})

describe('what the run knows', () => {
  const create = 'CREATE TABLE t (id bigint, name varchar(50));\n'
  const index = T + 'CREATE INDEX i ON t (name);\n'

  it('a table created earlier in the file is new: indexing it blocks no one', () => {
    expect(codes(T + create + 'CREATE INDEX i ON t (name);')).toEqual([])
    expect(codes(T + 'CREATE TABLE s.t (id bigint);\nCREATE INDEX i ON t (id);')).toEqual([])
    expect(codes(T + 'CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;\nCREATE UNIQUE INDEX mvi ON mv (x);')).toEqual([])
    expect(codes(T + 'CREATE SCHEMA n;\nCREATE TABLE n.t (id bigint);\nALTER TABLE n.t ADD CONSTRAINT c UNIQUE (id);')).toEqual([])
  })

  it('a table created by an earlier file counts as new only when that file is pending', async () => {
    const first = { path: '1.sql', sql: T + create }
    const second = { path: '2.sql', sql: index }
    expect((await lint([first, second])).findings.map((f) => `${f.file} ${f.code}`)).toEqual(['2.sql CL101'])
    expect((await lint([{ ...first, pending: true }, second])).findings).toEqual([])
  })

  it('column types from earlier files tell a widening from a rewrite, and catch narrowing', async () => {
    const first = { path: '1.sql', sql: T + create }
    const alter = (to: string) => lint([first, { path: '2.sql', sql: `${T}ALTER TABLE t ALTER COLUMN name TYPE ${to};` }])
    const c = async (to: string) => (await alter(to)).findings.map((f) => `${f.code}:${f.severity}`)
    expect(await c('varchar(80)')).toEqual([])
    expect(await c('text')).toEqual([])
    expect(await c('varchar(20)')).toEqual(['CL108:error', 'PGK104:error'])
    expect(await c('integer USING name::integer')).toEqual(['CL108:error'])
  })

  it('a type change whose old type is unknown: a warning when the target could be a widening, else an error', () => {
    expect(live(T + 'ALTER TABLE u ALTER COLUMN c TYPE text;').map((f) => f.severity)).toEqual(['warning'])
    expect(live(T + 'ALTER TABLE u ALTER COLUMN c TYPE bigint;').map((f) => f.severity)).toEqual(['error'])
    expect(live(T + 'ALTER TABLE u ALTER COLUMN c TYPE serial;').map((f) => `${f.code}:${f.severity}`)).toEqual(['CL116:error'])
  })

  it('SET NOT NULL is safe after a validated CHECK (col IS NOT NULL), in this file or an earlier one', async () => {
    const check = T + 'ALTER TABLE u ADD CONSTRAINT c CHECK (a IS NOT NULL AND b > 0) NOT VALID;\nALTER TABLE u VALIDATE CONSTRAINT c;\n'
    expect(codes(check + 'ALTER TABLE u ALTER COLUMN a SET NOT NULL;')).toEqual([])
    expect(codes(check + 'ALTER TABLE u ALTER COLUMN b SET NOT NULL;')).toEqual(['CL107'])
    expect(codes(T + 'ALTER TABLE u ADD CONSTRAINT c CHECK (a IS NOT NULL) NOT VALID;\nALTER TABLE u ALTER COLUMN a SET NOT NULL;')).toEqual(['CL107'])
    const r = await lint([{ path: '1.sql', sql: check }, { path: '2.sql', sql: T + 'ALTER TABLE u ALTER COLUMN a SET NOT NULL;' }])
    expect(r.findings).toEqual([])
  })

  it('defaults: volatile calls rewrite, stable ones do not, unknown functions are a warning', () => {
    const add = (d: string) => live(`${T}ALTER TABLE u ADD COLUMN c timestamptz DEFAULT ${d};`).map((f) => `${f.code}:${f.severity}`)
    expect(add('now()')).toEqual([])
    expect(add("'2020-01-01'::timestamptz")).toEqual([])
    expect(add('CURRENT_TIMESTAMP')).toEqual([])
    expect(add('clock_timestamp()')).toEqual(['CL109:error'])
    expect(add('my_func()')).toEqual(['CL109:warning'])
    expect(codes(`${T}ALTER TABLE u ADD COLUMN n bigserial;`)).toEqual(['CL109'])
    expect(codes(`${T}ALTER TABLE u ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;`)).toEqual(['CL109'])
    expect(codes(`${T}ALTER TABLE u ADD COLUMN n bigint GENERATED ALWAYS AS (a * 2) STORED;`)).toEqual(['CL109'])
    expect(codes(`${T}ALTER TABLE u ADD COLUMN n bigint GENERATED ALWAYS AS (a * 2) VIRTUAL;`)).toEqual([])
  })
})

describe('lock_timeout (CL111)', () => {
  const alter = 'ALTER TABLE u ADD COLUMN a text;'
  it('is reported once per file, at the first blocking statement on an existing table', () => {
    const f = live('CREATE TABLE n (id bigint);\nCREATE INDEX ON n (id);\nALTER TABLE u ADD COLUMN a text;\nALTER TABLE v ADD COLUMN a text;')
    expect(f.map((x) => `${x.code}@${x.line}`)).toEqual(['CL111@3'])
  })
  it('counts SET, SET LOCAL in the same transaction and set_config; not 0, RESET or a SET LOCAL outside the transaction', () => {
    expect(codes("SET lock_timeout TO '2s';\n" + alter)).toEqual([])
    expect(codes("BEGIN;\nSET LOCAL lock_timeout = '2s';\n" + alter + '\nCOMMIT;')).toEqual([])
    expect(codes("SELECT set_config('lock_timeout', '2s', false);\n" + alter)).toEqual([])
    expect(codes('SET lock_timeout = 0;\n' + alter)).toEqual(['CL111'])
    expect(codes("SET lock_timeout = '0ms';\n" + alter)).toEqual(['CL111'])
    expect(codes("SET lock_timeout = '2s';\nRESET lock_timeout;\n" + alter)).toEqual(['CL111'])
    expect(codes("SET lock_timeout = '2s';\nRESET ALL;\n" + alter)).toEqual(['CL111'])
    expect(codes("BEGIN;\nSET LOCAL lock_timeout = '2s';\nCOMMIT;\n" + alter)).toEqual(['CL111'])
  })
  it('a foreign key to an existing table needs it too (SHARE ROW EXCLUSIVE on the referenced table)', () => {
    expect(codes('CREATE TABLE n (id bigint REFERENCES users (id));')).toEqual(['CL111'])
    expect(codes('CREATE TABLE n (id bigint);')).toEqual([])
  })
})

describe('cairn header hazards', () => {
  const head = (lines: string[]) => ['-- cairn: m (up)', '-- cairn:transaction single', ...lines, "SET lock_timeout = '5s';", ''].join('\n')

  it('a declared hazard turns the matching finding into a warning that names the header', () => {
    const sql = head(['-- cairn:hazard blocking_index_build app.ev_idx index on partitioned table app.ev is built without CONCURRENTLY']) + 'CREATE INDEX ev_idx ON app.ev (x);'
    const [f] = live(sql)
    expect(f).toMatchObject({ code: 'CL101', severity: 'warning', line: 5 })
    expect(f.declared).toContain('-- cairn:hazard blocking_index_build app.ev_idx')
  })

  it('a destructive header line keeps its PGK code', () => {
    const sql = head(['-- cairn:destructive PGK101 drop_table app.old table app.old is dropped with all its rows']) + 'DROP TABLE app.old;'
    expect(live(sql).map((f) => `${f.code}:${f.severity}`)).toEqual(['PGK101:warning'])
  })

  it('a hazard no rule found is reported at its statement (CL501), or at the header line', () => {
    const sql = head([
      "-- cairn:hazard irreversible app.role enum value 'x' cannot be removed by the down migration",
      '-- cairn:hazard rename app.gone something that is not in the file',
    ]) + "ALTER TYPE app.role ADD VALUE 'x';"
    expect(live(sql).map((f) => `${f.code}@${f.line}:${f.severity}`)).toEqual(['CL501@4:warning', 'CL501@6:warning'])
  })

  it('reads the old column type from the header: a declared safe change is no rewrite, a narrowing is named', () => {
    const widen = head(['-- cairn:hazard column_type_change app.u.name app.u.name changes character varying(50) → character varying(100) without a rewrite (brief ACCESS EXCLUSIVE lock)'])
    expect(live(widen + 'ALTER TABLE app.u ALTER COLUMN name TYPE character varying(100);').map((f) => f.code)).toEqual(['CL501'])
    const narrow = head([
      '-- cairn:destructive PGK104 type_narrowing app.u.name app.u.name narrows character varying(50) → character varying(20): values that do not fit make the migration fail',
      '-- cairn:hazard table_rewrite app.u.name app.u.name changes character varying(50) → character varying(20): app.u is rewritten',
    ])
    const f = live(narrow + 'ALTER TABLE app.u ALTER COLUMN name TYPE character varying(20);')
    expect(f.map((x) => `${x.code}:${x.severity}`)).toEqual(['CL108:warning', 'PGK104:warning'])
    expect(f[0].message).toContain('varchar(50) → varchar(20)')
  })

  it('a file with a cairn header is a cairn migration even outside a migration folder', () => {
    expect(codes(head([]) + 'BEGIN;\nCOMMIT;')).toEqual(['CL302', 'CL302'])
    expect(codes('BEGIN;\nCOMMIT;', {}, { kind: 'cairn' })).toEqual(['CL302', 'CL302'])
  })
})

describe('parse errors', () => {
  it('points at the error after astral characters (the parser counts code points, the column UTF-16 units)', () => {
    // `FRM` reads as a column alias: the error is at `t`
    const sql = "SELECT '😀😀😀日本';\nSELECT '😀', 1 FRM t;"
    const r = run(sql)
    expect(r.files[0]).toMatchObject({ parseError: { line: 2, column: 20 } })
    expect(sql.split('\n')[1].slice(19)).toBe('t;')
  })

  it('report the file, line and column and nothing else for that file', async () => {
    const r = await lint([
      { path: 'ok.sql', sql: T + 'DROP TABLE a;' },
      { path: 'bad.sql', sql: "SELECT 'é';\n-- comment\nALTER TABLE users ADD COLUMN;\n" },
    ])
    expect(r.parseErrors).toBe(1)
    expect(r.files[1]).toMatchObject({ path: 'bad.sql', parseError: { line: 3, column: 29 } })
    expect(r.files[1].parseError?.message).toMatch(/syntax error/)
    expect(r.findings.map((f) => f.file)).toEqual(['ok.sql'])
  })
})

describe('drops that are re-creations', () => {
  it('a type or view dropped and created again in the same file, or a type moved aside and replaced, loses nothing', () => {
    expect(codes(T + 'BEGIN;\nDROP VIEW v;\nCREATE VIEW v AS SELECT 1;\nCOMMIT;')).toEqual([])
    expect(codes(T + "ALTER TYPE app.mood RENAME TO mood__old;\nCREATE TYPE app.mood AS ENUM ('a');\nDROP TYPE app.mood__old;")).toEqual([])
    expect(codes(T + "DROP TYPE app.mood;\nCREATE TYPE app.mood AS ENUM ('a');")).toEqual([])
    expect(codes(T + 'DROP TYPE app.mood CASCADE;\nCREATE TYPE app.mood AS ENUM (\'a\');')).toEqual(['PGK105'])
    expect(codes(T + 'DROP DOMAIN app.qty;')).toEqual(['PGK113'])
    expect(codes(T + 'DROP FUNCTION f(int);\nCREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;')).toEqual([])
  })
})
