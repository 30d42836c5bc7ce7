/**
 * Typed literal defaults rendered in the exact form `pg_get_expr()` prints them back (under
 * `search_path = pg_catalog`), so a model built from definitions equals the model inspected from
 * the database the definitions created. Each form below is a fixpoint: applying it and reading it
 * back yields the same text (verified against PostgreSQL 15 and PGlite in the tests).
 */

const INT4_MAX = 2147483647n

/** A SQL string literal as ruleutils prints it (quotes doubled; backslashes kept, standard strings). */
export function quoteText(s: string): string {
  return `'${s.replaceAll("'", "''")}'`
}

/** A JS number as a plain decimal string, never in exponent notation. */
export function decimalString(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`${n} is not a finite number`)
  const s = String(n)
  if (!/e/i.test(s)) return s === '-0' ? '0' : s
  const [mant, expPart] = s.toLowerCase().split('e')
  const exp = Number(expPart)
  const neg = mant.startsWith('-')
  const digits = mant.replace('-', '').replace('.', '')
  const intLen = mant.replace('-', '').split('.')[0].length
  const point = intLen + exp
  let out: string
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length)
  else out = digits.slice(0, point) + '.' + digits.slice(point)
  return (neg ? '-' : '') + out
}

/**
 * An integer default (smallint/integer/bigint): bare when it parses as a non-negative int4
 * constant, otherwise a typed string constant (`'-1'::integer`, `'9000000000'::bigint`).
 */
export function integerLiteral(value: number | bigint | string, type: string): string {
  const s = typeof value === 'number' ? decimalString(value) : String(value).trim()
  if (!/^-?\d+$/.test(s)) throw new RangeError(`${String(value)} is not an integer`)
  const big = BigInt(s)
  const text = big.toString()
  if (big >= 0n && big <= INT4_MAX) return text
  return `${quoteText(text)}::${type}`
}

/**
 * A numeric/real/double default: a non-negative value with a decimal point is a bare numeric
 * constant (`1.5`), a small non-negative integer a bare int4 (`0`), anything else a typed
 * numeric constant (`'-1.5'::numeric`); NaN and ±Infinity are constants of the column type.
 */
export function decimalLiteral(value: number | string, floatType?: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const word = Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
    return `${quoteText(word)}::${floatType ?? 'numeric'}`
  }
  const s = typeof value === 'number' ? decimalString(value) : value.trim()
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) throw new RangeError(`${String(value)} is not a decimal number`)
  const negative = s.startsWith('-')
  if (!negative && s.includes('.')) return /^\d/.test(s) ? s : `0${s}`
  if (!negative && BigInt(s) <= INT4_MAX) return BigInt(s).toString()
  return `${quoteText(negative && /^-0*\.?0*$/.test(s) ? '0' : s)}::numeric`
}

function jsonbString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0')
    else out += ch
  }
  return out + '"'
}

const utf8 = new TextEncoder()
function jsonbKeyOrder(a: string, b: string): number {
  const x = utf8.encode(a)
  const y = utf8.encode(b)
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return 0
}

/** A JSON value as `jsonb_out` prints it: keys ordered by length then bytes, `", "`/`": "` spacing. */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return decimalString(value)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return jsonbString(value)
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => jsonbKeyOrder(a, b))
    return `{${entries.map(([k, v]) => `${jsonbString(k)}: ${jsonbText(v)}`).join(', ')}}`
  }
  throw new TypeError(`cannot store ${typeof value} in jsonb`)
}

/** One element of an array literal, quoted as `array_out` does. */
export function arrayElement(text: string | null): string {
  if (text === null) return 'NULL'
  const needs = text === '' || /^null$/i.test(text) || /[{}",\\\s]/.test(text)
  if (!needs) return text
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

/** The text of `{a,b,c}` for a (possibly nested) array of already-formatted element texts. */
export function arrayText(values: readonly unknown[], element: (v: unknown) => string | null): string {
  return `{${values.map((v) => (Array.isArray(v) ? arrayText(v, element) : arrayElement(element(v)))).join(',')}}`
}
