/**
 * Row-level security: `enableRls()` / `forceRls()` and `policy(…)` in a table's extras callback,
 * the `tenantIsolation()` convention, and the roles and grants policies name.
 */
import type { GrantDef, PolicyDef, RoleDef } from '../model/types.js'
import { cmp } from '../model/normalize.js'
import { ident, literal } from '../sqlgen/quote.js'
import { EXTRA_BRAND } from './extras.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import type { AnyTable, PgSchema } from './table.js'
import { dslKind, markDsl } from './table.js'
import type { AnyView } from './view.js'


/** A role as a policy or grant names it: a role() object, a role name, or `'public'`. */
export type RoleRef = Role | string

/** A role cairn manages; export it so policies and grants may name it. */
export interface Role {
  readonly $def: RoleDef
  readonly name: string
  readonly at: DefinedAt
}

/** CREATE ROLE name (NOLOGIN, INHERIT, NOBYPASSRLS unless told otherwise). */
export function role(name: string, options: { login?: boolean; inherit?: boolean; bypassRls?: boolean; memberOf?: readonly RoleRef[] } = {}): Role {
  const r = {
    $def: {
      kind: 'role' as const,
      name,
      login: options.login ?? false,
      inherit: options.inherit ?? true,
      bypassRls: options.bypassRls ?? false,
      memberOf: (options.memberOf ?? []).map(roleName),
    },
    name,
    at: captureLocation(),
  }
  return markDsl(r, 'role')
}

/** The name of a role reference (`public` for PUBLIC). */
export function roleName(r: RoleRef): string {
  if (typeof r === 'string') return r.toLowerCase() === 'public' ? 'public' : r
  return r.name
}

/** A policy in a table's extras callback. */
export interface PolicyExtra {
  readonly [EXTRA_BRAND]: 'policy'
  readonly at: DefinedAt
  readonly def: PolicyDef
}

/** Options of policy(). */
export interface PolicyOptions {
  /** PERMISSIVE (default) or RESTRICTIVE. */
  readonly as?: 'permissive' | 'restrictive'
  /** The command it applies to (default all). */
  readonly for?: PolicyDef['command']
  /** Roles it applies to (default PUBLIC). */
  readonly to?: readonly RoleRef[] | RoleRef
  /** USING (…), as pg_get_expr prints it, e.g. sql`(owner = CURRENT_USER)`. */
  readonly using?: SQL | string
  /** WITH CHECK (…), as pg_get_expr prints it. */
  readonly withCheck?: SQL | string
}

const sqlText = (v: SQL | string) => (isSQL(v) ? v.text : v)

/** CREATE POLICY name ON <table> …; put it in the table's extras callback. */
export function policy(name: string, options: PolicyOptions = {}): PolicyExtra {
  const to = options.to === undefined ? ['public'] : Array.isArray(options.to) ? options.to : [options.to as RoleRef]
  const def: PolicyDef = {
    name,
    permissive: (options.as ?? 'permissive') === 'permissive',
    command: options.for ?? 'all',
    roles: [...new Set(to.map(roleName))].sort(cmp),
    ...(options.using !== undefined ? { using: sqlText(options.using) } : {}),
    ...(options.withCheck !== undefined ? { withCheck: sqlText(options.withCheck) } : {}),
  }
  return { [EXTRA_BRAND]: 'policy', at: captureLocation(), def }
}

/** Row-level security switches in a table's extras callback (with any policies that come with them). */
export interface RlsExtra {
  readonly [EXTRA_BRAND]: 'rls'
  readonly at: DefinedAt
  readonly enabled: boolean
  readonly forced: boolean
  readonly policies: readonly PolicyExtra[]
}

/** ALTER TABLE … ENABLE ROW LEVEL SECURITY. */
export function enableRls(): RlsExtra {
  return { [EXTRA_BRAND]: 'rls', at: captureLocation(), enabled: true, forced: false, policies: [] }
}

/** ENABLE and FORCE ROW LEVEL SECURITY: the table owner is subject to the policies too. */
export function forceRls(): RlsExtra {
  return { [EXTRA_BRAND]: 'rls', at: captureLocation(), enabled: true, forced: true, policies: [] }
}

/** Options of tenantIsolation(). */
export interface TenantIsolationOptions {
  /** The tenant column (default `tenant_id`). */
  readonly column?: string
  /** The setting that holds the current tenant (default `app.current_tenant_id`). */
  readonly setting?: string
  /** The type the setting is cast to, as format_type prints it (default `uuid`). */
  readonly type?: string
  /** FORCE ROW LEVEL SECURITY too (default true), so the owner cannot read across tenants by accident. */
  readonly force?: boolean
  /** The policy name (default `tenant_isolation`). */
  readonly name?: string
}

/** The tenant-isolation predicate as pg_get_expr prints it: `(tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)`. */
export function tenantPredicate(options: TenantIsolationOptions = {}): string {
  const type = options.type ?? 'uuid'
  const cast = /^[a-z_][a-z0-9_]*$/.test(type) ? type : `(${type})`
  return `(${ident(options.column ?? 'tenant_id')} = (current_setting(${literal(options.setting ?? 'app.current_tenant_id')}::text))::${cast})`
}

