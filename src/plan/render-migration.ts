/**
 * Renders a plan as the text of `up.sql` and `down.sql`, deterministically, in the format the
 * migration runner reads:
 *
 *   -- cairn: <name>                      header lines (summary, hazards, destructive changes)
 *   -- cairn:hazard table_rewrite app.users.age …
 *   SET lock_timeout = '5s';
 *
 *   -- <what the step does>
 *   ALTER TABLE …;
 *
 *   -- cairn:no-transaction
 *   CREATE INDEX CONCURRENTLY …;
 *
 * Every statement ends with `;` at the end of a line and is separated from the next by a blank
 * line; a statement that must run outside a transaction is directly preceded by
 * `-- cairn:no-transaction`. Statements may span lines and contain `;` inside dollar-quoted bodies
 * (functions), so use splitMigration() (or an equally quote-aware splitter) to read them back.
 *
 * Every comment line is written by lineComment(): names, messages and values in it are escaped, so
 * no character of theirs can end the comment (PostgreSQL ends `--` comments at `\n` and at `\r`).
 */
import { lineComment, printable } from '../sqlgen/quote.js'
import type { Plan, Step } from './plan.js'

/**
 * Header facts of a rendered migration. The hazard, destructive and irreversible lines are the
 * header's text after `-- cairn:<kind> `: escaped by printable(), so they are safe to print.
 */
export interface MigrationInfo {
  readonly name: string
  /** Number of steps (statements after the preamble) of the up migration. */
  readonly steps: number
  /** True when every up statement can run in one transaction. */
  readonly transactional: boolean
  /** True when the down migration can run in one transaction. */
  readonly downTransactional: boolean
  readonly hazards: readonly string[]
  readonly destructive: readonly string[]
  /** Reasons the down migration cannot fully undo the up migration. */
  readonly irreversible: readonly string[]
}

/** The rendered migration. */
export interface RenderedMigration {
  readonly up: string
  readonly down: string
  readonly info: MigrationInfo
  /** The statements (without `;`) that up and down hold, in order: what a parser must read back. */
  readonly statements: { readonly up: readonly string[]; readonly down: readonly string[] }
}

/** The marker line that precedes a statement that must run outside a transaction. */
export const NO_TRANSACTION = '-- cairn:no-transaction'

/** Renders `plan` as up.sql and down.sql text (empty strings when the plan has no steps). */
export function renderMigration(plan: Plan, options: { name?: string } = {}): RenderedMigration {
  const name = options.name ?? 'migration'
  // raw header facts; the file gets them through lineComment(), MigrationInfo through printable()
  const hazardRaw = plan.hazards.filter((h) => !h.destructive).map((h) => `${h.code} ${h.object} ${h.message}`)
  const destructiveRaw = plan.destructive.map((h) => `${h.destructive} ${h.code} ${h.object} ${h.message}`)
  const irreversibleRaw = plan.steps.filter((s) => s.irreversible).map((s) => s.irreversible as string)
  const transactional = plan.steps.every((s) => s.transactional)
  const downStatements: { sql: string; transactional: boolean; comments: string[] }[] = []
  for (const s of [...plan.steps].reverse()) {
    if (s.irreversible) downStatements.push({ sql: '', transactional: true, comments: [`irreversible: ${s.irreversible}`] })
    let notes: string[] = []
    for (const sql of s.reverse ?? []) {
      // a reverse entry that is a comment annotates the statement after it
      if (sql.startsWith('--')) notes.push(sql.replace(/^--\s*/, ''))
      else {
        downStatements.push({ sql, transactional: s.reverseTransactional !== false, comments: [`undo: ${s.comment}`, ...notes] })
        notes = []
      }
    }
  }
  const downTransactional = downStatements.every((s) => s.transactional)
  const info: MigrationInfo = {
    name,
    steps: plan.steps.length,
    transactional,
    downTransactional,
    hazards: hazardRaw.map(printable),
    destructive: destructiveRaw.map(printable),
    irreversible: irreversibleRaw.map(printable),
  }
  if (plan.steps.length === 0) return { up: '', down: '', info, statements: { up: [], down: [] } }

  const counts = new Map<string, number>()
  for (const src of new Set(plan.steps.map((s) => s.source))) counts.set(src.kind, (counts.get(src.kind) ?? 0) + 1)
  const summary = [...counts].map(([k, n]) => `${n} ${k}`).join(', ')
  const header = (direction: 'up' | 'down', tx: boolean) => [
    lineComment(`cairn: ${name} (${direction})`),
    lineComment(`cairn:summary ${plan.steps.length} statement${plan.steps.length === 1 ? '' : 's'}: ${summary}`),
    lineComment(`cairn:transaction ${tx ? 'single' : 'per-statement'}`),
    ...(direction === 'up' ? destructiveRaw.map((l) => lineComment(`cairn:destructive ${l}`)) : []),
    ...(direction === 'up' ? hazardRaw.map((l) => lineComment(`cairn:hazard ${l}`)) : []),
    ...(direction === 'down' ? irreversibleRaw.map((l) => lineComment(`cairn:irreversible ${l}`)) : []),
  ]
  const statement = (sql: string, tx: boolean, ...comments: string[]) =>
    [...comments.map(lineComment), ...(tx ? [] : [NO_TRANSACTION]), `${sql};`].join('\n')

  const pre = plan.preamble.map((s) => `${s};`)
  const up = [
    [...header('up', transactional), ...pre].join('\n'),
    ...plan.steps.map((s: Step) => statement(s.sql, s.transactional, s.comment)),
  ].join('\n\n') + '\n'

  const downBody = downStatements.map((d) => (d.sql === '' ? lineComment(d.comments.join(' ')) : statement(d.sql, d.transactional, ...d.comments)))
  const down = [[...header('down', downTransactional), ...pre].join('\n'), ...downBody].join('\n\n') + '\n'
  const statements = {
    up: [...plan.preamble, ...plan.steps.map((s) => s.sql)],
    down: [...plan.preamble, ...downStatements.filter((d) => d.sql !== '').map((d) => d.sql)],
  }
  return { up, down, info, statements }
}

