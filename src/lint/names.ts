/**
 * Sets and maps keyed by object names that may or may not be schema-qualified. A file may create
 * `app.users` and later write `users` (the search path is not known to the linter), so a lookup of
 * an unqualified name matches any schema, and a qualified lookup also matches an unqualified entry.
 */
import type { Name } from './ast.js'

const key = (n: Name) => `${n.schema ?? ''}\u0000${n.name}`

export class NameMap<T> {
  private readonly exact = new Map<string, { name: Name; value: T }>()

  set(n: Name, value: T): void {
    this.exact.set(key(n), { name: n, value })
  }

  get(n: Name): T | undefined {
    const hit = this.exact.get(key(n))
    if (hit) return hit.value
    if (n.schema) return this.exact.get(key({ name: n.name }))?.value
    for (const e of this.exact.values()) if (e.name.name === n.name) return e.value
    return undefined
  }

  has(n: Name): boolean {
    return this.get(n) !== undefined
  }

  delete(n: Name): void {
    this.exact.delete(key(n))
    if (!n.schema) for (const [k, e] of this.exact) if (e.name.name === n.name) this.exact.delete(k)
  }

  entries(): Array<[Name, T]> {
    return [...this.exact.values()].map((e) => [e.name, e.value])
  }

  clone(): NameMap<T> {
    const m = new NameMap<T>()
    for (const [n, v] of this.entries()) m.set(n, v)
    return m
  }
}

export class NameSet {
  private readonly map = new NameMap<true>()
  add(n: Name): void {
    this.map.set(n, true)
  }
  has(n: Name): boolean {
    return this.map.has(n)
  }
  delete(n: Name): void {
    this.map.delete(n)
  }
  clone(): NameSet {
    const s = new NameSet()
    for (const [n] of this.map.entries()) s.add(n)
    return s
  }
}
