import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import { pgliteDialect } from './pglite-dialect.js'
import type { Database, Queryable, Session } from './database.js'
import { CairnError } from '../errors.js'
import { explainUnavailable, pgliteExtensions } from './pglite-extensions.js'

/** Options of {@link openPglite}. */
export interface PgliteOptions {
  /**
   * Extensions to load (PGlite takes them at construction; `CREATE EXTENSION` of any other fails):
   * names as `CREATE EXTENSION` spells them, or `'all'` that the engine ships. Default none.
   */
  readonly extensions?: readonly string[] | 'all'
  /** A new database (in memory, or a folder with no cluster yet) starts from this data directory tarball (PGlite's `dumpDataDir`) instead of running initdb. */
  readonly loadDataDir?: Blob
}

/**
 * Opens an embedded PGlite database: in memory when `dataDir` is undefined, else persisted in that
 * folder (created if missing). PGlite has a single connection, so sessions and transactions share it.
 */
export async function openPglite(dataDir?: string, options: PgliteOptions = {}): Promise<Database> {
  let pglite: PGlite
  const extensions = options.extensions ? await pgliteExtensions(options.extensions) : undefined
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true })
    pglite = await PGlite.create(dataDir, {
      ...(extensions ? { extensions: extensions as never } : {}),
      ...(options.loadDataDir && !(dataDir && existsSync(path.join(dataDir, 'PG_VERSION'))) ? { loadDataDir: options.loadDataDir } : {}),
    })
  } catch (e) {
    throw new CairnError('db_unreachable', `cannot open the embedded database at ${dataDir ?? 'memory'}: ${(e as Error).message}`, {
      hint: 'another cairn process may hold it open, or the folder is not a PGlite data directory; remove it to start over',
      cause: e,
    })
  }
  const r = await pglite.query<{ v: string }>(`select current_setting('server_version_num') as v`)
  const kysely = new Kysely<any>({ dialect: pgliteDialect(pglite) })
  const q = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query(sql, params) {
      try {
        const res = await target.query(sql, params as unknown[] | undefined)
        return res.rows as never
      } catch (e) {
        throw explainUnavailable(e)
      }
    },
    async exec(sql) {
      try {
        await target.exec(sql)
      } catch (e) {
        throw explainUnavailable(e)
      }
    },
    async copyFrom(sql, data) {
      const parts = (Array.isArray(data) ? data : [data]) as NonNullable<ConstructorParameters<typeof Blob>[0]>
      const res = await target.query(sql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'"), [], { blob: new Blob(parts) })
      return res.affectedRows ?? 0
    },
  })
  const transaction = <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> =>
    pglite.transaction((tx) => fn(q(tx as never)))
  const base = q(pglite)
  return {
    engine: 'pglite',
    target: dataDir ? `pglite:${dataDir}` : 'pglite:memory',
    serverVersion: Number(r.rows[0].v),
    kysely,
    ...base,
    transaction,
    session: (fn) => {
      const s: Session = { ...base, transaction }
      return fn(s)
    },
    async close() {
      if (!pglite.closed) await pglite.close()
    },
  }
}
