/**
 * `generate`: the definitions against the migration history → a new versioned migration.
 *
 * current = inspect(shadow database after replaying migrations/)   (cached by cairn.sum)
 * desired = canonicalize(load(schema/))                            (cached per table)
 * diff(current, desired) → plan → renderMigration → migrations/<timestamp>_<name>/ + cairn.sum
 */
import path from 'node:path'
import type { Database } from '../db/database.js'
import { diff } from '../diff/index.js'
import { unmodelledWarnings } from '../diff/diff.js'
import { withoutMaintained } from '../diff/maintained.js'
import type { Change, DiffOptions, DiffWarning, RenameCandidate } from '../diff/index.js'
import { CairnError } from '../errors.js'
import { explainUnavailable } from '../db/pglite-extensions.js'
import { loadProject } from '../load/load-project.js'
import { checkRendered } from '../migrate/check-rendered.js'
import { maintainedBy } from '../partitions/window.js'
import { nodeDirFsAt, readMigrationDir, verifyMigrationDir, writeMigration } from '../migrate/migration-dir.js'
import type { MigrationDir } from '../migrate/migration-dir.js'
import { MODEL_VERSION } from '../model/types.js'
import type { Model } from '../model/types.js'
import { stripHints } from '../model/normalize.js'
import { plan, renderMigration } from '../plan/index.js'
import type { MigrationInfo, PlanPolicy } from '../plan/index.js'
import { withUndeclaredFrom } from './undeclared.js'
import { withIgnoredFrom } from './ignore.js'
import { checkScope } from './check-scope.js'
import { canonicalizeCached, definitionsHash, expressionsFor, ModelCache } from './model-cache.js'
import { matchingSnapshot, readSnapshot, SNAPSHOT_FILE, writeSnapshot } from './snapshot.js'
import type { ModelSnapshot } from './snapshot.js'
import { checkNewMigration, openShadowPglite, shadowExtensions } from './shadow-db.js'

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Project root holding `schema/` and `migrations/`. */
  readonly root: string
  /** Free-text migration name, slugified into the folder name. */
  readonly name: string
  /** Migration directory relative to root (default `migrations`). */
  readonly dir?: string
  readonly policy?: PlanPolicy
  /** Answers look-alike rename pairs (a prompt, `--rename` flags or a hints file). */
  readonly resolveRenames?: DiffOptions['resolveRenames']
  /** Compute and return the migration but write nothing. */
  readonly dryRun?: boolean
  /** The clock, injected for deterministic folder names. */
  readonly now?: Date
  /**
   * Reuse cached models under `<root>/.cairn/cache` and the checked-in `migrations/cairn.model.json`
   * (default true). false replays and canonicalises through the database, like `verifySnapshot`.
   */
  readonly cache?: boolean
  /**
   * Replay the history and canonicalise the definitions through the database even when the snapshot
   * matches, and fail (`snapshot_mismatch`) when the snapshot disagrees with either (for CI).
   */
  readonly verifySnapshot?: boolean
  /**
   * A throwaway database (on a server) to replay the history in instead of the embedded engine, e.g.
   * for extensions PGlite lacks; it is emptied before and after use, never closed.
   */
  readonly shadow?: Database
  /** Objects managed elsewhere, left as the history made them: `[kind:]schema.name` patterns (see ignore.ts). */
  readonly ignore?: readonly string[]
}

/** What {@link generate} did; `status` says which of the fields are set. */
export interface GenerateResult {
  readonly status: 'created' | 'no_changes' | 'needs_input'
  readonly changes: readonly Change[]
  readonly candidates: readonly RenameCandidate[]
  /** Set when status is 'created' (also on a dry run, with `written` false). */
  readonly migration?: {
    readonly name: string
    readonly up: string
    readonly down: string
    readonly info: MigrationInfo
    readonly written: boolean
    readonly upPath?: string
    readonly downPath?: string
  }
  /** Milliseconds spent per phase, for `--json` and benchmarks. */
  readonly timings: Readonly<Record<string, number>>
  /**
   * Objects the history creates that cairn does not model (a hand-written migration's aggregate,
   * event trigger, …): the new migration neither changes nor drops them. Absent when none.
   */
  readonly warnings?: readonly DiffWarning[]
}

