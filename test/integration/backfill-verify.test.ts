import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { runBackfill } from '../../src/data/run-job.js'
import { verifyJob } from '../../src/data/verify.js'
import { memorySource } from '../../src/data/source.js'
import { deterministicUuid } from '../../src/data/convert.js'
import { messagesJob, oidOf, resetDatabase, userDocs, usersJob } from '../unit/data/fixtures.js'

describe.each(testEngines())('backfill verify on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetDatabase(t.db)
  })

  const users = userDocs(12)
  const msgs = Array.from({ length: 9 }, (_, i) => ({ _id: oidOf(100 + i), user: oidOf(1 + i), text: `m${i}`, files: i % 2 ? ['a', 'b'] : [] }))
  const withBad = [...users, { _id: oidOf(40), email: 'no' }]

  it('passes on a clean load, counting rejects on the source side', async () => {
    const source = memorySource({ users: withBad, messages: msgs })
    await runBackfill(t.db, source, [usersJob, messagesJob])
    const r = await verifyJob(t.db, source, usersJob)
    expect(r.ok).toBe(true)
    expect(r.counts).toEqual({ ok: true, source: 13, read: 13, loaded: 12, rejected: 1 })
    expect(r.content).toMatchObject({ ok: true, sampled: false, docs: 12, unaccounted: 0, differences: [] })
    expect(r.content.tables).toEqual([{ table: 'app.users', expected: 12, matched: 12, missing: 0, extra: 0, different: 0 }])
    const m = await verifyJob(t.db, source, messagesJob)
    expect(m.ok).toBe(true)
    expect(m.content.tables.map((x) => [x.table, x.matched])).toEqual([['app.messages', 9], ['app.message_files', 8]])
  })

  it('finds a row changed by hand, a deleted row and an extra row', async () => {
    const source = memorySource({ users: withBad, messages: msgs })
    await runBackfill(t.db, source, [usersJob, messagesJob])
    const changed = deterministicUuid('users', oidOf(3))
    const deleted = deterministicUuid('users', oidOf(12))
    await t.db.query(`UPDATE app.users SET name = 'Someone Else', preferences = '{"theme":"light"}' WHERE id = $1`, [changed])
    await t.db.query(`DELETE FROM app.users WHERE id = $1`, [deleted])
    await t.db.exec(`INSERT INTO app.users (id, tenant_id, email) VALUES ('00000000-0000-4000-8000-0000000000ff', '00000000-0000-4000-8000-000000000001', 'extra@example.com')`)
    const r = await verifyJob(t.db, source, usersJob)
    expect(r.ok).toBe(false)
    expect(r.counts.ok).toBe(true)
    expect(r.content.tables[0]).toEqual({ table: 'app.users', expected: 12, matched: 10, missing: 1, extra: 1, different: 1 })
    const byKind = Object.fromEntries(r.content.differences.map((d) => [d.kind, d]))
    expect(byKind.missing!.key).toEqual({ id: deleted })
    expect(byKind.extra!.key).toEqual({ id: '00000000-0000-4000-8000-0000000000ff' })
    expect(byKind.different!.key).toEqual({ id: changed })
    expect(byKind.different!.columns).toEqual([
      { column: 'name', expected: 'User 3', actual: 'Someone Else' },
      { column: 'preferences', expected: '{"theme": "dark", "fontSize": 14}', actual: '{"theme": "light"}' },
    ])
    // Differences come in primary-key order.
    const keys = r.content.differences.map((d) => d.key.id!)
    expect(keys).toEqual([...keys].sort())
    // A join row deleted by hand shows up under its own table.
    await t.db.query(`DELETE FROM app.message_files WHERE message_id = $1 AND file_id = 'b'`, [deterministicUuid('messages', oidOf(101))])
    const m = await verifyJob(t.db, source, messagesJob)
    expect(m.content.differences).toEqual([{ table: 'app.message_files', kind: 'missing', key: { message_id: deterministicUuid('messages', oidOf(101)), file_id: 'b' } }])
  })

  it('reports count mismatches when the source changed, and samples on request', async () => {
    await runBackfill(t.db, memorySource({ users }), [usersJob])
    const grown = memorySource({ users: [...users, ...userDocs(3, 50)] })
    const r = await verifyJob(t.db, grown, usersJob)
    expect(r.counts).toEqual({ ok: false, source: 15, read: 12, loaded: 12, rejected: 0 })
    expect(r.content.tables[0]).toMatchObject({ missing: 3, matched: 12 })
    const s = await verifyJob(t.db, memorySource({ users }), usersJob, { sample: 4 })
    expect(s.ok).toBe(true)
    expect(s.content.sampled).toBe(true)
    expect(s.content.docs).toBeGreaterThan(0)
    expect(s.content.docs).toBeLessThan(12)
    expect(s.content.tables[0]!.matched).toBe(s.content.docs)
  })
})