/** One statement read back from a migration file. */
export interface MigrationStatement {
  /** The statement without its trailing semicolon. */
  readonly sql: string
  readonly transactional: boolean
  /** 1-based line of the statement's first line in the file. */
  readonly line: number
}

/**
 * Splits migration text into statements: aware of quotes, dollar quotes, comments and `BEGIN ATOMIC
 * … END` function bodies, and of the
 * `-- cairn:no-transaction` marker on the line directly before a statement.
 */
export function splitMigration(text: string): MigrationStatement[] {
  const out: MigrationStatement[] = []
  let i = 0
  let start = -1
  let line = 1
  let startLine = 1
  let pendingNoTx = false
  let noTxForCurrent = false
  let atomicDepth = 0
  const n = text.length
  while (i < n) {
    const ch = text[i]
    if (ch === '\n') {
      line++
      i++
      continue
    }
    if (start < 0 && /\s/.test(ch)) {
      i++
      continue
    }
    if (ch === '-' && text[i + 1] === '-') {
      // PostgreSQL ends a -- comment at \n or \r
      const end = lineEnd(text, i)
      const comment = text.slice(i, end < 0 ? n : end).trim()
      if (start < 0 && comment === NO_TRANSACTION) pendingNoTx = true
      i = end < 0 ? n : end
      continue
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end < 0 ? n : end + 2
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++
      i = stop
      continue
    }
    if (start < 0) {
      start = i
      startLine = line
      noTxForCurrent = pendingNoTx
      pendingNoTx = false
    }
    if (ch === "'" || ch === '"') {
      let k = i + 1
      while (k < n) {
        if (text[k] === ch) {
          if (text[k + 1] === ch) k += 2
          else break
        } else {
          if (text[k] === '\n') line++
          k++
        }
      }
      i = k + 1
      continue
    }
    // a $ inside an identifier (a$b$c) is part of it, not the start of a dollar quote
    if (ch === '$' && !(i > start && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[i - 1]))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 128))
      if (m) {
        const tag = m[0]
        const end = text.indexOf(tag, i + tag.length)
        const stop = end < 0 ? n : end + tag.length
        for (let k = i; k < stop; k++) if (text[k] === '\n') line++
        i = stop
        continue
      }
    }
    // a keyword: BEGIN ATOMIC opens a SQL-standard function body, whose `;`s do not end the
    // statement until its END (CASE … END pairs inside it counted, as psql does)
    if (/[A-Za-z_]/.test(ch) && !(i > start && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[i - 1]))) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i, i + 64))![0]
      const upper = word.toUpperCase()
      if (upper === 'BEGIN' && /^\s+ATOMIC\b/i.test(text.slice(i + word.length, i + word.length + 64))) atomicDepth++
      else if (atomicDepth > 0 && upper === 'CASE') atomicDepth++
      else if (atomicDepth > 0 && upper === 'END') atomicDepth--
      i += word.length
      continue
    }
    if (ch === ';' && atomicDepth === 0) {
      out.push({ sql: text.slice(start, i).trim(), transactional: !noTxForCurrent, line: startLine })
      start = -1
      i++
      continue
    }
    i++
  }
  if (start >= 0) {
    const rest = text.slice(start).trim()
    if (rest) out.push({ sql: rest, transactional: !noTxForCurrent, line: startLine })
  }
  return out
}

/** Index of the first `\n` or `\r` at or after `from`, or -1. */
function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from)
  const cr = text.indexOf('\r', from)
  return nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr)
}
