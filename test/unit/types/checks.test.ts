/** Check expressions a row validator can enforce, in the definitions' spelling and in Postgres'; exact decimal limits. */
import { describe, expect, it } from 'vitest'
import { checkRules } from '../../../src/types/checks.js'
import { compareDecimal, fitsNumeric, parseDecimal } from '../../../src/types/decimal.js'

const rule = (text: string) => checkRules(text).map((r) => ({ column: r.column, casts: r.casts, ...r.rule }))

describe('checkRules', () => {
  it('reads comparisons with constants, as written and as Postgres prints them', () => {
    expect(rule('"price" > 0')).toEqual([{ column: 'price', casts: [], kind: 'compare', op: '>', value: { number: '0' } }])
    expect(rule('(price > (0)::numeric)')).toEqual(rule('price > 0'))
    expect(rule("(n > '-1'::integer)")).toEqual([{ column: 'n', casts: [], kind: 'compare', op: '>', value: { number: '-1' } }])
    expect(rule('n>-1')).toEqual(rule("(n > '-1'::integer)"))
    expect(rule('0 < n')).toEqual([{ column: 'n', casts: [], kind: 'compare', op: '>', value: { number: '0' } }])
    expect(rule('"Weird Name" <> 3')).toEqual([{ column: 'Weird Name', casts: [], kind: 'compare', op: '<>', value: { number: '3' } }])
  })

  it('splits top-level AND, keeps BETWEEN whole, reads IN lists and = ANY (ARRAY[…])', () => {
    expect(rule('CHECK ((amount >= 0) AND (amount <= 100))')).toEqual(rule('amount BETWEEN 0 AND 100'))
    expect(rule("status IN ('a', 'b')")).toEqual([{ column: 'status', casts: [], kind: 'in', values: [{ string: 'a' }, { string: 'b' }], negated: false }])
    expect(rule("((status)::text = ANY ((ARRAY['draft'::character varying, 'live'::character varying])::text[]))")).toEqual([
      { column: 'status', casts: ['text'], kind: 'in', values: [{ string: 'draft' }, { string: 'live' }], negated: false },
    ])
    expect(rule("(kind = ANY (ARRAY['x'::app.kind, 'y'::app.kind]))")[0]).toMatchObject({ kind: 'in', values: [{ string: 'x' }, { string: 'y' }] })
    expect(rule('x <> ALL (ARRAY[1, 2])')[0]).toMatchObject({ kind: 'in', negated: true })
    expect(rule("x NOT IN ('a')")[0]).toMatchObject({ kind: 'in', negated: true })
  })

  it('reads lengths and IS NOT NULL', () => {
    expect(rule('(char_length((name)::text) <= 100)')).toEqual([{ column: 'name', casts: ['text'], kind: 'compare', op: '<=', value: { number: '100' }, measure: 'characters' }])
    expect(rule('octet_length(b) < 10')[0]).toMatchObject({ measure: 'octets' })
    expect(rule('x IS NOT NULL')).toEqual([{ column: 'x', casts: [], kind: 'notNull' }])
  })

  it('keeps the parts it reads and leaves the rest to the database', () => {
    expect(rule("a > 0 AND b ~ '^x' AND c > d")).toEqual([{ column: 'a', casts: [], kind: 'compare', op: '>', value: { number: '0' } }])
    for (const text of ['a > b', 'price * 2 > 0', "x ~ '^a'", '(a > 0) OR (a < -5)', 'lower(x) = x', "x IN ('a', NULL)", "x = 'a' COLLATE \"C\"", 't.a > 0', 'a > 0::text'])
      expect(rule(text), text).toEqual([])
    // text it cannot tokenise with certainty is not read at all
    expect(rule("e = E'a\\'b' AND n > 0")).toEqual([])
    expect(rule('n > 0 AND $$x$$ = m')).toEqual([])
  })
})

describe('decimal', () => {
  const d = (s: string) => parseDecimal(s)!
  it('compares as numeric does: NaN above everything', () => {
    expect(compareDecimal(d('10'), d('9.99'))).toBe(1)
    expect(compareDecimal(d('-1e2'), d('-99'))).toBe(-1)
    expect(compareDecimal(d('0.000'), d('-0'))).toBe(0)
    expect(compareDecimal(d('NaN'), d('Infinity'))).toBe(1)
    expect(compareDecimal(d('-Infinity'), d('-1e100'))).toBe(-1)
    expect(parseDecimal('1.2.3')).toBeUndefined()
    expect(parseDecimal('.')).toBeUndefined()
  })
  it('fits numeric(p, s) after rounding half away from zero', () => {
    expect(fitsNumeric(d('99999999.994'), 10, 2)).toBe(true)
    expect(fitsNumeric(d('99999999.995'), 10, 2)).toBe(false)
    expect(fitsNumeric(d('-99999999.995'), 10, 2)).toBe(false)
    expect(fitsNumeric(d('0.006'), 2, 2)).toBe(true)
    expect(fitsNumeric(d('0.996'), 2, 2)).toBe(false)
    expect(fitsNumeric(d('499'), 2, -3)).toBe(true)
    expect(fitsNumeric(d('99499'), 2, -3)).toBe(true)
    expect(fitsNumeric(d('99500'), 2, -3)).toBe(false)
    expect(fitsNumeric(d('0.0012'), 3, 5)).toBe(true)
    expect(fitsNumeric(d('0.012'), 3, 5)).toBe(false)
    expect(fitsNumeric(d('NaN'), 3, 1)).toBe(true)
    expect(fitsNumeric(d('Infinity'), 3, 1)).toBe(false)
  })
})
