/**
 * `cairn lint [paths…]`: lock-safety and compatibility rules over migration SQL, generated or
 * hand-written. By default it lints the migrations in `--dir` (only those pending on `--url`, or
 * those after `--since`); paths, directories and globs lint any SQL files. The rules live in
 * src/lint (pure); this file reads the files, picks the run and prints text, JSON or GitHub
 * annotations. Exit 0 clean (warnings allowed up to --max-warnings), 1 errors, 2 bad input.
 */
import { promises as fsp } from 'node:fs'
import path from 'node:path'
import { Chalk } from 'chalk'
import type { Command } from 'commander'
import type { CliContext } from '../context.js'
import { projectRoot, useColor } from '../context.js'
import type { RegisterCommand } from './index.js'
import { colors, withDb } from './migrate.js'
import { CairnError, isCairnError } from '../../errors.js'
import type { Database } from '../../db/database.js'
import { MIGRATION_NAME, nodeDirFsAt, readMigrationDir, requireMigrationDir } from '../../migrate/migration-dir.js'
import type { Finding, LintFileInput, LintResult } from '../../lint/index.js'

// the parser (WASM) loads only when a command lints, not for --help or other commands
const core = () => import('../../lint/index.js')

interface LintCliOptions {
  dir: string
  url?: string
  since?: string
  assumeInTransaction?: boolean
  format?: string
  json?: boolean
  maxWarnings?: string
  strict?: boolean
  ignore?: string
  rules?: boolean
}

/** A file inside a cairn migration folder (`<yyyymmddHHMMss>_<slug>/up.sql`). */
function isCairnMigrationFile(p: string): boolean {
  const parts = p.split(/[\\/]/)
  return parts.length >= 2 && /^(up|down)\.sql$/.test(parts[parts.length - 1]) && MIGRATION_NAME.test(parts[parts.length - 2])
}

const display = (ctx: CliContext, abs: string) => {
  const rel = path.relative(ctx.cwd, abs)
  return (rel && !rel.startsWith('..') ? rel : abs).split(path.sep).join('/')
}

async function stat(p: string) {
  try {
    return await fsp.stat(p)
  } catch {
    return undefined
  }
}

