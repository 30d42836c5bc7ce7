/**
 * Classifies a column type change: whether Postgres can cast the old type to the new one by an
 * assignment cast (else a USING cast is needed), whether the table is rewritten, and whether values
 * may no longer fit (narrowing). Only builtin types are known; anything else is treated as a rewrite
 * that needs a USING cast.
 */

const INTEGERS: Record<string, number> = { smallint: 2, integer: 4, bigint: 8 }
const FLOATS: Record<string, number> = { real: 4, 'double precision': 8 }
const STRINGS = new Set(['text', 'character varying', 'character', 'name', 'citext'])
const DATETIMES = new Set(['date', 'timestamp without time zone', 'timestamp with time zone'])

interface ParsedType {
  readonly base: string
  readonly mods: readonly number[]
  readonly array: string
}

function parse(type: string): ParsedType {
  const m = /^(.*?)(\((\s*-?\d+\s*(?:,\s*-?\d+\s*)?)\))?((?:\[\])*)$/.exec(type.replace(/ with(out)? time zone/, ''))
  const tz = / with(out)? time zone/.exec(type)?.[0] ?? ''
  if (!m) return { base: type, mods: [], array: '' }
  let base = m[1].trim()
  if (base === 'timestamp' || base === 'time') base += tz
  return { base, mods: m[3] ? m[3].split(',').map((x) => Number(x.trim())) : [], array: m[4] ?? '' }
}

/** The result of classifying a type change. */
export interface TypeChangeInfo {
  readonly needsUsing: boolean
  readonly safety: 'safe' | 'rewrite' | 'narrowing'
}

function isNumeric(base: string): boolean {
  return base in INTEGERS || base in FLOATS || base === 'numeric'
}

/** True when an implicit or assignment cast exists from `from` to `to` (builtin types only). */
export function hasAssignmentCast(from: string, to: string): boolean {
  const a = parse(from)
  const b = parse(to)
  if (a.array !== b.array) return false
  if (a.base === b.base) return true
  if (STRINGS.has(b.base)) return true // every type has an assignment I/O cast to a string type
  if (isNumeric(a.base) && isNumeric(b.base)) return true
  if (DATETIMES.has(a.base) && DATETIMES.has(b.base)) return true
  if ((a.base === 'json' && b.base === 'jsonb') || (a.base === 'jsonb' && b.base === 'json')) return true
  if ((a.base === 'cidr' && b.base === 'inet') || (a.base === 'inet' && b.base === 'cidr')) return true
  if ((a.base === 'bit' && b.base === 'bit varying') || (a.base === 'bit varying' && b.base === 'bit')) return true
  return false
}

function widerOrEqualLength(a: ParsedType, b: ParsedType): boolean {
  // no modifier means unlimited
  if (b.mods.length === 0) return true
  if (a.mods.length === 0) return false
  return b.mods[0] >= a.mods[0]
}

/** Classifies changing a column from type `from` to type `to` (both in format_type() spelling). */
export function classifyTypeChange(from: string, to: string): TypeChangeInfo {
  const needsUsing = !hasAssignmentCast(from, to)
  const a = parse(from)
  const b = parse(to)
  const same = (safety: TypeChangeInfo['safety']): TypeChangeInfo => ({ needsUsing, safety })
  if (a.array !== b.array) return same('rewrite')
  const varlen = (t: string) => t === 'character varying' || t === 'text'
  if (varlen(a.base) && varlen(b.base)) {
    const aLen: ParsedType = a.base === 'text' ? { ...a, mods: [] } : a
    const bLen: ParsedType = b.base === 'text' ? { ...b, mods: [] } : b
    return same(widerOrEqualLength(aLen, bLen) ? 'safe' : 'narrowing')
  }
  if (a.base === 'character' && varlen(b.base)) return same(widerOrEqualLength(a, b) ? 'rewrite' : 'narrowing')
  if (varlen(a.base) && b.base === 'character') return same('narrowing')
  if (a.base === b.base && (a.base === 'bit varying' || a.base === 'character')) {
    return same(widerOrEqualLength(a, b) ? (a.base === 'character' ? 'rewrite' : 'safe') : 'narrowing')
  }
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.mods.length === 0) return same('safe')
    if (a.mods.length === 0) return same('narrowing')
    const [ap, as = 0] = a.mods
    const [bp, bs = 0] = b.mods
    if (bs === as && bp >= ap) return same('safe')
    if (bs >= as && bp - bs >= ap - as) return same('rewrite')
    return same('narrowing')
  }
  if (a.base in INTEGERS && b.base in INTEGERS) return same(INTEGERS[b.base] >= INTEGERS[a.base] ? 'rewrite' : 'narrowing')
  if (a.base in FLOATS && b.base in FLOATS) return same(FLOATS[b.base] >= FLOATS[a.base] ? 'rewrite' : 'narrowing')
  if (a.base in INTEGERS && (b.base === 'numeric' || b.base in FLOATS)) {
    if (b.base === 'numeric' && b.mods.length && b.mods[0] - (b.mods[1] ?? 0) < 19) return same('narrowing')
    if (b.base === 'real' || (b.base === 'double precision' && a.base === 'bigint')) return same('narrowing')
    return same('rewrite')
  }
  if ((a.base === 'numeric' || a.base in FLOATS) && (b.base in INTEGERS || b.base in FLOATS || b.base === 'numeric')) {
    return same('narrowing')
  }
  if (a.base === 'timestamp with time zone' && b.base === 'date') return same('narrowing')
  if (a.base === 'timestamp without time zone' && b.base === 'date') return same('narrowing')
  if (a.base === 'inet' && b.base === 'cidr') return same('narrowing')
  if (a.base === 'cidr' && b.base === 'inet') return same('safe')
  if (a.base === 'bit' && b.base === 'bit varying') return same(widerOrEqualLength(a, b) ? 'safe' : 'narrowing')
  // converting to a string type always keeps the value's text, other conversions may fail or lose it
  if (STRINGS.has(b.base)) return same(b.mods.length ? 'narrowing' : 'rewrite')
  return same('rewrite')
}
