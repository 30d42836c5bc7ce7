import { Chalk } from 'chalk'
import type { CairnError } from '../../errors.js'

/** Human rendering of an error: what, where, how to fix, and each collected issue. */
export function formatError(e: CairnError, color: boolean): string {
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
  return lines.join('\n') + '\n'
}
