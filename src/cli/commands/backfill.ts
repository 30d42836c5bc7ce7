/**
 * `cairn backfill run|status|verify|rejects`: MongoDB → Postgres data jobs from migrations/data/.
 */
import type { Command } from 'commander'
import { Chalk } from 'chalk'
import cliProgress from 'cli-progress'
import type { RegisterCommand } from './index.js'
import type { CliContext } from '../context.js'
import { projectRoot, useColor } from '../context.js'
import { openTarget } from '../target.js'
import type { Database } from '../../db/database.js'
import { CairnError } from '../../errors.js'
import { loadBackfillJobs, selectJobs } from '../../data/load-jobs.js'
import { runBackfill, type BackfillProgress, type JobSummary } from '../../data/run-job.js'
import { verifyJob, type VerifyReport } from '../../data/verify.js'
import { backfillStatus } from '../../data/status.js'
import { listRejects } from '../../data/checkpoint.js'
import { countRejectsMatching, parseBefore, purgeRejects, type RejectFilter } from '../../data/rejects.js'
import { openSource } from '../../data/sources/open-source.js'
import { removeStaleTempDirs, removeTempDirsNow } from '../../data/sources/file-source.js'
import type { Source } from '../../data/source.js'
import { askYesNo } from '../render/prompts.js'

interface CommonOptions {
  url?: string
  project?: string
  jobsDir?: string
  json?: boolean
}

function common(c: Command): Command {
  return c
    .option('--url <url>', 'database URL (default: DATABASE_URL, else the embedded .cairn/dev database)')
    .option('--project <dir>', 'project root holding migrations/data/', '.')
    .option('--jobs-dir <dir>', 'directory of job files, relative to the project (default: migrations/data)')
    .option('--json', 'print JSON')
}

function int(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min) throw new CairnError('bad_usage', `${flag} must be an integer ≥ ${min}, got "${v}"`)
    return n
  }
}

async function jobsOf(ctx: CliContext, opts: CommonOptions, names: readonly string[]) {
  return selectJobs(await loadBackfillJobs({ root: projectRoot(ctx), ...(opts.jobsDir ? { dir: opts.jobsDir } : {}) }), names)
}

async function withDb<T>(ctx: CliContext, opts: CommonOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openTarget(ctx, opts.url)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}

async function withSource<T>(ctx: CliContext, uri: string, options: { signal?: AbortSignal }, fn: (s: Source) => Promise<T>): Promise<T> {
  const source = await openSource(uri, { cwd: ctx.cwd, ...options })
  try {
    return await fn(source)
  } finally {
    await source.close()
  }
}

/** Exit status after a signal, as a shell reports it: 128 + the signal number. */
const signalExit = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129)

const rate = (docs: number, ms: number) => (ms > 0 ? Math.round((docs * 1000) / ms) : 0)

