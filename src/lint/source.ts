/**
 * One SQL file read with PostgreSQL's own parser (libpg-query): its statements with their AST, their
 * position (line and column, 1-based, of the first character after leading comments), the line
 * comments directly before each (markers and suppressions), and the cairn header. Positions from
 * the parser are offsets into the UTF-8 bytes of the file; they are mapped back to characters here.
 */
import { parseSync } from 'libpg-query'
import { blockCommentEnd, codePointIndex } from '../migrate/split-sql.js'

/** An AST node as libpg-query returns it (JSON). */
export type Node = Record<string, any>

/** A `--` comment line before a statement. */
export interface LineComment {
  /** Trimmed text, dashes included. */
  readonly text: string
  readonly line: number
  readonly column: number
}

export interface SourceStatement {
  /** 1-based position in the file. */
  readonly index: number
  /** The node type, e.g. `AlterTableStmt`. */
  readonly kind: string
  readonly node: Node
  /** Character offsets of the statement (after leading comments; end excludes the `;`). */
  readonly start: number
  readonly end: number
  readonly line: number
  readonly column: number
  readonly endLine: number
  /** The `--` comments between the previous statement and this one. */
  readonly comments: readonly LineComment[]
}

export interface ParsedSource {
  readonly statements: readonly SourceStatement[]
  /** Line comments before the first statement (the whole file when it has none). */
  readonly leadingComments: readonly LineComment[]
  /** Maps a parser byte offset to line and column. */
  readonly at: (byteOffset: number) => { line: number; column: number }
}

export interface SourceParseError {
  readonly message: string
  readonly line: number
  readonly column: number
}

/** Parses `sql`; the parser must be loaded (loadSqlParser). */
export function parseSource(sql: string): ParsedSource | { error: SourceParseError } {
  const pos = positions(sql)
  let parsed: { stmts?: Array<{ stmt: Node; stmt_location?: number; stmt_len?: number }> }
  try {
    parsed = parseSync(sql) as never
  } catch (e) {
    // libpg-query reports a 0-based count of code points
    const cursor = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition
    const { line, column } = pos.lineCol(codePointIndex(sql, Math.max(0, cursor ?? 0)))
    return { error: { message: (e as Error).message, line, column } }
  }
  const statements: SourceStatement[] = []
  let leadingComments: LineComment[] | undefined
  let prevEnd = 0
  for (const raw of parsed.stmts ?? []) {
    const start = pos.char(raw.stmt_location ?? 0)
    const end = raw.stmt_len ? pos.char((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length
    const lead = skipComments(sql, start, end)
    const comments = lineComments(sql, prevEnd, lead, pos)
    prevEnd = end
    if (lead >= end) continue
    leadingComments ??= comments
    const kind = Object.keys(raw.stmt)[0]
    const first = pos.lineCol(lead)
    let last = end
    while (last > lead && /\s/.test(sql[last - 1])) last--
    statements.push({
      index: statements.length + 1,
      kind,
      node: raw.stmt[kind] as Node,
      start: lead,
      end: last,
      line: first.line,
      column: first.column,
      endLine: pos.lineCol(Math.max(lead, last - 1)).line,
      comments,
    })
  }
  leadingComments ??= lineComments(sql, 0, sql.length, pos)
  return { statements, leadingComments, at: (b) => pos.lineCol(pos.char(b)) }
}

/** The TypeName node of a type spelled as PostgreSQL prints it (`character varying(50)`), or undefined. */
export function parseTypeName(text: string): Node | undefined {
  if (!/^[\w\s."(),\[\]]+$/.test(text)) return undefined
  try {
    const r = parseSync(`SELECT NULL::${text}`) as { stmts?: Array<{ stmt: Node }> }
    const target = r.stmts?.[0]?.stmt?.SelectStmt?.targetList?.[0]?.ResTarget?.val
    return target?.TypeCast?.typeName
  } catch {
    return undefined
  }
}

/** Byte → character offsets and character offset → line/column for one text. */
function positions(sql: string) {
  const lineStarts = [0]
  for (let i = sql.indexOf('\n'); i !== -1; i = sql.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const ascii = Buffer.byteLength(sql, 'utf8') === sql.length
  let byteToChar: Int32Array | undefined
  const char = (b: number): number => {
    if (ascii) return Math.min(b, sql.length)
    if (!byteToChar) {
      const bytes = Buffer.byteLength(sql, 'utf8')
      byteToChar = new Int32Array(bytes + 1)
      let bi = 0
      for (let ci = 0; ci < sql.length; ci++) {
        const cp = sql.codePointAt(ci) as number
        const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
        for (let k = 0; k < n; k++) byteToChar[bi + k] = ci
        bi += n
        if (cp >= 0x10000) ci++
      }
      byteToChar[bytes] = sql.length
    }
    return byteToChar[Math.min(Math.max(0, b), byteToChar.length - 1)]
  }
  const lineCol = (c: number): { line: number; column: number } => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid] <= c) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: c - lineStarts[lo] + 1 }
  }
  return { char, lineCol }
}

/** The first offset in [from, to) that is neither whitespace, `;` nor part of a comment. */
function skipComments(s: string, from: number, to: number): number {
  let i = from
  while (i < to) {
    const ch = s[i]
    if (/\s/.test(ch) || ch === ';') i++
    else if (s.startsWith('--', i)) i = commentEnd(s, i)
    else if (s.startsWith('/*', i)) i = blockCommentEnd(s, i)
    else break
  }
  return i
}

/** End of a `--` comment starting at i: PostgreSQL ends it at `\n` or `\r`. */
function commentEnd(s: string, i: number): number {
  for (let k = i; k < s.length; k++) if (s[k] === '\n' || s[k] === '\r') return k
  return s.length
}


/** The `--` comments in s[from, to), text made only of comments, blanks and `;`. */
function lineComments(s: string, from: number, to: number, pos: { lineCol(c: number): { line: number; column: number } }): LineComment[] {
  const out: LineComment[] = []
  let i = from
  while (i < to) {
    if (s.startsWith('--', i)) {
      const e = Math.min(commentEnd(s, i), to)
      out.push({ text: s.slice(i, e).trim(), ...pos.lineCol(i) })
      i = e
    } else if (s.startsWith('/*', i)) i = blockCommentEnd(s, i)
    else i++
  }
  return out
}
