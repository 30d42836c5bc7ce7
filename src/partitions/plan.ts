/**
 * A rolling window against what the database holds, at a given time: the status (declared window
 * against present partitions, gaps, partitions missing ahead, partitions beyond retention, rows in
 * the default partition) and the steps that bring it up to date. Pure.
 *
 * The window at `now` covers every slot from the first declared one (or, with a retention period,
 * the oldest slot whose range ends after `now − retention`, whichever is later) to the current slot
 * plus `premake` (or the last declared slot, whichever is later). A partition is retired when its
 * whole range is older than the retention period (its upper bound ≤ now − retention), as pg_partman
 * does.
 */
import { INTERVAL_ADJECTIVE, retentionText, slotOrdinal, subtractRetention } from '../dsl/range-window.js'
import type { RangeWindow } from '../load/range-windows.js'
import type { LivePartition, LiveRetired, LiveWindow } from './live.js'
import { archiveSchemaOf, firstOrdinal, slotOfBound, slotOfMarker, windowSlot } from './window.js'
import type { WindowSlot } from './window.js'

/** A slot as reports show it. */
export interface SlotRef {
  readonly name: string
  readonly from: string
  readonly to: string
}

/** One step of maintenance. */
export type MaintenanceStep =
  | { readonly kind: 'create'; readonly slot: WindowSlot; readonly schema: string; readonly moveRows: number }
  | { readonly kind: 'finalize_detach'; readonly schema: string; readonly name: string }
  | { readonly kind: 'retire'; readonly slot: WindowSlot; readonly schema: string; readonly name: string; readonly mode: 'drop' | 'detach' }
  | { readonly kind: 'drop_retired'; readonly schema: string; readonly name: string }
  | { readonly kind: 'archive_retired'; readonly schema: string; readonly name: string; readonly to: string }

/** The state of one window. */
export interface WindowStatus {
  /** `schema.table` of the parent. */
  readonly parent: string
  readonly window: {
    readonly every: RangeWindow['every']
    readonly interval: string
    readonly premake: number
    readonly retention: string | null
    readonly retire: 'drop' | 'detach'
    readonly archiveSchema?: string
    readonly defaultPartition?: string
    readonly firstDeclared: string
  }
  readonly now: string
  /** The slot holding `now`. */
  readonly current: SlotRef
  /** The range the window should cover now: first slot's start to last slot's end. */
  readonly declared: { readonly from: string; readonly to: string; readonly slots: number }
  /** The window's partitions present: range and count. */
  readonly present: { readonly from?: string; readonly to?: string; readonly count: number; readonly partitions: readonly SlotRef[] }
  /** Missing slots below the newest present partition. */
  readonly gaps: readonly SlotRef[]
  /** Missing slots after the newest present partition, up to the current slot + premake. */
  readonly missingAhead: readonly SlotRef[]
  /** Present partitions whose range is older than the retention period. */
  readonly beyondRetention: readonly SlotRef[]
  /** Partitions of the parent that are not the window's (other bounds or names): left alone. */
  readonly others: readonly { readonly name: string; readonly bound: string }[]
  /** Retired tables kept as archives. */
  readonly archived: readonly string[]
  /** The DEFAULT partition: its rows, and those inside slots maintenance creates (moved first). */
  readonly default?: { readonly name: string; readonly rows: number; readonly rowsToMove: number }
  /** Declared but absent DEFAULT partition (a migration creates it). */
  readonly defaultMissing?: string
  /** What maintenance cannot do by itself. */
  readonly problems: readonly string[]
  /** The steps `maintain` runs. */
  readonly steps: readonly MaintenanceStep[]
  /** True when `maintain` has something to do, or a problem needs a person. */
  readonly due: boolean
}

/** Extra facts `planWindow` needs beyond the catalog: rows of the default inside each slot to create, names taken. */
export interface PlanFacts {
  /** Rows of the default partition inside a missing slot, by ordinal. */
  readonly defaultRowsBySlot?: ReadonlyMap<number, number>
  /** Relation names of the partitions' schema that a missing slot would need. */
  readonly taken?: ReadonlySet<string>
  /** Names of relations in the archive schema (collisions when moving an archive). */
  readonly takenInArchive?: ReadonlySet<string>
}

const ref = (s: WindowSlot): SlotRef => ({ name: s.name, from: s.from, to: s.to })
const qualified = (schema: string, name: string) => `${schema}.${name}`

/** The first and last ordinals the window covers at `now`, and the first one kept by retention. */
export function windowRange(w: RangeWindow, now: Date): { first: number; last: number; current: number; firstKept: number | undefined } {
  const declaredFirst = firstOrdinal(w)
  const current = slotOrdinal(w.every, now)
  // a slot is kept while its range ends after now − retention: from the slot holding that instant on
  const firstKept = w.retention ? slotOrdinal(w.every, subtractRetention(now, w.retention)) : undefined
  const first = Math.max(declaredFirst, firstKept ?? declaredFirst)
  const last = Math.max(declaredFirst + w.count - 1, current + w.premake)
  return { first, last, current, firstKept }
}

