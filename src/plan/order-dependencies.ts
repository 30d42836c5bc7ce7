/**
 * The last ordering pass of the planner, across phases: a statement that mentions an object the
 * migration creates runs after the statement creating it (a domain whose CHECK calls a new
 * function, a domain over a new table's row type, a table with a column of that domain), and an
 * object whose definition mentions another object being dropped is dropped first (a table using a
 * domain before the domain, a domain before the function its CHECK calls). A dropped object's
 * definition is the text that would recreate it: the step's reverse. Drops stay before creates.
 */
import { createdName, droppedName, pullDependencies, qualifiedNames } from '../sqlgen/depends.js'
import type { OrderedDraft } from './order-routines.js'

/** A step as the planner holds it, with what this pass reads. */
export interface DependencyDraft extends OrderedDraft {
  readonly sql: string
  readonly reverse?: readonly string[]
}

/**
 * Reorders `drafts` in place by dependencies (see the module comment): they end up sorted, with
 * `phase` and `order` rewritten so that sorting by them keeps the new order.
 */
export function orderByDependencies<T extends DependencyDraft>(drafts: T[], firstCreatePhase: number): void {
  drafts.sort((a, b) => a.phase - b.phase || a.order - b.order)
  const drops = drafts.filter((d) => d.phase < firstCreatePhase)
  const creates = drafts.filter((d) => d.phase >= firstCreatePhase)

  // creates: after the step that creates what they mention
  const provider = new Map<string, number>()
  creates.forEach((d, i) => {
    const n = createdName(d.sql)
    if (n !== undefined && !provider.has(n)) provider.set(n, i)
  })
  const createDeps = (i: number): number[] => {
    const d = creates[i] as T
    const out: number[] = []
    for (const n of qualifiedNames(d.sql)) {
      const p = provider.get(n)
      if (p !== undefined && p !== i && creates[p]?.source !== d.source) out.push(p)
    }
    return out
  }

  // drops: an object goes before the objects its definition mentions
  const dropper = new Map<string, number>()
  drops.forEach((d, i) => {
    const n = droppedName(d.sql)
    if (n !== undefined && !dropper.has(n)) dropper.set(n, i)
  })
  const dropDeps: number[][] = drops.map(() => [])
  drops.forEach((d, i) => {
    if (droppedName(d.sql) === undefined) return
    for (const n of qualifiedNames((d.reverse ?? []).join('\n'))) {
      const j = dropper.get(n)
      if (j !== undefined && j !== i && drops[j]?.source !== d.source) dropDeps[j]!.push(i)
    }
  })

  const ordered = [...pullDependencies(drops, (i) => dropDeps[i] ?? []), ...pullDependencies(creates, createDeps)]
  ordered.forEach((d, i) => {
    d.phase = 0
    d.order = i
  })
  drafts.splice(0, drafts.length, ...ordered)
}
