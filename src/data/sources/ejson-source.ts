/**
 * The mongoexport source: Extended JSON documents, one per line (canonical or relaxed), in
 * `<collection>.json`, `.jsonl` or `.ndjson` files (optionally `.gz`), or one such file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CairnError } from '../../errors.js'
import { FileSource, type CollectionFile, type FileSourceOptions } from './file-source.js'
import { ejsonFormat } from './record-format.js'

const EJSON_FILE = /^(.+)\.(json|jsonl|ndjson)(\.gz)?$/

/** Opens a directory of mongoexport files (or one file, as a single collection named after it). */
export async function openEjsonSource(target: string, options: FileSourceOptions = {}): Promise<FileSource> {
  const abs = path.resolve(target)
  const stat = await fs.promises.stat(abs).catch(() => undefined)
  if (!stat) {
    throw new CairnError('source_not_found', `Extended JSON source ${target} does not exist`, {
      file: target,
      hint: 'pass ejson:<dir> with one <collection>.json (mongoexport output) per collection',
    })
  }
  const collections = new Map<string, CollectionFile>()
  const add = (dir: string, name: string): void => {
    const m = EJSON_FILE.exec(name)
    if (!m || name.endsWith('.metadata.json') || name.endsWith('.metadata.json.gz')) return
    if (collections.has(m[1]!) && m[3]) return
    collections.set(m[1]!, { file: path.join(dir, name), gzip: Boolean(m[3]), format: ejsonFormat })
  }
  if (stat.isFile()) add(path.dirname(abs), path.basename(abs))
  else {
    const names = (await fs.promises.readdir(abs, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name)
    for (const name of names.sort()) add(abs, name)
  }
  if (!collections.size) {
    throw new CairnError('source_not_ejson', `${target} holds no Extended JSON files (<collection>.json, .jsonl or .ndjson)`, {
      file: target,
      hint: 'export with `mongoexport --collection <c> --out <dir>/<c>.json` (one document per line)',
    })
  }
  return new FileSource(`ejson:${abs}`, collections, options, 'Extended JSON directory')
}
