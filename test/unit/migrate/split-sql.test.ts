import { describe, expect, it } from 'vitest'
import { splitSql } from '../../../src/migrate/split-sql.js'

describe('splitSql', () => {
  it('splits the planner format and honours the no-transaction marker', async () => {
    const sql = [
      '-- cairn: add_index',
      '-- hazards: none',
      "SET lock_timeout = '5s';",
      'ALTER TABLE t ADD COLUMN b integer;',
      '-- cairn:no-transaction',
      'CREATE INDEX CONCURRENTLY t_b_idx ON t (b);',
      '',
    ].join('\n')
    const s = await splitSql(sql)
    expect(s.map((x) => x.text)).toEqual(["SET lock_timeout = '5s'", 'ALTER TABLE t ADD COLUMN b integer', 'CREATE INDEX CONCURRENTLY t_b_idx ON t (b)'])
    expect(s.map((x) => x.line)).toEqual([3, 4, 6])
    expect(s.map((x) => x.transactional)).toEqual([true, true, false])
    expect(s[0].sessionSetting).toBe(true)
    expect(s[2].retryCleanup).toBe('DROP INDEX CONCURRENTLY IF EXISTS t_b_idx')
  })

  it('keeps dollar-quoted bodies, strings and comments holding ; whole', async () => {
    const sql = `CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
begin
  perform 'a;b'; -- ; in a comment
  return 1;
end $body$;
SELECT $$;$$, 'it''s; here', E'back\\\\slash\\'; quote', "weird;name" FROM (SELECT 1 AS "weird;name") x;
/* outer /* nested ; */ still comment ; */
SELECT 2;`
    const s = await splitSql(sql)
    expect(s).toHaveLength(3)
    expect(s[0].text).toMatch(/^CREATE FUNCTION f\(\)[\s\S]*end \$body\$$/)
    expect(s[1].text).toBe(`SELECT $$;$$, 'it''s; here', E'back\\\\slash\\'; quote', "weird;name" FROM (SELECT 1 AS "weird;name") x`)
    expect(s[2]).toMatchObject({ text: 'SELECT 2', line: 8, index: 3 })
  })

  it('keeps SQL-standard BEGIN ATOMIC bodies whole', async () => {
    const s = await splitSql('CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELECT 3;')
    expect(s.map((x) => x.text)).toEqual(['CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END', 'SELECT 3'])
  })

  it('detects statements that can never run in a transaction without a marker', async () => {
    const s = await splitSql(
      [
        'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i1 ON app.t (a);',
        'DROP INDEX CONCURRENTLY IF EXISTS i1;',
        'REINDEX TABLE CONCURRENTLY t;',
        'VACUUM (ANALYZE) t;',
        'ANALYZE t;',
        'ALTER SYSTEM SET work_mem = 1;',
        'CREATE DATABASE x;',
        'ALTER TABLE p DETACH PARTITION c CONCURRENTLY;',
        'CREATE INDEX i2 ON t (a);',
      ].join('\n'),
    )
    expect(s.map((x) => x.noTransactionReason ?? null)).toEqual([
      'CREATE INDEX CONCURRENTLY',
      'DROP INDEX CONCURRENTLY',
      'REINDEX CONCURRENTLY',
      'VACUUM',
      null,
      'ALTER SYSTEM',
      'CREATE DATABASE',
      'DETACH PARTITION CONCURRENTLY',
      null,
    ])
    expect(s[0].retryCleanup).toBe('DROP INDEX CONCURRENTLY IF EXISTS app.i1')
  })

  it('applies the marker only to the statement right after it', async () => {
    const s = await splitSql("SELECT 1;\n-- cairn:no-transaction\nSELECT 2;\nSELECT 3;\n/* -- cairn:no-transaction */\nSELECT 4;")
    expect(s.map((x) => x.transactional)).toEqual([true, false, true, true])
    expect(s[1].noTransactionReason).toBe('marker')
  })

  it('counts lines through multi-byte characters and handles a last statement without ;', async () => {
    const s = await splitSql("-- é ü 中文\nSELECT 'ü';\n\n  SELECT 'x'  ")
    expect(s).toEqual([
      expect.objectContaining({ text: "SELECT 'ü'", line: 2 }),
      expect.objectContaining({ text: "SELECT 'x'", line: 4 }),
    ])
  })

  it('returns nothing for comments only and skips empty statements', async () => {
    expect(await splitSql('-- nothing here\n/* at all */\n')).toEqual([])
    expect((await splitSql(';;SELECT 1;;')).map((x) => x.text)).toEqual(['SELECT 1'])
  })

  it('reports a syntax error with file and line', async () => {
    await expect(splitSql('SELECT 1;\nSELEC 2;', 'migrations/x/up.sql')).rejects.toMatchObject({
      code: 'sql_syntax_error',
      file: 'migrations/x/up.sql:2',
    })
  })

  it('refuses transaction control statements', async () => {
    await expect(splitSql('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;', 'up.sql')).rejects.toMatchObject({
      code: 'transaction_control_in_migration',
    })
  })
})

describe('syntax error positions', () => {
  it('names the right line after multi-byte and astral characters (the parser counts code points)', async () => {
    const sql = `SELECT '${'日本'.repeat(20)}';\nSELECT '😀😀😀';\n\nSELEC 2;\n`
    const e = await splitSql(sql, 'm.sql').catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'sql_syntax_error', file: 'm.sql:4' })
  })
})
