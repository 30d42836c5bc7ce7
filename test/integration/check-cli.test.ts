/**
 * `cairn check` through the CLI (in-process `run`) on both engines: the pending migration of a
 * project (the first one applied) holds one statement of each kind that validates existing rows;
 * each is counted on the live rows with the failing keys shown, a statement on a table the
 * migration creates is skipped, one after an UPDATE of its table is only "may fail". Text, --json
 * and --format github; exit 1 when a statement would fail, 0 when none does, 2 on bad input; on
 * the server also a database that only allows read-only transactions (a replica) and a check
 * that runs past --timeout (exit 3).
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import type { CheckReport } from '../../src/check/index.js'
import { capturedContext } from '../helpers/cli-context.js'
import { testEngines } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'
import { orSkipped } from '../helpers/skip.js'

async function cairn(cwd: string, ...args: string[]) {
  const ctx = capturedContext(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

const SETUP = `CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, email text, tier text, code text, note varchar(50));
CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id int, amount numeric, span int4range);
INSERT INTO shop.customers SELECT g,
  CASE WHEN g IN (7, 8) THEN NULL WHEN g = 11 THEN 'C10@x.test' ELSE 'c' || g || '@x.test' END,
  CASE WHEN g = 20 THEN NULL ELSE 'pro' END,
  CASE WHEN g = 5 THEN 'x5' ELSE g::text END,
  CASE WHEN g = 3 THEN 'a long note' ELSE 'n' END
  FROM generate_series(1, 100) g;
INSERT INTO shop.orders SELECT g,
  CASE WHEN g = 50 THEN 999 WHEN g = 51 THEN NULL ELSE g % 100 + 1 END,
  CASE WHEN g = 60 THEN -1 WHEN g = 61 THEN NULL ELSE g END,
  CASE WHEN g = 71 THEN int4range(703, 708) ELSE int4range(g * 10, g * 10 + 5) END
  FROM generate_series(1, 200) g;
`

const CHANGE = `ALTER TABLE shop.customers ALTER COLUMN email SET NOT NULL;
ALTER TABLE shop.orders ADD CONSTRAINT orders_amount_check CHECK (amount > 0) NOT VALID;
ALTER TABLE shop.orders VALIDATE CONSTRAINT orders_amount_check;
ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers (id);
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON shop.customers (lower(email));
ALTER TABLE shop.customers ALTER COLUMN code TYPE integer USING code::integer;
ALTER TABLE shop.customers ALTER COLUMN note TYPE varchar(10);
ALTER TABLE shop.orders ADD CONSTRAINT orders_span_excl EXCLUDE USING gist (span WITH &&);
CREATE TABLE shop.invoices (id int PRIMARY KEY, order_id bigint);
ALTER TABLE shop.invoices ADD CONSTRAINT invoices_order_fkey FOREIGN KEY (order_id) REFERENCES shop.orders (id);
UPDATE shop.customers SET tier = 'free' WHERE tier IS NULL;
ALTER TABLE shop.customers ALTER COLUMN tier SET NOT NULL;
ALTER TABLE shop.customers ADD CONSTRAINT customers_id_check CHECK (id > 0);
`

describe.each(testEngines())('cairn check on $name', (engine) => {
  let tmp: ReturnType<typeof tempDir>
  let names: string[]
  let t: TestDatabase | undefined
  let url: string
  let up: string

  beforeAll(async () => {
    tmp = tempDir('cairn-check-')
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'setup', up: SETUP },
      { name: 'constraints', up: CHANGE },
    ])
    up = `migrations/${names[1]}/up.sql`
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp.dir, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
    const m = await cairn(tmp.dir, 'migrate', 'up', '--to', names[0], '--url', url)
    expect(m.code, m.err + m.out).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await t?.dispose()
    tmp?.cleanup()
  })

  it('counts the rows each pending statement would reject, with their keys (--json)', async () => {
    const r = await cairn(tmp.dir, 'check', '--url', url, '--json')
    expect(r.code, r.err).toBe(1)
    const report = JSON.parse(r.out) as CheckReport
    expect(report.source).toEqual({ kind: 'migrations', dir: 'migrations', pending: [names[1]], sumOk: true })
    const at = (line: number) => report.results.filter((x) => x.line === line)
    const one = (line: number) => {
      const xs = at(line)
      expect(xs, `line ${line}`).toHaveLength(1)
      return xs[0]
    }
    expect(report.results.every((x) => x.file === up)).toBe(true)
    // SET NOT NULL: the two NULL emails
    expect(one(1)).toMatchObject({ kind: 'not_null', status: 'fails', failing: 2, resolved: 'shop.customers', keyColumns: ['id'], sample: [{ key: ['7'] }, { key: ['8'] }] })
    // the NOT VALID check is counted where it is validated; a NULL amount passes a CHECK
    expect(at(2)).toEqual([])
    expect(one(3)).toMatchObject({ kind: 'check', constraint: 'orders_amount_check', status: 'fails', failing: 1, sample: [{ key: ['60'] }] })
    // a foreign key: order 50 points at no customer; order 51's NULL is not checked
    expect(one(4)).toMatchObject({ kind: 'foreign_key', status: 'fails', failing: 1, valueColumns: ['customer_id'], sample: [{ key: ['50'], values: ['999'] }] })
    // a unique expression index: c10@x.test twice (ids 10 and 11); the NULL emails are distinct
    expect(one(6)).toMatchObject({ kind: 'unique', status: 'fails', failing: 2, groups: 1, valueColumns: ['lower(email)'], sample: [{ values: ['c10@x.test'], count: 2, keys: [['10'], ['11']] }] })
    // type changes: a value that does not convert (found row by row), a value too long for varchar(10)
    expect(one(7)).toMatchObject({ kind: 'type_change', status: 'fails', failing: 1, method: 'bisect', sample: [{ key: ['5'], values: ['x5'] }] })
    expect(one(7).reason).toContain('invalid input syntax for type integer')
    expect(one(8)).toMatchObject({ kind: 'type_change', status: 'fails', failing: 1, sample: [{ key: ['3'], values: ['a long note'] }] })
    expect(one(8).method).toBe(engine.name === 'pglite' ? 'pg_input_is_valid' : 'cast')
    // an exclusion constraint: orders 70 and 71 overlap
    expect(one(9)).toMatchObject({ kind: 'exclusion', status: 'fails', failing: 2, sample: [{ key: ['70'] }, { key: ['71'] }] })
    // a table the migration creates has no rows
    expect(one(11)).toMatchObject({ kind: 'foreign_key', status: 'skipped' })
    // the UPDATE before it may fix what is counted
    expect(one(13)).toMatchObject({ kind: 'not_null', status: 'may_fail', failing: 1, changedBefore: { file: up, line: 12 } })
    expect(one(14)).toMatchObject({ kind: 'check', status: 'passes', failing: 0 })
    expect(report.counts).toMatchObject({ fails: 7, may_fail: 1, passes: 1, skipped: 1, not_checked: 0, timeout: 0, error: 0 })
    expect(report.ok).toBe(false)
    // nothing was changed: the migration is still pending and the data as it was
    const again = JSON.parse((await cairn(tmp.dir, 'check', '--url', url, '--json')).out) as CheckReport
    expect(again.counts).toEqual(report.counts)
  })

  it('prints each statement with file:line, the count and the keys; exit 1', async () => {
    const r = await cairn(tmp.dir, 'check', '--url', url, '--sample', '1')
    expect(r.code).toBe(1)
    expect(r.out).toContain(`✗ ${up}:1  shop.customers  ALTER COLUMN email SET NOT NULL\n    2 rows fail (scan`)
    expect(r.out).toContain('      (id)=(7)\n\n')
    expect(r.out).toContain(`✗ ${up}:4  shop.orders  CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES shop.customers (id)\n    1 row fails (anti-join`)
    expect(r.out).toContain('      (id)=(50) customer_id=999')
    expect(r.out).toContain('    2 rows share 1 duplicated key (group by')
    expect(r.out).toContain('      (lower(email))=(c10@x.test) ×2: (id)=(10), (id)=(11)')
    expect(r.out).toContain(`! ${up}:13  shop.customers  ALTER COLUMN tier SET NOT NULL`)
    expect(r.out).toContain(`counted on the rows as they are now: ${up}:12 (UPDATE shop.customers) changes them first`)
    expect(r.out).toContain(`- 1 statement on tables these migrations create (no rows): ${up}:11`)
    expect(r.out.trim().split('\n').at(-1)).toMatch(/^7 would fail, 1 may fail, 1 pass, 1 skipped \(/)
    expect(r.err).toContain('database: ')
  })

  it('--format github: one error per failing statement on its file and line, a summary', async () => {
    const r = await cairn(tmp.dir, 'check', '--url', url, '--format', 'github')
    expect(r.code).toBe(1)
    const lines = r.out.trim().split('\n')
    expect(lines.filter((l) => l.startsWith('::error file='))).toHaveLength(7)
    expect(lines).toContain(`::error file=${up},line=1,title=cairn check%3A not null::ALTER COLUMN email SET NOT NULL on shop.customers: 2 rows fail%0Asample (id):%0A(id)=(7)%0A(id)=(8)`)
    expect(lines.filter((l) => l.startsWith(`::warning file=${up},line=13,`))).toHaveLength(1)
    expect(lines.at(-1)).toMatch(/^::error title=cairn check::7 would fail, 1 may fail, 1 pass, 1 skipped/)
  })

  it('--sql checks a file of statements; nothing fails: exit 0; bad input: exit 2', async () => {
    const file = path.join(tmp.dir, 'ok.sql')
    writeFileSync(file, `ALTER TABLE shop.customers ADD CHECK (id BETWEEN 1 AND 100);\nALTER TABLE shop.orders ALTER COLUMN customer_id TYPE bigint;\nALTER TABLE shop.orders ALTER COLUMN id SET NOT NULL;\n`)
    const r = await cairn(tmp.dir, 'check', '--url', url, '--sql', 'ok.sql', '--json')
    expect(r.code, r.out).toBe(0)
    const report = JSON.parse(r.out) as CheckReport
    expect(report.source).toEqual({ kind: 'sql', files: ['ok.sql'] })
    expect(report.results.map((x) => [x.line, x.status])).toEqual([[1, 'passes'], [2, 'passes'], [3, 'passes']])
    expect((await cairn(tmp.dir, 'check', '--url', url, '--sql', 'missing.sql')).code).toBe(2)
    expect((await cairn(tmp.dir, 'check', '--url', url, '--sample', '-1')).code).toBe(2)
    expect((await cairn(tmp.dir, 'check', '--url', url, '--timeout', 'soon')).code).toBe(2)
    expect((await cairn(tmp.dir, 'check', '--url', url, '--dir', 'nope')).code).toBe(2)
  })

  it.runIf(engine.name === 'postgres')(orSkipped('runs where only read-only transactions are allowed (a replica), and stops a check at --timeout (exit 3)', engine.name !== 'postgres', 'runs on the PostgreSQL server engine only (set DATABASE_URL)'), async () => {
    const dbName = new URL(url).pathname.slice(1)
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await admin.connect()
    try {
      await admin.query(`ALTER DATABASE ${dbName} SET default_transaction_read_only = on`)
      const r = await cairn(tmp.dir, 'check', '--url', url, '--json')
      expect(r.code, r.out).toBe(1)
      expect((JSON.parse(r.out) as CheckReport).counts).toMatchObject({ fails: 7, error: 0, not_checked: 0 })
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} RESET default_transaction_read_only`)
      await admin.end()
    }
    writeFileSync(path.join(tmp.dir, 'slow.sql'), `ALTER TABLE shop.orders ADD CHECK (pg_sleep(0.05) IS NOT NULL);\n`)
    const slow = await cairn(tmp.dir, 'check', '--url', url, '--sql', 'slow.sql', '--timeout', '300ms', '--json')
    expect(slow.code).toBe(3)
    const report = JSON.parse(slow.out) as CheckReport
    expect(report.results[0]).toMatchObject({ status: 'timeout' })
    expect(report.results[0].reason).toContain('statement timeout')
  })
})
