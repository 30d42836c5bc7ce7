/**
 * EXCLUDE constraints back into the DSL: `pg_get_constraintdef()` text such as
 * `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((active)) DEFERRABLE` taken apart into
 * what exclude() is built from. Anything exclude() cannot say (an operator class, an ordering,
 * INCLUDE, index storage parameters) gives undefined: the constraint is then reported as lost.
 */

/** One element: a column name or an expression, and its operator. */
export interface ParsedExclusionElement {
  readonly column?: string
  readonly expression?: string
  readonly operator: string
}

/** What exclude() needs to write a constraint again. */
export interface ParsedExclusion {
  readonly method: string
  readonly elements: readonly ParsedExclusionElement[]
  readonly where?: string
  readonly deferrable?: true | 'deferred'
}

/** Index of the parenthesis that closes the one at `open`, skipping quoted text; -1 when none. */
function closing(s: string, open: number): number {
  let depth = 0
  for (let i = open; i < s.length; i++) {
    const ch = s[i]
    if (ch === "'" || ch === '"') {
      const end = s.indexOf(ch, i + 1)
      if (end < 0) return -1
      i = end
      continue
    }
    if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i
  }
  return -1
}

/** Splits on commas outside parentheses and quotes. */
function topLevel(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (ch === "'" || ch === '"') {
      const end = s.indexOf(ch, i + 1)
      i = end < 0 ? s.length : end
    } else if (ch === '(') depth++
    else if (ch === ')') depth--
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(s.slice(start).trim())
  return out
}

const PLAIN = /^[a-z_][a-z0-9_$]*$/
const QUOTED = /^"((?:[^"]|"")+)"$/
const CALL = /^[A-Za-z_][A-Za-z0-9_$.]*\(/

function element(text: string): ParsedExclusionElement | undefined {
  const m = /^([\s\S]+) WITH (\S+)$/.exec(text)
  if (!m) return undefined
  const key = m[1]!.trim()
  const operator = m[2]!
  if (PLAIN.test(key)) return { column: key, operator }
  const q = QUOTED.exec(key)
  if (q) return { column: q[1]!.replace(/""/g, '"'), operator }
  // an expression: a function call or a parenthesised one, with nothing after it (no opclass, no ordering)
  if (key.startsWith('(') && closing(key, 0) === key.length - 1) return { expression: key.slice(1, -1), operator }
  if (CALL.test(key) && closing(key, key.indexOf('(')) === key.length - 1) return { expression: key, operator }
  return undefined
}

/** The parts of an EXCLUDE constraint definition, or undefined when exclude() cannot write it. */
export function parseExclusion(definition: string): ParsedExclusion | undefined {
  const head = /^EXCLUDE USING ([a-z_][a-z0-9_]*) \(/.exec(definition)
  if (!head) return undefined
  const open = head[0].length - 1
  const close = closing(definition, open)
  if (close < 0) return undefined
  const elements: ParsedExclusionElement[] = []
  for (const text of topLevel(definition.slice(open + 1, close))) {
    const e = element(text)
    if (!e) return undefined
    elements.push(e)
  }
  let rest = definition.slice(close + 1)
  let where: string | undefined
  if (rest.startsWith(' WHERE (')) {
    const end = closing(rest, ' WHERE '.length)
    if (end < 0) return undefined
    where = rest.slice(' WHERE ('.length, end)
    rest = rest.slice(end + 1)
  }
  let deferrable: ParsedExclusion['deferrable']
  if (rest === ' DEFERRABLE INITIALLY DEFERRED') deferrable = 'deferred'
  else if (rest === ' DEFERRABLE') deferrable = true
  else if (rest !== '') return undefined
  return { method: head[1]!, elements, ...(where !== undefined ? { where } : {}), ...(deferrable ? { deferrable } : {}) }
}
