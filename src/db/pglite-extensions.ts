/**
 * The extensions the embedded engine can load. PGlite ships each contrib extension as a separate
 * import (`@electric-sql/pglite/contrib/<name>`, pgvector as `@electric-sql/pglite-pgvector`) and
 * takes them when the database is constructed: `CREATE EXTENSION` of one not passed then fails with
 * `extension "…" is not available`. Each loaded extension is unpacked and compiled at start-up
 * (loading all of them costs ~0.5–1 s per database), so the shadow and scratch databases load only
 * those the definitions and the history need. A `pglite:` database given by URL (the development
 * database `.cairn/dev` included) opens with all of them, because any pending migration may create one.
 */
import { CairnError } from '../errors.js'

type Loader = () => Promise<unknown>

const contrib = (module: string, exported = module): Loader => async () =>
  ((await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, unknown>)[exported]

/**
 * Extension name (as in `CREATE EXTENSION`) → its PGlite module. Left out: pg_stat_statements, whose
 * module puts itself into shared_preload_libraries of the data directory, which a later opener
 * without it then cannot start.
 */
const SHIPPED: Readonly<Record<string, Loader>> = {
  amcheck: contrib('amcheck'),
  bloom: contrib('bloom'),
  btree_gin: contrib('btree_gin'),
  btree_gist: contrib('btree_gist'),
  citext: contrib('citext'),
  cube: contrib('cube'),
  dict_int: contrib('dict_int'),
  dict_xsyn: contrib('dict_xsyn'),
  earthdistance: contrib('earthdistance'),
  file_fdw: contrib('file_fdw'),
  fuzzystrmatch: contrib('fuzzystrmatch'),
  hstore: contrib('hstore'),
  intarray: contrib('intarray'),
  isn: contrib('isn'),
  lo: contrib('lo'),
  ltree: contrib('ltree'),
  moddatetime: contrib('moddatetime'),
  pageinspect: contrib('pageinspect'),
  pg_buffercache: contrib('pg_buffercache'),
  pg_freespacemap: contrib('pg_freespacemap'),
  pg_surgery: contrib('pg_surgery'),
  pg_trgm: contrib('pg_trgm'),
  pg_visibility: contrib('pg_visibility'),
  pg_walinspect: contrib('pg_walinspect'),
  pgcrypto: contrib('pgcrypto'),
  seg: contrib('seg'),
  tablefunc: contrib('tablefunc'),
  tcn: contrib('tcn'),
  tsm_system_rows: contrib('tsm_system_rows'),
  tsm_system_time: contrib('tsm_system_time'),
  unaccent: contrib('unaccent'),
  'uuid-ossp': contrib('uuid_ossp'),
  vector: async () => (await import('@electric-sql/pglite-pgvector')).vector,
}

/** Extensions every PostgreSQL build has built in (nothing to load). */
const BUILT_IN = new Set(['plpgsql'])

/** Whether the embedded engine can load `name`. */
export function pgliteHasExtension(name: string): boolean {
  return BUILT_IN.has(name) || Object.hasOwn(SHIPPED, name)
}

/** The names the embedded engine can load, sorted. */
export function pgliteExtensionNames(): string[] {
  return Object.keys(SHIPPED).sort()
}

/** The error for extensions the embedded engine does not ship. */
export function extensionUnavailable(names: readonly string[], where = 'the embedded database'): CairnError {
  const list = names.map((n) => `"${n}"`).join(', ')
  return new CairnError('extension_unavailable', `${where} (PGlite) cannot load extension${names.length === 1 ? '' : 's'} ${list}`, {
    hint:
      'replay in a throwaway database on a PostgreSQL server that has the extension instead: ' +
      '--shadow-url postgres://…/cairn_shadow (CREATE DATABASE cairn_shadow); ' +
      `the embedded engine ships ${pgliteExtensionNames().join(', ')}`,
    meta: { extensions: [...names] },
  })
}

/**
 * The PGlite `extensions` option for `names` (`'all'`: every shipped one). Names the engine does not
 * ship throw `extension_unavailable`, unless `lenient` (names read from SQL text), which skips them.
 */
export async function pgliteExtensions(names: readonly string[] | 'all', lenient = false): Promise<Record<string, unknown>> {
  const wanted = names === 'all' ? pgliteExtensionNames() : [...new Set(names)].filter((n) => !BUILT_IN.has(n))
  const missing = wanted.filter((n) => !Object.hasOwn(SHIPPED, n))
  if (missing.length && !lenient) throw extensionUnavailable(missing)
  const out: Record<string, unknown> = {}
  await Promise.all(
    wanted.filter((n) => Object.hasOwn(SHIPPED, n)).map(async (n) => {
      out[n.replace(/-/g, '_')] = await SHIPPED[n]()
    }),
  )
  return out
}

/**
 * The extensions `CREATE EXTENSION` statements in `sql` create (comments and string literals left
 * out). A reading of the text, not a parse: a name it finds wrongly only loads one more extension.
 */
export function createdExtensions(sql: string): string[] {
  const text = sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n\r]*/g, ' ')
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
  const out = new Set<string>()
  const re = /\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/gi
  for (const m of text.matchAll(re)) {
    const raw = m[1]
    out.add(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase())
  }
  return [...out].sort()
}

/** Turns PGlite's `extension "x" is not available` into `extension_unavailable`; other errors pass. */
export function explainUnavailable(e: unknown, where?: string): unknown {
  const m = /extension "([^"]+)" is not available/.exec(e instanceof Error ? e.message : String(e))
  if (!m || !m[1]) return e
  const err = extensionUnavailable([m[1]], where)
  return new CairnError(err.code, `${err.message}: ${(e as Error).message ?? e}`, { hint: err.hint, cause: e, meta: { extensions: [m[1]] } })
}
