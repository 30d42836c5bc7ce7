/**
 * `drift`: the definitions, the migration directory and a live database, compared three ways.
 *
 *   definitions ≠ migrations   diff(shadow(all migrations), canonicalize(load(schema/)))   what `generate --dry-run` would write
 *   migrations  ≠ history      migrationStatus(db)                                       pending, edited, missing, partial, out of order
 *   database    ≠ history      diff(inspect(db), shadow(applied migrations))               hand-made changes, with the SQL that undoes them
 *
 * The shadows are replays in the embedded engine (cached by the content of exactly the files
 * replayed, like `generate`), or, with `shadow`, in a throwaway database on the live server.
 * Models from two server versions are compared through alignEquivalentText (src/diff/align.ts) with
 * PostgreSQL's parser, so spelling differences between versions are not drift. Reading only: the
 * live database is inspected in a read-only transaction and its history table is only read.
 */
import path from 'node:path'
import type { Database } from '../db/database.js'
import { alignEquivalentText } from '../diff/align.js'
import type { Change, DiffWarning } from '../diff/changes.js'
import { diff, renameResolverFrom } from '../diff/index.js'
import { withoutMaintained } from '../diff/maintained.js'
import { CairnError, isCairnError } from '../errors.js'
import { loadSameText } from '../inspect/expression-form.js'
import { loadProject } from '../load/load-project.js'
import { MIGRATION_NAME, nodeDirFsAt, readMigrationDir, requireMigrationDir, sumFiles, verifyMigrationDir } from '../migrate/migration-dir.js'
import type { DirFs, MigrationDir } from '../migrate/migration-dir.js'
import type { MigrationStatus, MigrationStatusEntry } from '../migrate/status.js'
import { SUM_FILE, computeSum } from '../migrate/sum.js'
import type { Model } from '../model/types.js'
import { maintainedBy } from '../partitions/window.js'
import { plan, renderMigration } from '../plan/index.js'
import type { Plan } from '../plan/index.js'
import { driftItems } from './drift-items.js'
import type { DriftItem } from './drift-items.js'
import { shadowModel } from './generate.js'
import { parseIgnore, withIgnoredFrom } from './ignore.js'
import type { IgnoreRule } from './ignore.js'
import { canonicalizeCached, ModelCache } from './model-cache.js'
import { readSnapshot } from './snapshot.js'
import { withUndeclaredFrom } from './undeclared.js'

export type { DriftItem } from './drift-items.js'

/** Options of {@link drift}. */
export interface DriftOptions {
  /** Project root holding `schema/` and `migrations/`. */
  readonly root: string
  /** Migration directory relative to root (default `migrations`). */
  readonly dir?: string
  /** The live database. */
  readonly db: Database
  /**
   * A throwaway database on the live server to replay the applied migrations in, instead of the
   * embedded engine. It must be empty; its objects are dropped again afterwards.
   */
  readonly shadow?: Database
  /** `--ignore` patterns: objects managed elsewhere (see ignore.ts). */
  readonly ignore?: readonly string[]
  /** Reuse cached models under `<root>/.cairn/cache` (default true). */
  readonly cache?: boolean
}

/** One finding about the migration files against the history table. */
export interface MigrationDriftItem {
  /** The migration folder name (or `cairn.sum`). */
  readonly name: string
  readonly status: 'pending' | 'out_of_order' | 'partial' | 'changed' | 'missing' | 'sum_mismatch'
  /** The file concerned, relative to the project, when there is one. */
  readonly file?: string
  readonly message: string
  readonly hint: string
}

/** definitions ≠ migrations. */
export interface DefinitionsSection {
  readonly drift: boolean
  readonly items: readonly DriftItem[]
  /** The migration `cairn generate` would write (destructive changes included), empty without drift. */
  readonly sql: string
  readonly notes: readonly string[]
}

/** migrations ≠ applied history. */
export interface MigrationsSection {
  readonly drift: boolean
  readonly dir: string
  /** Migrations recorded in the history table. */
  readonly applied: number
  readonly items: readonly MigrationDriftItem[]
}