/** Generates the next migration from the definitions; see the module comment for the pipeline. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const timings: Record<string, number> = {}
  const time = async <T>(phase: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now()
    try {
      return await f()
    } finally {
      timings[phase] = Math.round(performance.now() - t0)
    }
  }
  const dirRel = options.dir ?? 'migrations'
  const fs = nodeDirFsAt(options.root)
  const verify = options.verifySnapshot === true || options.cache === false
  const cache = new ModelCache(path.join(options.root, '.cairn', 'cache'), !verify)

  const loaded = await time('load', () => loadProject({ root: options.root }))
  const history = await time('read_migrations', async () => {
    const d = await readMigrationDir(fs, dirRel)
    verifyMigrationDir(d)
    return d
  })
  const snapshot = await readSnapshot(fs, dirRel)
  // the snapshot is the model of exactly this history and of exactly these definitions: there is
  // nothing to compare (a model diffed with itself has no changes), only its unmodelled objects to note
  if (!verify && history.migrations.length > 0 && snapshot?.definitions !== undefined && matchingSnapshot(snapshot, history.sum)) {
    const defs = await time('canonicalize', async () => definitionsHash(loaded.model))
    if (defs === snapshot.definitions) {
      const w = unmodelledWarnings(snapshot.model, { ...snapshot.model, unmodelled: [] })
      return { status: 'no_changes', changes: [], candidates: [], timings, ...(w.length ? { warnings: w } : {}) }
    }
  }

  // the snapshot says "these definitions give exactly this history's model" only when nothing was
  // taken from the history instead: maintained partitions, or objects ignored by --ignore / the
  // config (a later run with other ignore patterns must compare, not trust the hash)
  const recordsDefinitions = (cut: { left: ReadonlySet<string> }): boolean => cut.left.size === 0 && (options.ignore ?? []).length === 0
  let scratch: Promise<Database> | undefined
  // the embedded engine, the runner and the inspector load only when a cache misses
  // it loads the extensions the definitions declare and the history creates (PGlite takes them at start-up)
  const extensions = shadowExtensions(loaded.model, history)
  const openFresh = async (): Promise<Database> => {
    if (!options.shadow) return openShadowPglite(extensions)
    const { resetScratchDatabase } = await import('../inspect/canonicalize.js')
    await resetScratchDatabase(options.shadow)
    return { ...options.shadow, close: async () => resetScratchDatabase(options.shadow!) }
  }
  // (timings.open_database is present exactly when a database was started)
  const openScratch = () => (scratch ??= time('open_database', openFresh))
  // the definitions are not the ones the snapshot records: a change is likely, and checking it needs
  // a database; starting it now lets its start-up (file reads, compiling the engine) overlap the
  // comparison below (a run that finds nothing to write closes it unused)
  if (!options.dryRun && !verify && !options.shadow && snapshot?.definitions !== undefined && matchingSnapshot(snapshot, history.sum)) {
    openScratch().catch(() => undefined)
  }
  try {
    const current = await time('shadow', () => shadowModel(history, { fs, dirRel, cache, openScratch, snapshot, verify }))
    const desired = await time('canonicalize', async () => {
      const d = await canonicalizeCached(loaded.model, cache, openScratch, verify ? undefined : snapshot)
      if (verify && snapshot?.definitions === definitionsHash(loaded.model)) {
        assertSameModel(d, snapshot.model, `the canonical form of the definitions it records (${dirRel}/${SNAPSHOT_FILE})`)
      }
      // what the definitions cannot declare stays as the history made it (see undeclared.ts)
      return withIgnoredFrom(current, withUndeclaredFrom(current, d, loaded.model), options.ignore ?? [])
    })
    // partitions of rolling windows come and go with `cairn partitions maintain`, not with migrations
    const cut = withoutMaintained(current, desired, maintainedBy(loaded.windows))
    const result = diff(cut.from, cut.to, { resolveRenames: options.resolveRenames })
    if (result.status === 'needs_input') {
      return { status: 'needs_input', changes: [], candidates: result.candidates, timings }
    }
    const warnings = result.warnings ? { warnings: result.warnings } : {}
    if (result.changes.length === 0) {
      // a history without a snapshot (or with a stale one) gets one, so the next fresh clone need not replay it
      if (!options.dryRun && history.sum !== undefined && history.migrations.length > 0 && !matchingSnapshot(snapshot, history.sum)) {
        await time('write', () =>
          writeSnapshot(fs, dirRel, { sum: history.sum!, ...(recordsDefinitions(cut) ? { definitions: definitionsHash(loaded.model) } : {}), model: current, ...expressionsFor(loaded.model, cache) }),
        )
      }
      return { status: 'no_changes', changes: [], candidates: [], timings, ...warnings }
    }
    const p = plan(result.changes, options.policy)
    const rendered = renderMigration(p, { name: options.name })
    // names and SQL from the definitions and the history are untrusted text: what is written must
    // read back as exactly the plan
    await checkRendered(rendered.up, rendered.statements.up, 'the new up.sql')
    await checkRendered(rendered.down, rendered.statements.down, 'the new down.sql')
    if (options.dryRun) {
      return {
        status: 'created',
        changes: result.changes,
        candidates: [],
        migration: { name: options.name, ...rendered, written: false },
        timings,
        ...warnings,
      }
    }
    const now = options.now ?? new Date()
    // never write a migration that does not apply on top of the history, or leaves anything but the
    // definitions: checked on the history's model (from the snapshot, the cache or the replay above)
    // applied to an empty database, else (--verify-snapshot, a history that writes rows, a failure
    // there) on a full replay of the history
    // a database already started (to replay or canonicalise) is emptied and checked on first
    let reuse = scratch
    scratch = undefined
    const open = async (): Promise<Database> => {
      if (!reuse) return time('open_database', openFresh)
      const db = await reuse
      reuse = undefined
      const { resetScratchDatabase } = await import('../inspect/canonicalize.js')
      await resetScratchDatabase(db)
      return db
    }
    const maintained = maintainedBy(loaded.windows)
    const checked = await time('replay_check', () =>
      checkNewMigration({
        fs,
        dirRel,
        history,
        cache,
        migration: { name: options.name, up: rendered.up, down: rendered.down, now },
        open,
        ...(verify ? {} : { base: current, scope: checkScope(current, stripHints(desired), rendered.statements.up) }),
        differences: (after, restrict) => {
          const c = withoutMaintained(after, restrict(stripHints(desired)), maintained)
          const d = diff(c.from, c.to, { resolveRenames: () => 'no' })
          return d.status === 'needs_input' ? d.candidates.map((x) => `${x.kind} ${x.from} → ${x.to}`) : d.changes.map(describeChange)
        },
      }),
    ).finally(async () => {
      if (reuse) await (await reuse).close()
    })
    timings[`check_on_${checked}`] = timings.replay_check
    const written = await time('write', () =>
      writeMigration({ fs, dir: dirRel, name: options.name, up: rendered.up, down: rendered.down, now }),
    )
    // the new history is meant to produce exactly `desired`; remember that for the next run (the
    // scenario suite checks that applying a plan leaves nothing to diff; --no-cache replays instead)
    const after = await readMigrationDir(fs, dirRel)
    // (objects of kinds cairn does not model, and maintained partitions, stay as the history made them)
    const keyOf = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`
    const produced = stripHints(desired)
    const next: Model = {
      ...produced,
      tables: [...produced.tables.filter((t) => !cut.left.has(keyOf(t))), ...current.tables.filter((t) => cut.left.has(keyOf(t)))],
      ...(current.unmodelled ? { unmodelled: current.unmodelled } : {}),
    }
    cache.set(`shadow-${ModelCache.hash(after.sum ?? '')}`, next)
    // …and for a fresh clone: the checked-in snapshot, authenticated by the new cairn.sum
    if (after.sum !== undefined) {
      await writeSnapshot(fs, dirRel, {
        sum: after.sum,
        ...(recordsDefinitions(cut) ? { definitions: definitionsHash(loaded.model) } : {}),
        model: next,
        ...expressionsFor(loaded.model, cache),
      })
    }
    return {
      status: 'created',
      changes: result.changes,
      candidates: [],
      migration: { ...rendered, ...written, written: true },
      timings,
      ...warnings,
    }
  } finally {
    if (scratch) await (await scratch.catch(() => undefined))?.close()
  }
}

interface ShadowOptions {
  readonly fs: ReturnType<typeof nodeDirFsAt>
  readonly dirRel: string
  readonly cache: ModelCache
  readonly openScratch: () => Promise<Database>
  /** The checked-in snapshot; read from the migration directory when not given. */
  readonly snapshot?: ModelSnapshot
  /** Replay even when the snapshot matches, and fail when it disagrees (default: when the cache is off). */
  readonly verify?: boolean
}

