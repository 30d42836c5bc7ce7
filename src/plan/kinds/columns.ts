/** Columns: added, dropped, renamed, retyped, NOT NULL (through a validated CHECK), defaults, identity, generated expressions. */
import { hasAssignmentCast } from '../../diff/type-change.js'
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type PlanKind, tname } from '../context.js'
import { hazard, type Hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

const VOLATILE_DEFAULT = /\b(nextval|gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|txid_current)\s*\(/i
const utf8 = new TextEncoder()
const truncate63 = (s: string) => {
  let out = s
  while (utf8.encode(out).length > 63) out = out.slice(0, -1)
  return out
}

export const columns = {
  name: 'columns',
  steps: {
    add_column(c, ctx) {
      const { emit } = ctx
      const col = c.column
      const obj = `${tname(c.table)}.${col.name}`
      const hazards: Hazard[] = []
      if (c.regenerated) hazards.push(hazard('regenerated_column', obj, `generated column ${obj} is dropped and added again with its new expression, rewriting the table`))
      else if (col.generated !== undefined || col.identity || (col.default !== undefined && VOLATILE_DEFAULT.test(col.default))) {
        hazards.push(hazard('table_rewrite', obj, `adding ${obj} (${col.generated !== undefined ? 'generated' : col.identity ? 'identity' : 'volatile default'}) rewrites ${tname(c.table)}`))
      } else if (col.notNull && col.default === undefined) {
        hazards.push(hazard('add_required_column', obj, `NOT NULL column ${obj} has no default: adding it fails if ${tname(c.table)} has rows`))
      }
      // after ALTER COLUMN … TYPE of the columns it reads (Postgres refuses to retype those under it)
      emit(c, c.afterRetype ? PHASE.alterColumn + 0.2 : PHASE.addColumn, alter.addColumn(c.table, ddl.columnDefinition(col)), `add column ${obj}`, {
        hazards,
        reverse: [alter.dropColumn(c.table, col.name)],
      })
      if (col.storage) emit(c, PHASE.addColumn, alter.alterColumnStorage(c.table, col.name, col.storage), `set the storage of ${obj} to ${col.storage}`)
      return
    },
    alter_column_storage(c, ctx) {
      const obj = `${tname(c.table)}.${c.column}`
      if (c.from.storage !== c.to.storage) {
        ctx.emit(c, PHASE.alterColumn, alter.alterColumnStorage(c.table, c.column, c.to.storage), `set the storage of ${obj} to ${c.to.storage} (values written from now on)`, {
          // after a type change, the type's reverse restores the storage
          ...(c.retyped ? {} : { reverse: [alter.alterColumnStorage(c.table, c.column, c.from.storage)] }),
        })
      }
      if (c.from.compression !== c.to.compression) {
        ctx.emit(c, PHASE.alterColumn, alter.alterColumnCompression(c.table, c.column, c.to.compression), `compress ${obj} with ${c.to.compression ?? 'the default method'} (values written from now on)`, {
          reverse: [alter.alterColumnCompression(c.table, c.column, c.from.compression)],
        })
      }
    },
    drop_column(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.column.name}`
      return emit(c, PHASE.dropColumn, alter.dropColumn(c.table, c.column.name), `drop column ${obj}`, {
        hazards: c.regenerated
          ? [hazard('regenerated_column', obj, `generated column ${obj} is dropped to be added again with its new expression (its values are recomputed)`)]
          : [hazard('drop_column', obj, `column ${obj} is dropped with its data`)],
        reverse: [
          ...(c.regenerated ? [] : [`-- recreates column ${obj}; its data is lost`]),
          alter.addColumn(c.table, ddl.columnDefinition(c.column)),
          ...commentBack(`COLUMN ${qname(c.table.schema, c.table.name)}.${ident(c.column.name)}`, c.column.comment),
        ],
      })
    },
    rename_column(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.rename, alter.renameColumn(c.table, c.from, c.to), `rename column ${tname(c.table)}.${c.from} to ${c.to}`, {
        reverse: [alter.renameColumn(c.table, c.to, c.from)],
        hazards: [hazard('rename', `${tname(c.table)}.${c.from}`, `column ${tname(c.table)}.${c.from} is renamed to ${c.to}: clients using the old name break`)],
      })
    },
    alter_column_type(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.to.name}`
      const change = `${c.from.type}${c.from.collation ? ` collate ${c.from.collation}` : ''} → ${c.to.type}${c.to.collation ? ` collate ${c.to.collation}` : ''}`
      const hazards: Hazard[] = []
      if (c.safety === 'narrowing') hazards.push(hazard('type_narrowing', obj, `${obj} narrows ${change}: values that do not fit make the migration fail`))
      if (c.safety === 'safe') hazards.push(hazard('column_type_change', obj, `${obj} changes ${change} without a rewrite (brief ACCESS EXCLUSIVE lock)`))
      else hazards.push(hazard('table_rewrite', obj, `${obj} changes ${change}: ${tname(c.table)} is rewritten under an ACCESS EXCLUSIVE lock`))
      const backUsing = c.reverseUsing ?? (hasAssignmentCast(c.to.type, c.from.type) ? undefined : `${ident(c.from.name)}::${c.from.type}`)
      return emit(c, PHASE.alterColumn, alter.alterColumnType(c.table, c.to, c.using), `change type of ${obj} (${change})`, {
        hazards,
        // the old type brings back its own storage: a column's own is set again
        reverse: [alter.alterColumnType(c.table, c.from, backUsing), ...(c.from.storage ? [alter.alterColumnStorage(c.table, c.from.name, c.from.storage)] : [])],
      })
    },
    alter_column_nullability(c, ctx) {
      const { emit, p, isNew } = ctx
      const obj = `${tname(c.table)}.${c.column}`
      if (!c.notNull) {
        return emit(c, PHASE.alterColumn, alter.alterColumnNotNull(c.table, c.column, false), `make ${obj} nullable`, {
          reverse: [alter.alterColumnNotNull(c.table, c.column, true)],
        })
      }
      if (!p.safeNotNull || isNew(c.table)) {
        return emit(c, PHASE.alterColumn, alter.alterColumnNotNull(c.table, c.column, true), `make ${obj} NOT NULL`, {
          reverse: [alter.alterColumnNotNull(c.table, c.column, false)],
          hazards: isNew(c.table) ? [] : [hazard('blocking_scan', obj, `SET NOT NULL scans ${tname(c.table)} under an ACCESS EXCLUSIVE lock (policy)`)],
        })
      }
      const check = truncate63(`${c.table.name}_${c.column}_not_null_check`)
      emit(c, PHASE.alterColumn, alter.addConstraint(c.table, ddl.checkClause({ name: check, expression: `${ident(c.column)} IS NOT NULL` }, { notValid: true })),
        `make ${obj} NOT NULL, step 1: add an unvalidated CHECK (${ident(c.column)} IS NOT NULL)`)
      emit(c, PHASE.alterColumn, alter.validateConstraint(c.table, check),
        `make ${obj} NOT NULL, step 2: validate the CHECK in its own transaction (scans without blocking writes)`, { transactional: false })
      emit(c, PHASE.alterColumn, alter.alterColumnNotNull(c.table, c.column, true),
        `make ${obj} NOT NULL, step 3: SET NOT NULL uses the validated CHECK instead of scanning`, {
          reverse: [alter.alterColumnNotNull(c.table, c.column, false)],
        })
      emit(c, PHASE.alterColumn, alter.dropConstraint(c.table, check), `make ${obj} NOT NULL, step 4: drop the helper CHECK`)
      return
    },
    alter_column_default(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.column}`
      const only = { only: c.only === true }
      return emit(c, c.to === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterColumnDefault(c.table, c.column, c.to, only),
        c.to === undefined ? `drop default of ${obj}` : `set default of ${obj}`, { reverse: [alter.alterColumnDefault(c.table, c.column, c.from, only)] })
    },
    alter_column_identity(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.column}`
      return emit(c, c.to === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterColumnIdentity(c.table, c.column, c.from, c.to, c.options),
        c.to === undefined ? `drop identity of ${obj}` : `identity of ${obj}: generated ${c.to}`, {
          reverse: [alter.alterColumnIdentity(c.table, c.column, c.to, c.from, c.fromOptions)],
        })
    },
    alter_identity_options(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.column}`
      return emit(c, PHASE.alterColumn, alter.alterIdentityOptions(c.table, c.column, c.type, c.from, c.to), `sequence options of identity ${obj}`, {
        reverse: [alter.alterIdentityOptions(c.table, c.column, c.type, c.to, c.from)],
      })
    },
    drop_column_expression(c, ctx) {
      const { emit } = ctx
      const obj = `${tname(c.table)}.${c.column.name}`
      return emit(c, PHASE.alterColumn, alter.dropColumnExpression(c.table, c.column.name), `${obj} stops being generated (keeps its values)`, {
        irreversible: `${obj} cannot become a generated column again without being dropped and added`,
        hazards: [hazard('irreversible', obj, `${obj} stops being generated; the down migration cannot restore the expression`)],
      })
    },
  },
} satisfies PlanKind