/** live database ≠ what its applied migrations produce. */
export interface DatabaseSection {
  readonly drift: boolean
  /** Where the applied migrations were replayed: `pglite` (embedded PostgreSQL 18) or the shadow database's target. */
  readonly comparedWith: string
  /** The migrations replayed to get the expected schema. */
  readonly replayed: readonly string[]
  readonly items: readonly DriftItem[]
  /** Statements that bring the database back to its migrations (destructive ones included), empty without drift. */
  readonly sql: string
  readonly notes: readonly string[]
}

/** The result of {@link drift}. */
export interface DriftReport {
  /** True when any section found drift. */
  readonly drift: boolean
  /** The live database, password removed. */
  readonly target: string
  readonly serverVersion: number
  readonly definitions: DefinitionsSection
  readonly migrations: MigrationsSection
  readonly database: DatabaseSection
  /** The `--ignore` patterns applied. */
  readonly ignore: readonly string[]
  /**
   * What could not be compared: objects of kinds cairn does not model (aggregates, event triggers,
   * …) in either comparison, as diff() reports them. Not drift by themselves (`--exit-code` fails on
   * them), but "no drift" does not cover them.
   */
  readonly warnings: readonly DriftWarning[]
  /** Milliseconds per phase. */
  readonly timings: Readonly<Record<string, number>>
}

/** A diff warning and the comparison it comes from. */
export type DriftWarning = DiffWarning & { readonly section: 'definitions' | 'database' }