/** A progress reporter: a bar on a TTY, a plain line at most every 2 s otherwise. */
function progressReporter(ctx: CliContext, quiet: boolean): { onProgress: (p: BackfillProgress) => void; stop: () => void } {
  if (quiet) return { onProgress: () => {}, stop: () => {} }
  if (ctx.isTTY) {
    const bars = new cliProgress.MultiBar(
      {
        format: ' {job} |{bar}| {percentage}% {value}/{total} docs | {rate} docs/s | ETA {eta_formatted} | {rejected} rejects',
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    )
    const byJob = new Map<string, cliProgress.SingleBar>()
    return {
      onProgress: (p) => {
        let bar = byJob.get(p.job)
        if (!bar) byJob.set(p.job, (bar = bars.create(Math.max(p.total, p.done), 0, { job: p.job, rate: 0, rejected: 0 })))
        bar.setTotal(Math.max(p.total, p.done))
        bar.update(p.done, { rate: rate(p.runDocs, p.elapsedMs), rejected: p.rejected })
      },
      stop: () => bars.stop(),
    }
  }
  let last = 0
  return {
    onProgress: (p) => {
      const now = Date.now()
      if (now - last < 2000 && p.done < p.total) return
      last = now
      const pct = p.total ? ((100 * p.done) / p.total).toFixed(1) : '100.0'
      ctx.stderr(`${p.job}: ${p.done}/${p.total} docs (${pct}%), ${rate(p.runDocs, p.elapsedMs)} docs/s, ${p.rejected} rejects\n`)
    },
    stop: () => {},
  }
}

function beforeDate(v: string): Date {
  const d = parseBefore(v)
  if (!d) throw new CairnError('bad_usage', `--before must be a date (2026-01-31, midnight UTC) or an ISO 8601 date and time, got "${v}"`)
  return d
}

/**
 * `backfill rejects --purge`: deletes recorded rejects (whole source documents, personal data)
 * after a confirmation on a terminal, or with --yes.
 */
async function purgeCommand(ctx: CliContext, opts: CommonOptions & { job?: string; before?: Date; yes?: boolean }): Promise<void> {
  const filter: RejectFilter = { ...(opts.job ? { job: opts.job } : {}), ...(opts.before ? { before: opts.before } : {}) }
  const what = [opts.job ? `job ${opts.job}` : 'every job', ...(opts.before ? [`recorded before ${opts.before.toISOString()}`] : [])].join(', ')
  const purged = await withDb(ctx, opts, async (db) => {
    if (!opts.yes) {
      if (!ctx.isTTY || !process.stdin.isTTY || opts.json) {
        throw new CairnError('confirmation_required', `backfill rejects --purge deletes the rejected documents of ${what} for good`, {
          hint: 'add --yes to confirm (no terminal to ask on)',
        })
      }
      const n = await countRejectsMatching(db, filter)
      if (n === 0) return 0
      if (!(await askYesNo(`Delete ${n} rejected document${n === 1 ? '' : 's'} (${what})? This cannot be undone.`))) return undefined
    }
    return purgeRejects(db, filter)
  })
  if (purged === undefined) {
    ctx.stderr('cancelled: nothing deleted\n')
    return
  }
  if (opts.json) {
    ctx.stdout(JSON.stringify({ ok: true, purged, ...(opts.job ? { job: opts.job } : {}), ...(opts.before ? { before: opts.before.toISOString() } : {}) }, null, 2) + '\n')
  } else ctx.stdout(`${purged} reject${purged === 1 ? '' : 's'} purged (${what})\n`)
}

/** Renders rows as an aligned text table. */
function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n'
}

function summaryTable(summary: readonly JobSummary[]): string {
  return table(
    ['job', 'status', 'read', 'loaded', 'rejected', 'rows', 'batches', 'seconds', 'docs/s', 'total loaded', 'total rejected'],
    summary.map((s) => [
      s.job, s.status, s.docs, s.loaded, s.rejected, Object.values(s.rows).reduce((a, b) => a + b, 0), s.batches,
      (s.ms / 1000).toFixed(1), rate(s.docs, s.ms), s.total.loaded, s.total.rejected,
    ]),
  )
}

function verifyText(r: VerifyReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const out: string[] = []
  const mark = (ok: boolean) => (ok ? c.green('ok') : c.red('MISMATCH'))
  out.push(`${c.bold(r.job)}: ${mark(r.ok)}`)
  const k = r.counts
  out.push(`  counts: source ${k.source}, read ${k.read}, loaded ${k.loaded} + rejected ${k.rejected} = ${k.loaded + k.rejected}  ${mark(k.ok)}`)
  out.push(`  content${r.content.sampled ? ' (sampled)' : ''}: ${r.content.docs} documents compared  ${mark(r.content.ok)}`)
  if (r.content.unaccounted) out.push(`  ${r.content.unaccounted} documents fail validation/mapping now but are not recorded as rejects`)
  out.push(
    table(
      ['table', 'expected', 'matched', 'missing', 'extra', 'different'],
      r.content.tables.map((t) => [t.table, t.expected, t.matched, t.missing, t.extra, t.different]),
    ).replace(/^/gm, '  ').trimEnd(),
  )
  if (r.content.differences.length) out.push(`  first ${r.content.differences.length} differences:`)
  for (const d of r.content.differences) {
    const key = Object.entries(d.key).map(([k2, v]) => `${k2}=${v}`).join(', ')
    out.push(`    ${d.kind.padEnd(9)} ${d.table} (${key})`)
    for (const col of d.columns ?? []) out.push(`      ${col.column}: expected ${JSON.stringify(col.expected)}, actual ${JSON.stringify(col.actual)}`)
  }
  return out.join('\n') + '\n'
}

