/**
 * Names, comments, enum values, defaults, check texts and storage parameter values can hold any
 * character (definitions are code, and `cairn diff --to` reads whatever a database holds). Whatever
 * they hold, the SQL cairn writes must parse, with PostgreSQL's own parser, into exactly the
 * statements cairn meant: migrations (up and down), `cairn diff` output and `cairn sql`; and
 * `cairn diff --format text` prints them on safe lines.
 *
 * The property runs CAIRN_PROPERTY_RUNS cases (default 3000) from CAIRN_PROPERTY_SEED (default
 * fixed, so CI is reproducible; a failure prints the seed of its case).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loadModule } from 'libpg-query'
import { renameResolverFrom } from '../../../src/diff/index.js'
import { diff } from '../../../src/diff/diff.js'
import { splitSql } from '../../../src/migrate/split-sql.js'
import type { EnumDef, Model, RoleDef, TableDef, ViewDef } from '../../../src/model/types.js'
import { plan } from '../../../src/plan/plan.js'
import { renderMigration, splitMigration } from '../../../src/plan/render-migration.js'
import { fromPrintable, ident, lineComment, literal, printable, qname } from '../../../src/sqlgen/quote.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { renderScript } from '../../../src/sqlgen/session.js'
import { diffModels } from '../../../src/workflows/diff-databases.js'
import { diffText } from '../../../src/cli/commands/diff.js'
import { lint } from '../../../src/lint/lint.js'
import { col, model, table } from './build.js'

beforeAll(() => loadModule())

// every kind of line break, quote, escape, comment and statement delimiter, terminal controls,
// bidi and format characters, a lone surrogate, astral characters, and the injection itself
const SPECIAL = [
  '\r', '\n', '\r\n', '\u2028', '\u2029', '\u0085', '\v', '\f', '\t', "'", "''", '"', '\\', "\\'", ';', '--', '/*', '*/', '$$', '$cairn$',
  '$function$', "E'", 'U&"', ' ', '\u00a0', '\u200e', '\u202e', '\ufeff', '\u001b[2J', '\u009b', '\ud800', '\udfff', '😀', 'é', '日本',
  ':', '::', '(', ')', 'DROP TABLE public.pwn;', '\r-- ', '\\! id', '\\gexec',
]

/** A small seeded generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]
  /** Text drawn from all of Unicode (NUL aside), weighted towards the characters that matter. */
  const text = (maxPieces: number, allowNul = false): string => {
    let s = ''
    const pieces = 1 + int(maxPieces)
    for (let i = 0; i < pieces; i++) {
      const k = int(10)
      if (k < 4) s += pick(SPECIAL)
      else if (k < 6) s += String.fromCharCode(0x20 + int(0x5f))
      else if (k < 8) s += String.fromCharCode(1 + int(0xffff))
      else if (k < 9) s += String.fromCodePoint(0x10000 + int(0x10ffff - 0x10000))
      else s += String.fromCharCode(int(0x20)) // C0 controls
    }
    return allowNul ? s : s.replaceAll('\0', '\u0001')
  }
  return { int, pick, text, next }
}

const utf8 = new TextEncoder()
/** A name of at most 60 bytes (PostgreSQL keeps 63), never empty, unique through `k`. */
function nameOf(raw: string, k: number): string {
  let s = raw
  const suffix = `_${k}`
  while (utf8.encode(s + suffix).length > 60) s = s.slice(0, -1)
  return s + suffix
}

/** What PostgreSQL receives: the UTF-8 encoding (a lone surrogate becomes U+FFFD). */
const wire = (s: string) => Buffer.from(s, 'utf8').toString('utf8')
const quoteText = (s: string) => `'${s.replaceAll("'", "''")}'`

interface Case {
  readonly before: Model
  readonly after: Model
  readonly name: string
}

/**
 * Two models whose difference touches places untrusted text reaches: creates, drops, renames,
 * comments, enum values, defaults, checks, indexes, policies, views, roles, grants, storage. Each
 * case takes a random part of them, so cases stay small and many.
 */
