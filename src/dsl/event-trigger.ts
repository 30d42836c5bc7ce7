/**
 * Event triggers: `eventTrigger(name, { event, tags, function, enabled })`, a database-wide
 * CREATE EVENT TRIGGER calling a function that `RETURNS event_trigger`:
 *
 *   const logDdl = fn(app, 'log_ddl', { returns: 'event_trigger', body: … })
 *   export const ddlLog = eventTrigger('ddl_log', { event: 'ddl_command_end', tags: ['CREATE TABLE'], function: logDdl })
 */
import type { EventTriggerDef } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { Fn } from './routine.js'
import { markDsl } from './table.js'

/** Options of {@link eventTrigger}. */
export interface EventTriggerOptions {
  readonly event: EventTriggerDef['event']
  /** WHEN TAG IN (…): command tags such as `CREATE TABLE` (any case); none for every command. */
  readonly tags?: readonly string[]
  /** The function (a fn() object, brought along, or its qualified name). */
  readonly function: Fn | string
  /** Default enabled (fires on origin and local sessions). */
  readonly enabled?: 'enabled' | 'disabled' | 'replica' | 'always'
  readonly comment?: string
}

/** An event trigger; export it. */
export interface EventTrigger {
  readonly $def: EventTriggerDef
  readonly at: DefinedAt
  /** The fn() object it calls, loaded with it. */
  readonly fn?: Fn
}

/** `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (…)] EXECUTE FUNCTION fn()`. */
export function eventTrigger(name: string, o: EventTriggerOptions): EventTrigger {
  const at = captureLocation()
  const f = typeof o.function === 'string' ? undefined : o.function
  const def: EventTriggerDef = {
    kind: 'event_trigger',
    name,
    event: o.event,
    ...(o.tags?.length ? { tags: [...new Set(o.tags.map((t) => t.trim().replace(/\s+/g, ' ').toUpperCase()))].sort() } : {}),
    function: f ? qname(f.$schema, f.$name) : (o.function as string).trim(),
    ...(o.enabled !== undefined && o.enabled !== 'enabled' ? { enabled: o.enabled } : {}),
    ...(o.comment !== undefined ? { comment: o.comment } : {}),
  }
  return markDsl({ $def: def, at, ...(f ? { fn: f } : {}) }, 'event_trigger')
}