/** One line for a change in an error message: its kind and the names it carries. */
function describeChange(c: Change): string {
  const o = c as unknown as Record<string, unknown>
  const names = ['schema', 'table', 'name', 'column'].map((k) => o[k]).filter((v) => typeof v === 'string')
  return `${c.kind}${names.length ? ` ${names.join('.')}` : ''}`
}

/**
 * Throws `snapshot_mismatch` unless `actual` and the snapshot's `claimed` model have nothing to
 * diff (the same test the cache relies on: applying a plan leaves nothing to diff).
 */
function assertSameModel(actual: Model, claimed: Model, what: string): void {
  const d = diff(actual, claimed, { resolveRenames: () => 'no' })
  if (d.status !== 'needs_input' && d.changes.length === 0) return
  const n = d.status === 'needs_input' ? d.candidates.length : d.changes.length
  throw new CairnError('snapshot_mismatch', `${SNAPSHOT_FILE} does not match ${what}: ${n} difference${n === 1 ? '' : 's'}`, {
    file: SNAPSHOT_FILE,
    hint: `delete the snapshot and run \`cairn generate <name>\` (with no pending change it writes a new one from a replay); it must never be edited by hand`,
    meta: { changes: d.status === 'needs_input' ? d.candidates : d.changes.slice(0, 20) },
  })
}

