/**
 * `cairn drift`: the definitions, the migration directory and a live database compared three ways
 * (definitions ≠ migrations, migrations ≠ applied history, database ≠ its applied migrations),
 * printed as text, JSON or GitHub workflow annotations. Exit 0 without drift, 1 with drift.
 */
import path from 'node:path'
import { Option } from 'commander'
import { Chalk } from 'chalk'
import type { RegisterCommand } from './index.js'
import type { CliContext } from '../context.js'
import { useColor } from '../context.js'
import { openTarget } from '../target.js'
import { connect } from '../../db/connect.js'
import type { Database } from '../../db/database.js'
import { EXIT } from '../../errors.js'
import { nodeDirFsAt, requireMigrationDir } from '../../migrate/migration-dir.js'
import { parseIgnore } from '../../workflows/ignore.js'
import type { DriftItem, DriftReport, MigrationDriftItem } from '../../workflows/drift.js'
import { escapeData, escapeProperty } from '../../lint/report.js'
import { printable } from '../../sqlgen/quote.js'

interface DriftFlags {
  url?: string
  shadowUrl?: string
  project?: string
  dir: string
  ignore: string[]
  format: 'text' | 'json' | 'github'
  json?: boolean
  cache: boolean
  exitCode?: boolean
}

/** Registers `cairn drift`. */
export const registerDrift: RegisterCommand = (program, ctx) => {
  program
    .command('drift')
    .description('compare the definitions, the migrations and a live database: what was not generated, applied, or was changed by hand')
    .option('--url <url>', 'the live database (default: DATABASE_URL, else the embedded .cairn/dev database)')
    .option('--shadow-url <url>', 'an empty throwaway database on the same server to replay the applied migrations in (default: the embedded engine)')
    .option('--project <dir>', 'project root holding schema/ and migrations/ (default: current directory)')
    .option('--dir <dir>', 'migration directory, relative to the project', 'migrations')
    .option('--ignore <pattern>', 'leave out objects managed elsewhere: [kind:]schema.name with * and ? (repeatable), e.g. legacy.* or index:app.*_tmp', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .option('--no-cache', 'ignore the model cache under .cairn/cache')
    .option('--exit-code', 'also exit 1 when some objects could not be compared (kinds cairn does not model: the warnings)')
    .addHelpText(
      'after',
      '\nSections:\n' +
        '  definitions ≠ migrations   changes in schema/ that no migration makes yet (cairn generate)\n' +
        '  migrations ≠ history       pending, edited, missing, half-run or out-of-order migrations\n' +
        '  database ≠ its migrations  objects added, changed or removed by hand, with the SQL that undoes each\n\n' +
        'Exit codes: 0 no drift, 1 drift found (with --exit-code also objects not compared), 2 bad input, 3 cannot connect or read the database.\n',
    )
    .action(async (flags: DriftFlags) => {
      const format = flags.json ? 'json' : flags.format
      const root = path.resolve(ctx.cwd, flags.project ?? '.')
      // bad input is refused before connecting
      parseIgnore(flags.ignore)
      await requireMigrationDir(nodeDirFsAt(root), flags.dir)
      const { drift } = await import('../../workflows/drift.js')
      const report = await withDatabases(ctx, root, flags, (db, shadow) =>
        drift({ root, dir: flags.dir, db, ...(shadow ? { shadow } : {}), ignore: flags.ignore, cache: flags.cache }),
      )
      if (format === 'json') ctx.stdout(JSON.stringify({ ok: !report.drift, ...report }, null, 2) + '\n')
      else if (format === 'github') ctx.stdout(driftGithub(report))
      else ctx.stdout(driftText(report, useColor(ctx)))
      // objects cairn could not compare may differ: a CI check asks not to pass over them
      if (report.drift || (flags.exitCode && report.warnings.length > 0)) ctx.exitCode = EXIT.problems
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

async function withDatabases<T>(
  ctx: CliContext,
  root: string,
  flags: DriftFlags,
  fn: (db: Database, shadow: Database | undefined) => Promise<T>,
): Promise<T> {
  const db = await openTarget(ctx, flags.url, { cwd: root })
  try {
    const shadow = flags.shadowUrl ? await connect(flags.shadowUrl, { cwd: root }) : undefined
    try {
      return await fn(db, shadow)
    } finally {
      await shadow?.close()
    }
  } finally {
    await db.close()
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const indent = (text: string, by: string) => text.split('\n').map((l) => by + l).join('\n')

/** The text report: the three sections, each with its findings and what to do. */
export function driftText(r: DriftReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const mark = (i: DriftItem) => (i.drift === 'added' ? c.green('+') : i.drift === 'removed' ? c.red('-') : c.yellow('~'))
  const head = (title: string, drift: boolean, count: string) =>
    `${drift ? c.red('✗') : c.green('✓')} ${c.bold(title)}${drift ? `: ${count}` : c.dim(': none')}`
  const lines: string[] = [`${c.bold('drift')} ${r.target} ${c.dim(`(PostgreSQL ${Math.floor(r.serverVersion / 10000)})`)}`, '']

  const d = r.definitions
  lines.push(head('definitions ≠ migrations', d.drift, `${plural(d.items.length, 'change')} no migration makes yet`))
  for (const i of d.items) {
    lines.push(`  ${mark(i)} ${i.objectKind} ${i.object}${i.on && i.objectKind !== 'column' ? ` on ${i.on}` : ''} ${c.dim(i.drift === 'changed' ? 'changed in the definitions' : `${i.drift} in the definitions`)}`)
    if (i.manual) lines.push(c.yellow(indent(`cannot be generated: ${i.manual}`, '      ')))
  }
  if (d.drift) lines.push(c.dim('    fix: cairn generate <name> writes the migration (--format json shows its SQL)'))
  for (const n of d.notes) lines.push(c.dim(`    note: ${n}`))
  lines.push('')

  const m = r.migrations
  lines.push(head('migrations ≠ database history', m.drift, plural(m.items.length, 'finding')))
  const width = Math.max(0, ...m.items.map((x) => x.name.length))
  for (const i of m.items) {
    const paint = i.status === 'pending' ? c.yellow : c.red
    lines.push(`  ${i.name.padEnd(width)}  ${paint(i.status.replace(/_/g, ' ').padEnd(12))} ${i.message}`)
    lines.push(c.dim(`  ${' '.repeat(width)}  ${' '.repeat(12)} fix: ${i.hint}`))
  }
  if (!m.drift) lines.push(c.dim(`    ${plural(m.applied, 'migration')} applied, none pending`))
  lines.push('')

  const b = r.database
  const against = b.comparedWith === 'pglite' ? 'replayed in the embedded PostgreSQL 18' : `replayed in ${b.comparedWith}`
  lines.push(head('database ≠ its applied migrations', b.drift, `${plural(b.items.length, 'object')} changed by hand`) + c.dim(` (${plural(b.replayed.length, 'migration')} ${against})`))
  for (const i of b.items) {
    lines.push(`  ${mark(i)} ${i.summary}`)
    if (i.sql) lines.push(c.dim(`      undo${i.hazards.length ? ` (${i.hazards.join(', ')})` : ''}:`), indent(i.sql, '        '))
    if (i.manual) lines.push(c.yellow(indent(`undo by hand: ${i.manual}`, '      ')))
    if (i.adopt) lines.push(c.dim(`      or keep it: ${i.adopt}, then cairn generate and record that migration here with cairn baseline`))
  }
  for (const n of b.notes) lines.push(c.dim(`    note: ${n}`))
  lines.push('')

  const sections = [d.drift, m.drift, b.drift].filter(Boolean).length
  for (const w of r.warnings) lines.push(`${c.yellow('warning')} ${printable(w.message)}`)
  if (r.warnings.length) lines.push('')
  lines.push(r.drift ? c.red(`drift in ${sections} of 3 sections`) : r.warnings.length ? c.yellow('no drift in what cairn compares; some objects were not compared (see the warnings)') : c.green('no drift'))
  if (r.ignore.length) lines.push(c.dim(`ignored: ${r.ignore.join(', ')}`))
  return lines.join('\n') + '\n'
}

/** `::error`/`::warning` workflow commands: GitHub shows them on the run and, with a file, on the pull request. */
export function driftGithub(r: DriftReport): string {
  const line = (level: 'error' | 'warning' | 'notice', title: string, message: string, file?: string) =>
    `::${level} ${[file ? `file=${escapeProperty(file)}` : '', `title=${escapeProperty(title)}`].filter(Boolean).join(',')}::${escapeData(message)}`
  const out: string[] = []
  for (const i of r.definitions.items) {
    out.push(line('warning', 'cairn drift: definitions ≠ migrations', `${i.objectKind} ${i.object}${i.on && i.objectKind !== 'column' ? ` on ${i.on}` : ''} is ${i.drift} in the definitions but no migration makes it: run cairn generate`))
  }
  for (const i of r.migrations.items) out.push(migrationLine(i, line))
  for (const i of r.database.items) {
    const undo = i.sql ? `\nundo${i.hazards.length ? ` (${i.hazards.join(', ')})` : ''}:\n${i.sql}` : i.manual ? `\nundo by hand: ${i.manual}` : ''
    out.push(line('error', 'cairn drift: database ≠ its migrations', `${i.summary} on ${r.target}.${undo}${i.adopt ? `\nor keep it: ${i.adopt}, then cairn generate` : ''}`))
  }
  for (const w of r.warnings) out.push(line('warning', 'cairn drift: not compared', w.message))
  out.push(r.drift
    ? line('error', 'cairn drift', `drift: ${plural(r.definitions.items.length, 'ungenerated change')}, ${plural(r.migrations.items.length, 'migration finding')}, ${plural(r.database.items.length, 'object')} changed by hand on ${r.target}`)
    : `::notice title=cairn drift::no drift on ${escapeData(r.target)}`)
  return out.join('\n') + '\n'
}

function migrationLine(i: MigrationDriftItem, line: (level: 'error' | 'warning', title: string, message: string, file?: string) => string): string {
  const level = i.status === 'pending' ? 'warning' : 'error'
  return line(level, `cairn drift: migration ${i.status.replace(/_/g, ' ')}`, `${i.name}: ${i.message}. ${i.hint}`, i.file)
}
