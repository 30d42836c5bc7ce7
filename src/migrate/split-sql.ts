/**
 * Splits a migration file into statements with PostgreSQL's own grammar (libpg-query, the real
 * parser compiled to WASM), so dollar-quoted bodies, strings, nested comments, `BEGIN ATOMIC` bodies
 * and `;` inside any of them are handled exactly as the server would. Each statement knows whether
 * it may run inside a transaction: a `-- cairn:no-transaction` line comment directly before it, or a
 * statement that PostgreSQL refuses in a transaction block, makes it run alone.
 */
import { loadModule, parseSync } from 'libpg-query'
import { CairnError } from '../errors.js'
import { ident, wellFormed } from '../sqlgen/quote.js'

/** The line comment that marks the next statement as non-transactional. */
export const NO_TRANSACTION_MARKER = '-- cairn:no-transaction'

/** One statement of a migration file. */
export interface SqlStatement {
  /** 1-based position in the file. */
  readonly index: number
  /** The statement text without leading comments and without the trailing `;`. */
  readonly text: string
  /** 1-based line of the file where the statement starts. */
  readonly line: number
  /** False when the statement must run outside a transaction block. */
  readonly transactional: boolean
  /** Why it runs outside a transaction: `marker` or the statement kind (`CREATE INDEX CONCURRENTLY`, …). */
  readonly noTransactionReason?: string
  /** SQL to run before retrying this statement after a failed attempt (drops an INVALID index left behind). */
  readonly retryCleanup?: string
  /** True for a session-level `SET`/`RESET`, replayed when a run resumes after this statement. */
  readonly sessionSetting?: boolean
}

let loaded: Promise<void> | undefined

/** Loads the WASM parser once; splitSql awaits it. */
export function loadSqlParser(): Promise<void> {
  loaded ??= loadModule()
  return loaded
}

type Node = Record<string, any>

/**
 * Splits `sql` into statements. Throws CairnError 'sql_syntax_error' (with the file and line) when
 * the text does not parse, and 'transaction_control_in_migration' for BEGIN/COMMIT/ROLLBACK, since
 * cairn itself decides where transactions start and end.
 */
export async function splitSql(input: string, file?: string): Promise<SqlStatement[]> {
  await loadSqlParser()
  // the text as the server gets it: the WASM parser would misread a lone surrogate
  const sql = wellFormed(input)
  const bytes = Buffer.from(sql, 'utf8')
  let parsed: { stmts?: Array<{ stmt: Node; stmt_location?: number; stmt_len?: number }> }
  try {
    parsed = parseSync(sql) as never
  } catch (e) {
    const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails
    const pos = details?.cursorPosition
    const line = pos === undefined ? undefined : lineAt(sql, codePointIndex(sql, pos))
    throw new CairnError('sql_syntax_error', `${file ?? 'SQL'}${line ? `:${line}` : ''}: ${(e as Error).message}`, {
      file: file && line ? `${file}:${line}` : file,
      hint: 'fix the SQL; cairn parses migration files with the PostgreSQL 18 grammar before running them',
      cause: e,
    })
  }
  const out: SqlStatement[] = []
  let prevEnd = 0
  // line number at byte prevEnd; kept incrementally so large files stay linear
  let lineAtPrevEnd = 1
  for (const raw of parsed.stmts ?? []) {
    const start = raw.stmt_location ?? 0
    const end = raw.stmt_len ? start + raw.stmt_len : bytes.length
    const chunk = bytes.subarray(start, end).toString('utf8')
    const lead = skipComments(chunk)
    const text = chunk.slice(lead).trimEnd()
    const between = bytes.subarray(prevEnd, start).toString('utf8')
    const gap = between + chunk.slice(0, lead)
    const line = lineAtPrevEnd + newlines(gap)
    lineAtPrevEnd += newlines(between) + newlines(chunk)
    prevEnd = end
    if (!text) continue
    const index = out.length + 1
    const stmt = raw.stmt
    const kind = Object.keys(stmt)[0]
    const node = stmt[kind] as Node
    if (kind === 'TransactionStmt') {
      throw new CairnError(
        'transaction_control_in_migration',
        `${file ?? 'SQL'}:${line}: statement ${index} controls the transaction (${text.split(/\s+/)[0]}); cairn runs each migration in its own transaction`,
        {
          file: file ? `${file}:${line}` : undefined,
          hint: `remove BEGIN/COMMIT/ROLLBACK from the file; put "${NO_TRANSACTION_MARKER}" on the line before a statement that must run outside a transaction`,
        },
      )
    }
    const auto = nonTransactionalKind(kind, node)
    const marked = lineComments(gap).some((c) => c === NO_TRANSACTION_MARKER)
    const reason = auto ?? (marked ? 'marker' : undefined)
    out.push({
      index,
      text,
      line,
      transactional: reason === undefined,
      ...(reason ? { noTransactionReason: reason } : {}),
      ...(kind === 'IndexStmt' && node.concurrent && node.idxname
        ? {
            retryCleanup: `DROP INDEX CONCURRENTLY IF EXISTS ${
              node.relation?.schemaname ? ident(node.relation.schemaname) + '.' : ''
            }${ident(node.idxname)}`,
          }
        : {}),
      ...(isSessionSetting(kind, node) ? { sessionSetting: true } : {}),
    })
  }
  return out
}

