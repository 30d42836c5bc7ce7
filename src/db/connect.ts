import { existsSync } from 'node:fs'
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
    const [{ openPglite }, { templateData }] = await Promise.all([import('./pglite.js'), import('./scratch.js')])
    // any migration may CREATE EXTENSION, and PGlite takes extensions only when it opens: every one
    // it ships is offered (each loads when CREATE EXTENSION asks for it)
    const extensions = options.extensions ?? 'all'
    // a new database starts from the initialised template instead of running initdb (seconds)
    const dir = where === 'memory' || where === '' ? undefined : path.resolve(cwd, where)
    const fresh = dir === undefined || !existsSync(path.join(dir, 'PG_VERSION'))
    return openPglite(dir, { extensions, ...(fresh ? { loadDataDir: await templateData() } : {}) })
  }
  // whatever was given (another scheme, a libpq keyword string, a JDBC URL) may carry a password
  throw new CairnError('bad_url', `unsupported database URL "${redactSecrets(target)}"`, {
    hint: 'use postgres://user@host:5432/db, pglite:memory, or pglite:./path/to/dir',
  })
}
