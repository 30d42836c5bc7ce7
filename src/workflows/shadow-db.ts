/**
 * The shadow database of `generate`: which extensions the embedded one must load, and the check
 * that a new migration applies on top of the history, and produces the definitions, before it is
 * written.
 */
import path from 'node:path'
import type { Database } from '../db/database.js'
import { createdExtensions, explainUnavailable } from '../db/pglite-extensions.js'
import { CairnError, isCairnError } from '../errors.js'
import type { DirFs, MigrationDir } from '../migrate/migration-dir.js'
import { writeMigration } from '../migrate/migration-dir.js'
import type { CheckScope } from './check-scope.js'
import type { Model } from '../model/types.js'
import { ModelCache } from './model-cache.js'

/** Extensions the history's `CREATE EXTENSION` statements name. */
export function historyExtensions(history: Pick<MigrationDir, 'migrations'>): string[] {
  const created = new Set<string>()
  for (const m of history.migrations) for (const n of createdExtensions(m.up)) created.add(n)
  return [...created].sort()
}

/** Extensions the shadow needs: those the definitions declare and those the history creates. */
export function shadowExtensions(model: Model, history: MigrationDir): { declared: string[]; created: string[] } {
  const declared = model.extensions.map((x) => x.name)
  return { declared: [...new Set(declared)].sort(), created: historyExtensions(history) }
}

/**
 * Opens an embedded scratch database with the extensions the definitions declare (an extension the
 * engine lacks is `extension_unavailable`) and those the history creates (one it lacks fails the
 * replay, explained the same way).
 */
export async function openShadowPglite(ext: { declared: readonly string[]; created: readonly string[] }): Promise<Database> {
  const { pgliteHasExtension, extensionUnavailable } = await import('../db/pglite-extensions.js')
  const missing = ext.declared.filter((n) => !pgliteHasExtension(n))
  if (missing.length) throw extensionUnavailable(missing, 'the shadow database')
  const extensions = [...new Set([...ext.declared, ...ext.created])].filter(pgliteHasExtension)
  const { openScratchPglite } = await import('../db/scratch.js')
  return openScratchPglite({ extensions })
}

/** A DirFs that keeps writes in memory over `base` (reads see them; nothing reaches `base`). */
export function overlayFs(base: DirFs): DirFs {
  const files = new Map<string, string>()
  const dirs = new Map<string, Set<string>>()
  const norm = (p: string) => path.normalize(p)
  const add = (p: string, isDir: boolean) => {
    const parent = norm(path.dirname(p))
    const set = dirs.get(parent) ?? new Set<string>()
    set.add(`${isDir ? 'd' : 'f'}:${path.basename(p)}`)
    dirs.set(parent, set)
  }
  return {
    ...base,
    async readdir(d) {
      const entries = (await base.readdir(d)) ?? undefined
      const extra = dirs.get(norm(d))
      if (!extra) return entries
      const out = [...(entries ?? [])]
      for (const e of extra) {
        const name = e.slice(2)
        if (!out.some((x) => x.name === name)) out.push({ name, isDirectory: e.startsWith('d:') })
      }
      return out
    },
    async readFile(f) {
      const k = norm(f)
      return files.has(k) ? files.get(k) : base.readFile(f)
    },
    async writeFile(f, text) {
      files.set(norm(f), text)
      add(f, false)
    },
    async mkdir(d) {
      add(d, true)
    },
  }
}

/** A DirFs holding nothing: with {@link overlayFs}, a migration directory that exists only in memory. */
const emptyFs: DirFs = {
  readdir: async () => undefined,
  readFile: async () => undefined,
  writeFile: async () => {},
  mkdir: async () => {},
}

/**
 * Statements after which the database holds more than its schema (rows, sequence positions, the
 * effects of running code): a history with any of them is replayed rather than stood in for by its
 * model, since a new migration may fail on what they left (a NOT NULL over existing NULLs).
 */
const BEYOND_SCHEMA = new Set([
  'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'CopyStmt', 'DoStmt', 'CallStmt', 'SelectStmt',
  'ExecuteStmt', 'CreateTableAsStmt', 'TruncateStmt',
])

/**
 * The `DO` block cairn writes to create a role (`src/sqlgen/ddl.ts`, with or without the clause that
 * tolerates a concurrent creation): it creates a role the model holds, nothing else.
 */
const ROLE_BLOCK =
  /^\s*BEGIN\s+IF NOT EXISTS \(SELECT 1 FROM pg_roles WHERE rolname = '(?:[^']|'')*'\) THEN\s+CREATE ROLE [^;]*;\s+END IF;\s+(?:EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\s+)?END\s*$/

function beyondSchema(stmt: Record<string, unknown>): boolean {
  return Object.entries(stmt).some(([kind, node]) => {
    if (!BEYOND_SCHEMA.has(kind)) return false
    // a materialized view holds what its query gives, as it does when the model is rendered
    if (kind === 'CreateTableAsStmt') return (node as { objtype?: string }).objtype !== 'OBJECT_MATVIEW'
    if (kind !== 'DoStmt') return true
    const args = (node as { args?: Array<{ DefElem?: { defname?: string; arg?: { String?: { sval?: unknown } } } }> }).args ?? []
    const body = args.find((a) => a.DefElem?.defname === 'as')?.DefElem?.arg?.String?.sval
    return typeof body !== 'string' || !ROLE_BLOCK.test(body)
  })
}

/**
 * Whether every statement of the history only defines schema, so that an empty database with its
 * model applied is what replaying it gives. Read with PostgreSQL's parser; cached by cairn.sum.
 */
