/**
 * Postgres' own naming rules for objects created without an explicit name, so that the names the
 * DSL chooses are the ones `CREATE TABLE … (… UNIQUE (a))` would have chosen: `<table>_pkey`,
 * `<table>_<cols>_key`, `<table>_<cols>_fkey`, `<table>_<col>_check`, `<table>_<cols>_idx`.
 */

/** Postgres' NAMEDATALEN - 1: the longest identifier it keeps, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63

const encoder = new TextEncoder()

/** Length of `s` in UTF-8 bytes. */
export function byteLength(s: string): number {
  return encoder.encode(s).length
}

/** The longest prefix of `s` that fits in `max` bytes without splitting a character. */
export function clipBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s
  let out = ''
  let used = 0
  for (const ch of s) {
    const n = byteLength(ch)
    if (used + n > max) break
    out += ch
    used += n
  }
  return out
}

/** What Postgres keeps of an identifier longer than 63 bytes. */
export function truncateIdentifier(s: string): string {
  return clipBytes(s, MAX_IDENTIFIER_BYTES)
}

/**
 * Postgres' makeObjectName(): `name1_name2_label`, shortening the longer of name1/name2 until the
 * whole fits in 63 bytes.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  const overhead = (name2 ? 1 : 0) + (label ? byteLength(label) + 1 : 0)
  const avail = MAX_IDENTIFIER_BYTES - overhead
  let n1 = byteLength(name1)
  let n2 = name2 ? byteLength(name2) : 0
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--
    else n2--
  }
  let out = clipBytes(name1, n1)
  if (name2) out += '_' + clipBytes(name2, n2)
  if (label) out += '_' + label
  return out
}

/**
 * Postgres' ChooseRelationName()/ChooseConstraintName(): the default name, or the same with a
 * number appended to the label (`t_a_idx1`) when `taken` already holds it.
 */
export function chooseName(
  name1: string,
  name2: string | undefined,
  label: string,
  taken: ReadonlySet<string>,
): string {
  let candidate = makeObjectName(name1, name2, label)
  for (let pass = 1; taken.has(candidate); pass++) candidate = makeObjectName(name1, name2, `${label}${pass}`)
  return candidate
}

/** Postgres' column-name part of a default index/constraint name: names joined by `_`, capped. */
export function nameAddition(names: readonly string[]): string {
  let out = ''
  for (const n of names) {
    if (out) out += '_'
    out += n
    if (byteLength(out) >= MAX_IDENTIFIER_BYTES) break
  }
  return clipBytes(out, MAX_IDENTIFIER_BYTES)
}

/** The name Postgres gives an expression column of an index: the function's name, else `expr`. */
export function expressionColumnName(expression: string): string {
  const m = /^\s*(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)\s*\(/i.exec(expression)
  return m ? m[1].toLowerCase() : 'expr'
}
