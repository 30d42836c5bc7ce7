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