/**
 * Seed 001's convention: RLS enabled (and forced) with a policy `tenant_isolation` FOR ALL TO
 * PUBLIC USING and WITH CHECK `tenant_id = current_setting('app.current_tenant_id')::uuid`.
 */
export function tenantIsolation(options: TenantIsolationOptions = {}): RlsExtra {
  const predicate = tenantPredicate(options)
  const p = policy(options.name ?? 'tenant_isolation', { using: predicate, withCheck: predicate })
  return { [EXTRA_BRAND]: 'rls', at: captureLocation(), enabled: true, forced: options.force ?? true, policies: [p] }
}

/** What the DSL gathers from a table's RLS extras and options. */
export interface BuiltRowSecurity {
  readonly rls?: { readonly enabled: boolean; readonly forced: boolean }
  readonly policies: readonly { readonly def: PolicyDef; readonly at: DefinedAt }[]
  readonly problems: readonly { readonly code: string; readonly message: string; readonly hint?: string; readonly at: DefinedAt; readonly policy?: string }[]
}

/** Table option `rls`: `true`, or `{ enabled, forced }`. */
export type RlsOption = boolean | { readonly enabled?: boolean; readonly forced?: boolean }

/** Combines the `rls` option and the RLS extras of one table, checking each policy. */
export function buildRowSecurity(option: RlsOption | undefined, extras: readonly (PolicyExtra | RlsExtra)[], at: DefinedAt): BuiltRowSecurity {
  let enabled = option === true || (typeof option === 'object' && (option.enabled ?? true))
  let forced = typeof option === 'object' && option.forced === true
  const policies: { def: PolicyDef; at: DefinedAt }[] = []
  const problems: BuiltRowSecurity['problems'][number][] = []
  for (const x of extras) {
    if (x[EXTRA_BRAND] === 'rls') {
      const r = x as RlsExtra
      enabled ||= r.enabled
      forced ||= r.forced
      policies.push(...r.policies.map((p) => ({ def: p.def, at: r.at })))
    } else policies.push({ def: (x as PolicyExtra).def, at: x.at })
  }
  const seen = new Set<string>()
  for (const { def: p, at: pat } of policies) {
    if (seen.has(p.name)) problems.push({ code: 'duplicate_policy', message: `policy "${p.name}" is declared twice`, at: pat, policy: p.name, hint: 'give one of them another name' })
    seen.add(p.name)
    if (p.using === undefined && p.withCheck === undefined) {
      problems.push({ code: 'invalid_policy', message: `policy "${p.name}" has neither USING nor WITH CHECK`, at: pat, policy: p.name, hint: 'give it using: sql`…` (and withCheck for writes)' })
    }
    if (p.withCheck !== undefined && (p.command === 'select' || p.command === 'delete')) {
      problems.push({ code: 'invalid_policy', message: `policy "${p.name}" is FOR ${p.command.toUpperCase()}, which takes no WITH CHECK`, at: pat, policy: p.name, hint: 'drop withCheck, or make it FOR ALL/INSERT/UPDATE' })
    }
    if (p.using !== undefined && p.command === 'insert') {
      problems.push({ code: 'invalid_policy', message: `policy "${p.name}" is FOR INSERT, which takes no USING`, at: pat, policy: p.name, hint: 'use withCheck for inserts' })
    }
    if (p.roles.includes('public') && p.roles.length > 1) {
      problems.push({ code: 'invalid_policy', message: `policy "${p.name}" names PUBLIC together with other roles`, at: pat, policy: p.name, hint: 'PUBLIC already covers every role' })
    }
  }
  if (policies.length && !enabled) {
    problems.push({ code: 'policy_without_rls', message: 'the table has policies but row-level security is not enabled, so they have no effect', at,
      hint: 'add enableRls() or forceRls() to the extras, or rls: true to the table options' })
  }
  return { ...(enabled || forced ? { rls: { enabled, forced } } : {}), policies, problems }
}

/** True when `v` is a policy or RLS extra. */
export function isRowSecurityExtra(v: unknown): v is PolicyExtra | RlsExtra {
  if (typeof v !== 'object' || v === null) return false
  const k = (v as Record<symbol, unknown>)[EXTRA_BRAND]
  return k === 'policy' || k === 'rls'
}

/** A privilege grant (or a revoke of PUBLIC's default privileges); export it (roles it names must be exported too). */
export interface Grant {
  readonly $def: GrantDef
  readonly at: DefinedAt
  /** The columns of a column-level grant, one model entry each (`$def` holds the first). */
  readonly $columns?: readonly string[]
}

/** Privilege names; lower case is accepted too. `ALL` stands for every privilege of the object's kind. */
export type Privilege =
  | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER' | 'MAINTAIN'
  | 'USAGE' | 'EXECUTE' | 'CREATE' | 'ALL'

/**
 * The privileges each kind of object takes (`column`: a column-level grant's), in the order
 * GRANT ALL expands to. MAINTAIN (PostgreSQL 17+) is left out of a table's ALL, so that the same
 * definitions mean the same on every server version; name it to grant it.
 */
