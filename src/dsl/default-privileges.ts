/**
 * Default privileges: `defaultPrivileges({ forRole, inSchema, on, grant, to, withGrantOption })`,
 * ALTER DEFAULT PRIVILEGES … GRANT, the privileges objects created from now on get:
 *
 *   export const readTables = defaultPrivileges({ inSchema: app, on: 'tables', grant: ['SELECT'], to: reader })
 *
 * and its revoke form, `defaultPrivileges({ forRole, on, revoke, from })`, which takes a built-in
 * default away database-wide (EXECUTE on functions or USAGE on types from PUBLIC):
 *
 *   export const noExecute = defaultPrivileges({ on: 'functions', revoke: ['EXECUTE'], from: 'public' })
 *
 * Without `forRole` the entry is the role's that runs the migrations. Export each one; the roles
 * it names must be exported too. The loader checks them (`src/load/default-privileges.ts`).
 */
import { cmp } from '../model/normalize.js'
import type { DefaultPrivilegeDef } from '../model/types.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import { OBJECT_PRIVILEGES, roleName } from './policy.js'
import type { Privilege, RoleRef } from './policy.js'
import { markDsl } from './table.js'

/** The kinds of objects default privileges apply to. */
export type DefaultPrivilegeKind = DefaultPrivilegeDef['on']

/** What both forms take. */
interface DefaultPrivilegesBase {
  /** FOR ROLE: whose new objects; default the role that runs the migrations. */
  readonly forRole?: RoleRef
  /** IN SCHEMA: only objects created in this schema (a pgSchema() or its name); not for `schemas`. */
  readonly inSchema?: { readonly name: string } | string
  readonly on: DefaultPrivilegeKind
}

/** Options of the grant form. */
export interface DefaultPrivilegesGrantOptions extends DefaultPrivilegesBase {
  readonly grant: readonly (Privilege | Lowercase<Privilege> | (string & {}))[]
  /** A role() or `'public'`. */
  readonly to: RoleRef
  readonly withGrantOption?: boolean
}

/** Options of the revoke form: a built-in default taken away (database-wide only). */
export interface DefaultPrivilegesRevokeOptions extends DefaultPrivilegesBase {
  readonly revoke: readonly (Privilege | Lowercase<Privilege> | (string & {}))[]
  /** `'public'`, or the `forRole` itself (its own privileges on its new objects). */
  readonly from: RoleRef
}

/** One ALTER DEFAULT PRIVILEGES entry; export it. */
export interface DefaultPrivileges {
  readonly $def: DefaultPrivilegeDef
  readonly at: DefinedAt
}

/** What a kind of default privileges corresponds to among grants' object kinds. */
export const DEFAULT_PRIVILEGE_OBJECTS: Readonly<Record<DefaultPrivilegeKind, keyof typeof OBJECT_PRIVILEGES>> = {
  tables: 'table',
  sequences: 'sequence',
  functions: 'function',
  types: 'type',
  schemas: 'schema',
}

/** Upper-cased, deduplicated, sorted; `ALL [PRIVILEGES]` expanded for the kind (MAINTAIN left out). */
function privilegeList(privileges: readonly string[], on: DefaultPrivilegeKind): string[] {
  const out = new Set<string>()
  const all = OBJECT_PRIVILEGES[DEFAULT_PRIVILEGE_OBJECTS[on]] ?? []
  for (const p of privileges) {
    const u = String(p).toUpperCase().trim().replace(/\s+/g, ' ')
    if (u === 'ALL' || u === 'ALL PRIVILEGES') for (const x of all) x !== 'MAINTAIN' && out.add(x)
    else out.add(u)
  }
  return [...out].sort(cmp)
}

/** `ALTER DEFAULT PRIVILEGES [FOR ROLE …] [IN SCHEMA …] GRANT … ON <kind> TO …` or its REVOKE … FROM. */
export function defaultPrivileges(options: DefaultPrivilegesGrantOptions | DefaultPrivilegesRevokeOptions): DefaultPrivileges {
  const at = captureLocation()
  const o = options as Partial<DefaultPrivilegesGrantOptions & DefaultPrivilegesRevokeOptions>
  const revoking = o.revoke !== undefined
  const schema = o.inSchema === undefined ? undefined : typeof o.inSchema === 'string' ? o.inSchema : o.inSchema.name
  const grantee = revoking ? o.from : o.to
  const def: DefaultPrivilegeDef = {
    kind: 'default_privilege',
    ...(o.forRole !== undefined ? { role: roleName(o.forRole) } : {}),
    ...(schema !== undefined ? { schema } : {}),
    on: o.on as DefaultPrivilegeKind,
    grantee: grantee === undefined ? '' : roleName(grantee),
    privileges: privilegeList((revoking ? o.revoke : o.grant) ?? [], o.on as DefaultPrivilegeKind),
    withGrantOption: !revoking && o.withGrantOption === true,
    ...(revoking ? { revoke: true as const } : {}),
  }
  const problems: string[] = []
  if (revoking && o.grant !== undefined) problems.push('gives both grant and revoke')
  if (revoking && o.to !== undefined) problems.push('names `to` in its revoke form (use `from`)')
  if (!revoking && o.from !== undefined) problems.push('names `from` in its grant form (use `to`)')
  if (revoking && o.withGrantOption !== undefined) problems.push('gives withGrantOption in its revoke form')
  if (grantee === undefined) problems.push(revoking ? 'names no role to revoke from (`from`)' : 'names no role to grant to (`to`)')
  return markDsl({ $def: def, at, ...(problems.length ? { $problems: problems } : {}) }, 'default_privilege')
}