/** Compares definitions, migrations and a live database; see the module comment. */
export async function drift(options: DriftOptions): Promise<DriftReport> {
  const timings: Record<string, number> = {}
  const t0 = performance.now()
  const time = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    try {
      return await f()
    } finally {
      timings[phase] = Math.round(performance.now() - start)
    }
  }
  const rules = parseIgnore(options.ignore ?? [])
  const dirRel = options.dir ?? 'migrations'
  const fs = nodeDirFsAt(options.root)
  const cache = new ModelCache(path.join(options.root, '.cairn', 'cache'), options.cache ?? true)
  const { db } = options
  if (options.shadow && options.shadow.target === db.target) {
    throw new CairnError('bad_shadow', `the shadow database is the live database (${db.target})`, {
      hint: 'pass --shadow-url a throwaway, empty database on the same server (CREATE DATABASE cairn_shadow)',
    })
  }

  const history = await time('read_migrations', async () => {
    await requireMigrationDir(fs, dirRel)
    return readMigrationDir(fs, dirRel)
  })
  const scratches: Promise<Database>[] = []
  // every replay gets its own scratch database: a replay must start from an empty one
  const openScratch = () => {
    // with the extensions the history creates and the definitions declare (once loaded)
    const s = import('./shadow-db.js').then((m) => m.openShadowPglite({ declared: [], created: [...m.historyExtensions(history), ...declaredExtensions] }))
    scratches.push(s)
    return s
  }
  const shadows = new Map<string, Promise<Model>>()
  let declaredExtensions: string[] = []
  /** The model `migrations` produce in the embedded engine (cached by their content). */
  const replayed = (migrations: readonly MigrationDir['migrations'][number][]): Promise<Model> => {
    const subset: MigrationDir = { dir: history.dir, migrations }
    const sum = computeSum(sumFiles(subset))
    let m = shadows.get(sum)
    if (!m) {
      m = shadowModel({ ...subset, sum }, { fs: replayFs(fs, dirRel, migrations, sum), dirRel, cache, openScratch })
      shadows.set(sum, m)
    }
    return m
  }

  try {
    const live = db.serverVersion
    // the live database is read while the definitions load (one after the other: PGlite has one connection)
    const readLive = async () => {
      const status = await time('status', () => onLive(db, async () => (await import('../migrate/status.js')).migrationStatus(db, { dir: dirRel, fs })))
      const model = await time('inspect', async () => (await import('../inspect/inspect.js')).inspect(db))
      return { status, model }
    }
    const [loaded, { status, model: liveModel }, sameText] = await Promise.all([
      time('load', () => loadProject({ root: options.root })),
      readLive(),
      loadSameText(),
    ])
    declaredExtensions = loaded.model.extensions.map((x) => x.name)

    const maintained = maintainedBy(loaded.windows)
    const warnings: DriftWarning[] = []

    // definitions ≠ migrations: what `generate` would write now
    const definitions = await time('definitions', async () => {
      const current = await replayed(history.migrations)
      // the checked-in snapshot knows the canonical form of the definitions it was generated from
      const seed = cache.enabled ? await readSnapshot(fs, dirRel) : undefined
      // what the definitions cannot declare stays as the history made it, as generate leaves it
      const desired = withUndeclaredFrom(current, await canonicalizeCached(loaded.model, cache, openScratch, seed), loaded.model)
      const renames = new Set<string>()
      const cut = withoutMaintained(current, withIgnoredFrom(current, desired, rules), maintained)
      const d = diff(cut.from, cut.to, { resolveRenames: (c) => {
        renames.add(`${c.kind} ${c.schema}.${c.table ? `${c.table}.` : ''}${c.from} → ${c.to} may be a rename: shown as drop + add (\`cairn generate\` asks, or mark it with .renamedFrom())`)
        return 'no'
      } })
      const notes = [...renames]
      const { p, unsupported } = planAll(d.changes, {})
      const items = driftItems(p, unsupported, { drifted: 'to' })
      // the definitions cannot declare what the model does not hold: the history's such objects are warnings
      warnings.push(...(d.warnings ?? []).map((w) => ({ ...w, section: 'definitions' as const })))
      return { drift: items.length > 0, items, sql: items.length ? renderMigration(p, { name: 'ungenerated' }).up : '', notes } satisfies DefinitionsSection
    })

    // migrations ≠ applied history
    const migrationFindings = migrationItems(history, status)
    const migrations: MigrationsSection = {
      drift: migrationFindings.length > 0,
      dir: history.dir,
      applied: status.migrations.filter((m) => m.appliedAt !== undefined).length,
      items: migrationFindings,
    }

    // live database ≠ what its applied migrations produce
    const database = await time('database', async () => {
      const files = new Map(history.migrations.map((m) => [m.name, m]))
      const appliedFiles = status.migrations.filter((m) => m.status === 'applied' || m.status === 'changed').map((m) => files.get(m.name)!)
      const notes = replayNotes(status.migrations)
      let expected: Model
      let comparedWith = 'pglite'
      if (options.shadow) {
        comparedWith = options.shadow.target
        expected = await replayOnServer(options.shadow, replayFs(fs, dirRel, appliedFiles, computeSum(sumFiles({ dir: history.dir, migrations: appliedFiles }))), dirRel)
      } else {
        expected = await replayed(appliedFiles)
      }
      // partitions `cairn partitions maintain` created or retired are not drift
      const cut = withoutMaintained(liveModel, withIgnoredFrom(liveModel, expected, rules), maintained)
      const from = alignEquivalentText(cut.from, cut.to, sameText)
      const d = diff(from, cut.to, { resolveRenames: renameResolverFrom([], { othersAreNew: true }) })
      // roles are cluster-wide: one this database does not use may still be used elsewhere on its server
      const { p, unsupported } = planAll(d.changes.filter((c) => c.kind !== 'drop_role'), { serverVersion: live })
      const items = [...driftItems(p, unsupported, { drifted: 'from', adopt: true }), ...unmodelledItems(d.warnings ?? [])]
      // those on both sides cannot be compared further
      for (const w of d.warnings ?? []) {
        const both = w.from.filter((n) => w.to.includes(n))
        if (!both.length) continue
        const message = `${both.length} ${w.kind} object${both.length === 1 ? '' : 's'} in the database and its migrations not compared (cairn does not model them): ${both.join(', ')}`
        warnings.push({ ...w, from: both, to: both, message, section: 'database' })
      }
      return {
        drift: items.length > 0,
        comparedWith,
        replayed: appliedFiles.map((m) => m.name),
        items,
        sql: items.length ? renderMigration(p, { name: 'revert_drift' }).up : '',
        notes,
      } satisfies DatabaseSection
    })

    timings.total = Math.round(performance.now() - t0)
    return {
      drift: definitions.drift || migrations.drift || database.drift,
      target: db.target,
      serverVersion: live,
      definitions,
      migrations,
      database,
      ignore: rules.map((r: IgnoreRule) => r.pattern),
      warnings,
      timings,
    }
  } finally {
    for (const s of scratches) await (await s.catch(() => undefined))?.close()
  }
}

