/**
 * `cairn partitions status | maintain`: the rolling windows of RANGE partitions declared with
 * `rangePartitions(…, { premake, retention, … })`, checked (exit 1 when maintenance is due: for
 * monitoring) and kept up to date (safe to run from cron: a run with nothing to do says so).
 */
import type { RegisterCommand } from './index.js'
import { colors, parseDuration } from './migrate.js'
import type { CliContext } from '../context.js'
import { projectRoot } from '../context.js'
import { openTarget } from '../target.js'
import type { Database } from '../../db/database.js'
import { CairnError, EXIT } from '../../errors.js'
import { printable } from '../../sqlgen/quote.js'
import type { RangeWindow } from '../../load/range-windows.js'
import type { MaintainReport, StatusReport, StepResult, WindowStatus } from '../../partitions/index.js'

interface PartitionsFlags {
  url?: string
  json?: boolean
  now?: string
  table: string[]
}

interface MaintainFlags extends PartitionsFlags {
  dryRun?: boolean
  lockTimeout: string
  retries: string
  lockWait: string
}

/** Registers `cairn partitions` and its subcommands. */
export const registerPartitions: RegisterCommand = (program, ctx) => {
  const partitions = program
    .command('partitions')
    .description('keep rolling windows of RANGE partitions up to date: create ahead, retire old ones (rangePartitions() with premake)')
  const common = (c: ReturnType<typeof partitions.command>) =>
    c
      .option('--url <url>', 'database URL (default: DATABASE_URL, else the embedded .cairn/dev database)')
      .option('--now <date>', 'the time to plan for, e.g. 2026-07-15 or 2026-07-15T12:00:00Z (default: now)')
      .option('--table <schema.table>', 'only the window of this partitioned table (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option('--json', 'print JSON')

  common(partitions.command('status'))
    .description('per partitioned table: the window declared against the partitions present, gaps, partitions missing ahead or beyond retention, rows in the default partition')
    .addHelpText('after', '\nExit codes: 0 nothing due, 1 maintenance due or a problem that needs a person, 2 bad input, 3 cannot connect.\n')
    .action(async (flags: PartitionsFlags) => {
      const now = parseNow(flags.now)
      const windows = await loadWindows(ctx, flags.table)
      const { partitionStatus } = await import('../../partitions/index.js')
      const r = await withDb(ctx, flags.url, (db) => partitionStatus(db, windows, { now }))
      if (flags.json) ctx.stdout(JSON.stringify({ ok: !r.due, ...r }, null, 2) + '\n')
      else ctx.stdout(statusText(r, windows, ctx))
      if (r.due) ctx.exitCode = EXIT.problems
    })

  common(partitions.command('maintain'))
    .description('create the partitions ahead, move rows out of the default partition into them, retire partitions beyond retention (idempotent: run it from cron)')
    .option('--dry-run', 'show the steps and their SQL; change nothing')
    .option('--lock-timeout <duration>', 'lock_timeout of every statement (e.g. 5s, 500ms)', '5s')
    .option('--retries <n>', 'attempts after the first when a lock times out, with doubling backoff', '3')
    .option('--lock-wait <duration>', 'how long to wait for another cairn partitions maintain to finish', '10s')
    .addHelpText(
      'after',
      '\nExit codes: 0 done or nothing to do, 1 something maintenance cannot do by itself (see the problems), 2 bad input,\n' +
        '3 cannot connect, a lock not granted after the retries (the step is rolled back), another maintainer running.\n\n' +
        'cron, every 10 minutes:\n  */10 * * * *  cd /srv/app && DATABASE_URL=postgres://… npx cairn partitions maintain --json >> /var/log/cairn-partitions.log\n',
    )
    .action(async (flags: MaintainFlags) => {
      const now = parseNow(flags.now)
      const lockTimeoutMs = parseDuration(flags.lockTimeout) as number
      const lockWaitMs = parseDuration(flags.lockWait, '--lock-wait') as number
      const retries = Number(flags.retries)
      if (!Number.isInteger(retries) || retries < 0) throw new CairnError('bad_usage', `--retries must be a whole number ≥ 0, got "${flags.retries}"`)
      const windows = await loadWindows(ctx, flags.table)
      const { maintainPartitions } = await import('../../partitions/index.js')
      const r = await withDb(ctx, flags.url, (db) => maintainPartitions(db, windows, { now, dryRun: flags.dryRun === true, lockTimeoutMs, retries, lockWaitMs }))
      if (flags.json) ctx.stdout(JSON.stringify({ ok: r.problems.length === 0, ...r }, null, 2) + '\n')
      else ctx.stdout(maintainText(r, windows, ctx))
      if (r.problems.length) ctx.exitCode = EXIT.problems
    })
}

/** `--now`: a date (midnight UTC) or an ISO 8601 date and time. */
function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined
  const t = text.trim()
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(t) ? new Date(t) : new Date(NaN)
  if (Number.isNaN(d.getTime())) {
    throw new CairnError('bad_usage', `--now must be a date (2026-07-15) or an ISO 8601 date and time (2026-07-15T12:00:00Z), got "${text}"`)
  }
  return d
}

