/**
 * The helpers every diff kind shares: deep equality, lookup by key, and the generic diff by key
 * (which items are added, dropped or present on both sides).
 */
import { cmp } from '../model/normalize.js'

/** JSON with sorted keys: a deep equality that ignores key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)))
      : val,
  )
}

/** A copy of `o` without `keys`. */
export function without<T extends object, K extends string>(o: T, ...keys: K[]): Omit<T, K> {
  const out = { ...o } as Record<string, unknown>
  for (const k of keys) delete out[k]
  return out as Omit<T, K>
}

/** Deep equality, ignoring key order. */
export const same = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b)

/** The key of a schema-qualified object. */
export const k2 = (schema: string, name: string): string => `${schema}.${name}`

/** `items` by `keyOf` (the last one wins on a duplicate key). */
export function byKey<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [keyOf(i), i]))
}

/** One item of the target side with its counterpart on the current side (undefined: added). */
export interface KeyedPair<T> {
  readonly from: T | undefined
  readonly to: T
}

/** Two lists of objects compared by key. */
export interface Keyed<T> {
  /** Every target item, in the target's order, with its current counterpart if any. */
  readonly pairs: readonly KeyedPair<T>[]
  /** Target items without a current counterpart, in the target's order. */
  readonly added: readonly T[]
  /** Current items without a target counterpart, in the current side's order. */
  readonly dropped: readonly T[]
  /** Items on both sides that differ (by `same`, or by `equal` when given), in the target's order. */
  readonly changed: readonly { readonly from: T; readonly to: T }[]
  readonly fromByKey: ReadonlyMap<string, T>
  readonly toByKey: ReadonlyMap<string, T>
}

/** Compares `from` and `to` by key: the generic added / dropped / changed of every kind. */
export function diffByKey<T>(
  from: readonly T[],
  to: readonly T[],
  keyOf: (t: T) => string,
  equal: (a: T, b: T) => boolean = same,
): Keyed<T> {
  const fromByKey = byKey(from, keyOf)
  const toByKey = byKey(to, keyOf)
  const pairs = to.map((t) => ({ from: fromByKey.get(keyOf(t)), to: t }))
  return {
    pairs,
    added: pairs.filter((p) => p.from === undefined).map((p) => p.to),
    dropped: from.filter((f) => !toByKey.has(keyOf(f))),
    changed: pairs.flatMap((p) => (p.from !== undefined && !equal(p.from, p.to) ? [{ from: p.from, to: p.to }] : [])),
    fromByKey,
    toByKey,
  }
}

export { mentions } from './graph.js'

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** True when `text` uses the identifier `column` (quoted or not). */
export function usesIdentifier(text: string, column: string): boolean {
  return new RegExp(`(?<![\\w"$])"?${esc(column)}"?(?![\\w$])`).test(text)
}
