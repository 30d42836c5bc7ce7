/**
 * Loads a project's definitions: bundles `<root>/schema/index.ts` (TypeScript), plus
 * `views/index.ts` and `partitions/index.ts` when present, with esbuild into `.cairn/cache`,
 * imports the bundle, builds the model from everything it exports, and validates it. The entry and
 * the two folders come from the project's cairn.config.ts when it sets them.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { findSourceMap } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'
import type { Model } from '../model/types.js'
import { CairnError, isCairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { configForRoot } from '../config/load-config.js'
import { collectRangeWindows } from './range-windows.js'
import type { RangeWindow } from './range-windows.js'
import { collectModel, invalidSchemaError } from './build-model.js'
import { loadSqlFragmentParser } from './sql-fragments.js'
import { exportCollisions } from './export-names.js'
import type { MetafileInput } from './export-names.js'

/** Options of loadProject. */
export interface LoadOptions {
  /** The project root, holding `schema/index.ts`. */
  readonly root: string
  /** Return the issues instead of throwing `invalid_schema` (default false). */
  readonly collectIssues?: boolean
  /** Where the definitions are, relative to root (default: the project's cairn.config.ts, else SCHEMA_ENTRY and EXTRA_ENTRIES). */
  readonly layout?: ProjectLayout
}

/** The definitions' entry point and the optional views and partitions folders, relative to the root. */
export interface ProjectLayout {
  readonly schema: string
  readonly views: string
  readonly partitions: string
}

/** Where the definitions' entry point lives, relative to the project root. */
export const SCHEMA_ENTRY = 'schema/index.ts'

/** Optional entry points loaded beside the schema when they exist: views and partitions. */
export const EXTRA_ENTRIES: readonly string[] = ['views/index.ts', 'partitions/index.ts']

/** The module text that re-exports the schema and each optional entry present, as one bundle. */
export function entryModule(root: string, layout?: ProjectLayout): string | undefined {
  const schema = layout?.schema ?? SCHEMA_ENTRY
  const extras = layout
    ? ([['views', layout.views], ['partitions', layout.partitions]] as const).map(([ns, dir]) => [ns, `${dir.replace(/\/+$/, '')}/index.ts`] as const)
    : EXTRA_ENTRIES.map((e) => [e.split('/')[0], e] as const)
  const present = extras.filter(([, e]) => existsSync(path.resolve(root, e)))
  if (!present.length) return undefined
  const spec = (e: string) => JSON.stringify(path.isAbsolute(e) ? e : `./${e}`)
  // each under its own namespace, so equal export names in two folders do not shadow each other
  return [`export * from ${spec(schema)}`, ...present.map(([ns, e]) => `export * as $${ns} from ${spec(e)}`)].join('\n') + '\n'
}

/** The layout of the project at `root`: its cairn.config.ts, else the defaults. */
async function layoutOf(root: string): Promise<ProjectLayout> {
  const c = await configForRoot(root)
  return { schema: c.schema, views: c.views, partitions: c.partitions }
}

/**
 * Imports and validates the project's definitions. Throws CairnError('invalid_schema', exit 2)
 * listing every problem, unless `collectIssues` is set; then the issues are returned.
 */
export async function loadProject(options: LoadOptions): Promise<{ model: Model; issues: Issue[]; windows: RangeWindow[] }> {
  const root = path.resolve(options.root)
  const given = options.layout ?? (await layoutOf(root))
  const layout = { ...given, schema: schemaEntryOf(root, given.schema) }
  const entry = path.resolve(root, layout.schema)
  if (!existsSync(entry)) {
    throw new CairnError('schema_not_found', `no ${layout.schema} in ${root}`, {
      file: layout.schema,
      hint: `create ${layout.schema} re-exporting your definitions (export * from './users.js'), set schema in cairn.config.ts, or pass --project <dir> (cairn init writes both)`,
    })
  }
  // the parser that checks the definitions' raw SQL loads while the definitions are bundled
  const [{ exports, inputs, entries }] = await Promise.all([importSchema(entry, root, layout), loadSqlFragmentParser()])
  const { model, issues } = collectModel(exports, { root })
  // two modules exporting one name: ES modules drop both or hide one, without a word
  issues.unshift(...exportCollisions(entries, inputs, root))
  // rolling partition windows (rangePartitions() with premake): what `cairn partitions` maintains
  const ranges = collectRangeWindows(exports, model, root)
  issues.push(...ranges.issues)
  if (issues.length && !options.collectIssues) throw invalidSchemaError(issues)
  return { model, issues, windows: ranges.windows }
}