/** `*`, `?` and `[…]` within a path segment; `**` any number of folders. */
function segmentRegex(seg: string): RegExp {
  let re = ''
  for (let i = 0; i < seg.length; i++) {
    const ch = seg[i]
    if (ch === '*') re += '[^/]*'
    else if (ch === '?') re += '[^/]'
    else if (ch === '[') {
      const end = seg.indexOf(']', i)
      if (end === -1) re += '\\['
      else {
        re += `[${seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

const hasGlob = (s: string) => /[*?[]/.test(s)

/** Files matching a glob pattern (relative to cwd or absolute), sorted. */
async function expandGlob(cwd: string, pattern: string): Promise<string[]> {
  const abs = path.resolve(cwd, pattern).split(path.sep).join('/')
  const segs = abs.split('/')
  const firstGlob = segs.findIndex(hasGlob)
  const base = segs.slice(0, firstGlob).join('/') || '/'
  const rest = segs.slice(firstGlob)
  const out: string[] = []
  const walkDir = async (dir: string, i: number): Promise<void> => {
    if (i === rest.length) return
    const seg = rest[i]
    let entries: import('node:fs').Dirent[]
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    if (seg === '**') {
      await walkDir(dir, i + 1)
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') await walkDir(path.join(dir, e.name), i)
      if (i + 1 === rest.length) for (const e of entries) if (e.isFile()) out.push(path.join(dir, e.name))
      return
    }
    const re = segmentRegex(seg)
    for (const e of entries) {
      if (!re.test(e.name)) continue
      const p = path.join(dir, e.name)
      if (i + 1 === rest.length) {
        if (e.isFile()) out.push(p)
      } else if (e.isDirectory()) await walkDir(p, i + 1)
    }
  }
  await walkDir(base, 0)
  return [...new Set(out)].sort()
}

/** Every `.sql` file under `dir`, sorted; for a cairn migration directory, each migration's up.sql. */
async function sqlFilesIn(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true })
  const migrations = entries.filter((e) => e.isDirectory() && MIGRATION_NAME.test(e.name)).map((e) => e.name).sort()
  if (migrations.length) {
    const out: string[] = []
    for (const m of migrations) if (await stat(path.join(dir, m, 'up.sql'))) out.push(path.join(dir, m, 'up.sql'))
    return out
  }
  const out: string[] = []
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await sqlFilesIn(p)))
    else if (e.isFile() && e.name.endsWith('.sql')) out.push(p)
  }
  return out
}

/** The files named on the command line, in the order given (directories and globs expanded). */
async function filesFromArgs(ctx: CliContext, args: readonly string[]): Promise<LintFileInput[]> {
  const seen = new Set<string>()
  const out: LintFileInput[] = []
  for (const arg of args) {
    const abs = path.resolve(ctx.cwd, arg)
    const st = await stat(abs)
    let found: string[]
    if (st?.isFile()) found = [abs]
    else if (st?.isDirectory()) found = await sqlFilesIn(abs)
    else if (hasGlob(arg)) found = await expandGlob(ctx.cwd, arg)
    else {
      throw new CairnError('lint_input_missing', `${arg} does not exist`, { file: arg, hint: 'give SQL files, directories or globs (quoted, e.g. "db/**/*.sql"); with no paths cairn lint reads --dir' })
    }
    if (!found.length) {
      throw new CairnError('lint_input_missing', `${arg} matches no SQL file`, { file: arg, hint: 'check the path or the pattern' })
    }
    for (const f of found) {
      if (seen.has(f)) continue
      seen.add(f)
      const sql = await fsp.readFile(f, 'utf8')
      const p = display(ctx, f)
      out.push({ path: p, sql, ...(isCairnMigrationFile(p) ? { kind: 'cairn' as const } : {}) })
    }
  }
  return out
}

/**
 * The migrations of `dir` to lint, in order. `pending` names the ones not applied yet (they are
 * linted, and what they create is new for the ones after them); undefined: lint every migration,
 * each as if the ones before it were applied.
 */
async function filesFromDir(ctx: CliContext, dir: string, pending?: ReadonlySet<string>): Promise<LintFileInput[]> {
  const fs = nodeDirFsAt(projectRoot(ctx))
  // the same error as every other command that reads the directory
  await requireMigrationDir(fs, dir)
  const d = await readMigrationDir(fs, dir)
  return d.migrations
    .filter((m) => !pending || pending.has(m.name))
    .map((m) => ({ path: m.upPath, sql: m.up, kind: 'cairn' as const, ...(pending ? { pending: true } : {}) }))
}

/** Names of the migrations of `dir` not (fully) applied on `db`, and whether cairn.sum matches the files. */
async function pendingOn(ctx: CliContext, db: Database, dir: string): Promise<{ names: Set<string>; sumOk: boolean }> {
  const { migrationStatus } = await import('../../migrate/status.js')
  const s = await migrationStatus(db, { dir, fs: nodeDirFsAt(projectRoot(ctx)) })
  return { names: new Set(s.migrations.filter((m) => m.status === 'pending' || m.status === 'partial').map((m) => m.name)), sumOk: s.sum.ok }
}

function parseCodes(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase())
}

/** The closing line: counts of errors, warnings, files, suppressed findings and unparsed files. */
function summaryLine(r: LintResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`
  const files = n(r.files.length, 'file')
  const extra = [r.suppressed ? `${r.suppressed} suppressed` : '', r.parseErrors ? `${n(r.parseErrors, 'file')} not parsed` : ''].filter(Boolean).join(', ')
  const tail = `${files}${extra ? ` (${extra})` : ''}`
  if (!r.errors && !r.warnings && !r.parseErrors) return `${c.green('no problems')} in ${tail}`
  return `${r.errors ? c.red(n(r.errors, 'error')) : n(0, 'error')}, ${r.warnings ? c.yellow(n(r.warnings, 'warning')) : n(0, 'warning')} in ${tail}`
}

/** Human rendering: `file:line:col  severity  CODE  message` and its fix for each finding, then a summary line. */
export function formatLintText(r: LintResult, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const lines: string[] = []
  for (const f of r.files) {
    if (f.parseError) lines.push(`${f.path}:${f.parseError.line}:${f.parseError.column}  ${c.red('error  ')}  ${c.bold('syntax')}  ${f.parseError.message}`)
  }
  for (const f of r.findings.filter((x) => !x.suppressed)) {
    const sev = f.severity === 'error' ? c.red('error  ') : c.yellow('warning')
    lines.push(`${f.file}:${f.line}:${f.column}  ${sev}  ${c.bold(f.code)}  ${f.message}`)
    lines.push(c.dim(`    fix: ${f.fix}`))
  }
  if (lines.length) lines.push('')
  lines.push(summaryLine(r, color))
  return lines.join('\n') + '\n'
}

/** The exit code of a lint result: 2 unparseable input, 1 errors (or too many warnings), else 0. */
export function lintExitCode(r: LintResult, maxWarnings?: number): number {
  if (r.parseErrors) return 2
  if (r.errors) return 1
  if (maxWarnings !== undefined && r.warnings > maxWarnings) return 1
  return 0
}

/**
 * Lints the migrations `cairn migrate up` is about to apply (pending and partial ones, up to `to`);
 * throws CairnError 'lint_failed' (exit 2) when one has an error-severity finding. Warnings are
 * printed (human mode) and do not stop the run.
 */
export async function lintBeforeMigrate(ctx: CliContext, db: Database, opts: { dir: string; to?: string; json?: boolean }): Promise<void> {
  let files: LintFileInput[]
  try {
    const pending = await pendingOn(ctx, db, opts.dir)
    // files that do not match cairn.sum: the runner refuses them with its own error first
    if (!pending.sumOk) return
    files = await filesFromDir(ctx, opts.dir, pending.names)
  } catch (e) {
    // a missing or malformed directory: the runner reports it with its own error
    if (isCairnError(e)) return
    throw e
  }
  if (opts.to) {
    const i = files.findIndex((f) => f.path.split('/').at(-2) === opts.to)
    if (i !== -1) files = files.slice(0, i + 1)
  }
  if (!files.length) return
  const r = await (await core()).lint(files)
  const live = r.findings.filter((f) => !f.suppressed)
  const errors = live.filter((f) => f.severity === 'error')
  if (!errors.length && !r.parseErrors) {
    if (r.warnings && !opts.json) ctx.stderr(`${colors(ctx).yellow('lint')}     ${r.warnings} warning${r.warnings === 1 ? '' : 's'} in the pending migrations (cairn lint for details)\n`)
    return
  }
  const parse = r.files.filter((f) => f.parseError)
  throw new CairnError(
    'lint_failed',
    parse.length
      ? `${parse[0].path}:${parse[0].parseError?.line}: ${parse[0].parseError?.message}`
      : `${errors.length} lint error${errors.length === 1 ? '' : 's'} in the pending migrations; nothing was applied`,
    {
      file: parse.length ? `${parse[0].path}:${parse[0].parseError?.line}` : `${errors[0].file}:${errors[0].line}`,
      hint: 'fix the migration; or, when a finding does not apply, put `-- cairn-lint-ignore CODE: reason` on the line before the statement; --skip-lint applies without linting',
      issues: errors.map((f: Finding) => ({ code: f.code, message: f.message, hint: f.fix, file: `${f.file}:${f.line}:${f.column}`, ...(f.object ? { object: f.object } : {}) })),
    },
  )
}

/** Registers `cairn lint`. */
export const registerLint: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('lint')
    .description('check migration SQL for lock-safety and compatibility problems (exit 1 on errors)')
    .argument('[paths...]', 'SQL files, directories or globs (default: the migrations in --dir)')
    .option('--dir <dir>', 'migration directory linted when no paths are given, relative to the project', 'migrations')
    .option('--url <url>', 'lint only the migrations not yet applied on this database')
    .option('--since <migration>', 'lint only the migrations after this one (they count as not yet applied)')
    .option('--assume-in-transaction', 'plain SQL files each run inside one transaction (cairn migrations always run as the runner runs them)')
    .option('--format <format>', 'text, json or github (workflow annotations)', 'text')
    .option('--json', 'print JSON (same as --format json)')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--strict', 'exit 1 on any warning (same as --max-warnings 0)')
    .option('--ignore <codes>', 'rule codes to leave out, comma-separated (e.g. CL304,CL501)')
    .option('--rules', 'list the rules and exit')
    .action(async (paths: string[], opts: LintCliOptions) => {
      const format = opts.json ? 'json' : (opts.format ?? 'text')
      if (!['text', 'json', 'github'].includes(format)) throw new CairnError('bad_usage', `--format must be text, json or github, got "${format}"`)
      const { RULES, githubAnnotations, jsonReport, lint } = await core()
      if (opts.rules) {
        if (format === 'json') ctx.stdout(JSON.stringify({ ok: true, rules: RULES }, null, 2) + '\n')
        else ctx.stdout(RULES.map((r) => `${r.code.padEnd(7)} ${r.severity.padEnd(8)} ${r.name.padEnd(32)} ${r.doc}`).join('\n') + '\n')
        return
      }
      let maxWarnings: number | undefined
      if (opts.strict) maxWarnings = 0
      else if (opts.maxWarnings !== undefined) {
        maxWarnings = Number(opts.maxWarnings)
        if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new CairnError('bad_usage', `--max-warnings must be a whole number, got "${opts.maxWarnings}"`)
      }
      if (paths.length && (opts.url || opts.since)) throw new CairnError('bad_usage', '--url and --since select migrations of --dir; give them without paths')
      let files: LintFileInput[]
      if (paths.length) files = await filesFromArgs(ctx, paths)
      else if (opts.url) files = await withDb(ctx, { url: opts.url, dir: opts.dir }, async (db) => filesFromDir(ctx, opts.dir, (await pendingOn(ctx, db, opts.dir)).names))
      else if (opts.since) {
        const all = await filesFromDir(ctx, opts.dir)
        const names = all.map((f) => f.path.split('/').at(-2) as string)
        const i = names.indexOf(opts.since)
        if (i === -1) throw new CairnError('lint_input_missing', `--since ${opts.since}: no such migration in ${opts.dir}`, { hint: `migrations: ${names.join(', ') || 'none'}` })
        files = all.slice(i + 1).map((f) => ({ ...f, pending: true }))
      } else files = await filesFromDir(ctx, opts.dir)
      const r = await lint(files, { assumeInTransaction: opts.assumeInTransaction, ignore: parseCodes(opts.ignore) })
      if (format === 'json') ctx.stdout(JSON.stringify(jsonReport(r, { maxWarnings }), null, 2) + '\n')
      else if (format === 'github') ctx.stdout(githubAnnotations(r) + summaryLine(r, false) + '\n')
      else ctx.stdout(formatLintText(r, useColor(ctx)))
      ctx.exitCode = lintExitCode(r, maxWarnings)
    })
}