/** Missing slots of the window (the ones `planWindow` would create), before row counts are known. */
export function missingSlots(w: RangeWindow, live: LiveWindow, now: Date): WindowSlot[] {
  if (!live.partitioned) return []
  const { first, last } = windowRange(w, now)
  const present = new Set(live.partitions.filter((p) => p.schema === w.schema && slotOfBound(w, p.bound)?.name === p.name).map((p) => slotOfBound(w, p.bound)!.ordinal))
  const out: WindowSlot[] = []
  for (let o = first; o <= last; o++) if (!present.has(o)) out.push(windowSlot(w, o))
  return out
}

/** The status of window `w` in `live` at `now`, with the steps that bring it up to date. */
export function planWindow(w: RangeWindow, live: LiveWindow, now: Date, facts: PlanFacts = {}): WindowStatus {
  const parent = qualified(w.parentSchema, w.parent)
  const { first, last, current } = windowRange(w, now)
  const base = {
    parent,
    window: {
      every: w.every,
      interval: INTERVAL_ADJECTIVE[w.every],
      premake: w.premake,
      retention: w.retention ? retentionText(w.retention) : null,
      retire: w.retire,
      ...(w.archiveSchema !== undefined ? { archiveSchema: w.archiveSchema } : {}),
      ...(w.defaultPartition !== undefined ? { defaultPartition: w.defaultPartition } : {}),
      firstDeclared: w.first,
    },
    now: now.toISOString(),
    current: ref(windowSlot(w, current)),
    declared: { from: windowSlot(w, first).from, to: windowSlot(w, last).to, slots: last - first + 1 },
  }
  const empty = { present: { count: 0, partitions: [] }, gaps: [], missingAhead: [], beyondRetention: [], others: [], archived: [], steps: [] }
  if (!live.exists) {
    return { ...base, ...empty, problems: [`${parent} does not exist: apply the migrations first (cairn migrate up)`], due: true }
  }
  if (!live.partitioned) {
    return { ...base, ...empty, problems: [`${parent} is not a partitioned table`], due: true }
  }

  const mine = new Map<number, LivePartition>()
  const others: LivePartition[] = []
  let def: LivePartition | undefined
  for (const p of live.partitions) {
    const s = p.schema === w.schema ? slotOfBound(w, p.bound) : undefined
    if (s && s.name === p.name) mine.set(s.ordinal, p)
    else if (p.bound === 'DEFAULT') def = p
    else others.push(p)
  }
  const problems: string[] = []
  const steps: MaintenanceStep[] = []
  const ordinals = [...mine.keys()].sort((a, b) => a - b)
  const newest = ordinals.length ? ordinals[ordinals.length - 1] : undefined

  // retired tables whose retirement stopped midway: a pending detach, a table not yet dropped or moved
  for (const p of mine.values()) {
    if (!p.detachPending) continue
    if (slotOfMarker(w, p.comment)?.name === p.name) steps.push({ kind: 'finalize_detach', schema: p.schema, name: p.name })
    else problems.push(`${p.schema}.${p.name} is DETACH PENDING, not by cairn partitions maintain: finish it (ALTER TABLE ${parent} DETACH PARTITION … FINALIZE) or leave it to whoever started it`)
  }
  const archived: string[] = []
  for (const r of live.retired) pendingRetired(w, r, facts, steps, problems, archived)

  // missing slots: created, with the default's rows in their range moved into them first
  const gaps: SlotRef[] = []
  const missingAhead: SlotRef[] = []
  const otherRanges = others.map((p) => ({ p, range: rangeOf(p.bound) }))
  let rowsToMove = 0
  for (let o = first; o <= last; o++) {
    if (mine.has(o)) continue
    const s = windowSlot(w, o)
    ;(newest !== undefined && o < newest ? gaps : missingAhead).push(ref(s))
    // (a bound this cannot read is left to Postgres, which refuses an overlapping ATTACH)
    const overlap = otherRanges.find((x) => x.range !== undefined && (x.range.from < Date.parse(`${s.to}T00:00:00Z`) && x.range.to > Date.parse(`${s.from}T00:00:00Z`)))
    if (overlap) {
      problems.push(`${w.schema}.${s.name} (${s.from} … ${s.to}) cannot be created: partition ${overlap.p.schema}.${overlap.p.name} (${overlap.p.bound}) overlaps it`)
      continue
    }
    if (facts.taken?.has(s.name)) {
      problems.push(`${w.schema}.${s.name} cannot be created: a relation of that name exists and is not a partition of ${parent}`)
      continue
    }
    const moveRows = facts.defaultRowsBySlot?.get(o) ?? 0
    if (moveRows > 0 && live.referencedBy.length) {
      problems.push(`${w.schema}.${s.name} is not created: ${moveRows} row${moveRows === 1 ? '' : 's'} of the default partition would move into it, and ${live.referencedBy.join(', ')} reference${live.referencedBy.length === 1 ? 's' : ''} ${parent} (moving fires their ON DELETE); move the rows by hand`)
      continue
    }
    rowsToMove += moveRows
    steps.push({ kind: 'create', slot: s, schema: w.schema, moveRows })
  }

  // retention: whole ranges older than now − retention
  const beyondRetention: SlotRef[] = []
  const { firstKept } = windowRange(w, now)
  for (const o of ordinals) {
    if (firstKept === undefined || o >= firstKept) continue
    const p = mine.get(o)!
    if (p.detachPending) continue
    const s = windowSlot(w, o)
    beyondRetention.push(ref(s))
    if (w.retire === 'detach' && w.archiveSchema !== undefined && w.archiveSchema !== p.schema && facts.takenInArchive?.has(p.name)) {
      problems.push(`${p.schema}.${p.name} is not retired: ${w.archiveSchema}.${p.name} exists already`)
      continue
    }
    steps.push({ kind: 'retire', slot: s, schema: p.schema, name: p.name, mode: w.retire })
  }

  if (w.defaultPartition !== undefined && !def) problems.push(`the declared default partition ${w.schema}.${w.defaultPartition} does not exist: generate and apply its migration`)
  const present = ordinals.map((o) => ref(windowSlot(w, o)))
  const sorted = [...steps].sort((a, b) => STEP_ORDER[a.kind] - STEP_ORDER[b.kind])
  return {
    ...base,
    present: { ...(present.length ? { from: present[0].from, to: present[present.length - 1].to } : {}), count: present.length, partitions: present },
    gaps,
    missingAhead,
    beyondRetention,
    others: others.map((p) => ({ name: `${p.schema}.${p.name}`, bound: p.bound })),
    archived,
    ...(def ? { default: { name: `${def.schema}.${def.name}`, rows: live.defaultRows ?? 0, rowsToMove } } : {}),
    ...(w.defaultPartition !== undefined && !def ? { defaultMissing: `${w.schema}.${w.defaultPartition}` } : {}),
    problems,
    steps: sorted,
    due: sorted.length > 0 || problems.length > 0,
  }
}

