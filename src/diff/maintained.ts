/**
 * Tables made and retired outside migrations (`cairn partitions maintain`: the partitions of a
 * rolling window, and the archives of retired ones) are not the migrations' business: those on one
 * side only, or different on the two sides, are left out of a comparison, on both sides, before
 * diff() sees the models. The exception is a window's
 * parent that one side lacks: partitions created or dropped with their parent are compared as
 * usual, so the first migration still creates the declared window with the table. Pure.
 */
import type { Model, TableDef } from '../model/types.js'
import { stableJson } from './diff.js'

/** Which tables are maintained outside migrations (see src/partitions/window.ts). */
export type MaintainedPredicate = (t: TableDef) => boolean

/** `from` and `to` without the maintained tables, and the keys (`schema.name`) that were left out. */
export function withoutMaintained(from: Model, to: Model, maintained: MaintainedPredicate | undefined): { from: Model; to: Model; left: ReadonlySet<string> } {
  const left = new Set<string>()
  if (!maintained) return { from, to, left }
  const key = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`
  const fromKeys = new Set(from.tables.map(key))
  const toKeys = new Set(to.tables.map(key))
  const parentOnBothSides = (t: TableDef) => {
    if (!t.partitionOf) return true
    const p = `${t.partitionOf.parentSchema}.${t.partitionOf.parent}`
    return fromKeys.has(p) && toKeys.has(p)
  }
  const fromByKey = new Map(from.tables.map((t) => [key(t), t]))
  const toByKey = new Map(to.tables.map((t) => [key(t), t]))
  for (const t of [...from.tables, ...to.tables]) {
    if (!maintained(t) || !parentOnBothSides(t)) continue
    // the same on both sides: nothing to leave out (a partition retired in place is not the same)
    const [a, b] = [fromByKey.get(key(t)), toByKey.get(key(t))]
    if (a && b && stableJson(a) === stableJson(b)) continue
    left.add(key(t))
  }
  if (!left.size) return { from, to, left }
  const keep = (m: Model): Model => ({ ...m, tables: m.tables.filter((t) => !left.has(key(t))) })
  return { from: keep(from), to: keep(to), left }
}
