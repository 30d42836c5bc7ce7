/** Schemas. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const schemas = {
  name: 'schemas',
  steps: {
    create_schema(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createSchema, ddl.createSchema(c.schema), `create schema ${c.schema.name}`, { reverse: [alter.dropSchema(c.schema.name)] })
    },
    drop_schema(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropSchema, alter.dropSchema(c.schema.name), `drop schema ${c.schema.name}`, {
        hazards: [hazard('drop_schema', c.schema.name, `schema ${c.schema.name} is dropped`)],
        reverse: [ddl.createSchema(c.schema), ...commentBack(`SCHEMA ${ident(c.schema.name)}`, c.schema.comment)],
      })
    },
  },
} satisfies PlanKind
