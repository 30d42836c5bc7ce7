/**
 * Throwaway embedded databases (the shadow database of `generate`, canonicalisation, tests).
 * Creating a PGlite cluster runs initdb (~3 s); copying an initialised template directory and
 * opening the copy takes a fraction of that, so the template is made once per machine and reused.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { Database } from './database.js'
import { openPglite } from './pglite.js'
import type { PgliteOptions } from './pglite.js'

const TEMPLATE_VERSION = 'pglite-0.5-v1'

/** Where the initialised template cluster lives: `$CAIRN_CACHE_DIR`, else the user's cache dir. */
export function cacheDir(): string {
  const base = process.env.CAIRN_CACHE_DIR ?? process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache')
  return process.env.CAIRN_CACHE_DIR ?? path.join(base, 'cairn')
}

async function ensureTemplate(): Promise<string> {
  const dir = path.join(cacheDir(), TEMPLATE_VERSION)
  if (existsSync(path.join(dir, 'PG_VERSION'))) return dir
  mkdirSync(cacheDir(), { recursive: true })
  // build beside the final place, then rename: a concurrent builder cannot observe a half-made template
  const building = mkdtempSync(path.join(cacheDir(), '.template-'))
  const pg = await PGlite.create(building)
  await pg.close()
  try {
    renameSync(building, dir)
  } catch {
    rmSync(building, { recursive: true, force: true })
  }
  return dir
}

/** Options of {@link openScratchPglite}. */
export interface ScratchOptions extends PgliteOptions {
  /** A data directory to start from (copied; default the empty template), e.g. a saved shadow. */
  readonly from?: string
}

/** A scratch database; `saveTo` closes it and keeps its data directory at `dest` instead of removing it. */
export interface ScratchDatabase extends Database {
  saveTo(dest: string): Promise<void>
}

/**
 * Opens a fresh, empty embedded database in a temporary directory that is removed on close, with
 * `options.extensions` loaded (the template is the same: extensions live in the engine, not the
 * cluster, until CREATE EXTENSION).
 */
export async function openScratchPglite(options: ScratchOptions = {}): Promise<ScratchDatabase> {
  const template = options.from ?? (await ensureTemplate())
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-scratch-'))
  cpSync(template, dir, { recursive: true })
  let db: Database
  try {
    db = await openPglite(dir, options)
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
  return {
    ...db,
    target: 'pglite:scratch',
    async close() {
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    },
    async saveTo(dest: string) {
      await db.close()
      // beside the destination first, then swapped in: a reader never copies half a cluster
      mkdirSync(path.dirname(dest), { recursive: true })
      const next = `${dest}.next-${process.pid}`
      rmSync(next, { recursive: true, force: true })
      try {
        renameSync(dir, next)
      } catch {
        // another file system: copy
        cpSync(dir, next, { recursive: true })
        rmSync(dir, { recursive: true, force: true })
      }
      rmSync(dest, { recursive: true, force: true })
      renameSync(next, dest)
    },
  }
}
