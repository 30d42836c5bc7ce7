/** The peer harness' own pieces: statement splitting, snapshot comparison, unsupported-kind detection. */
import { describe, expect, it } from 'vitest'
import { compareLines, significantLines, sortColumnList, sortStorageParameters } from './compare.js'
import { loadCases } from './harness.js'
import { splitSql } from './sql-split.js'
import { neededKinds } from './unsupported.js'

describe('splitSql', () => {
  it('splits on top-level semicolons only', () => {
    const sql = `create function f(a int) returns int language sql begin atomic select case when a > 1 then 1 else 2 end; select 2; end;
create table t (a int); -- trailing; comment
comment on table t is 'a;b';
do $$ begin perform 1; end $$;
create function g() returns int as $body$ select 1; $body$ language sql`
    expect(splitSql(sql)).toEqual([
      'create function f(a int) returns int language sql begin atomic select case when a > 1 then 1 else 2 end; select 2; end',
      'create table t (a int)',
      "-- trailing; comment\ncomment on table t is 'a;b'",
      'do $$ begin perform 1; end $$',
      'create function g() returns int as $body$ select 1; $body$ language sql',
    ])
  })
})

describe('compareLines', () => {
  it('is equal for the same lines in another order', () => {
    expect(compareLines(['a', 'b', 'b'], ['b', 'a', 'b'])).toEqual({ equal: true, columnOrderOnly: false, residual: [] })
  })
  it('reports lines only on one side, and multiplicity', () => {
    const r = compareLines(['x', 'y', 'y'], ['x', 'y', 'z'])
    expect(r.equal).toBe(false)
    expect(r.residual).toEqual(['- y', '+ z'])
  })
  it('tolerates column order separately (pg_dump trailing commas)', () => {
    const a = ['CREATE TABLE public.t (', '    a integer,', '    b text', ');']
    const b = ['CREATE TABLE public.t (', '    b text,', '    a integer', ');']
    expect(compareLines(a, b)).toMatchObject({ equal: true, columnOrderOnly: true })
    expect(compareLines(['columns public.t a b'], ['columns public.t b a'], sortColumnList)).toMatchObject({ equal: true, columnOrderOnly: true })
  })
  it('drops comments, blank lines and \\restrict lines, and sorts storage parameters', () => {
    expect(significantLines('-- c\n\n\\restrict abc\nCREATE INDEX i ON t USING btree (a) WITH (fillfactor=\'90\', deduplicate_items=\'on\');\n\\unrestrict abc\n')).toEqual([
      "CREATE INDEX i ON t USING btree (a) WITH (deduplicate_items='on', fillfactor='90');",
    ])
    expect(sortStorageParameters('CREATE VIEW v AS WITH x AS (SELECT 1) SELECT 1;')).toBe('CREATE VIEW v AS WITH x AS (SELECT 1) SELECT 1;')
  })
})

describe('neededKinds', () => {
  it('flags a kind only when its statements differ between the two sides', () => {
    const rule = 'CREATE RULE r AS ON INSERT TO t DO ALSO NOTIFY t;'
    expect(neededKinds(`create table t (a int); ${rule}`, `create table t (a int, b int);\n${rule}`)).toEqual([])
    expect(neededKinds('create table t (a int);', `create table t (a int); ${rule}`)).toEqual(['rule'])
    // aggregates and composite types are modelled
    expect(neededKinds('', 'CREATE AGGREGATE cat(text) (sfunc = textcat, stype = text); CREATE TYPE p AS (a int);')).toEqual([])
  })
  it('view column and policy comments, default privileges, column grants and grants on types are modelled; rule comments are not', () => {
    expect(neededKinds('', 'GRANT SELECT (a, b) ON TABLE t TO r; GRANT USAGE ON TYPE e TO r; REVOKE ALL ON FUNCTION f() FROM PUBLIC;')).toEqual([])
    expect(neededKinds('', 'GRANT EXECUTE ON FUNCTION f(int) TO r;')).toEqual([])
    expect(neededKinds('', 'create table t (r tsrange, EXCLUDE USING gist (r WITH &&));')).toEqual([])
    expect(neededKinds('create view v as select 1 as a;', "create view v as select 1 as a; comment on column v.a is 'x';")).toEqual([])
    expect(neededKinds('', "comment on policy p on t is 'x';")).toEqual([])
    expect(neededKinds('', "comment on rule r on t is 'x';")).toEqual(['comment on rule'])
    const adp = 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO r;'
    expect(neededKinds(adp, `${adp} create table t (a int);`)).toEqual([])
  })
})

describe('the shipped suite', () => {
  it('holds 199 cases in 18 categories', () => {
    const cases = loadCases()
    expect(cases).toHaveLength(199)
    expect(new Set(cases.map((c) => c.category)).size).toBe(18)
    expect(cases.filter((c) => c.setup).length).toBe(5)
  })
})
