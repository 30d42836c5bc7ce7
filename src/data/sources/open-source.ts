/**
 * Opens a backfill source from a URI: `mongodb://…` / `mongodb+srv://…` (live driver), `ejson:<dir>`
 * or `ejson:<file>` (mongoexport lines), `dump:<dir>` or a plain directory path (mongodump output;
 * a directory of `.json` files only is read as Extended JSON).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Source } from '../source.js'
import { CairnError } from '../../errors.js'
import { redactSecrets } from '../../db/redact.js'
import type { MongoConnectOptions } from '../../db/mongo.js'
import { dumpCollections, openDumpSource } from './dump-source.js'
import { openEjsonSource } from './ejson-source.js'
import type { FileSourceOptions } from './file-source.js'

/** Options for openSource. */
export interface OpenSourceOptions extends FileSourceOptions {
  /** Resolve relative paths against this directory (default: process working directory). */
  readonly cwd?: string
  /** Options for live MongoDB sources. */
  readonly mongo?: MongoConnectOptions
}

const HINT =
  'use mongodb://host:27017/<db> (live), a mongodump directory (dump/ or dump/<db>/ with <collection>.bson[.gz]), or ejson:<dir> (mongoexport <collection>.json lines)'

/** Opens the source a URI names; unknown schemes and missing paths are CairnErrors (exit 2). */
export async function openSource(uri: string, options: OpenSourceOptions = {}): Promise<Source> {
  const trimmed = uri.trim()
  if (!trimmed) throw new CairnError('source_missing', 'no source given', { hint: HINT })
  if (/^mongodb(\+srv)?:\/\//i.test(trimmed)) {
    const { openMongoSource } = await import('./mongo-source.js')
    return openMongoSource(trimmed, options.mongo)
  }
  const at = (p: string): string => path.resolve(options.cwd ?? process.cwd(), p)
  if (/^ejson:/i.test(trimmed)) return openEjsonSource(at(trimmed.slice(6)), options)
  if (/^dump:/i.test(trimmed)) return openDumpSource(at(trimmed.slice(5)), options)
  if (/^file:\/\//i.test(trimmed)) return openSource(new URL(trimmed).pathname, options)
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new CairnError('source_unsupported', `unsupported source "${redactSecrets(trimmed)}"`, { hint: HINT })
  }
  const target = at(trimmed)
  const stat = await fs.promises.stat(target).catch(() => undefined)
  // not a path after all: a mistyped URI or a keyword string may carry a password
  if (!stat) throw new CairnError('source_not_found', `source ${redactSecrets(trimmed)} does not exist`, { file: redactSecrets(trimmed), hint: HINT })
  if (stat.isFile()) {
    if (/\.(json|jsonl|ndjson)(\.gz)?$/.test(target)) return openEjsonSource(target, options)
    throw new CairnError('source_unsupported', `source ${trimmed} is a file, not a directory`, { file: trimmed, hint: HINT })
  }
  // A directory: mongodump files (here or one level down) win; else Extended JSON files.
  if ((await dumpCollections(target)).size) return openDumpSource(target, options)
  try {
    return await openDumpSource(target, options)
  } catch (e) {
    if (!(e instanceof CairnError) || e.code !== 'source_not_dump') throw e
  }
  try {
    return await openEjsonSource(target, options)
  } catch (e) {
    if (!(e instanceof CairnError) || e.code !== 'source_not_ejson') throw e
  }
  throw new CairnError('source_unrecognized', `${trimmed} holds neither mongodump .bson files nor Extended JSON files`, {
    file: trimmed,
    hint: HINT,
  })
}