/** The kind of a statement that PostgreSQL refuses inside a transaction block, else undefined (also used by the linter). */
export function nonTransactionalKind(kind: string, node: Node): string | undefined {
  switch (kind) {
    case 'IndexStmt':
      return node.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined
    case 'DropStmt':
      return node.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined
    case 'ReindexStmt': {
      const params = (node.params ?? []) as Node[]
      if (params.some((p) => p.DefElem?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY'
      return node.kind === 'REINDEX_OBJECT_DATABASE' || node.kind === 'REINDEX_OBJECT_SYSTEM' ? 'REINDEX DATABASE' : undefined
    }
    case 'VacuumStmt':
      return node.is_vacuumcmd ? 'VACUUM' : undefined
    case 'CreatedbStmt':
      return 'CREATE DATABASE'
    case 'DropdbStmt':
      return 'DROP DATABASE'
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM'
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE'
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE'
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION'
    case 'DropSubscriptionStmt':
      return 'DROP SUBSCRIPTION'
    case 'AlterTableStmt': {
      const cmds = (node.cmds ?? []) as Node[]
      const detach = cmds.some((c) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd?.def?.PartitionCmd?.concurrent)
      return detach ? 'DETACH PARTITION CONCURRENTLY' : undefined
    }
    default:
      return undefined
  }
}

function isSessionSetting(kind: string, node: Node): boolean {
  return kind === 'VariableSetStmt' && !node.is_local
}

/** Index of the first character of `s` that is neither whitespace nor part of a comment. */
function skipComments(s: string): number {
  let i = 0
  while (i < s.length) {
    const ch = s[i]
    if (/\s/.test(ch)) i++
    else if (s.startsWith('--', i)) {
      const nl = lineEnd(s, i)
      i = nl === -1 ? s.length : nl + 1
    } else if (s.startsWith('/*', i)) i = blockCommentEnd(s, i)
    else break
  }
  return i
}

/** The end (exclusive) of the nested block comment starting at `i`. */
export function blockCommentEnd(s: string, i: number): number {
  let depth = 0
  while (i < s.length) {
    if (s.startsWith('/*', i)) {
      depth++
      i += 2
    } else if (s.startsWith('*/', i)) {
      depth--
      i += 2
      if (depth === 0) return i
    } else i++
  }
  return s.length
}

/** The `--` line comments (trimmed, with the dashes) in text made only of comments, blanks and `;`. */
function lineComments(s: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < s.length) {
    if (s.startsWith('--', i)) {
      const nl = lineEnd(s, i)
      const e = nl === -1 ? s.length : nl
      out.push(s.slice(i, e).trim())
      i = e
    } else if (s.startsWith('/*', i)) i = blockCommentEnd(s, i)
    else i++
  }
  return out
}

/** Index of the first `\n` or `\r` at or after `from` (where PostgreSQL ends a `--` comment), or -1. */
function lineEnd(s: string, from: number): number {
  const nl = s.indexOf('\n', from)
  const cr = s.indexOf('\r', from)
  return nl === -1 ? cr : cr === -1 ? nl : Math.min(nl, cr)
}

function newlines(s: string): number {
  let n = 0
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++
  return n
}

/**
 * The index in `s` (UTF-16 code units, as JavaScript counts) of the character at `codePoints`:
 * libpg-query reports a syntax error's cursor as a 0-based count of code points, neither bytes nor
 * UTF-16 units, so text with multi-byte or astral characters before the error needs this.
 */
export function codePointIndex(s: string, codePoints: number): number {
  let i = 0
  for (let n = 0; n < codePoints && i < s.length; n++) i += (s.codePointAt(i) as number) > 0xffff ? 2 : 1
  return i
}

function lineAt(s: string, charIndex: number): number {
  let line = 1
  for (let i = 0; i < charIndex && i < s.length; i++) if (s.charCodeAt(i) === 10) line++
  return line
}
