/**
 * The dependency graph of a model's objects: which object needs which (a partition its parent, a
 * view the views it reads, …), for the orders diff, plan and the full-model render agree on.
 */
import type { TableDef } from '../model/types.js'

/** Tables sorted so that a partition comes after its parent; otherwise the given order. */
export function tablesParentsFirst(tables: readonly TableDef[]): TableDef[] {
  const key = (schema: string, name: string) => `${schema}.${name}`
  const byKey = new Map(tables.map((t) => [key(t.schema, t.name), t]))
  const done = new Set<string>()
  const out: TableDef[] = []
  const visit = (t: TableDef) => {
    const k = key(t.schema, t.name)
    if (done.has(k)) return
    done.add(k)
    const parent = t.partitionOf && byKey.get(key(t.partitionOf.parentSchema, t.partitionOf.parent))
    if (parent) visit(parent)
    out.push(t)
  }
  tables.forEach(visit)
  return out
}
