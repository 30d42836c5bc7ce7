/**
 * `cairn pull`'s pure core: text that evaluates to exactly the SQL it carries, export names, and
 * models (hand-written fixtures and random ones) → definitions → loaded back → the same model, with
 * a warning for every part the DSL cannot express.
 */
import { describe, expect, it } from 'vitest'
import type { Model } from '../../../src/model/types.js'
import { emptyModel } from '../../../src/model/types.js'
import { pullModel } from '../../../src/pull/emit.js'
import { checkPull } from '../../../src/pull/verify.js'
import { compareModels } from '../../../src/pull/compare.js'
import { unifiedDiff } from '../../../src/pull/file-diff.js'
import { exportNames } from '../../../src/pull/names.js'
import { jsString, lineComments, sqlTemplate, toIdentifier } from '../../../src/pull/ts-text.js'
import { handWrittenModels, prng, randomModel } from '../../helpers/model-fixtures.js'
import { col, table } from '../plan/build.js'
import { normalizeModel } from '../../../src/model/normalize.js'

const evaluate = (expr: string, sql?: (s: TemplateStringsArray) => unknown): unknown =>
  new Function('sql', `return ${expr}`)(sql ?? ((s: TemplateStringsArray) => s[0]))

describe('source text', () => {
  const rnd = prng(7)
  const pool = ['a', "'", '"', '`', '\\', '$', '{', '}', '\n', '\r', '\t', '\u2028', '\u0000', '\u007f', 'é', '😀', '\ud800', ' ', '${']
  const samples = [
    '', "it's", 'say "hi"', 'back\\slash', '${x}', '`tick`', 'line\r\nbreak', 'lone \udc00 surrogate',
    ...Array.from({ length: 300 }, () => Array.from({ length: Math.floor(rnd() * 12) }, () => pool[Math.floor(rnd() * pool.length)]).join('')),
  ]

  it('writes string literals and sql templates that evaluate to exactly their text', () => {
    for (const s of samples) {
      // a lone surrogate cannot be stored as UTF-8: it is written as an escape, and so comes back
      expect(evaluate(jsString(s))).toBe(s)
      expect(evaluate(sqlTemplate(s))).toBe(s)
      expect(jsString(s)).not.toMatch(/[\r\u2028\u2029]/)
      expect(sqlTemplate(s)).not.toMatch(/\r/)
    }
  })

  it('keeps comments on their lines and makes identifiers of any name', () => {
    for (const s of samples) for (const line of lineComments(s)) expect(line.startsWith('//') && !/[\n\r\u2028\u2029]/.test(line)).toBe(true)
    expect(toIdentifier('Display Name')).toBe('Display_Name')
    expect(toIdentifier('1st')).toBe('_1st')
    expect(toIdentifier('über')).toBe('über')
  })

  it('names exports by their SQL names, qualified only where they collide or would shadow something', () => {
    const names = exportNames([
      { key: 'table:app.users', kind: 'table', schema: 'app', name: 'users' },
      { key: 'table:auth.users', kind: 'table', schema: 'auth', name: 'users' },
      { key: 'table:public.text', kind: 'table', schema: 'public', name: 'text' },
      { key: 'table:public.delete', kind: 'table', schema: 'public', name: 'delete' },
      { key: 'table:public.my table', kind: 'table', schema: 'public', name: 'my table' },
      { key: 'schema:app', kind: 'schema', name: 'app' },
      { key: 'table:app.app', kind: 'table', schema: 'app', name: 'app' },
      { key: 'table:app.orders', kind: 'table', schema: 'app', name: 'orders' },
    ])
    expect(Object.fromEntries(names)).toEqual({
      'table:app.users': 'app_users',
      'table:auth.users': 'auth_users',
      'table:public.text': 'public_text',
      'table:public.delete': 'public_delete',
      'table:public.my table': 'my_table',
      'schema:app': 'app_schema',
      'table:app.app': 'app_app',
      'table:app.orders': 'orders',
    })
  })

  it('prints a unified diff of a changed file and of a new one', () => {
    expect(unifiedDiff('schema/a.ts', 'one\ntwo\nthree\n', 'one\n2\nthree\nfour\n')).toBe(
      '--- a/schema/a.ts\n+++ b/schema/a.ts\n@@ -1,3 +1,4 @@\n one\n-two\n+2\n three\n+four\n',
    )
    expect(unifiedDiff('schema/b.ts', undefined, 'x\n')).toBe('--- /dev/null\n+++ b/schema/b.ts\n@@ -0,0 +1,1 @@\n+x\n')
    expect(unifiedDiff('c.ts', 'same\n', 'same\n')).toBe('')
  })
})

