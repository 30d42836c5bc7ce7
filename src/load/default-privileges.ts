/**
 * The default privileges and collations of the definitions, checked with the file:line of each:
 * privileges the kind takes, IN SCHEMA where Postgres allows it, a revoke only of a built-in default
 * and only database-wide, the roles named exported; entries with the same role, schema, kind,
 * grantee, grant option and direction merged, as the catalog groups them. Collations: one per
 * name, their options as CREATE COLLATION takes them.
 */
import type { Collation } from '../dsl/collation.js'
import type { DefaultPrivileges } from '../dsl/default-privileges.js'
import { DEFAULT_PRIVILEGE_OBJECTS } from '../dsl/default-privileges.js'
import type { DefinedAt } from '../dsl/location.js'
import { byteLength, MAX_IDENTIFIER_BYTES } from '../dsl/names.js'
import { OBJECT_PRIVILEGES } from '../dsl/policy.js'
import { cmp, defaultPrivilegeKey } from '../model/normalize.js'
import type { CollationDef, DefaultPrivilegeDef } from '../model/types.js'
import { ident, qname } from '../sqlgen/quote.js'

type IssueFn = (code: string, message: string, at: DefinedAt | undefined, object?: string, hint?: string) => void
type DeclaredFn = (schema: string, what: string, object: string, at: DefinedAt) => void

/** What a database-wide entry may take away from PUBLIC: Postgres' built-in defaults. */
const PUBLIC_DEFAULTS: Partial<Record<DefaultPrivilegeDef['on'], string>> = { functions: 'EXECUTE', types: 'USAGE' }
const KINDS = new Set(Object.keys(DEFAULT_PRIVILEGE_OBJECTS))

/** How an entry is named in messages: `default privileges of app_owner in schema app on tables to reader`. */
export function defaultPrivilegesObject(d: DefaultPrivilegeDef): string {
  const who = (r: string) => (r === 'public' ? 'PUBLIC' : ident(r))
  return `default privileges${d.role !== undefined ? ` of ${ident(d.role)}` : ''}${d.schema !== undefined ? ` in schema ${ident(d.schema)}` : ''} on ${d.on} ${d.revoke ? 'from' : 'to'} ${who(d.grantee)}`
}

