/**
 * End to end: migrations rendered from hostile names and values, applied by the real runner, do
 * what they say and nothing else; also when the database reads strings with
 * standard_conforming_strings off (the migration preamble turns it on).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openPostgres } from '../../src/db/postgres.js'
import { diff } from '../../src/diff/diff.js'
import { migrateUp, writeMigration } from '../../src/migrate/index.js'
import { splitSql } from '../../src/migrate/split-sql.js'
import type { Model } from '../../src/model/types.js'
import { plan } from '../../src/plan/plan.js'
import { renderMigration } from '../../src/plan/render-migration.js'
import { renderModel } from '../../src/plan/render-model.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { memoryFs } from '../unit/migrate/fixtures.js'
import { col, model, table } from '../unit/plan/build.js'

const EVIL = 'cr\rDROP TABLE public.pwn;\r--'
const pwn = table('public', 'pwn', [col('id', 'integer')])
const quoteText = (s: string) => `'${s.replaceAll("'", "''")}'`

/** Renders the migration from `before` to `after`, writes it into an in-memory folder and runs it. */
async function migrate(db: Database, before: Model, after: Model): Promise<string> {
  const m = renderMigration(plan(diff(before, after).changes), { name: `hostile\rDROP TABLE public.pwn;\r` })
  const fs = memoryFs()
  await writeMigration({ fs, dir: 'migrations', name: 'hostile', up: m.up, down: m.down, now: new Date(Date.UTC(2024, 0, 1)) })
  await migrateUp(db, { dir: 'migrations', fs })
  return m.up
}

const value = "a\\'; DROP TABLE public.pwn; --"
const scsBefore = model({ tables: [pwn, table('public', 't', [col('id', 'integer')])] })
// the default as pg_get_expr() prints it under the standard setting: the backslash is a plain character
const scsAfter = model({ tables: [pwn, table('public', 't', [col('id', 'integer'), col('s', 'text', { default: `${quoteText(value)}::text` })])] })

async function expectDefaultKept(db: Database): Promise<void> {
  expect((await db.query(`select 1 from pg_class where oid = 'public.pwn'::regclass`)).length).toBe(1)
  await db.exec(`INSERT INTO public.t (id) VALUES (1)`)
  const [row] = await db.query<{ s: string }>(`select s from public.t`)
  expect(row.s).toBe(value)
}

describe.each(testEngines())('hostile names and values on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('a table named with carriage returns is created, and the table its name mentions is not dropped', async () => {
    await t.db.exec('DROP SCHEMA IF EXISTS cairn CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public')
    const before = model({ tables: [pwn] })
    for (const s of renderModel(before)) await t.db.exec(s)
    const after = model({
      tables: [pwn, table('public', EVIL, [col(`c\r;DROP TABLE public.pwn;--`, 'text', { comment: "x\r'; DROP TABLE public.pwn; --\\" })], { comment: '\u2028\r\n-- \\' })],
      enums: [{ kind: 'enum', schema: 'public', name: `e\r;DROP TABLE public.pwn;--`, values: ['a\r;DROP TABLE public.pwn;--', "b\\'"] }],
    })
    await migrate(t.db, before, after)
    const rows = await t.db.query<{ n: string }>(`select relname as n from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`)
    expect(rows.map((r) => r.n).sort()).toEqual([EVIL, 'pwn'].sort())
    const [c] = await t.db.query<{ c: string }>(`select col_description($1::regclass, 1) as c`, [`public."${EVIL.replaceAll('"', '""')}"`])
    expect(c.c).toBe("x\r'; DROP TABLE public.pwn; --\\")
  })

  it('with standard_conforming_strings off, the preamble keeps a default with a backslash before a quote one string (the file run statement by statement, as psql -f does)', async () => {
    await t.db.exec('DROP SCHEMA IF EXISTS cairn CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public')
    for (const s of renderModel(scsBefore)) await t.db.exec(s)
    const up = renderMigration(plan(diff(scsBefore, scsAfter).changes), { name: 'x' }).up
    await t.db.session(async (session) => {
      await session.exec('SET standard_conforming_strings = off')
      for (const s of await splitSql(up)) await session.exec(s.text)
      await session.exec('SET standard_conforming_strings = on')
    })
    await expectDefaultKept(t.db)
  })
})

// PGlite does not apply per-database settings; a server does, to every new session and after RESET ALL
describe.each(testEngines().filter((e) => e.name === 'postgres'))('standard_conforming_strings off by default on $name', (engine) => {
  it('the runner applies the migration as written', async () => {
    const t = await engine.open()
    const [{ name }] = await t.db.query<{ name: string }>('select current_database() as name')
    await t.db.exec(`ALTER DATABASE ${name} SET standard_conforming_strings = off`)
    const db = await openPostgres(t.url)
    try {
      const [{ v }] = await db.query<{ v: string }>(`select current_setting('standard_conforming_strings') as v`)
      expect(v).toBe('off')
      for (const s of renderModel(scsBefore)) await db.exec(s)
      await migrate(db, scsBefore, scsAfter)
      await db.exec('SET standard_conforming_strings = on')
      await expectDefaultKept(db)
    } finally {
      await db.close()
      await t.dispose()
    }
  })
})
