/** Grants and revokes on objects. */
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { PHASE } from '../statements.js'

export const grants = {
  name: 'grants',
  steps: {
    grant(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.grant, ddl.grant(c.grant), `grant ${c.grant.privileges.join(', ')} on ${c.grant.on} ${c.grant.schema}.${c.grant.name} to ${c.grant.role}`, {
        reverse: [ddl.revoke(c.grant)],
      })
    },
    revoke(c, ctx) {
      const { emit } = ctx
      return emit(c, c.afterCreate ? PHASE.grant : PHASE.revoke, ddl.revoke(c.grant), `revoke ${c.grant.privileges.join(', ')} on ${c.grant.on} ${c.grant.schema}.${c.grant.name} from ${c.grant.role}`, {
        reverse: [ddl.grant(c.grant)],
      })
    },
  },
} satisfies PlanKind