async function withDb<T>(ctx: CliContext, url: string | undefined, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openTarget(ctx, url)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

async function loadWindows(ctx: CliContext, tables: readonly string[]): Promise<RangeWindow[]> {
  const { loadProject } = await import('../../load/load-project.js')
  const windows = (await loadProject({ root: projectRoot(ctx) })).windows
  if (!tables.length) return windows
  const known = new Set(windows.map((w) => `${w.parentSchema}.${w.parent}`))
  const unknown = tables.filter((t) => !known.has(t))
  if (unknown.length) {
    throw new CairnError('unknown_window', `no rolling window is declared for ${unknown.join(', ')}`, {
      hint: known.size ? `declared: ${[...known].join(', ')}` : 'rangePartitions(parent, { …, premake }) in partitions/ declares one',
    })
  }
  return windows.filter((w) => tables.includes(`${w.parentSchema}.${w.parent}`))
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function header(r: { target: string; serverVersion: number; now: string }, what: string, ctx: CliContext): string {
  const c = colors(ctx)
  return `${c.bold(`partitions ${what}`)} ${printable(r.target)} ${c.dim(`(PostgreSQL ${Math.floor(r.serverVersion / 10000)}, now ${r.now})`)}`
}

function windowLine(s: WindowStatus, ctx: CliContext): string {
  const c = colors(ctx)
  const w = s.window
  const retire = w.retention === null ? 'kept for ever' : `retention ${w.retention}, then ${w.retire === 'drop' ? 'dropped' : `detached${w.archiveSchema ? ` into ${w.archiveSchema}` : ''}`}`
  return `${c.bold(printable(s.parent))}  ${c.dim(`${w.interval}, premake ${w.premake}, ${retire}${w.defaultPartition ? `, default partition ${printable(w.defaultPartition)}` : ''}`)}`
}

const names = (xs: readonly { name: string }[], max = 6) =>
  xs.length ? xs.slice(0, max).map((x) => printable(x.name)).join(', ') + (xs.length > max ? `, … (${xs.length})` : '') : 'none'

/** The text of `partitions status`. */
export function statusText(r: StatusReport, windows: readonly RangeWindow[], ctx: CliContext): string {
  const c = colors(ctx)
  const lines = [header(r, 'status', ctx), '']
  if (!windows.length) return lines.concat('no rolling windows declared: rangePartitions(parent, { …, premake }) in partitions/ declares one', '').join('\n')
  for (const s of r.windows) {
    lines.push(windowLine(s, ctx))
    lines.push(`  window     ${s.declared.from} … ${s.declared.to} ${c.dim(`(${plural(s.declared.slots, 'partition')}; current ${printable(s.current.name)}: ${s.current.from} … ${s.current.to})`)}`)
    lines.push(`  present    ${s.present.count ? `${s.present.from} … ${s.present.to} ${c.dim(`(${plural(s.present.count, 'partition')})`)}` : 'none'}`)
    const mark = (xs: readonly unknown[]) => (xs.length ? c.yellow(String(xs.length)) : c.green('0'))
    lines.push(`  ahead      ${mark(s.missingAhead)} missing${s.missingAhead.length ? `: ${names(s.missingAhead)}` : ''}`)
    lines.push(`  gaps       ${mark(s.gaps)}${s.gaps.length ? `: ${names(s.gaps)}` : ''}`)
    lines.push(`  retention  ${s.window.retention === null ? c.dim('none') : `${mark(s.beyondRetention)} beyond ${s.window.retention}${s.beyondRetention.length ? `: ${names(s.beyondRetention)}` : ''}`}`)
    if (s.default) lines.push(`  default    ${printable(s.default.name)}: ${plural(s.default.rows, 'row')}${s.default.rowsToMove ? c.yellow(` (${s.default.rowsToMove} belong in partitions maintenance creates: moved first)`) : ''}`)
    if (s.archived.length) lines.push(`  archived   ${names(s.archived.map((name) => ({ name })))}`)
    if (s.others.length) lines.push(c.dim(`  others     ${names(s.others)} (not the window's: left alone)`))
    for (const p of s.problems) lines.push(c.red(`  problem    ${printable(p)}`))
    const steps = s.steps.length
    lines.push(s.due ? c.yellow(`  → ${steps ? `maintenance due (${plural(steps, 'step')}): cairn partitions maintain` : 'needs attention (above)'}`) : c.green('  ✓ up to date'))
    lines.push('')
  }
  lines.push(r.due ? c.yellow('maintenance due') : c.green('every window is up to date'))
  return lines.join('\n') + '\n'
}

/** The text of `partitions maintain`. */
export function maintainText(r: MaintainReport, windows: readonly RangeWindow[], ctx: CliContext): string {
  const c = colors(ctx)
  const lines = [header(r, r.dryRun ? 'maintain --dry-run' : 'maintain', ctx), '']
  if (!windows.length) return lines.concat('no rolling windows declared: rangePartitions(parent, { …, premake }) in partitions/ declares one', '').join('\n')
  for (const s of r.windows) {
    lines.push(windowLine(s, ctx))
    const mine = r.steps.filter((x) => x.parent === s.parent)
    if (!mine.length && !s.problems.length) lines.push(c.dim(`  nothing to do: ${s.present.count} partitions cover ${s.present.from ?? '—'} … ${s.present.to ?? '—'}`))
    for (const x of mine) lines.push(...stepLines(x, r.dryRun, ctx))
    for (const p of s.problems) lines.push(c.red(`  problem  ${printable(p)}`))
    lines.push('')
  }
  const created = r.steps.filter((x) => x.kind === 'create').length
  const retired = r.steps.filter((x) => x.kind === 'retire').length
  const moved = r.steps.reduce((n, x) => n + (x.rowsMoved ?? 0), 0)
  const counts = `${plural(created, 'partition')} ${r.dryRun ? 'to create' : 'created'}, ${retired} ${r.dryRun ? 'to retire' : 'retired'}${moved ? `, ${plural(moved, 'row')} ${r.dryRun ? 'to move' : 'moved'} out of default partitions` : ''}${r.steps.length > created + retired ? `, ${plural(r.steps.length - created - retired, 'unfinished retirement')} ${r.dryRun ? 'to finish' : 'finished'}` : ''}`
  if (!r.steps.length) lines.push(r.problems.length ? c.red(`nothing done; ${plural(r.problems.length, 'problem')} above`) : c.green('nothing to do: every window is up to date'))
  else lines.push((r.dryRun ? c.yellow('dry run: ') : c.green('done: ')) + counts + (r.problems.length ? c.red(`; ${plural(r.problems.length, 'problem')} above`) : ''))
  return lines.join('\n') + '\n'
}

function stepLines(x: StepResult, dryRun: boolean, ctx: CliContext): string[] {
  const c = colors(ctx)
  const out = [`  ${dryRun ? c.yellow('would') : c.green('✓')} ${printable(x.summary)}${x.ms !== undefined ? c.dim(` (${x.ms} ms${x.attempts && x.attempts > 1 ? `, ${x.attempts} attempts` : ''})`) : ''}`]
  out.push(c.dim(`      locks: ${printable(x.locks)}`))
  if (dryRun) for (const q of x.sql) out.push(c.dim(`      ${printable(q)};`))
  return out
}
