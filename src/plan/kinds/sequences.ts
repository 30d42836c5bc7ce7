/** Sequences and their owning columns. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const sequences = {
  name: 'sequences',
  steps: {
    create_sequence(c, ctx) {
      const { emit } = ctx
      emit(c, PHASE.createSequence, ddl.createSequence(c.sequence), `create sequence ${c.sequence.schema}.${c.sequence.name}`, {
        reverse: [alter.dropSequence(c.sequence)],
      })
      const owned = ddl.sequenceOwnedBy(c.sequence)
      // the reverse detaches it, so that undoing the column does not take the sequence before its own DROP
      if (owned) {
        emit(c, PHASE.sequenceOwner, owned, `sequence ${c.sequence.schema}.${c.sequence.name} is owned by its column`, {
          reverse: [alter.sequenceOwnedByNone(c.sequence)],
        })
      }
      return
    },
    drop_sequence(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropSequence, alter.dropSequence(c.sequence), `drop sequence ${c.sequence.schema}.${c.sequence.name}`, {
        hazards: [hazard('drop_sequence', `${c.sequence.schema}.${c.sequence.name}`, `sequence ${c.sequence.schema}.${c.sequence.name} is dropped (its current value is lost)`)],
        reverse: [
          ddl.createSequence(c.sequence),
          ...(ddl.sequenceOwnedBy(c.sequence) ? [ddl.sequenceOwnedBy(c.sequence) as string] : []),
          ...commentBack(`SEQUENCE ${qname(c.sequence.schema, c.sequence.name)}`, c.sequence.comment),
        ],
      })
    },
    alter_sequence(c, ctx) {
      const { emit } = ctx
      const name = `${c.to.schema}.${c.to.name}`
      const { ownedBy: _a, comment: _b, ...fo } = c.from
      const { ownedBy: _c, comment: _d, ...to } = c.to
      if (JSON.stringify(fo) !== JSON.stringify(to)) {
        // ALTER SEQUENCE refuses a MINVALUE above the current value: a sequence still below it moves up to it first
        if (BigInt(c.to.min) > BigInt(c.from.min) && BigInt(c.to.min) <= BigInt(c.from.max)) {
          const seq = qname(c.to.schema, c.to.name)
          emit(c, PHASE.createSequence, `SELECT setval('${seq.replaceAll("'", "''")}', GREATEST(last_value, ${c.to.min}), is_called) FROM ${seq}`,
            `sequence ${name}: a current value below the new MINVALUE ${c.to.min} moves up to it`, { reverse: [] })
        }
        emit(c, PHASE.createSequence, alter.alterSequence(c.to), `alter sequence ${name}`, { reverse: [alter.alterSequence(c.from)] })
      }
      if (c.releaseFirst) {
        // before the column or table that owns it is dropped (the drop would take the sequence along)
        emit(c, PHASE.dropForeignKey, alter.sequenceOwnedByNone(c.to), `release sequence ${name} from its dropped owner`, {
          reverse: [ddl.sequenceOwnedBy(c.from) ?? alter.sequenceOwnedByNone(c.from)],
        })
        const owned = ddl.sequenceOwnedBy(c.to)
        if (owned) emit(c, PHASE.sequenceOwner, owned, `change owner of sequence ${name}`, { reverse: [alter.sequenceOwnedByNone(c.to)] })
      } else if (JSON.stringify(c.from.ownedBy) !== JSON.stringify(c.to.ownedBy)) {
        emit(c, PHASE.sequenceOwner, ddl.sequenceOwnedBy(c.to) ?? alter.sequenceOwnedByNone(c.to), `change owner of sequence ${name}`, {
          reverse: [ddl.sequenceOwnedBy(c.from) ?? alter.sequenceOwnedByNone(c.from)],
        })
      }
      return
    },
  },
} satisfies PlanKind
