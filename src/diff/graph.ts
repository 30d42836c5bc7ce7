/**
 * cairn's one dependency graph: which object needs which, built from a model (or from the objects a
 * plan creates and drops), and the orders taken from it. Edges, by kind:
 * - `partition`: a partition needs its parent;
 * - `foreign_key`: a table needs the tables its foreign keys reference;
 * - `type`: a column or domain needs its enum or domain type;
 * - `reads`: a view, function, trigger, policy or domain needs the tables, views, functions and types
 *   its text names by qualified name (the identifier scan over deparsed text: Postgres prints every
 *   name outside the search path qualified);
 * - `names`: among functions and views, also bare names (`f(` for a function), as a body in the
 *   search path may write them;
 * - `trigger`: a trigger needs its table.
 * Textual matching can only add edges, and every order keeps the given order where the edges allow
 * (cycles included), so an order that works is never changed.
 *
 * The planner, which sees statements rather than models, orders them by the same scan over their
 * SQL (`qualifiedNames`, `createdName`, `droppedName`, `pullDependencies`).
 */
import type { Model, TableDef, ViewDef } from '../model/types.js'
import { ident, qname } from '../sqlgen/quote.js'

/** The kinds of edge (see the module comment). */
export type EdgeKind = 'partition' | 'foreign_key' | 'type' | 'reads' | 'names' | 'trigger'

/** The kinds of node: the object kinds of the model that others can depend on or that depend on others. */
export type NodeKind = 'table' | 'view' | 'function' | 'enum' | 'domain' | 'sequence' | 'trigger'

/** The key of an object in the graph: `<kind>:<schema>.<name>` (functions without their arguments). */
export const nodeKey = (kind: NodeKind, schema: string, name: string): string => `${kind}:${schema}.${name}`

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** True when `text` names `schema.name` as a whole qualified identifier. */
export function mentions(text: string, schema: string, name: string): boolean {
  return new RegExp(`(?<![\\w"$])${esc(qname(schema, name))}(?![\\w"$])`).test(text)
}

/** True when `text` names the routine or view by qualified or bare name (a function as a call). */
export function namesRoutine(text: string, schema: string, name: string, isFunction: boolean): boolean {
  const names = [esc(qname(schema, name)), esc(ident(name))]
  const tail = isFunction ? '\\s*\\(' : '(?![\\w"$(])'
  return names.some((n) => new RegExp(`(?<![\\w."$])${n}${tail}`).test(text))
}

interface Node {
  readonly kind: NodeKind
  readonly schema: string
  readonly name: string
  /** The text whose mentions are `reads` / `names` edges. */
  readonly text: string
  readonly edges: { readonly to: string; readonly kind: EdgeKind }[]
}

/** The objects of a model and what each needs. */
export class DependencyGraph {
  private readonly nodes = new Map<string, Node>()

