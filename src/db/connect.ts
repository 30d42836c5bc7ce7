import path from 'node:path'
import type { Database } from './database.js'
import { CairnError } from '../errors.js'
import { redactSecrets } from './redact.js'

/** Where the embedded development database lives, relative to the project root. */
export const DEFAULT_DEV_DIR = '.cairn/dev'

/**
 * Opens a database from a URL: `postgres://…` / `postgresql://…` (server), `pglite:memory`, or
 * `pglite:<dir>` (embedded, relative to `cwd`). Without a URL, `DATABASE_URL` is NOT consulted here
 * (the CLI decides that); the default is the embedded dev database under `.cairn/dev`.
 */
export async function connect(
  url: string | undefined,
  options: { cwd?: string; /** Extensions an embedded database loads (default: every one PGlite ships). */ extensions?: readonly string[] | 'all' } = {},
): Promise<Database> {
  const cwd = options.cwd ?? process.cwd()
  const target = url ?? `pglite:${DEFAULT_DEV_DIR}`
  // drivers load on first use: a command that never connects does not pay for them
  if (/^postgres(ql)?:\/\//i.test(target)) return (await import('./postgres.js')).openPostgres(target)
  if (target.startsWith('pglite:')) {
    const where = target.slice('pglite:'.length)
    const { openPglite } = await import('./pglite.js')
    // any migration may CREATE EXTENSION, and PGlite takes extensions only when it opens: every one
    // it ships is loaded (about half a second more at start-up than none)
    const extensions = options.extensions ?? 'all'
    if (where === 'memory' || where === '') return openPglite(undefined, { extensions })
    return openPglite(path.resolve(cwd, where), { extensions })
  }
  // whatever was given (another scheme, a libpq keyword string, a JDBC URL) may carry a password
  throw new CairnError('bad_url', `unsupported database URL "${redactSecrets(target)}"`, {
    hint: 'use postgres://user@host:5432/db, pglite:memory, or pglite:./path/to/dir',
  })
}
