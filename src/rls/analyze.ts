/**
 * The static half of `cairn verify rls` (pure, over the catalog): which tables are tenant-scoped,
 * which tenants table their tenant column references, which setting the policies read, and the
 * configurations that let one tenant reach another's rows whatever the data:
 *
 * - the role is a superuser, has BYPASSRLS, or can SET ROLE to a role that has;
 * - a tenant-scoped table the role can use has no row-level security;
 * - row-level security is not forced and the role owns the table (an owner bypasses it);
 * - row-level security is on but no policy applies to the role (nothing works, nothing is proven);
 * - a policy for writes (ALL, INSERT, UPDATE) has no WITH CHECK of its own;
 * - a foreign key to a tenant-scoped parent leaves the tenant column out: foreign-key checks do
 *   not see row-level security, so a row may point at another tenant's parent.
 */
import type { Catalog, TableInfo } from './catalog.js'

export type FlagCode = 'role_bypasses_rls' | 'no_rls' | 'not_forced' | 'no_policy' | 'policy_without_check' | 'cross_tenant_fk'

export interface Flag {
  readonly code: FlagCode
  /** `schema.table`; absent for the role. */
  readonly table?: string
  readonly object?: string
  readonly message: string
  readonly fix: string
}

export interface TenantTable {
  readonly key: string
  readonly info: TableInfo
  /** The column that holds the tenant (`tenant_id`; the key column of the tenants table). */
  readonly column: string
  readonly isTenants: boolean
  /** The role has at least one privilege on it (and USAGE on its schema). */
  readonly reachable: boolean
}

export interface Scope {
  readonly tenantColumn: string
  readonly tenants?: { readonly table: string; readonly column: string }
  readonly tables: readonly TenantTable[]
  readonly setting: { readonly name: string; readonly from: 'option' | 'policies' | 'default'; readonly others: readonly string[] }
}

/** The setting tenant-isolation policies read when none is given and none is found. */
export const DEFAULT_TENANT_SETTING = 'app.current_tenant_id'

const reachable = (t: TableInfo) => t.privileges.select || t.privileges.insert || t.privileges.update || t.privileges.delete

/** The tenant-scoped tables and the tenants table, the setting, from the catalog. */
export function scopeOf(catalog: Catalog, tenantColumn: string, setting?: string): Scope {
  const all = [...catalog.tables.entries()]
  const scoped = all.filter(([, t]) => t.columns.some((c) => c.name === tenantColumn))
  // the tenants table: what the tenant column of most tables references on its own
  const targets = new Map<string, { column: string; n: number }>()
  for (const [, t] of scoped) {
    for (const fk of t.foreignKeys) {
      if (fk.columns.length === 1 && fk.columns[0] === tenantColumn) {
        const k = `${fk.refTable}\u0000${fk.refColumns[0]}`
        targets.set(k, { column: fk.refColumns[0], n: (targets.get(k)?.n ?? 0) + 1 })
      }
    }
  }
  const best = [...targets.entries()].sort((a, b) => b[1].n - a[1].n)[0]
  const tenants = best ? { table: best[0].split('\u0000')[0], column: best[1].column } : undefined
  const tables: TenantTable[] = scoped.map(([key, info]) => ({ key, info, column: tenantColumn, isTenants: false, reachable: reachable(info) }))
  const tInfo = tenants ? catalog.tables.get(tenants.table) : undefined
  if (tenants && tInfo && !tables.some((t) => t.key === tenants.table)) {
    tables.push({ key: tenants.table, info: tInfo, column: tenants.column, isTenants: true, reachable: reachable(tInfo) })
  }
  tables.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  // the setting: the one the policies on these tables read most
  const seen = new Map<string, number>()
  for (const t of tables) {
    for (const p of t.info.policies) {
      for (const text of [p.using, p.withCheck]) {
        for (const m of (text ?? '').matchAll(/current_setting\('((?:[^']|'')+)'/g)) {
          const name = m[1].replace(/''/g, "'")
          seen.set(name, (seen.get(name) ?? 0) + 1)
        }
      }
    }
  }
  const ranked = [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([n]) => n)
  const chosen = setting
    ? { name: setting, from: 'option' as const }
    : ranked.length
      ? { name: ranked[0], from: 'policies' as const }
      : { name: DEFAULT_TENANT_SETTING, from: 'default' as const }
  return { tenantColumn, ...(tenants ? { tenants } : {}), tables, setting: { ...chosen, others: ranked.filter((n) => n !== chosen.name) } }
}

