/**
 * Caches that keep `generate` fast: canonicalising 500 tables in a scratch database takes seconds,
 * but only tables whose definition changed since the last run need it. Entries are keyed by a hash
 * of exactly the input they were computed from, so a stale entry can never be returned.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Database } from '../db/database.js'
import { stableJson } from '../diff/index.js'
import { canonicalize, reattachHints } from '../inspect/canonicalize.js'
import { normalizeModel, stripHints } from '../model/normalize.js'
import type { Model, TableDef } from '../model/types.js'

/** JSON values on disk under `<root>/.cairn/cache`, one file per key; a no-op when disabled. */
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
    // write then rename: a reader never sees half a file
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(value))
    renameSync(tmp, file)
  }
}

const TABLES_KEY = 'canonical-tables'

/**
 * canonicalize() with a per-table cache: when only tables changed since the last run, only those
 * tables (with the types, sequences and functions they may use, and without foreign keys, which
 * hold no expressions) are applied to the scratch database. Anything else falls back to a full
 * canonicalisation, which also refills the cache.
 */
export async function canonicalizeCached(
  model: Model,
  cache: ModelCache,
  openScratch: () => Promise<Database>,
): Promise<Model> {
  const plain = normalizeModel(stripHints(model))
  const fullKey = `canonical-${ModelCache.hash(stableJson(plain))}`
  const full = cache.get<Model>(fullKey)
  if (full) return reattachHints(model, full)

  const typesKey = ModelCache.hash(
    stableJson([plain.schemas, plain.extensions, plain.enums, plain.sequences, plain.functions, plain.roles]),
  )
  const tableKey = (t: TableDef) => ModelCache.hash(typesKey + stableJson(t))
  // views expand `*` and read column types at creation, so their canonical form depends on tables
  const restInput = { ...plain, tables: plain.views.length ? plain.tables : [] }
  const restKey = `canonical-rest-${ModelCache.hash(stableJson(restInput))}`
  const rest = cache.get<Model>(restKey)
  const tables = cache.get<Record<string, TableDef>>(TABLES_KEY) ?? {}

  let result: Model | undefined
  if (rest) result = await canonicalizeTables(plain, rest, tables, tableKey, openScratch)
  if (!result) result = await canonicalize(plain, await openScratch())

  const byKey: Record<string, TableDef> = {}
  const canonicalByName = new Map(result.tables.map((t) => [`${t.schema}.${t.name}`, t]))
  for (const t of plain.tables) {
    const c = canonicalByName.get(`${t.schema}.${t.name}`)
    if (c) byKey[tableKey(t)] = c
  }
  cache.set(TABLES_KEY, byKey)
  cache.set(restKey, { ...result, tables: [] })
  cache.set(fullKey, result)
  return reattachHints(model, result)
}

async function canonicalizeTables(
  plain: Model,
  rest: Model,
  cached: Record<string, TableDef>,
  tableKey: (t: TableDef) => string,
  openScratch: () => Promise<Database>,
): Promise<Model | undefined> {
  const missing = plain.tables.filter((t) => cached[tableKey(t)] === undefined)
  const done = new Map<string, TableDef>()
  for (const t of plain.tables) {
    const c = cached[tableKey(t)]
    if (c) done.set(`${t.schema}.${t.name}`, c)
  }
  if (missing.length) {
    if (missing.some((t) => t.partitionOf)) return undefined
    const sub: Model = {
      ...plain,
      sequences: plain.sequences.map(({ ownedBy: _ownedBy, ...s }) => s),
      tables: missing.map((t) => ({ ...t, foreignKeys: [] })),
      views: [],
      triggers: [],
      grants: [],
    }
    let canonical: Model
    try {
      canonical = await canonicalize(sub, await openScratch())
    } catch {
      return undefined
    }
    const byName = new Map(canonical.tables.map((t) => [`${t.schema}.${t.name}`, t]))
    for (const t of missing) {
      const c = byName.get(`${t.schema}.${t.name}`)
      if (!c) return undefined
      done.set(`${t.schema}.${t.name}`, { ...c, foreignKeys: t.foreignKeys })
    }
  }
  const tables = plain.tables.map((t) => done.get(`${t.schema}.${t.name}`) as TableDef)
  return normalizeModel({ ...rest, tables })
}
