/**
 * How every command finds its project: the global options `--config <file>`, `--project <dir>`
 * and `--env <name>` (or CAIRN_ENV) resolve, before the command runs, to one project root (the
 * folder of cairn.config.ts, else the folder the command ran in), its layout and its environment.
 * Settings of the config file then fill in each command's options that were not given as flags:
 * flags win over the config file, which wins over the built-in defaults. Path flags and paths in
 * the config file are both relative to the project root.
 */
import path from 'node:path'
import type { Command } from 'commander'
import type { CairnEnvironment } from '../config/define-config.js'
import { loadConfig, selectEnvironment } from '../config/load-config.js'
import type { ResolvedConfig } from '../config/load-config.js'
import type { CliContext } from './context.js'

/** The global options of the program. */
export interface GlobalOptions {
  readonly config?: string
  readonly project?: string
  readonly env?: string
}

/** The project a command works on. */
export interface Project {
  /** Absolute; every relative path of the config file and of path flags is relative to it. */
  readonly root: string
  readonly config: ResolvedConfig
  /** The environment chosen with --env or CAIRN_ENV, if any. */
  readonly envName?: string
  readonly env?: CairnEnvironment
}

/** Registers `--config`, `--project` and `--env` on the program. */
export function globalOptions(program: Command): Command {
  return program
    .option('--config <file>', 'the config file (default: cairn.config.ts/.mts/.js/.mjs in the current folder or the nearest parent, up to the package root)')
    .option('--project <dir>', 'the project folder (holding cairn.config.ts, or schema/ and migrations/ without one); default: the folder of the config file found, else the current folder')
    .option('--env <name>', 'use the database environment <name> of the config file (default: CAIRN_ENV)')
}

/**
 * Resolves the project of a command run: the config file (--config, else found in --project, else
 * searched for from the working directory upwards), the root and the environment.
 */
export async function resolveProject(ctx: Pick<CliContext, 'cwd' | 'env'>, globals: GlobalOptions): Promise<Project> {
  const start = path.resolve(ctx.cwd, globals.project ?? '.')
  const config = globals.config
    ? await loadConfig({ cwd: ctx.cwd, file: globals.config })
    : await loadConfig({ cwd: start, upward: globals.project === undefined })
  const envName = globals.env ?? (ctx.env.CAIRN_ENV || undefined)
  return {
    root: config.root,
    config,
    ...(envName !== undefined ? { envName, env: selectEnvironment(config, envName) } : {}),
  }
}

/** What a setting of the project fills in for an option left at its default. */
type Fill = (p: Project, given: unknown) => unknown

const migrations: Fill = (p) => p.config.migrations
const lockTimeout: Fill = (p) => p.env?.lockTimeout

/**
 * Per command (its path, `*` for every subcommand of a group), the options the project fills in.
 * `project` is filled everywhere: commands that read it get the resolved root.
 */
/** The config's patterns and the flags' together. */
const ignore: Fill = (p, given) => [...p.config.ignore, ...(Array.isArray(given) ? given : [])]

const FILLS: Readonly<Record<string, Readonly<Record<string, Fill>>>> = {
  generate: { dir: migrations, ignore },
  diff: { ignore },
  'migrate *': { dir: migrations, lockTimeout },
  baseline: { dir: migrations, lockTimeout },
  seed: { dir: (p) => p.config.seeds, migrations, lockTimeout },
  drift: {
    dir: migrations,
    shadowUrl: (p) => p.env?.shadowUrl,
    ignore,
  },
  lint: { dir: migrations },
  check: { dir: migrations },
  'backfill *': { jobsDir: (p) => p.config.backfill },
}

function commandPath(c: Command): string[] {
  const names: string[] = []
  for (let x: Command | null = c; x?.parent; x = x.parent) names.unshift(x.name())
  return names
}

/**
 * Fills the options of `command` from the project: each option listed in FILLS that was not
 * given on the command line, and `project` (the root) on commands that have it.
 */
export function applyProject(command: Command, project: Project): void {
  const names = commandPath(command)
  const fills = { ...FILLS[`${names[0]} *`], ...FILLS[names.join(' ')] }
  for (const option of command.options) {
    const key = option.attributeName()
    const source = command.getOptionValueSource(key)
    if (key === 'project') {
      command.setOptionValueWithSource(key, project.root, 'config')
      continue
    }
    const fill = fills[key]
    if (!fill) continue
    const given = command.getOptionValue(key)
    const fromCli = source === 'cli' || source === 'env'
    if (fromCli && key !== 'ignore') continue
    const value = fill(project, fromCli ? given : undefined)
    if (value !== undefined) command.setOptionValueWithSource(key, value, fromCli ? source : 'config')
  }
}