/** Unfinished retirements first, then creates (inserts need them), then retirements. */
const STEP_ORDER: Record<MaintenanceStep['kind'], number> = { finalize_detach: 0, drop_retired: 1, archive_retired: 2, create: 3, retire: 4 }

/** A retired table an earlier run left behind: to drop, to move into the archive schema, or archived. */
function pendingRetired(w: RangeWindow, r: LiveRetired, facts: PlanFacts, steps: MaintenanceStep[], problems: string[], archived: string[]): void {
  const s = slotOfMarker(w, r.comment)
  if (!s || s.name !== r.name) return
  const archive = archiveSchemaOf(w)
  if (w.retire === 'drop') {
    steps.push({ kind: 'drop_retired', schema: r.schema, name: r.name })
  } else if (r.schema !== archive) {
    if (facts.takenInArchive?.has(r.name)) problems.push(`${r.schema}.${r.name} is retired but cannot move: ${archive}.${r.name} exists already`)
    else steps.push({ kind: 'archive_retired', schema: r.schema, name: r.name, to: archive })
  } else {
    archived.push(`${r.schema}.${r.name}`)
  }
}

/** A range bound's extent in milliseconds (MINVALUE/MAXVALUE unbounded); undefined when it cannot be read. */
function rangeOf(bound: string): { from: number; to: number } | undefined {
  const m = /^FOR VALUES FROM \((.*)\) TO \((.*)\)$/.exec(bound)
  if (!m) return undefined
  const value = (v: string): number | undefined => {
    const t = v.trim()
    if (t === 'MINVALUE') return -Infinity
    if (t === 'MAXVALUE') return Infinity
    const q = /^'(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?))?([+-]\d{2}(?::?\d{2})?)?'$/.exec(t)
    if (!q) return undefined
    const tz = q[3] ? (q[3].length === 3 ? `${q[3]}:00` : q[3].includes(':') ? q[3] : `${q[3].slice(0, 3)}:${q[3].slice(3)}`) : 'Z'
    const ms = Date.parse(`${q[1]}T${q[2] ?? '00:00:00'}${tz}`)
    return Number.isNaN(ms) ? undefined : ms
  }
  const from = value(m[1])
  const to = value(m[2])
  return from === undefined || to === undefined ? undefined : { from, to }
}

/** `planWindow` needs these relation names checked: the missing slots' names, and the archive moves'. */
export function namesToCheck(w: RangeWindow, live: LiveWindow, now: Date): { schema: string; names: string[]; archive: string; archiveNames: string[] } {
  const archive = archiveSchemaOf(w)
  const archiveNames = [
    ...live.retired.filter((r) => r.schema !== archive).map((r) => r.name),
    ...(archive !== w.schema ? live.partitions.filter((p) => p.schema === w.schema && slotOfBound(w, p.bound)?.name === p.name).map((p) => p.name) : []),
  ]
  return { schema: w.schema, names: missingSlots(w, live, now).map((s) => s.name), archive, archiveNames }
}
