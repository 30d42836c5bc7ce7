/**
 * The live source: a MongoDB database read through the official driver with
 * `find({_id: {$gt: afterId}}).sort({_id: 1}).batchSize(n)` (never skip/offset). Documents arrive as
 * raw BSON, are decoded with every BSON type kept distinct, and carry their original bytes.
 */
import type { Document } from 'bson'
import type { Source, SourceReadOptions } from '../source.js'
import { CairnError } from '../../errors.js'
import { connectMongo, type MongoConnectOptions, type MongoConnection } from '../../db/mongo.js'
import { batchDocuments, packRecords, type RawBatch } from '../raw-batch.js'

/** A Source over a live MongoDB database, with the driver connection exposed for estimates. */
export interface MongoSource extends Source {
  readonly connection: MongoConnection
  /** Names of the database's collections, sorted. */
  collectionNames(): Promise<string[]>
  /** Fast estimated count from collection metadata. */
  estimatedCount(collection: string): Promise<number>
}

/** Opens a live MongoDB source from a `mongodb://` or `mongodb+srv://` URI naming the database. */
export async function openMongoSource(uri: string, options: MongoConnectOptions = {}): Promise<MongoSource> {
  const connection = await connectMongo(uri, options)
  let known: Promise<string[]> | undefined
  const names = (): Promise<string[]> => (known ??= connection.collectionNames())
  const assertExists = async (collection: string): Promise<void> => {
    const all = await names()
    if (all.includes(collection)) return
    // The list may predate the collection's creation: look again once before failing.
    known = undefined
    const fresh = await names()
    if (fresh.includes(collection)) return
    throw new CairnError('source_collection_missing', `collection "${collection}" not found in database ${connection.database}`, {
      object: collection,
      hint: fresh.length ? `collections in ${connection.database}: ${fresh.join(', ')}` : `database ${connection.database} holds no collections`,
      meta: { available: fresh },
    })
  }
  async function* rawBatches(collection: string, read: SourceReadOptions): AsyncGenerator<RawBatch> {
    await assertExists(collection)
    for await (const raws of connection.rawBatches(collection, read)) yield packRecords('bson', raws, `${connection.database}.${collection}`)
  }
  return {
    description: connection.safeUri,
    connection,
    collectionNames: names,
    async *batches(collection: string, read: SourceReadOptions): AsyncGenerator<Document[]> {
      for await (const raw of rawBatches(collection, read)) yield batchDocuments(raw)
    },
    rawBatches,
    async count(collection) {
      await assertExists(collection)
      return connection.countDocuments(collection)
    },
    async estimatedCount(collection) {
      await assertExists(collection)
      return connection.estimatedCount(collection)
    },
    close: () => connection.close(),
  }
}
