/**
 * Finds the project's backfill jobs: every `migrations/data/*.ts` (or `.js`/`.mjs`) file, imported
 * at runtime (TypeScript through tsx), and every export of it made by `defineBackfill`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { CairnError } from '../errors.js'
import { cmp } from '../model/normalize.js'
import type { BackfillJob } from './define-backfill.js'
import { isBackfillJob } from './define-backfill.js'

/** Where backfill job files live, relative to the project root. */
export const DATA_DIR = 'migrations/data'

/** Imports the job files of `dir` (default `<root>/migrations/data`) and returns their jobs, by file then export order. */
export async function loadBackfillJobs(options: { root: string; dir?: string }): Promise<BackfillJob[]> {
  const dir = path.resolve(options.root, options.dir ?? DATA_DIR)
  if (!fs.existsSync(dir)) {
    throw new CairnError('backfill_no_jobs', `no backfill jobs: ${path.relative(options.root, dir) || dir} does not exist`, {
      hint: `write jobs with defineBackfill() in ${DATA_DIR}/<name>.ts`,
      file: dir,
    })
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !/\.d\.ts$/.test(f) && !f.startsWith('_'))
    .sort(cmp)
  const jobs: BackfillJob[] = []
  const seen = new Map<string, string>()
  for (const f of files) {
    const file = path.join(dir, f)
    let mod: Record<string, unknown>
    try {
      mod = await importJobModule(file)
    } catch (e) {
      if (e instanceof CairnError) throw e
      throw new CairnError('backfill_job_load_failed', `cannot load ${path.relative(options.root, file)}: ${(e as Error).message}`, {
        file: path.relative(options.root, file),
        cause: e,
      })
    }
    for (const j of jobsOfModule(mod)) {
      const other = seen.get(j.name)
      if (other && other !== f) {
        throw new CairnError('backfill_duplicate_job', `backfill job "${j.name}" is defined in both ${other} and ${f}`, { file: f })
      }
      if (!other) {
        seen.set(j.name, f)
        // Where the job is defined, so that worker threads can load it too.
        jobs.push({ ...j, origin: file })
      }
    }
  }
  return jobs
}

/** Imports a job file (TypeScript through tsx). */
export async function importJobModule(file: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file)) {
    const { tsImport } = await import('tsx/esm/api')
    return (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>
  }
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>
}

/** The jobs a module exports (named or default exports made by defineBackfill), each once. */
export function jobsOfModule(mod: Record<string, unknown>): BackfillJob[] {
  const found = new Set<BackfillJob>()
  for (const v of Object.values(mod)) {
    if (isBackfillJob(v)) found.add(v)
    else if (v && typeof v === 'object' && isBackfillJob((v as { default?: unknown }).default)) found.add((v as { default: BackfillJob }).default)
  }
  return [...found]
}

/** Picks jobs by name (all when `names` is empty); unknown names are a usage error. */
export function selectJobs(jobs: readonly BackfillJob[], names: readonly string[]): BackfillJob[] {
  if (names.length === 0) return [...jobs]
  const byName = new Map(jobs.map((j) => [j.name, j]))
  const unknown = names.filter((n) => !byName.has(n))
  if (unknown.length) {
    throw new CairnError('backfill_unknown_job', `unknown backfill job${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `known jobs: ${[...byName.keys()].sort(cmp).join(', ') || '(none)'}`,
    })
  }
  return names.map((n) => byName.get(n)!)
}
