/**
 * Event triggers (database-wide): a new event, tag list or function means drop + create; the
 * ENABLE state is altered in place.
 */
import type { DiffKind } from '../context.js'
import { diffByKey, same, without } from '../keyed.js'

export const eventTriggers: DiffKind = {
  name: 'eventTriggers',
  diff(ctx) {
    const { out } = ctx
    const { pairs, dropped } = diffByKey(ctx.from.eventTriggers ?? [], ctx.to.eventTriggers ?? [], (e) => e.name)
    for (const { from: f, to: e } of pairs) {
      let kept = f
      if (!f) out.push({ kind: 'create_event_trigger', trigger: e })
      else if (!same(without(f, 'comment', 'enabled'), without(e, 'comment', 'enabled'))) {
        out.push({ kind: 'drop_event_trigger', trigger: f }, { kind: 'create_event_trigger', trigger: e })
        kept = undefined
      } else if (f.enabled !== e.enabled) {
        out.push({ kind: 'alter_event_trigger_enabled', name: e.name, ...(f.enabled ? { from: f.enabled } : {}), ...(e.enabled ? { to: e.enabled } : {}) })
      }
      ctx.comment({ on: 'event_trigger', name: e.name }, kept?.comment, e.comment)
    }
    for (const f of dropped) out.push({ kind: 'drop_event_trigger', trigger: f })
  },
}