  /** The graph of `model`'s objects (any subset of its collections). */
  static of(model: Partial<Pick<Model, 'tables' | 'views' | 'functions' | 'enums' | 'domains' | 'sequences' | 'triggers'>>): DependencyGraph {
    const g = new DependencyGraph()
    for (const t of model.tables ?? []) g.node('table', t.schema, t.name, '')
    for (const v of model.views ?? []) g.node('view', v.schema, v.name, v.definition)
    for (const f of model.functions ?? []) g.node('function', f.schema, f.name, f.definition)
    for (const e of model.enums ?? []) g.node('enum', e.schema, e.name, '')
    for (const d of model.domains ?? []) g.node('domain', d.schema, d.name, [d.default ?? '', ...d.checks.map((c) => c.expression)].join('\n'))
    for (const s of model.sequences ?? []) g.node('sequence', s.schema, s.name, '')
    for (const t of model.triggers ?? []) g.node('trigger', t.schema, `${t.table}.${t.name}`, t.definition)
    const types = new Map([...(model.enums ?? []), ...(model.domains ?? [])].map((x) => [qname(x.schema, x.name), nodeKey(x.kind === 'enum' ? 'enum' : 'domain', x.schema, x.name)]))
    const typeOf = (type: string) => types.get(type.replace(/(\[\])+$/, ''))
    for (const t of model.tables ?? []) {
      const k = nodeKey('table', t.schema, t.name)
      if (t.partitionOf) g.edge(k, nodeKey('table', t.partitionOf.parentSchema, t.partitionOf.parent), 'partition')
      for (const fk of t.foreignKeys) g.edge(k, nodeKey('table', fk.refSchema, fk.refTable), 'foreign_key')
      for (const c of t.columns) {
        const ty = typeOf(c.type)
        if (ty) g.edge(k, ty, 'type')
      }
    }
    for (const d of model.domains ?? []) {
      const ty = typeOf(d.type)
      if (ty) g.edge(nodeKey('domain', d.schema, d.name), ty, 'type')
    }
    for (const t of model.triggers ?? []) g.edge(nodeKey('trigger', t.schema, `${t.table}.${t.name}`), nodeKey('table', t.schema, t.table), 'trigger')
    // what texts name: qualified names of anything; bare names among functions and views
    const all = [...g.nodes.entries()]
    for (const [k, n] of all) {
      if (!n.text) continue
      for (const [o, m] of all) {
        if (o === k || m.kind === 'trigger') continue
        if (mentions(n.text, m.schema, m.name)) g.edge(k, o, 'reads')
        const routine = (x: Node) => x.kind === 'function' || x.kind === 'view'
        if (routine(n) && routine(m) && !(n.schema === m.schema && n.name === m.name) && namesRoutine(n.text, m.schema, m.name, m.kind === 'function')) g.edge(k, o, 'names')
      }
    }
    return g
  }

  private node(kind: NodeKind, schema: string, name: string, text: string): void {
    const k = nodeKey(kind, schema, name)
    if (!this.nodes.has(k)) this.nodes.set(k, { kind, schema, name, text, edges: [] })
  }

  private edge(from: string, to: string, kind: EdgeKind): void {
    if (from !== to && this.nodes.has(to)) this.nodes.get(from)?.edges.push({ to, kind })
  }

  /** What `key` needs directly, through edges of the given kinds (all kinds when omitted). */
  needs(key: string, kinds?: readonly EdgeKind[]): string[] {
    return [...new Set((this.nodes.get(key)?.edges ?? []).filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.to))]
  }

  /**
   * `items` so that each comes after what it needs among them (edges of `kinds`), depth first: an
   * item's needs are placed right before it, otherwise the given order is kept; a cycle keeps the
   * order in which it is reached.
   */
  order<T>(items: readonly T[], keyOf: (t: T) => string, kinds?: readonly EdgeKind[]): T[] {
    const byKey = new Map<string, T>()
    for (const i of items) if (!byKey.has(keyOf(i))) byKey.set(keyOf(i), i)
    return dependencyOrder(items, (i) => this.needs(keyOf(i), kinds).flatMap((k) => (byKey.has(k) ? [byKey.get(k) as T] : [])))
  }
}

/**
 * `items` so that each comes after the items `needs` gives (depth first: an item's needs right before
 * it, otherwise the given order; a cycle keeps the order in which it is reached).
 */
export function dependencyOrder<T>(items: readonly T[], needs: (t: T) => readonly T[]): T[] {
  const out: T[] = []
  const seen = new Set<T>()
  const visit = (t: T) => {
    if (seen.has(t)) return
    seen.add(t)
    for (const n of needs(t)) if (n !== t) visit(n)
    out.push(t)
  }
  items.forEach(visit)
  return out
}

/** Tables sorted so that a partition comes after its parent; otherwise the given order. */
export function tablesParentsFirst(tables: readonly TableDef[]): TableDef[] {
  return DependencyGraph.of({ tables }).order(tables, (t) => nodeKey('table', t.schema, t.name), ['partition'])
}

/** Views ordered so that a view comes after the views it reads (ties keep the given order). */
export function topoViews(views: readonly ViewDef[]): ViewDef[] {
  return DependencyGraph.of({ views }).order(views, (v) => nodeKey('view', v.schema, v.name), ['reads'])
}

// The same scan over statements, for the planner: the qualified names a statement mentions, the one it
// creates or drops, and a stable order that pulls what provides a name forward to just before the
// first statement that needs it.

