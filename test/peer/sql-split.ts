/**
 * A small SQL script splitter for the peer suite: splits on top-level `;`, honouring quotes,
 * quoted identifiers, dollar-quoted bodies and comments. Good enough for fixture files and for
 * migrations a differ prints; not a parser.
 */

/** Splits a script into statements (trimmed, without the trailing `;`, comments kept inside). */
export function splitSql(script: string): string[] {
  const out: string[] = []
  let start = 0
  let i = 0
  const n = script.length
  let depth = 0
  while (i < n) {
    const c = script[i]
    const next = script[i + 1]
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? n : end + 1
    } else if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? n : end + 2
    } else if (c === "'" || c === '"') {
      i = skipQuoted(script, i, c)
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 64))
      if (m && !/[A-Za-z0-9_]/.test(script[i - 1] ?? '')) {
        const end = script.indexOf(m[0], i + m[0].length)
        i = end === -1 ? n : end + m[0].length
      } else i++
    } else if (c === '(') {
      depth++
      i++
    } else if (c === ')') {
      depth = Math.max(0, depth - 1)
      i++
    } else if (c === ';' && depth === 0 && !insideAtomicBody(script.slice(start, i))) {
      push(script.slice(start, i))
      i++
      start = i
    } else i++
  }
  push(script.slice(start))
  return out

  function push(stmt: string): void {
    if (stripComments(stmt).trim() !== '') out.push(stmt.trim())
  }
}

/** True while a SQL-standard `BEGIN ATOMIC … END` body is open: its inner `;` do not end the statement. */
function insideAtomicBody(stmt: string): boolean {
  const text = stripComments(stmt).replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, ' ')
  const m = /\bbegin\s+atomic\b/i.exec(text)
  if (!m) return false
  let open = 0
  for (const w of text.slice(m.index + m[0].length).matchAll(/\b(case|end)\b/gi)) {
    if (w[1]!.toLowerCase() === 'case') open++
    else if (open > 0) open--
    else return false
  }
  return true
}

function skipQuoted(s: string, i: number, q: string): number {
  let j = i + 1
  while (j < s.length) {
    if (s[j] === q) {
      if (s[j + 1] === q) j += 2
      else return j + 1
    } else j++
  }
  return s.length
}

/** Removes `--` and `/* *\/` comments outside quotes (for classification, not for execution). */
export function stripComments(sql: string): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const c = sql[i]
    const next = sql[i + 1]
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? sql.length : end + 2
      out += ' '
    } else if (c === "'" || c === '"') {
      const end = skipQuoted(sql, i, c)
      out += sql.slice(i, end)
      i = end
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))
      if (m && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? '')) {
        const close = sql.indexOf(m[0], i + m[0].length)
        const end = close === -1 ? sql.length : close + m[0].length
        out += sql.slice(i, end)
        i = end
      } else {
        out += c
        i++
      }
    } else {
      out += c
      i++
    }
  }
  return out
}

/** Collapses whitespace and case so two spellings of one statement compare equal. */
export function normalizeStatement(sql: string): string {
  return stripComments(sql).replace(/\s+/g, ' ').trim().toLowerCase()
}
