/** What every script cairn writes shares: the session settings first, `public` left alone, the script form. */

/**
 * Settings every script cairn writes (migrations, `cairn sql`) starts with, and `push` runs first.
 * Expressions in the model (defaults, checks, policies, view bodies) are spelled as `pg_get_expr()`
 * prints them under the default `standard_conforming_strings = on`: a backslash in `'…'` is a plain
 * character. A session or database with it off would read `'\'` differently (and a quote after a
 * backslash as escaped), so the setting is made explicit rather than assumed.
 */
export const SESSION_PREAMBLE: readonly string[] = ['SET standard_conforming_strings = on']

/** Postgres creates `public` by itself; it is never created or dropped by cairn. */
export const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set(['public'])

/** The statements joined into one script, each ending with `;` and a blank line between them. */
export function renderScript(statements: readonly string[]): string {
  return statements.length ? statements.map((s) => `${s};`).join('\n\n') + '\n' : ''
}
