/**
 * Unlogged tables, EXCLUDE constraints, constraint comments and key storage parameters in the DSL:
 * the model the loader builds, the problems it reports at their line, and the round trip
 * (definitions → rendered SQL → PGlite → inspect gives back the same tables).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'
import type { Database } from '../../src/db/database.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import * as d from '../../src/dsl/index.js'
import { canonicalize } from '../../src/inspect/canonicalize.js'
import { inspect } from '../../src/inspect/inspect.js'
import { collectModel } from '../../src/load/build-model.js'
import { normalizeModel } from '../../src/model/normalize.js'
import { renderModel } from '../../src/plan/render-model.js'
import { pullModel } from '../../src/pull/emit.js'
import { parseExclusion } from '../../src/pull/exclusions.js'
import { withUndeclaredFrom } from '../../src/workflows/undeclared.js'

function definitions() {
  const app = d.pgSchema('app')
  const rooms = app.table('rooms', {
    id: d.integer().notNull(),
    code: d.text().notNull(),
  }, (t) => [
    d.primaryKey({ columns: [t.id], with: { fillfactor: 70 }, comment: 'one row per room' }),
    d.unique().on(t.code).with({ fillfactor: 80 }).comment('codes are printed on doors'),
    d.check('rooms_code_check', d.sql`length(code) > 0`, { comment: 'no empty codes' }),
  ])
  const bookings = app.table('bookings', {
    id: d.integer().primaryKey(),
    roomId: d.integer('room_id').notNull(),
    code: d.text().notNull(),
    during: d.customType('tsrange').notNull(),
  }, (t) => [
    d.foreignKey({ columns: [t.roomId], foreignColumns: [rooms.id], comment: 'the booked room' }),
    d.exclude('bookings_no_overlap').on(t.during, '&&').comment('a room is booked once at a time'),
    d.exclude().using('btree').on(t.code, '=').deferrable('deferred'),
  ])
  const scratch = app.table('scratch', { id: d.integer().primaryKey(), v: d.text() }, { unlogged: true })
  return { app, rooms, bookings, scratch }
}

describe('unlogged tables, exclusions, constraint comments and key storage in the DSL', () => {
  it('are in the model', () => {
    const { model, issues } = collectModel(definitions())
    expect(issues).toEqual([])
    const t = (name: string) => model.tables.find((x) => x.name === name)!
    expect(t('scratch').unlogged).toBe(true)
    expect(t('rooms').unlogged).toBeUndefined()
    expect(t('rooms').primaryKey).toEqual({ name: 'rooms_pkey', columns: ['id'], with: { fillfactor: '70' }, comment: 'one row per room' })
    expect(t('rooms').uniques).toEqual([{ name: 'rooms_code_key', columns: ['code'], with: { fillfactor: '80' }, comment: 'codes are printed on doors' }])
    expect(t('rooms').checks).toEqual([{ name: 'rooms_code_check', expression: 'length(code) > 0', comment: 'no empty codes' }])
    expect(t('bookings').foreignKeys[0]).toMatchObject({ name: 'bookings_room_id_fkey', comment: 'the booked room' })
    expect(t('bookings').exclusions).toEqual([
      { name: 'bookings_code_excl', definition: 'EXCLUDE USING btree (code WITH =) DEFERRABLE INITIALLY DEFERRED' },
      { name: 'bookings_no_overlap', definition: 'EXCLUDE USING gist (during WITH &&)', comment: 'a room is booked once at a time' },
    ])
    expect(t('rooms').exclusions).toBeUndefined()
  })

  it('reports a bad operator, a foreign column, no elements and bad storage parameters at their line', () => {
    const other = d.table('other', { id: d.integer().primaryKey() })
    const t1 = d.table('t1', { id: d.integer().notNull(), r: d.customType('tsrange') }, (t) => [
      d.exclude('t1_bad_op').on(t.r, '&& ; DROP TABLE t1'),
      d.exclude('t1_foreign').on(other.id, '='),
      d.exclude('t1_empty'),
      d.primaryKey({ columns: [t.id], with: { 'fillfactor = 1); DROP TABLE t1; --': 70 } }),
      d.exclude('t1_method').using('gist; DROP TABLE x').on(t.r, '&&'),
    ])
    const { issues } = collectModel({ other, t1 })
    expect(issues.map((i) => i.code).sort()).toEqual(['invalid_exclusion', 'invalid_exclusion', 'invalid_sql', 'invalid_sql', 'unknown_column'])
    for (const i of issues) expect(i.file).toMatch(/dsl-table-constraints\.test\.ts:\d+/)
  })
})

describe('cairn pull', () => {
  it('takes EXCLUDE definitions apart, or refuses what exclude() cannot say', () => {
    expect(parseExclusion('EXCLUDE USING gist (room_id WITH =, "Du ""r"" ing" WITH &&) WHERE ((active AND (x > 0))) DEFERRABLE INITIALLY DEFERRED')).toEqual({
      method: 'gist',
      elements: [{ column: 'room_id', operator: '=' }, { column: 'Du "r" ing', operator: '&&' }],
      where: '(active AND (x > 0))',
      deferrable: 'deferred',
    })
    expect(parseExclusion('EXCLUDE USING btree (lower(name) WITH =, ((a + b)) WITH =)')).toEqual({
      method: 'btree', elements: [{ expression: 'lower(name)', operator: '=' }, { expression: '(a + b)', operator: '=' }],
    })
    expect(parseExclusion('EXCLUDE USING gist (room gist_int4_ops WITH =)')).toBeUndefined()
    expect(parseExclusion('EXCLUDE USING gist (room WITH =) INCLUDE (id)')).toBeUndefined()
    expect(parseExclusion('EXCLUDE USING gist (room WITH =) WITH (fillfactor=70)')).toBeUndefined()
  })

  it('writes unlogged tables and exclusions', () => {
    const { model } = collectModel(definitions())
    const text = pullModel(model).files.map((f) => f.text).join('\n')
    expect(text).toContain("exclude('bookings_no_overlap').on(t.during, '&&').comment('a room is booked once at a time')")
    expect(text).toContain("exclude('bookings_code_excl').using('btree').on(t.code, '=').deferrable('deferred')")
    expect(text).toMatch(/table\('scratch', \{[\s\S]*\}, \{ unlogged: true \}\)/)
    expect(text).toContain("primaryKey({ columns: [t.id], with: { fillfactor: 70 }, comment: 'one row per room' })")
    expect(text).toContain("unique().on(t.code).with({ fillfactor: 80 }).comment('codes are printed on doors')")
    expect(text).toContain("check('rooms_code_check', sql`length(code) > 0`, { comment: 'no empty codes' })")
    expect(text).toMatch(/foreignKey\(\{ columns: \[t\.room_id\], [^\n]*comment: 'the booked room' \}\)/)
  })
})

describe('what the history keeps once the DSL can say it', () => {
  const app = d.pgSchema('app')
  const made = (options: { ownsExclusions?: true; exclude?: boolean; unlogged?: true }) => {
    const t = app.table('t', { id: d.integer().primaryKey(), r: d.customType('tsrange') }, {
      extras: (c) => (options.exclude ? [d.exclude('t_r_excl').on(c.r, '&&')] : []),
      ...(options.ownsExclusions ? { ownsExclusions: true as const } : {}),
      ...(options.unlogged ? { unlogged: true as const } : {}),
    })
    return collectModel({ app, t }).model
  }
  const history = (() => {
    const m = made({})
    const t = m.tables[0]!
    return { ...m, tables: [{ ...t, unlogged: true as const, exclusions: [{ name: 't_hand_excl', definition: 'EXCLUDE USING gist (r WITH &&)' }], primaryKey: { ...t.primaryKey!, comment: 'by hand' } }] }
  })()

  it('keeps exclusions, persistence and comments where the definitions say nothing', () => {
    const declared = made({})
    const t = withUndeclaredFrom(history, declared, declared).tables[0]!
    expect(t.exclusions?.map((x) => x.name)).toEqual(['t_hand_excl'])
    expect(t.unlogged).toBe(true)
    expect(t.primaryKey?.comment).toBe('by hand')
  })

  it('lets a table that declares exclusions, even none, own them', () => {
    const withOne = made({ exclude: true })
    expect(withUndeclaredFrom(history, withOne, withOne).tables[0]!.exclusions?.map((x) => x.name)).toEqual(['t_r_excl'])
    const none = made({ ownsExclusions: true })
    expect(none.tables[0]!.exclusions).toEqual([])
    // the canonical desired model has no exclusions at all: only the declared model knows they are owned
    const { exclusions: _x, ...canonical } = none.tables[0]!
    expect(withUndeclaredFrom(history, { ...none, tables: [canonical] }, none).tables[0]!.exclusions).toBeUndefined()
    expect(withUndeclaredFrom(history, { ...none, tables: [canonical] }).tables[0]!.exclusions?.map((x) => x.name)).toEqual(['t_hand_excl'])
  })
})

describe('round trip on PGlite', () => {
  let db: Database
  beforeAll(async () => {
    db = await openScratchPglite()
  }, 120_000)
  afterAll(async () => {
    await db?.close()
  })

  it('inspects back the tables the definitions declare', async () => {
    const { model } = collectModel(definitions())
    await db.exec(renderModel(model).map((s) => `${s};`).join('\n'))
    const back = normalizeModel(await inspect(db))
    const want = normalizeModel(model)
    for (const name of ['rooms', 'bookings', 'scratch']) {
      const got = back.tables.find((x) => x.schema === 'app' && x.name === name)
      const { renamedFrom: _r, ...exp } = want.tables.find((x) => x.name === name)! as { renamedFrom?: string }
      // the check's expression comes back in Postgres' spelling
      expect(got && { ...got, checks: got.checks.map((c) => ({ ...c, expression: c.expression.replace(/^\((.*)\)$/, '$1') })) }).toEqual(exp)
    }
    const [{ persistence }] = await db.query<{ persistence: string }>(`SELECT relpersistence AS persistence FROM pg_class WHERE oid = 'app.scratch'::regclass`)
    expect(persistence).toBe('u')
  }, 60_000)

  it('canonicalises an exclusion with an expression and a WHERE', async () => {
    const app = d.pgSchema('app')
    const res = app.table('res', { id: d.integer().primaryKey(), name: d.text().notNull(), active: d.boolean().notNull() }, (t) => [
      d.exclude('res_name_excl').using('btree').on(d.sql`lower(name)`, '=').where(d.sql`active`),
    ])
    const canonical = await canonicalize(collectModel({ app, res }).model, db)
    expect(canonical.tables.find((x) => x.name === 'res')!.exclusions).toEqual([
      { name: 'res_name_excl', definition: 'EXCLUDE USING btree (lower(name) WITH =) WHERE (active)' },
    ])
  }, 60_000)
})

describe('generate', () => {
  const dir = path.resolve(__dirname, `../.generated/dsl-table-constraints-${process.pid}`)
  const SRC = path.resolve(__dirname, '../../src/dsl/index.js')
  const schema = (extras: string, options: string) => `import { pgSchema, integer, customType, exclude, unique } from ${JSON.stringify(SRC)}
export const app = pgSchema('app')
export const slots = app.table('slots', { id: integer().primaryKey(), during: customType('tsrange').notNull() }, {
  extras: (t) => [${extras}],${options}
})
`
  async function cli(...args: string[]) {
    const ctx = capturedContext(dir)
    const code = await run(['node', 'cairn', ...args], ctx)
    return { code, out: ctx.out, err: ctx.err }
  }
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(path.join(dir, 'schema'), { recursive: true })
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('creates what the table declares, then finds nothing to do', async () => {
    writeFileSync(path.join(dir, 'schema', 'index.ts'), schema(
      `exclude('slots_no_overlap').on(t.during, '&&').comment('one at a time'), unique('slots_during_key').on(t.during).with({ fillfactor: 60 }).comment('k')`,
      ' unlogged: true,'))
    const r = await cli('generate', 'init', '--json')
    expect(r.code, r.err + r.out).toBe(0)
    const up = readFileSync(path.join(dir, JSON.parse(r.out).migration.upPath), 'utf8')
    expect(up).toContain('CREATE UNLOGGED TABLE app.slots')
    expect(up).toContain('CONSTRAINT slots_no_overlap EXCLUDE USING gist (during WITH &&)')
    expect(up).toContain("COMMENT ON CONSTRAINT slots_no_overlap ON app.slots IS 'one at a time'")
    expect(up).toMatch(/slots_during_key UNIQUE \(during\) WITH \(fillfactor='?60'?\)/)
    const again = await cli('generate', 'again')
    expect(again.code, again.err).toBe(0)
    expect(again.out).toContain('no changes')
  }, 120_000)

  it('drops an exclusion the table no longer declares only when it owns its exclusions', async () => {
    const key = `unique('slots_during_key').on(t.during).with({ fillfactor: 60 }).comment('k')`
    writeFileSync(path.join(dir, 'schema', 'index.ts'), schema(key, ' unlogged: true,'))
    const kept = await cli('generate', 'kept', '--dry-run')
    expect(kept.code, kept.err).toBe(0)
    expect(kept.out).toContain('no changes')
    writeFileSync(path.join(dir, 'schema', 'index.ts'), schema(key, ' unlogged: true, ownsExclusions: true,'))
    const dropped = await cli('generate', 'dropped', '--dry-run', '--allow-destructive')
    expect(dropped.code, dropped.err).toBe(0)
    expect(dropped.out).toContain('DROP CONSTRAINT slots_no_overlap')
  }, 120_000)
})
