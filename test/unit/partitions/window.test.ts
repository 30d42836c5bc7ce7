/**
 * Rolling partition windows, pure: the calendar of each interval (days, ISO weeks, months,
 * quarters, years, in UTC), rangePartitions() options and their checks, which tables a window
 * owns (maintainedBy, withoutMaintained), and planWindow: premake, gaps, retention, default rows,
 * conflicts and unfinished retirements.
 */
import { describe, expect, it } from 'vitest'
import { date, integer, pgSchema, rangePartitions, text, timestamp, timestamptz } from '../../../src/dsl/index.js'
import { parseRetention, slotAt, slotOrdinal, slotStart, subtractRetention } from '../../../src/dsl/range-window.js'
import { withoutMaintained } from '../../../src/diff/maintained.js'
import { collectModel } from '../../../src/load/build-model.js'
import { collectRangeWindows } from '../../../src/load/range-windows.js'
import type { RangeWindow } from '../../../src/load/range-windows.js'
import type { Model, TableDef } from '../../../src/model/types.js'
import type { LiveWindow } from '../../../src/partitions/live.js'
import { planWindow } from '../../../src/partitions/plan.js'
import { maintainedBy, retiredMarker, slotOfBound, windowSlot } from '../../../src/partitions/window.js'

const app = pgSchema('app')
const arch = pgSchema('app_archive')
const events = app.table('events', { id: integer().notNull(), at: timestamptz().notNull(), body: text() }, () => [], { partitionBy: { strategy: 'range', key: ['at'] } })
const hits = app.table('hits', { day: date().notNull(), n: integer() }, () => [], { partitionBy: { strategy: 'range', key: ['day'] } })
const visits = app.table('visits', { at: timestamp().notNull() }, () => [], { partitionBy: { strategy: 'range', key: ['at'] } })

function windowsOf(exports: Record<string, unknown>): { windows: RangeWindow[]; model: Model; issues: string[] } {
  const { model, issues } = collectModel(exports)
  const w = collectRangeWindows(exports, model, process.cwd())
  return { windows: w.windows, model, issues: [...issues, ...w.issues].map((i) => `${i.code}: ${i.message}`) }
}

const live = (partitions: { name: string; bound: string; schema?: string; detachPending?: boolean; comment?: string }[], extra: Partial<LiveWindow> = {}): LiveWindow => ({
  exists: true,
  partitioned: true,
  partitions: partitions.map((p) => ({ schema: 'app', detachPending: false, ...p })),
  retired: [],
  referencedBy: [],
  copyColumns: ['id', 'at', 'body'],
  ...extra,
})

describe('the calendar', () => {
  it('numbers slots of every interval in UTC and gives their bounds', () => {
    const d = new Date('2026-07-15T23:30:00Z')
    const slot = (every: Parameters<typeof slotOrdinal>[0]) => {
      const s = slotAt(every, slotOrdinal(every, d), 0)
      return `${s.from}…${s.to}`
    }
    expect(slot('day')).toBe('2026-07-15…2026-07-16')
    expect(slot('week')).toBe('2026-07-13…2026-07-20') // Monday to Monday
    expect(slot('month')).toBe('2026-07-01…2026-08-01')
    expect(slot('quarter')).toBe('2026-07-01…2026-10-01')
    expect(slot('year')).toBe('2026-01-01…2027-01-01')
    // ISO weeks across a year boundary: 2026-12-28 is in week 53 of 2026, 2027-01-04 starts week 1 of 2027
    const w = slotAt('week', slotOrdinal('week', new Date('2027-01-01T00:00:00Z')), 0)
    expect([w.from, w.isoYear, w.week]).toEqual(['2026-12-28', 2026, 53])
    expect(slotAt('week', slotOrdinal('week', new Date('2027-01-04T00:00:00Z')), 0).week).toBe(1)
    // ordinals before 1970 and far ahead round-trip
    for (const every of ['day', 'week', 'month', 'quarter', 'year'] as const) {
      for (const o of [-5000, -1, 0, 1, 3000]) expect(slotOrdinal(every, slotStart(every, o))).toBe(o)
    }
  })

  it('subtracts a retention period in calendar terms', () => {
    expect(subtractRetention(new Date('2027-03-31T10:00:00Z'), { amount: 1, unit: 'month' }).toISOString()).toBe('2027-02-28T10:00:00.000Z')
    expect(subtractRetention(new Date('2027-03-15T00:00:00Z'), { amount: 12, unit: 'month' }).toISOString()).toBe('2026-03-15T00:00:00.000Z')
    expect(subtractRetention(new Date('2026-01-10T00:00:00Z'), { amount: 2, unit: 'week' }).toISOString()).toBe('2025-12-27T00:00:00.000Z')
    expect(parseRetention('90 days', 'day')).toEqual({ amount: 90, unit: 'day' })
    expect(parseRetention(6, 'month')).toEqual({ amount: 6, unit: 'month' })
    expect(parseRetention('a year', 'month')).toMatch(/not a period/)
  })
})

