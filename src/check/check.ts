/**
 * `cairn check`: the statements of the pending migrations (the migration directory against the
 * database's history) — or of one SQL file — that validate the rows a table already holds, each
 * evaluated on the live database, read-only: how many rows would fail it, and which.
 */
import type { Database } from '../db/database.js'
import { nodeDirFs, readMigrationDir } from '../migrate/migration-dir.js'
import type { DirFs } from '../migrate/migration-dir.js'
import { loadSqlParser, splitSql } from '../migrate/split-sql.js'
import { migrationStatus } from '../migrate/status.js'
import { runChecks } from './run.js'
import type { CheckOptions, CheckResult, CheckStatus } from './run.js'
import { validationsOf } from './validations.js'
import type { RunFile, Validation } from './validations.js'

export interface CheckSource {
  /** Check the pending (and half-run) migrations of this directory. */
  readonly dir?: string
  readonly fs?: DirFs
  /** Or check these SQL files, every statement (as if pending). */
  readonly files?: ReadonlyArray<{ readonly path: string; readonly sql: string }>
}

export interface CheckReport {
  /** No statement would fail, and every one was evaluated or skipped for a reason that is not a failure. */
  readonly ok: boolean
  readonly target: string
  readonly serverVersion: number
  readonly source:
    | { readonly kind: 'migrations'; readonly dir: string; readonly pending: readonly string[]; readonly sumOk: boolean }
    | { readonly kind: 'sql'; readonly files: readonly string[] }
  readonly timeoutMs: number
  readonly results: readonly CheckResult[]
  readonly counts: Readonly<Record<CheckStatus, number>>
  readonly durationMs: number
}

const STATUSES: readonly CheckStatus[] = ['fails', 'may_fail', 'timeout', 'error', 'not_checked', 'skipped', 'passes']

/** Finds the validating statements of the source and evaluates them on `db`. */
export async function checkConstraints(db: Database, source: CheckSource, options: CheckOptions): Promise<CheckReport> {
  const started = Date.now()
  await loadSqlParser()
  let run: RunFile[]
  let src: CheckReport['source']
  if (source.files) {
    run = []
    for (const f of source.files) run.push({ path: f.path, statements: await splitSql(f.sql, f.path) })
    src = { kind: 'sql', files: source.files.map((f) => f.path) }
  } else {
    const fs = source.fs ?? nodeDirFs
    const dir = source.dir ?? 'migrations'
    const status = await migrationStatus(db, { dir, fs })
    const d = await readMigrationDir(fs, dir)
    const todo = status.migrations.filter((m) => m.status === 'pending' || m.status === 'partial')
    run = []
    for (const m of todo) {
      const file = d.migrations.find((x) => x.name === m.name)
      if (!file) continue
      run.push({ path: file.upPath, statements: await splitSql(file.up, file.upPath), ...(m.progress ? { done: m.progress.statementsDone } : {}) })
    }
    src = { kind: 'migrations', dir: d.dir, pending: todo.map((m) => m.name), sumOk: status.sum.ok }
  }
  const validations: Validation[] = validationsOf(run)
  const results = await runChecks(db, validations, options)
  const counts = Object.fromEntries(STATUSES.map((s) => [s, results.filter((r) => r.status === s).length])) as Record<CheckStatus, number>
  return {
    ok: counts.fails === 0 && counts.timeout === 0 && counts.error === 0,
    target: db.target,
    serverVersion: db.serverVersion,
    source: src,
    timeoutMs: options.timeoutMs,
    results,
    counts,
    durationMs: Date.now() - started,
  }
}

/** 1 when a statement would fail; else 3 when a check could not finish (timeout, error); else 0. */
export function checkExitCode(r: CheckReport): 0 | 1 | 3 {
  if (r.counts.fails) return 1
  if (r.counts.timeout || r.counts.error) return 3
  return 0
}
