/**
 * TypeScript source text for values taken from a database: string literals, `sql` template
 * literals whose cooked text is exactly the given SQL, object keys, member access, identifiers and
 * line comments. Every function here is exact: evaluating what it writes gives back its input.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** A string literal: single-quoted, or double-quoted when that saves escaping a quote. */
export function jsString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = q
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === q) out += `\\${q}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) out += hex4(ch)
    else out += ch
  }
  return out + q
}

/**
 * The body of a template literal whose cooked value is `s`: backslashes, backticks and `${`
 * escaped, carriage returns (which a template would read as newlines) and other control
 * characters written as escapes, lone surrogates (which UTF-8 cannot hold) as `\u` escapes.
 */
export function templateBody(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!
    const c = ch.charCodeAt(0)
    if (ch === '\\') out += '\\\\'
    else if (ch === '`') out += '\\`'
    else if (ch === '$' && s[i + 1] === '{') out += '\\$'
    else if (ch === '\r') out += '\\r'
    else if ((c < 0x20 && ch !== '\n' && ch !== '\t') || c === 0x7f) out += hex4(ch)
    else out += ch
  }
  return out.replace(LONE_SURROGATE, hex4)
}

/** `sql\`…\`` holding exactly `text`. */
export function sqlTemplate(text: string): string {
  return `sql\`${templateBody(text)}\``
}

const ID_START = /^[\p{ID_Start}$_]$/u
const ID_PART = /^[\p{ID_Continue}$\u200c\u200d]$/u

/** JavaScript's reserved words and the global names a module should not shadow. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval undefined NaN ' +
    'Infinity async of type as from'
  ).split(' '),
)

/** True when `name` can be written as a bare identifier (a binding name). */
export function isIdentifier(name: string): boolean {
  const chars = [...name]
  return chars.length > 0 && ID_START.test(chars[0]!) && chars.slice(1).every((c) => ID_PART.test(c)) && !RESERVED_WORDS.has(name)
}

/** True when `name` can be a bare property name (`obj.name`, `{ name: … }`). */
export function isPropertyName(name: string): boolean {
  const chars = [...name]
  return chars.length > 0 && ID_START.test(chars[0]!) && chars.slice(1).every((c) => ID_PART.test(c)) && name !== '__proto__'
}

/** An object literal key for `name`. */
export function propertyKey(name: string): string {
  return isPropertyName(name) ? name : jsString(name)
}

/** `obj.name` or `obj['odd name']`. */
export function member(obj: string, name: string): string {
  return isPropertyName(name) ? `${obj}.${name}` : `${obj}[${jsString(name)}]`
}

/** A valid identifier made from `name`: other characters become `_`, a leading digit gets one. */
export function toIdentifier(name: string): string {
  let out = ''
  for (const ch of name) out += ID_PART.test(ch) ? ch : '_'
  if (!out || !ID_START.test([...out][0]!)) out = `_${out}`
  return out
}

/** A JSON-like value as a TypeScript expression (objects with bare keys where possible). */
export function jsValue(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return jsString(v)
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(jsValue).join(', ')}]`
  const entries = Object.entries(v as Record<string, unknown>)
  if (!entries.length) return '{}'
  return `{ ${entries.map(([k, x]) => `${propertyKey(k)}: ${jsValue(x)}`).join(', ')} }`
}

/** A number or bigint literal for an integer given as text. */
export function integerText(s: string): string {
  const n = Number(s)
  return Number.isSafeInteger(n) && String(n) === s ? s : `${BigInt(s)}n`
}

/** `text` as `//` comment lines (line terminators JavaScript knows are escaped, so they cannot end a line early). */
export function lineComments(text: string, indent = ''): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029]/g, (c) => hex4(c))
    .replace(LONE_SURROGATE, hex4)
    .split('\n')
    .map((l) => `${indent}//${l ? ' ' + l : ''}`.trimEnd())
}
