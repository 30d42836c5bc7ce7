/**
 * Decimal text as Postgres' numeric reads it, compared exactly: the values of numeric and of
 * `bigint({ mode: 'string' })` columns, and the constants of the checks on them. Pure.
 */

/** A parsed decimal: NaN, ±Infinity, or a finite value as its digits around the point. */
export type Decimal =
  | { readonly kind: 'nan' }
  | { readonly kind: 'inf'; readonly sign: 1 | -1 }
  /** `int` has no leading zeros, `frac` no trailing zeros; both empty for zero. */
  | { readonly kind: 'finite'; readonly sign: -1 | 0 | 1; readonly int: string; readonly frac: string }

/** Parses what numeric input accepts (`12.5`, `-.5`, `1e3`, `NaN`, `Infinity`), or undefined. */
export function parseDecimal(text: string): Decimal | undefined {
  const t = text.trim()
  if (/^nan$/i.test(t)) return { kind: 'nan' }
  const inf = /^([+-])?(?:inf|infinity)$/i.exec(t)
  if (inf) return { kind: 'inf', sign: inf[1] === '-' ? -1 : 1 }
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t)
  if (!m || (!m[2] && !m[3])) return undefined
  const exp = m[4] ? Number(m[4]) : 0
  if (Math.abs(exp) > 200_000) return undefined
  const digits = (m[2] ?? '') + (m[3] ?? '')
  const point = (m[2] ?? '').length + exp
  let int: string
  let frac: string
  if (point <= 0) {
    int = ''
    frac = '0'.repeat(-point) + digits
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length)
    frac = ''
  } else {
    int = digits.slice(0, point)
    frac = digits.slice(point)
  }
  int = int.replace(/^0+/, '')
  frac = frac.replace(/0+$/, '')
  const zero = !int && !frac
  return { kind: 'finite', sign: zero ? 0 : m[1] === '-' ? -1 : 1, int, frac }
}

/** Postgres' order for numeric: -Infinity < finite values < Infinity < NaN (NaN equals NaN). */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const rank = (d: Decimal) => (d.kind === 'nan' ? 3 : d.kind === 'inf' ? (d.sign > 0 ? 2 : 0) : 1)
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb || ra !== 1) return Math.sign(ra - rb)
  const x = a as Extract<Decimal, { kind: 'finite' }>
  const y = b as Extract<Decimal, { kind: 'finite' }>
  if (x.sign !== y.sign) return Math.sign(x.sign - y.sign)
  let mag = x.int.length - y.int.length
  if (mag === 0) mag = x.int < y.int ? -1 : x.int > y.int ? 1 : 0
  if (mag === 0) {
    const n = Math.max(x.frac.length, y.frac.length)
    const fx = x.frac.padEnd(n, '0')
    const fy = y.frac.padEnd(n, '0')
    mag = fx < fy ? -1 : fx > fy ? 1 : 0
  }
  return Math.sign(mag) * x.sign
}

/**
 * Whether numeric(precision, scale) stores the value: rounded half away from zero to `scale`
 * digits after the point, it may have at most `precision` digits; NaN fits, infinity does not.
 */
export function fitsNumeric(d: Decimal, precision: number, scale: number): boolean {
  if (d.kind === 'nan') return true
  if (d.kind === 'inf') return false
  if (d.sign === 0) return true
  // the value times 10^scale, as digits, and the first digit dropped by rounding
  const all = d.int + d.frac
  const cut = d.int.length + scale
  let kept: string
  let next: string
  if (cut <= 0) {
    kept = ''
    next = cut === 0 ? (all[0] ?? '0') : '0'
  } else {
    kept = all.slice(0, cut).padEnd(cut, '0')
    next = all[cut] ?? '0'
  }
  kept = kept.replace(/^0+/, '')
  let length = kept.length
  if (next >= '5' && /^9*$/.test(kept)) length += 1 // 99.5 → 100: one digit more
  return length <= precision
}

/** A JavaScript number as numeric input text (`String()` may use an exponent, which numeric accepts). */
export function decimalOfNumber(n: number): Decimal | undefined {
  if (Number.isNaN(n)) return { kind: 'nan' }
  if (!Number.isFinite(n)) return { kind: 'inf', sign: n > 0 ? 1 : -1 }
  return parseDecimal(String(n))
}
