/** A CLI context for in-process runs of `run(argv, ctx)` that keeps what the command printed. */
import type { CliContext } from '../../src/cli/context.js'

export type CapturedContext = CliContext & { out: string; err: string }

export function capturedContext(cwd: string, env: Record<string, string> = {}): CapturedContext {
  const ctx: CapturedContext = {
    cwd,
    env,
    out: '',
    err: '',
    isTTY: false,
    exitCode: 0,
    stdout: (t: string) => {
      ctx.out += t
    },
    stderr: (t: string) => {
      ctx.err += t
    },
  }
  return ctx
}
