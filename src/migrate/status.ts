/**
 * `migrationStatus` (what is applied, pending, changed, missing or half-done, with times) and
 * `baseline` (mark an existing database as being at a given migration without running anything).
 */
import type { Database, Session } from '../db/database.js'
import { CairnError, isCairnError } from '../errors.js'
import { checkAppliedFiles } from './checks.js'
import { nodeDirFs, readMigrationDir, verifyMigrationDir } from './migration-dir.js'
import { insertHistory, readHistory, readProgress } from './pg-storage.js'
// the runner (umzug, the SQL parser) loads only for baseline: reading the status does not need it
import type { MigrationResult, MigrationResultSet, RunnerOptions } from './runner.js'

/** The state of one migration. */
export interface MigrationStatusEntry {
  readonly name: string
  /**
   * `applied`; `pending`; `partial` (a statement-by-statement run stopped midway); `changed` (applied,
   * but up.sql differs from what ran); `missing` (applied, but the folder is gone).
   */
  readonly status: 'applied' | 'pending' | 'partial' | 'changed' | 'missing'
  /** ISO 8601 UTC. */
  readonly appliedAt?: string
  readonly durationMs?: number
  readonly appliedBy?: string
  /** True when recorded by `cairn baseline` rather than run. */
  readonly baseline?: boolean
  /** Pending but sorts before the last applied migration. */
  readonly outOfOrder?: boolean
  /** For `partial`: statements completed, of how many, and the last error. */
  readonly progress?: { readonly statementsDone: number; readonly lastError?: string; readonly updatedAt: string }
}

/** The status of a database against a migration directory. */
export interface MigrationStatus {
  readonly target: string
  readonly dir: string
  /** Whether cairn.sum matches the files; the error when not. */
  readonly sum: { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string; readonly file?: string }
  readonly migrations: readonly MigrationStatusEntry[]
  readonly counts: { readonly applied: number; readonly pending: number; readonly partial: number; readonly changed: number; readonly missing: number }
  /** The newest applied migration. */
  readonly current?: string
  /** True when `migrate up` would refuse, the files disagree with the history, or a run stopped midway. */
  readonly problems: boolean
}

/** Compares the history table with the directory; reads only, creates nothing. */
export async function migrationStatus(db: Database, options: Omit<RunnerOptions, 'lockTimeoutMs' | 'onEvent'> = {}): Promise<MigrationStatus> {
  const d = await readMigrationDir(options.fs ?? nodeDirFs, options.dir ?? 'migrations')
  let sum: MigrationStatus['sum'] = { ok: true }
  try {
    verifyMigrationDir(d)
  } catch (e) {
    if (!isCairnError(e)) throw e
    sum = { ok: false, code: e.code, message: e.message, ...(e.file ? { file: e.file } : {}) }
  }
  const [history, progress] = await Promise.all([readHistory(db), readProgress(db)])
  const applied = new Map(history.map((h) => [h.name, h]))
  const files = new Map(d.migrations.map((m) => [m.name, m]))
  const last = history.at(-1)?.name
  const names = [...new Set([...files.keys(), ...applied.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const entries: MigrationStatusEntry[] = names.map((name) => {
    const h = applied.get(name)
    const f = files.get(name)
    if (h) {
      const status = !f ? 'missing' : f.checksum !== h.checksum ? 'changed' : 'applied'
      return {
        name,
        status,
        appliedAt: h.appliedAt,
        ...(h.durationMs !== undefined ? { durationMs: h.durationMs } : {}),
        ...(h.appliedBy !== undefined ? { appliedBy: h.appliedBy } : {}),
        ...(h.kind === 'baseline' ? { baseline: true } : {}),
      }
    }
    const p = progress.find((r) => r.name === name && r.direction === 'up')
    return {
      name,
      status: p ? 'partial' : 'pending',
      ...(last !== undefined && name < last ? { outOfOrder: true } : {}),
      ...(p ? { progress: { statementsDone: p.statementsDone, ...(p.lastError ? { lastError: p.lastError } : {}), updatedAt: p.updatedAt } } : {}),
    }
  })
  const count = (s: MigrationStatusEntry['status']) => entries.filter((e) => e.status === s).length
  const counts = { applied: count('applied'), pending: count('pending'), partial: count('partial'), changed: count('changed'), missing: count('missing') }
  return {
    target: db.target,
    dir: d.dir,
    sum,
    migrations: entries,
    counts,
    ...(last ? { current: last } : {}),
    problems: !sum.ok || counts.changed > 0 || counts.missing > 0 || counts.partial > 0 || entries.some((e) => e.outOfOrder),
  }
}

export interface BaselineOptions extends RunnerOptions {
  /** The migration the database already reflects; it and every earlier one are recorded as applied. */
  readonly to: string
  /**
   * Checks, under the migration lock and before anything is recorded, that the database holds what
   * the migrations up to `to` create; throws to refuse. The CLI inspects and diffs it against a
   * replay of those migrations unless --force.
   */
  readonly verify?: (session: Session) => Promise<void>
}

/**
 * Marks an existing database as being at migration `to`: records it and every earlier migration as
 * applied (kind 'baseline') without running them. Refuses when a later migration is already applied,
 * or when `verify` throws.
 */
export async function baseline(db: Database, options: BaselineOptions): Promise<MigrationResultSet> {
  const { loadDir, runLocked } = await import('./runner.js')
  const d = await loadDir(options)
  if (!d.migrations.some((m) => m.name === options.to)) {
    throw new CairnError('unknown_migration', `no migration named ${options.to} in ${d.dir}`, {
      object: options.to,
      hint: 'give the full folder name of the migration the database already matches (see `cairn migrate status`)',
    })
  }
  return runLocked(db, options, async (session) => {
    const history = await readHistory(session)
    checkAppliedFiles(d, history)
    const later = history.filter((h) => h.name > options.to)
    if (later.length) {
      throw new CairnError('baseline_behind_history', `${later.map((h) => h.name).join(', ')} ${later.length === 1 ? 'is' : 'are'} already applied, after ${options.to}`, {
        object: options.to,
        hint: 'baseline marks a database that cairn has not migrated yet; use `cairn migrate down --to` to go back instead',
      })
    }
    if (options.verify) await options.verify(session)
    const applied = new Set(history.map((h) => h.name))
    const results: MigrationResult[] = []
    const todo = d.migrations.filter((m) => m.name <= options.to)
    await session.transaction(async (tx) => {
      for (const m of todo) {
        if (applied.has(m.name)) {
          results.push({ name: m.name, direction: 'up', status: 'skipped' })
          continue
        }
        await insertHistory(tx, { name: m.name, checksum: m.checksum, kind: 'baseline' })
        results.push({ name: m.name, direction: 'up', status: 'baselined' })
      }
    })
    for (const r of results) if (r.status === 'baselined') options.onEvent?.({ event: 'baselined', name: r.name, direction: 'up' })
    return { target: db.target, dir: d.dir, direction: 'up', dryRun: false, results }
  })
}
