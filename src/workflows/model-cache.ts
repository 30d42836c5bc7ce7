/**
 * Caches that keep `generate` fast. Canonicalising a model means applying it to a scratch database
 * and reading it back (seconds for hundreds of tables), but the only parts of a DSL model that
 * change spelling on the way are its SQL expressions: the DSL writes everything else in normal
 * form already. So each expression's canonical spelling is remembered, keyed by the expression,
 * what kind of site it sits in, the types of the columns it names and, for views, functions, triggers
 * and policies, the definitions of the tables, views, functions and sequences they name (so a change
 * to one table keeps the spellings of the views that do not read it); a model whose expressions
 * are all known is canonicalised by substitution, with no database. Entries are keyed by a hash
 * of exactly the input they came from, so a stale entry is never returned.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { Database } from '../db/database.js'
import { stableJson } from '../diff/index.js'
import { normalizeModel, reattachHints, stripHints } from '../model/normalize.js'
import type { Model, TableDef } from '../model/types.js'

/** JSON values on disk, one file per key; a no-op when disabled. */
export class ModelCache {
  constructor(
    readonly dir: string,
    readonly enabled: boolean,
  ) {}

  /** A short content hash for cache keys. */
  static hash(text: string): string {
    return createHash('sha256').update(text).digest('hex').slice(0, 32)
  }

  get<T>(key: string): T | undefined {
    if (!this.enabled) return undefined
    try {
      return JSON.parse(readFileSync(path.join(this.dir, `${key}.json`), 'utf8')) as T
    } catch {
      return undefined
    }
  }

  set(key: string, value: unknown): void {
    if (!this.enabled) return
    mkdirSync(this.dir, { recursive: true })
    const file = path.join(this.dir, `${key}.json`)
    // write then rename: a concurrent reader never sees half a file
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(value))
    renameSync(tmp, file)
  }
}

const EXPRESSIONS_KEY = 'expressions'
/** The last model canonicalised through a database, under the hash of its input (one entry, overwritten). */
const LAST_CANONICAL_KEY = 'canonical-last'

interface ExpressionCache {
  /** site key → canonical text */
  readonly expressions: Record<string, string>
  /** tables whose non-expression parts did not survive the round trip as written: never substituted */
  readonly unreliable: string[]
}

