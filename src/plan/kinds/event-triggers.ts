/** Event triggers: dropped first and created last, so that none fires on the migration's own DDL. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const eventTriggers = {
  name: 'eventTriggers',
  steps: {
    create_event_trigger(c, ctx) {
      const e = c.trigger
      ctx.emit(c, PHASE.eventTrigger, ddl.createEventTrigger(e), `create event trigger ${e.name}`, { reverse: [alter.dropEventTrigger(e.name)] })
      if (e.enabled) ctx.emit(c, PHASE.eventTrigger, alter.eventTriggerEnabled(e.name, e.enabled), `event trigger ${e.name} fires ${e.enabled === 'disabled' ? 'never' : e.enabled === 'replica' ? 'on replicas only' : 'always'}`)
    },
    drop_event_trigger(c, ctx) {
      const e = c.trigger
      return ctx.emit(c, PHASE.dropEventTrigger, alter.dropEventTrigger(e.name), `drop event trigger ${e.name}`, {
        hazards: ctx.gone(`event_trigger:${e.name}`) ? [hazard('drop_event_trigger', e.name, `event trigger ${e.name} is dropped`)] : [],
        reverse: [
          ddl.createEventTrigger(e),
          ...(e.enabled ? [alter.eventTriggerEnabled(e.name, e.enabled)] : []),
          ...commentBack(`EVENT TRIGGER ${ident(e.name)}`, e.comment),
        ],
      })
    },
    alter_event_trigger_enabled(c, ctx) {
      return ctx.emit(c, PHASE.eventTrigger, alter.eventTriggerEnabled(c.name, c.to), `event trigger ${c.name}: ${c.to ?? 'enabled'}`, {
        reverse: [alter.eventTriggerEnabled(c.name, c.from)],
      })
    },
  },
  createdKey: {
    create_event_trigger: (c) => `event_trigger:${c.trigger.name}`,
  },
} satisfies PlanKind
