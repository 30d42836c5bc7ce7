/**
 * Throwaway embedded databases (the shadow database of `generate` and `drift`, canonicalisation,
 * tests). Creating a PGlite cluster runs initdb (~3 s or more); starting an in-memory one from a
 * tarball of an initialised cluster takes a fraction of that, and nothing is copied to or removed
 * from the disk. The tarball (the one template) is made once per machine and reused.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import type { Database } from './database.js'
import { openPglite } from './pglite.js'
import type { PgliteOptions } from './pglite.js'

const TEMPLATE_FILE = 'pglite-0.5-v2.tar'

/** Where the initialised template lives: `$CAIRN_CACHE_DIR`, else the user's cache dir. */
export function cacheDir(): string {
  const base = process.env.CAIRN_CACHE_DIR ?? process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache')
  return process.env.CAIRN_CACHE_DIR ?? path.join(base, 'cairn')
}

/** The template's bytes, read once per process. */
let template: Promise<Blob> | undefined

async function readTemplate(): Promise<Blob> {
  const file = path.join(cacheDir(), TEMPLATE_FILE)
  if (!existsSync(file)) {
    const pg = await PGlite.create()
    const tar = await pg.dumpDataDir('none')
    await pg.close()
    mkdirSync(cacheDir(), { recursive: true })
    // written beside the final place, then renamed: a concurrent reader never sees half a template
    const tmp = `${file}.${process.pid}.tmp`
    writeFileSync(tmp, Buffer.from(await tar.arrayBuffer()))
    try {
      renameSync(tmp, file)
    } catch {
      rmSync(tmp, { force: true })
    }
  }
  return new Blob([readFileSync(file)])
}

/** The initialised template cluster (a data directory tarball), made on first use. */
export function templateData(): Promise<Blob> {
  template ??= readTemplate().catch((e) => {
    template = undefined
    throw e
  })
  return template
}

/** Options of {@link openScratchPglite}. */
export type ScratchOptions = Omit<PgliteOptions, 'loadDataDir'>

/**
 * Opens a fresh, empty embedded database in memory, started from the template, with
 * `options.extensions` loaded (the template is the same: extensions live in the engine, not the
 * cluster, until CREATE EXTENSION). Closing it leaves nothing behind.
 */
export async function openScratchPglite(options: ScratchOptions = {}): Promise<Database> {
  const db = await openPglite(undefined, { ...options, loadDataDir: await templateData() })
  return { ...db, target: 'pglite:scratch' }
}
