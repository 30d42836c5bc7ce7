/**
 * Recognises the CHECK constraints a row validator can enforce exactly. A check's text, as written
 * in the definitions (`"price" > 0`) or as Postgres prints it (`(price > (0)::numeric)`), is split
 * into its top-level AND parts; each part that compares one column (or its length) with constants
 * becomes a rule. Whatever else a part says (two columns, functions, OR, regular expressions,
 * casts that change the value) leaves that part to the database. Pure.
 *
 * A part that is false makes the whole check false whatever the other parts are, so enforcing the
 * recognised parts alone never refuses a row Postgres would take.
 */

/** A constant in a check: a number (kept as its decimal text) or a string. */
export type CheckConstant = { readonly number: string } | { readonly string: string }

/** What a column's value (or its length) must satisfy. */
export type ColumnRule =
  | {
      readonly kind: 'compare'
      readonly op: '<' | '<=' | '>' | '>=' | '=' | '<>'
      readonly value: CheckConstant
      /** Compare the value's length in characters (`length`, `char_length`) or bytes (`octet_length`). */
      readonly measure?: 'characters' | 'octets'
    }
  | { readonly kind: 'in'; readonly values: readonly CheckConstant[]; readonly negated: boolean; readonly measure?: 'characters' | 'octets' }
  | { readonly kind: 'notNull' }

/** One recognised part of a check. */
export interface CheckRule {
  /** The column's SQL name. */
  readonly column: string
  /** Casts applied to the column before comparing (`text`, `character varying`); the caller judges them. */
  readonly casts: readonly string[]
  readonly rule: ColumnRule
}

type Token =
  | { readonly t: 'ident'; readonly v: string; readonly quoted: boolean }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }

const OP_CHARS = '+-*/<>=~!@#%^&|`?'
const KNOWN_OPS = new Set(['<', '<=', '>', '>=', '=', '<>', '!=', '-', '+'])

