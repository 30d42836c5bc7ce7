/**
 * The scope generate checks a new migration on, on a large model: the tables the migration touches
 * or names, what references them, what they need, and every table a view or routine names; and the
 * check itself: a scope that misses something is not a verdict, the whole model decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openScratchPglite } from '../../src/db/scratch.js'
import { inspect } from '../../src/inspect/inspect.js'
import type { Model, TableDef } from '../../src/model/types.js'
import { checkScope } from '../../src/workflows/check-scope.js'
import { checkNewMigration } from '../../src/workflows/shadow-db.js'
import { ModelCache } from '../../src/workflows/model-cache.js'
import { diff } from '../../src/diff/diff.js'
import type { DirFs, MigrationDir } from '../../src/migrate/migration-dir.js'

let db: Database
let base: Model

const SQL = `
CREATE TABLE public.t0 (id uuid PRIMARY KEY, name text);
CREATE TABLE public.t1 (id uuid PRIMARY KEY, parent uuid REFERENCES public.t0 (id));
CREATE TABLE public.t2 (id uuid PRIMARY KEY, parent uuid REFERENCES public.t1 (id));
${Array.from({ length: 60 }, (_, i) => `CREATE TABLE public.plain${i} (id bigint PRIMARY KEY, body text);`).join('\n')}
CREATE TABLE public.read_by_view (id int PRIMARY KEY, v text);
CREATE VIEW public.v AS SELECT id, v FROM public.read_by_view;
CREATE TYPE public.mood AS ENUM ('ok', 'sad');
CREATE TABLE public.uses_mood (id int PRIMARY KEY, m public.mood);
CREATE TABLE public.events (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE public.counted (id serial PRIMARY KEY);
CREATE ROLE scope_reader;
GRANT SELECT ON public.counted TO scope_reader;
GRANT USAGE ON SEQUENCE public.counted_id_seq TO scope_reader;
`

const names = (tables: readonly TableDef[]) => tables.map((t) => t.name).sort()
const withTable = (m: Model, name: string, f: (t: TableDef) => TableDef): Model => ({ ...m, tables: m.tables.map((t) => (t.name === name ? f(t) : t)) })
const addColumn = (t: TableDef): TableDef => ({ ...t, columns: [...t.columns, { name: 'extra', type: 'text', notNull: false }] })

beforeAll(async () => {
  db = await openScratchPglite()
  await db.exec(`DROP ROLE IF EXISTS scope_reader;`)
  await db.exec(SQL)
  base = await inspect(db)
}, 60_000)
afterAll(async () => {
  await db.exec(`DROP OWNED BY scope_reader; DROP ROLE IF EXISTS scope_reader;`).catch(() => undefined)
  await db.close()
})

describe('checkScope', () => {
  it('keeps the touched table, the tables that reference it, what they need, and what views name', () => {
    const desired = withTable(base, 't1', addColumn)
    const s = checkScope(base, desired, ['ALTER TABLE public.t1 ADD COLUMN extra text'])!
    expect(s.of).toBe(base.tables.length)
    // t1 changed; t2 references it; t0 is what t1 needs; read_by_view is named by a view
    expect(names(s.base.tables)).toEqual(['read_by_view', 't0', 't1', 't2'])
    expect(names(s.restrict(desired).tables)).toEqual(['read_by_view', 't0', 't1', 't2'])
    expect(s.base.views.map((v) => v.name)).toEqual(['v'])
  })

  it('keeps a partition tree whole, the tables of a type the migration names, and drops the grants and owned sequence of tables left out', () => {
    const desired = withTable(base, 'events_2026', addColumn)
    const s = checkScope(base, desired, ['ALTER TYPE public.mood ADD VALUE \'glad\''])!
    expect(names(s.base.tables)).toEqual(['events', 'events_2025', 'events_2026', 'read_by_view', 'uses_mood'])
    expect(s.base.sequences.map((x) => x.name)).not.toContain('counted_id_seq')
    expect(s.base.grants.filter((g) => g.role === 'scope_reader')).toEqual([])
    expect(base.grants.filter((g) => g.role === 'scope_reader').length).toBeGreaterThan(0)
  })

  it('keeps a table the statements name even when its definition is unchanged', () => {
    const s = checkScope(base, base, ['COMMENT ON TABLE public.plain7 IS NULL'])!
    expect(names(s.base.tables)).toContain('plain7')
    expect(names(s.base.tables)).not.toContain('plain8')
  })

  it('is not taken on a small model', () => {
    expect(checkScope(base, withTable(base, 't1', addColumn), ['ALTER TABLE public.t1 ADD COLUMN extra text'], 1000)).toBeUndefined()
  })
})

describe('checkNewMigration with a scope', () => {
  // an empty history: the check runs on the given model, never on a replay
  const emptyDir: MigrationDir = { dir: 'migrations', migrations: [] }
  const fs = {} as DirFs
  const run = async (scope: ReturnType<typeof checkScope>, desired: Model, up: string) =>
    checkNewMigration({
      fs,
      dirRel: 'migrations',
      history: emptyDir,
      cache: new ModelCache('', false),
      migration: { name: 'm', up, down: '', now: new Date('2026-01-01T00:00:00Z') },
      open: () => openScratchPglite(),
      base,
      ...(scope ? { scope } : {}),
      differences: (after, restrict) => {
        const d = diff(after, restrict(desired), { resolveRenames: () => 'no' })
        return d.status === 'needs_input' ? ['needs input'] : d.changes.map((c) => c.kind)
      },
    })

  it('checks on the scope when it is enough', async () => {
    const desired = withTable(base, 't1', addColumn)
    const up = 'ALTER TABLE public.t1 ADD COLUMN extra text;'
    expect(await run(checkScope(base, desired, [up]), desired, up)).toBe('scope')
  }, 60_000)

  it('falls back to the whole model when the scope misses what the migration needs', async () => {
    const desired = withTable(base, 'plain3', addColumn)
    const up = 'ALTER TABLE public.plain3 ADD COLUMN extra text;'
    // a scope computed for another change: plain3 is left out of it, so the statement fails there
    const narrow = checkScope(base, withTable(base, 't1', addColumn), ['ALTER TABLE public.t1 ADD COLUMN extra text'])!
    expect(names(narrow.base.tables)).not.toContain('plain3')
    expect(await run(narrow, desired, up)).toBe('model')
  }, 60_000)
})
