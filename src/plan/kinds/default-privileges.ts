/** Default privileges. */
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { PHASE } from '../statements.js'

export const defaultPrivileges = {
  name: 'default-privileges',
  steps: {
    alter_default_privileges(c, ctx) {
      const { emit } = ctx
      const d = c.entry
      const where = `${d.role ?? 'the migrating role'}${d.schema !== undefined ? ` in schema ${d.schema}` : ''}`
      const what = `default privileges of ${where} on ${d.on} for ${d.grantee}`
      return emit(c, PHASE.defaultPrivileges, ddl.alterDefaultPrivileges(d, c.action), `${c.action} ${d.privileges.join(', ')}: ${what}`, {
        reverse: [ddl.alterDefaultPrivileges(d, c.action === 'grant' ? 'revoke' : 'grant')],
        hazards: c.removes ? [hazard('drop_default_privileges', `${where}:${d.on}:${d.grantee}`, `${what} lose ${d.privileges.join(', ')}: objects created from now on are ${c.action === 'grant' ? 'granted them again by Postgres\' built-in defaults' : 'no longer granted them'}`)] : [],
      })
    },
  },
} satisfies PlanKind
