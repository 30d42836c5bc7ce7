/**
 * Identifier and literal quoting that matches Postgres' own `quote_ident()` / `quote_literal()`:
 * an identifier is quoted unless it is lower-case, starts with a letter or underscore, and is not a
 * keyword that Postgres reserves (reserved, type/function-name and column-name keywords).
 */

const KEYWORDS = new Set(
  (
    // reserved
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when ' +
    'where window with ' +
    // type_func_name
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like ' +
    'natural notnull outer overlaps right similar tablesample verbose ' +
    // col_name
    'between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int ' +
    'integer interval json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value least merge_action national nchar none normalize nullif numeric out overlay ' +
    'position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
)

/** True when Postgres would need `name` in double quotes. */
export function needsQuotes(name: string): boolean {
  return !/^[a-z_][a-z0-9_$]*$/.test(name) || KEYWORDS.has(name)
}

/** Quotes an identifier only when needed, as `quote_ident()` does. */
export function ident(name: string): string {
  return needsQuotes(name) ? `"${name.replaceAll('"', '""')}"` : name
}

/** An identifier as written (`"My Name"` or `name`) → the name: `ident`'s inverse. */
export function unident(s: string): string {
  const m = /^"((?:[^"]|"")*)"$/s.exec(s)
  return m ? m[1]!.replaceAll('""', '"') : s
}

/** `schema.name`, each part quoted as needed. */
export function qname(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`
}

/** A comma-separated list of quoted identifiers. */
export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ')
}

/** A string literal, as `quote_literal()` does (E'' form when it holds a backslash). */
export function literal(value: string): string {
  const body = value.replaceAll("'", "''")
  return value.includes('\\') ? `E'${body.replaceAll('\\', '\\\\')}'` : `'${body}'`
}

/**
 * A storage parameter as `name=value` for `WITH (…)` / `SET (…)`: the name bare when it is a plain
 * (optionally `toast.`-prefixed) name, otherwise quoted; the value bare when it is a number or a
 * plain word, otherwise a string literal (PostgreSQL stores both spellings as the same text).
 */
export function storageParam(key: string, value: string): string {
  const bare = /^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false' || !needsQuotes(value)
  return `${storageKey(key)}=${bare ? value : literal(value)}`
}

/** A storage parameter's name for `RESET (…)`: bare when plain, otherwise quoted. */
export function storageKey(key: string): string {
  return /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(key) ? key : ident(key)
}

/**
 * `text` as PostgreSQL receives it once encoded as UTF-8: a lone surrogate becomes U+FFFD. Text is
 * parsed (libpg-query) in this form, because the WASM parser's encoder would otherwise read a lone
 * surrogate together with the character after it and see different SQL than the file holds.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

// Kept as they are: letters, marks, digits, punctuation, symbols and the plain space. Everything
// else (line and paragraph separators, control and format characters, other spaces, lone
// surrogates, unassigned code points) is written as an escape, and so is the backslash.
const UNSAFE_IN_COMMENT = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]|\\/gu
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Text from anywhere (names, messages, values) made safe to show on one line: a backslash and
 * every character outside the kept set above becomes `\n`, `\r`, `\t`, `\\`, `\uXXXX` or
 * `\u{XXXXX}`. The result holds no line terminator of any kind (`\n`, `\r`, `\v`, `\f`, U+0085,
 * U+2028, U+2029) and no terminal control sequence, so it can end neither an SQL `--` comment nor
 * a line of terminal output, and the escapes are unambiguous.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_IN_COMMENT, (ch) => {
    const named = NAMED_ESCAPES[ch]
    if (named) return named
    const cp = ch.codePointAt(0) as number
    return cp > 0xffff ? `\\u{${cp.toString(16).toUpperCase()}}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`
  })
}

/** The text printable() was given: reads its escapes back (header lines of a migration round-trip). */
export function fromPrintable(text: string): string {
  return text.replace(/\\(?:u\{([0-9A-Fa-f]{1,6})\}|u([0-9A-Fa-f]{4})|([\\nrt]))/g, (all, astral: string | undefined, bmp: string | undefined, named: string | undefined) => {
    if (named) return named === 'n' ? '\n' : named === 'r' ? '\r' : named === 't' ? '\t' : '\\'
    const cp = parseInt((astral ?? bmp) as string, 16)
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all
  })
}

/**
 * An SQL line comment (`-- …`, without the line break) holding `text`, escaped by printable():
 * whatever `text` holds, the comment ends at the end of the line and nothing of `text` can be read
 * as SQL. Every comment, hint and header line cairn writes into SQL goes through this.
 */
export function lineComment(text: string): string {
  return `-- ${printable(text)}`
}
