/**
 * Expression text written back to PostgreSQL so that it is printed back the same way.
 *
 * The model holds expressions as `pg_get_expr()` prints them, and most of that text reads back
 * into the same tree. One shape does not: `status IN ('a', 'b')` over a varchar column is stored
 * with the array coerced implicitly and printed as
 * `((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))`; applied
 * as it is, that cast is explicit, which PostgreSQL pushes into the elements
 * (`ARRAY[('a'::character varying)::text, …]`), a different catalog text. Without the cast the
 * operator coerces the array again, exactly as it did the first time, and the text is stable.
 *
 * `stableExpression()` drops that cast: `op ANY|ALL ((ARRAY[…])::type[])` → `op ANY|ALL (ARRAY[…])`.
 * Pure text work over a small lexer (string literals, quoted identifiers); text it does not
 * understand (comments, unbalanced brackets) is returned unchanged.
 */

interface Token {
  readonly text: string
  readonly start: number
  readonly end: number
}

/** Tokens of `text`, or undefined when it holds what the lexer does not read (comments, open quotes). */
function lex(text: string): Token[] | undefined {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const start = i
    if (c === "'" || ((c === 'E' || c === 'e') && text[i + 1] === "'")) {
      const escapes = c !== "'"
      i = escapes ? i + 2 : i + 1
      for (;;) {
        if (i >= text.length) return undefined
        if (escapes && text[i] === '\\') i += 2
        else if (text[i] === "'" && text[i + 1] === "'") i += 2
        else if (text[i] === "'") break
        else i++
      }
      i++
    } else if (c === '"') {
      i++
      for (;;) {
        if (i >= text.length) return undefined
        if (text[i] === '"' && text[i + 1] === '"') i += 2
        else if (text[i] === '"') break
        else i++
      }
      i++
    } else if (/[\p{L}\p{N}_$]/u.test(c)) {
      while (i < text.length && /[\p{L}\p{N}_$.]/u.test(text[i]!)) i++
    } else if (c === ':' && text[i + 1] === ':') {
      i += 2
    } else if ('()[],'.includes(c)) {
      i++
    } else {
      if ((c === '-' && text[i + 1] === '-') || (c === '/' && text[i + 1] === '*')) return undefined
      while (i < text.length && '+-*/<>=~!@#%^&|`?'.includes(text[i]!)) {
        if ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*')) return undefined
        i++
      }
      if (i === start) i++
    }
    tokens.push({ text: text.slice(start, i), start, end: i })
  }
  return tokens
}

/** Index of the token closing the bracket opened at `open`, or -1. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!.text
    if (t === '(' || t === '[') depth++
    else if (t === ')' || t === ']') {
      depth--
      if (depth === 0) return j
      if (depth < 0) return -1
    }
  }
  return -1
}

/** `text` with every implicit array coercion of an `ANY`/`ALL` operand written as the bare array (see above). */
export function stableExpression(text: string): string {
  if (!/ARRAY\[/i.test(text) || !/\b(ANY|ALL)\b/i.test(text)) return text
  const tokens = lex(text)
  if (!tokens) return text
  let out = ''
  let copied = 0
  for (let i = 0; i + 4 < tokens.length; i++) {
    const kw = tokens[i]!.text.toUpperCase()
    if (kw !== 'ANY' && kw !== 'ALL') continue
    const [p1, p2, arr, lb] = [tokens[i + 1]!, tokens[i + 2]!, tokens[i + 3]!, tokens[i + 4]!]
    if (p1.text !== '(' || p2.text !== '(' || arr.text.toUpperCase() !== 'ARRAY' || lb.text !== '[') continue
    const rb = closing(tokens, i + 4)
    const p2close = closing(tokens, i + 2)
    const p1close = closing(tokens, i + 1)
    if (rb < 0 || p2close !== rb + 1 || p1close < 0 || tokens[p2close + 1]?.text !== '::') continue
    // the cast's type ends in [] right before the closing parenthesis of ANY (…)
    if (tokens[p1close - 1]?.text !== ']' || tokens[p1close - 2]?.text !== '[' || p1close - 2 <= p2close + 1) continue
    const typeTokens = tokens.slice(p2close + 2, p1close - 2)
    if (typeTokens.some((t) => t.text === '[' || t.text === ']' || t.text === ',')) continue
    out += text.slice(copied, p2.start) + stableExpression(text.slice(arr.start, tokens[rb]!.end))
    copied = tokens[p1close]!.start
    i = p1close
  }
  return copied === 0 ? text : out + text.slice(copied)
}
