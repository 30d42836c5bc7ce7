/** A unified diff of two texts (Myers' line diff, three lines of context), as `diff -u` prints it. */

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string }

/** The shortest edit script turning `a` into `b`, line by line. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length
  const m = b.length
  const max = n + m
  const v = new Map<number, number>([[1, 0]])
  const trace: Map<number, number>[] = []
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v.set(k, x)
      if (x >= n && y >= m) break outer
    }
  }
  const ops: Op[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!
    const k = x - y
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1
    const prevX = vd.get(prevK) ?? 0
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      x--
      y--
      ops.push({ kind: ' ', line: a[x]! })
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! })
      else ops.push({ kind: '-', line: a[--x]! })
    }
  }
  return ops.reverse()
}

const lines = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'))

/**
 * The unified diff from `before` (undefined: the file does not exist) to `after`, with
 * `a/<path>` and `b/<path>` headers; empty when the texts are equal.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 3): string {
  if (before === after) return ''
  const ops = editScript(lines(before ?? ''), lines(after))
  const out = [`--- ${before === undefined ? '/dev/null' : `a/${path}`}`, `+++ b/${path}`]
  const changes = ops.flatMap((o, k) => (o.kind === ' ' ? [] : [k]))
  let g = 0
  while (g < changes.length) {
    let last = g
    while (last + 1 < changes.length && changes[last + 1]! - changes[last]! - 1 <= 2 * context) last++
    const start = Math.max(0, changes[g]! - context)
    const end = Math.min(ops.length, changes[last]! + context + 1)
    let aStart = 0
    let bStart = 0
    for (let k = 0; k < start; k++) {
      if (ops[k]!.kind !== '+') aStart++
      if (ops[k]!.kind !== '-') bStart++
    }
    const hunk = ops.slice(start, end)
    const aLen = hunk.filter((o) => o.kind !== '+').length
    const bLen = hunk.filter((o) => o.kind !== '-').length
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`)
    for (const o of hunk) out.push(`${o.kind}${o.line}`)
    g = last + 1
  }
  return out.join('\n') + '\n'
}
