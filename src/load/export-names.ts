/**
 * Export-name collisions among the definitions' modules. The loader bundles them with esbuild and
 * collects what the entry exports; ES modules resolve a name two modules both export in ways that
 * lose a definition without a word:
 *
 * - `export * from './a.js'` and `export * from './b.js'` both giving `users`: the name is
 *   ambiguous, and neither is exported (at any depth of `export *`);
 * - a module's own `export const users` beside an `export *` that also gives `users`: its own wins,
 *   and the other is hidden.
 *
 * This reads the modules on the entry's re-export graph (the bundle's metafile says where each
 * import went), lists what each exports with its line, and resolves the names as ES does, reporting
 * every collision with both places. Only runtime exports count: `export type` / `interface` vanish
 * when TypeScript is compiled and cannot hide a definition. The reading is lexical (comments,
 * strings and templates skipped, top-level statements only); what it does not understand it leaves
 * out, so it can miss a collision but never invents one.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Issue } from '../errors.js'

/** What esbuild's metafile says about one input: where its imports resolved. */
export interface MetafileInput {
  readonly imports: readonly { readonly path: string; readonly original?: string; readonly external?: boolean }[]
}

interface Site {
  /** `file:line`, relative to the project root. */
  readonly at: string
  /** The binding: its module and local name (two paths to one binding are no collision). */
  readonly key: string
}

interface ModuleExports {
  readonly local: Map<string, { line: number; from?: { spec: string; name: string } }>
  readonly stars: { spec: string; line: number }[]
}

/** Collisions in the re-export graph from each of `entries` (paths as the metafile keys them). */
export function exportCollisions(entries: readonly string[], inputs: Readonly<Record<string, MetafileInput>>, root: string): Issue[] {
  const scanned = new Map<string, ModuleExports | undefined>()
  const resolved = new Map<string, Map<string, Site[]>>()
  const issues = new Map<string, Issue>()
  const rel = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/')

  const scan = (file: string): ModuleExports | undefined => {
    if (!scanned.has(file)) {
      let text: string | undefined
      try {
        text = /\.[cm]?[jt]sx?$/.test(file) ? readFileSync(path.resolve(root, file), 'utf8') : undefined
      } catch {
        text = undefined
      }
      scanned.set(file, text === undefined ? undefined : readExports(text))
    }
    return scanned.get(file)
  }
  const target = (file: string, spec: string): string | undefined => {
    const hit = inputs[file]?.imports.find((i) => i.original === spec && !i.external)
    return hit && inputs[hit.path] ? hit.path : undefined
  }

  const exportsOf = (file: string, stack: Set<string>): Map<string, Site[]> => {
    const done = resolved.get(file)
    if (done) return done
    const out = new Map<string, Site[]>()
    const m = scan(file)
    if (!m || stack.has(file)) return out
    stack.add(file)
    for (const [name, e] of m.local) {
      let sites: Site[] = [{ at: `${rel(file)}:${e.line}`, key: `${file}#${name}` }]
      if (e.from) {
        // export { x as y } from './m.js': the binding is m's x
        const t = target(file, e.from.spec)
        const there = t && e.from.name !== '*' ? exportsOf(t, stack).get(e.from.name) : undefined
        if (there?.length === 1) sites = there
      }
      out.set(name, sites)
    }
    const starred = new Map<string, { sites: Site[]; via: string[] }>()
    for (const s of m.stars) {
      const t = target(file, s.spec)
      if (!t) continue
      for (const [name, sites] of exportsOf(t, stack)) {
        if (name === 'default') continue
        const own = out.get(name)
        if (own) {
          const hidden = sites.filter((x) => !own.some((o) => o.key === x.key))
          if (hidden.length) report(name, [...own, ...hidden], `${rel(file)} exports ${name} itself, which hides the one its \`export * from '${s.spec}'\` (${rel(file)}:${s.line}) brings`)
          continue
        }
        const prior = starred.get(name) ?? { sites: [], via: [] }
        for (const x of sites) if (!prior.sites.some((p) => p.key === x.key)) prior.sites.push(x)
        prior.via.push(`${rel(file)}:${s.line}`)
        starred.set(name, prior)
      }
    }
    for (const [name, { sites, via }] of starred) {
      if (sites.length > 1) report(name, sites, `${rel(file)} re-exports both with \`export *\` (${via.join(', ')}), so the name is ambiguous and neither is exported`)
      out.set(name, sites)
    }
    stack.delete(file)
    resolved.set(file, out)
    return out
  }

  const report = (name: string, sites: readonly Site[], how: string) => {
    const where = [...new Set(sites.map((s) => s.at))]
    const id = `${name}|${where.join('|')}`
    if (issues.has(id)) return
    issues.set(id, {
      code: 'duplicate_export',
      message: `${name} is exported by ${where.length} modules, ${where.join(' and ')}: ${how}`,
      hint: `rename one of them, or re-export one module under a namespace (export * as billing from './billing.js')`,
      file: where[0],
      object: name,
    })
  }

  for (const e of entries) if (inputs[e]) exportsOf(e, new Set())
  return [...issues.values()]
}

