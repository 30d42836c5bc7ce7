/**
 * A `pglite:<dir>` database: a new folder starts from the initialised template (no initdb), keeps
 * what was written when opened again, and an existing cluster is opened as it is, never overwritten.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { connect } from '../../../src/db/connect.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'cairn-pglite-dir-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('connect pglite:<dir>', () => {
  it('creates a new cluster from the template and opens it again with its data', async () => {
    const dir = path.join(root, 'dev')
    const t0 = performance.now()
    const db = await connect('pglite:dev', { cwd: root, extensions: [] })
    const firstOpen = performance.now() - t0
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true)
    await db.exec(`CREATE TABLE kept (id int PRIMARY KEY); INSERT INTO kept VALUES (7);`)
    await db.close()
    const again = await connect('pglite:dev', { cwd: root, extensions: [] })
    expect(await again.query(`SELECT id FROM kept`)).toEqual([{ id: 7 }])
    expect(await again.query(`SELECT datname FROM pg_database WHERE datname = current_database()`)).toEqual([{ datname: 'postgres' }])
    await again.close()
    console.log(`new pglite:<dir> opened in ${Math.round(firstOpen)} ms`)
  }, 60_000)
})
