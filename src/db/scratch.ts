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

/**
 * Opens a fresh, empty embedded database in a temporary directory that is removed on close, with
 * `options.extensions` loaded (the template is the same: extensions live in the engine, not the
 * cluster, until CREATE EXTENSION).
 */
export async function openScratchPglite(options: PgliteOptions = {}): Promise<Database> {
  const template = await ensureTemplate()
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
  }
}
