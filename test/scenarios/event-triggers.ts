/**
 * Scenarios for event triggers: created last (so that none fires on the migration's own DDL) with
 * their ENABLE state, altered in place, made again for a new tag list, dropped first. Same format as cases.ts.
 */
import type { EventTriggerDef, FunctionDef } from '../../src/model/types.js'
import { model } from '../unit/plan/build.js'
import type { Scenario } from './cases.js'

/** Every scenario of this file. */
export function eventTriggerScenarios(): Scenario[] {
  const app = { kind: 'schema' as const, name: 'app' }
  const onDdl: FunctionDef = {
    kind: 'function', schema: 'app', name: 'on_ddl', args: '', isProcedure: false,
    definition: 'CREATE OR REPLACE FUNCTION app.on_ddl()\n RETURNS event_trigger\n LANGUAGE plpgsql\nAS $function$ BEGIN END $function$',
  }
  const et = (extra: Partial<EventTriggerDef> = {}): EventTriggerDef => ({ kind: 'event_trigger', name: 'cairn_sc_ddl', event: 'ddl_command_end', function: 'app.on_ddl', ...extra })
  const base = { schemas: [app], functions: [onDdl] }
  return [
    {
      name: 'event-trigger-created-last',
      before: model({ schemas: [app] }),
      after: model({ ...base, eventTriggers: [et({ tags: ['ALTER TABLE', 'CREATE TABLE'], enabled: 'replica', comment: 'logs DDL' })] }),
      sql: [
        onDdl.definition,
        "CREATE EVENT TRIGGER cairn_sc_ddl ON ddl_command_end WHEN TAG IN ('ALTER TABLE', 'CREATE TABLE') EXECUTE FUNCTION app.on_ddl()",
        'ALTER EVENT TRIGGER cairn_sc_ddl ENABLE REPLICA',
        "COMMENT ON EVENT TRIGGER cairn_sc_ddl IS 'logs DDL'",
      ],
    },
    {
      name: 'event-trigger-disabled-and-retagged',
      before: model({ ...base, eventTriggers: [et(), et({ name: 'cairn_sc_two', event: 'sql_drop' })] }),
      after: model({ ...base, eventTriggers: [et({ enabled: 'disabled' }), et({ name: 'cairn_sc_two', event: 'sql_drop', tags: ['DROP TABLE'] })] }),
      sql: [
        'DROP EVENT TRIGGER cairn_sc_two',
        'ALTER EVENT TRIGGER cairn_sc_ddl DISABLE',
        "CREATE EVENT TRIGGER cairn_sc_two ON sql_drop WHEN TAG IN ('DROP TABLE') EXECUTE FUNCTION app.on_ddl()",
      ],
    },
    {
      name: 'event-trigger-dropped-first',
      before: model({ ...base, eventTriggers: [et()] }),
      after: model({ schemas: [app] }),
      sql: ['DROP EVENT TRIGGER cairn_sc_ddl', 'DROP FUNCTION app.on_ddl()'],
      options: { policy: { allowDestructive: true } },
    },
  ]
}
