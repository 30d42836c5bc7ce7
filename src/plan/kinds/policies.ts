/** Row-level security and policies. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind, tname } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'
import { ident, qname } from '../../sqlgen/quote.js'

export const policies = {
  name: 'policies',
  steps: {
    alter_rls(c, ctx) {
      const { emit } = ctx
      const t = c.table
      if (c.from.enabled !== c.to.enabled) {
        emit(c, c.to.enabled ? PHASE.tableOptions : PHASE.dropPolicy, alter.rlsEnabled(t, c.to.enabled), `${c.to.enabled ? 'enable' : 'disable'} row level security on ${tname(t)}`, {
          reverse: [alter.rlsEnabled(t, c.from.enabled)],
        })
      }
      if (c.from.forced !== c.to.forced) {
        emit(c, c.to.forced ? PHASE.tableOptions : PHASE.dropPolicy, alter.rlsForced(t, c.to.forced), `${c.to.forced ? 'force' : 'stop forcing'} row level security on ${tname(t)}`, {
          reverse: [alter.rlsForced(t, c.from.forced)],
        })
      }
      return
    },
    create_policy(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.policy, ddl.createPolicy(c.table, c.policy), `create policy ${c.policy.name} on ${tname(c.table)}`, {
        reverse: [alter.dropPolicy(c.table, c.policy.name)],
      })
    },
    drop_policy(c, ctx) {
      const { emit, gone } = ctx
      return emit(c, PHASE.dropPolicy, alter.dropPolicy(c.table, c.policy.name), `drop policy ${c.policy.name} on ${tname(c.table)}`, {
        reverse: [ddl.createPolicy(c.table, c.policy), ...commentBack(`POLICY ${ident(c.policy.name)} ON ${qname(c.table.schema, c.table.name)}`, c.policy.comment)],
        hazards: gone(`policy:${tname(c.table)}.${c.policy.name}`)
          ? [hazard('drop_policy', `${tname(c.table)}.${c.policy.name}`, `policy ${c.policy.name} on ${tname(c.table)} is dropped: the rows it guarded are no longer restricted by it`)]
          : [],
      })
    },
    alter_policy(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.policy, alter.alterPolicy(c.table, c.from, c.to), `alter policy ${c.to.name} on ${tname(c.table)}`, {
        reverse: [alter.alterPolicy(c.table, c.to, c.from)],
      })
    },
  },
  createdKey: {
    create_policy: (c) => `policy:${c.table.schema}.${c.table.name}.${c.policy.name}`,
  },
} satisfies PlanKind
