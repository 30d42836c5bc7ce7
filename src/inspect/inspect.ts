/**
 * Reads a live database's catalog into the schema model, in one read-only transaction with
 * `search_path = pg_catalog`, with one query per object kind (fast on hundreds of tables).
 */
import type { Database, Queryable } from '../db/database.js'
import type { Model } from '../model/types.js'
import { CairnError } from '../errors.js'
import type { CatalogRows, NamespaceRow } from './catalog-rows.js'
import type { InspectOptions } from './map-rows.js'
import { mapRows, referencedRoles, selectNamespaces } from './map-rows.js'
import { EXTENSIONS_QUERY, NAMESPACES_QUERY, ROLES_QUERY, SERVER_QUERY, catalogFeatures, catalogQueries } from './queries.js'

export type { InspectOptions } from './map-rows.js'

function canTransact(db: Queryable): db is Queryable & Pick<Database, 'transaction'> {
  return typeof (db as Partial<Database>).transaction === 'function'
}

/**
 * Reads the schema of `db` into a normalised Model. `db` is a Database or Session (a read-only
 * transaction is opened on it), or a Queryable already inside a transaction (used as it is).
 */
export async function inspect(db: Queryable, options: InspectOptions = {}): Promise<Model> {
  try {
    if (canTransact(db)) {
      return await db.transaction(async (tx) => {
        // timestamptz literals (partition bounds, defaults) print in the session time zone: UTC keeps them stable
        await tx.exec(`SET TRANSACTION READ ONLY; SET LOCAL search_path = pg_catalog; SET LOCAL TimeZone = 'UTC'`)
        return readCatalog(tx, options)
      })
    }
    const [{ path, zone }] = await db.query<{ path: string; zone: string }>(
      `SELECT current_setting('search_path') AS path, current_setting('TimeZone') AS zone`,
    )
    await db.query(`SELECT set_config('search_path', 'pg_catalog', true), set_config('TimeZone', 'UTC', true)`)
    try {
      return await readCatalog(db, options)
    } finally {
      await db.query(`SELECT set_config('search_path', $1, true), set_config('TimeZone', $2, true)`, [path, zone])
    }
  } catch (e) {
    if (e instanceof CairnError) throw e
    throw new CairnError('inspect_failed', `cannot read the database catalog: ${(e as Error).message}`, {
      hint: 'the connected role needs to read pg_catalog; check the connection and the server version (13 or newer)',
      cause: e,
    })
  }
}

/** Runs every catalog query on `q` (search_path already pg_catalog) and maps the rows. */
async function readCatalog(q: Queryable, options: InspectOptions): Promise<Model> {
  const [server] = await q.query<{ version: number; current_user: string }>(SERVER_QUERY)
  const features = catalogFeatures(Number(server.version))
  const namespaces = await q.query<NamespaceRow>(NAMESPACES_QUERY)
  const selected = selectNamespaces(namespaces, options)
  const ctx = {
    currentUser: server.current_user,
    publicSchemaPublicPrivileges: features.publicSchemaPublicPrivileges,
    options,
  }
  const empty = selected.length === 0
  const sql = catalogQueries(
    selected.map((n) => n.oid),
    features,
  )
  const all = async <K extends keyof typeof sql>(k: K) => (empty ? [] : q.query(sql[k]))
  // one statement at a time: a transaction's connection runs them in order anyway
  const rows: CatalogRows = {
    namespaces,
    extensions: await q.query(EXTENSIONS_QUERY),
    enums: (await all('enums')) as CatalogRows['enums'],
    domains: (await all('domains')) as CatalogRows['domains'],
    collations: (await all('collations')) as NonNullable<CatalogRows['collations']>,
    sequences: (await all('sequences')) as CatalogRows['sequences'],
    tables: (await all('tables')) as CatalogRows['tables'],
    columns: (await all('columns')) as CatalogRows['columns'],
    constraints: (await all('constraints')) as CatalogRows['constraints'],
    indexes: (await all('indexes')) as CatalogRows['indexes'],
    policies: (await all('policies')) as CatalogRows['policies'],
    views: (await all('views')) as CatalogRows['views'],
    functions: (await all('functions')) as CatalogRows['functions'],
    aggregates: (await all('aggregates')) as NonNullable<CatalogRows['aggregates']>,
    composites: (await all('composites')) as NonNullable<CatalogRows['composites']>,
    eventTriggers: (await all('eventTriggers')) as NonNullable<CatalogRows['eventTriggers']>,
    triggers: (await all('triggers')) as CatalogRows['triggers'],
    grants: (await all('grants')) as CatalogRows['grants'],
    roles: [],
    unmodelled: (await all('unmodelled')) as NonNullable<CatalogRows['unmodelled']>,
    defaultPrivileges: (await all('defaultPrivileges')) as NonNullable<CatalogRows['defaultPrivileges']>,
  }
  const roleNames = referencedRoles(rows, ctx)
  if (roleNames.length) rows.roles = await q.query(ROLES_QUERY, [JSON.stringify(roleNames)])
  return mapRows(rows, ctx)
}
