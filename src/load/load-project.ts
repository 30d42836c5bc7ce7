/**
 * Loads a project's definitions: imports `<root>/schema/index.ts` (TypeScript, at runtime through
 * tsx), builds the model from everything it exports, and validates it.
 */
import { existsSync } from 'node:fs'
import { findSourceMap } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Model } from '../model/types.js'
import { CairnError, isCairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { collectModel, invalidSchemaError } from './build-model.js'

/** Options of loadProject. */
export interface LoadOptions {
  /** The project root, holding `schema/index.ts`. */
  readonly root: string
  /** Return the issues instead of throwing `invalid_schema` (default false). */
  readonly collectIssues?: boolean
}

/** Where the definitions' entry point lives, relative to the project root. */
export const SCHEMA_ENTRY = 'schema/index.ts'

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
  const exports = await importSchema(entry, root)
  const { model, issues } = collectModel(exports, { root })
  if (issues.length && !options.collectIssues) throw invalidSchemaError(issues)
  return { model, issues }
}

async function importSchema(entry: string, root: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api')
  try {
    return (await tsImport(pathToFileURL(entry).href, import.meta.url)) as Record<string, unknown>
  } catch (e) {
    if (isCairnError(e)) throw e
    const err = e as Error
    const where = locate(err, root) ?? path.relative(root, entry)
    const first = String(err.message ?? err).split('\n').filter(Boolean)
    const message = first.find((l) => /ERROR:/.test(l))?.replace(/^.*ERROR:\s*/, '') ?? first[0] ?? 'unknown error'
    throw new CairnError('schema_load_failed', `cannot load the schema definitions: ${message}`, {
      file: where,
      hint: 'fix the TypeScript error at the location shown (npx tsc --noEmit gives the full picture)',
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
