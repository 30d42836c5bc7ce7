import path from 'node:path'
import type { Database } from './database.js'
import { openPglite } from './pglite.js'
import { openPostgres } from './postgres.js'
import { CairnError } from '../errors.js'

/** Where the embedded development database lives, relative to the project root. */
export const DEFAULT_DEV_DIR = '.cairn/dev'

/**
 * Opens a database from a URL: `postgres://…` / `postgresql://…` (server), `pglite:memory`, or
 * `pglite:<dir>` (embedded, relative to `cwd`). Without a URL, `DATABASE_URL` is NOT consulted here
 * (the CLI decides that); the default is the embedded dev database under `.cairn/dev`.
 */
export async function connect(url: string | undefined, options: { cwd?: string } = {}): Promise<Database> {
  const cwd = options.cwd ?? process.cwd()
  const target = url ?? `pglite:${DEFAULT_DEV_DIR}`
  if (/^postgres(ql)?:\/\//i.test(target)) return openPostgres(target)
  if (target.startsWith('pglite:')) {
    const where = target.slice('pglite:'.length)
    if (where === 'memory' || where === '') return openPglite()
    return openPglite(path.resolve(cwd, where))
  }
  throw new CairnError('bad_url', `unsupported database URL "${target}"`, {
    hint: 'use postgres://user@host:5432/db, pglite:memory, or pglite:./path/to/dir',
  })
}
