/** Default privileges: deltas per entry; an entry that takes built-in defaults away applies by REVOKE. */
import { defaultPrivilegeKey } from '../../model/normalize.js'
import type { DefaultPrivilegeDef } from '../../model/types.js'
import type { DiffKind } from '../context.js'
import { diffByKey } from '../keyed.js'

export const defaultPrivileges: DiffKind = {
  name: 'defaultPrivileges',
  diff(ctx) {
    const { fromByKey: dpFrom, toByKey: dpTo } = diffByKey(ctx.from.defaultPrivileges ?? [], ctx.to.defaultPrivileges ?? [], defaultPrivilegeKey)
    const dp = (entry: DefaultPrivilegeDef, privileges: readonly string[], adding: boolean) => {
      if (!privileges.length) return
      const grant = adding !== (entry.revoke === true)
      ctx.out.push({ kind: 'alter_default_privileges', entry: { ...entry, privileges }, action: grant ? 'grant' : 'revoke', removes: !adding })
    }
    for (const f of ctx.from.defaultPrivileges ?? []) {
      const n = dpTo.get(defaultPrivilegeKey(f))
      if (!n || n.withGrantOption !== f.withGrantOption) dp(f, f.privileges, false)
      else dp(f, f.privileges.filter((p) => !n.privileges.includes(p)), false)
    }
    for (const d of ctx.to.defaultPrivileges ?? []) {
      const o = dpFrom.get(defaultPrivilegeKey(d))
      if (!o || o.withGrantOption !== d.withGrantOption) dp(d, d.privileges, true)
      else dp(d, d.privileges.filter((p) => !o.privileges.includes(p)), true)
    }
  },
}