/** The configurations that let a tenant reach another's rows, whatever the data. */
export function flagsOf(catalog: Catalog, scope: Scope): Flag[] {
  const out: Flag[] = []
  const role = catalog.role
  if (role.superuser || role.bypassRls) {
    out.push({
      code: 'role_bypasses_rls',
      object: role.name,
      message: `role ${role.name} is ${role.superuser ? 'a superuser' : 'created with BYPASSRLS'}: row-level security does not apply to it at all`,
      fix: `ALTER ROLE ${role.name} ${role.superuser ? 'NOSUPERUSER' : 'NOBYPASSRLS'}`,
    })
  }
  for (const via of role.bypassVia) {
    out.push({
      code: 'role_bypasses_rls',
      object: role.name,
      message: `role ${role.name} is a member of ${via}, which bypasses row-level security: SET ROLE ${via} reads every tenant`,
      fix: `REVOKE ${via} FROM ${role.name}`,
    })
  }
  const tenantScoped = new Set(scope.tables.filter((t) => !t.isTenants).map((t) => t.key))
  for (const t of scope.tables) {
    if (!t.reachable) continue
    const info = t.info
    if (!info.rls) {
      out.push({
        code: 'no_rls',
        table: t.key,
        message: `${t.key} has ${t.isTenants ? 'the tenants' : `a ${t.column} column`} and ${role.name} may use it, but row-level security is not enabled: every tenant's rows are visible`,
        fix: `ALTER TABLE ${info.sql} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${info.sql} FORCE ROW LEVEL SECURITY; and a policy on ${t.column}`,
      })
      continue
    }
    if (!info.forced && info.roleOwns) {
      out.push({
        code: 'not_forced',
        table: t.key,
        message: `${t.key} has row-level security without FORCE, and ${role.name} owns it${info.owner !== role.name ? ` (through ${info.owner})` : ''}: an owner bypasses the policies`,
        fix: `ALTER TABLE ${info.sql} FORCE ROW LEVEL SECURITY (and let another role own the table)`,
      })
    }
    const applicable = info.policies.filter((p) => p.applies)
    if (!applicable.some((p) => p.permissive)) {
      out.push({
        code: 'no_policy',
        table: t.key,
        message: `${t.key} has row-level security but no permissive policy applies to ${role.name}: it sees no row and writes none, so isolation is not what keeps tenants apart${info.policies.length ? ` (policies: ${info.policies.map((p) => p.name).join(', ')})` : ''}`,
        fix: `CREATE POLICY tenant_isolation ON ${info.sql} USING (${t.column} = current_setting('${scope.setting.name}')::…) WITH CHECK (…)`,
      })
    }
    for (const p of applicable) {
      if ((p.command === 'ALL' || p.command === 'INSERT' || p.command === 'UPDATE') && !p.withCheck) {
        out.push({
          code: 'policy_without_check',
          table: t.key,
          object: `${t.key}.${p.name}`,
          message:
            p.command === 'INSERT'
              ? `policy ${p.name} on ${t.key} (FOR INSERT) has no WITH CHECK: any row may be inserted`
              : `policy ${p.name} on ${t.key} (FOR ${p.command}) has no WITH CHECK: written rows are checked only by its USING expression, implicitly, and any permissive policy added later without one lets rows move to another tenant`,
          fix: `recreate ${p.name} with WITH CHECK (${t.column} = current_setting('${scope.setting.name}')::…)`,
        })
      }
    }
    if (t.isTenants) continue
    for (const fk of info.foreignKeys) {
      if (!tenantScoped.has(fk.refTable)) continue
      const carries = fk.columns.some((c, i) => c === t.column && fk.refColumns[i] === t.column)
      if (carries) continue
      out.push({
        code: 'cross_tenant_fk',
        table: t.key,
        object: `${t.key}.${fk.name}`,
        message: `foreign key ${fk.name} on ${t.key} (${fk.columns.join(', ')}) → ${fk.refTable} (${fk.refColumns.join(', ')}) leaves ${t.column} out: foreign-key checks do not see row-level security, so a row may point at another tenant's ${fk.refTable} row`,
        fix: `FOREIGN KEY (${t.column}, ${fk.columns.join(', ')}) REFERENCES ${fk.refTable} (${t.column}, ${fk.refColumns.join(', ')}), with UNIQUE (${t.column}, ${fk.refColumns.join(', ')}) on the parent`,
      })
    }
  }
  return out
}
