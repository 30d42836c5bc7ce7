/**
 * The mongodump source: a directory of `<collection>.bson[.gz]` files (plus `.metadata.json[.gz]`),
 * or a dump root holding one such directory per database (`<dir>/<db>/…`).
 */
import fs from 'node:fs'
import path from 'node:path'
import { CairnError } from '../../errors.js'
import { FileSource, type CollectionFile, type FileSourceOptions } from './file-source.js'
import { bsonFormat } from './record-format.js'

const BSON_FILE = /^(.+)\.bson(\.gz)?$/
const METADATA_FILE = /^(.+)\.metadata\.json(\.gz)?$/

function collectionName(encoded: string): string {
  // mongodump percent-encodes characters that are unsafe in file names.
  try {
    return decodeURIComponent(encoded)
  } catch {
    return encoded
  }
}

/** The collections of one database directory of a dump (empty when it holds no dump files). */
export async function dumpCollections(dir: string): Promise<Map<string, CollectionFile>> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true })
  const metadata = new Map<string, string>()
  for (const e of entries) {
    const m = e.isFile() ? METADATA_FILE.exec(e.name) : null
    if (m) metadata.set(m[1]!, path.join(dir, e.name))
  }
  const out = new Map<string, CollectionFile>()
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const m = e.isFile() ? BSON_FILE.exec(e.name) : null
    if (!m || METADATA_FILE.test(e.name)) continue
    const name = collectionName(m[1]!)
    // Prefer the plain file when both `x.bson` and `x.bson.gz` exist.
    if (out.has(name) && m[2]) continue
    const meta = metadata.get(m[1]!)
    out.set(name, {
      file: path.join(dir, e.name),
      gzip: Boolean(m[2]),
      format: bsonFormat,
      ...(meta ? { metadataFile: meta } : {}),
    })
  }
  return out
}

/**
 * Opens a mongodump output directory. With a dump root of several databases, collections are named
 * `<db>.<collection>`, and a bare collection name works when only one database has it.
 */
export async function openDumpSource(dir: string, options: FileSourceOptions = {}): Promise<FileSource> {
  const abs = path.resolve(dir)
  const stat = await fs.promises.stat(abs).catch(() => undefined)
  if (!stat?.isDirectory()) {
    throw new CairnError('source_not_found', `mongodump directory ${dir} does not exist`, {
      file: dir,
      hint: 'pass the directory mongodump wrote (dump/ or dump/<db>/), a mongodb:// URI, or ejson:<dir>',
    })
  }
  const own = await dumpCollections(abs)
  if (own.size) return new FileSource(`mongodump:${abs}`, own, options, 'dump directory')
  const merged = new Map<string, CollectionFile>()
  const bare = new Map<string, CollectionFile | null>()
  const dbs = (await fs.promises.readdir(abs, { withFileTypes: true })).filter((e) => e.isDirectory())
  for (const db of dbs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const cols = await dumpCollections(path.join(abs, db.name))
    for (const [name, file] of cols) {
      merged.set(`${db.name}.${name}`, file)
      bare.set(name, bare.has(name) ? null : file)
    }
  }
  if (!merged.size) {
    throw new CairnError('source_not_dump', `${dir} holds no mongodump files (<collection>.bson or .bson.gz)`, {
      file: dir,
      hint: 'run `mongodump --out <dir>` (optionally --gzip) and pass <dir> or <dir>/<db>',
    })
  }
  for (const [name, file] of bare) if (file && !merged.has(name)) merged.set(name, file)
  return new FileSource(`mongodump:${abs}`, merged, options, 'dump directory')
}
