/**
 * Which database a command works on, said before it connects: every command that touches a
 * database prints its target (secrets removed) on stderr first, and says so prominently when it is
 * the embedded default because neither --url nor DATABASE_URL was given.
 */
import { Chalk } from 'chalk'
import type { CliContext } from './context.js'
import { useColor } from './context.js'
import { CairnError, EXIT } from '../errors.js'
import { connect, DEFAULT_DEV_DIR } from '../db/connect.js'
import type { Database } from '../db/database.js'
import { redactSecrets } from '../db/redact.js'

/** Where the URL of a command came from. */
export type TargetSource = '--url' | '--env' | 'CAIRN_DATABASE_URL' | 'DATABASE_URL' | 'default'

/** The database a command works on. */
export interface CommandTarget {
  /** The URL to connect to; undefined means the embedded default. */
  readonly url: string | undefined
  readonly source: TargetSource
  /** The target with secrets removed, safe to print. */
  readonly display: string
  /** True for the embedded `.cairn/dev` database chosen because no URL was given. */
  readonly embeddedDefault: boolean
  /** The environment of the config file the URL came from (source `--env`). */
  readonly envName?: string
}

/**
 * `--url`, then the url of the `--env` (or CAIRN_ENV) environment of the config file, then
 * `CAIRN_DATABASE_URL`, then `DATABASE_URL`, then the embedded default. An environment that names
 * a url it does not have (`url: process.env.PROD_URL` with the variable unset) is an error, exit 2.
 */
export function resolveTarget(ctx: Pick<CliContext, 'env' | 'project'>, url: string | undefined): CommandTarget {
  const pick = (value: string | undefined, source: TargetSource): CommandTarget | undefined =>
    value ? { url: value, source, display: redactSecrets(value), embeddedDefault: false } : undefined
  const p = ctx.project
  const fromEnv = (): CommandTarget | undefined => {
    if (!p?.env || !('url' in p.env)) return undefined
    if (!p.env.url) {
      throw new CairnError('env_url_missing', `environment "${p.envName}" of ${p.config.file} has no url`, {
        ...(p.config.file ? { file: p.config.file } : {}),
        hint: 'set the environment variable its url reads, or pass --url',
      })
    }
    return { ...pick(p.env.url, '--env')!, ...(p.envName ? { envName: p.envName } : {}) }
  }
  return (
    pick(url, '--url') ??
    fromEnv() ??
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
  const from = t.source === '--env' ? `environment ${t.envName} of the config file` : t.source
  return `${c.bold('database:')} ${t.display} ${c.dim(`(from ${from})`)}`
}

/** Prints the target on stderr (also with --json: stdout stays machine-readable). */
export function announceTarget(ctx: CliContext, t: CommandTarget): void {
  ctx.stderr(describeTarget(t, useColor(ctx)) + '\n')
}

/**
 * Resolves the target of `url`, prints it, and connects. `cwd` is the folder `pglite:<dir>` and the
 * embedded database are relative to (default: the project root).
 */
export async function openTarget(ctx: CliContext, url: string | undefined, options: { cwd?: string } = {}): Promise<Database> {
  const t = resolveTarget(ctx, url)
  announceTarget(ctx, t)
  return connect(t.url, { cwd: options.cwd ?? ctx.project?.root ?? ctx.cwd })
}
