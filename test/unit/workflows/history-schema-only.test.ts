/**
 * Which histories generate may stand in for by their model when it checks a new migration: those
 * whose statements only define schema (cairn's own role-creating DO block included); any statement
 * that writes rows or runs code makes it replay the history instead.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeDirFsAt, readMigrationDir } from '../../../src/migrate/migration-dir.js'
import type { MigrationDir } from '../../../src/migrate/migration-dir.js'
import { createRole } from '../../../src/sqlgen/ddl.js'
import { ModelCache } from '../../../src/workflows/model-cache.js'
import { historyDefinesSchemaOnly } from '../../../src/workflows/shadow-db.js'

const REPO = path.resolve(__dirname, '../../..')
const off = new ModelCache('', false)
const history = (...ups: string[]): MigrationDir => ({
  dir: 'migrations',
  migrations: ups.map((up, i) => ({ name: `2026010100000${i}_m${i}`, up, checksum: '', upPath: `m${i}/up.sql` })),
})

describe('historyDefinesSchemaOnly', () => {
  it.each(['.', 'examples/canonical-platform', 'examples/marketplace', 'examples/prosync'])('%s: the checked-in history defines schema only', async (p) => {
    const h = await readMigrationDir(nodeDirFsAt(path.join(REPO, p)), 'migrations')
    expect(h.migrations.length).toBeGreaterThan(0)
    expect(await historyDefinesSchemaOnly(h, off)).toBe(true)
  })

  it("accepts cairn's role block, functions whose bodies write rows, views and materialized views", async () => {
    const role = createRole({ name: "o'hara", login: false, inherit: true, bypassRls: false, memberOf: [] } as never)
    const fn = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (1); RETURN NEW; END $$`
    expect(await historyDefinesSchemaOnly(history(`CREATE TABLE t (a int);\n${fn};\nCREATE VIEW v AS SELECT a FROM t;\nCREATE MATERIALIZED VIEW m AS SELECT a FROM t;`, `${role};`), off)).toBe(true)
  })

  it.each([
    ['INSERT', 'INSERT INTO t VALUES (1)'],
    ['UPDATE', 'UPDATE t SET a = 2'],
    ['COPY', 'COPY t FROM STDIN'],
    ['SELECT (setval)', "SELECT setval('s', 10)"],
    ['another DO block', 'DO $$ BEGIN INSERT INTO t VALUES (1); END $$'],
    ['CREATE TABLE AS', 'CREATE TABLE u AS SELECT 1 AS a'],
  ])('refuses a history with %s', async (_, stmt) => {
    expect(await historyDefinesSchemaOnly(history('CREATE TABLE t (a int);', `${stmt};`), off)).toBe(false)
  })
})
