/**
 * The shadow database of `generate`: which extensions the embedded one must load, and the check
 * that a new migration replays from scratch on top of the history before it is written.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Database } from '../db/database.js'
import { createdExtensions, explainUnavailable } from '../db/pglite-extensions.js'
import { CairnError, isCairnError } from '../errors.js'
import type { DirFs, MigrationDir } from '../migrate/migration-dir.js'
import { writeMigration } from '../migrate/migration-dir.js'
import type { Model } from '../model/types.js'
import type { ScratchDatabase } from '../db/scratch.js'
import { ModelCache } from './model-cache.js'

/** Extensions the history's `CREATE EXTENSION` statements name. */
export function historyExtensions(history: Pick<MigrationDir, 'migrations'>): string[] {
  const created = new Set<string>()
  for (const m of history.migrations) for (const n of createdExtensions(m.up)) created.add(n)
  return [...created].sort()
}

/** Extensions the shadow needs: those the definitions declare and those the history creates. */
export function shadowExtensions(model: Model, history: MigrationDir): { declared: string[]; created: string[] } {
  const declared = model.extensions.map((x) => x.name)
  return { declared: [...new Set(declared)].sort(), created: historyExtensions(history) }
}

/**
 * Opens an embedded scratch database with the extensions the definitions declare (an extension the
 * engine lacks is `extension_unavailable`) and those the history creates (one it lacks fails the
 * replay, explained the same way).
 */
export async function openShadowPglite(ext: { declared: readonly string[]; created: readonly string[] }, from?: string): Promise<Database> {
  const { pgliteHasExtension, extensionUnavailable } = await import('../db/pglite-extensions.js')
  const missing = ext.declared.filter((n) => !pgliteHasExtension(n))
  if (missing.length) throw extensionUnavailable(missing, 'the shadow database')
  const extensions = [...new Set([...ext.declared, ...ext.created])].filter(pgliteHasExtension)
  const { openScratchPglite } = await import('../db/scratch.js')
  return openScratchPglite({ extensions, ...(from ? { from } : {}) })
}

/**
 * The shadow database itself, kept after a new migration was checked: `<cache>/shadow-db/data`
 * with the hash of the cairn.sum it holds in `<cache>/shadow-db/sum`. The next check copies it and
 * applies only the newer migration instead of replaying the whole history. One entry.
 */
export function savedShadow(cache: ModelCache, sum: string | undefined): string | undefined {
  if (!cache.enabled || sum === undefined) return undefined
  const dir = path.join(cache.dir, 'shadow-db')
  try {
    if (readFileSync(path.join(dir, 'sum'), 'utf8') !== ModelCache.hash(sum)) return undefined
  } catch {
    return undefined
  }
  return existsSync(path.join(dir, 'data', 'PG_VERSION')) ? path.join(dir, 'data') : undefined
}

/** Keeps `db` (a scratch database holding the history up to `sum`) for {@link savedShadow}; best effort. */
export async function saveShadow(cache: ModelCache, sum: string | undefined, db: Database): Promise<boolean> {
  const save = (db as Partial<ScratchDatabase>).saveTo
  if (!cache.enabled || sum === undefined || !save) return false
  const dir = path.join(cache.dir, 'shadow-db')
  try {
    rmSync(path.join(dir, 'sum'), { force: true })
    await save.call(db, path.join(dir, 'data'))
    writeFileSync(path.join(dir, 'sum'), ModelCache.hash(sum))
    return true
  } catch {
    return false
  }
}

/** A DirFs that keeps writes in memory over `base` (reads see them; nothing reaches `base`). */
export function overlayFs(base: DirFs): DirFs {
  const files = new Map<string, string>()
  const dirs = new Map<string, Set<string>>()
  const norm = (p: string) => path.normalize(p)
  const add = (p: string, isDir: boolean) => {
    const parent = norm(path.dirname(p))
    const set = dirs.get(parent) ?? new Set<string>()
    set.add(`${isDir ? 'd' : 'f'}:${path.basename(p)}`)
    dirs.set(parent, set)
  }
  return {
    ...base,
    async readdir(d) {
      const entries = (await base.readdir(d)) ?? undefined
      const extra = dirs.get(norm(d))
      if (!extra) return entries
      const out = [...(entries ?? [])]
      for (const e of extra) {
        const name = e.slice(2)
        if (!out.some((x) => x.name === name)) out.push({ name, isDirectory: e.startsWith('d:') })
      }
      return out
    },
    async readFile(f) {
      const k = norm(f)
      return files.has(k) ? files.get(k) : base.readFile(f)
    },
    async writeFile(f, text) {
      files.set(norm(f), text)
      add(f, false)
    },
    async mkdir(d) {
      add(d, true)
    },
  }
}

/**
 * Replays the history and then the new migration into `db` (an empty database) with the real
 * runner, nothing written to disk. Throws `replay_failed` (exit 3) when the new migration does not
 * apply, `extension_unavailable` (exit 2) when the engine lacks an extension it needs.
 */
export async function checkNewMigrationReplays(
  db: Database,
  o: { fs: DirFs; dirRel: string; name: string; up: string; down: string; now: Date },
): Promise<void> {
  const fs = overlayFs(o.fs)
  const written = await writeMigration({ fs, dir: o.dirRel, name: o.name, up: o.up, down: o.down, now: o.now })
  const { migrateUp } = await import('../migrate/runner.js')
  try {
    await migrateUp(db, { dir: o.dirRel, fs })
  } catch (e) {
    const x = explainUnavailable(e, `the shadow database (${db.target})`)
    if (x !== e) throw x
    if (isCairnError(e) && e.code === 'connection_lost') throw e
    const reason = e instanceof Error ? e.message : String(e)
    throw new CairnError('replay_failed', `the new migration ${written.name} does not apply on top of ${o.dirRel}/ from scratch: ${reason}`, {
      hint: 'nothing was written; this is a bug in cairn unless the history was edited by hand: report it with the definitions',
      exitCode: 3,
      cause: e,
    })
  }
}
