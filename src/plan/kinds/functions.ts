/** Functions and procedures (one that a new default calls is created early). */
import { defaultCount } from '../../diff/kinds/functions.js'
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const functions = {
  name: 'functions',
  steps: {
    create_function(c, ctx) {
      const { emit, columnSql } = ctx
      const f = c.function
      const early = new RegExp(`(?<![\\w"$])${qname(f.schema, f.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\(`).test(columnSql)
      return emit(c, early ? PHASE.earlyFunction : PHASE.createFunction, ddl.createFunction(f), `create ${f.isProcedure ? 'procedure' : 'function'} ${f.schema}.${f.name}(${f.args})`, {
        reverse: [alter.dropFunction(f)],
      })
    },
    drop_function(c, ctx) {
      const { emit, gone } = ctx
      return emit(c, PHASE.dropFunction, alter.dropFunction(c.function), `drop ${c.function.isProcedure ? 'procedure' : 'function'} ${c.function.schema}.${c.function.name}(${c.function.args})`, {
        hazards: gone(`function:${c.function.schema}.${c.function.name}(${c.function.args})`)
          ? [hazard('drop_function', `${c.function.schema}.${c.function.name}(${c.function.args})`, `${c.function.isProcedure ? 'procedure' : 'function'} ${c.function.schema}.${c.function.name}(${c.function.args}) is dropped`)]
          : [],
        reverse: [ddl.createFunction(c.function), ...commentBack(`${c.function.isProcedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(c.function.schema, c.function.name)}(${c.function.args})`, c.function.comment)],
      })
    },
    replace_function(c, ctx) {
      const { emit } = ctx
      // CREATE OR REPLACE cannot take a parameter default away: going back from more defaults recreates
      const back = defaultCount(c.from) < defaultCount(c.to) ? [alter.dropFunction(c.to), ddl.createFunction(c.from)] : [ddl.createFunction(c.from)]
      return emit(c, PHASE.createFunction, ddl.createFunction(c.to), `replace function ${c.to.schema}.${c.to.name}(${c.to.args})`, {
        reverse: back,
      })
    },
  },
  createdKey: {
    create_function: (c) => `function:${c.function.schema}.${c.function.name}(${c.function.args})`,
  },
} satisfies PlanKind
