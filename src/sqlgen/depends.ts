/**
 * Ordering by what statements mention: the qualified names (`schema.name`, spelled as quote_ident
 * prints them, as every deparsed definition and every statement cairn writes spells them) that a
 * text names, and a stable topological order that pulls whatever provides a name forward to just
 * before the first statement that needs it. Textual matching can only add edges, and a cycle keeps
 * the given order, so an order that already works is never changed.
 */

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
const CREATES = new RegExp(`^CREATE (?:OR REPLACE )?(?:UNLOGGED )?(?:TABLE|DOMAIN|TYPE|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|COLLATION) (${NAME})`)
const DROPS = new RegExp(`^DROP (?:TABLE|DOMAIN|TYPE|SEQUENCE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|COLLATION) (${NAME})`)

/** The object a `CREATE TABLE/DOMAIN/TYPE/SEQUENCE/VIEW/FUNCTION …` statement creates. */
export function createdName(sql: string): string | undefined {
  return CREATES.exec(sql)?.[1]
}

/** The object a `DROP TABLE/DOMAIN/TYPE/SEQUENCE/VIEW/FUNCTION …` statement drops. */
export function droppedName(sql: string): string | undefined {
  return DROPS.exec(sql)?.[1]
}

/** Statements ordered so that each comes after the statement that creates an object it mentions. */
export function orderStatements(statements: readonly string[]): string[] {
  const provider = new Map<string, number>()
  statements.forEach((s, i) => {
    const n = createdName(s)
    if (n !== undefined && !provider.has(n)) provider.set(n, i)
  })
  const deps = (i: number): number[] => {
    const out: number[] = []
    for (const n of qualifiedNames(statements[i]!)) {
      const p = provider.get(n)
      if (p !== undefined && p !== i) out.push(p)
    }
    return out
  }
  return pullDependencies(statements, deps)
}