export function makeCase(seed: number): Case {
  const r = rng(seed)
  let k = 0
  const name = () => nameOf(r.text(6), k++)
  const value = () => r.text(8)
  const maybe = () => r.next() < 0.45
  const s = name()
  const [t1, c1, c2] = [name(), name(), name()]
  const storage = () => ({ fillfactor: maybe() ? String(10 + r.int(90)) : value(), autovacuum_enabled: r.pick(['true', 'false', value()]) })
  const before: Model = model({ schemas: [{ kind: 'schema', name: s }] })
  const after: Model = model({ schemas: [{ kind: 'schema', name: s, ...(maybe() ? { comment: value() } : {}) }] })
  const b = { enums: [] as EnumDef[], tables: [] as TableDef[], roles: [] as RoleDef[], views: [] as ViewDef[], grants: [] as Model['grants'][number][] }
  const a = { enums: [] as EnumDef[], tables: [] as TableDef[], roles: [] as RoleDef[], views: [] as ViewDef[], grants: [] as Model['grants'][number][] }

  // the table both sides have, changed in random ways
  const baseColumns = [col(c1, 'text'), col(c2, 'integer', { notNull: true })]
  const changed: { -readonly [K in keyof TableDef]?: TableDef[K] } & { columns: TableDef['columns'][number][] } = { columns: [...baseColumns] }
  if (maybe()) changed.comment = value()
  if (maybe()) changed.with = storage()
  if (maybe()) changed.columns[0] = col(c1, 'text', { default: `${quoteText(value())}::text`, comment: value() })
  if (maybe()) changed.checks = [{ name: name(), expression: `(${ident(c1)} <> ${quoteText(value())}::text)` }]
  if (maybe()) {
    changed.indexes = [{ name: name(), unique: false, method: 'btree', keys: [{ column: c1 }], include: [], with: { fillfactor: String(50 + r.int(50)) }, where: `(${ident(c1)} <> ${quoteText(value())}::text)`, comment: value() }]
  }
  if (maybe()) {
    // an enum that gains a value, and a column typed with it whose default is the new value
    const e = name()
    const [v1, v2, v3] = [value(), value(), value()]
    b.enums.push({ kind: 'enum', schema: s, name: e, values: [v1, v2] })
    a.enums.push({ kind: 'enum', schema: s, name: e, values: [v1, v2, v3], ...(maybe() ? { comment: value() } : {}) })
    changed.columns.push(col(name(), qname(s, e), { default: `${literal(v3)}::${qname(s, e)}` }))
  }
  let roleName: string | undefined
  if (maybe()) {
    // a role (its name may hold the dollar tag of the DO block that creates it), a policy and a grant
    roleName = maybe() ? `${name()}$cairn$` : name()
    a.roles.push({ kind: 'role', name: roleName, login: false, inherit: true, bypassRls: false, memberOf: [] })
    changed.rls = { enabled: true, forced: maybe() }
    changed.policies = [{ name: name(), permissive: true, command: 'all', roles: [roleName], using: `(${ident(c1)} = ${quoteText(value())}::text)` }]
    a.grants.push({ kind: 'grant', on: 'table', schema: s, name: t1, role: roleName, privileges: ['SELECT'], withGrantOption: false })
  }
  b.tables.push(table(s, t1, baseColumns, maybe() ? { comment: value(), with: storage() } : {}))
  a.tables.push(table(s, t1, changed.columns, changed))

  if (maybe()) a.tables.push(table(s, name(), [col(name(), 'text', { comment: value() })], { comment: value(), with: storage() }))
  if (maybe()) {
    const ix = { name: name(), unique: false, method: 'btree', keys: [{ column: c1 }], include: [], with: {}, comment: value() }
    b.tables.push(table(s, name(), [col(c1, 'text', { comment: value() })], { comment: value(), indexes: [ix] }))
  }
  if (maybe()) {
    const old = name()
    b.tables.push(table(s, old, [col(c1, 'text')]))
    a.tables.push(table(s, name(), [col(c1, 'text')], { renamedFrom: old }))
  }
  if (maybe()) {
    a.views.push({
      kind: 'view', schema: s, name: name(), materialized: false, definition: ` SELECT ${quoteText(value())}::text AS ${ident(name())}`,
      with: { security_barrier: r.pick(['true', value()]) }, indexes: [], comment: value(),
    })
  }
  return { before: { ...before, ...b }, after: { ...after, ...a }, name: r.text(6) }
}