describe('rangePartitions()', () => {
  it('declares day and week windows with default names, a DEFAULT partition and a template', () => {
    const days = rangePartitions(hits, { from: '2026-01-30', every: 'day', count: 3, premake: 2 })
    expect(days.map((p) => [p.$name, p.$def.partitionOf!.bound])).toEqual([
      ['hits_2026_01_30', "FOR VALUES FROM ('2026-01-30') TO ('2026-01-31')"],
      ['hits_2026_01_31', "FOR VALUES FROM ('2026-01-31') TO ('2026-02-01')"],
      ['hits_2026_02_01', "FOR VALUES FROM ('2026-02-01') TO ('2026-02-02')"],
    ])
    const weeks = rangePartitions(visits, { from: '2026-12-28', every: 'week', count: 2, premake: 1, default: true })
    expect(weeks.map((p) => [p.$name, p.$def.partitionOf!.bound])).toEqual([
      ['visits_2026_w53', "FOR VALUES FROM ('2026-12-28 00:00:00') TO ('2027-01-04 00:00:00')"],
      ['visits_2027_w01', "FOR VALUES FROM ('2027-01-04 00:00:00') TO ('2027-01-11 00:00:00')"],
      ['visits_default', 'DEFAULT'],
    ])
    const named = rangePartitions(events, { from: '2026-04', every: 'quarter', count: 1, name: '{parent}_p{yyyy}q{q}' })
    expect(named[0].$name).toBe('events_p2026q2')
  })

  it('refuses misaligned starts and inconsistent options', () => {
    expect(() => rangePartitions(visits, { from: '2026-12-29', every: 'week', count: 1 })).toThrow(/Monday/)
    expect(() => rangePartitions(hits, { from: '2026-02-30', every: 'day', count: 1 })).toThrow(/not a date/)
    expect(() => rangePartitions(events, { from: '2026-01', every: 'month', count: 1, retention: '3 months' })).toThrow(/needs premake/)
    expect(() => rangePartitions(events, { from: '2026-01', every: 'month', count: 1, premake: -1 })).toThrow(/premake/)
    expect(() => rangePartitions(events, { from: '2026-01', every: 'month', count: 1, premake: 1, retention: 'soon' })).toThrow(/not a period/)
    expect(() => rangePartitions(events, { from: '2026-01', every: 'month', count: 1, premake: 1, archiveSchema: 'x' })).toThrow(/detach/)
    expect(() => rangePartitions(events, { from: '2026-01', every: 'month', count: 2, premake: 1, name: 'events_x' })).toThrow(/both named/)
  })

  it('is checked against the model when the definitions load', () => {
    const plain = app.table('plain', { id: integer().notNull(), tag: text().notNull() }, () => [], { partitionBy: { strategy: 'range', key: ['tag'] } })
    const bad = windowsOf({ app, plain, parts: rangePartitions(plain, { from: '2026-01', every: 'month', count: 1, premake: 1 }) })
    expect(bad.issues.join('\n')).toMatch(/invalid_partition_window: the rolling window of app.plain needs RANGE partitioning on one date/)
    const archive = windowsOf({ app, events, parts: rangePartitions(events, { from: '2026-01', every: 'month', count: 1, premake: 1, retire: 'detach', archiveSchema: 'nowhere' }) })
    expect(archive.issues.join('\n')).toMatch(/undeclared_schema: the archive schema "nowhere"/)
    const ok = windowsOf({ app, arch, events, parts: rangePartitions(events, { from: '2026-01', every: 'month', count: 2, premake: 3, retention: '12 months', retire: 'detach', archiveSchema: 'app_archive', default: true }) })
    expect(ok.issues).toEqual([])
    expect(ok.windows).toHaveLength(1)
    expect(ok.windows[0]).toMatchObject({ parentSchema: 'app', parent: 'events', key: 'at', keyType: 'timestamp with time zone', every: 'month', first: '2026-01-01', count: 2, premake: 3, retire: 'detach', archiveSchema: 'app_archive', defaultPartition: 'events_default' })
    // a window without premake is not rolling
    expect(windowsOf({ app, events, parts: rangePartitions(events, { from: '2026-01', every: 'month', count: 2 }) }).windows).toEqual([])
  })
})

