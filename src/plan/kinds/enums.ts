/** Enum types: created, dropped, renamed, values added or renamed, recreated with other values. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { literal, qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const enums = {
  name: 'enums',
  steps: {
    create_enum(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createEnum, ddl.createEnum(c.enum), `create enum ${c.enum.schema}.${c.enum.name}`, {
        reverse: [alter.dropType(c.enum.schema, c.enum.name)],
      })
    },
    drop_enum(c, ctx) {
      const { emit } = ctx
      return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropEnum, alter.dropType(c.enum.schema, c.enum.name), `drop enum ${c.enum.schema}.${c.enum.name}`, {
        hazards: [hazard('drop_enum', `${c.enum.schema}.${c.enum.name}`, `enum type ${c.enum.schema}.${c.enum.name} is dropped`)],
        reverse: [ddl.createEnum(c.enum), ...commentBack(`TYPE ${qname(c.enum.schema, c.enum.name)}`, c.enum.comment)],
      })
    },
    rename_enum(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.rename, alter.renameType(c.schema, c.from, c.to), `rename enum ${c.schema}.${c.from} to ${c.to}`, {
        reverse: [alter.renameType(c.schema, c.to, c.from)],
        hazards: [hazard('rename', `${c.schema}.${c.from}`, `enum ${c.schema}.${c.from} is renamed to ${c.to}`)],
      })
    },
    rename_enum_value(c, ctx) {
      const { emit } = ctx
      const e = c.enum
      return emit(c, PHASE.rename, alter.renameEnumValue(e.schema, e.name, c.from, c.to), `rename value ${literal(c.from)} of enum ${e.schema}.${e.name} to ${literal(c.to)}`, {
        reverse: [alter.renameEnumValue(e.schema, e.name, c.to, c.from)],
        hazards: [hazard('rename', `${e.schema}.${e.name}`, `enum value ${literal(c.from)} of ${e.schema}.${e.name} is renamed to ${literal(c.to)}: clients using the old value break`)],
      })
    },
    recreate_enum(c, ctx) {
      const { emit } = ctx
      const e = c.to
      const name = `${e.schema}.${e.name}`
      const removed = c.from.values.filter((v) => !e.values.includes(v))
      const why = removed.length ? `without ${removed.map(literal).join(', ')}` : 'with its values in a new order'
      const irreversible = `enum ${name} is created again ${why}; the down migration cannot restore the old type`
      emit(c, PHASE.createEnum, alter.renameType(e.schema, e.name, c.asideName), `enum ${name} is created again ${why}, step 1: move the old type aside`, {
        irreversible,
        hazards: [
          hazard('irreversible', name, irreversible),
          ...(removed.length ? [hazard('table_rewrite', name, `every column of enum ${name} is rewritten to the new type; a row holding ${removed.map(literal).join(', ')} makes the migration fail`)] : []),
        ],
      })
      emit(c, PHASE.createEnum, ddl.createEnum(e), `enum ${name} is created again, step 2: the new type (its columns move to it next)`)
      emit(c, PHASE.dropTypeAfterColumns, alter.dropType(e.schema, c.asideName), `enum ${name} is created again, step 3: drop the old type once no column uses it`)
      return
    },
    add_enum_value(c, ctx) {
      const { emit, policy } = ctx
      const pre12 = (policy.serverVersion ?? 130000) < 120000
      return emit(
        c,
        PHASE.createEnum,
        alter.addEnumValue(c.enum.schema, c.enum.name, c.value, c),
        `add value ${literal(c.value)} to enum ${c.enum.schema}.${c.enum.name}`,
        {
          transactional: !pre12,
          irreversible: `Postgres cannot remove the value ${literal(c.value)} from enum ${qname(c.enum.schema, c.enum.name)}`,
          hazards: [hazard('irreversible', `${c.enum.schema}.${c.enum.name}`, `enum value ${literal(c.value)} cannot be removed by the down migration`)],
        },
      )
    },
  },
} satisfies PlanKind
