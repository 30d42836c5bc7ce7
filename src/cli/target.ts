/**
 * Which database a command works on, said before it connects: every command that touches a
 * database prints its target (secrets removed) on stderr first, and says so prominently when it is
 * the embedded default because neither --url nor DATABASE_URL was given.
 */
import { Chalk } from 'chalk'
import type { CliContext } from './context.js'
import { connect, DEFAULT_DEV_DIR } from '../db/connect.js'
import type { Database } from '../db/database.js'
import { redactSecrets } from '../db/redact.js'

/** Where the URL of a command came from. */
export type TargetSource = '--url' | 'CAIRN_DATABASE_URL' | 'DATABASE_URL' | 'default'

/** The database a command works on. */
export interface CommandTarget {
  /** The URL to connect to; undefined means the embedded default. */
  readonly url: string | undefined
  readonly source: TargetSource
  /** The target with secrets removed, safe to print. */
  readonly display: string
  /** True for the embedded `.cairn/dev` database chosen because no URL was given. */
  readonly embeddedDefault: boolean
}

/** `--url`, then `CAIRN_DATABASE_URL`, then `DATABASE_URL`, then the embedded default. */
export function resolveTarget(ctx: Pick<CliContext, 'env'>, url: string | undefined): CommandTarget {
  const pick = (value: string | undefined, source: TargetSource): CommandTarget | undefined =>
    value ? { url: value, source, display: redactSecrets(value), embeddedDefault: false } : undefined
  return (
    pick(url, '--url') ??
    pick(ctx.env.CAIRN_DATABASE_URL, 'CAIRN_DATABASE_URL') ??
    pick(ctx.env.DATABASE_URL, 'DATABASE_URL') ?? { url: undefined, source: 'default', display: `pglite:${DEFAULT_DEV_DIR}`, embeddedDefault: true }
  )
}

/** One line naming the target and why it was chosen. */
export function describeTarget(t: CommandTarget, color = false): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  if (t.embeddedDefault) {
    return (
      `${c.bold('database:')} ${c.yellow(t.display)} ${c.yellow('(the embedded development database of this project:')} ` +
      `${c.yellow('no --url given and DATABASE_URL is not set)')}`
    )
  }
  return `${c.bold('database:')} ${t.display} ${c.dim(`(from ${t.source})`)}`
}

/** Prints the target on stderr (also with --json: stdout stays machine-readable). */
export function announceTarget(ctx: CliContext, t: CommandTarget): void {
  ctx.stderr(describeTarget(t, ctx.isTTY) + '\n')
}

/**
 * Resolves the target of `url`, prints it, and connects. `cwd` is the project root the embedded
 * database is relative to (default: the command's working directory).
 */
export async function openTarget(ctx: CliContext, url: string | undefined, options: { cwd?: string } = {}): Promise<Database> {
  const t = resolveTarget(ctx, url)
  announceTarget(ctx, t)
  return connect(t.url, { cwd: options.cwd ?? ctx.cwd })
}