/** Tokens of an expression, or undefined for text whose tokens this reader cannot be sure of. */
function tokenize(text: string): Token[] | undefined {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === '"' || c === "'") {
      // a quoted identifier or a string (standard_conforming_strings: a backslash is an ordinary character)
      let v = ''
      i++
      for (;;) {
        if (i >= text.length) return undefined
        if (text[i] === c) {
          if (text[i + 1] === c) {
            v += c
            i += 2
            continue
          }
          i++
          break
        }
        v += text[i++]
      }
      out.push(c === '"' ? { t: 'ident', v, quoted: true } : { t: 'str', v })
      continue
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))
    if (num) {
      if (/^[A-Za-z_]/.test(text.slice(i + num[0].length))) return undefined
      out.push({ t: 'num', v: num[0] })
      i += num[0].length
      continue
    }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i))
    if (word) {
      // E'…', U&'…', B'…' and X'…' strings have other rules
      if (text[i + word[0].length] === "'" || text[i + word[0].length] === '&') return undefined
      out.push({ t: 'ident', v: word[0].toLowerCase(), quoted: false })
      i += word[0].length
      continue
    }
    if (c === '$') return undefined // dollar quoting or a parameter
    if (c === ':' && text[i + 1] === ':') {
      out.push({ t: 'op', v: '::' })
      i += 2
      continue
    }
    if (OP_CHARS.includes(c)) {
      // Postgres' rule: the longest run of operator characters, less a trailing + or - unless the
      // run holds one of ~ ! @ # % ^ & | ` ?
      let run = /^[+\-*/<>=~!@#%^&|`?]+/.exec(text.slice(i))![0]
      if (run.includes('--') || run.includes('/*')) return undefined
      if (run.length > 1 && !/[~!@#%^&|`?]/.test(run)) run = run.replace(/[+-]+$/, '') || run[0]
      out.push({ t: 'op', v: KNOWN_OPS.has(run) ? (run === '!=' ? '<>' : run) : `?${run}` })
      i += run.length
      continue
    }
    out.push({ t: 'op', v: c === '(' || c === ')' || c === '[' || c === ']' || c === ',' ? c : `?${c}` })
    i++
  }
  return out
}

const isKw = (tok: Token | undefined, kw: string): boolean => tok?.t === 'ident' && !tok.quoted && tok.v === kw
const isOp = (tok: Token | undefined, op: string): boolean => tok?.t === 'op' && tok.v === op

/** The index of the parenthesis closing the one at `open`, or -1. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const tok = tokens[i]
    if (isOp(tok, '(') || isOp(tok, '[')) depth++
    else if (isOp(tok, ')') || isOp(tok, ']')) {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

function stripParens(tokens: readonly Token[]): readonly Token[] {
  let t = tokens
  while (t.length >= 2 && isOp(t[0], '(') && closing(t, 0) === t.length - 1) t = t.slice(1, -1)
  return t
}

/** Top-level AND parts (the AND of a BETWEEN stays inside its part), parentheses stripped, recursively. */
function conjuncts(tokens: readonly Token[]): (readonly Token[])[] {
  const t = stripParens(tokens)
  const parts: Token[][] = [[]]
  let depth = 0
  let between = false
  for (const tok of t) {
    if (isOp(tok, '(') || isOp(tok, '[')) depth++
    if (isOp(tok, ')') || isOp(tok, ']')) depth--
    if (depth === 0 && isKw(tok, 'between')) between = true
    if (depth === 0 && isKw(tok, 'and')) {
      if (between) between = false
      else {
        parts.push([])
        continue
      }
    }
    parts[parts.length - 1].push(tok)
  }
  if (parts.length === 1) return [t]
  return parts.flatMap((p) => conjuncts(p))
}

const NUMERIC_TYPES = new Set([
  'smallint', 'integer', 'int', 'int2', 'int4', 'int8', 'bigint', 'numeric', 'decimal', 'real', 'float4', 'float8', 'double precision',
])
const STOP_WORDS = new Set(['and', 'or', 'not', 'is', 'in', 'between', 'any', 'all', 'some', 'like', 'ilike', 'similar', 'collate', 'escape'])

type Operand =
  | { readonly kind: 'column'; readonly name: string; readonly casts: string[]; readonly measure?: 'characters' | 'octets' }
  | { readonly kind: 'constant'; readonly value: CheckConstant }

class Parser {
  i = 0
  constructor(readonly tokens: readonly Token[]) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k]
  }

  /** A type name after `::`: words (`double precision`, `app.tier`), a modifier `(n)`, `[]`. */
  typeName(): string | undefined {
    const words: string[] = []
    for (;;) {
      const tok = this.peek()
      if (tok?.t !== 'ident' || (!tok.quoted && STOP_WORDS.has(tok.v))) break
      let word = tok.v
      this.i++
      // a qualified name, `app.tier`
      while (isOp(this.peek(), '?.') && this.peek(1)?.t === 'ident') {
        word += `.${(this.peek(1) as { v: string }).v}`
        this.i += 2
      }
      words.push(word)
    }
    if (!words.length) return undefined
    if (isOp(this.peek(), '(')) {
      const end = closing(this.tokens, this.i)
      if (end < 0) return undefined
      this.i = end + 1
    }
    let array = ''
    while (isOp(this.peek(), '[') && isOp(this.peek(1), ']')) {
      this.i += 2
      array += '[]'
    }
    return words.join(' ') + array
  }

  casts(): string[] | undefined {
    const out: string[] = []
    while (isOp(this.peek(), '::')) {
      this.i++
      const type = this.typeName()
      if (!type) return undefined
      out.push(type)
    }
    return out
  }

  /** A constant: a number (with a sign), a string, either possibly cast and in parentheses. */
  constant(v: CheckConstant, casts: readonly string[]): CheckConstant | undefined {
    let value = v
    for (const type of casts) {
      if (NUMERIC_TYPES.has(type)) {
        const text = 'number' in value ? value.number : value.string.trim()
        if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text)) return undefined
        value = { number: text.replace(/^\+/, '') }
      } else if ('number' in value || /\[\]$/.test(type)) {
        return undefined
      }
      // a string cast to text, varchar, an enum…: the same characters (the caller compares only
      // with string columns, and an invalid enum label is the database's error anyway)
    }
    return value
  }

  operand(): Operand | undefined {
    const tok = this.peek()
    let op: Operand | undefined
    if (isOp(tok, '(')) {
      this.i++
      op = this.operand()
      if (!op || !isOp(this.peek(), ')')) return undefined
      this.i++
    } else if (isOp(tok, '-') || isOp(tok, '+')) {
      const n = this.peek(1)
      if (n?.t !== 'num') return undefined
      this.i += 2
      op = { kind: 'constant', value: { number: (tok!.v === '-' ? '-' : '') + n.v } }
    } else if (tok?.t === 'num') {
      this.i++
      op = { kind: 'constant', value: { number: tok.v } }
    } else if (tok?.t === 'str') {
      this.i++
      op = { kind: 'constant', value: { string: tok.v } }
    } else if (tok?.t === 'ident') {
      if (!tok.quoted && ['length', 'char_length', 'character_length', 'octet_length'].includes(tok.v) && isOp(this.peek(1), '(')) {
        this.i += 2
        const arg = this.operand()
        if (arg?.kind !== 'column' || arg.measure || !isOp(this.peek(), ')')) return undefined
        this.i++
        op = { kind: 'column', name: arg.name, casts: [...arg.casts], measure: tok.v === 'octet_length' ? 'octets' : 'characters' }
      } else {
        if (!tok.quoted && (STOP_WORDS.has(tok.v) || ['null', 'true', 'false', 'array', 'value'].includes(tok.v))) return undefined
        if (isOp(this.peek(1), '(')) return undefined
        this.i++
        op = { kind: 'column', name: tok.v, casts: [] }
      }
    } else return undefined
    const casts = this.casts()
    if (!casts) return undefined
    if (op.kind === 'constant') {
      const value = this.constant(op.value, casts)
      return value ? { kind: 'constant', value } : undefined
    }
    if (op.measure && casts.length) return undefined
    return { ...op, casts: [...op.casts, ...casts] }
  }

  /** `ARRAY[c, …]` possibly cast and parenthesised, or `(c, …)` after IN. */
  list(afterIn: boolean): CheckConstant[] | undefined {
    if (isOp(this.peek(), '(') && !afterIn) {
      this.i++
      const inner = this.list(false)
      if (!inner || !isOp(this.peek(), ')')) return undefined
      this.i++
      const casts = this.casts()
      if (!casts) return undefined
      return this.castAll(inner, casts)
    }
    let close: string
    if (afterIn) {
      if (!isOp(this.peek(), '(')) return undefined
      close = ')'
    } else {
      if (!isKw(this.peek(), 'array') || !isOp(this.peek(1), '[')) return undefined
      this.i++
      close = ']'
    }
    this.i++
    const values: CheckConstant[] = []
    for (;;) {
      const c = this.operand()
      if (c?.kind !== 'constant') return undefined
      values.push(c.value)
      if (isOp(this.peek(), ',')) {
        this.i++
        continue
      }
      if (!isOp(this.peek(), close)) return undefined
      this.i++
      break
    }
    if (afterIn) return values
    const casts = this.casts()
    if (!casts) return undefined
    return this.castAll(values, casts)
  }

  castAll(values: CheckConstant[], casts: readonly string[]): CheckConstant[] | undefined {
    const elementCasts = casts.map((c) => c.replace(/\[\]$/, ''))
    const out: CheckConstant[] = []
    for (const v of values) {
      const c = this.constant(v, elementCasts)
      if (!c) return undefined
      out.push(c)
    }
    return out
  }

  done(): boolean {
    return this.i === this.tokens.length
  }
}

