/**
 * Which tables belong to a rolling window, from their names and bounds alone. Pure.
 *
 * A partition of the window's parent is the window's when its bound is exactly one slot (as
 * Postgres prints it, timestamptz in UTC) and its name is the name the window gives that slot. A
 * partition maintenance retired and kept (or is about to drop) is a plain table named likewise
 * whose comment is the retirement marker, which records the parent and the bound it had.
 */
import type { TableDef } from '../model/types.js'
import { boundText } from '../dsl/partition.js'
import { isoDay, slotAt, slotOrdinal, slotStart } from '../dsl/range-window.js'
import type { RangeSlot } from '../dsl/range-window.js'
import type { RangeWindow } from '../load/range-windows.js'
import { qname } from '../sqlgen/quote.js'

/** A slot of a window, with its ordinal, bound text and partition name. */
export interface WindowSlot extends RangeSlot {
  readonly ordinal: number
  readonly bound: string
  readonly name: string
}

/** The ordinal of the window's first declared slot. */
export function firstOrdinal(w: RangeWindow): number {
  return slotOrdinal(w.every, new Date(`${w.first}T00:00:00Z`))
}

/** Slot `ordinal` of window `w`. */
export function windowSlot(w: RangeWindow, ordinal: number): WindowSlot {
  const s = slotAt(w.every, ordinal, firstOrdinal(w))
  return { ...s, ordinal, bound: boundText({ from: s.from, to: s.to }, [w.keyType]), name: w.name(s) }
}

const RANGE_BOUND = /^FOR VALUES FROM \('(\d{4}-\d{2}-\d{2})[^']*'\) TO \('[^']*'\)$/

/** The slot a bound is exactly, or undefined (another range, MINVALUE, DEFAULT, a misaligned day). */
export function slotOfBound(w: RangeWindow, bound: string): WindowSlot | undefined {
  const m = RANGE_BOUND.exec(bound)
  if (!m) return undefined
  const day = new Date(`${m[1]}T00:00:00Z`)
  if (Number.isNaN(day.getTime())) return undefined
  const o = slotOrdinal(w.every, day)
  if (isoDay(slotStart(w.every, o)) !== m[1]) return undefined
  const s = windowSlot(w, o)
  return s.bound === bound ? s : undefined
}

/** The comment maintenance puts on a partition it retires: parent and bound, so the table stays recognisable. */
export function retiredMarker(w: RangeWindow, bound: string): string {
  return `cairn partitions: retired from ${qname(w.parentSchema, w.parent)}, ${bound}`
}

/** The slot a retirement marker names for window `w`, if the comment is one. */
export function slotOfMarker(w: RangeWindow, comment: string | undefined): WindowSlot | undefined {
  const prefix = `cairn partitions: retired from ${qname(w.parentSchema, w.parent)}, `
  if (!comment?.startsWith(prefix)) return undefined
  return slotOfBound(w, comment.slice(prefix.length))
}

/** Where window `w`'s retired tables are kept. */
export function archiveSchemaOf(w: RangeWindow): string {
  return w.archiveSchema ?? w.schema
}

/**
 * True when `t` is one of the tables maintenance creates or retires: a partition of a window's
 * parent that is exactly a slot of it under the slot's name, or such a partition retired (a plain
 * table carrying the retirement marker, where the window keeps its archive or where it was).
 */
export function maintainedBy(windows: readonly RangeWindow[]): (t: TableDef) => boolean {
  if (!windows.length) return () => false
  const byParent = new Map(windows.map((w) => [`${w.parentSchema}.${w.parent}`, w]))
  return (t) => {
    if (t.partitionOf) {
      const w = byParent.get(`${t.partitionOf.parentSchema}.${t.partitionOf.parent}`)
      if (!w || t.schema !== w.schema) return false
      return slotOfBound(w, t.partitionOf.bound)?.name === t.name
    }
    if (!t.comment?.startsWith('cairn partitions: retired from ')) return false
    return windows.some((w) => (t.schema === archiveSchemaOf(w) || t.schema === w.schema) && slotOfMarker(w, t.comment)?.name === t.name)
  }
}
