/**
 * The one place secrets are removed from text cairn prints or stores. Pure (no driver import).
 *
 * Any string that might hold a connection target goes through `redactSecrets` before it reaches a
 * message, a JSON field, a history row or a log line. It understands every spelling a target
 * arrives in, supported or not:
 *
 * - URL userinfo, whatever the scheme: `postgres://user:pw@host`, `postgress://…`, `mysql://…`,
 *   `mongodb+srv://…`, `jdbc:postgresql://…` (the user name stays, the password becomes `***`);
 * - `user:pw@host` without a scheme;
 * - key=value pairs whose key names a secret, in URL query strings (`?password=…&sslpassword=…`),
 *   libpq keyword strings (`host=x password='a b'`) and JDBC properties (`;password=…;`).
 *
 * `sslkey`, `sslcert` and other paths are not secrets and stay.
 */

/** What a secret is replaced with. */
export const REDACTED = '***'

/**
 * Keys whose values are secrets: anything ending in password / passwd / pwd (password,
 * sslpassword, PGPASSWORD, …), plus secret, token and api key spellings.
 */
const SECRET_KEY = String.raw`[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key)`

/**
 * `key = value` where the key names a secret. The value is a single- or double-quoted string (libpq
 * keyword strings allow `'a b'` with backslash escapes), or runs to whitespace, `&` (URL query) or
 * `;` (JDBC properties), leaving out closing quotes, brackets and commas of the text around it. The
 * key must start a word: `sslkey=…` or `mypasswordless=…` are not matched.
 */
const KEY_VALUE = new RegExp(
  String.raw`(?<![A-Za-z0-9_.%-])(${SECRET_KEY})(\s*=\s*)('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^\s&;]*?(?=["'),]*(?:[\s&;]|$)))`,
  'gi',
)

/**
 * `scheme://userinfo@`: the userinfo runs to the last `@` of the token (a password may hold an
 * unescaped `@`, `:` or `/`), so a mistyped URL is covered as well as a valid one; failing that, to
 * an `@` after spaces (an unescaped space in a quoted password) before any `/`.
 */
const URL_USERINFO = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)(\S*|[^\s/@][^/@\r\n"']*)@/g

/** `user:password@host` at the start of a token, with no scheme. */
const BARE_USERINFO = /(^|[\s"'(<=,[{])([^\s:/@"'=<>()[\]{},]+):((?:(?!\/\/)\S)+)@(?=[A-Za-z0-9[])/g

/** Keeps the user name of `user:password`, drops the password. */
function redactUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':')
  if (colon < 0) return userinfo
  return `${userinfo.slice(0, colon)}:${REDACTED}`
}

/**
 * Removes every password and other secret from `text`: a connection target in any spelling, or a
 * message, JSON document or log line that may contain one. Text without secrets comes back as it was.
 */
export function redactSecrets(text: string): string {
  if (!text) return text
  return text
    .replace(KEY_VALUE, (_, key: string, eq: string, value: string) => (value === '' ? `${key}${eq}` : `${key}${eq}${REDACTED}`))
    .replace(URL_USERINFO, (_, scheme: string, userinfo: string) => `${scheme}${redactUserinfo(userinfo)}@`)
    .replace(BARE_USERINFO, (_, lead: string, user: string) => `${lead}${user}:${REDACTED}@`)
}

/**
 * The secrets a connection target carries (URL password, `password=` / `sslpassword=` values in a
 * query string or keyword string), raw and percent-decoded, for a last check of output that may
 * have picked one up from somewhere `redactSecrets` cannot see (a driver message quoting only the
 * password). Targets without secrets give an empty list.
 */
export function secretsOf(target: string | undefined): string[] {
  if (!target) return []
  const found = new Set<string>()
  const add = (raw: string) => {
    let v = raw
    if ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"'))) v = v.slice(1, -1).replace(/\\(.)/g, '$1')
    if (!v || v === REDACTED) return
    found.add(v)
    try {
      const decoded = decodeURIComponent(v)
      if (decoded) found.add(decoded)
    } catch {
      /* not percent-encoded */
    }
  }
  for (const m of target.matchAll(KEY_VALUE)) add(m[3]!)
  for (const m of target.matchAll(URL_USERINFO)) {
    const userinfo = m[2]!
    const colon = userinfo.indexOf(':')
    if (colon >= 0) add(userinfo.slice(colon + 1))
  }
  for (const m of target.matchAll(BARE_USERINFO)) add(m[3]!)
  return [...found]
}

/**
 * Replaces every occurrence of a known secret (from `secretsOf`) in `text`: the last check of what
 * the CLI prints on failure. Secrets of three characters or more are replaced wherever they occur,
 * shorter ones only as a whole word (replacing them everywhere would garble the text).
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const s of [...new Set(secrets)].sort((a, b) => b.length - a.length)) {
    if (!s || s === REDACTED) continue
    if (s.length >= 3) out = out.split(s).join(REDACTED)
    else out = out.replace(new RegExp(`(?<![A-Za-z0-9])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'), REDACTED)
  }
  return out
}
