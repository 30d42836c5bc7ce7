/**
 * Raw SQL in the definitions (expressions, custom types, storage parameters, view queries,
 * partition bounds, operator classes, access methods, privileges) is checked at load time: text
 * that is not what it claims to be, or that could leave its place in the statement cairn writes
 * around it, is an `invalid_sql` issue at the file and line where it was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  check, customType, grant, index, integer, partitionOf, pgSchema, policy, enableRls, role, sequence, sql, table, text, uuid, view,
} from '../../../src/dsl/index.js'
import { collectModel } from '../../../src/load/build-model.js'
import { loadProject } from '../../../src/load/load-project.js'
import { fragmentProblem, loadSqlFragmentParser } from '../../../src/load/sql-fragments.js'
import type { CairnError, Issue } from '../../../src/errors.js'
import { writeProject } from '../../helpers/schema-project.js'

const HERE = /^test\/unit\/load\/raw-sql\.test\.ts:\d+$/

beforeAll(() => loadSqlFragmentParser())

const issuesOf = (exports: Record<string, unknown>): Issue[] => collectModel(exports).issues
function rawIssues(exports: Record<string, unknown>): Issue[] {
  const issues = issuesOf(exports).filter((i) => i.code === 'invalid_sql' || i.code === 'invalid_grant' || i.code === 'invalid_sequence')
  for (const i of issues) expect(i.file, JSON.stringify(i)).toMatch(HERE)
  return issues
}

describe('expressions', () => {
  it('accepts ordinary expressions, with comments that end before the fragment does', () => {
    const t = table('t', {
      id: uuid().primaryKey(),
      n: integer().check(sql`n > 0 -- positive\n`).default(sql`(1 + 2) * 3`),
      s: text().generatedAlwaysAs(sql`lower('a;b') || E'\\'' || $$)$$`),
    }, (c) => [check('t_n_small', sql`${c.n} < 100 /* ) ; */`), index('t_lower').on(sql`lower(${c.s})`).where(sql`${c.n} IS NOT NULL`)])
    expect(issuesOf({ t })).toEqual([])
  })

  it('refuses a check that smuggles a statement, at the line where it was written', () => {
    const t = table('t', { id: uuid().primaryKey(), n: integer() }, () => [check('t_n', sql`true); DROP TABLE x; --`)])
    const [i, ...rest] = rawIssues({ t })
    expect(rest).toEqual([])
    expect(i.code).toBe('invalid_sql')
    expect(i.object).toBe('public.t.t_n')
    expect(i.message).toMatch(/^check constraint public\.t\.t_n /)
  })

  it('refuses text that closes the parenthesis cairn writes around it, or comments out what follows', () => {
    const bad = [sql`a) OR (b`, sql`n > 0 -- swallows the rest`, sql`1; SELECT 2`, sql`(1`, sql`1 \\! rm -rf /`, sql``]
    for (const expression of bad) {
      const t = table('t', { id: uuid().primaryKey(), n: integer().check(expression) })
      expect(rawIssues({ t }).map((i) => i.code), expression.text).toEqual(['invalid_sql'])
    }
    expect(fragmentProblem('expression', 'a) OR (b')).toMatch(/closes a "\)" it did not open/)
    expect(fragmentProblem('expression', 'n > 0 -- x')).toMatch(/ends in a -- comment/)
    expect(fragmentProblem('expression', '1; SELECT 2')).toMatch(/holds a ";"/)
    expect(fragmentProblem('expression', '1\0')).toMatch(/NUL/)
  })

  it('judges the text as it is written (UTF-8), so a lone surrogate cannot hide its end from the parser', () => {
    // the WASM parser's encoder miscounts a lone surrogate followed by a wide character, and
    // drops as many bytes from the end of the text: here exactly "; DROP TABLE y"
    const hidden = "SELECT '" + '\ud800日'.repeat(7) + "' AS x; DROP TABLE y"
    expect(fragmentProblem('query', hidden)).toMatch(/holds a ";"/)
    expect(rawIssues({ v: view('public', 'v', { sql: hidden }) }).map((i) => i.code)).toEqual(['invalid_sql'])
    expect(fragmentProblem('expression', "'\ud800' || 'x'")).toBeUndefined()
  })

  it('checks defaults, generation expressions, index keys and predicates, and policies', () => {
    const t = table('t', {
      id: uuid().primaryKey(),
      a: integer().default(sql`1); DROP TABLE x; --`),
      b: integer().generatedAlwaysAs(sql`a) STORED, c int GENERATED ALWAYS AS (1`),
    }, (c) => [
      index('t_key').on(sql`lower(x)); DROP TABLE x; --`),
      index('t_pred').on(c.a).where(sql`true; DROP TABLE x`),
      enableRls(),
      policy('p', { using: 'true) WITH CHECK (true' }),
    ])
    expect(rawIssues({ t }).map((i) => i.message.split(' ').slice(0, 4).join(' '))).toEqual([
      'the default of public.t.a',
      'the generation expression of',
      'a key of index',
      'the predicate of index',
      'the USING expression of',
    ])
  })
})

describe('custom types', () => {
  it('accepts type names as PostgreSQL spells them', () => {
    const t = table('t', {
      a: customType('vector(3)'), b: customType('timestamp(3) with time zone'), c: customType('public.my_type'), d: customType('"Odd Type"[]'),
      e: customType('character varying(20)'), f: customType('double precision'), g: customType('interval day to second'),
    })
    expect(rawIssues({ t })).toEqual([])
  })

  it('refuses anything else, which generate used to write unchecked', () => {
    for (const type of ['text; DROP TABLE x', 'int DEFAULT 1', 'setof int', 'int) ; DROP TABLE x; --', 'text COLLATE "C"', 'int --', '']) {
      const t = table('t', { a: customType(type) })
      const issues = rawIssues({ t })
      expect(issues.map((i) => [i.code, i.object]), type).toEqual([['invalid_sql', 'public.t.a']])
      expect(issues[0].message).toMatch(/^the type of public\.t\.a /)
    }
  })
})

describe('storage parameters, access methods, operator classes', () => {
  it('accepts numbers, booleans and words', () => {
    const t = table('t', { id: integer() }, { with: { fillfactor: 70, autovacuum_enabled: false, 'toast.autovacuum_enabled': true, autovacuum_vacuum_scale_factor: 0.05 } })
    const u = table('u', { v: customType('vector(3)') }, (c) => [index('u_v').using('hnsw', c.v.op('vector_l2_ops')).with({ m: 16 })])
    expect(rawIssues({ t, u })).toEqual([])
  })

  it('refuses values and names that are not, on tables, indexes and views', () => {
    const t = table('t', { id: integer() }, { with: { fillfactor: '70); DROP TABLE x; --' } })
    const u = table('u', { id: integer() }, { with: { 'fill factor': 1 } })
    const w = table('w', { id: integer() }, (c) => [index('w_id').on(c.id).with({ fillfactor: '1) WHERE (true' })])
    const m = table('m', { id: integer() }, (c) => [index('m_id').using('btree (id); DROP TABLE x; --', c.id)])
    const o = table('o', { s: text() }, (c) => [index('o_s').on(c.s.op('text_pattern_ops); DROP TABLE x; --'))])
    const v = view('public', 'v', { sql: 'SELECT 1', with: { security_barrier: 'true) AS SELECT 1; DROP TABLE x; --' } })
    const issues = rawIssues({ t, u, w, m, o, v })
    expect(issues.map((i) => i.object)).toEqual(['public.m.m_id', 'public.o.o_s', 'public.t', 'public.u', 'public.w.w_id', 'public.v'])
    expect(issues.map((i) => i.hint)).toEqual(expect.arrayContaining([expect.stringMatching(/storage parameters are name: value pairs/)]))
  })
})

describe('views, partitions, grants, sequences', () => {
  it('refuses a view query that is more than one query or ends in a comment', () => {
    for (const q of ['SELECT 1; DROP TABLE x', 'SELECT 1 -- trailing', 'SELECT 1) AS x; DROP TABLE y; SELECT * FROM (SELECT 1', 'DROP TABLE x']) {
      const v = view('public', 'v', { sql: q })
      expect(rawIssues({ v }).map((i) => [i.code, i.object]), q).toEqual([['invalid_sql', 'public.v']])
    }
    expect(rawIssues({ v: view('public', 'v', { sql: sql`WITH a AS (SELECT 1 AS x)\nSELECT x -- the value\nFROM a` }) })).toEqual([])
  })

  it('refuses a partition bound or key given as text that is not one', () => {
    const parent = table('ev', { id: integer().notNull(), at: integer().notNull() }, { partitionBy: { strategy: 'range', key: sql`at); DROP TABLE x; --` } })
    const p = partitionOf(parent, 'ev_1', 'FOR VALUES FROM (1) TO (2); DROP TABLE x; SELECT (1')
    const issues = rawIssues({ parent, p })
    expect(issues.map((i) => i.object)).toEqual(['public.ev', 'public.ev_1'])
  })

  it('refuses privileges that are not privileges, and sequence numbers that are not numbers', () => {
    const s = pgSchema('s')
    const t = s.table('t', { id: integer() })
    const r = role('app')
    const g = grant(['SELECT ON s.t TO app; DROP TABLE s.t; GRANT SELECT'], { on: t, to: r })
    const q = sequence('q', { start: '1; DROP TABLE s.t' as never })
    expect(rawIssues({ s, t, r, g, q }).map((i) => i.code)).toEqual(['invalid_sequence', 'invalid_grant'])
  })
})

describe('loadProject', () => {
  const cleanup: (() => void)[] = []
  afterAll(() => cleanup.forEach((f) => f()))

  it('fails with exit code 2 and the file and line of the bad custom type and storage parameter', async () => {
    const p = writeProject({
      'schema/index.ts': `export * from './users.js'\n`,
      'schema/users.ts': [
        `import { table, uuid, customType } from 'CAIRN'`,
        `export const users = table('users', {`,
        `  id: uuid().primaryKey(),`,
        `  v: customType('vector(3)); DROP TABLE users; --'),`,
        `}, { with: { fillfactor: '70; DROP TABLE users' } })`,
        ``,
      ].join('\n'),
    })
    cleanup.push(p.remove)
    let e: CairnError | undefined
    try {
      await loadProject({ root: p.root })
    } catch (x) {
      e = x as CairnError
    }
    expect(e?.code).toBe('invalid_schema')
    expect(e?.exitCode).toBe(2)
    expect(e?.issues.map((i) => [i.code, i.file, i.object])).toEqual([
      ['invalid_sql', 'schema/users.ts:4', 'public.users.v'],
      ['invalid_sql', 'schema/users.ts:2', 'public.users'],
    ])
  })
})
