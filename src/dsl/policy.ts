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
import { markDsl } from './table.js'
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

/** A privilege grant; export it (roles it names must be exported too). */
export interface Grant {
  readonly $def: GrantDef
  readonly at: DefinedAt
}

/**
 * GRANT privileges ON a table, view, schema or sequence TO a role:
 * `grant(['SELECT', 'INSERT'], { on: users, to: appUser })`.
 */
export function grant(
  privileges: readonly string[],
  options: { on: AnyTable | AnyView | PgSchema | { schema: string; name: string; kind: 'sequence' | 'function' }; to: RoleRef; withGrantOption?: boolean },
): Grant {
  const on = options.on as Record<string, unknown>
  let target: Pick<GrantDef, 'on' | 'schema' | 'name'>
  if (typeof on.$schema === 'string') target = { on: 'table', schema: on.$schema as string, name: on.$name as string }
  else if ((on.$def as { kind?: string } | undefined)?.kind === 'view') {
    const d = on.$def as { schema: string; name: string }
    target = { on: 'table', schema: d.schema, name: d.name }
  } else if ((on.$def as { kind?: string } | undefined)?.kind === 'schema') target = { on: 'schema', schema: on.name as string, name: on.name as string }
  else target = { on: on.kind as 'sequence' | 'function', schema: on.schema as string, name: on.name as string }
  const g = {
    $def: {
      kind: 'grant' as const,
      ...target,
      role: roleName(options.to),
      privileges: [...new Set(privileges.map((p) => p.toUpperCase()))].sort(cmp),
      withGrantOption: options.withGrantOption ?? false,
    },
    at: captureLocation(),
  }
  return markDsl(g, 'grant')
}
