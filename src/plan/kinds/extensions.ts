/** Extensions. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { PHASE } from '../statements.js'

export const extensions = {
  name: 'extensions',
  steps: {
    create_extension(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createExtension, ddl.createExtension(c.extension), `create extension ${c.extension.name}`, {
        reverse: [alter.dropExtension(c.extension.name)],
      })
    },
    drop_extension(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropExtension, alter.dropExtension(c.extension.name), `drop extension ${c.extension.name}`, {
        hazards: [hazard('drop_extension', c.extension.name, `extension ${c.extension.name} is dropped with its types and functions`)],
        reverse: [ddl.createExtension(c.extension)],
      })
    },
    alter_extension_schema(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.createExtension, alter.alterExtensionSchema(c.to.name, c.to.schema), `move extension ${c.to.name} to schema ${c.to.schema}`, {
        reverse: [alter.alterExtensionSchema(c.from.name, c.from.schema)],
      })
    },
  },
} satisfies PlanKind
