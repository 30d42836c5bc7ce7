/**
 * `cairn check`: before migrating, count on the live database the rows that each validating
 * statement of the pending migrations (or of `--sql <file>`) would reject — SET NOT NULL, CHECK,
 * FOREIGN KEY, UNIQUE/PRIMARY KEY, EXCLUDE, column type changes — read-only, so it may run against a
 * replica. The work is in src/check; this file reads the options and prints text, JSON or GitHub
 * annotations. Exit 0 nothing fails, 1 a statement would fail, 2 bad input, 3 cannot connect or a
 * check could not finish.
 */
import { promises as fsp } from 'node:fs'
import path from 'node:path'
import { Option } from 'commander'
import { Chalk } from 'chalk'
import type { RegisterCommand } from './index.js'
import type { CliContext } from '../context.js'
import { projectRoot, useColor } from '../context.js'
import { parseDuration, withDb } from './migrate.js'
import { CairnError } from '../../errors.js'
import { nodeDirFsAt, requireMigrationDir } from '../../migrate/migration-dir.js'
import { printable } from '../../sqlgen/quote.js'
import { failingText, sampleLines } from '../../check/report.js'
import type { CheckReport, CheckResult, CheckStatus } from '../../check/index.js'

interface CheckFlags {
  url?: string
  dir: string
  sql?: string[]
  timeout: string
  sample: string
  format: 'text' | 'json' | 'github'
  json?: boolean
}

/** Registers `cairn check`. */
export const registerCheck: RegisterCommand = (program, ctx) => {
  program
    .command('check')
    .description('count the existing rows that the pending migrations\' constraints, keys and type changes would reject (read-only)')
    .option('--url <url>', 'the database (default: DATABASE_URL, else the embedded .cairn/dev database); a read-only replica will do')
    .option('--dir <dir>', 'migration directory, relative to the project', 'migrations')
    .option('--sql <file>', 'check the statements of this SQL file instead of the pending migrations (repeatable)', collect)
    .option('--timeout <duration>', 'statement_timeout of each check query (e.g. 60s, 5m)', '60s')
    .option('--sample <n>', 'keys of failing rows shown per statement', '5')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      '\nEvery check runs in its own READ ONLY transaction with the statement timeout and row_security = off\n' +
        '(a role under row-level security gets an error, not a partial count). Statements on tables created by the\n' +
        'same migrations are skipped: they have no rows.\n\n' +
        'Exit codes: 0 nothing fails, 1 a statement would fail, 2 bad input, 3 cannot connect or a check timed out or failed.\n',
    )
    .action(async (flags: CheckFlags) => {
      const format = flags.json ? 'json' : flags.format
      const timeoutMs = parseDuration(flags.timeout, '--timeout') as number
      if (timeoutMs <= 0) throw new CairnError('bad_usage', '--timeout must be more than 0')
      const sample = Number(flags.sample)
      if (!Number.isInteger(sample) || sample < 0) throw new CairnError('bad_usage', `--sample must be a whole number, got "${flags.sample}"`)
      const root = projectRoot(ctx)
      const files = flags.sql?.length ? await readSqlFiles(ctx, flags.sql) : undefined
      if (!files) await requireMigrationDir(nodeDirFsAt(root), flags.dir)
      const { checkConstraints, checkExitCode, checkGithub } = await import('../../check/index.js')
      const report = await withDb(ctx, { url: flags.url, dir: flags.dir }, (db) =>
        checkConstraints(db, files ? { files } : { dir: flags.dir, fs: nodeDirFsAt(root) }, { timeoutMs, sample }),
      )
      if (format === 'json') ctx.stdout(JSON.stringify(report, null, 2) + '\n')
      else if (format === 'github') ctx.stdout(checkGithub(report))
      else ctx.stdout(checkText(report, useColor(ctx)))
      ctx.exitCode = checkExitCode(report)
    })
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

async function readSqlFiles(ctx: CliContext, paths: readonly string[]): Promise<Array<{ path: string; sql: string }>> {
  const out: Array<{ path: string; sql: string }> = []
  for (const p of paths) {
    const abs = path.resolve(ctx.cwd, p)
    let sql: string
    try {
      sql = await fsp.readFile(abs, 'utf8')
    } catch {
      throw new CairnError('check_input_missing', `${p} cannot be read (${abs})`, { file: p, hint: 'give the path of an SQL file' })
    }
    const rel = path.relative(ctx.cwd, abs)
    out.push({ path: (rel && !rel.startsWith('..') ? rel : abs).split(path.sep).join('/'), sql })
  }
  return out
}

