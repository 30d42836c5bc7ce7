/**
 * The cairn command line: builds the commander program from the command modules and turns every
 * outcome into an exit code (0 ok, 1 problems found, 2 bad usage or input, 3 runtime failure).
 */
import { Command, CommanderError } from 'commander'
import { EXIT, isCairnError } from '../errors.js'
import type { CliContext } from './context.js'
import { processContext, useColor } from './context.js'
import { COMMANDS } from './commands/index.js'
import { addExamples } from './examples.js'
import { errorJson, formatError, knownSecrets, toCairnError } from './render/errors.js'
import { maskSecrets, redactSecrets, secretsOf } from '../db/redact.js'
import { applyProject, globalOptions, resolveProject } from './project.js'

/** Builds the program; commands write through `ctx` and never call process.exit. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('cairn')
    .description('Schema-as-code for PostgreSQL: typed definitions → versioned, lock-safe migrations')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
  globalOptions(program)
  // every command but init works on a project: resolved once, before its action, from the global
  // options; the config file then fills in the options not given as flags
  program.hook('preAction', async (_program, action) => {
    if (action.parent === program && action.name() === 'init') return
    ctx.project = await resolveProject(ctx, program.opts())
    applyProject(action, ctx.project)
  })
  for (const register of COMMANDS) register(program, ctx)
  addExamples(program)
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
  return program
}

/** Runs the CLI on `argv` (as process.argv: node, script, …args) and returns the exit code. */
export async function run(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx)
  const json = argv.includes('--json')
  try {
    await program.parseAsync([...argv])
    return ctx.exitCode
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok
      // a bare command group (`cairn migrate`) prints its help on stderr and fails: nothing was done
      if (e.code === 'commander.help') return e.exitCode === 0 ? EXIT.ok : EXIT.usage
      return EXIT.usage
    }
    const err = toCairnError(e)
    const fromConfig = Object.values(ctx.project?.config.env ?? {}).flatMap((e) => [...secretsOf(e.url), ...secretsOf(e.shadowUrl)])
    const secrets = [...knownSecrets(argv, ctx.env), ...fromConfig]
    if (json) ctx.stdout(JSON.stringify({ ok: false, error: errorJson(err, secrets) }, null, ctx.jsonLines ? undefined : 2) + '\n')
    else ctx.stderr(formatError(err, useColor(ctx), secrets))
    if (!isCairnError(e) && ctx.env.CAIRN_DEBUG) ctx.stderr(maskSecrets(redactSecrets(String((e as Error).stack)), secrets) + '\n')
    return err.exitCode
  }
}
