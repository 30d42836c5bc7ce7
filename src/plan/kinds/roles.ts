/** Roles (cluster-wide). */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { PHASE } from '../statements.js'

export const roles = {
  name: 'roles',
  steps: {
    create_role(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createRole, ddl.createRole(c.role), `create role ${c.role.name}`, { reverse: [alter.dropRole(c.role.name)] })
    },
    drop_role(c, ctx) {
      const { emit, gone } = ctx
      return emit(c, PHASE.dropRole, alter.dropRole(c.role.name), `drop role ${c.role.name}`, {
        reverse: [ddl.createRole(c.role)],
        hazards: gone(`role:${c.role.name}`) ? [hazard('drop_role', c.role.name, `role ${c.role.name} is dropped (roles are cluster-wide: other databases may use it)`)] : [],
      })
    },
    alter_role(c, ctx) {
      const { emit } = ctx
      const fwd = alter.alterRole(c.from, c.to)
      const back = alter.alterRole(c.to, c.from)
      fwd.forEach((sql, i) => emit(c, PHASE.createRole, sql, `alter role ${c.to.name}`, i === 0 ? { reverse: back } : {}))
      return
    },
  },
  createdKey: {
    create_role: (c) => `role:${c.role.name}`,
  },
} satisfies PlanKind
