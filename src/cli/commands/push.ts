/** `cairn push`: create the definitions on an empty database in one transaction. */
import path from 'node:path'
import { Chalk } from 'chalk'
import { useColor } from '../context.js'
import type { RegisterCommand } from './index.js'
import { announceTarget, resolveTarget } from '../target.js'
import { pushProject } from '../../load/push-project.js'
import { lineComment } from '../../sqlgen/quote.js'
import { renderScript } from '../../sqlgen/session.js'

interface PushFlags {
  url?: string
  project?: string
  dryRun?: boolean
  json?: boolean
}

/** Registers `cairn push`. */
export const registerPush: RegisterCommand = (program, ctx) => {
  program
    .command('push')
    .description('create the schema of the definitions on an EMPTY database, in one transaction')
    .option('--url <url>', 'postgres://…, pglite:memory or pglite:<dir> (default: DATABASE_URL, else .cairn/dev)')
    .option('--project <dir>', 'project root holding schema/index.ts (default: current directory)')
    .option('--dry-run', 'check the database and print the SQL, apply nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nRefuses (exit 2) when anything it would create already exists: use `cairn generate` + `cairn migrate` then.\n')
    .action(async (flags: PushFlags) => {
      const root = path.resolve(ctx.cwd, flags.project ?? '.')
      const target = resolveTarget(ctx, flags.url)
      announceTarget(ctx, target)
      const r = await pushProject({ root, url: target.url, dryRun: flags.dryRun })
      if (flags.json) {
        ctx.stdout(JSON.stringify({ ok: true, target: r.target, engine: r.engine, applied: r.applied, summary: r.summary, statements: r.statements }, null, 2) + '\n')
        return
      }
      const c = new Chalk({ level: useColor(ctx) ? 1 : 0 })
      const s = r.summary
      const what = `${s.schemas} schemas, ${s.tables} tables, ${s.indexes} indexes, ${s.constraints} constraints (${r.statements.length} statements)`
      if (r.applied) ctx.stdout(`${c.green('pushed')} ${what} to ${r.target}\n`)
      else ctx.stdout(renderScript(r.statements) + `${lineComment(`dry run: ${what} would be created on ${r.target}; nothing applied`)}\n`)
    })
}
