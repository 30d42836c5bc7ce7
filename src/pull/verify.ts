/**
 * Checks pulled definitions the way cairn will read them: the files are bundled (esbuild, in
 * memory, the DSL import resolved to this cairn's own DSL), imported, and built into a model with
 * the loader's own `collectModel`; that model is compared with the database's. Every difference a
 * warning does not already explain becomes a `not_round_trip` warning, so that nothing the
 * definitions lose goes unsaid.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'
import type { Model } from '../model/types.js'
import type { Issue } from '../errors.js'
import { collectModel } from '../load/build-model.js'
import { loadSqlFragmentParser } from '../load/sql-fragments.js'
import { compareModels, covers } from './compare.js'
import type { ModelDifference } from './compare.js'
import type { PulledFile, PullWarning } from './emit.js'

/** What loading the pulled files gave. */
export interface LoadedPull {
  readonly model?: Model
  /** The loader's validation issues (an exact pull has none). */
  readonly issues: readonly Issue[]
  /** Set when the files could not be bundled or imported. */
  readonly error?: string
}

/** The DSL module of this cairn (source under tsx and vitest, compiled under dist). */
function ownDsl(): string {
  const js = fileURLToPath(new URL('../dsl/index.js', import.meta.url))
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts')
}

/** Bundles and imports `files` (paths relative to one folder, `entry` among them) and builds their model. */
export async function loadPulledFiles(files: readonly PulledFile[], entry: string, dslImport: string): Promise<LoadedPull> {
  const byPath = new Map(files.map((f) => [path.posix.normalize(f.path), f.text]))
  const dsl = ownDsl()
  const virtual: Plugin = {
    name: 'cairn-pulled-files',
    setup(b) {
      const escaped = dslImport.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      b.onResolve({ filter: new RegExp(`^(${escaped}|cairn-pg/dsl|cairn/dsl)$`) }, () => ({ path: dsl }))
      b.onResolve({ filter: /^pulled:/ }, (a) => ({ path: a.path.slice('pulled:'.length), namespace: 'pulled' }))
      b.onResolve({ filter: /^\.\.?\// }, (a) => {
        if (a.namespace !== 'pulled') return undefined
        const p = path.posix.normalize(path.posix.join(path.posix.dirname(a.importer), a.path)).replace(/\.js$/, '.ts')
        return { path: p, namespace: 'pulled' }
      })
      b.onLoad({ filter: /.*/, namespace: 'pulled' }, (a) => {
        const text = byPath.get(a.path)
        return text === undefined ? { errors: [{ text: `no pulled file ${a.path}` }] } : { contents: text, loader: 'ts' }
      })
    },
  }
  const { build } = await import('esbuild')
  let code: string
  try {
    const out = await build({
      stdin: { contents: `export * from ${JSON.stringify(`pulled:${path.posix.normalize(entry)}`)}\n`, resolveDir: '/', sourcefile: 'entry.ts', loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [virtual],
    })
    code = out.outputFiles[0]!.text
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0]
    return { issues: [], error: first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : (e as Error).message }
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-pull-'))
  const file = path.join(dir, 'pulled.mjs')
  try {
    writeFileSync(file, code)
    const [exports] = await Promise.all([import(pathToFileURL(file).href) as Promise<Record<string, unknown>>, loadSqlFragmentParser()])
    const { model, issues } = collectModel(exports, { root: dir })
    return { model, issues }
  } catch (e) {
    return { issues: [], error: String((e as Error).message ?? e).split('\n')[0] }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The outcome of checking pulled definitions against the database's model. */
export interface PullCheck {
  /** Differences no earlier warning explains. */
  readonly unexplained: readonly ModelDifference[]
  /** Every difference found. */
  readonly differences: readonly ModelDifference[]
  /** New warnings for what loading revealed (issues, a failed load, unexplained differences). */
  readonly warnings: readonly PullWarning[]
  readonly loaded: LoadedPull
}

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v))

/** Loads the pulled files and compares them with `expected` (the database's model). */
export async function checkPull(
  expected: Model,
  files: readonly PulledFile[],
  warnings: readonly PullWarning[],
  options: { entry?: string; dslImport?: string } = {},
): Promise<PullCheck> {
  const loaded = await loadPulledFiles(files, options.entry ?? 'index.ts', options.dslImport ?? 'cairn-pg/dsl')
  const out: PullWarning[] = []
  if (loaded.error !== undefined || !loaded.model) {
    out.push({
      code: 'not_round_trip',
      category: 'definitions do not load',
      object: 'definitions',
      message: `the pulled definitions do not load: ${loaded.error ?? 'no model'}`,
      covers: [],
    })
    return { unexplained: [], differences: [], warnings: out, loaded }
  }
  for (const i of loaded.issues) {
    out.push({ code: 'not_round_trip', category: `loader issue ${i.code}`, object: i.object ?? 'definitions', message: `the loader reports ${i.code}: ${i.message}`, covers: [] })
  }
  const differences = compareModels(expected, loaded.model)
  const unexplained = differences.filter((d) => !warnings.some((w) => w.covers.some((c) => covers(c, d.path))))
  for (const d of unexplained) {
    out.push({
      code: 'not_round_trip',
      category: `not reproduced: ${d.path.split('/').filter((_, i) => i === 0 || (i >= 2 && i % 2 === 0)).join('/')}`,
      object: d.path,
      message: `${d.path}: the database has ${show(d.expected)}, the definitions give ${show(d.actual)}`,
      covers: [d.path],
    })
  }
  return { unexplained, differences, warnings: out, loaded }
}