const IDENT = /^[A-Za-z_$][\w$]*/

/**
 * The exports of one module's text: own declarations and `export { … }` (with `from` when they
 * re-export), and `export * from`. `export * as ns from` is an own export named ns.
 */
export function readExports(source: string): ModuleExports {
  const code = blank(source)
  const local: ModuleExports['local'] = new Map()
  const stars: ModuleExports['stars'] = []
  const lineAt = lineIndex(code)
  const specAt = (i: number): { spec: string; end: number } | undefined => {
    const m = /^\s*from\s*(["'])/.exec(code.slice(i))
    if (!m) return undefined
    const start = i + m[0].length
    const end = source.indexOf(m[1]!, start)
    return end < 0 ? undefined : { spec: source.slice(start, end), end: end + 1 }
  }
  let depth = 0
  for (let i = 0; i < code.length; i++) {
    const c = code[i]
    if (c === '{' || c === '(' || c === '[') depth++
    else if (c === '}' || c === ')' || c === ']') depth--
    if (depth !== 0 || c !== 'e' || !code.startsWith('export', i) || /[\w$.]/.test(code[i - 1] ?? ' ') || /[\w$]/.test(code[i + 6] ?? ' ')) continue
    const line = lineAt(i)
    let j = i + 6
    const rest = code.slice(j)
    const ws = /^\s*/.exec(rest)![0].length
    j += ws
    const after = code.slice(j)
    if (after.startsWith('*')) {
      const as = /^\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(after)
      const spec = specAt(j + (as ? as[0].length : 1))
      if (!spec) continue
      if (as) local.set(as[1]!, { line, from: { spec: spec.spec, name: '*' } })
      else stars.push({ spec: spec.spec, line })
      i = spec.end - 1
      continue
    }
    if (after.startsWith('{')) {
      const close = code.indexOf('}', j)
      if (close < 0) continue
      const spec = specAt(close + 1)
      for (const part of code.slice(j + 1, close).split(',')) {
        const m = /^\s*(type\s+)?([A-Za-z_$][\w$]*|default)(?:\s+as\s+([A-Za-z_$][\w$]*|default))?\s*$/.exec(part)
        if (!m || m[1]) continue
        local.set(m[3] ?? m[2]!, { line, ...(spec ? { from: { spec: spec.spec, name: m[2]! } } : {}) })
      }
      continue
    }
    const decl = /^(?:declare\s+)?(?:(?:const\s+)?enum\s+|(?:const|let|var)\s+|(?:async\s+)?function\s*\*?\s*|(?:abstract\s+)?class\s+)/.exec(after)
    if (!decl || /^declare\s/.test(after)) continue
    const name = IDENT.exec(after.slice(decl[0].length))
    if (name) local.set(name[0], { line })
  }
  return { local, stars }
}

/** `text` with comments, string, template and regular-expression contents replaced by spaces (newlines kept). */
function blank(text: string): string {
  const out = text.split('')
  const wipe = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' '
  }
  // template nesting: each entry is the brace depth at which a `${` opened
  const templates: number[] = []
  let braces = 0
  let i = 0
  const n = text.length
  let prev = '' // the last significant character, to tell a regex from a division
  while (i < n) {
    const c = text[i]!
    const d = text[i + 1]
    if (c === '/' && d === '/') {
      const end = text.indexOf('\n', i)
      const stop = end < 0 ? n : end
      wipe(i, stop)
      i = stop
      continue
    }
    if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end < 0 ? n : end + 2
      wipe(i, stop)
      i = stop
      continue
    }
    if (c === '"' || c === "'") {
      let k = i + 1
      while (k < n && text[k] !== c && text[k] !== '\n') k += text[k] === '\\' ? 2 : 1
      wipe(i + 1, Math.min(k, n))
      i = k + 1
      prev = 'x'
      continue
    }
    if (c === '`' || (c === '}' && templates.length && templates[templates.length - 1] === braces)) {
      if (c === '}') templates.pop()
      let k = i + 1
      while (k < n && text[k] !== '`' && !(text[k] === '$' && text[k + 1] === '{')) k += text[k] === '\\' ? 2 : 1
      wipe(i + 1, Math.min(k, n))
      if (text[k] === '$') {
        templates.push(braces)
        i = k + 2
        prev = '{'
      } else {
        i = k + 1
        prev = 'x'
      }
      continue
    }
    if (c === '/' && (prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev))) {
      let k = i + 1
      let cls = false
      while (k < n && text[k] !== '\n' && (cls || text[k] !== '/')) {
        if (text[k] === '\\') k++
        else if (text[k] === '[') cls = true
        else if (text[k] === ']') cls = false
        k++
      }
      wipe(i + 1, Math.min(k, n))
      i = k + 1
      prev = 'x'
      continue
    }
    if (c === '{') braces++
    else if (c === '}') braces--
    if (!/\s/.test(c)) prev = c
    i++
  }
  return out.join('')
}

/** 1-based line of an offset. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}
