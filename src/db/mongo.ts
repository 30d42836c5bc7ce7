/**
 * The only module that imports the `mongodb` driver: connects to a live MongoDB and reads a
 * collection in `_id` order as raw BSON documents (the exact bytes the server sent).
 */
import { MongoClient, type Document as MongoDocument, type Filter, type MongoClientOptions } from 'mongodb'
import { CairnError } from '../errors.js'
import { redactSecrets } from './redact.js'

/** Options for connecting to MongoDB. */
export interface MongoConnectOptions {
  /** Database to read; defaults to the one in the URI path. */
  readonly database?: string
  /** How long to look for a server before failing (default 10 s). */
  readonly serverSelectionTimeoutMS?: number
  /** Extra driver options (tests, TLS). */
  readonly driverOptions?: MongoClientOptions
}

/** Options of one ordered read. */
export interface MongoReadOptions {
  readonly afterId?: unknown
  readonly batchSize: number
  readonly signal?: AbortSignal
}

/** A live connection to one database. */
export interface MongoConnection {
  readonly database: string
  /** The URI without its password, safe to print. */
  readonly safeUri: string
  /** Names of the database's collections (views excluded), sorted. */
  collectionNames(): Promise<string[]>
  /** Raw BSON documents of a collection in ascending `_id` order after `afterId`, in batches. */
  rawBatches(collection: string, options: MongoReadOptions): AsyncGenerator<Uint8Array[]>
  /** Exact number of documents (a countDocuments aggregation). */
  countDocuments(collection: string): Promise<number>
  /** Fast estimate from collection metadata (the `count` command). */
  estimatedCount(collection: string): Promise<number>
  close(): Promise<void>
}

/** The database named in the URI path (`mongodb://host/<db>?…`), if any. */
export function databaseOfUri(uri: string): string | undefined {
  const m = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/i.exec(uri)
  const db = m?.[1] ? decodeURIComponent(m[1]) : ''
  return db || undefined
}

/** Connects to MongoDB and checks the server answers. */
export async function connectMongo(uri: string, options: MongoConnectOptions = {}): Promise<MongoConnection> {
  const safeUri = redactSecrets(uri)
  const database = options.database ?? databaseOfUri(uri)
  if (!database) {
    throw new CairnError('source_mongo_no_database', `no database in ${safeUri}`, {
      hint: 'name the database in the URI path: mongodb://host:27017/<database>',
    })
  }
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: 'cairn',
    ...options.driverOptions,
  })
  try {
    await client.connect()
    await client.db(database).command({ ping: 1 })
  } catch (e) {
    await client.close().catch(() => {})
    throw new CairnError('source_unreachable', `cannot connect to MongoDB at ${safeUri}: ${redactSecrets(e instanceof Error ? e.message : String(e))}`, {
      hint: 'check the host, port, credentials and that the server is running',
      cause: e,
    })
  }
  const db = client.db(database)
  return {
    database,
    safeUri,
    async collectionNames() {
      const list = await db.listCollections({}, { nameOnly: true }).toArray()
      return list
        .filter((c) => c.type === undefined || c.type === 'collection')
        .map((c) => c.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },
    async *rawBatches(collection, read) {
      const filter: Filter<MongoDocument> = read.afterId === undefined ? {} : { _id: { $gt: read.afterId as never } }
      const size = Math.max(1, Math.floor(read.batchSize))
      const cursor = db.collection(collection).find(filter, { sort: { _id: 1 }, batchSize: size, raw: true })
      try {
        let batch: Uint8Array[] = []
        for await (const doc of cursor) {
          batch.push(doc as unknown as Uint8Array)
          if (batch.length >= size) {
            yield batch
            batch = []
            if (read.signal?.aborted) return
          }
        }
        if (batch.length && !read.signal?.aborted) yield batch
      } finally {
        await cursor.close().catch(() => {})
      }
    },
    countDocuments: (collection) => db.collection(collection).countDocuments({}),
    estimatedCount: (collection) => db.collection(collection).estimatedDocumentCount(),
    close: () => client.close(),
  }
}
