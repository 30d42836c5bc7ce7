import { resolveTarget } from './target.js'

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
 * The database URL a command should use: `--url`, then `CAIRN_DATABASE_URL`, then `DATABASE_URL`,
 * then the embedded default (undefined). `openTarget` in target.ts also prints it.
 */
export function resolveUrl(ctx: CliContext, url: string | undefined): string | undefined {
  return resolveTarget(ctx, url).url
}