const resolveRenames = renameResolverFrom([], { othersAreNew: true })

/** What a comment cairn writes may hold: letters, marks, digits, punctuation, symbols, spaces (escapes are made of these). */
const SAFE_COMMENT = /^-- [\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u

/** A line of terminal output: no control, format or separator characters. */
const SAFE_LINE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * `text` parses, with PostgreSQL's parser (the runner's splitter) and with cairn's own splitter,
 * into exactly `expected`; and what lies between the statements is only comments cairn wrote
 * (escaped: nothing of them can be read as SQL), blank lines and the semicolons. (Compared by hand
 * first and through expect() only on a mismatch, which keeps thousands of cases fast.)
 */
async function expectStatements(text: string, expected: readonly string[], transactional?: readonly boolean[]): Promise<void> {
  const want = expected.map((s) => wire(s).trimEnd())
  if (text === '' && want.length === 0) return
  let parsed: Awaited<ReturnType<typeof splitSql>>
  try {
    parsed = await splitSql(text)
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${JSON.stringify(text)}`, { cause: e })
  }
  const got = parsed.map((s) => s.text)
  if (!same(got, want)) expect(got).toEqual(want)
  const mine = splitMigration(text).map((s) => wire(s.sql))
  if (!same(mine, want)) expect(mine).toEqual(want)
  if (transactional && !same(parsed.map((s) => s.transactional), transactional)) expect(parsed.map((s) => s.transactional)).toEqual(transactional)
  const doc = wire(text)
  let at = 0
  const gaps: string[] = []
  for (const s of want) {
    const i = doc.indexOf(s, at)
    gaps.push(doc.slice(at, i))
    at = i + s.length
  }
  gaps.push(doc.slice(at))
  for (const gap of gaps) {
    for (const line of gap.split('\n')) {
      if (line !== '' && line !== ';' && !SAFE_COMMENT.test(line)) expect(line, JSON.stringify(gap)).toMatch(SAFE_COMMENT)
    }
  }
}

async function checkCase(c: Case, withDiff: boolean): Promise<void> {
  // the migration and its down migration; and the way back (an enum value cannot be removed, so
  // the way back keeps the enums as they are after)
  const back = { ...c.before, enums: c.after.enums }
  const ways = [[c.before, c.after, true], [c.after, back, false]] as const
  for (const [a, b, withDown] of ways) {
    const d = diff(a, b, { resolveRenames })
    if (d.status !== 'ok') expect(d.status).toBe('ok')
    const p = plan(d.changes, { allowDestructive: true })
    const m = renderMigration(p, { name: c.name })
    await expectStatements(m.up, m.statements.up, [...p.preamble.map(() => true), ...p.steps.map((s) => s.transactional)])
    if (withDown) await expectStatements(m.down, m.statements.down)
    for (const line of [...m.info.hazards, ...m.info.destructive, ...m.info.irreversible]) {
      if (!SAFE_COMMENT.test(`-- ${line}`)) expect(`-- ${line}`).toMatch(SAFE_COMMENT)
    }
    if (withDown && withDiff) {
      // \`cairn diff\` prints the same rendering of the same plan
      const r = diffModels(a, b, { policy: { allowDestructive: true }, assumeNoRenames: true, dropRoles: true, name: c.name })
      if (r.sql !== m.up) expect(r.sql).toBe(m.up)
      // and its text summary is one safe line per change and hazard: nothing breaks a line or drives a terminal
      for (const line of diffText(r, 'a', 'b', false).trimEnd().split('\n')) {
        if (!SAFE_LINE.test(line)) expect(line).toMatch(SAFE_LINE)
      }
    }
  }
  // \`cairn sql\`
  const statements = renderModel(c.after)
  await expectStatements(renderScript(statements), statements)
}

describe('comments from untrusted text', () => {
  it('escape every line terminator, control and format character, and the backslash', () => {
    expect(lineComment('a\nb\rc\u2028d\u2029e\u0085f\vg\fh\ti\\j')).toBe('-- a\\nb\\rc\\u2028d\\u2029e\\u0085f\\u000Bg\\u000Ch\\ti\\\\j')
    expect(printable('\u0000\u001b[2J\u009b\u200e\u202e\ufeff\u00a0\ud800')).toBe('\\u0000\\u001B[2J\\u009B\\u200E\\u202E\\uFEFF\\u00A0\\uD800')
    expect(printable('\u{E0001}')).toBe('\\u{E0001}')
  })

  it('read back exactly (migration headers round-trip), for any text', () => {
    const r = rng(7)
    for (let i = 0; i < 5000; i++) {
      const t = r.text(12, true)
      const p = printable(t)
      if (fromPrintable(p) !== t) expect(fromPrintable(p)).toBe(t)
    }
    expect(fromPrintable(printable('a\\u0041\\n\n'))).toBe('a\\u0041\\n\n')
  })

  it('keep letters, digits, punctuation and symbols of any script readable', () => {
    const s = "café 日本 😀 'quoted' \"name\" (a); -- /* */ $$ ✓"
    expect(printable(s)).toBe(s)
  })

  it('a table named with carriage returns cannot smuggle a statement into the migration', async () => {
    const evil = 'cr\rDROP TABLE public.pwn;\r--'
    const before = model({ tables: [table('public', 'pwn', [col('id', 'integer')])] })
    const after = model({ tables: [table('public', 'pwn', [col('id', 'integer')]), table('public', evil, [col('id', 'integer')], { comment: 'x\r; DROP TABLE public.pwn; --' })] })
    const m = renderMigration(plan(diff(before, after).changes), { name: `n\rDROP TABLE public.pwn;\r` })
    const parsed = await splitSql(m.up)
    expect(parsed.map((s) => s.text)).toEqual(m.statements.up)
    expect(parsed.some((s) => /^DROP/.test(s.text))).toBe(false)
    expect(m.up).toContain('-- create table public.cr\\rDROP TABLE public.pwn;\\r--\n')
    expect(m.up.split('\n')[0]).toBe('-- cairn: n\\rDROP TABLE public.pwn;\\r (up)')
  })

  it('cairn lint reads an escaped header object back, so a declared drop stays a warning', async () => {
    const odd = 'old\\t\u00a0x'
    const before = model({ tables: [table('public', odd, [col('id', 'integer')])] })
    const m = renderMigration(plan(diff(before, model()).changes, { allowDestructive: true }), { name: 'drop' })
    expect(m.up).toContain('-- cairn:destructive PGK101 drop_table public.old\\\\t\\u00A0x ')
    const r = await lint([{ path: 'up.sql', sql: m.up }])
    const drop = r.findings.filter((f) => f.object?.includes('old'))
    expect(drop.length).toBeGreaterThan(0)
    for (const f of drop) expect([f.severity, f.declared !== undefined]).toEqual(['warning', true])
  })

  it('both splitters end a -- comment at a carriage return, as PostgreSQL does', async () => {
    const text = '-- a\rSELECT 1;\n-- b\r-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);\n'
    const parsed = await splitSql(text)
    expect(parsed.map((s) => [s.text, s.transactional])).toEqual([['SELECT 1', true], ['CREATE INDEX CONCURRENTLY i ON t (c)', false]])
    expect(splitMigration(text).map((s) => [s.sql, s.transactional])).toEqual([['SELECT 1', true], ['CREATE INDEX CONCURRENTLY i ON t (c)', false]])
  })
})

describe('property: SQL written from untrusted text parses into exactly the intended statements', () => {
  const runs = Number(process.env.CAIRN_PROPERTY_RUNS ?? 3000)
  const seed0 = Number(process.env.CAIRN_PROPERTY_SEED ?? 20260)

  it(`migrations, cairn diff and cairn sql over ${runs} random cases`, async () => {
    for (let i = 0; i < runs; i++) {
      const seed = seed0 + i
      try {
        await checkCase(makeCase(seed), i % 10 === 0)
      } catch (e) {
        throw new Error(`case with CAIRN_PROPERTY_SEED=${seed} CAIRN_PROPERTY_RUNS=1 failed: ${(e as Error).message}`, { cause: e })
      }
    }
  }, 120_000)
})