/** `schema` as a file: a folder means its index.ts. */
function schemaEntryOf(root: string, schema: string): string {
  try {
    if (statSync(path.resolve(root, schema)).isDirectory()) return `${schema.replace(/\/+$/, '')}/index.ts`
  } catch {
    // missing: reported by the caller
  }
  return schema
}

/**
 * `cairn/dsl`, the DSL's name before the package was published as cairn-pg, is read as
 * `cairn-pg/dsl` (the name `cairn` on the registry is another package).
 */
const legacyDslName: Plugin = {
  name: 'cairn-legacy-dsl',
  setup(b) {
    b.onResolve({ filter: /^cairn\/dsl$/ }, () => ({ path: 'cairn-pg/dsl', external: true }))
  },
}

/** The bundle imported, where its imports resolved (esbuild's metafile), and the entry modules as the metafile names them. */
interface ImportedSchema {
  readonly exports: Record<string, unknown>
  readonly inputs: Readonly<Record<string, MetafileInput>>
  readonly entries: readonly string[]
}

async function importSchema(entry: string, root: string, layout: ProjectLayout): Promise<ImportedSchema> {
  // one esbuild bundle of the definitions (packages stay external), imported as plain ESM: far
  // cheaper than a module-loader hook that transpiles file by file, and source maps keep file:line
  const { build } = await import('esbuild')
  let code: string
  let inputs: Readonly<Record<string, MetafileInput>> = {}
  const key = (file: string) => path.relative(root, path.resolve(root, file)).split(path.sep).join('/')
  const extras = ([layout.views, layout.partitions] as const).map((d) => `${d.replace(/\/+$/, '')}/index.ts`).filter((e) => existsSync(path.resolve(root, e)))
  const entries = [key(entry), ...extras.map(key)]
  try {
    const contents = entryModule(root, layout)
    const out = await build({
      ...(contents !== undefined
        ? { stdin: { contents, resolveDir: root, sourcefile: 'cairn-entry.ts', loader: 'ts' as const } }
        : { entryPoints: [entry] }),
      absWorkingDir: root,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      write: false,
      sourcemap: 'inline',
      sourcesContent: false,
      outfile: path.join(root, '.cairn', 'cache', 'schema.mjs'),
      logLevel: 'silent',
      plugins: [legacyDslName],
      metafile: true,
    })
    code = out.outputFiles[0].text
    inputs = out.metafile.inputs
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0]
    throw new CairnError('schema_load_failed', `cannot load the schema definitions: ${first?.text ?? (e as Error).message}`, {
      file: first?.location ? `${first.location.file}:${first.location.line}` : path.relative(root, entry),
      hint: 'fix the TypeScript error at the location shown (npx tsc --noEmit gives the full picture)',
      cause: e,
    })
  }
  const dir = path.join(root, '.cairn', 'cache')
  const file = path.join(dir, `schema-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    writeFileSync(file, code)
  }
  process.setSourceMapsEnabled(true)
  try {
    return { exports: (await import(pathToFileURL(file).href)) as Record<string, unknown>, inputs, entries }
  } catch (e) {
    if (isCairnError(e)) throw e
    const err = e as Error
    throw new CairnError('schema_load_failed', `cannot load the schema definitions: ${String(err.message ?? err).split('\n')[0]}`, {
      file: locate(err, root) ?? path.relative(root, entry),
      hint: /Cannot find package '(cairn-pg|cairn)'/.test(String(err.message))
        ? 'the definitions import cairn-pg/dsl: install cairn-pg in the project (npm install cairn-pg)'
        : 'fix the error at the location shown; the definitions run when cairn loads them',
      cause: e,
    })
  }
}

/** The first `file:line` inside the project mentioned by an esbuild error or a stack. */
function locate(err: Error, root: string): string | undefined {
  const text = `${err.message ?? ''}\n${err.stack ?? ''}`
  const re = /((?:file:\/\/)?\/[^\s:()"'?]+\.[cm]?[tj]sx?)(\?[^\s:()]*)?:(\d+)(?::(\d+))?/g
  for (const m of text.matchAll(re)) {
    const file = m[1].replace(/^file:\/\//, '')
    let line = Number(m[3])
    if (m[2] && m[4]) {
      // unmapped frame of a tsx-loaded module (see resolveLocation)
      const e = findSourceMap(m[1] + m[2])?.findEntry(line - 1, Number(m[4]) - 1)
      if (e && 'originalLine' in e) line = e.originalLine + 1
    }
    if (!file.startsWith(root + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue
    return `${path.relative(root, file).split(path.sep).join('/')}:${line}`
  }
  return undefined
}
