/**
 * Reading parts of one statement back as text: the parser gives each node a start (a byte offset)
 * but no end, so a part is found among the statement's tokens (PostgreSQL's own scanner: strings,
 * quoted names and comments are single tokens) by the grammar around it, `CHECK ( … )`,
 * `USING <expr>` up to the next `,`, and then checked: the text must parse back into exactly the
 * node the statement holds (locations aside). A part that does not is never used.
 */
import { parseSync, scanSync } from 'libpg-query'
import type { Node } from '../lint/source.js'

export interface Token {
  /** Byte offsets into the statement's UTF-8 text. */
  readonly start: number
  readonly end: number
  readonly text: string
  /** Lower case for keywords and plain identifiers (what the grammar compares). */
  readonly word: string
  /** Parenthesis/bracket depth before this token. */
  readonly depth: number
}

/** One statement's text and tokens. */
export class StatementText {
  readonly bytes: Buffer
  readonly tokens: readonly Token[]

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8')
    const raw = scanSync(text).tokens as Array<{ start: number; end: number; text: string; tokenName: string }>
    let depth = 0
    const tokens: Token[] = []
    for (const t of raw) {
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue
      if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1)
      const word = t.text.startsWith('"') ? t.text : t.text.toLowerCase()
      tokens.push({ start: t.start, end: t.end, text: t.text, word, depth })
      if (t.text === '(' || t.text === '[') depth++
    }
    this.tokens = tokens
  }

  /** The text between two byte offsets. */
  slice(from: number, to: number): string {
    return this.bytes.subarray(from, to).toString('utf8').trim()
  }

  /** Index of the first token starting at or after byte `offset`. */
  at(offset: number): number {
    const i = this.tokens.findIndex((t) => t.start >= offset)
    return i === -1 ? this.tokens.length : i
  }

  /** Index of the first token from `from` whose word is `word`, at the depth of token `from`, before `to`. */
  find(word: string, from: number, to = this.tokens.length, depth = this.tokens[from]?.depth ?? 0): number {
    for (let i = from; i < to; i++) {
      const t = this.tokens[i]
      if (t.depth < depth) return -1
      if (t.depth === depth && t.word === word) return i
    }
    return -1
  }

  /** Index of the `)` closing the `(` at `open`, or -1. */
  close(open: number): number {
    const d = this.tokens[open]?.depth
    for (let i = open + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i]
      if (t.depth === d && (t.text === ')' || t.text === ']')) return i
    }
    return -1
  }

  /** The text of tokens [from, to). */
  text_(from: number, to: number): string {
    if (from >= to) return ''
    return this.slice(this.tokens[from].start, this.tokens[to - 1].end)
  }

  /** The text inside the parentheses opened at `open`, or undefined. */
  inside(open: number): string | undefined {
    if (this.tokens[open]?.text !== '(') return undefined
    const c = this.close(open)
    return c === -1 ? undefined : this.text_(open + 1, c)
  }

  /** The token ranges between `,` at the depth just inside the group opened at `open`. */
  items(open: number): Array<[number, number]> {
    const c = this.close(open)
    if (c === -1) return []
    const d = this.tokens[open].depth + 1
    const out: Array<[number, number]> = []
    let from = open + 1
    for (let i = open + 1; i < c; i++) {
      if (this.tokens[i].depth === d && this.tokens[i].text === ',') {
        out.push([from, i])
        from = i + 1
      }
    }
    out.push([from, c])
    return out
  }
}

const dropLocations = (tree: unknown): string =>
  JSON.stringify(tree, (k, v: unknown) => (k === 'location' || k === 'stmt_location' || k === 'stmt_len' ? undefined : v))

/** The expression node of `SELECT (<text>)`, or undefined when the text is not exactly one expression. */
export function parseExpression(text: string): Node | undefined {
  if (!text || /;/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) return undefined
  try {
    const r = parseSync(`SELECT (${text}\n)`) as { stmts?: Array<{ stmt: Node }> }
    if (r.stmts?.length !== 1) return undefined
    const sel = r.stmts[0].stmt.SelectStmt
    if (!sel || sel.targetList?.length !== 1 || sel.fromClause || sel.whereClause) return undefined
    return sel.targetList[0].ResTarget?.val
  } catch {
    return undefined
  }
}

/** True when `text` parses into the same tree as `node` (locations aside). */
export function sameExpression(text: string | undefined, node: Node | undefined): text is string {
  if (text === undefined || node === undefined) return false
  const parsed = parseExpression(text)
  return parsed !== undefined && dropLocations(parsed) === dropLocations(node)
}

/**
 * The text of an index element's expression in tokens [from, to): `(expr)` or a function-like
 * call `f(…)` (what CREATE INDEX and EXCLUDE accept), followed by collation, operator class and
 * ordering, which are left out. Undefined unless it reads back as `node`.
 */
export function elementExpression(st: StatementText, from: number, to: number, node: Node): string | undefined {
  const first = st.tokens[from]
  if (!first) return undefined
  if (first.text === '(') {
    const c = st.close(from)
    const text = c === -1 || c >= to ? undefined : st.text_(from + 1, c)
    return sameExpression(text, node) ? text : undefined
  }
  // a call: everything up to the parenthesis group that closes its arguments; else try growing prefixes
  const open = st.tokens.findIndex((t, i) => i >= from && i < to && t.text === '(')
  if (open !== -1) {
    const c = st.close(open)
    const text = c === -1 || c >= to ? undefined : st.text_(from, c + 1)
    if (sameExpression(text, node)) return text
  }
  for (let end = from + 1; end <= to; end++) {
    const text = st.text_(from, end)
    if (sameExpression(text, node)) return text
  }
  return undefined
}