/** The model entries of the definitions' default privileges, with their problems reported; `use` is told every role named. */
export function collectDefaultPrivileges(
  found: readonly DefaultPrivileges[],
  known: (role: string) => boolean,
  use: (role: string) => void,
  issue: IssueFn,
  declared: DeclaredFn,
): DefaultPrivilegeDef[] {
  const entries: { def: DefaultPrivilegeDef; at: DefinedAt }[] = []
  for (const x of new Set(found)) {
    const d = x.$def
    const object = defaultPrivilegesObject(d)
    // the printer puts the object before the message
    const bad = (message: string, hint: string) => issue('invalid_default_privileges', message, x.at, object, hint)
    const problems = (x as { $problems?: readonly string[] }).$problems ?? []
    for (const p of problems) bad(`the call ${p}`, "give on, grant and to (or revoke and from), e.g. defaultPrivileges({ on: 'tables', grant: ['SELECT'], to: reader })")
    if (!KINDS.has(d.on)) {
      bad(`"${String(d.on)}" is not a kind of object default privileges apply to`, `use one of ${[...KINDS].join(', ')}`)
      continue
    }
    if (problems.length) continue
    for (const r of [d.role, d.grantee]) {
      if (r === undefined) continue
      use(r)
      if (!known(r)) issue('unknown_role', `names role ${r}, which is not exported`, x.at, object, `export const someRole = role('${r}')`)
    }
    if (d.role === 'public') bad('FOR ROLE names PUBLIC, which creates no objects', 'name the role whose new objects get the privileges')
    if (d.schema !== undefined) {
      declared(d.schema, 'default privileges', object, x.at)
      if (d.on === 'schemas') bad('IN SCHEMA cannot be given for schemas', 'drop inSchema: default privileges on schemas are database-wide')
    }
    const allowed = OBJECT_PRIVILEGES[DEFAULT_PRIVILEGE_OBJECTS[d.on]].filter((p) => p !== 'MAINTAIN' || d.on === 'tables')
    if (!d.privileges.length) bad('lists no privileges', `list privileges, e.g. ['${allowed[0]}']`)
    for (const p of d.privileges) if (!allowed.includes(p)) bad(`names "${p}", which ${d.on} do not take`, `use ${allowed.join(', ')}`)
    if (d.revoke) {
      const def = PUBLIC_DEFAULTS[d.on]
      if (d.schema !== undefined) {
        bad('a revoke IN SCHEMA takes nothing away: per-schema entries only add to the database-wide ones', 'drop inSchema to revoke database-wide, or do not grant the privilege')
      } else if (d.grantee === 'public' ? def === undefined || d.privileges.some((p) => p !== def) : d.grantee !== d.role) {
        bad(`a revoke takes away ${d.privileges.join(', ')} from ${d.grantee}: only PUBLIC's EXECUTE on functions and USAGE on types, and the role's own privileges on its objects, are granted by default`,
          'to take away anything else, do not grant it')
      }
    } else if (d.withGrantOption && d.grantee === 'public') {
      bad('gives PUBLIC a grant option, which PostgreSQL refuses', 'grant it with grant option to a role')
    }
    entries.push({ def: d, at: x.at })
  }
  const merged = new Map<string, DefaultPrivilegeDef>()
  for (const { def } of entries) {
    const k = defaultPrivilegeKey(def)
    const prior = merged.get(k)
    merged.set(k, prior ? { ...prior, privileges: [...new Set([...prior.privileges, ...def.privileges])].sort(cmp) } : def)
  }
  for (const { def, at } of entries) {
    if (!def.revoke) continue
    const { revoke: _r, ...granting } = def
    const both = merged.get(defaultPrivilegeKey(granting))?.privileges.filter((p) => def.privileges.includes(p)) ?? []
    if (both.length) {
      const object = defaultPrivilegesObject(def)
      issue('conflicting_default_privileges', `${both.join(', ')} is both revoked and granted`, at, object, 'keep one of them')
    }
  }
  // a database-wide grant of PUBLIC's built-in default changes nothing (the catalog shows no such
  // entry); a privilege granted both with and without grant option is held once, with it
  const out: DefaultPrivilegeDef[] = []
  for (const d of merged.values()) {
    const def = PUBLIC_DEFAULTS[d.on]
    const withOption = d.withGrantOption || d.revoke ? undefined : merged.get(defaultPrivilegeKey({ ...d, withGrantOption: true }))
    const privileges = d.privileges.filter((p) => !(!d.revoke && d.schema === undefined && d.grantee === 'public' && p === def) && !withOption?.privileges.includes(p))
    if (privileges.length) out.push({ ...d, privileges })
  }
  return out
}

/** The definitions' collations: one per schema and name, each checked. */
export function collectCollations(found: readonly Collation[], issue: IssueFn, declared: DeclaredFn): CollationDef[] {
  const out = new Map<string, Collation>()
  for (const c of found) {
    const key = `${c.$schema}.${c.$name}`
    const prior = out.get(key)
    if (prior) {
      if (prior !== c && JSON.stringify(prior.$def) !== JSON.stringify(c.$def)) issue('duplicate_collation', `collation ${key} is defined twice, differently`, c.at, key, 'define it once and import it where needed')
      continue
    }
    out.set(key, c)
    declared(c.$schema, 'collation', key, c.at)
    if (byteLength(c.$name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${c.$name}" is longer than 63 bytes`, c.at, key, 'use a name of at most 63 bytes')
    for (const p of c.$problems) {
      issue('invalid_collation', `collation ${key} ${p}`, c.at, key,
        "give provider: 'icu' with a locale such as 'und-u-ks-level2', provider: 'libc' with a locale such as 'C', or from: 'C'")
    }
  }
  return [...out.values()].map((c) => c.$def)
}

/**
 * Once the definitions declare collations they own them, so a column, index key, domain or type
 * naming one in a schema of theirs (`app.ci`) that they do not declare would lose it: reported.
 */
export function checkCollationUses(
  uses: readonly { collation: string; object: string; at: DefinedAt }[],
  collations: readonly CollationDef[],
  schemas: ReadonlySet<string>,
  issue: IssueFn,
): void {
  const known = new Set(collations.map((c) => qname(c.schema, c.name)))
  const prefixes = [...schemas].map((s) => `${ident(s)}.`)
  for (const u of uses) {
    if (known.has(u.collation) || !prefixes.some((p) => u.collation.startsWith(p))) continue
    issue('unknown_collation', `${u.object} uses collation ${u.collation}, which the definitions do not declare (and, declaring collations, they drop the others)`, u.at, u.object,
      `export const c = collation(…) for ${u.collation}, or use one of ${[...known].join(', ')}`)
  }
}
