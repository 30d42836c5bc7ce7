/**
 * Roles are cluster-wide: two databases of one server that run the same migration at the same
 * moment both try to create its roles. The guarded CREATE ROLE must let both succeed.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createRole } from '../../src/sqlgen/ddl.js'
import { postgresEngine, type TestDatabase } from '../helpers/engines.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const url = process.env.DATABASE_URL

describe.skipIf(!url)(orSkipped('CREATE ROLE from two databases at once', !url, NEEDS_DATABASE_URL), () => {
  const opened: TestDatabase[] = []
  const roles: string[] = []

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    for (const r of roles) await admin.query(`DROP ROLE IF EXISTS ${r}`)
    await admin.end()
    for (const t of opened) await t.dispose()
  })

  it('both succeed and the role exists once, every time', async () => {
    const engine = postgresEngine(url!)
    const a = await engine.open()
    const b = await engine.open()
    opened.push(a, b)
    for (let i = 0; i < 25; i++) {
      const name = `cairn_race_${randomBytes(4).toString('hex')}`
      roles.push(name)
      const sql = createRole({ kind: 'role', name, login: false, inherit: true, bypassRls: false, memberOf: [] })
      const results = await Promise.allSettled([a.db.query(sql), b.db.query(sql)])
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok'])
      const rows = await a.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [name])
      expect(rows[0]?.n).toBe(1)
    }
  })
})
