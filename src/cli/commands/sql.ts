/** `cairn sql`: print the full DDL of the definitions (or the model, or a summary). */
import path from 'node:path'
import type { RegisterCommand } from './index.js'
import { loadProject } from '../../load/load-project.js'
import { summarizeModel } from '../../load/push-project.js'
import { renderModel } from '../../plan/render-model.js'
import { renderScript } from '../../sqlgen/session.js'
import { checkRendered } from '../../migrate/check-rendered.js'

interface SqlFlags {
  project?: string
  json?: boolean
  summary?: boolean
}

/** Registers `cairn sql`. */
export const registerSql: RegisterCommand = (program, ctx) => {
  program
    .command('sql')
    .description('print the CREATE statements for the definitions in schema/ (nothing is connected to)')
    .option('--project <dir>', 'project root holding schema/index.ts (default: current directory)')
    .option('--summary', 'print object counts instead of the SQL')
    .option('--json', 'print the schema model (with --summary: the counts) as JSON')
    .action(async (flags: SqlFlags) => {
      const root = path.resolve(ctx.cwd, flags.project ?? '.')
      const { model } = await loadProject({ root })
      if (flags.summary) {
        const s = summarizeModel(model)
        if (flags.json) ctx.stdout(JSON.stringify(s, null, 2) + '\n')
        else ctx.stdout(Object.entries(s).map(([k, v]) => `${k.padEnd(12)} ${v}`).join('\n') + '\n')
        return
      }
      if (flags.json) ctx.stdout(JSON.stringify(model, null, 2) + '\n')
      else {
        const statements = renderModel(model)
        const script = renderScript(statements)
        await checkRendered(script, statements, 'the SQL of the definitions')
        ctx.stdout(script)
      }
    })
}
