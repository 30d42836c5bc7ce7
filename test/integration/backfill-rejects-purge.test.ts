/**
 * `cairn backfill rejects --purge [--job] [--before] [--yes] [--json]`: rejected documents are kept
 * whole (personal data) until purged; the purge says how many it removed and never runs unconfirmed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { connect } from '../../src/db/connect.js'
import type { Database } from '../../src/db/database.js'
import { ensureBookkeeping, writeCheckpoint } from '../../src/data/checkpoint.js'
import { parseBefore } from '../../src/data/rejects.js'
import { capturedContext } from '../helpers/cli-context.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'

describe.each(testEngines())('cairn backfill rejects --purge on $name', (engine) => {
  let t: TestDatabase | undefined
  let url: string
  let tmp: string

  const withDb = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    if (t) return fn(t.db)
    const db = await connect(url)
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }
  const cli = async (args: string[], tty = false) => {
    const c = capturedContext(tmp)
    ;(c as { isTTY: boolean }).isTTY = tty
    const code = await run(['node', 'cairn', 'backfill', 'rejects', ...args, '--url', url, '--project', tmp], c)
    return { code, out: c.out, err: c.err }
  }
  const left = () => withDb((db) => db.query<{ job: string; doc_id: string }>(`SELECT job, doc_id FROM cairn.backfill_rejects ORDER BY job, doc_id`))

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cairn-rejects-purge-'))
    if (engine.name === 'pglite') url = `pglite:${path.join(tmp, 'db')}`
    else {
      t = await engine.open()
      url = t.url
    }
  })
  afterAll(async () => {
    await t?.dispose()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  beforeEach(async () => {
    await withDb(async (db) => {
      await ensureBookkeeping(db)
      await db.exec('TRUNCATE cairn.backfill_rejects, cairn.backfill_checkpoints')
      let batch = 0
      for (const [job, docs] of [['users', ['u1', 'u2', 'u3']], ['messages', ['m1', 'm2']]] as const) {
        await db.transaction((tx) =>
          writeCheckpoint(
            tx,
            { job, batch: ++batch, runId: null, lastId: docs[docs.length - 1]!, docs: docs.length, loaded: 0, rejected: docs.length, rows: 0, sha256: 'x' },
            docs.map((d) => ({ docId: d, kind: 'validation' as const, reason: 'email: Invalid email', document: `{"_id":"${d}","password":"$2b$10$hash"}` })),
          ),
        )
      }
      // u1 and m1 were recorded in 2025, the others now
      await db.exec(`UPDATE cairn.backfill_rejects SET at = '2025-06-01T00:00:00Z' WHERE doc_id IN ('u1', 'm1')`)
    })
  })

  it('lists rejected documents whole, password hashes included (the audit trail)', async () => {
    const r = await cli(['--job', 'users'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('"password":"$2b$10$hash"')
  })

  it('refuses to purge without --yes when there is no terminal to ask on, and deletes nothing', async () => {
    for (const args of [['--purge'], ['--purge', '--json'], ['--purge', '--job', 'users']]) {
      const r = await cli(args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err + r.out).toMatch(/--yes/)
    }
    // a terminal with --json: no prompt either
    expect((await cli(['--purge', '--json'], true)).code).toBe(2)
    expect(await left()).toHaveLength(5)
  })

  it('purges one job, prints how many rows went, and keeps the other jobs', async () => {
    const r = await cli(['--purge', '--job', 'users', '--yes'])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toBe('3 rejects purged (job users)\n')
    expect(await left()).toEqual([{ job: 'messages', doc_id: 'm1' }, { job: 'messages', doc_id: 'm2' }])
    expect((await cli(['--job', 'users'])).out).toBe('no rejects\n')
  })

  it('purges what was recorded before a date, of every job or of one, with --json', async () => {
    const one = await cli(['--purge', '--job', 'messages', '--before', '2026-01-01', '--yes', '--json'])
    expect(one.code, one.err).toBe(0)
    expect(JSON.parse(one.out)).toEqual({ ok: true, purged: 1, job: 'messages', before: '2026-01-01T00:00:00.000Z' })
    const all = await cli(['--purge', '--before', '2026-01-01T00:00:00Z', '--yes', '--json'])
    expect(JSON.parse(all.out)).toEqual({ ok: true, purged: 1, before: '2026-01-01T00:00:00.000Z' })
    expect((await left()).map((r) => r.doc_id)).toEqual(['m2', 'u2', 'u3'])
    const rest = await cli(['--purge', '--yes'])
    expect(rest.out).toBe('3 rejects purged (every job)\n')
    expect(await left()).toEqual([])
    expect((await cli(['--purge', '--yes', '--json'])).out).toContain('"purged": 0')
  })

  it('refuses a bad --before, and --before or --yes without --purge', async () => {
    for (const args of [['--purge', '--before', 'last week', '--yes'], ['--purge', '--before', '2026-02-30', '--yes'], ['--before', '2026-01-01'], ['--yes']]) {
      const r = await cli(args)
      expect(r.code, args.join(' ')).toBe(2)
    }
    expect(await left()).toHaveLength(5)
  })
})

describe('parseBefore', () => {
  it('reads ISO 8601 dates (midnight UTC) and date-times, and nothing else', () => {
    expect(parseBefore('2026-01-31')?.toISOString()).toBe('2026-01-31T00:00:00.000Z')
    expect(parseBefore('2026-01-31T12:30:00Z')?.toISOString()).toBe('2026-01-31T12:30:00.000Z')
    expect(parseBefore('2026-01-31 12:30+02:00')?.toISOString()).toBe('2026-01-31T10:30:00.000Z')
    expect(parseBefore('2026-01-31T12:30')?.toISOString()).toBe('2026-01-31T12:30:00.000Z')
    for (const bad of ['yesterday', '2026-02-30', '2026-1-3', '2026-01-31T25:00', '']) expect(parseBefore(bad), bad).toBeUndefined()
  })
})
