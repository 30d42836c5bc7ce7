/**
 * `cairn diff --from <url> --to <url>`: prints what would turn the schema of the first database
 * into that of the second, as a migration (sql), a summary (text) or changes plus SQL (json).
 */
import type { Command } from 'commander'
import { Option } from 'commander'
import { Chalk } from 'chalk'
import type { RegisterCommand } from './index.js'
import type { CliContext } from '../context.js'
import { projectRoot, useColor } from '../context.js'
import { connect } from '../../db/connect.js'
import type { Database } from '../../db/database.js'
import { CairnError, EXIT, isCairnError } from '../../errors.js'
import { diffDatabases } from '../../workflows/diff-databases.js'
import type { DiffDatabasesResult } from '../../workflows/diff-databases.js'
import { lineComment, printable } from '../../sqlgen/quote.js'
import { parseIgnore } from '../../workflows/ignore.js'

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

interface DiffOptions {
  from: string
  to: string
  format: 'sql' | 'json' | 'text'
  json?: boolean
  allowDestructive?: boolean
  exitCode?: boolean
  rename?: string[]
  renames: boolean
  dropRoles?: boolean
  schema?: string[]
  excludeSchema?: string[]
  ignore: string[]
}

/** Registers `cairn diff`. */
export const registerDiff: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('diff')
    .description('show what would turn the schema of one database into that of another')
    .requiredOption('--from <url>', 'the database to change (postgres://…, pglite:memory, pglite:<dir>)')
    .requiredOption('--to <url>', 'the database whose schema is wanted')
    .addOption(new Option('--format <format>', 'output format').choices(['sql', 'json', 'text']).default('sql'))
    .option('--json', 'same as --format json')
    .option('--allow-destructive', 'include drops and narrowing type changes instead of refusing them')
    .option('--exit-code', 'exit 1 when the schemas differ (for CI)')
    .option('--rename <pair...>', 'treat a drop + add as a rename: schema.table=new or schema.table.column=new')
    .option('--no-renames', 'answer every look-alike drop + add "not a rename"')
    .option('--drop-roles', 'also drop roles only --from uses (roles are cluster-wide: left out by default)')
    .option('--schema <name...>', 'compare only these schemas')
    .option('--exclude-schema <name...>', 'leave these schemas out')
    .option('--ignore <pattern>', 'leave objects managed elsewhere as --from has them: [kind:]schema.name with * and ? (repeatable; added to the config\'s ignore)', collect, [])
    .action(async (opts: DiffOptions) => {
      const format = opts.json ? 'json' : opts.format
      const r = await withTwo(ctx, opts.from, opts.to, (from, to) =>
        diffDatabases({
          from,
          to,
          policy: { allowDestructive: Boolean(opts.allowDestructive) },
          renames: opts.rename ?? [],
          assumeNoRenames: opts.renames === false,
          dropRoles: Boolean(opts.dropRoles),
          ignore: parseIgnore(opts.ignore),
          inspect: {
            ...(opts.schema ? { schemas: opts.schema } : {}),
            ...(opts.excludeSchema ? { excludeSchemas: opts.excludeSchema } : {}),
          },
        }).catch((e: unknown) => {
          if (isCairnError(e) && e.code === 'destructive_changes') {
            throw new CairnError(e.code, e.message, {
              hint: 'review them, then pass --allow-destructive to include them in the output',
              issues: e.issues,
              exitCode: e.exitCode,
              ...(e.object ? { object: e.object } : {}),
              ...(e.meta ? { meta: e.meta } : {}),
            })
          }
          throw e
        }),
      )
      const warned = r.result.warnings.length > 0
      if (format === 'json') ctx.stdout(JSON.stringify(diffJson(r.result, r.from, r.to), null, 2) + '\n')
      else if (format === 'text') ctx.stdout(diffText(r.result, r.from, r.to, useColor(ctx)))
      else {
        ctx.stdout(
          !r.result.empty
            ? r.result.sql
            : warned
              ? `${lineComment(`no differences in what cairn compares between ${r.from} and ${r.to}; some objects were not compared (see the warnings)`)}\n`
              : `${lineComment(`no differences between ${r.from} and ${r.to}`)}\n`,
        )
        for (const w of r.result.warnings) ctx.stderr(`warning: ${printable(w.message)}\n`)
      }
      // objects cairn could not compare may differ: a drift check must not pass over them
      if (opts.exitCode && (!r.result.empty || warned)) ctx.exitCode = EXIT.problems
    })
}

async function withTwo<T>(
  ctx: CliContext,
  fromUrl: string,
  toUrl: string,
  fn: (from: Database, to: Database) => Promise<T>,
): Promise<{ result: T; from: string; to: string }> {
  const from = await connect(fromUrl, { cwd: projectRoot(ctx) })
  try {
    const to = await connect(toUrl, { cwd: projectRoot(ctx) })
    try {
      return { result: await fn(from, to), from: from.target, to: to.target }
    } finally {
      await to.close()
    }
  } finally {
    await from.close()
  }
}

/** The `--format json` document: the changes and the migration. */
export function diffJson(r: DiffDatabasesResult, from: string, to: string): Record<string, unknown> {
  return {
    ok: true,
    from,
    to,
    empty: r.empty,
    warnings: r.warnings,
    changes: r.changes,
    omitted: r.omitted,
    statements: r.statements,
    sql: r.sql,
    hazards: r.plan.hazards,
    destructive: r.plan.destructive,
  }
}

/** The `--format text` summary: one line per change, then hazards. */
export function diffText(r: DiffDatabasesResult, from: string, to: string, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const omitted = r.omitted.map((o) => (o.kind === 'drop_role' ? `  ${c.dim(`left out: drop role ${printable(o.role.name)} (roles are cluster-wide; --drop-roles includes it)`)}` : `  ${c.dim(`left out: ${o.kind}`)}`))
  const warnings = r.warnings.map((w) => `  ${c.yellow('not compared')} ${printable(w.message)}`)
  if (r.empty && warnings.length) return [`${c.yellow('!')} no differences in what cairn compares, but some objects were not compared:`, ...warnings, ...omitted].join('\n') + '\n'
  if (r.empty) return [`${c.green('✓')} no differences: ${from} matches ${to}`, ...omitted].join('\n') + '\n'
  const lines = [`${c.bold('diff')} ${from} ${c.dim('→')} ${to}`]
  const seen = new Set<unknown>()
  let changes = 0
  for (const step of r.plan.steps) {
    if (seen.has(step.source)) continue
    seen.add(step.source)
    changes++
    const k = step.source.kind
    const mark = /^(create|add|grant|attach)/.test(k) ? c.green('+') : /^(drop|revoke|detach)/.test(k) ? c.red('-') : c.yellow('~')
    lines.push(`  ${mark} ${printable(step.comment)}`)
  }
  // names come from the databases: escaped, so none can break a line or drive the terminal
  for (const h of r.plan.destructive) lines.push(`  ${c.red('destructive')} ${h.destructive} ${h.code} ${printable(`${h.object}: ${h.message}`)}`)
  for (const h of r.plan.hazards.filter((x) => !x.destructive)) lines.push(`  ${c.yellow('hazard')} ${h.code} ${printable(`${h.object}: ${h.message}`)}`)
  lines.push(...warnings, ...omitted)
  const n = r.plan.steps.length
  lines.push(
    c.dim(`${changes} change${changes === 1 ? '' : 's'}, ${n} statement${n === 1 ? '' : 's'}; --format sql prints the migration`),
  )
  return lines.join('\n') + '\n'
}
