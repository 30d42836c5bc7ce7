/**
 * A Kysely dialect over one PGlite instance (PGlite has a single connection). Kysely ships one from
 * 0.29, which requires Node 22; cairn supports Node 20, so it keeps this small one beside 0.28.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite'
import { PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely, QueryResult } from 'kysely'

class PgliteAdapter extends PostgresAdapter {
  // the one connection is already exclusive while a migration holds it
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

class PgliteConnection implements DatabaseConnection {
  #tx: Transaction | undefined
  #finish: ((commit: boolean) => void) | undefined
  #closed: Promise<unknown> | undefined

  constructor(readonly pglite: PGlite) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = await (this.#tx ?? this.pglite).query<R>(q.sql, q.parameters as unknown[], { rowMode: 'object' })
    return { rows: r.rows ?? [], ...(r.affectedRows != null ? { numAffectedRows: BigInt(r.affectedRows) } : {}) }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on PGlite')
  }

  /** Opens a PGlite transaction (exclusive on the instance) that stays open until commit or rollback. */
  async begin(): Promise<void> {
    let begun!: () => void
    const started = new Promise<void>((resolve) => (begun = resolve))
    const done = new Promise<boolean>((resolve) => (this.#finish = resolve))
    this.#closed = this.pglite.transaction(async (tx) => {
      this.#tx = tx
      begun()
      if (!(await done)) await tx.rollback()
    })
    // a failed BEGIN ends the transaction promise before `begun`
    await Promise.race([started, this.#closed])
  }

  async end(commit: boolean): Promise<void> {
    this.#finish?.(commit)
    try {
      await this.#closed
    } finally {
      this.#tx = undefined
      this.#finish = undefined
      this.#closed = undefined
    }
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection
  constructor(pglite: PGlite) {
    this.#connection = new PgliteConnection(pglite)
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }
  async releaseConnection(): Promise<void> {}
  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await (c as PgliteConnection).begin()
  }
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await (c as PgliteConnection).end(true)
  }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await (c as PgliteConnection).end(false).catch(() => {})
  }
  // the instance belongs to the Database that opened it, which closes it
  async destroy(): Promise<void> {}
}

/** The dialect for `new Kysely({ dialect: pgliteDialect(pglite) })`. */
export function pgliteDialect(pglite: PGlite): Dialect {
  return {
    createAdapter: () => new PgliteAdapter(),
    createDriver: () => new PgliteDriver(pglite),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  }
}