/** Registers `cairn backfill`. */
export const registerBackfill: RegisterCommand = (program, ctx) => {
  const backfill = program.command('backfill').description('move MongoDB collections into Postgres tables: resumable, verified, fast')

  common(
    backfill
      .command('run')
      .description('run backfill jobs (all, in foreign-key order, or the ones named), resuming after the last committed batch')
      .argument('[jobs...]', 'job names (default: all jobs in migrations/data)')
      .requiredOption('--source <uri>', 'mongodb://host/db, a mongodump directory (dump/<db>), or ejson:<dir>')
      .option('--mode <mode>', 'insert (fail on existing keys) or upsert (update them)', 'insert')
      .option('--batch-size <n>', 'documents per batch (one transaction each)', int('--batch-size', 1))
      .option('--max-rejects <n>', 'stop (exit 1) once a job has more rejects than this', int('--max-rejects'))
      .option('--workers <n>', 'worker threads validating, mapping and encoding batches (default: cores - 1, at most 4; 0 = main thread)', int('--workers'))
      .option('--restart', "forget the jobs' checkpoints and rejects and start from the first document (in insert mode only once the rows they loaded are gone: use --mode upsert to rewrite them)")
      .option('--dry-run', 'read, validate and map; write nothing'),
  ).action(async (names: string[], opts: CommonOptions & { source: string; mode: string; batchSize?: number; maxRejects?: number; workers?: number; restart?: boolean; dryRun?: boolean }) => {
    if (opts.mode !== 'insert' && opts.mode !== 'upsert') {
      throw new CairnError('bad_usage', `--mode must be insert or upsert, got "${opts.mode}"`)
    }
    const jobs = await jobsOf(ctx, opts, names)
    const progress = progressReporter(ctx, Boolean(opts.json))
    // SIGINT/SIGTERM: finish the batch being loaded, record the run as interrupted, remove the
    // temporary files, exit 130/143. A second signal leaves at once (temporary files removed).
    const controller = new AbortController()
    let received: NodeJS.Signals | undefined
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received) {
        removeTempDirsNow()
        process.exit(signalExit(signal))
      }
      received = signal
      progress.stop()
      ctx.stderr(`${signal}: stopping after the batch being loaded (send it again to stop at once)\n`)
      controller.abort(new CairnError('interrupted', `interrupted by ${signal}`))
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    const options = {
      mode: opts.mode,
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      ...(opts.maxRejects !== undefined ? { maxRejects: opts.maxRejects } : {}),
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      restart: Boolean(opts.restart),
      dryRun: Boolean(opts.dryRun),
      onProgress: progress.onProgress,
      signal: controller.signal,
    } as const
    let summary: JobSummary[] | undefined
    try {
      // Temporary copies left by runs that were killed (SIGKILL gives no chance to clean up).
      await removeStaleTempDirs()
      summary = await withSource(ctx, opts.source, { signal: controller.signal }, (source) =>
        opts.dryRun ? runBackfill(undefined, source, jobs, options) : withDb(ctx, opts, (db) => runBackfill(db, source, jobs, options)),
      )
    } catch (e) {
      // Interrupted before a job could stop cleanly (e.g. while sorting a collection file).
      if (!received) throw e
    } finally {
      progress.stop()
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    if (received) {
      const where = (summary ?? []).map((s) => `${s.job} ${s.status} after ${s.batches} batches this run`).join(', ')
      const message = `interrupted by ${received}${where ? `: ${where}` : ''}; what was committed is kept, run again to resume`
      if (opts.json) ctx.stdout(JSON.stringify({ ok: false, interrupted: received, jobs: summary ?? [], error: { code: 'interrupted', message } }, null, 2) + '\n')
      else {
        if (summary) ctx.stdout(summaryTable(summary))
        ctx.stderr(message + '\n')
      }
      ctx.exitCode = signalExit(received)
      return
    }
    const done = summary!
    // A run that read documents and loaded none of them did not do its job, whatever the reason.
    const nothing = opts.dryRun ? [] : done.filter((s) => s.docs > 0 && s.loaded === 0)
    const failure = nothing.length
      ? {
          code: 'backfill_nothing_loaded',
          message: nothing
            .map((s) => `backfill ${s.job}: all ${s.docs} documents read were rejected, none loaded`)
            .join('\n'),
          hint: `see why with \`cairn backfill rejects --job ${nothing[0]!.job}\``,
        }
      : undefined
    if (opts.json) ctx.stdout(JSON.stringify({ ok: !failure, dryRun: Boolean(opts.dryRun), jobs: done, ...(failure ? { error: failure } : {}) }, null, 2) + '\n')
    else {
      ctx.stdout(summaryTable(done))
      for (const s of done) {
        for (const r of s.sampleRejects ?? []) ctx.stdout(`  would reject ${s.job} ${r.id}: ${r.reason}\n`)
      }
      const rejected = done.reduce((a, s) => a + s.rejected, 0)
      if (rejected && !opts.dryRun) ctx.stdout(`${rejected} documents rejected: see \`cairn backfill rejects\`\n`)
      if (failure) ctx.stderr(`${failure.message}\n  hint: ${failure.hint}\n`)
    }
    if (failure) ctx.exitCode = 1
  })

  common(backfill.command('status').description('show where each backfill job stands')).action(async (opts: CommonOptions) => {
    const jobs = await jobsOf(ctx, opts, [])
    const status = await withDb(ctx, opts, (db) => backfillStatus(db, jobs))
    if (opts.json) ctx.stdout(JSON.stringify({ ok: true, jobs: status }, null, 2) + '\n')
    else {
      ctx.stdout(
        table(
          ['job', 'collection', 'target', 'batches', 'read', 'loaded', 'rejected', 'last run', 'last _id'],
          status.map((s) => [s.job, s.collection, s.target, s.batches, s.docs, s.loaded, s.rejected, s.lastRun, s.lastId ?? '']),
        ),
      )
    }
  })

  common(
    backfill
      .command('verify')
      .description('compare a job\'s source (re-read and re-mapped) with Postgres: counts, then row by row by primary key')
      .argument('<jobs...>', 'job names')
      .requiredOption('--source <uri>', 'the source the job was loaded from')
      .option('--sample <n>', 'compare about n documents instead of all (no search for extra rows)', int('--sample', 1))
      .option('--show <n>', 'differences to show', int('--show', 0), 10),
  ).action(async (names: string[], opts: CommonOptions & { source: string; sample?: number; show: number }) => {
    const jobs = await jobsOf(ctx, opts, names)
    const reports = await withSource(ctx, opts.source, {}, (source) =>
      withDb(ctx, opts, async (db) => {
        const out: VerifyReport[] = []
        for (const j of jobs) out.push(await verifyJob(db, source, j, { ...(opts.sample ? { sample: opts.sample } : {}), show: opts.show }))
        return out
      }),
    )
    const ok = reports.every((r) => r.ok)
    if (opts.json) ctx.stdout(JSON.stringify({ ok, jobs: reports }, null, 2) + '\n')
    else for (const r of reports) ctx.stdout(verifyText(r, useColor(ctx)))
    if (!ok) ctx.exitCode = 1
  })

  common(
    backfill
      .command('rejects')
      .description('list the documents a backfill rejected, with the reason and the whole original document (personal data: purge them once done)')
      .option('--job <name>', 'only this job')
      .option('--limit <n>', 'at most n rejects', int('--limit', 1), 1000)
      .option('--purge', 'delete the recorded rejects (of every job, or of --job) and print how many; asks on a terminal')
      .option('--before <date>', 'with --purge: only rejects recorded before this date (midnight UTC) or ISO 8601 date and time', beforeDate)
      .option('--yes', 'with --purge: do not ask (needed without a terminal and with --json)'),
  ).action(async (opts: CommonOptions & { job?: string; limit: number; purge?: boolean; before?: Date; yes?: boolean }) => {
    if (!opts.purge && (opts.before || opts.yes)) {
      throw new CairnError('bad_usage', `${opts.before ? '--before' : '--yes'} goes with --purge`, {
        hint: 'cairn backfill rejects --purge [--job <name>] [--before <date>] [--yes]',
      })
    }
    if (opts.purge) return purgeCommand(ctx, opts)
    const rejects = await withDb(ctx, opts, (db) => listRejects(db, { ...(opts.job ? { job: opts.job } : {}), limit: opts.limit }))
    if (opts.json) {
      ctx.stdout(
        JSON.stringify(
          { ok: true, rejects: rejects.map(({ raw, ...r }) => ({ ...r, ...(raw ? { rawBase64: raw.toString('base64') } : {}) })) },
          null,
          2,
        ) + '\n',
      )
      return
    }
    if (rejects.length === 0) {
      ctx.stdout('no rejects\n')
      return
    }
    for (const r of rejects) {
      ctx.stdout(`${r.job} ${r.docId} [${r.kind}] ${r.reason}\n  ${r.document}\n`)
    }
  })
}
