/**
 * The refusals that protect a database before anything runs: an applied migration whose file is
 * missing or changed, and a pending migration that sorts before the last applied one.
 */
import { CairnError } from '../errors.js'
import type { ErrorCode, Issue } from '../errors.js'
import type { MigrationDir } from './migration-dir.js'
import type { HistoryRow } from './pg-storage.js'

/** Throws 'applied_migration_missing' / 'applied_migration_changed' for history rows that no longer match the files. */
export function checkAppliedFiles(d: MigrationDir, history: readonly HistoryRow[]): void {
  const byName = new Map(d.migrations.map((m) => [m.name, m]))
  const issues: Issue[] = []
  for (const h of history) {
    const f = byName.get(h.name)
    if (!f) {
      issues.push({
        code: 'applied_migration_missing',
        message: `${h.name} was applied on ${h.appliedAt} but ${d.dir}/${h.name}/up.sql is missing`,
        file: `${d.dir}/${h.name}/up.sql`,
        object: h.name,
        hint: 'restore the migration folder from version control (applied migrations are never deleted)',
      })
    } else if (f.checksum !== h.checksum) {
      issues.push({
        code: 'applied_migration_changed',
        message: `${f.upPath} was changed after it was applied on ${h.appliedAt} (checksum ${h.checksum} in the database, ${f.checksum} on disk)`,
        file: f.upPath,
        object: h.name,
        hint: 'restore the file as it was applied (e.g. git checkout), and put the new change in a new migration (`cairn generate`)',
      })
    }
  }
  if (!issues.length) return
  const first = issues[0]
  throw new CairnError(
    first.code as ErrorCode,
    issues.length === 1 ? first.message : `${issues.length} applied migrations no longer match their files; first: ${first.message}`,
    { file: first.file, object: first.object, hint: first.hint, issues },
  )
}

/** Pending migrations that sort before the last applied one. */
export function outOfOrder(pending: readonly string[], history: readonly HistoryRow[]): string[] {
  const last = history.reduce<string | undefined>((acc, h) => (acc === undefined || h.name > acc ? h.name : acc), undefined)
  return last === undefined ? [] : pending.filter((p) => p < last)
}

/** Throws 'out_of_order_migration' unless allowed. */
export function checkOrder(pending: readonly string[], history: readonly HistoryRow[], allow: boolean): void {
  const late = outOfOrder(pending, history)
  if (!late.length || allow) return
  const last = history.reduce((acc, h) => (h.name > acc ? h.name : acc), '')
  throw new CairnError(
    'out_of_order_migration',
    `${late.join(', ')} ${late.length === 1 ? 'sorts' : 'sort'} before ${last}, which is already applied`,
    {
      object: late[0],
      hint:
        'a migration from another branch was merged with an older timestamp: regenerate it on top of the latest one, ' +
        'or pass --allow-out-of-order if it is independent of the migrations applied after it',
      meta: { outOfOrder: late, lastApplied: last },
    },
  )
}