describe('models round-trip through the definitions', () => {
  const cases: [string, Model][] = [
    ...Object.entries(handWrittenModels(150000)).map(([k, m]) => [`${k} (15)`, m] as [string, Model]),
    ...Object.entries(handWrittenModels(180000)).map(([k, m]) => [`${k} (18)`, m] as [string, Model]),
    ...Array.from({ length: 8 }, (_, i) => [`random model ${i + 1}`, randomModel(i + 1)] as [string, Model]),
  ]
  it.each(cases)('%s', async (_name, model) => {
    const pulled = pullModel(model)
    const check = await checkPull(model, pulled.files, pulled.warnings)
    expect(check.loaded.error).toBeUndefined()
    expect(check.loaded.issues).toEqual([])
    // everything the definitions do not reproduce is a warning pull gave before loading them
    expect(check.warnings.map((w) => w.message)).toEqual([])
    // and every warning is about something real: only DSL gaps of these fixtures
    expect(new Set(pulled.warnings.map((w) => w.category))).toSatisfy((s: Set<string>) =>
      [...s].every((c) => ['function', 'procedure', 'trigger', 'check NO INHERIT', 'deferrable primary key', 'partition with objects of its own', 'materialized view index'].includes(c)),
    )
    for (const d of check.differences) expect(pulled.warnings.some((w) => w.covers.some((c) => d.path === c || d.path.startsWith(`${c}/`)))).toBe(true)
  })

  it('warns that a comment on a key\'s index is lost, and the warning covers the difference', async () => {
    const m: Model = {
      ...emptyModel(),
      schemas: [{ kind: 'schema', name: 'app' }],
      tables: [{
        kind: 'table', schema: 'app', name: 'tagged', columns: [{ name: 'id', type: 'integer', notNull: true }],
        primaryKey: { name: 'tagged_pkey', columns: ['id'] }, uniques: [], foreignKeys: [], checks: [], indexes: [], with: {}, policies: [],
        keyIndexComments: { tagged_pkey: 'the pk index' },
      }],
    }
    const pulled = pullModel(m)
    expect(pulled.warnings.map((w) => w.category)).toEqual(["comment on a key's index"])
    const check = await checkPull(m, pulled.files, pulled.warnings)
    expect(check.loaded.error).toBeUndefined()
    expect(check.differences.length).toBeGreaterThan(0)
    for (const d of check.differences) expect(pulled.warnings.some((w) => w.covers.some((c) => d.path === c || d.path.startsWith(`${c}/`)))).toBe(true)
  })

  it('writes default privileges and collations with defaultPrivileges() and collation(), and what they cannot say as SQL in a comment with a warning', async () => {
    const dp = (x: object) => ({ kind: 'default_privilege' as const, withGrantOption: false, ...x }) as NonNullable<Model['defaultPrivileges']>[number]
    const coll = (x: object) => ({ kind: 'collation' as const, schema: 'app', deterministic: true, ...x }) as NonNullable<Model['collations']>[number]
    const reader = { kind: 'role' as const, name: 'reader', login: false, inherit: true, bypassRls: false, memberOf: [] }
    const owner = { ...reader, name: 'app_owner' }
    const model: Model = {
      ...emptyModel(),
      schemas: [{ kind: 'schema', name: 'app' }],
      roles: [owner, reader],
      tables: [table('app', 't', [col('code', 'text', { collation: 'app.ci' })])],
      defaultPrivileges: [
        dp({ on: 'functions', grantee: 'public', privileges: ['EXECUTE'], revoke: true }),
        dp({ on: 'types', grantee: 'reader', privileges: ['USAGE'] }),
        dp({ schema: 'app', on: 'tables', grantee: 'reader', privileges: ['INSERT', 'SELECT'], withGrantOption: true }),
        dp({ schema: 'app', on: 'tables', grantee: 'reader', privileges: ['DELETE'] }),
        dp({ role: 'app_owner', on: 'schemas', grantee: 'reader', privileges: ['USAGE'] }),
        dp({ role: 'app_owner', on: 'sequences', grantee: 'app_owner', privileges: ['UPDATE'], revoke: true }),
        dp({ role: 'app_owner', schema: 'app', on: 'tables', grantee: 'public', privileges: ['SELECT'] }),
        // a grantee cairn does not manage (the connected user): SQL in a comment
        dp({ schema: 'app', on: 'tables', grantee: 'postgres', privileges: ['SELECT'] }),
      ],
      collations: [
        coll({ name: 'bytes', provider: 'libc', lcCollate: 'C', lcCtype: 'C', comment: 'byte order' }),
        coll({ name: 'ci', provider: 'icu', locale: 'und-u-ks-level2', deterministic: false }),
        coll({ name: 'mixed', provider: 'libc', lcCollate: 'C', lcCtype: 'POSIX' }),
        coll({ name: 'tailored', provider: 'icu', locale: 'und', rules: '&a < b' }),
        coll({ name: 'us', provider: 'icu', locale: 'en_US' }),
      ],
    }
    const pulled = pullModel(model)
    const text = pulled.files.map((f) => f.text).join('\n')
    expect(text).toMatch(/defaultPrivileges\(\{\s*on: 'functions',\s*revoke: \['EXECUTE'\],\s*from: 'public'\s*\}\)/)
    expect(text).toMatch(/defaultPrivileges\(\{\s*inSchema: app,\s*on: 'tables',\s*grant: \['INSERT', 'SELECT'\],\s*to: reader,\s*withGrantOption: true\s*\}\)/)
    expect(text).toMatch(/collation\(app, 'ci', \{\s*provider: 'icu',\s*locale: 'und-u-ks-level2',\s*deterministic: false\s*\}\)/)
    expect(text).toContain('ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO postgres')
    expect(text).toContain("CREATE COLLATION app.tailored (provider = icu, locale = 'und', rules = '&a < b')")
    expect(pulled.warnings.map((w) => `${w.code} ${w.category}`).sort()).toEqual(['lost_detail unmanaged role', 'not_in_dsl collation', 'not_in_dsl collation'])
    const check = await checkPull(model, pulled.files, pulled.warnings)
    expect(check.loaded.error).toBeUndefined()
    expect(check.loaded.issues).toEqual([])
    expect(check.warnings.map((w) => w.message)).toEqual([])
    const loaded = check.loaded.model as Model
    expect(loaded.defaultPrivileges).toEqual(normalizeModel(model).defaultPrivileges!.filter((d) => d.grantee !== 'postgres'))
    expect(loaded.collations).toEqual(model.collations!.filter((c) => ['bytes', 'ci', 'mixed'].includes(c.name)))
    expect(pulled.counts).toMatchObject({ 'default privileges': 7, collations: 3 })
    // a database-wide entry alone (no role, no schema) goes into roles.ts, which then holds only it
    const alone: Model = { ...emptyModel(), defaultPrivileges: [dp({ on: 'functions', grantee: 'public', privileges: ['EXECUTE'], revoke: true })] }
    const p2 = pullModel(alone)
    expect(p2.files.map((f) => f.path).sort()).toEqual(['index.ts', 'roles.ts'])
    const c2 = await checkPull(alone, p2.files, p2.warnings)
    expect([...p2.warnings, ...c2.warnings]).toEqual([])
    expect((c2.loaded.model as Model).defaultPrivileges).toEqual(alone.defaultPrivileges)
  })

  it('pulls an empty database into an index that loads', async () => {
    const pulled = pullModel(emptyModel())
    expect(pulled.files.map((f) => f.path)).toEqual(['index.ts'])
    const check = await checkPull(emptyModel(), pulled.files, pulled.warnings)
    expect(check.warnings).toEqual([])
  })

  it('writes the same files twice', () => {
    const m = randomModel(3)
    expect(pullModel(m).files).toEqual(pullModel(m).files)
  })

  it('names default-named constraints only where the DSL would choose another name', async () => {
    const model: Model = {
      ...emptyModel(),
      tables: [{
        kind: 'table', schema: 'public', name: 't',
        columns: [{ name: 'a', type: 'integer', notNull: true }, { name: 'b', type: 'integer', notNull: false }, { name: 'c', type: 'integer', notNull: false }],
        primaryKey: { name: 't_pkey', columns: ['a'] },
        // Postgres numbers the second unique constraint on (b), and so does the DSL; `custom` is given
        // t_c_key1 looks numbered, but the DSL would call it t_c_key
        uniques: [{ name: 't_b_key', columns: ['b'] }, { name: 't_b_key1', columns: ['b'] }, { name: 'custom', columns: ['a', 'b'] }, { name: 't_c_key1', columns: ['c'] }],
        foreignKeys: [], checks: [],
        indexes: [{ name: 't_b_idx', unique: false, method: 'btree', keys: [{ column: 'b' }], include: [], with: {} },
          { name: 't_b_idx1', unique: false, method: 'btree', keys: [{ column: 'b', desc: true }], include: [], with: {} }],
        with: {}, policies: [],
      }],
    }
    const pulled = pullModel(model)
    const text = pulled.files.find((f) => f.path === 'public.ts')!.text
    expect(text).toContain("b: integer().unique().index()")
    expect(text).toContain('unique().on(t.b)')
    expect(text).toContain("c: integer().unique('t_c_key1')")
    expect(text).toContain("unique('custom').on(t.a, t.b)")
    expect(text).toContain('index().on(t.b.desc())')
    const check = await checkPull(model, pulled.files, pulled.warnings)
    expect(compareModels(model, check.loaded.model!)).toEqual([])
  })
})
