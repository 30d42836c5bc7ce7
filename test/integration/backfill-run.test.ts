import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BSON, EJSON, ObjectId } from 'bson'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { runBackfill } from '../../src/data/run-job.js'
import { attachRaw, memorySource } from '../../src/data/source.js'
import { listRejects, readProgress } from '../../src/data/checkpoint.js'
import { deterministicUuid } from '../../src/data/convert.js'
import { isCairnError } from '../../src/errors.js'
import { messagesJob, oidOf, resetDatabase, TENANT, userDocs, usersJob } from '../unit/data/fixtures.js'

describe.each(testEngines())('backfill run on $name', (engine) => {
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

  const count = async (table: string) => Number((await t.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n)

  it('loads users, messages and join rows in foreign-key order with deterministic ids', async () => {
    const users = userDocs(7)
    const msgs = Array.from({ length: 10 }, (_, i) => ({
      _id: oidOf(100 + i),
      user: oidOf((i % 7) + 1),
      parent: i > 0 ? oidOf(100 + i - 1) : null,
      text: `message ${i}\twith tab\nand newline \\ backslash`,
      tokens: i === 3 ? BSON.Long.fromString('9007199254740993') : i,
      files: i % 3 === 0 ? ['f1', 'f2'] : [],
    }))
    const source = memorySource({ users, messages: msgs })
    // Given in the wrong order: the run must still load users first (messages reference them).
    const summary = await runBackfill(t.db, source, [messagesJob, usersJob])
    expect(summary.map((s) => s.job)).toEqual(['users', 'messages'])
    expect(summary[0]).toMatchObject({ docs: 7, loaded: 7, rejected: 0, batches: 3 })
    expect(summary[1]).toMatchObject({ docs: 10, loaded: 10, rejected: 0, batches: 3 })
    expect(summary[1]!.rows).toEqual({ 'app.messages': 10, 'app.message_files': 8 })
    expect(await count('app.users')).toBe(7)
    expect(await count('app.messages')).toBe(10)
    expect(await count('app.message_files')).toBe(8)

    const u = await t.db.query<{ id: string; tenant_id: string; created_at: Date; preferences: unknown }>(`SELECT * FROM app.users WHERE email = 'user1@example.com'`)
    expect(u[0]!.id).toBe(deterministicUuid('users', oidOf(1)))
    expect(u[0]!.tenant_id).toBe(TENANT)
    expect(new Date(u[0]!.created_at).toISOString()).toBe('2024-01-01T00:00:00.000Z')
    expect(u[0]!.preferences).toEqual({ theme: 'dark', fontSize: 14 })
    const m = await t.db.query<{ content: string; tokens: string; parent_id: string; user_id: string }>(
      `SELECT content, tokens::text, parent_id::text, user_id::text FROM app.messages WHERE id = $1`,
      [deterministicUuid('messages', oidOf(103))],
    )
    expect(m[0]).toEqual({
      content: 'message 3\twith tab\nand newline \\ backslash',
      tokens: '9007199254740993',
      parent_id: deterministicUuid('messages', oidOf(102)),
      user_id: deterministicUuid('users', oidOf(4)),
    })

    const p = await readProgress(t.db, 'messages')
    expect(p).toMatchObject({ batches: 3, docs: 10, loaded: 10, rejected: 0, rows: 18, lastIdText: EJSON.stringify(oidOf(109)) })
    const hashes = await t.db.query<{ sha256: string }>(`SELECT sha256 FROM cairn.backfill_checkpoints WHERE job = 'messages' ORDER BY batch`)
    expect(hashes.map((h) => h.sha256)).toHaveLength(3)
    expect(hashes[0]!.sha256).toMatch(/^[0-9a-f]{64}$/)

    // A second run resumes after the last batch: nothing to do, nothing doubled.
    const again = await runBackfill(t.db, source, [usersJob, messagesJob])
    expect(again.map((s) => s.docs)).toEqual([0, 0])
    expect(again[1]!.resumedAfter).toBe(EJSON.stringify(oidOf(109)))
    expect(await count('app.messages')).toBe(10)
  })

  it('resumes after the last committed batch when a run stops midway, and picks up new documents', async () => {
    const all = userDocs(10)
    const controller = new AbortController()
    const first = await runBackfill(t.db, memorySource({ users: all }), [usersJob], {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.runDocs >= 6) controller.abort()
      },
    })
    expect(first[0]).toMatchObject({ status: 'interrupted', docs: 6, loaded: 6 })
    const runs = await t.db.query<{ status: string }>(`SELECT status FROM cairn.backfill_runs ORDER BY id`)
    expect(runs.map((r) => r.status)).toEqual(['interrupted'])
    expect(await count('app.users')).toBe(6)
    const second = await runBackfill(t.db, memorySource({ users: [...all, ...userDocs(2, 11)] }), [usersJob])
    expect(second[0]).toMatchObject({ status: 'done', docs: 6, loaded: 6, total: { docs: 12, loaded: 12, rejected: 0 } })
    const emails = await t.db.query<{ email: string }>(`SELECT email FROM app.users ORDER BY email`)
    expect(emails.map((e) => e.email)).toEqual([...Array(12)].map((_, i) => `user${i + 1}@example.com`).sort())
  })

  it('loads the good rows of a batch Postgres refuses and rejects each bad one with the error', async () => {
    const docs = userDocs(6)
    docs[1]!.email = 'USER3@example.com' // duplicates user3 once lower-cased, in the same batch
    docs[4]!.age = 2 ** 40 // fits no integer: a mapping reject
    const run = await runBackfill(t.db, memorySource({ users: docs }), [usersJob])
    expect(run[0]).toMatchObject({ docs: 6, loaded: 4, rejected: 2 })
    const rejects = await listRejects(t.db, { job: 'users' })
    expect(rejects.map((r) => [r.docId, r.kind])).toEqual([
      [EJSON.stringify(oidOf(3)), 'database'],
      [EJSON.stringify(oidOf(5)), 'mapping'],
    ])
    expect(rejects[0]!.reason).toMatch(/^23505 duplicate key value violates unique constraint "users_email_key"/)
    expect(rejects[1]!.reason).toMatch(/not a 32-bit integer/)
    expect(await count('app.users')).toBe(4)
    // Dangling references: a message whose user does not exist.
    await runBackfill(t.db, memorySource({ users: [] }), [usersJob])
    const msgs = [
      { _id: oidOf(100), user: oidOf(1), text: 'ok' },
      { _id: oidOf(101), user: oidOf(999), text: 'dangling user' },
      { _id: oidOf(102), user: oidOf(1), text: 'ok too', files: ['a'] },
    ]
    const r2 = await runBackfill(t.db, memorySource({ messages: msgs }), [messagesJob])
    expect(r2[0]).toMatchObject({ loaded: 2, rejected: 1 })
    const mr = await listRejects(t.db, { job: 'messages' })
    expect(mr).toHaveLength(1)
    expect(mr[0]!.docId).toBe(EJSON.stringify(oidOf(101)))
    expect(mr[0]!.reason).toMatch(/^23503 .*messages_user_id_fkey/)
    expect(await count('app.message_files')).toBe(1)
  })

  it('keeps rejected documents byte-for-byte: the original EJSON line, or the original BSON bytes', async () => {
    const line = '{"_id":{"$oid":"000000000000000000000001"},"email":"not-an-email","odd":{"$numberDecimal":"1.10"},  "n":{"$numberInt":"7"}}'
    const fromLine = attachRaw(EJSON.parse(line, { relaxed: false }) as Record<string, unknown>, line)
    const bsonDoc = { _id: oidOf(2), email: 42, d: new BSON.Double(1), big: BSON.Long.fromNumber(5), when: new Date(0) }
    const bytes = BSON.serialize(bsonDoc)
    const fromBson = attachRaw(BSON.deserialize(bytes), bytes)
    const run = await runBackfill(t.db, memorySource({ users: [fromLine, fromBson] }), [usersJob])
    expect(run[0]).toMatchObject({ loaded: 0, rejected: 2 })
    const rejects = await listRejects(t.db, { job: 'users' })
    expect(rejects[0]!.kind).toBe('validation')
    expect(rejects[0]!.reason).toMatch(/^email: /)
    expect(rejects[0]!.document).toBe(line)
    expect(rejects[1]!.raw).toEqual(Buffer.from(bytes))
    // The text of a BSON original is canonical EJSON with the original types (Double 1.0, Long 5).
    expect(rejects[1]!.document).toBe(
      '{"_id":{"$oid":"000000000000000000000002"},"email":{"$numberInt":"42"},"d":{"$numberDouble":"1.0"},"big":{"$numberLong":"5"},"when":{"$date":{"$numberLong":"0"}}}',
    )
  })

  it('upsert re-runs from the start are idempotent and restore rows changed by hand', async () => {
    const source = memorySource({ users: userDocs(5) })
    await runBackfill(t.db, source, [usersJob])
    const snapshot = await t.db.query(`SELECT * FROM app.users ORDER BY id`)
    await t.db.exec(`UPDATE app.users SET name = 'changed' WHERE email = 'user2@example.com'`)
    const rerun = await runBackfill(t.db, source, [usersJob], { mode: 'upsert', restart: true })
    expect(rerun[0]).toMatchObject({ docs: 5, loaded: 5, rejected: 0 })
    expect(await t.db.query(`SELECT * FROM app.users ORDER BY id`)).toEqual(snapshot)
    await runBackfill(t.db, source, [usersJob], { mode: 'upsert', restart: true })
    expect(await t.db.query(`SELECT * FROM app.users ORDER BY id`)).toEqual(snapshot)
    expect(await readProgress(t.db, 'users')).toMatchObject({ docs: 5, loaded: 5 })
    // A restart in insert mode over the rows it loaded would reject every document as a
    // duplicate: refused before anything changes (checkpoints kept).
    await expect(runBackfill(t.db, source, [usersJob], { restart: true })).rejects.toMatchObject({ code: 'backfill_restart_insert', exitCode: 2 })
    expect(await count('app.users')).toBe(5)
    expect(await readProgress(t.db, 'users')).toMatchObject({ docs: 5, loaded: 5 })
    // Once the rows are gone, an insert-mode restart loads them again.
    await t.db.exec('DELETE FROM app.users')
    const again = await runBackfill(t.db, source, [usersJob], { restart: true })
    expect(again[0]).toMatchObject({ loaded: 5, rejected: 0 })
  })

  it('a dry run reads, validates and maps but writes nothing', async () => {
    const docs = [...userDocs(4), { _id: oidOf(50), email: 'bad' }]
    const run = await runBackfill(t.db, memorySource({ users: docs }), [usersJob], { dryRun: true })
    expect(run[0]).toMatchObject({ status: 'dry-run', docs: 5, loaded: 4, rejected: 1 })
    expect(run[0]!.sampleRejects![0]!.id).toBe(EJSON.stringify(oidOf(50)))
    expect(await count('app.users')).toBe(0)
    const cairn = await t.db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'cairn'`)
    expect(cairn).toHaveLength(0)
  })

  it('--max-rejects stops the run past the threshold with the checkpoint consistent', async () => {
    const docs = userDocs(9).map((d, i) => (i % 2 ? { ...d, email: 'bad' } : d))
    let err: unknown
    try {
      await runBackfill(t.db, memorySource({ users: docs }), [usersJob], { maxRejects: 1 })
    } catch (e) {
      err = e
    }
    expect(isCairnError(err)).toBe(true)
    expect((err as { code: string; exitCode: number }).code).toBe('backfill_too_many_rejects')
    expect((err as { exitCode: number }).exitCode).toBe(1)
    // Batch 1 (3 docs, 1 reject) is fine; batch 2 brings 3 rejects in total: committed, then stop.
    const p = await readProgress(t.db, 'users')
    expect(p).toMatchObject({ batches: 2, docs: 6, loaded: 3, rejected: 3 })
    expect(await count('app.users')).toBe(3)
    expect(await listRejects(t.db, { job: 'users' })).toHaveLength(3)
    const runs = await t.db.query<{ status: string }>(`SELECT status FROM cairn.backfill_runs`)
    expect(runs.map((r) => r.status)).toEqual(['stopped'])
    // Without the limit the run resumes from batch 3.
    const rest = await runBackfill(t.db, memorySource({ users: docs }), [usersJob])
    expect(rest[0]).toMatchObject({ docs: 3, total: { docs: 9, loaded: 5, rejected: 4 } })
  })

  it('refuses an unknown column in map() as a definition error', async () => {
    const { defineBackfill } = await import('../../src/data/define-backfill.js')
    const { z } = await import('zod')
    const bad = defineBackfill({
      name: 'bad', collection: 'users', target: usersJob.table, document: z.object({ _id: z.instanceof(ObjectId) }),
      map: (d, ctx) => ({ id: ctx.uuid('users', d._id), nope: 1 }),
    })
    await expect(runBackfill(t.db, memorySource({ users: userDocs(1) }), [bad])).rejects.toMatchObject({ code: 'backfill_unknown_column' })
  })
})
