/** Composite types: created before the tables and functions using them, altered attribute by attribute, dropped after them. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'
import type { CompositeTypeDef } from '../../model/types.js'

/** What recreates a dropped composite type: the type and its comments. */
function recreate(t: CompositeTypeDef): string[] {
  return [
    ddl.createCompositeType(t),
    ...commentBack(`TYPE ${qname(t.schema, t.name)}`, t.comment),
    ...t.attributes.flatMap((a) => commentBack(`COLUMN ${qname(t.schema, t.name)}.${ident(a.name)}`, a.comment)),
  ]
}

export const composites = {
  name: 'composites',
  steps: {
    create_composite(c, ctx) {
      const t = c.type
      return ctx.emit(c, PHASE.createComposite, ddl.createCompositeType(t), `create type ${t.schema}.${t.name}`, { reverse: [alter.dropType(t.schema, t.name)] })
    },
    drop_composite(c, ctx) {
      const t = c.type
      const name = `${t.schema}.${t.name}`
      return ctx.emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropComposite, alter.dropType(t.schema, t.name), `drop type ${name}`, {
        hazards: ctx.gone(`composite:${name}`) ? [hazard('drop_composite', name, `composite type ${name} is dropped`)] : [],
        reverse: recreate(t),
      })
    },
    alter_composite(c, ctx) {
      const { from: f, to: t } = c
      const name = `${t.schema}.${t.name}`
      const target = new Map(t.attributes.map((a) => [a.name, a]))
      const before = new Map(f.attributes.map((a) => [a.name, a]))
      for (const a of f.attributes) {
        const n = target.get(a.name)
        if (!n) {
          ctx.emit(c, PHASE.alterComposite, alter.dropAttribute(t, a.name), `drop attribute ${a.name} of type ${name}`, {
            hazards: [hazard('drop_attribute', `${name}.${a.name}`, `attribute ${a.name} of type ${name} is dropped, with its values in every column of the type`)],
            reverse: [alter.addAttribute(t, a), ...commentBack(`COLUMN ${qname(t.schema, t.name)}.${ident(a.name)}`, a.comment)],
          })
        } else if (n.type !== a.type || n.collation !== a.collation) {
          ctx.emit(c, PHASE.alterComposite, alter.alterAttributeType(t, n), `change the type of attribute ${a.name} of type ${name} to ${n.type}`, {
            reverse: [alter.alterAttributeType(t, a)],
          })
        }
      }
      for (const a of t.attributes) {
        if (!before.has(a.name)) ctx.emit(c, PHASE.alterComposite, alter.addAttribute(t, a), `add attribute ${a.name} to type ${name}`, { reverse: [alter.dropAttribute(t, a.name)] })
      }
    },
  },
  createdKey: {
    create_composite: (c) => `composite:${c.type.schema}.${c.type.name}`,
  },
} satisfies PlanKind