const QUALIFIED = /(?<![\w$".])(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)/g

/** Every qualified name `text` mentions (as written: `app.users`, `"My App".t`). */
export function qualifiedNames(text: string): Set<string> {
  return new Set(text.match(QUALIFIED) ?? [])
}

/**
 * `items` in their given order, except that an item comes after its dependencies (indices into
 * `items`, from `deps`): an item that needs a later one waits for it, and then comes as early as
 * it can. Inside a dependency cycle only the edges the given order already satisfies are kept, so
 * a cycle (often a textual false positive, like a function body naming a table whose default calls
 * the function) keeps its given order.
 */
export function pullDependencies<T>(items: readonly T[], deps: (index: number) => readonly number[]): T[] {
  const n = items.length
  const edges: number[][] = Array.from({ length: n }, (_, i) => [...new Set(deps(i))].filter((d) => d !== i && d >= 0 && d < n))
  const scc = components(edges)
  const waiting = new Int32Array(n)
  const dependents: number[][] = Array.from({ length: n }, () => [])
  for (let i = 0; i < n; i++) {
    for (const d of edges[i]!) {
      if (scc[d] === scc[i] && d > i) continue
      waiting[i]++
      dependents[d]!.push(i)
    }
  }
  const heap = new MinHeap()
  for (let i = 0; i < n; i++) if (waiting[i] === 0) heap.push(i)
  const out: T[] = []
  for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
    out.push(items[i] as T)
    for (const j of dependents[i]!) if (--waiting[j]! === 0) heap.push(j)
  }
  return out
}

/** Strongly connected components (Tarjan, iterative): the component number of each node. */
function components(edges: readonly (readonly number[])[]): Int32Array {
  const n = edges.length
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const comp = new Int32Array(n).fill(-1)
  const onStack = new Uint8Array(n)
  const stack: number[] = []
  let counter = 0
  let comps = 0
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue
    const work: [number, number][] = [[root, 0]]
    index[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = 1
    while (work.length) {
      const top = work[work.length - 1]!
      const [v, k] = top
      const out = edges[v]!
      if (k < out.length) {
        top[1]++
        const w = out[k]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack.push(w)
          onStack[w] = 1
          work.push([w, 0])
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!)
        continue
      }
      work.pop()
      if (work.length) {
        const parent = work[work.length - 1]![0]
        low[parent] = Math.min(low[parent]!, low[v]!)
      }
      if (low[v] === index[v]) {
        for (;;) {
          const w = stack.pop()!
          onStack[w] = 0
          comp[w] = comps
          if (w === v) break
        }
        comps++
      }
    }
  }
  return comp
}

class MinHeap {
  private readonly a: number[] = []
  push(v: number): void {
    const a = this.a
    a.push(v)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (a[p]! <= v) break
      a[i] = a[p]!
      i = p
    }
    a[i] = v
  }
  pop(): number | undefined {
    const a = this.a
    if (a.length === 0) return undefined
    const top = a[0]!
    const last = a.pop()!
    if (a.length) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= a.length) break
        const c = l + 1 < a.length && a[l + 1]! < a[l]! ? l + 1 : l
        if (a[c]! >= last) break
        a[i] = a[c]!
        i = c
      }
      a[i] = last
    }
    return top
  }
}

const NAME = `(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)\\.(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)`
const CREATES = new RegExp(`^CREATE (?:OR REPLACE )?(?:UNLOGGED )?(?:TABLE|DOMAIN|TYPE|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|AGGREGATE|COLLATION) (${NAME})`)
const DROPS = new RegExp(`^DROP (?:TABLE|DOMAIN|TYPE|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|AGGREGATE|COLLATION) (${NAME})`)

/** The object a `CREATE TABLE/DOMAIN/TYPE/SEQUENCE/VIEW/FUNCTION …` statement creates. */
export function createdName(sql: string): string | undefined {
  return CREATES.exec(sql)?.[1]
}

/** The object a `DROP TABLE/DOMAIN/TYPE/SEQUENCE/VIEW/FUNCTION …` statement drops. */
export function droppedName(sql: string): string | undefined {
  return DROPS.exec(sql)?.[1]
}
