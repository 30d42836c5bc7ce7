/** Collations. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const collations = {
  name: 'collations',
  steps: {
    create_collation(c, ctx) {
      const { emit } = ctx
      const k = c.collation
      return emit(c, PHASE.createCollation, ddl.createCollation(k), `create collation ${k.schema}.${k.name}`, {
        reverse: [alter.dropCollation(k.schema, k.name)],
      })
    },
    drop_collation(c, ctx) {
      const { emit, gone } = ctx
      const k = c.collation
      const name = `${k.schema}.${k.name}`
      return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropCollation, alter.dropCollation(k.schema, k.name), `drop collation ${name}`, {
        hazards: gone(`collation:${name}`) ? [hazard('drop_collation', name, `collation ${name} is dropped`)] : [],
        reverse: [ddl.createCollation(k), ...commentBack(`COLLATION ${qname(k.schema, k.name)}`, k.comment)],
      })
    },
  },
  createdKey: {
    create_collation: (c) => `collation:${c.collation.schema}.${c.collation.name}`,
  },
} satisfies PlanKind
