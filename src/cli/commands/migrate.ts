/**
 * `cairn migrate up|down|status|plan|hash`: apply, revert and inspect the versioned migrations of
 * `migrations/` against `--url` / DATABASE_URL / the embedded dev database.
 */
import { performance } from 'node:perf_hooks'
import type { Command } from 'commander'
import { Chalk } from 'chalk'
import type { ChalkInstance } from 'chalk'
import type { CliContext } from '../context.js'
import { projectRoot, useColor } from '../context.js'
import { openTarget } from '../target.js'
import { lineComment, printable } from '../../sqlgen/quote.js'
import type { RegisterCommand } from './index.js'

// the runner (umzug, the SQL parser) loads only when a command runs, not for --help or other commands
const runner = () => import('../../migrate/runner.js')
const status = () => import('../../migrate/status.js')
import type { Database } from '../../db/database.js'
import { CairnError } from '../../errors.js'
import { hashMigrationDir, nodeDirFsAt, requireMigrationDir } from '../../migrate/migration-dir.js'
import type { IndexBuildProgress, MigrateEvent, MigrationResultSet } from '../../migrate/runner.js'
import type { DestructiveStatement } from '../../migrate/data-loss.js'
import { askYesNo } from '../render/prompts.js'
import { knownSecrets, redactOutput } from '../render/errors.js'
import { secretsOf } from '../../db/redact.js'
import type { MigrationStatus } from '../../migrate/status.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrate/lock.js'

/** Options every database command of this module takes. */
export interface DbOptions {
  url?: string
  dir: string
  lockTimeout?: string
  json?: boolean
}

/** Adds `--url`, `--dir`, `--lock-timeout` and `--json`. */
export function dbOptions(c: Command, lock = true): Command {
  c.option('--url <url>', 'database URL (default: DATABASE_URL, else the embedded .cairn/dev database)')
    .option('--dir <dir>', 'migration directory, relative to the project', 'migrations')
    .option('--json', 'print JSON')
  if (lock) c.option('--lock-timeout <duration>', `wait this long for another runner's lock (e.g. 30s, 2m, 500ms)`, `${DEFAULT_LOCK_TIMEOUT_MS / 1000}s`)
  return c
}

/** Parses `60s`, `500ms`, `2m` or a plain number of seconds into milliseconds. */
export function parseDuration(text: string | undefined, flag = '--lock-timeout'): number | undefined {
  if (text === undefined) return undefined
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min)?$/.exec(text.trim())
  if (!m) {
    throw new CairnError('bad_usage', `${flag} must be a duration like 30s, 2m or 500ms, got "${text}"`)
  }
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000)
}

