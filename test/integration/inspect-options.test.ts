import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { inspect } from '../../src/inspect/inspect.js'
import { resetScratchDatabase } from '../../src/inspect/canonicalize.js'
import { renderModel } from '../../src/plan/render-model.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'

const SETUP = `
CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE SCHEMA cairn;
CREATE TABLE cairn.history (name text PRIMARY KEY);
CREATE TABLE app.a (id integer PRIMARY KEY);
CREATE TABLE audit.b (id integer PRIMARY KEY, a_id integer REFERENCES app.a (id));
CREATE TABLE public.c (id integer);
CREATE TEMP TABLE IF NOT EXISTS scratch_temp (x integer);
`

describe.each(testEngines())('inspect options and scope on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetScratchDatabase(t.db)
  })

  it('skips cairn, system and temp schemas, and never lists public', async () => {
    await t.db.exec(SETUP)
    const m = await inspect(t.db)
    expect(m.schemas.map((s) => s.name)).toEqual(['app', 'audit'])
    expect(m.tables.map((x) => `${x.schema}.${x.name}`)).toEqual(['app.a', 'audit.b', 'public.c'])
  })

  it('reads only the listed schemas, or all but the excluded ones', async () => {
    await t.db.exec(SETUP)
    const only = await inspect(t.db, { schemas: ['audit'] })
    expect(only.schemas.map((s) => s.name)).toEqual(['audit'])
    expect(only.tables.map((x) => x.name)).toEqual(['b'])
    // a foreign key into a schema left out still names its target
    expect(only.tables[0].foreignKeys[0]).toMatchObject({ refSchema: 'app', refTable: 'a', refColumns: ['id'] })
    const without = await inspect(t.db, { excludeSchemas: ['public', 'audit'] })
    expect(without.tables.map((x) => `${x.schema}.${x.name}`)).toEqual(['app.a'])
    const none = await inspect(t.db, { schemas: ['nope'] })
    expect(none.tables).toEqual([])
  })

  it('runs inside a caller transaction, sees its uncommitted DDL and restores search_path', async () => {
    await t.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL search_path = app, public')
      await tx.exec('CREATE SCHEMA app; CREATE TABLE app.pending (id integer)')
      const m = await inspect(tx)
      expect(m.tables.map((x) => `${x.schema}.${x.name}`)).toEqual(['app.pending'])
      const [{ p }] = await tx.query<{ p: string }>(`SELECT current_setting('search_path') AS p`)
      expect(p).toBe('app, public')
    })
  })

  it('keeps user types qualified whatever the caller search_path', async () => {
    await t.db.exec(`CREATE SCHEMA app; CREATE TYPE app.kind AS ENUM ('x'); CREATE TABLE app.k (k app.kind DEFAULT 'x')`)
    await t.db.exec('SET search_path = app, public')
    try {
      const m = await inspect(t.db)
      expect(m.tables[0].columns[0]).toStrictEqual({ name: 'k', type: 'app.kind', notNull: false, default: "'x'::app.kind" })
    } finally {
      await t.db.exec('SET search_path = "$user", public')
    }
  })

  it('reports NOT VALID constraints as NOT VALID, keys\' INCLUDE columns, and skips partition clones', async () => {
    await t.db.exec(`
      CREATE TABLE public.p (id integer NOT NULL, v integer) PARTITION BY LIST (id);
      CREATE TABLE public.p1 PARTITION OF public.p FOR VALUES IN (1);
      CREATE TABLE public.r (id integer PRIMARY KEY, up integer);
      ALTER TABLE public.p ADD CONSTRAINT p_r_fkey FOREIGN KEY (id) REFERENCES public.r (id);
      ALTER TABLE public.r ADD CONSTRAINT r_up_fkey FOREIGN KEY (up) REFERENCES public.r (id) NOT VALID;
      ALTER TABLE public.p ADD CONSTRAINT p_v_check CHECK (v > 0) NOT VALID;
      CREATE INDEX p_v_idx ON public.p (v);
      CREATE TABLE public.k (a integer NOT NULL, b integer, c text, CONSTRAINT k_pkey PRIMARY KEY (a) INCLUDE (c, b), CONSTRAINT k_b_key UNIQUE (b) INCLUDE (a));`)
    const m = await inspect(t.db)
    const p = m.tables.find((x) => x.name === 'p')!
    const p1 = m.tables.find((x) => x.name === 'p1')!
    expect(p.checks).toStrictEqual([{ name: 'p_v_check', expression: '(v > 0)', notValid: true }])
    expect(p.foreignKeys.map((f) => f.name)).toEqual(['p_r_fkey'])
    expect(p.indexes.map((i) => i.name)).toEqual(['p_v_idx'])
    expect(p1.checks).toEqual([])
    expect(p1.foreignKeys).toEqual([])
    expect(p1.indexes).toEqual([])
    const r = m.tables.find((x) => x.name === 'r')!
    expect(r.foreignKeys).toStrictEqual([
      { name: 'r_up_fkey', columns: ['up'], refSchema: 'public', refTable: 'r', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action', notValid: true },
    ])
    // a validated constraint carries no notValid; INCLUDE columns keep their order
    expect(p.foreignKeys[0]).not.toHaveProperty('notValid')
    const k = m.tables.find((x) => x.name === 'k')!
    expect(k.primaryKey).toStrictEqual({ name: 'k_pkey', columns: ['a'], include: ['c', 'b'] })
    expect(k.uniques).toStrictEqual([{ name: 'k_b_key', columns: ['b'], include: ['a'] }])
    expect(m.unmodelled ?? []).toEqual([])
  })
})

describe.each(testEngines().filter((e) => e.name === 'postgres'))('extensions on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('lists extensions but not their objects, and qualifies their opclasses', async () => {
    await t.db.exec(`
      CREATE EXTENSION pg_trgm WITH SCHEMA public;
      CREATE EXTENSION citext WITH SCHEMA public;
      CREATE TABLE public.people (name public.citext, bio text);
      CREATE INDEX people_bio_trgm ON public.people USING gin (bio public.gin_trgm_ops);`)
    const m = await inspect(t.db)
    expect(m.extensions).toStrictEqual([
      { kind: 'extension', name: 'citext', schema: 'public' },
      { kind: 'extension', name: 'pg_trgm', schema: 'public' },
    ])
    expect(m.functions).toEqual([])
    expect(m.tables[0].columns[0].type).toBe('public.citext')
    expect(m.tables[0].indexes[0].keys).toStrictEqual([{ column: 'bio', opclass: 'public.gin_trgm_ops' }])
    // and the inspected model applies back to the same model
    await resetScratchDatabase(t.db)
    for (const s of renderModel(m)) await t.db.exec(s)
    expect(await inspect(t.db)).toStrictEqual(m)
  })
})