describe('which tables a window owns', () => {
  const { windows, model } = windowsOf({
    app, arch, events,
    parts: rangePartitions(events, { from: '2026-01', every: 'month', count: 2, premake: 1, retention: 2, retire: 'detach', archiveSchema: 'app_archive', default: true }),
  })
  const w = windows[0]
  const part = (name: string, bound: string): TableDef => ({ ...model.tables.find((t) => t.name === 'events_2026_01')!, name, partitionOf: { parentSchema: 'app', parent: 'events', bound } })

  it('recognises slot partitions by bound and name, and retired ones by their marker', () => {
    const maintained = maintainedBy(windows)
    const jul = windowSlot(w, slotOrdinal('month', new Date('2026-07-01T00:00:00Z')))
    expect(jul).toMatchObject({ name: 'events_2026_07', bound: "FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-08-01 00:00:00+00')" })
    expect(slotOfBound(w, jul.bound)?.name).toBe('events_2026_07')
    expect(maintained(part('events_2026_07', jul.bound))).toBe(true)
    expect(maintained(part('events_july', jul.bound))).toBe(false) // not the slot's name
    expect(maintained(part('events_2026_07', "FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-09-01 00:00:00+00')"))).toBe(false) // two months
    expect(maintained(part('events_default', 'DEFAULT'))).toBe(false)
    const { partitionOf: _p, ...plain } = part('events_2026_07', jul.bound)
    expect(maintained({ ...plain, schema: 'app_archive', comment: retiredMarker(w, jul.bound) })).toBe(true)
    expect(maintained({ ...plain, schema: 'app_archive' })).toBe(false) // no marker: someone else's table
    expect(maintained({ ...plain, schema: 'other', comment: retiredMarker(w, jul.bound) })).toBe(false)
  })

  it('leaves them out of a comparison unless their parent is new', () => {
    const jul = windowSlot(w, slotOrdinal('month', new Date('2026-07-01T00:00:00Z')))
    const withJuly: Model = { ...model, tables: [...model.tables.filter((t) => t.name !== 'events_2026_01'), part('events_2026_07', jul.bound)] }
    const cut = withoutMaintained(withJuly, model, maintainedBy(windows))
    // (the same on both sides: kept, it makes no difference)
    expect([...cut.left].sort()).toEqual(['app.events_2026_01', 'app.events_2026_07'])
    expect(cut.from.tables.map((t) => t.name).sort()).toEqual(['events', 'events_2026_02', 'events_default'])
    expect(cut.to.tables.map((t) => t.name).sort()).toEqual(['events', 'events_2026_02', 'events_default'])
    // retired in place (a plain table with the marker) on one side, attached on the other: left out
    const { partitionOf: _p, ...jan } = model.tables.find((t) => t.name === 'events_2026_01')!
    const retired: Model = { ...model, tables: model.tables.map((t) => (t.name === 'events_2026_01' ? { ...jan, comment: retiredMarker(w, t.partitionOf!.bound) } : t)) }
    expect([...withoutMaintained(retired, model, maintainedBy(windows)).left]).toEqual(['app.events_2026_01'])
    // the parent is created in the same diff: its declared partitions are created with it
    const empty: Model = { ...model, schemas: [], tables: [] }
    expect(withoutMaintained(empty, model, maintainedBy(windows)).left.size).toBe(0)
  })
})