/** Prints the database the options point at, opens it, runs `fn`, closes it. */
export async function withDb<T>(ctx: CliContext, opts: DbOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openTarget(ctx, opts.url)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

/** Colours when stdout is a terminal, plain otherwise. */
export function colors(ctx: CliContext): ChalkInstance {
  return new Chalk({ level: useColor(ctx) ? 1 : 0 })
}

/** A statement still running after this long is announced on stderr (plain lines when not a terminal). */
const SLOW_STATEMENT_MS = 1000
/** Without a terminal, index build progress is printed at most this often (and when the phase changes). */
const PROGRESS_LINE_MS = 5000

/**
 * Prints runner events as they happen (human mode): results on stdout; on stderr, where a long
 * statement is. On a terminal one status line (`statement n of m`, with index build progress) is
 * rewritten in place; otherwise a statement that runs over a second gets plain lines: when it is
 * seen running, its progress (every 5 s or on a new phase), and when it is done.
 */
export function eventPrinter(ctx: CliContext, url?: string): (e: MigrateEvent) => void {
  const c = colors(ctx)
  const mask = statementMask(ctx, url)
  const tty = ctx.isTTY
  let cur: { e: MigrateEvent; start: number; announced: boolean; timer?: ReturnType<typeof setTimeout>; lastLine: number; phase?: string } | undefined
  let status = false
  const where = (e: MigrateEvent) => `${e.name}: statement ${e.statement} of ${e.total}`
  const clearStatus = () => {
    if (status) ctx.stderr('\r\x1b[K')
    status = false
  }
  const endStatement = (done: boolean) => {
    if (!cur) return
    if (cur.timer) clearTimeout(cur.timer)
    if (!tty && cur.announced && done) ctx.stderr(`  ${where(cur.e)} ${c.dim(`done in ${formatMs(Math.round(performance.now() - cur.start))}`)}\n`)
    cur = undefined
  }
  const announce = () => {
    if (!cur || cur.announced) return
    cur.announced = true
    ctx.stderr(`  ${where(cur.e)} ${c.dim(`(${cur.e.file}:${cur.e.line})`)} running: ${printable(clip(mask(cur.e.text ?? ''), 100))}\n`)
  }
  return (e) => {
    switch (e.event) {
      case 'statement_start':
        endStatement(false)
        cur = { e, start: performance.now(), announced: false, lastLine: -Infinity }
        if (tty) {
          ctx.stderr(`\r\x1b[K  ${where(e)}: ${printable(clip(mask(e.text ?? ''), 60))}`)
          status = true
        } else {
          cur.timer = setTimeout(announce, SLOW_STATEMENT_MS)
          cur.timer.unref?.()
        }
        return
      case 'progress':
        if (!e.progress) return
        if (tty) {
          ctx.stderr(`\r\x1b[K  ${where(e)}: ${formatIndexProgress(e.progress)} ${c.dim(formatMs(e.elapsedMs))}`)
          status = true
        } else if (cur) {
          announce()
          const now = e.elapsedMs ?? 0
          if (e.progress.phase !== cur.phase || now - cur.lastLine >= PROGRESS_LINE_MS) {
            cur.phase = e.progress.phase
            cur.lastLine = now
            ctx.stderr(`  ${where(e)}: ${formatIndexProgress(e.progress)} ${c.dim(`(${formatMs(e.elapsedMs)})`)}\n`)
          }
        }
        return
      case 'statement':
        endStatement(true)
        return
      default:
        break
    }
    endStatement(false)
    clearStatus()
    switch (e.event) {
      case 'lock_waiting':
        ctx.stderr(
          `${c.yellow('waiting')} for the migration lock` +
            (e.holder ? ` held by pid ${e.holder.pid}${e.holder.applicationName ? ` (${e.holder.applicationName})` : ''}` : '') +
            '\n',
        )
        break
      case 'resuming':
        ctx.stdout(`${c.cyan('resume')}   ${e.name} at statement ${e.statement} of ${e.total}\n`)
        break
      case 'migrated':
        ctx.stdout(`${c.green('applied')}  ${e.name} ${c.dim(formatMs(e.durationMs))}\n`)
        break
      case 'reverted':
        ctx.stdout(`${c.green('reverted')} ${e.name} ${c.dim(formatMs(e.durationMs))}\n`)
        break
      case 'failed':
        ctx.stdout(`${c.red('failed')}   ${e.name} ${c.dim(formatMs(e.durationMs))}\n`)
        break
      case 'baselined':
        ctx.stdout(`${c.green('baseline')} ${e.name}\n`)
        break
      default:
        break
    }
  }
}

/** `CREATE INDEX CONCURRENTLY users_email_idx on users: building index: scanning table, blocks 1200/5400 (22%), 1300000 tuples`. */
export function formatIndexProgress(p: IndexBuildProgress): string {
  const pct = (done: number, total: number) => `${done}/${total} (${Math.floor((100 * done) / total)}%)`
  const parts = [`${p.command}${p.index ? ` ${p.index}` : ''}${p.table ? ` on ${p.table}` : ''}: ${p.phase}`]
  if (p.blocksTotal > 0) parts.push(`blocks ${pct(p.blocksDone, p.blocksTotal)}`)
  if (p.tuplesTotal > 0) parts.push(`tuples ${pct(p.tuplesDone, p.tuplesTotal)}`)
  else if (p.tuplesDone > 0) parts.push(`${p.tuplesDone} tuples`)
  if (p.lockersTotal > 0) parts.push(`waited for ${p.lockersDone} of ${p.lockersTotal} transactions`)
  if (p.partitionsTotal > 0) parts.push(`partitions ${p.partitionsDone}/${p.partitionsTotal}`)
  return printable(parts.join(', '))
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}

/** The `event` of each runner event in `migrate up --json` lines. */
const JSON_EVENT: Partial<Record<MigrateEvent['event'], string>> = {
  lock_waiting: 'lock_waiting',
  lock_acquired: 'lock_acquired',
  migrating: 'migration_start',
  reverting: 'migration_start',
  resuming: 'resuming',
  statement_start: 'statement_start',
  statement: 'statement_done',
  progress: 'progress',
  migrated: 'migration_done',
  reverted: 'migration_done',
  failed: 'migration_failed',
}

/**
 * `migrate up --json`: one JSON object per line on stdout as the run goes (migration_start,
 * statement_start, progress, statement_done, migration_done, …); the command prints the summary
 * (`"event":"summary"`, the document `--json` printed before) or the error last, on one line too.
 */
export function jsonEventPrinter(ctx: CliContext, url?: string): (e: MigrateEvent) => void {
  ctx.jsonLines = true
  const mask = statementMask(ctx, url)
  return (e) => {
    const event = JSON_EVENT[e.event]
    if (event) ctx.stdout(JSON.stringify({ ...e, event, ...(e.text !== undefined ? { text: mask(e.text) } : {}) }) + '\n')
  }
}

/**
 * Statement text goes out as errors do: URLs redacted, and the secrets the command was given
 * (`--url`, DATABASE_URL, CAIRN_DATABASE_URL, PGPASSWORD, the config's environments) masked.
 */
function statementMask(ctx: CliContext, url: string | undefined): (text: string) => string {
  const fromConfig = Object.values(ctx.project?.config.env ?? {}).flatMap((e) => [...secretsOf(e.url), ...secretsOf(e.shadowUrl)])
  const secrets = [...knownSecrets(url ? [url] : [], ctx.env), ...fromConfig]
  return (text) => redactOutput(text, secrets)
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return ''
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** Prints the SQL of a dry run. */
function printPlan(ctx: CliContext, r: MigrationResultSet): void {
  if (!r.results.length) {
    ctx.stdout(`-- nothing to ${r.direction === 'up' ? 'apply' : 'revert'}\n`)
    return
  }
  const destructive = r.destructive ?? []
  if (destructive.length) {
    ctx.stdout(
      `-- destroys data (refused without --allow-destructive):\n` + destructive.map((x) => `${lineComment(`  ${describeDestructive(x)}`)}\n`).join('') + '\n',
    )
  }
  ctx.stdout(r.results.map((x) => x.sql ?? '').join('\n'))
}

/** One line: the object name comes from a migration file, so it is escaped (printable()). */
function describeDestructive(x: DestructiveStatement): string {
  return printable(`${x.code ? `${x.code} ` : ''}${x.kind} ${x.object} (${x.file})`)
}

/** Lists the destructive statements on stderr and asks whether to run them. */
async function confirmDestructive(ctx: CliContext, found: readonly DestructiveStatement[]): Promise<boolean> {
  const c = colors(ctx)
  ctx.stderr(`${c.red('destructive')} these down.sql statements destroy data:\n`)
  for (const x of found) ctx.stderr(`  ${describeDestructive(x)}\n    ${c.dim(x.text)}\n`)
  return askYesNo('Revert anyway?')
}

function printSummary(ctx: CliContext, r: MigrationResultSet): void {
  const c = colors(ctx)
  const done = r.results.filter((x) => x.status === 'success').length
  if (!r.results.length) ctx.stdout(`nothing to ${r.direction === 'up' ? 'apply' : 'revert'}: ${r.target} is up to date\n`)
  else ctx.stdout(c.bold(`${done} migration${done === 1 ? '' : 's'} ${r.direction === 'up' ? 'applied' : 'reverted'} on ${r.target}\n`))
}

/** Human rendering of `migrate status`. */
export function formatStatus(s: MigrationStatus, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const paint: Record<string, (t: string) => string> = {
    applied: c.green,
    pending: c.yellow,
    partial: c.red,
    changed: c.red,
    missing: c.red,
  }
  const lines: string[] = [`${c.bold('database')} ${s.target}   ${c.bold('migrations')} ${s.dir}`]
  if (!s.sum.ok) lines.push(`${c.red('cairn.sum does not match:')} ${s.sum.message}`)
  const width = Math.max(4, ...s.migrations.map((m) => m.name.length))
  for (const m of s.migrations) {
    const extra = [
      m.appliedAt ? `at ${m.appliedAt}` : '',
      m.durationMs !== undefined ? `in ${formatMs(m.durationMs)}` : '',
      m.appliedBy ? `by ${m.appliedBy}` : '',
      m.baseline ? '(baseline)' : '',
      m.outOfOrder ? '(out of order)' : '',
      m.progress ? `${m.progress.statementsDone} statements done${m.progress.lastError ? `, last error: ${m.progress.lastError}` : ''}` : '',
    ].filter(Boolean)
    lines.push(`${m.name.padEnd(width)}  ${paint[m.status](m.status.padEnd(7))}  ${c.dim(extra.join(' '))}`.trimEnd())
  }
  if (!s.migrations.length) lines.push(c.dim('no migrations'))
  const k = s.counts
  lines.push(
    `${k.applied} applied, ${k.pending} pending` +
      (k.partial ? `, ${k.partial} partial` : '') +
      (k.changed ? `, ${k.changed} changed` : '') +
      (k.missing ? `, ${k.missing} missing` : '') +
      (s.current ? `; database at ${s.current}` : ''),
  )
  return lines.join('\n') + '\n'
}

/** Registers `cairn migrate` and its subcommands. */
export const registerMigrate: RegisterCommand = (program, ctx) => {
  const migrate = program.command('migrate').description('apply, revert and inspect the versioned migrations in migrations/')

  dbOptions(
    migrate
      .command('up')
      .description('apply pending migrations in order, each in one transaction (or statement by statement when it must)')
      .option('--to <name>', 'apply up to and including this migration')
      .option('--dry-run', 'print the SQL that would run; change nothing')
      .option('--allow-out-of-order', 'also apply pending migrations older than the last applied one')
      .option('--skip-lint', 'apply without linting the pending migrations first (see cairn lint)'),
  ).action(async (opts: DbOptions & { to?: string; dryRun?: boolean; allowOutOfOrder?: boolean; skipLint?: boolean }) => {
    const lockTimeoutMs = parseDuration(opts.lockTimeout)
    const onEvent = opts.json ? (opts.dryRun ? undefined : jsonEventPrinter(ctx, opts.url)) : eventPrinter(ctx, opts.url)
    const r = await withDb(ctx, opts, async (db) => {
      // refuse (exit 2) when a pending migration has an error-severity lint finding
      if (!opts.skipLint && !opts.dryRun) await (await import('./lint.js')).lintBeforeMigrate(ctx, db, { dir: opts.dir, to: opts.to, json: opts.json })
      return (await runner()).migrateUp(db, {
        dir: opts.dir,
        fs: nodeDirFsAt(projectRoot(ctx)),
        to: opts.to,
        dryRun: opts.dryRun,
        allowOutOfOrder: opts.allowOutOfOrder,
        lockTimeoutMs,
        onEvent,
      })
    })
    // a real run streams JSON lines, the summary last; a dry run prints one document
    if (opts.json) ctx.stdout((opts.dryRun ? JSON.stringify({ ok: true, ...r }, null, 2) : JSON.stringify({ event: 'summary', ok: true, ...r })) + '\n')
    else if (opts.dryRun) printPlan(ctx, r)
    else printSummary(ctx, r)
  })

  dbOptions(
    migrate
      .command('down')
      .description('revert applied migrations with their down.sql (default: the last one)')
      .option('--to <name>', 'revert every migration after this one (it stays applied)')
      .option('--steps <n>', 'revert this many migrations')
      .option('--dry-run', 'print the SQL that would run; change nothing')
      .option('--allow-destructive', 'run down.sql statements that destroy data (DROP TABLE/COLUMN, TRUNCATE, DELETE, …) without asking')
      .addHelpText(
        'after',
        '\nLike generate, down refuses statements that destroy data (exit 2, listing them) unless --allow-destructive;\n' +
          'on a terminal it asks instead. Nothing is reverted when it refuses.\n',
      ),
  ).action(async (opts: DbOptions & { to?: string; steps?: string; dryRun?: boolean; allowDestructive?: boolean }) => {
    const lockTimeoutMs = parseDuration(opts.lockTimeout)
    let steps: number | undefined
    if (opts.steps !== undefined) {
      steps = Number(opts.steps)
      if (!Number.isInteger(steps) || steps < 1) throw new CairnError('bad_usage', `--steps must be a positive integer, got "${opts.steps}"`)
    }
    const r = await withDb(ctx, opts, async (db) =>
      (await runner()).migrateDown(db, {
        dir: opts.dir,
        fs: nodeDirFsAt(projectRoot(ctx)),
        to: opts.to,
        steps,
        dryRun: opts.dryRun,
        allowDestructive: opts.allowDestructive,
        confirmDestructive: ctx.isTTY && process.stdin.isTTY && !opts.json ? (found) => confirmDestructive(ctx, found) : undefined,
        lockTimeoutMs,
        onEvent: opts.json ? undefined : eventPrinter(ctx, opts.url),
      }),
    )
    if (opts.json) ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
    else if (opts.dryRun) printPlan(ctx, r)
    else printSummary(ctx, r)
  })

  dbOptions(
    migrate
      .command('status')
      .description('list applied, pending, partial, changed and missing migrations (exit 1 on problems)')
      .option('--exit-code', 'also exit 1 when a migration is pending (for CI: 0 means fully migrated)'),
    false,
  ).action(async (opts: DbOptions & { exitCode?: boolean }) => {
    await requireMigrationDir(nodeDirFsAt(projectRoot(ctx)), opts.dir)
    const s = await withDb(ctx, opts, async (db) => (await status()).migrationStatus(db, { dir: opts.dir, fs: nodeDirFsAt(projectRoot(ctx)) }))
    const k = s.counts
    const fail = s.problems || (opts.exitCode === true && k.pending + k.partial + k.changed + k.missing > 0)
    if (opts.json) ctx.stdout(JSON.stringify({ ok: !fail, ...s }, null, 2) + '\n')
    else ctx.stdout(formatStatus(s, useColor(ctx)))
    if (fail) ctx.exitCode = 1
  })

  dbOptions(
    migrate
      .command('plan')
      .description('print the SQL that `migrate up` would run (same as up --dry-run)')
      .option('--to <name>', 'plan up to and including this migration')
      .option('--allow-out-of-order', 'also plan pending migrations older than the last applied one'),
    false,
  ).action(async (opts: DbOptions & { to?: string; allowOutOfOrder?: boolean }) => {
    const r = await withDb(ctx, opts, async (db) =>
      (await runner()).migrateUp(db, { dir: opts.dir, fs: nodeDirFsAt(projectRoot(ctx)), to: opts.to, dryRun: true, allowOutOfOrder: opts.allowOutOfOrder }),
    )
    if (opts.json) ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
    else printPlan(ctx, r)
  })

  migrate
    .command('hash')
    .description('recompute migrations/cairn.sum after an intended edit of a migration not yet applied anywhere')
    .option('--dir <dir>', 'migration directory, relative to the project', 'migrations')
    .option('--json', 'print JSON')
    .action(async (opts: { dir: string; json?: boolean }) => {
      await requireMigrationDir(nodeDirFsAt(projectRoot(ctx)), opts.dir)
      const r = await hashMigrationDir(nodeDirFsAt(projectRoot(ctx)), opts.dir)
      if (opts.json) ctx.stdout(JSON.stringify({ ok: true, dir: opts.dir, changed: r.changed, files: r.files }, null, 2) + '\n')
      else ctx.stdout(r.changed ? `${opts.dir}/cairn.sum updated (${r.files} files)\n` : `${opts.dir}/cairn.sum is up to date (${r.files} files)\n`)
    })
}
