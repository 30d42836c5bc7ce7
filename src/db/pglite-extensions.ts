/**
 * The extensions the embedded engine can load. PGlite ships each contrib extension as a separate
 * import (`@electric-sql/pglite/contrib/<name>`, pgvector as `@electric-sql/pglite-pgvector`) and
 * takes them when the database is constructed: `CREATE EXTENSION` of one not passed then fails with
 * `extension "…" is not available`. PGlite itself unpacks every extension it is given at start-up
 * and compiles and instantiates its shared library there (all of them: ~0.5–1 s per database). The
 * loaders below hand PGlite the extension's files instead, unpacked once per process, and leave the
 * library to be compiled by PostgreSQL's own `dlopen` when a function of it is first called: an
 * extension that is loaded but never used costs next to nothing. The shadow and scratch databases
 * still load only those the definitions and the history need; a `pglite:` database given by URL (the
 * development database `.cairn/dev` included) opens with all of them, because any pending migration
 * may create one.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { CairnError } from '../errors.js'

type Loader = () => Promise<unknown>

/** The parts of a PGlite extension (`@electric-sql/pglite`'s `Extension`) the lazy wrapper uses. */
interface PgliteExtension {
  name: string
  setup: (pg: unknown, emscriptenOpts: EmscriptenOpts, clientOnly?: boolean) => Promise<ExtensionSetup>
}
interface EmscriptenOpts {
  preRun?: ((module: EmscriptenModule) => void)[]
  [key: string]: unknown
}
interface ExtensionSetup {
  bundlePath?: URL
  emscriptenOpts?: EmscriptenOpts
  [key: string]: unknown
}
interface EmscriptenModule {
  WASM_PREFIX: string
  FS: { analyzePath(p: string): { exists: boolean }; mkdirTree(p: string): void; writeFile(p: string, data: Uint8Array): void }
}

/** A file of an extension bundle, relative to the engine's install prefix. */
interface BundleFile {
  readonly name: string
  readonly data: Uint8Array
}

/** Regular files of a (GNU or POSIX) tar archive. */
export function untar(buf: Uint8Array): BundleFile[] {
  const out: BundleFile[] = []
  const text = (from: number, length: number): string => {
    const s = Buffer.from(buf.subarray(from, from + length)).toString('utf8')
    const nul = s.indexOf('\0')
    return nul < 0 ? s : s.slice(0, nul)
  }
  let longName: string | undefined
  for (let off = 0; off + 512 <= buf.length && buf[off] !== 0; ) {
    const size = parseInt(text(off + 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(buf[off + 156] || 48)
    const prefix = text(off + 257, 6) === 'ustar' ? text(off + 345, 155) : ''
    const name = longName ?? (prefix ? `${prefix}/${text(off, 100)}` : text(off, 100))
    const data = buf.subarray(off + 512, off + 512 + size)
    off += 512 + Math.ceil(size / 512) * 512
    longName = undefined
    if (type === 'L') longName = Buffer.from(data).toString('utf8').replace(/\0[\s\S]*$/, '')
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(data).toString('utf8'))?.[1]
    else if (type === '0' || type === '7') out.push({ name, data })
  }
  return out
}

const unpacked = new Map<string, BundleFile[]>()

/**
 * `ext`, whose bundle is written into the engine's file system before it starts instead of being
 * unpacked by PGlite (which also compiles and instantiates every `.so` in it at start-up): the
 * library is then compiled when PostgreSQL first loads it. Bundles are unpacked once per process.
 */
function lazyLibraries(ext: PgliteExtension): PgliteExtension {
  return {
    name: ext.name,
    async setup(pg, emscriptenOpts, clientOnly) {
      const setup = await ext.setup(pg, emscriptenOpts, clientOnly)
      const bundle = setup.bundlePath
      if (!(bundle instanceof URL) || bundle.protocol !== 'file:') return setup
      const key = bundle.href
      let files = unpacked.get(key)
      if (!files) {
        files = untar(gunzipSync(readFileSync(fileURLToPath(bundle))))
        unpacked.set(key, files)
      }
      const write = (mod: EmscriptenModule): void => {
        for (const f of files) {
          if (f.name.startsWith('.')) continue
          const to = `${mod.WASM_PREFIX}/${f.name}`
          const dir = to.slice(0, to.lastIndexOf('/'))
          if (!mod.FS.analyzePath(dir).exists) mod.FS.mkdirTree(dir)
          mod.FS.writeFile(to, f.data)
        }
      }
      const opts = setup.emscriptenOpts ?? emscriptenOpts
      return { ...setup, bundlePath: undefined, emscriptenOpts: { ...opts, preRun: [...(opts.preRun ?? []), write] } }
    },
  }
}

const contrib = (module: string, exported = module): Loader => async () =>
  lazyLibraries(((await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, PgliteExtension>)[exported]!)

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
  vector: async () => lazyLibraries((await import('@electric-sql/pglite-pgvector')).vector as unknown as PgliteExtension),
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
  return new CairnError(err.code, `${err.message}: ${(e as Error).message ?? e}`, { hint: err.hint, exitCode: 2, cause: e, meta: { extensions: [m[1]] } })
}
