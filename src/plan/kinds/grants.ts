/** Grants and revokes on objects; an entry that takes PUBLIC's default privileges away is applied by REVOKE and undone by GRANT. */
import type { GrantDef } from '../../model/types.js'
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { PHASE } from '../statements.js'

/** `SELECT, UPDATE on table app.t (column c)`, `EXECUTE on function app.f(integer)`. */
function what(g: GrantDef): string {
  const args = g.on === 'function' && g.args !== undefined ? `(${g.args})` : ''
  return `${g.privileges.join(', ')} on ${g.on} ${g.schema}.${g.name}${args}${g.column !== undefined ? ` (column ${g.column})` : ''}`
}

export const grants = {
  name: 'grants',
  steps: {
    grant(c, ctx) {
      const { emit } = ctx
      const g = c.grant
      return emit(c, PHASE.grant, ddl.grant(g), g.revoke ? `revoke ${what(g)} from public (a default privilege)` : `grant ${what(g)} to ${g.role}`, {
        reverse: [ddl.revoke(g)],
      })
    },
    revoke(c, ctx) {
      const { emit } = ctx
      const g = c.grant
      return emit(c, c.afterCreate ? PHASE.grant : PHASE.revoke, ddl.revoke(g), g.revoke ? `grant ${what(g)} back to public (a default privilege)` : `revoke ${what(g)} from ${g.role}`, {
        reverse: [ddl.grant(g)],
      })
    },
  },
} satisfies PlanKind
