/**
 * Orders functions and views among themselves by what their definitions mention: a function that
 * returns a view's row type (or reads a view or calls another function) comes after it, and is
 * dropped before it. Matching is textual (qualified or bare names), so an extra edge only changes
 * the order; cycles fall back to the planner's order.
 */
import type { Change } from '../diff/changes.js'
import { ident, qname } from '../sqlgen/quote.js'

/** A step as the planner holds it before the final sort. */
export interface OrderedDraft {
  phase: number
  order: number
  readonly source: Change
}

interface Routine {
  readonly source: Change
  readonly isFunction: boolean
  readonly schema: string
  readonly name: string
  readonly text: string
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

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

/** True when `a`'s definition mentions `b` (by qualified or bare name). */
function mentions(a: Routine, b: Routine): boolean {
  if (a === b || (a.schema === b.schema && a.name === b.name && a.isFunction === b.isFunction)) return false
  const names = [esc(qname(b.schema, b.name)), esc(ident(b.name))]
  const tail = b.isFunction ? '\\s*\\(' : '(?![\\w"$(])'
  return names.some((n) => new RegExp(`(?<![\\w."$])${n}${tail}`).test(a.text))
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
    const rs = nodes.map((s) => routines.get(s))
    const out: Change[] = []
    const state = new Map<Change, number>()
    const visit = (i: number) => {
      const s = nodes[i]
      if (state.has(s)) return
      state.set(s, 1)
      const r = rs[i]
      if (r) {
        rs.forEach((o, j) => {
          if (!o || j === i) return
          const edge = dependentsFirst ? mentions(o, r) : mentions(r, o)
          if (edge) visit(j)
        })
      }
      out.push(s)
    }
    nodes.forEach((_s, i) => visit(i))
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
