/** Triggers and their enabled state. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const triggers = {
  name: 'triggers',
  steps: {
    create_trigger(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.trigger, ddl.createTrigger(c.trigger), `create trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table}`, {
        reverse: [alter.dropTrigger(c.trigger)],
      })
    },
    alter_trigger_enabled(c, ctx) {
      const { emit } = ctx
      const t = c.trigger
      return emit(c, PHASE.trigger, alter.triggerEnabled(t, t.enabled), `trigger ${t.name} on ${t.schema}.${t.table}: ${t.enabled ?? 'enabled'}`, {
        reverse: [alter.triggerEnabled(t, c.from)],
      })
    },
    drop_trigger(c, ctx) {
      const { emit, gone } = ctx
      return emit(c, PHASE.dropTrigger, alter.dropTrigger(c.trigger), `drop trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table}`, {
        hazards: gone(`trigger:${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`)
          ? [hazard('drop_trigger', `${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`, `trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table} is dropped: what it did on each write stops`)]
          : [],
        reverse: [
          ddl.createTrigger(c.trigger),
          ...(c.trigger.enabled !== undefined ? [alter.triggerEnabled(c.trigger, c.trigger.enabled)] : []),
          ...commentBack(`TRIGGER ${ident(c.trigger.name)} ON ${qname(c.trigger.schema, c.trigger.table)}`, c.trigger.comment),
        ],
      })
    },
  },
  createdKey: {
    create_trigger: (c) => `trigger:${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`,
  },
} satisfies PlanKind
