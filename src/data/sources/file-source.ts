/**
 * A Source over collection files on disk (mongodump `.bson` or Extended JSON lines). Each collection is
 * a RecordFile; sorted temporary copies live in one private temporary directory removed by close().
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { EJSON, type Document } from 'bson'
import type { Source, SourceReadOptions } from '../source.js'
import { CairnError } from '../../errors.js'
import { RecordFile, type RecordFileLayout } from './record-file.js'
import type { RawBatch } from '../raw-batch.js'
import type { RecordFormat } from './record-format.js'

/** One collection file found on disk. */
export interface CollectionFile {
  readonly file: string
  readonly gzip: boolean
  readonly format: RecordFormat
  /** The mongodump `<collection>.metadata.json[.gz]` beside it, when present. */
  readonly metadataFile?: string
}

/** Options shared by the file sources. */
export interface FileSourceOptions {
  /** Parent directory for sorted temporary copies (default: the OS temporary directory). */
  readonly tmpDir?: string
  /** Stops a long first pass or sort of a collection file. */
  readonly signal?: AbortSignal
}

/** Prefix of the temporary directories of file sources: `cairn-source-<pid>-<random>`. */
const TMP_PREFIX = 'cairn-source-'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the temporary directories that file sources of processes no longer alive left in
 * `parent` (a process killed with SIGKILL cannot clean up). Returns the directories removed.
 */
export async function removeStaleTempDirs(parent: string = os.tmpdir()): Promise<string[]> {
  const names = await fs.promises.readdir(parent).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    const m = /^cairn-source-(\d+)-/.exec(name)
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue
    const dir = path.join(parent, name)
    await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => {})
    removed.push(dir)
  }
  return removed
}

/** Temporary directories of open file sources (removed synchronously on a forced exit). */
const liveTempDirs = new Set<string>()

/** Removes the temporary directories of every open file source at once (for a process about to exit). */
export function removeTempDirsNow(): void {
  for (const dir of liveTempDirs) fs.rmSync(dir, { recursive: true, force: true })
  liveTempDirs.clear()
}

/** A Source over collection files, plus introspection of how each file is read. */
export class FileSource implements Source {
  private readonly files = new Map<string, RecordFile>()
  private tmp?: Promise<string>
  private closed = false

  constructor(
    readonly description: string,
    private readonly collections: ReadonlyMap<string, CollectionFile>,
    private readonly options: FileSourceOptions = {},
    private readonly kindLabel = 'directory',
  ) {}

  /** Names of the collections found, sorted. */
  collectionNames(): string[] {
    return [...this.collections.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** The file backing a collection (throws a CairnError naming the available ones when missing). */
  collectionFile(collection: string): CollectionFile {
    const found = this.collections.get(collection)
    if (!found) {
      const names = this.collectionNames()
      throw new CairnError('source_collection_missing', `collection "${collection}" not found in ${this.description}`, {
        object: collection,
        hint: names.length ? `collections in this ${this.kindLabel}: ${names.join(', ')}` : `the ${this.kindLabel} holds no collections`,
        meta: { available: names },
      })
    }
    return found
  }

  /** How a collection is read: document count, whether the file was already in _id order, prepare time. */
  async layout(collection: string): Promise<RecordFileLayout> {
    return this.recordFile(collection).layout()
  }

  /** The parsed mongodump metadata (options, indexes, uuid) of a collection, if the dump has it. */
  async metadata(collection: string): Promise<Document | undefined> {
    const meta = this.collectionFile(collection).metadataFile
    return meta ? readMetadata(meta) : undefined
  }

  async *batches(collection: string, options: SourceReadOptions): AsyncGenerator<Document[]> {
    this.assertOpen()
    yield* this.recordFile(collection).batches(options)
  }

  async *rawBatches(collection: string, options: SourceReadOptions): AsyncGenerator<RawBatch> {
    this.assertOpen()
    yield* this.recordFile(collection).rawBatches(options)
  }

  async count(collection: string): Promise<number> {
    this.assertOpen()
    return this.recordFile(collection).count()
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.tmp) {
      const dir = await this.tmp.catch(() => undefined)
      if (dir) {
        await fs.promises.rm(dir, { recursive: true, force: true })
        liveTempDirs.delete(dir)
      }
    }
  }

  private recordFile(collection: string): RecordFile {
    let rf = this.files.get(collection)
    if (!rf) {
      const c = this.collectionFile(collection)
      rf = new RecordFile({
        file: c.file,
        gzip: c.gzip,
        format: c.format,
        tmpDir: () => this.tmpDir(),
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      })
      this.files.set(collection, rf)
    }
    return rf
  }

  private tmpDir(): Promise<string> {
    this.tmp ??= (async () => {
      const parent = this.options.tmpDir ?? os.tmpdir()
      await removeStaleTempDirs(parent)
      const dir = await fs.promises.mkdtemp(path.join(parent, `${TMP_PREFIX}${process.pid}-`))
      liveTempDirs.add(dir)
      return dir
    })()
    return this.tmp
  }

  private assertOpen(): void {
    if (this.closed) throw new CairnError('source_closed', `${this.description} is closed`)
  }
}

/** Reads a mongodump `.metadata.json` (optionally gzipped) as relaxed Extended JSON. */
export async function readMetadata(file: string): Promise<Document> {
  let bytes = await fs.promises.readFile(file)
  if (file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes)
  try {
    return EJSON.parse(bytes.toString('utf8'), { relaxed: false }) as Document
  } catch (e) {
    throw new CairnError('source_metadata_invalid', `${file}: ${e instanceof Error ? e.message : String(e)}`, { file })
  }
}
