/** Views and materialized views. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type PlanKind, tname } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const views = {
  name: 'views',
  steps: {
    create_view(c, ctx) {
      const { emit } = ctx
      const v = c.view
      emit(c, PHASE.view, ddl.createView(v), `${c.dependent ? 'recreate' : 'create'} ${v.materialized ? 'materialized view' : 'view'} ${tname(v)}`, {
        reverse: [alter.dropView(v)],
      })
      for (const ix of v.indexes) emit(c, PHASE.view, ddl.createIndex(v, ix), `create index ${v.schema}.${ix.name} on ${tname(v)}`)
      return
    },
    drop_view(c, ctx) {
      const { emit, gone } = ctx
      return emit(c, PHASE.dropView, alter.dropView(c.view), `drop ${c.view.materialized ? 'materialized view' : 'view'} ${tname(c.view)}${c.dependent ? ' (recreated after the change it depends on)' : ''}`, {
        hazards: gone(`view:${tname(c.view)}`)
          ? [hazard('drop_view', tname(c.view), `${c.view.materialized ? 'materialized view' : 'view'} ${tname(c.view)} is dropped${c.view.materialized ? ' with its data' : ''}`)]
          : [],
        reverse: [
          ddl.createView(c.view),
          ...c.view.indexes.map((ix) => ddl.createIndex(c.view, ix)),
          ...commentBack(`${c.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qname(c.view.schema, c.view.name)}`, c.view.comment),
          ...Object.entries(c.view.columnComments ?? {}).flatMap(([col, text]) => commentBack(`COLUMN ${qname(c.view.schema, c.view.name)}.${ident(col)}`, text)),
          ...c.view.indexes.flatMap((ix) => commentBack(`INDEX ${qname(c.view.schema, ix.name)}`, ix.comment)),
        ],
      })
    },
    replace_view(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.view, alter.replaceView(c.to), `replace view ${tname(c.to)}`, {
        reverse: [alter.dropView(c.from), ddl.createView(c.from)],
      })
    },
  },
  createdKey: {
    create_view: (c) => `view:${c.view.schema}.${c.view.name}`,
  },
} satisfies PlanKind
