import type { Kysely } from 'kysely'

/** Something SQL can be sent to: a pool, a single session, or a transaction. */
export interface Queryable {
  /** Runs one statement with optional `$1`-style parameters and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs a script of one or more statements with no parameters (simple protocol). */
  exec(sql: string): Promise<void>
  /**
   * Streams `data` (COPY text/CSV, as one chunk or several) into `COPY … FROM STDIN` and returns the
   * row count: pg-copy-streams on a server, a Blob through `/dev/blob` on PGlite.
   */
  copyFrom?(sql: string, data: string | Uint8Array | readonly (string | Uint8Array)[]): Promise<number>
}

/** One connection held for a while: advisory locks and non-transactional statements need it. */
export interface Session extends Queryable {
  /** Runs `fn` inside BEGIN … COMMIT on this session; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
}

/** The database seam: the same API over a PostgreSQL server (pg) and embedded PGlite. */
export interface Database extends Queryable {
  readonly engine: 'postgres' | 'pglite'
  /** The connection target with any password removed, safe to print. */
  readonly target: string
  /** `server_version_num`, e.g. 150020 or 180006. */
  readonly serverVersion: number
  /** A Kysely instance over the same connection(s), for typed queries. */
  readonly kysely: Kysely<any>
  /** Runs `fn` in BEGIN … COMMIT on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /** Runs `fn` with one dedicated connection (session state such as advisory locks stays on it). */
  session<T>(fn: (s: Session) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** The oldest server version cairn supports (PostgreSQL 13). */
export const MIN_SERVER_VERSION = 130000