describe('planWindow', () => {
  const plan = (opts: Parameters<typeof rangePartitions>[1], present: { name: string; bound: string; schema?: string; detachPending?: boolean; comment?: string }[], now: string, extra: Partial<LiveWindow> = {}, facts = {}) => {
    const table = opts.every === 'day' ? hits : opts.every === 'month' ? events : visits
    const { windows } = windowsOf({ app, arch, table, parts: rangePartitions(table, opts) })
    return planWindow(windows[0], live(present, extra), new Date(now), facts)
  }
  const declared = (opts: Parameters<typeof rangePartitions>[1]) => {
    const table = opts.every === 'day' ? hits : opts.every === 'month' ? events : visits
    return rangePartitions(table, opts).map((p) => ({ name: p.$name, bound: p.$def.partitionOf!.bound }))
  }
  const created = (s: ReturnType<typeof plan>) => s.steps.filter((x) => x.kind === 'create').map((x) => (x.kind === 'create' ? x.slot.name : ''))

  it('creates the current slot and premake after it, for every interval', () => {
    const cases = [
      [{ from: '2026-01-01', every: 'day', count: 1, premake: 2 }, '2026-01-03T12:00:00Z', ['hits_2026_01_02', 'hits_2026_01_03', 'hits_2026_01_04', 'hits_2026_01_05']],
      [{ from: '2026-12-28', every: 'week', count: 1, premake: 2 }, '2027-01-05T00:00:00Z', ['visits_2027_w01', 'visits_2027_w02', 'visits_2027_w03']],
      [{ from: '2026-01', every: 'month', count: 2, premake: 3 }, '2026-02-10T00:00:00Z', ['events_2026_03', 'events_2026_04', 'events_2026_05']],
      [{ from: '2026-01', every: 'quarter', count: 1, premake: 1 }, '2026-05-01T00:00:00Z', ['visits_2026_q2', 'visits_2026_q3']],
      [{ from: '2026-01', every: 'year', count: 1, premake: 2 }, '2026-06-01T00:00:00Z', ['visits_2027', 'visits_2028']],
    ] as const
    for (const [opts, now, want] of cases) {
      const s = plan(opts, declared(opts), now)
      expect(created(s), `${opts.every}`).toEqual(want)
      expect(s.due).toBe(true)
    }
    // up to date: nothing to do
    const opts = { from: '2026-01', every: 'month', count: 4, premake: 2 } as const
    const s = plan(opts, declared(opts), '2026-02-10T00:00:00Z')
    expect(s).toMatchObject({ steps: [], due: false, gaps: [], missingAhead: [], beyondRetention: [], problems: [] })
    expect(s.current).toEqual({ name: 'events_2026_02', from: '2026-02-01', to: '2026-03-01' })
  })

  it('tells gaps from partitions missing ahead, and retires whole ranges older than the retention period', () => {
    const opts = { from: '2026-01', every: 'month', count: 4, premake: 1, retention: '2 months', retire: 'detach', archiveSchema: 'app_archive' } as const
    const present = declared(opts).filter((p) => p.name !== 'events_2026_03')
    const s = plan(opts, present, '2026-04-15T00:00:00Z')
    // now − 2 months = 2026-02-15: January (ends 02-01) goes, February (ends 03-01) stays
    expect(s.beyondRetention.map((x) => x.name)).toEqual(['events_2026_01'])
    expect(s.gaps.map((x) => x.name)).toEqual(['events_2026_03'])
    expect(s.missingAhead.map((x) => x.name)).toEqual(['events_2026_05'])
    expect(s.steps.map((x) => `${x.kind} ${'name' in x ? x.name : x.kind === 'create' ? x.slot.name : ''}`)).toEqual([
      'create events_2026_03', 'create events_2026_05', 'retire events_2026_01',
    ])
    expect(s.declared).toEqual({ from: '2026-02-01', to: '2026-06-01', slots: 4 })
    // no retention: kept for ever
    expect(plan({ ...opts, retention: null, archiveSchema: undefined }, present, '2027-04-15T00:00:00Z').beyondRetention).toEqual([])
  })

  it('counts the default partition rows it moves, and refuses what it cannot do', () => {
    const opts = { from: '2026-01', every: 'month', count: 1, premake: 1, default: true } as const
    const parts = declared(opts)
    const jan = slotOrdinal('month', new Date('2026-02-01T00:00:00Z'))
    const s = plan(opts, parts, '2026-01-20T00:00:00Z', { defaultRows: 5 }, { defaultRowsBySlot: new Map([[jan, 3]]) })
    expect(s.default).toEqual({ name: 'app.events_default', rows: 5, rowsToMove: 3 })
    expect(s.steps).toMatchObject([{ kind: 'create', moveRows: 3 }])
    // rows would move under a table whose foreign keys reference the parent: refused
    const fk = plan(opts, parts, '2026-01-20T00:00:00Z', { defaultRows: 5, referencedBy: ['app.notes.notes_event_fkey'] }, { defaultRowsBySlot: new Map([[jan, 3]]) })
    expect(fk.steps).toEqual([])
    expect(fk.problems.join()).toMatch(/app.notes.notes_event_fkey references app.events/)
    // another partition overlaps the slot; a table holds its name
    const overlap = plan(opts, [...parts, { name: 'events_feb', bound: "FOR VALUES FROM ('2026-02-10 00:00:00+00') TO ('2026-02-11 00:00:00+00')" }], '2026-01-20T00:00:00Z')
    expect(overlap.problems.join()).toMatch(/events_2026_02 .* cannot be created: partition app.events_feb/)
    expect(overlap.others).toEqual([{ name: 'app.events_feb', bound: "FOR VALUES FROM ('2026-02-10 00:00:00+00') TO ('2026-02-11 00:00:00+00')" }])
    const taken = plan(opts, parts, '2026-01-20T00:00:00Z', {}, { taken: new Set(['events_2026_02']) })
    expect(taken.problems.join()).toMatch(/a relation of that name exists/)
    // the parent is not there yet
    const missing = planWindow(windowsOf({ app, events, p: rangePartitions(events, opts) }).windows[0], { ...live([]), exists: false, partitioned: false }, new Date('2026-01-20T00:00:00Z'))
    expect(missing).toMatchObject({ due: true, steps: [] })
    expect(missing.problems.join()).toMatch(/does not exist: apply the migrations first/)
  })

  it('finishes retirements an earlier run left midway', () => {
    const opts = { from: '2026-01', every: 'month', count: 3, premake: 0, retention: 1, retire: 'detach', archiveSchema: 'app_archive' } as const
    const { windows } = windowsOf({ app, arch, events, p: rangePartitions(events, opts) })
    const w = windows[0]
    const [jan, feb, mar] = declared(opts)
    const s = planWindow(w, live([{ ...jan, detachPending: true, comment: retiredMarker(w, jan.bound) }, feb, mar], {
      retired: [{ schema: 'app', name: 'events_2025_12', comment: retiredMarker(w, "FOR VALUES FROM ('2025-12-01 00:00:00+00') TO ('2026-01-01 00:00:00+00')") }],
    }), new Date('2026-04-10T00:00:00Z'))
    // now − 1 month = 2026-03-10: January (detach pending) and February are beyond retention
    expect(s.steps.map((x) => x.kind)).toEqual(['finalize_detach', 'archive_retired', 'create', 'retire'])
    expect(s.steps[1]).toMatchObject({ kind: 'archive_retired', name: 'events_2025_12', to: 'app_archive' })
    expect(s.steps[3]).toMatchObject({ kind: 'retire', name: 'events_2026_02', mode: 'detach' })
    // a pending detach cairn did not start is left to whoever started it
    const foreign = planWindow(w, live([{ ...jan, detachPending: true }, feb, mar]), new Date('2026-03-10T00:00:00Z'))
    expect(foreign.problems.join()).toMatch(/DETACH PENDING, not by cairn/)
  })
})