/** The words of a text that can name an object, folded to lower case (quoted or not, in string literals too). */
function words(text: string): Set<string> {
  return new Set((text.match(/"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*/g) ?? []).map((w) => (w.startsWith('"') ? w.slice(1, -1).replaceAll('""', '"') : w).toLowerCase()))
}

/**
 * For a whole text (a view, function or trigger body, a policy), the hash of what its canonical
 * spelling can depend on among the tables, views, functions and sequences: every object whose name
 * (bare, any schema, any case) is a word of the text, then, through the views and functions found,
 * what their texts name in turn, and a table's partition parent. This contains the `reads` and
 * `names` edges of the dependency graph (src/diff/graph.ts) and more: written definitions may name
 * objects bare, as the search path resolves them, and a word that only looks like a name adds an
 * object, never loses one. Enums, domains and function signatures are in every key already.
 */
function readsKey(model: Model): (text: string, also?: readonly string[]) => string {
  interface Obj {
    readonly id: string
    readonly text: string
    readonly also: readonly string[]
  }
  const byName = new Map<string, Obj[]>()
  const add = (name: string, o: Obj) => {
    const k = name.toLowerCase()
    byName.set(k, [...(byName.get(k) ?? []), o])
  }
  const id = (kind: string, x: object) => `${kind}:${ModelCache.hash(stableJson(x))}`
  for (const t of model.tables) add(t.name, { id: id('table', t), text: '', also: t.partitionOf ? [t.partitionOf.parent] : [] })
  for (const v of model.views) add(v.name, { id: id('view', v), text: v.definition, also: [] })
  for (const f of model.functions) add(f.name, { id: id('function', f), text: f.definition, also: [] })
  for (const q of model.sequences) add(q.name, { id: id('sequence', q), text: '', also: [] })
  const memo = new Map<string, string>()
  return (text, also = []) => {
    const start = [...words(text), ...also.map((a) => a.toLowerCase())]
    const memoKey = start.join('\u0000')
    const hit = memo.get(memoKey)
    if (hit !== undefined) return hit
    const seen = new Set<string>()
    const found = new Set<string>()
    const queue = [...start]
    while (queue.length > 0) {
      const w = queue.pop()!
      if (seen.has(w)) continue
      seen.add(w)
      for (const o of byName.get(w) ?? []) {
        if (found.has(o.id)) continue
        found.add(o.id)
        if (o.text) queue.push(...words(o.text))
        queue.push(...o.also.map((a) => a.toLowerCase()))
      }
    }
    const key = ModelCache.hash([...found].sort().join(','))
    memo.set(memoKey, key)
    return key
  }
}

type Rewrite = (text: string, site: string) => string | undefined

/**
 * Visits every expression site of `model`, replacing each text with what `rewrite` returns;
 * returns undefined as soon as `rewrite` does.
 */
function mapExpressions(model: Model, rewrite: Rewrite): Model | undefined {
  const globals = ModelCache.hash(stableJson([model.schemas, model.extensions, model.enums, model.domains, model.functions]))
  let missing = false
  const r = (text: string, site: string): string => {
    const out = rewrite(text, `${globals}|${site}|${text}`)
    if (out === undefined) missing = true
    return out ?? text
  }
  const reads = readsKey(model)
  const tables = model.tables.map((t): TableDef => {
    const types = new Map(t.columns.map((c) => [c.name, c.type]))
    // what an expression's spelling depends on: the types of the columns it names
    const ctx = (text: string) =>
      [...new Set(text.match(/"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*/g) ?? [])]
        .map((w) => (w.startsWith('"') ? w.slice(1, -1).replaceAll('""', '"') : w))
        .filter((w) => types.has(w))
        .sort()
        .map((w) => `${w}:${types.get(w)}`)
        .join(',')
    return {
      ...t,
      columns: t.columns.map((c) => ({
        ...c,
        ...(c.default !== undefined ? { default: r(c.default, `default:${c.type}`) } : {}),
        ...(c.generated !== undefined ? { generated: r(c.generated, `generated:${c.type}:${ctx(c.generated)}`) } : {}),
      })),
      checks: t.checks.map((k) => ({ ...k, expression: r(k.expression, `check:${ctx(k.expression)}`) })),
      indexes: t.indexes.map((ix) => ({
        ...ix,
        keys: ix.keys.map((k) => {
          const key = k.expression !== undefined ? { ...k, expression: r(k.expression, `index:${ctx(k.expression)}`) } : k
          // an extension's operator class is printed qualified with the extension's schema (gin_trgm_ops → public.gin_trgm_ops)
          return key.opclass !== undefined ? { ...key, opclass: r(key.opclass, `opclass:${ix.method}`) } : key
        }),
        ...(ix.where !== undefined ? { where: r(ix.where, `where:${ctx(ix.where)}`) } : {}),
      })),
      policies: t.policies.map((p) => ({
        ...p,
        ...(p.using !== undefined ? { using: r(p.using, `using:${t.schema}.${t.name}:${ctx(p.using)}:${reads(p.using)}`) } : {}),
        ...(p.withCheck !== undefined ? { withCheck: r(p.withCheck, `check:${t.schema}.${t.name}:${ctx(p.withCheck)}:${reads(p.withCheck)}`) } : {}),
      })),
    }
  })
  // views, functions and triggers: keyed by the objects their text names (a trigger: its table too)
  const views = model.views.map((v) => ({ ...v, definition: r(v.definition, `view:${reads(v.definition)}`) }))
  const functions = model.functions.map((f) => ({ ...f, definition: r(f.definition, `function:${reads(f.definition)}`) }))
  const triggers = model.triggers.map((x) => ({ ...x, definition: r(x.definition, `trigger:${reads(x.definition, [x.table])}`) }))
  const domains = model.domains.map((d) => ({
    ...d,
    ...(d.default !== undefined ? { default: r(d.default, `domain-default:${d.type}`) } : {}),
    checks: d.checks.map((k) => ({ ...k, expression: r(k.expression, `domain-check:${d.type}`) })),
  }))
  if (missing) return undefined
  return { ...model, tables, views, functions, triggers, domains }
}

/** Lists every (site key, text) pair of a model, in visiting order. */
function expressionSites(model: Model): string[][] {
  const out: string[][] = []
  mapExpressions(model, (text, site) => {
    out.push([site, text])
    return text
  })
  return out
}

/** What a checked-in snapshot (snapshot.ts) offers canonicalisation. */
export interface CanonicalSeed {
  /** Hash of the definitions whose canonical form `model` is ({@link definitionsHash}). */
  readonly definitions?: string
  readonly model: Model
  readonly expressions?: Readonly<Record<string, string>>
  readonly unreliable?: readonly string[]
}

function withoutUnmodelled(m: Model): Model {
  if (m.unmodelled === undefined) return m
  const { unmodelled: _, ...rest } = m
  return rest as Model
}

/** The hash canonicalisation keys the definitions by: their model, hints removed, normalised. */
export function definitionsHash(model: Model): string {
  return ModelCache.hash(stableJson(normalizeModel(stripHints(model))))
}

/**
 * The known canonical spelling of each expression site of `model`, and the tables substitution
 * cannot be trusted for: what a snapshot carries so a fresh clone canonicalises without a database.
 */
export function expressionsFor(model: Model, cache: ModelCache): { expressions: Record<string, string>; unreliable: string[] } {
  const known = cache.get<ExpressionCache>(EXPRESSIONS_KEY) ?? { expressions: {}, unreliable: [] }
  const expressions: Record<string, string> = {}
  for (const [site] of expressionSites(normalizeModel(stripHints(model)))) {
    const v = known.expressions[site]
    if (v !== undefined) expressions[site] = v
  }
  return { expressions, unreliable: [...known.unreliable] }
}

/**
 * canonicalize() through the expression cache: substitution when every expression is known,
 * otherwise a scratch database (opened only then), after which the new spellings are learnt.
 */
export async function canonicalizeCached(
  model: Model,
  cache: ModelCache,
  openScratch: () => Promise<Database>,
  seed?: CanonicalSeed,
): Promise<Model> {
  const plain = normalizeModel(stripHints(model))
  // the same definitions as last time: their canonical form is already known, whatever substitution can do
  const input = ModelCache.hash(stableJson(plain))
  // the checked-in snapshot: the canonical form of the definitions it was generated from
  if (seed?.definitions === input) return reattachHints(model, withoutUnmodelled(seed.model))
  const last = cache.get<{ input: string; model: Model }>(LAST_CANONICAL_KEY)
  if (last?.input === input) return reattachHints(model, last.model)
  const local = cache.get<ExpressionCache>(EXPRESSIONS_KEY) ?? { expressions: {}, unreliable: [] }
  // a fresh clone knows the expressions of the snapshot's definitions
  const known: ExpressionCache = seed?.expressions
    ? { expressions: { ...seed.expressions, ...local.expressions }, unreliable: [...new Set([...local.unreliable, ...(seed.unreliable ?? [])])] }
    : local
  const unreliable = new Set(known.unreliable)
  if (!unreliable.has('*') && !plain.tables.some((t) => unreliable.has(`${t.schema}.${t.name}`))) {
    const substituted = mapExpressions(plain, (_text, site) => known.expressions[site])
    if (substituted) {
      // what a fresh clone knows from the snapshot is kept, so the next snapshot carries it too
      if (seed?.expressions && Object.keys(seed.expressions).some((k) => !(k in local.expressions))) cache.set(EXPRESSIONS_KEY, known)
      return reattachHints(model, normalizeModel(substituted))
    }
  }

  const { canonicalize } = await import('../inspect/canonicalize.js')
  const canonical = await canonicalize(plain, await openScratch())
  cache.set(LAST_CANONICAL_KEY, { input, model: canonical })
  // learn: the same site in the input and in the canonical model, paired in visiting order
  const inputSites = expressionSites(plain)
  const output = expressionSites(canonical)
  const expressions = { ...known.expressions }
  if (inputSites.length === output.length) inputSites.forEach(([site], i) => (expressions[site] = output[i][1]))
  const learnt = mapExpressions(plain, (_text, site) => expressions[site])
  const canonicalTables = new Map(canonical.tables.map((t) => [`${t.schema}.${t.name}`, t]))
  const bad = new Set(unreliable)
  for (const t of learnt ? normalizeModel(learnt).tables : plain.tables) {
    const k = `${t.schema}.${t.name}`
    if (!learnt || !isDeepStrictEqual(t, canonicalTables.get(k))) bad.add(k)
    else bad.delete(k)
  }
  if (!learnt || !isDeepStrictEqual(normalizeModel({ ...learnt, tables: [] }), { ...canonical, tables: [] })) bad.add('*')
  else bad.delete('*')
  cache.set(EXPRESSIONS_KEY, { expressions, unreliable: [...bad].sort() } satisfies ExpressionCache)
  return reattachHints(model, canonical)
}