type ColumnCompareOp = '<' | '<=' | '>' | '>=' | '=' | '<>'
const FLIP: Record<string, ColumnCompareOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' }

function rulesOf(part: readonly Token[]): CheckRule[] | undefined {
  const p = new Parser(part)
  const left = p.operand()
  if (!left) return undefined
  const tok = p.peek()
  // column IS NOT NULL
  if (isKw(tok, 'is') && isKw(p.peek(1), 'not') && isKw(p.peek(2), 'null') && p.tokens.length === p.i + 3) {
    return left.kind === 'column' && !left.measure && !left.casts.length ? [{ column: left.name, casts: [], rule: { kind: 'notNull' } }] : undefined
  }
  if (left.kind !== 'column') {
    // constant op column
    if (tok?.t !== 'op' || !(tok.v in FLIP)) return undefined
    p.i++
    const right = p.operand()
    if (right?.kind !== 'column' || !p.done()) return undefined
    return [{ column: right.name, casts: right.casts, rule: { kind: 'compare', op: FLIP[tok.v], value: left.value, ...measure(right) } }]
  }
  // column [NOT] IN (…)
  const negated = isKw(tok, 'not') && isKw(p.peek(1), 'in')
  if (isKw(tok, 'in') || negated) {
    p.i += negated ? 2 : 1
    const values = p.list(true)
    if (!values || !p.done()) return undefined
    return [{ column: left.name, casts: left.casts, rule: { kind: 'in', values, negated, ...measure(left) } }]
  }
  // column BETWEEN a AND b
  if (isKw(tok, 'between')) {
    p.i++
    const lo = p.operand()
    if (lo?.kind !== 'constant' || !isKw(p.peek(), 'and')) return undefined
    p.i++
    const hi = p.operand()
    if (hi?.kind !== 'constant' || !p.done()) return undefined
    return [
      { column: left.name, casts: left.casts, rule: { kind: 'compare', op: '>=', value: lo.value, ...measure(left) } },
      { column: left.name, casts: left.casts, rule: { kind: 'compare', op: '<=', value: hi.value, ...measure(left) } },
    ]
  }
  if (tok?.t !== 'op' || !(tok.v in FLIP)) return undefined
  p.i++
  // column = ANY (ARRAY[…]) / column <> ALL (ARRAY[…])
  const quant = p.peek()
  if ((tok.v === '=' && isKw(quant, 'any')) || (tok.v === '<>' && isKw(quant, 'all'))) {
    p.i++
    if (!isOp(p.peek(), '(')) return undefined
    p.i++
    const values = p.list(false)
    if (!values || !isOp(p.peek(), ')')) return undefined
    p.i++
    if (!p.done()) return undefined
    return [{ column: left.name, casts: left.casts, rule: { kind: 'in', values, negated: tok.v === '<>', ...measure(left) } }]
  }
  const right = p.operand()
  if (right?.kind !== 'constant' || !p.done()) return undefined
  return [{ column: left.name, casts: left.casts, rule: { kind: 'compare', op: tok.v as ColumnCompareOp, value: right.value, ...measure(left) } }]
}

function measure(o: Operand): { measure?: 'characters' | 'octets' } {
  return o.kind === 'column' && o.measure ? { measure: o.measure } : {}
}

/** The rules in one CHECK expression (with or without `CHECK (…)` around it). */
export function checkRules(expression: string): CheckRule[] {
  const text = expression.trim().replace(/^check\s*(?=\()/i, '').replace(/\s+NOT\s+VALID\s*$/i, '')
  const tokens = tokenize(text)
  if (!tokens) return []
  return conjuncts(tokens).flatMap((part) => rulesOf(part) ?? [])
}