export const OBJECT_PRIVILEGES: Readonly<Record<GrantDef['on'] | 'column', readonly string[]>> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'],
  column: ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  schema: ['USAGE', 'CREATE'],
  function: ['EXECUTE'],
  type: ['USAGE'],
}

/** What a grant may name: a table, view, schema, sequence, function or procedure, domain, enum or other type. */
export type GrantTarget =
  | AnyTable
  | AnyView
  | PgSchema
  | { readonly $def: { readonly kind: 'sequence' | 'function' | 'domain' | 'enum' | 'composite' | 'range'; readonly schema: string; readonly name: string } }
  /** By name: an identity or serial column's sequence, a function (with its identity arguments), a type. */
  | { readonly schema: string; readonly name: string; readonly kind: 'sequence' | 'function' | 'type'; readonly args?: string }

/** A column of a column-level grant: the column itself, or its SQL name. */
export type GrantColumn = { readonly name: string } | string

/** Options of grant(). */
export interface GrantOptions {
  readonly on: GrantTarget
  readonly to: RoleRef
  /** A column-level grant (`GRANT SELECT (id, email) ON …`): tables and views only; SELECT, INSERT, UPDATE, REFERENCES. */
  readonly columns?: readonly GrantColumn[]
  readonly withGrantOption?: boolean
}

const TYPE_KINDS: ReadonlySet<string> = new Set(['domain', 'enum', 'composite', 'range'])

function grantTarget(target: GrantTarget): Pick<GrantDef, 'on' | 'schema' | 'name' | 'args'> {
  const kind = dslKind(target)
  const on = target as Record<string, unknown>
  // a table's $def is built on demand: its names are enough
  if (kind === 'table') return { on: 'table', schema: on.$schema as string, name: on.$name as string }
  if (kind !== undefined) {
    const def = on.$def as { schema: string; name: string; args?: string }
    if (kind === 'view') return { on: 'table', schema: def.schema, name: def.name }
    if (kind === 'schema') return { on: 'schema', schema: def.name, name: def.name }
    if (kind === 'sequence') return { on: 'sequence', schema: def.schema, name: def.name }
    if (kind === 'function') return { on: 'function', schema: def.schema, name: def.name, args: def.args ?? '' }
    if (TYPE_KINDS.has(kind)) return { on: 'type', schema: def.schema, name: def.name }
  }
  const k = on.kind as GrantDef['on']
  return { on: k, schema: on.schema as string, name: on.name as string, ...(k === 'function' && typeof on.args === 'string' ? { args: on.args } : {}) }
}

/** Upper-cased, deduplicated, sorted; `ALL [PRIVILEGES]` expanded for the object's kind. */
function privilegeList(privileges: readonly string[], kind: GrantDef['on'] | 'column'): string[] {
  const out = new Set<string>()
  for (const p of privileges) {
    const u = p.toUpperCase().trim().replace(/\s+/g, ' ')
    if (u === 'ALL' || u === 'ALL PRIVILEGES') for (const x of OBJECT_PRIVILEGES[kind]) x !== 'MAINTAIN' && out.add(x)
    else out.add(u)
  }
  return [...out].sort(cmp)
}

/**
 * GRANT privileges ON a table, view, schema, sequence, function or type TO a role (`'public'` for
 * PUBLIC): `grant(['SELECT', 'INSERT'], { on: users, to: appUser })`; per column with
 * `columns: [users.email]`.
 */
export function grant(privileges: readonly (Privilege | Lowercase<Privilege> | (string & {}))[], options: GrantOptions): Grant {
  const target = grantTarget(options.on)
  const columns = options.columns?.map((c) => (typeof c === 'string' ? c : c.name))
  const base: GrantDef = {
    kind: 'grant' as const,
    ...target,
    role: roleName(options.to),
    privileges: privilegeList(privileges, columns ? 'column' : target.on),
    withGrantOption: options.withGrantOption ?? false,
  }
  const g = {
    $def: columns?.length ? { ...base, column: columns[0]! } : base,
    ...(columns !== undefined ? { $columns: columns } : {}),
    at: captureLocation(),
  }
  return markDsl(g, 'grant')
}

/**
 * REVOKE the privileges PUBLIC holds by default on a function or procedure (EXECUTE) or a type
 * (USAGE): `revoke(['EXECUTE'], { on: lookupAccount, from: 'public' })`, then grant() it to the roles
 * that may call it. Other privileges are taken away by not granting them.
 */
export function revoke(privileges: readonly ('EXECUTE' | 'USAGE' | 'ALL' | 'execute' | 'usage' | 'all')[], options: { on: GrantTarget; from: 'public' | 'PUBLIC' }): Grant {
  const target = grantTarget(options.on)
  const g = {
    $def: {
      kind: 'grant' as const,
      ...target,
      role: roleName(options.from),
      privileges: privilegeList(privileges, target.on),
      withGrantOption: false,
      revoke: true as const,
    },
    at: captureLocation(),
  }
  return markDsl(g, 'grant')
}