/**
 * The schema the migration history produces: the checked-in snapshot when cairn.sum authenticates
 * it, else a replay of every migration into a scratch database with the real runner, inspected.
 * Cached under the hash of cairn.sum, which covers every file.
 */
export async function shadowModel(history: MigrationDir, o: ShadowOptions): Promise<Model> {
  if (history.migrations.length === 0) return inspectEmpty(o)
  const verify = o.verify ?? !o.cache.enabled
  const snapshot = matchingSnapshot(o.snapshot ?? (await readSnapshot(o.fs, o.dirRel)), history.sum)
  if (snapshot && !verify) return snapshot.model
  const key = `shadow-${ModelCache.hash(history.sum ?? '')}`
  const hit = o.cache.get<Model>(key)
  // a model cached by an older cairn may lack kinds added since: replay instead
  if (hit?.version === MODEL_VERSION) return hit
  const db = await o.openScratch()
  const [{ migrateUp }, { inspect }] = await Promise.all([import('../migrate/runner.js'), import('../inspect/inspect.js')])
  try {
    await migrateUp(db, { dir: o.dirRel, fs: o.fs })
  } catch (e) {
    const unavailable = explainUnavailable(e, `the shadow database (${db.target})`)
    if (unavailable !== e) throw unavailable
    const reason = e instanceof Error ? e.message : String(e)
    throw new CairnError('shadow_replay_failed', `replaying ${o.dirRel}/ into the shadow database failed: ${reason}`, {
      hint: 'the migration history must apply to an empty database; fix the named migration (then `cairn migrate hash`)',
      cause: e,
    })
  }
  const model = await inspect(db)
  if (snapshot && verify) assertSameModel(model, snapshot.model, `what replaying ${o.dirRel}/ produces`)
  o.cache.set(key, model)
  return model
}

async function inspectEmpty(o: ShadowOptions): Promise<Model> {
  const hit = o.cache.get<Model>('shadow-empty')
  if (hit?.version === MODEL_VERSION) return hit
  const { inspect } = await import('../inspect/inspect.js')
  const model = await inspect(await o.openScratch())
  o.cache.set('shadow-empty', model)
  return model
}