/**
 * Objects of kinds cairn does not model (aggregates, collations, …) are compared by name only: one
 * only in the live database was made by hand, one only in the replay was dropped by hand. Neither
 * gets SQL. Those on both sides cannot be compared further: they are the report's warnings.
 */
function unmodelledItems(warnings: readonly DiffWarning[]): DriftItem[] {
  const out: DriftItem[] = []
  for (const w of warnings) {
    const item = (name: string, drift: 'added' | 'removed'): DriftItem => ({
      drift,
      objectKind: w.kind,
      object: name,
      changes: [],
      summary: `${name} ${drift} by hand`,
      sql: '',
      hazards: [],
      manual: `cairn does not model ${w.kind} objects: ${drift === 'added' ? 'drop it by hand, or create it in a hand-written migration' : 'recreate it as the migration that made it does'}`,
    })
    for (const name of w.from) if (!w.to.includes(name)) out.push(item(name, 'added'))
    for (const name of w.to) if (!w.from.includes(name)) out.push(item(name, 'removed'))
  }
  return out
}

/** Plans everything cairn can plan (drops included: this is a report) and keeps the rest apart. */
function planAll(changes: readonly Change[], policy: { serverVersion?: number }): { p: Plan; unsupported: Change[] } {
  const unsupported = changes.filter((c) => c.kind === 'unsupported')
  const p = plan(
    changes.filter((c) => c.kind !== 'unsupported'),
    { allowDestructive: true, ...(policy.serverVersion !== undefined ? { serverVersion: policy.serverVersion } : {}) },
  )
  return { p, unsupported }
}

/** Failures while reading the live database are runtime failures (exit 3). */
async function onLive<T>(db: Database, f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (e) {
    if (isCairnError(e)) throw e
    throw new CairnError('db_query_failed', `cannot read the migration history of ${db.target}: ${(e as Error).message}`, {
      hint: 'the connected role needs to read cairn.schema_migrations and pg_catalog',
      cause: e,
    })
  }
}

/**
 * The migration directory as the runner should see it for a replay of exactly `keep`: other
 * migration folders hidden, cairn.sum computed for what is left (the real one may be stale or
 * cover more). Writes are refused: a replay only reads.
 */
function replayFs(base: DirFs, dir: string, keep: readonly { name: string }[], sum: string): DirFs {
  const names = new Set(keep.map((m) => m.name))
  const same = (a: string, b: string) => path.normalize(a) === path.normalize(b)
  const refuse = async () => {
    throw new CairnError('internal_error', 'a replay does not write migration files')
  }
  return {
    ...base,
    async readdir(d) {
      const entries = await base.readdir(d)
      return same(d, dir) ? entries?.filter((e) => !e.isDirectory || !MIGRATION_NAME.test(e.name) || names.has(e.name)) : entries
    },
    readFile: (f) => (same(f, path.join(dir, SUM_FILE)) ? Promise.resolve(sum) : base.readFile(f)),
    writeFile: refuse,
    mkdir: refuse,
  }
}

