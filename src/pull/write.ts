/**
 * Writing pulled files into a folder: what is there already (a folder holding files is not
 * overwritten unless forced), what each file would become (created, updated, unchanged), the
 * unified diff, and the writing itself.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { PulledFile } from './emit.js'
import { unifiedDiff } from './file-diff.js'

/** What pulling would do to one file. */
export interface FilePlan {
  /** Relative to the output folder. */
  readonly path: string
  readonly status: 'created' | 'updated' | 'unchanged'
  readonly before?: string
  readonly after: string
}

/** Files in `dir` (recursively, dot-files and dot-folders left out), relative to it. */
export function existingFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  const out: string[] = []
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue
      const r = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) walk(r)
      else out.push(r)
    }
  }
  walk('')
  return out.sort()
}

/** Compares `files` with what `dir` holds. */
export function planFiles(dir: string, files: readonly PulledFile[]): FilePlan[] {
  return files.map((f) => {
    const target = path.join(dir, f.path)
    const before = existsSync(target) ? readFileSync(target, 'utf8') : undefined
    const status = before === undefined ? 'created' : before === f.text ? 'unchanged' : 'updated'
    return { path: f.path, status, ...(before !== undefined ? { before } : {}), after: f.text }
  })
}

/** The unified diff of every file that would change, paths shown relative to `shownDir`. */
export function diffFiles(plans: readonly FilePlan[], shownDir: string): string {
  return plans
    .filter((p) => p.status !== 'unchanged')
    .map((p) => unifiedDiff(path.posix.join(shownDir, p.path), p.before, p.after))
    .join('')
}

/** Writes the files that change. */
export function writeFiles(dir: string, plans: readonly FilePlan[]): void {
  for (const p of plans) {
    if (p.status === 'unchanged') continue
    const target = path.join(dir, p.path)
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, p.after)
  }
}
