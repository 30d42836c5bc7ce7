/** Shared helpers for the migration tests: temporary migration folders and a database reset. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Database } from '../../../src/db/database.js'
import type { DirFs } from '../../../src/migrate/migration-dir.js'
import { writeMigration } from '../../../src/migrate/migration-dir.js'

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = 'cairn-mig-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes migrations one day apart starting 2024-01-01, returns their folder names. */
export async function writeAll(
  dir: string,
  migrations: readonly { name: string; up: string; down?: string }[],
  start = Date.UTC(2024, 0, 1),
): Promise<string[]> {
  const names: string[] = []
  let t = start
  for (const m of migrations) {
    const r = await writeMigration({ dir, name: m.name, up: m.up, down: m.down, now: new Date(t) })
    names.push(r.name)
    t += 86_400_000
  }
  return names
}

/** Drops everything the migration tests create. */
export async function resetDb(db: Database): Promise<void> {
  await db.exec('DROP SCHEMA IF EXISTS cairn CASCADE')
  await db.exec('DROP SCHEMA IF EXISTS public CASCADE')
  await db.exec('CREATE SCHEMA public')
}

/** Names of the tables in `public`. */
export async function publicTables(db: Database): Promise<string[]> {
  const rows = await db.query<{ n: string }>(`select relname as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind in ('r','p') order by 1`)
  return rows.map((r) => r.n)
}

/** The history table as [name, kind] pairs. */
export async function historyNames(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(`select name from cairn.schema_migrations order by name`)
  return rows.map((r) => r.name)
}

/** An in-memory DirFs over a map of '/'-separated paths. */
export function memoryFs(files: Map<string, string> = new Map()): DirFs & { files: Map<string, string> } {
  const norm = (p: string) => p.split(path.sep).join('/').replace(/\/+$/, '')
  const dirs = new Set<string>()
  return {
    files,
    async readdir(d) {
      const base = norm(d) + '/'
      const names = new Map<string, boolean>()
      for (const f of files.keys()) {
        if (!f.startsWith(base)) continue
        const rest = f.slice(base.length)
        const [first, ...more] = rest.split('/')
        names.set(first, (names.get(first) ?? false) || more.length > 0)
      }
      for (const x of dirs) if (x.startsWith(base) && !x.slice(base.length).includes('/')) names.set(x.slice(base.length), true)
      if (!names.size && !dirs.has(norm(d))) return undefined
      return [...names].map(([name, isDirectory]) => ({ name, isDirectory }))
    },
    async readFile(f) {
      return files.get(norm(f))
    },
    async writeFile(f, t) {
      files.set(norm(f), t)
    },
    async mkdir(d) {
      dirs.add(norm(d))
    },
  }
}
