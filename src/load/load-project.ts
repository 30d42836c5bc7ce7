/**
 * Loads a project's definitions: bundles `<root>/schema/index.ts` (TypeScript), plus
 * `views/index.ts` and `partitions/index.ts` when present, with esbuild into `.cairn/cache`,
 * imports the bundle, builds the model from everything it exports, and validates it.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { findSourceMap } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Model } from '../model/types.js'
import { CairnError, isCairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { collectModel, invalidSchemaError } from './build-model.js'
import { loadSqlFragmentParser } from './sql-fragments.js'

/** Options of loadProject. */
export interface LoadOptions {
  /** The project root, holding `schema/index.ts`. */
  readonly root: string
  /** Return the issues instead of throwing `invalid_schema` (default false). */
  readonly collectIssues?: boolean
}

/** Where the definitions' entry point lives, relative to the project root. */
export const SCHEMA_ENTRY = 'schema/index.ts'

/** Optional entry points loaded beside the schema when they exist: views and partitions. */
export const EXTRA_ENTRIES: readonly string[] = ['views/index.ts', 'partitions/index.ts']

/** The module text that re-exports the schema and each optional entry present, as one bundle. */
export function entryModule(root: string): string | undefined {
  const present = EXTRA_ENTRIES.filter((e) => existsSync(path.join(root, e)))
  if (!present.length) return undefined
  // each under its own namespace, so equal export names in two folders do not shadow each other
  return [`export * from './${SCHEMA_ENTRY}'`, ...present.map((e) => `export * as $${e.split('/')[0]} from './${e}'`)].join('\n') + '\n'
}

/**
 * Imports and validates the project's definitions. Throws CairnError('invalid_schema', exit 2)
 * listing every problem, unless `collectIssues` is set; then the issues are returned.
 */
export async function loadProject(options: LoadOptions): Promise<{ model: Model; issues: Issue[] }> {
  const root = path.resolve(options.root)
  const entry = path.join(root, SCHEMA_ENTRY)
  if (!existsSync(entry)) {
    throw new CairnError('schema_not_found', `no ${SCHEMA_ENTRY} in ${root}`, {
      file: SCHEMA_ENTRY,
      hint: `create ${SCHEMA_ENTRY} re-exporting your definitions (export * from './users.js'), or pass --project <dir>`,
      exitCode: 2,
    })
  }
  // the parser that checks the definitions' raw SQL loads while the definitions are bundled
  const [exports] = await Promise.all([importSchema(entry, root), loadSqlFragmentParser()])
  const { model, issues } = collectModel(exports, { root })
  if (issues.length && !options.collectIssues) throw invalidSchemaError(issues)
  return { model, issues }
}

async function importSchema(entry: string, root: string): Promise<Record<string, unknown>> {
  // one esbuild bundle of the definitions (packages stay external), imported as plain ESM: far
  // cheaper than a module-loader hook that transpiles file by file, and source maps keep file:line
  const { build } = await import('esbuild')
  let code: string
  try {
    const contents = entryModule(root)
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
    })
    code = out.outputFiles[0].text
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0]
    throw new CairnError('schema_load_failed', `cannot load the schema definitions: ${first?.text ?? (e as Error).message}`, {
      file: first?.location ? `${first.location.file}:${first.location.line}` : path.relative(root, entry),
      hint: 'fix the TypeScript error at the location shown (npx tsc --noEmit gives the full picture)',
      exitCode: 2,
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
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (e) {
    if (isCairnError(e)) throw e
    const err = e as Error
    throw new CairnError('schema_load_failed', `cannot load the schema definitions: ${String(err.message ?? err).split('\n')[0]}`, {
      file: locate(err, root) ?? path.relative(root, entry),
      hint: 'fix the error at the location shown; the definitions run when cairn loads them',
      exitCode: 2,
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
