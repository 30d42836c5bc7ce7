/**
 * The planner's ordering passes, over the steps as it holds them before the final sort, both reading
 * the one dependency graph's scan (src/diff/graph.ts):
 * - routines: functions and views among themselves by what their definitions name — a function that
 *   returns a view's row type (or reads a view or calls another function) comes after it and is
 *   dropped before it;
 * - dependencies, last and across phases: a statement that mentions an object the migration creates
 *   runs after the statement creating it (a domain whose CHECK calls a new function, a domain over a
 *   new table's row type, a table with a column of that domain), and an object whose definition
 *   mentions another object being dropped is dropped first. A dropped object's definition is the text
 *   that would recreate it: the step's reverse. Drops stay before creates.
 * Matching is textual, so an extra edge only changes the order; cycles keep the planner's order.
 */
import type { Change } from '../diff/changes.js'
import { createdName, dependencyOrder, droppedName, namesRoutine, pullDependencies, qualifiedNames } from '../diff/graph.js'

/** A step as the planner holds it before the final sort. */
export interface OrderedDraft {
  phase: number
  order: number
  readonly source: Change
}

/** A step as the planner holds it, with what the dependency pass reads. */
export interface DependencyDraft extends OrderedDraft {
  readonly sql: string
  readonly reverse?: readonly string[]
}

interface Routine {
  readonly source: Change
  readonly isFunction: boolean
  readonly schema: string
  readonly name: string
  readonly text: string
}

function routineOf(c: Change): Routine | undefined {
  switch (c.kind) {
    case 'create_function':
    case 'drop_function':
      return { source: c, isFunction: true, schema: c.function.schema, name: c.function.name, text: c.function.definition }
    case 'replace_function':
      return { source: c, isFunction: true, schema: c.to.schema, name: c.to.name, text: c.to.definition }
    case 'create_view':
    case 'drop_view':
      return { source: c, isFunction: false, schema: c.view.schema, name: c.view.name, text: c.view.definition }
    case 'replace_view':
      return { source: c, isFunction: false, schema: c.to.schema, name: c.to.name, text: c.to.definition }
    default:
      return undefined
  }
}

/** True when `a`'s definition names `b` (by qualified or bare name). */
function mentions(a: Routine, b: Routine): boolean {
  if (a === b || (a.schema === b.schema && a.name === b.name && a.isFunction === b.isFunction)) return false
  return namesRoutine(a.text, b.schema, b.name, b.isFunction)
}

/**
 * Reorders `drafts` in place (their phase and order): functions that need a view being created move
 * to the function phase with the views they need, each phase sorted by dependency; a function that
 * needs a view being dropped is dropped with the views, before it.
 */
export function orderRoutines(
  drafts: OrderedDraft[],
  phases: { readonly createFunction: number; readonly view: number; readonly dropView: number; readonly dropFunction: number },
): void {
  const routines = new Map<Change, Routine>()
  for (const d of drafts) {
    if (routines.has(d.source)) continue
    const r = routineOf(d.source)
    if (r) routines.set(d.source, r)
  }
  const phaseOf = (r: Routine) => drafts.find((d) => d.source === r.source)?.phase
  const setPhase = (r: Routine, phase: number) => {
    for (const d of drafts) if (d.source === r.source) d.phase = phase
  }
  const all = [...routines.values()]
  const creating = all.filter((r) => phaseOf(r) === phases.createFunction || phaseOf(r) === phases.view)
  const dropping = all.filter((r) => phaseOf(r) === phases.dropView || phaseOf(r) === phases.dropFunction)

  // views a function needs are created with the functions (and what those views need in turn)
  const pull = (r: Routine, seen: Set<Routine>) => {
    for (const m of creating) {
      if (seen.has(m) || !mentions(r, m)) continue
      seen.add(m)
      if (phaseOf(m) === phases.view) setPhase(m, phases.createFunction)
      pull(m, seen)
    }
  }
  for (const r of creating) if (r.isFunction && phaseOf(r) === phases.createFunction) pull(r, new Set([r]))
  // a function that needs a dropped view goes before it
  for (const r of dropping) {
    if (r.isFunction && dropping.some((v) => !v.isFunction && mentions(r, v))) setPhase(r, phases.dropView)
  }

  drafts.sort((a, b) => a.phase - b.phase || a.order - b.order)
  const resort = (phase: number, dependentsFirst: boolean) => {
    const inPhase = drafts.filter((d) => d.phase === phase)
    if (inPhase.length < 2) return
    const nodes = [...new Set(inPhase.map((d) => d.source))]
    const needs = (s: Change): Change[] => {
      const r = routines.get(s)
      if (!r) return []
      return nodes.filter((o) => {
        const m = routines.get(o)
        return m !== undefined && o !== s && (dependentsFirst ? mentions(m, r) : mentions(r, m))
      })
    }
    const out = dependencyOrder(nodes, needs)
    const rank = new Map(out.map((s, i) => [s, i]))
    const sorted = [...inPhase].sort((a, b) => (rank.get(a.source) as number) - (rank.get(b.source) as number) || a.order - b.order)
    sorted.forEach((d, i) => {
      d.order = i
    })
  }
  resort(phases.createFunction, false)
  resort(phases.view, false)
  resort(phases.dropView, true)
  resort(phases.dropFunction, true)
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
