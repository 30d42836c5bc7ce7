import { resolveTarget } from './target.js'
import type { Project } from './project.js'

/** What a command needs from the outside world, injected so tests can run the CLI in-process. */
export interface CliContext {
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  /** True when stdout is an interactive terminal (progress bars, prompts, colour). */
  readonly isTTY: boolean
  /** Set by a command to report problems (1) without throwing. */
  exitCode: number
  /** Set by a command that streams JSON lines (`migrate up --json`): an error is then printed on one line too. */
  jsonLines?: boolean
  /**
   * The project of the command being run (root, cairn.config.ts, environment), set by the program
   * from --config, --project and --env before the command's action runs.
   */
  project?: Project
}

/**
 * The project root: the folder of cairn.config.ts, else `--project`, else the working directory.
 * Paths in flags (`--dir`, `--migrations`, `--jobs-dir`) and the embedded database are relative to it.
 */
export function projectRoot(ctx: Pick<CliContext, 'cwd' | 'project'>): string {
  return ctx.project?.root ?? ctx.cwd
}

/**
 * Whether output should be coloured: `FORCE_COLOR` (unless 0 or false) forces colour, a non-empty
 * `NO_COLOR` (no-color.org) turns it off, else colour only on a terminal that is not TERM=dumb.
 * Machine-readable output (`--json`) is never coloured whatever this says.
 */
export function useColor(ctx: Pick<CliContext, 'env' | 'isTTY'>): boolean {
  const force = ctx.env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force !== 'false'
  if (ctx.env.NO_COLOR) return false
  return ctx.isTTY && ctx.env.TERM !== 'dumb'
}

/** A context over the real process. */
export function processContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    exitCode: 0,
  }
}

/**
 * The database URL a command should use: `--url`, then the `--env` environment of the config file,
 * then `CAIRN_DATABASE_URL`, then `DATABASE_URL`, then the embedded default (undefined).
 * `openTarget` in target.ts also prints it.
 */
export function resolveUrl(ctx: CliContext, url: string | undefined): string | undefined {
  return resolveTarget(ctx, url).url
}