const MARK: Record<CheckStatus, string> = { passes: '✓', fails: '✗', may_fail: '!', skipped: '-', not_checked: '?', timeout: '⌛', error: '✗' }

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** The text report: one block per validating statement, then a summary line. */
export function checkText(r: CheckReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const paint: Record<CheckStatus, (s: string) => string> = {
    passes: c.green, fails: c.red, may_fail: c.yellow, skipped: c.dim, not_checked: c.yellow, timeout: c.red, error: c.red,
  }
  const src = r.source.kind === 'migrations'
    ? `${r.source.pending.length} pending migration${r.source.pending.length === 1 ? '' : 's'} in ${r.source.dir}`
    : r.source.files.join(', ')
  const lines: string[] = [`${c.bold('check')} ${r.target} ${c.dim(`(PostgreSQL ${Math.floor(r.serverVersion / 10000)}; ${src}; statement_timeout ${duration(r.timeoutMs)}, read-only)`)}`, '']
  if (r.source.kind === 'migrations' && !r.source.sumOk) lines.push(c.yellow(`note: ${r.source.dir}/cairn.sum does not match the files: cairn migrate up will refuse them as they are`), '')
  const skipped = r.results.filter((x) => x.status === 'skipped')
  for (const x of r.results.filter((x) => x.status !== 'skipped')) lines.push(...block(x, c, paint))
  if (skipped.length) lines.push(c.dim(`- ${skipped.length} statement${skipped.length === 1 ? '' : 's'} on tables these migrations create (no rows): ${[...new Set(skipped.map((x) => `${x.file}:${x.line}`))].slice(0, 6).join(', ')}${skipped.length > 6 ? ', …' : ''}`), '')
  if (!r.results.length) lines.push(c.dim(r.source.kind === 'migrations' && !r.source.pending.length ? 'no pending migrations' : 'no statement validates existing rows'), '')
  const k = r.counts
  const parts = [
    k.fails ? c.red(`${k.fails} would fail`) : '0 would fail',
    k.may_fail ? c.yellow(`${k.may_fail} may fail`) : '',
    `${k.passes} pass`,
    k.skipped ? `${k.skipped} skipped` : '',
    k.not_checked ? c.yellow(`${k.not_checked} not checked`) : '',
    k.timeout ? c.red(`${k.timeout} timed out`) : '',
    k.error ? c.red(`${k.error} failed to run`) : '',
  ].filter(Boolean)
  lines.push(`${parts.join(', ')} ${c.dim(`(${duration(r.durationMs)})`)}`)
  return lines.join('\n') + '\n'
}

function block(x: CheckResult, c: InstanceType<typeof Chalk>, paint: Record<CheckStatus, (s: string) => string>): string[] {
  const table = printable(x.resolved ?? (x.table.schema ? `${x.table.schema}.${x.table.name}` : x.table.name))
  const head = `${paint[x.status](MARK[x.status])} ${x.file}:${x.line}  ${c.bold(table)}  ${printable(x.what)}`
  const out = [head]
  const time = c.dim(`(${[x.method, duration(x.durationMs)].filter(Boolean).join(', ')})`)
  if (x.status === 'passes') out.push(`    ${c.green('no row fails')} ${time}${x.reason ? c.dim(` ${printable(x.reason)}`) : ''}`)
  else if (x.status === 'fails' || x.status === 'may_fail') {
    out.push(`    ${paint[x.status](failingText(x))} ${time}`)
    if (x.status === 'may_fail' && x.changedBefore) out.push(c.yellow(`    counted on the rows as they are now: ${x.changedBefore.file}:${x.changedBefore.line} (${printable(x.changedBefore.what)}) changes them first`))
    for (const s of sampleLines(x)) out.push(`      ${s}`)
    if (x.reason) out.push(c.dim(`    ${printable(x.reason)}`))
  } else out.push(`    ${paint[x.status](x.status.replace('_', ' '))}: ${printable(x.reason ?? '')} ${x.durationMs ? time : ''}`.trimEnd())
  out.push('')
  return out
}
