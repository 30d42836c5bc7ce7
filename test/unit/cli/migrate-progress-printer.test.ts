/** How `migrate up` renders statement and index build progress: a status line on a terminal, plain lines otherwise, JSON lines with --json. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eventPrinter, formatIndexProgress, jsonEventPrinter } from '../../../src/cli/commands/migrate.js'
import type { IndexBuildProgress, MigrateEvent } from '../../../src/migrate/runner.js'
import { capturedContext } from '../../helpers/cli-context.js'

const M = '20260101000000_idx'
const start = (statement: number, text: string): MigrateEvent => ({
  event: 'statement_start',
  name: M,
  direction: 'up',
  statement,
  total: 3,
  transactional: statement !== 3,
  file: `migrations/${M}/up.sql`,
  line: statement + 1,
  text,
})
const done = (statement: number): MigrateEvent => ({ event: 'statement', name: M, direction: 'up', statement, total: 3, durationMs: 5 })
const build: IndexBuildProgress = {
  command: 'CREATE INDEX CONCURRENTLY',
  phase: 'building index: scanning table',
  table: 'big',
  index: 'big_tag_idx',
  blocksDone: 250,
  blocksTotal: 1000,
  tuplesDone: 0,
  tuplesTotal: 0,
  lockersDone: 0,
  lockersTotal: 0,
  partitionsDone: 0,
  partitionsTotal: 0,
}
const progress = (elapsedMs: number, p: Partial<IndexBuildProgress> = {}): MigrateEvent => ({
  event: 'progress',
  name: M,
  direction: 'up',
  statement: 3,
  total: 3,
  elapsedMs,
  progress: { ...build, ...p },
})

describe('migrate up progress rendering', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('formats an index build', () => {
    expect(formatIndexProgress(build)).toBe('CREATE INDEX CONCURRENTLY big_tag_idx on big: building index: scanning table, blocks 250/1000 (25%)')
    expect(formatIndexProgress({ ...build, command: 'CREATE INDEX', index: null, phase: 'building index: loading tuples in tree', blocksDone: 0, blocksTotal: 0, tuplesDone: 1500, tuplesTotal: 2000 })).toBe(
      'CREATE INDEX on big: building index: loading tuples in tree, tuples 1500/2000 (75%)',
    )
    expect(formatIndexProgress({ ...build, phase: 'waiting for old snapshots', blocksTotal: 0, lockersDone: 1, lockersTotal: 3 })).toContain('waited for 1 of 3 transactions')
  })

  it('without a terminal: nothing for fast statements, plain lines for one that runs over a second', () => {
    const ctx = capturedContext('/tmp')
    const print = eventPrinter(ctx)
    print({ event: 'migrating', name: M, direction: 'up' })
    print(start(1, "SET lock_timeout = '5s'"))
    vi.advanceTimersByTime(10)
    print(done(1))
    print(start(2, 'ALTER TABLE big ADD COLUMN note text'))
    print(done(2))
    expect(ctx.err).toBe('')
    print(start(3, 'CREATE INDEX CONCURRENTLY big_tag_idx ON big (tag)'))
    vi.advanceTimersByTime(1000)
    expect(ctx.err).toBe(`  ${M}: statement 3 of 3 (migrations/${M}/up.sql:4) running: CREATE INDEX CONCURRENTLY big_tag_idx ON big (tag)\n`)
    print(progress(1100))
    print(progress(2100, { blocksDone: 300 })) // same phase, within 5 s: not printed
    print(progress(6200, { blocksDone: 900 })) // 5 s later
    print(progress(7200, { phase: 'building index: sorting live tuples', blocksDone: 1000 })) // new phase
    vi.advanceTimersByTime(6000)
    print(done(3))
    print({ event: 'migrated', name: M, direction: 'up', durationMs: 7500 })
    const lines = ctx.err.trimEnd().split('\n')
    expect(lines).toEqual([
      `  ${M}: statement 3 of 3 (migrations/${M}/up.sql:4) running: CREATE INDEX CONCURRENTLY big_tag_idx ON big (tag)`,
      `  ${M}: statement 3 of 3: CREATE INDEX CONCURRENTLY big_tag_idx on big: building index: scanning table, blocks 250/1000 (25%) (1.1 s)`,
      `  ${M}: statement 3 of 3: CREATE INDEX CONCURRENTLY big_tag_idx on big: building index: scanning table, blocks 900/1000 (90%) (6.2 s)`,
      `  ${M}: statement 3 of 3: CREATE INDEX CONCURRENTLY big_tag_idx on big: building index: sorting live tuples, blocks 1000/1000 (100%) (7.2 s)`,
      expect.stringMatching(new RegExp(`^  ${M}: statement 3 of 3 done in (\\d+ ms|\\d+\\.\\d s)$`)),
    ])
    expect(ctx.out).toBe(`applied  ${M} 7.5 s\n`)
  })

  it('on a terminal: one status line rewritten in place, cleared before the result', () => {
    const tty = Object.assign(capturedContext('/tmp', { NO_COLOR: '1' }), { isTTY: true })
    const print = eventPrinter(tty)
    print({ event: 'migrating', name: M, direction: 'up' })
    print(start(1, "SET lock_timeout = '5s'"))
    print(done(1))
    print(start(3, 'CREATE INDEX CONCURRENTLY big_tag_idx ON big (tag)'))
    print(progress(1100))
    print(done(3))
    print({ event: 'migrated', name: M, direction: 'up', durationMs: 1200 })
    expect(tty.err).toBe(
      `\r\x1b[K  ${M}: statement 1 of 3: SET lock_timeout = '5s'` +
        `\r\x1b[K  ${M}: statement 3 of 3: CREATE INDEX CONCURRENTLY big_tag_idx ON big (tag)` +
        `\r\x1b[K  ${M}: statement 3 of 3: CREATE INDEX CONCURRENTLY big_tag_idx on big: building index: scanning table, blocks 250/1000 (25%) 1.1 s` +
        '\r\x1b[K',
    )
    expect(tty.out).toBe(`applied  ${M} 1.2 s\n`)
  })

  it('--json: one line per event under the documented names; statement text masked like errors', () => {
    const ctx = capturedContext('/tmp', { DATABASE_URL: 'postgres://app:Hunter2-secret@db/app' })
    const print = jsonEventPrinter(ctx)
    expect(ctx.jsonLines).toBe(true)
    print({ event: 'migrating', name: M, direction: 'up' })
    print(start(1, "SELECT 'Hunter2-secret'"))
    print(progress(1000))
    print(done(1))
    print({ event: 'migrated', name: M, direction: 'up', durationMs: 3 })
    print({ event: 'lock_acquired', durationMs: 3 })
    const lines = ctx.out.trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.event)).toEqual(['migration_start', 'statement_start', 'progress', 'statement_done', 'migration_done', 'lock_acquired'])
    expect(lines[1]).toMatchObject({ statement: 1, total: 3, line: 2, text: "SELECT '***'" })
    expect(lines[2].progress).toEqual(build)
    expect(ctx.out).not.toContain('Hunter2')
  })
})