export async function historyDefinesSchemaOnly(history: MigrationDir, cache: ModelCache): Promise<boolean> {
  const key = `schema-only-${ModelCache.hash(history.sum ?? '')}`
  const hit = cache.get<boolean>(key)
  if (history.sum !== undefined && typeof hit === 'boolean') return hit
  const [{ loadSqlParser }, { parseSync }] = await Promise.all([import('../migrate/split-sql.js'), import('libpg-query')])
  await loadSqlParser()
  let only = true
  for (const m of history.migrations) {
    let stmts: Array<{ stmt: Record<string, unknown> }>
    try {
      stmts = (parseSync(m.up) as { stmts?: Array<{ stmt: Record<string, unknown> }> }).stmts ?? []
    } catch {
      only = false
      break
    }
    if (stmts.some((s) => beyondSchema(s.stmt))) {
      only = false
      break
    }
  }
  if (history.sum !== undefined) cache.set(key, only)
  return only
}

/** The migration generate is about to write. */
export interface NewMigration {
  readonly name: string
  readonly up: string
  readonly down: string
  readonly now: Date
}

/** Options of {@link checkNewMigration}. */
export interface CheckNewMigrationOptions {
  readonly fs: DirFs
  readonly dirRel: string
  readonly history: MigrationDir
  readonly migration: NewMigration
  /** An empty database (a scratch one, or the emptied `--shadow-url`); each attempt opens and closes its own. */
  readonly open: () => Promise<Database>
  /**
   * The model the history produces, when it is trusted (the snapshot cairn.sum authenticates, or the
   * cache): applied to an empty database in place of replaying the history. Undefined: replay.
   */
  readonly base?: Model
  /**
   * The part of `base` the migration can affect ({@link checkScope}): tried first, on a database
   * holding only that part; a failure there is not a verdict, the whole `base` decides.
   */
  readonly scope?: CheckScope
  /**
   * Differences between what the database holds after the new migration and the definitions (none:
   * []); `restrict` takes the definitions to the part the database was given.
   */
  readonly differences: (after: Model, restrict: (m: Model) => Model) => readonly string[]
  /** Where the verdict on the history's statements is kept. */
  readonly cache: ModelCache
}

/**
 * Checks, before anything is written, that the new migration applies on top of the history with
 * the real runner and leaves the database as the definitions say. On top of what: the history's
 * trusted model (`base`) applied to an empty database, when the history defines schema only and the
 * model holds every object it made (nothing `unmodelled`); else, or when that check fails, the whole
 * history replayed from an empty database, which decides. On a large model, the part the migration
 * can affect is tried first (`scope`). Returns how it checked (`scope`, `model` or `history`). Throws `replay_failed` (exit 3) when the migration does not apply, `replay_mismatch`
 * (exit 3) when it applies but leaves something else, `extension_unavailable` (exit 2) when the
 * engine lacks an extension it needs.
 */
export async function checkNewMigration(o: CheckNewMigrationOptions): Promise<'scope' | 'model' | 'history'> {
  const [{ migrateUp }, { inspect }, { renderModel }, { renderScript }] = await Promise.all([
    import('../migrate/runner.js'),
    import('../inspect/inspect.js'),
    import('../plan/render-model.js'),
    import('../sqlgen/session.js'),
  ])
  const whole = (m: Model) => m
  const attempt = async (base: Model | undefined, restrict: (m: Model) => Model = whole): Promise<readonly string[]> => {
    const db = await o.open()
    try {
      // the history's model, or the history itself, then the new migration alone
      const fs = overlayFs(base ? emptyFs : o.fs)
      if (base) await db.exec(renderScript(renderModel(base)))
      const { name, up, down, now } = o.migration
      await writeMigration({ fs, dir: o.dirRel, name, up, down, now })
      await migrateUp(db, { dir: o.dirRel, fs })
      return o.differences(await inspect(db), restrict)
    } finally {
      await db.close()
    }
  }
  if (o.base && (o.base.unmodelled ?? []).length === 0 && (await historyDefinesSchemaOnly(o.history, o.cache))) {
    // the part the migration can affect, then the whole model: a failure or difference on either is
    // no verdict (the next one decides), but an engine that cannot run it is
    const shortcuts = [...(o.scope ? [{ how: 'scope' as const, base: o.scope.base, restrict: o.scope.restrict }] : []), { how: 'model' as const, base: o.base, restrict: whole }]
    for (const s of shortcuts) {
      try {
        if ((await attempt(s.base, s.restrict)).length === 0) return s.how
      } catch (e) {
        const x = explainUnavailable(e, 'the shadow database')
        if (x !== e || (isCairnError(e) && e.code === 'connection_lost')) throw x
      }
    }
  }
  let left: readonly string[]
  try {
    left = await attempt(undefined)
  } catch (e) {
    const x = explainUnavailable(e, 'the shadow database')
    if (x !== e) throw x
    if (isCairnError(e) && e.code === 'connection_lost') throw e
    const reason = e instanceof Error ? e.message : String(e)
    throw new CairnError('replay_failed', `the new migration does not apply on top of ${o.dirRel}/ replayed from scratch: ${reason}`, {
      hint: 'nothing was written; a hand-written migration may have left rows or objects it conflicts with: change the definitions or add a migration by hand first',
      cause: e,
    })
  }
  if (left.length) {
    throw new CairnError('replay_mismatch', `the new migration applies on top of ${o.dirRel}/ but leaves ${left.length} difference${left.length === 1 ? '' : 's'} from the definitions: ${left.slice(0, 5).join('; ')}`, {
      hint: 'nothing was written; this is a bug in cairn: report it with the definitions',
      meta: { differences: left.slice(0, 20) },
    })
  }
  return 'history'
}
