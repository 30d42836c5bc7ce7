/**
 * The versioned migration directory: `migrations/<yyyymmddHHMMss>_<slug>/up.sql` (and `down.sql`)
 * plus `migrations/cairn.sum`. Other entries (such as `migrations/data/`, which belongs to the
 * MongoDB backfill) are ignored. File access goes through a small injected interface so that the
 * logic can be tested on an in-memory tree.
 */
import { promises as fsp } from 'node:fs'
import path from 'node:path'
import { CairnError } from '../errors.js'
import { SUM_FILE, computeSum, fileChecksum, verifySum } from './sum.js'
import { cmp } from '../model/normalize.js'
import type { SumFile } from './sum.js'

/** The file operations the migration directory needs; paths are OS paths. */
export interface DirFs {
  /** Entries of a folder, or undefined when it does not exist. */
  readdir(dir: string): Promise<{ name: string; isDirectory: boolean }[] | undefined>
  /** A file's text, or undefined when it does not exist. */
  readFile(file: string): Promise<string | undefined>
  writeFile(file: string, text: string): Promise<void>
  mkdir(dir: string): Promise<void>
  /** The absolute path of `p`, for messages (optional: an in-memory tree has none). */
  resolve?(p: string): string
}

/** DirFs over node:fs. */
export const nodeDirFs: DirFs = {
  async readdir(dir) {
    try {
      const entries = await fsp.readdir(dir, { withFileTypes: true })
      return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw e
    }
  },
  async readFile(file) {
    try {
      return await fsp.readFile(file, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined
      throw e
    }
  },
  async writeFile(file, text) {
    await fsp.writeFile(file, text, 'utf8')
  },
  async mkdir(dir) {
    await fsp.mkdir(dir, { recursive: true })
  },
  resolve: (p) => path.resolve(p),
}

/** DirFs over node:fs with relative paths resolved against `cwd` (so messages keep the short path). */
export function nodeDirFsAt(cwd: string): DirFs {
  const at = (p: string) => path.resolve(cwd, p)
  return {
    readdir: (d) => nodeDirFs.readdir(at(d)),
    readFile: (f) => nodeDirFs.readFile(at(f)),
    writeFile: (f, t) => nodeDirFs.writeFile(at(f), t),
    mkdir: (d) => nodeDirFs.mkdir(at(d)),
    resolve: at,
  }
}

/**
 * Throws CairnError 'migrations_dir_missing' (exit 2) when the migration directory does not exist:
 * a mistyped --dir must not look like a database with nothing to apply.
 */
export async function requireMigrationDir(fs: DirFs, dir: string): Promise<void> {
  if ((await fs.readdir(dir)) !== undefined) return
  const where = fs.resolve?.(dir) ?? dir
  throw new CairnError('migrations_dir_missing', `the migration directory ${dir} does not exist (${where})`, {
    file: dir,
    hint: `check --dir (resolved to ${where}) and the working directory; \`cairn generate\` creates the directory with the first migration`,
    meta: { dir, resolved: where },
  })
}

/** A migration folder name: a 14-digit UTC timestamp, `_`, and a slug. */
export const MIGRATION_NAME = /^(\d{14})_([a-z0-9][a-z0-9_-]*)$/

/** One migration on disk. */
export interface MigrationFile {
  /** The folder name, also the migration's name in the history table. */
  readonly name: string
  readonly up: string
  readonly down?: string
  /** `h1:` checksum of up.sql, recorded in the history table when applied. */
  readonly checksum: string
  /** Paths relative to the project (`migrations/…/up.sql`), for messages. */
  readonly upPath: string
  readonly downPath?: string
}

/** The whole directory, migrations in name (= time) order. */
export interface MigrationDir {
  /** The directory as given (for messages). */
  readonly dir: string
  readonly migrations: readonly MigrationFile[]
  /** Text of cairn.sum, undefined when missing. */
  readonly sum?: string
}

/** Reads the migration directory; a missing directory is an empty one. */
export async function readMigrationDir(fs: DirFs, dir: string): Promise<MigrationDir> {
  const entries = (await fs.readdir(dir)) ?? []
  const migrations: MigrationFile[] = []
  const names = entries
    .filter((e) => e.isDirectory && MIGRATION_NAME.test(e.name))
    .map((e) => e.name)
    .sort(cmp)
  const label = dir.split(path.sep).join('/')
  // a folder that starts like a migration but is misnamed would otherwise be skipped silently
  const misnamed = entries.filter((e) => e.isDirectory && /^\d/.test(e.name) && !MIGRATION_NAME.test(e.name))
  if (misnamed.length) {
    throw new CairnError('bad_migration_dir', `${label}/${misnamed[0].name} is not a valid migration folder name`, {
      file: `${label}/${misnamed[0].name}`,
      hint: 'migration folders are named <yyyymmddHHMMss>_<slug> (14 digits, UTC), e.g. 20240101120000_add_users; the slug is lower case letters, digits, _ and -',
    })
  }
  for (const name of names) {
    const up = await fs.readFile(path.join(dir, name, 'up.sql'))
    if (up === undefined) {
      throw new CairnError('bad_migration_dir', `${label}/${name} has no up.sql`, {
        file: `${label}/${name}`,
        hint: 'every migration folder holds up.sql (and usually down.sql); remove the folder or add the file',
      })
    }
    const down = await fs.readFile(path.join(dir, name, 'down.sql'))
    migrations.push({
      name,
      up,
      ...(down === undefined ? {} : { down, downPath: `${label}/${name}/down.sql` }),
      checksum: fileChecksum(up),
      upPath: `${label}/${name}/up.sql`,
    })
  }
  const sum = await fs.readFile(path.join(dir, SUM_FILE))
  return { dir: label, migrations, ...(sum === undefined ? {} : { sum }) }
}

/** The files that cairn.sum covers. */
export function sumFiles(d: MigrationDir): SumFile[] {
  const out: SumFile[] = []
  for (const m of d.migrations) {
    out.push({ path: `${m.name}/up.sql`, content: m.up })
    if (m.down !== undefined) out.push({ path: `${m.name}/down.sql`, content: m.down })
  }
  return out
}

/** Throws CairnError 'checksum_mismatch' / 'checksum_missing' when cairn.sum does not match the files. */
export function verifyMigrationDir(d: MigrationDir): void {
  verifySum(sumFiles(d), d.sum, d.dir)
}

/** Recomputes and writes cairn.sum (`cairn migrate hash`); returns the text and whether it changed. */
export async function hashMigrationDir(fs: DirFs, dir: string): Promise<{ sum: string; changed: boolean; files: number }> {
  const d = await readMigrationDir(fs, dir)
  const files = sumFiles(d)
  const sum = computeSum(files)
  if (sum !== d.sum) {
    await fs.mkdir(dir)
    await fs.writeFile(path.join(dir, SUM_FILE), sum)
  }
  return { sum, changed: sum !== d.sum, files: files.length }
}

/** `yyyymmddHHMMss` in UTC. */
export function migrationTimestamp(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return (
    p(now.getUTCFullYear(), 4) + p(now.getUTCMonth() + 1) + p(now.getUTCDate()) +
    p(now.getUTCHours()) + p(now.getUTCMinutes()) + p(now.getUTCSeconds())
  )
}

/** A migration name's slug: lower case, runs of other characters become `_`. */
export function slugify(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return s || 'migration'
}

export interface WriteMigrationOptions {
  readonly fs?: DirFs
  readonly dir: string
  /** Free text; slugified into the folder name. */
  readonly name: string
  readonly up: string
  /** down.sql; omitted when undefined. */
  readonly down?: string
  /** The clock, injected for deterministic names. */
  readonly now: Date
}

/**
 * Writes a new migration folder and rewrites cairn.sum. Refuses when cairn.sum does not match the
 * existing files. The timestamp is `now` in UTC, moved one second past the newest existing
 * migration when the clock is behind it, so new migrations always sort last.
 */
export async function writeMigration(options: WriteMigrationOptions): Promise<{ name: string; upPath: string; downPath?: string }> {
  const fs = options.fs ?? nodeDirFs
  const existing = await readMigrationDir(fs, options.dir)
  verifyMigrationDir(existing)
  let stamp = migrationTimestamp(options.now)
  const last = existing.migrations.at(-1)
  if (last) {
    const lastStamp = MIGRATION_NAME.exec(last.name)![1]
    if (stamp <= lastStamp) stamp = migrationTimestamp(new Date(stampToDate(lastStamp).getTime() + 1000))
  }
  const name = `${stamp}_${slugify(options.name)}`
  const folder = path.join(options.dir, name)
  await fs.mkdir(folder)
  await fs.writeFile(path.join(folder, 'up.sql'), options.up)
  if (options.down !== undefined) await fs.writeFile(path.join(folder, 'down.sql'), options.down)
  await hashMigrationDir(fs, options.dir)
  return {
    name,
    upPath: path.join(folder, 'up.sql'),
    ...(options.down !== undefined ? { downPath: path.join(folder, 'down.sql') } : {}),
  }
}

function stampToDate(s: string): Date {
  return new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14)))
}