/** What the history says, as findings: everything but a cleanly applied migration. */
function migrationItems(dir: MigrationDir, status: MigrationStatus): MigrationDriftItem[] {
  const out: MigrationDriftItem[] = []
  try {
    verifyMigrationDir(dir)
  } catch (e) {
    if (!isCairnError(e)) throw e
    out.push({
      name: SUM_FILE,
      status: 'sum_mismatch',
      file: e.file ?? `${dir.dir}/${SUM_FILE}`,
      message: e.message,
      hint: e.hint ?? 'run `cairn migrate hash` after checking the migrations are the intended ones',
    })
  }
  const files = new Map(dir.migrations.map((m) => [m.name, m]))
  const last = status.current
  for (const m of status.migrations) {
    const file = files.get(m.name)?.upPath
    const at = file ? { file } : {}
    if (m.status === 'pending' && m.outOfOrder) {
      out.push({ name: m.name, status: 'out_of_order', ...at, message: `not applied, and older than ${last}, the last applied migration`, hint: 'regenerate it so it sorts last, or apply it with `cairn migrate up --allow-out-of-order`' })
    } else if (m.status === 'pending') {
      out.push({ name: m.name, status: 'pending', ...at, message: 'not applied yet', hint: 'apply it with `cairn migrate up`' })
    } else if (m.status === 'partial') {
      const p = m.progress
      out.push({ name: m.name, status: 'partial', ...at, message: `stopped after ${p?.statementsDone ?? 0} statements${p?.lastError ? `: ${p.lastError}` : ''}`, hint: '`cairn migrate up` resumes it after the last completed statement' })
    } else if (m.status === 'changed') {
      out.push({ name: m.name, status: 'changed', ...at, message: `applied${m.appliedAt ? ` at ${m.appliedAt}` : ''}, but up.sql was edited since (its checksum differs from the history)`, hint: 'restore the file as it was applied and put the change in a new migration' })
    } else if (m.status === 'missing') {
      out.push({ name: m.name, status: 'missing', message: `applied${m.appliedAt ? ` at ${m.appliedAt}` : ''}, but ${dir.dir}/${m.name} is missing`, hint: 'restore the folder from version control (another branch may have it)' })
    }
  }
  return out
}

/** Caveats of the replay of the applied migrations. */
function replayNotes(entries: readonly MigrationStatusEntry[]): string[] {
  const notes: string[] = []
  for (const m of entries) {
    if (m.status === 'changed') notes.push(`${m.name} was edited after it was applied: it is replayed as it is now`)
    if (m.status === 'missing') notes.push(`${m.name} is applied but its folder is missing: it is not replayed, so what it created shows as added by hand`)
    if (m.status === 'partial') notes.push(`${m.name} stopped midway: it is not replayed, so what its completed statements created shows as added by hand`)
  }
  if (!entries.some((m) => m.appliedAt !== undefined) && entries.length) {
    notes.push('the database has no applied migrations: every object in it shows as added by hand (`cairn baseline` adopts a database that already matches a migration)')
  }
  return notes
}

/**
 * Replays migrations in a throwaway database on the live server and inspects it: exact, because
 * both sides are printed by the same server version. The database must be empty; everything the
 * replay created is dropped afterwards (roles, which are cluster-wide, stay).
 */
async function replayOnServer(shadow: Database, fs: DirFs, dirRel: string): Promise<Model> {
  const [{ migrateUp }, { inspect }, { resetScratchDatabase }] = await Promise.all([
    import('../migrate/runner.js'),
    import('../inspect/inspect.js'),
    import('../inspect/canonicalize.js'),
  ])
  const [row] = await shadow.query<{ objects: string[] | null }>(
    `SELECT array_agg(x) AS objects FROM (
       SELECT 'schema ' || nspname AS x FROM pg_catalog.pg_namespace
        WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
       UNION ALL SELECT 'relation public.' || relname FROM pg_catalog.pg_class WHERE relnamespace = 'public'::regnamespace
       UNION ALL SELECT 'extension ' || extname FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'
     ) o`,
  )
  if (row.objects?.length) {
    throw new CairnError('shadow_not_empty', `the shadow database ${shadow.target} is not empty (${row.objects.slice(0, 3).join(', ')}${row.objects.length > 3 ? ', …' : ''})`, {
      hint: 'pass --shadow-url a throwaway, empty database on the same server: cairn drops everything in it after the comparison',
    })
  }
  try {
    if ((await fs.readdir(dirRel))?.some((e) => e.isDirectory && MIGRATION_NAME.test(e.name))) {
      await migrateUp(shadow, { dir: dirRel, fs })
    }
    return await inspect(shadow)
  } catch (e) {
    if (isCairnError(e) && e.code !== 'migration_failed') throw e
    throw new CairnError('shadow_replay_failed', `replaying the applied migrations into ${shadow.target} failed: ${(e as Error).message}`, {
      hint: 'the applied migrations must apply to an empty database; fix the named migration',
      cause: e,
    })
  } finally {
    await resetScratchDatabase(shadow)
  }
}
