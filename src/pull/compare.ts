/**
 * A structural comparison of two models that names each difference by a path
 * (`tables/app.users/columns/email/default`), so that `pull` can say exactly what the written
 * definitions would not reproduce, and match those paths against the warnings it already gave.
 */
import type { Model } from '../model/types.js'
import { normalizeModel, stripHints } from '../model/normalize.js'
import { stableJson } from '../diff/index.js'

/** One difference: what the database has at `path` and what the definitions give. */
export interface ModelDifference {
  readonly path: string
  /** The database's value (undefined: the definitions add something the database lacks). */
  readonly expected: unknown
  /** The definitions' value (undefined: lost). */
  readonly actual: unknown
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The key of a top-level object, as used in paths. */
export function objectKey(collection: string, o: Obj): string {
  const sn = `${o.schema}.${o.name}`
  switch (collection) {
    case 'schemas':
    case 'extensions':
    case 'roles':
    case 'eventTriggers':
      return String(o.name)
    case 'functions':
    case 'aggregates':
      return `${sn}(${o.args})`
    case 'triggers':
      return `${o.schema}.${o.table}.${o.name}`
    case 'grants':
      return `${o.on} ${sn}${o.args !== undefined ? `(${o.args})` : ''}${o.column !== undefined ? ` column ${o.column}` : ''} ${o.revoke ? 'revoked from' : 'to'} ${o.role}${o.withGrantOption ? ' with grant option' : ''}`
    case 'defaultPrivileges':
      return `${o.role ?? 'current role'} in ${o.schema ?? '*'} on ${o.on} to ${o.grantee}${o.withGrantOption ? ' with grant option' : ''}${o.revoke ? ' revoke' : ''}`
    default:
      return o.schema !== undefined ? sn : String(o.name)
  }
}

function keyed(items: readonly unknown[], keyOf: (o: Obj, i: number) => string): Map<string, unknown> {
  return new Map(items.map((x, i) => [isObj(x) ? keyOf(x, i) : String(i), x]))
}

function walk(path: string, a0: unknown, b0: unknown, out: ModelDifference[]): void {
  // a list one side leaves out (an optional `exclusions`) is compared as empty, member by member
  const a = a0 === undefined && Array.isArray(b0) ? [] : a0
  const b = b0 === undefined && Array.isArray(a0) ? [] : b0
  if (stableJson(a) === stableJson(b)) return
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(`${path}/${k}`, a[k], b[k], out)
    return
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((x) => isObj(x) && typeof x.name === 'string')) {
    const ka = keyed(a, (o) => String(o.name))
    const kb = keyed(b, (o) => String(o.name))
    for (const k of new Set([...ka.keys(), ...kb.keys()])) walk(`${path}/${k}`, ka.get(k), kb.get(k), out)
    // the same members in another order (columns): one difference for the order itself
    if (ka.size === kb.size && [...ka.keys()].every((k) => kb.has(k)) && [...ka.keys()].join('\0') !== [...kb.keys()].join('\0')) {
      out.push({ path: `${path}/(order)`, expected: [...ka.keys()], actual: [...kb.keys()] })
    }
    return
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && [...a, ...b].every(isObj)) {
    a.forEach((x, i) => walk(`${path}/${i}`, x, b[i], out))
    return
  }
  out.push({ path, expected: a, actual: b })
}

/**
 * Differences between `expected` (the database) and `actual` (the definitions, as loaded), in
 * normal form, DSL hints and `unmodelled` left out.
 */
export function compareModels(expected: Model, actual: Model): ModelDifference[] {
  const a = normalizeModel(stripHints(expected)) as unknown as Obj
  const b = normalizeModel(stripHints(actual)) as unknown as Obj
  const out: ModelDifference[] = []
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'unmodelled' || k === 'version') continue
    const x = a[k]
    const y = b[k]
    if (Array.isArray(x) || Array.isArray(y)) {
      const ka = keyed((x as unknown[] | undefined) ?? [], (o) => objectKey(k, o))
      const kb = keyed((y as unknown[] | undefined) ?? [], (o) => objectKey(k, o))
      for (const key of new Set([...ka.keys(), ...kb.keys()])) walk(`${k}/${key}`, ka.get(key), kb.get(key), out)
    } else walk(k, x, y, out)
  }
  return out
}

/** True when `path` is `prefix` or lies under it. */
export function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`)
}
