/** Aggregates: created after the functions they call, dropped before them; replaced in place. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

const key = (a: { schema: string; name: string; args: string }) => `${a.schema}.${a.name}(${a.args})`

export const aggregates = {
  name: 'aggregates',
  steps: {
    create_aggregate(c, ctx) {
      const a = c.aggregate
      return ctx.emit(c, PHASE.createAggregate, ddl.createAggregate(a), `create aggregate ${key(a)}`, { reverse: [alter.dropAggregate(a)] })
    },
    drop_aggregate(c, ctx) {
      const a = c.aggregate
      return ctx.emit(c, PHASE.dropAggregate, alter.dropAggregate(a), `drop aggregate ${key(a)}`, {
        hazards: ctx.gone(`aggregate:${key(a)}`) ? [hazard('drop_aggregate', key(a), `aggregate ${key(a)} is dropped`)] : [],
        reverse: [ddl.createAggregate(a), ...commentBack(`AGGREGATE ${ddl.aggregateSignature(a)}`, a.comment)],
      })
    },
    replace_aggregate(c, ctx) {
      return ctx.emit(c, PHASE.createAggregate, ddl.createAggregate(c.to, { replace: true }), `replace aggregate ${key(c.to)}`, {
        reverse: [ddl.createAggregate(c.from, { replace: true })],
      })
    },
  },
  createdKey: {
    create_aggregate: (c) => `aggregate:${key(c.aggregate)}`,
  },
} satisfies PlanKind
