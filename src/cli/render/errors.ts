import { Chalk } from 'chalk'
import type { CairnError } from '../../errors.js'
import { isCairnError, wrapError } from '../../errors.js'
import { connectionLost, isConnectionError } from '../../db/connection-lost.js'
import { maskSecrets, redactSecrets, secretsOf } from '../../db/redact.js'

/** Any thrown value as the CairnError the CLI reports: a lost database connection is `connection_lost` (exit 3). */
export function toCairnError(e: unknown): CairnError {
  if (isCairnError(e)) return e as CairnError
  if (isConnectionError(e)) return connectionLost(e)
  return wrapError('internal_error', 'unexpected failure', e)
}

/**
 * The secrets a command was given (passwords in the URLs of its arguments and of CAIRN_DATABASE_URL /
 * DATABASE_URL, and PGPASSWORD): the error output is checked for them as a last line of defence.
 */
export function knownSecrets(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  return [
    ...argv.flatMap((a) => secretsOf(a)),
    ...secretsOf(env.CAIRN_DATABASE_URL),
    ...secretsOf(env.DATABASE_URL),
    ...(env.PGPASSWORD ? [env.PGPASSWORD] : []),
  ]
}

/**
 * Everything an error shows goes through this last check: connection targets in any spelling
 * (`redactSecrets`), then the secrets the command was given, wherever they appear.
 */
export function redactOutput(text: string, secrets: readonly string[] = []): string {
  return maskSecrets(redactSecrets(text), secrets)
}

/** Human rendering of an error: what, where, how to fix, and each collected issue; secrets removed. */
export function formatError(e: CairnError, color: boolean, secrets: readonly string[] = []): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const lines: string[] = []
  const where = [e.file, e.object].filter(Boolean).join(' ')
  lines.push(`${c.red('error')} ${c.dim(`[${e.code}]`)} ${e.message}${where ? c.dim(`  (${where})`) : ''}`)
  for (const i of e.issues) {
    const at = [i.file, i.object].filter(Boolean).join(' ')
    lines.push(`  ${c.yellow('•')} ${at ? c.bold(at) + ': ' : ''}${i.message} ${c.dim(`[${i.code}]`)}`)
    if (i.hint) lines.push(`      ${c.dim('fix:')} ${i.hint}`)
  }
  if (e.hint) lines.push(`  ${c.cyan('hint:')} ${e.hint}`)
  return redactOutput(lines.join('\n') + '\n', secrets)
}

/** The `--json` rendering of an error (`CairnError.toJSON`), every string through `redactOutput`. */
export function errorJson(e: CairnError, secrets: readonly string[] = []): Record<string, unknown> {
  return maskDeep(e.toJSON(), secrets) as Record<string, unknown>
}

function maskDeep(v: unknown, secrets: readonly string[]): unknown {
  if (typeof v === 'string') return redactOutput(v, secrets)
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, secrets))
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x, secrets)]))
  }
  return v
}
