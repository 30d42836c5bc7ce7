/** Table constraints: primary keys and uniques (through a concurrently built index), checks and foreign keys (NOT VALID + VALIDATE), exclusions, renames. */
import type { CheckDef, ForeignKeyDef, TableDef } from '../../model/types.js'
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type ChangeOf, type PlanContext, type PlanKind, tname } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

function addKey(c: ChangeOf<'add_primary_key' | 'add_unique'>, ctx: PlanContext): void {
  const { emit, p, isNew } = ctx
  const t = c.table
  const isPk = c.kind === 'add_primary_key'
  const def = c.kind === 'add_primary_key' ? c.primaryKey : c.unique
  const nnd = c.kind === 'add_unique' && c.unique.nullsNotDistinct === true
  const clause = c.kind === 'add_primary_key' ? ddl.primaryKeyClause(c.primaryKey) : ddl.uniqueClause(c.unique)
  const reverse = [alter.dropConstraint(t, def.name)]
  const partitioned = c.partitioned === true
  if (!isNew(t) && p.uniqueViaIndex && !partitioned) {
    emit(c, PHASE.addKey, ddl.createIndex(t, alter.backingIndex(def.name, def.columns, nnd, def.with, def.include), { concurrently: true }),
      `${isPk ? 'primary key' : 'unique constraint'} ${def.name} on ${tname(t)}, step 1: build its unique index concurrently`, {
        // no reverse of its own: dropping the constraint (step 2's reverse) drops the index with it
        transactional: false,
      })
    emit(c, PHASE.addKey, alter.addConstraintUsingIndex(t, def.name, isPk ? 'PRIMARY KEY' : 'UNIQUE', def),
      `${isPk ? 'primary key' : 'unique constraint'} ${def.name} on ${tname(t)}, step 2: attach the index as the constraint`, { reverse })
    return
  }
  return emit(c, PHASE.addKey, alter.addConstraint(t, clause), `add ${isPk ? 'primary key' : 'unique constraint'} ${def.name} on ${tname(t)}`, {
    reverse,
    hazards: isNew(t) ? [] : [hazard('blocking_index_build', `${tname(t)}.${def.name}`, `${def.name} builds its index while writes to ${tname(t)} are blocked${partitioned ? ' (partitioned tables cannot use USING INDEX)' : ' (policy)'}`)],
  })
}

function addChecked(c: ChangeOf<'add_check' | 'add_foreign_key'>, ctx: PlanContext): void {
  const { emit, p, policy, isNew } = ctx
  const t = c.table
  const name = c.kind === 'add_check' ? c.check.name : c.foreignKey.name
  const what = c.kind === 'add_check' ? 'check constraint' : 'foreign key'
  const phase = c.kind === 'add_check' ? PHASE.addKey : PHASE.addForeignKey
  // NOT VALID foreign keys on partitioned tables only exist from PostgreSQL 18 on
  const fkOnPartitioned = c.kind === 'add_foreign_key' && c.partitioned === true && (policy.serverVersion ?? 0) < 180000
  const notValid = p.notValid && !isNew(t) && !fkOnPartitioned
  const clause = c.kind === 'add_check' ? ddl.checkClause(c.check, { notValid }) : ddl.foreignKeyClause(c.foreignKey, { notValid })
  const reverse = [alter.dropConstraint(t, name)]
  // wanted NOT VALID: added so, and never validated (the rows already there may not pass it)
  if ((c.kind === 'add_check' ? c.check.notValid : c.foreignKey.notValid) === true) {
    return emit(c, phase, alter.addConstraint(t, c.kind === 'add_check' ? ddl.checkClause(c.check, { notValid: true }) : ddl.foreignKeyClause(c.foreignKey, { notValid: true })),
      `add ${what} ${name} on ${tname(t)} NOT VALID (rows already there are not checked)`, { reverse })
  }
  if (!notValid) {
    const hazards = isNew(t) ? [] : [hazard('blocking_scan', `${tname(t)}.${name}`, `${what} ${name} is validated while ${tname(t)} is locked${fkOnPartitioned ? ' (NOT VALID foreign keys on partitioned tables need PostgreSQL 18)' : ' (policy)'}`)]
    return emit(c, phase, alter.addConstraint(t, clause), `add ${what} ${name} on ${tname(t)}`, { reverse, hazards })
  }
  emit(c, phase, alter.addConstraint(t, clause), `add ${what} ${name} on ${tname(t)}, step 1: NOT VALID (no scan)`, { reverse })
  emit(c, phase, alter.validateConstraint(t, name), `add ${what} ${name} on ${tname(t)}, step 2: validate in its own transaction (scans without blocking writes)`, {
    transactional: false,
  })
  return
}

export const constraints = {
  name: 'constraints',
  steps: {
    add_primary_key: addKey,
    add_unique: addKey,
    add_check: addChecked,
    add_foreign_key: addChecked,
    add_exclusion(c, ctx) {
      const { emit, isNew } = ctx
      const t = c.table
      const name = c.exclusion.name
      return emit(c, PHASE.addKey, alter.addConstraint(t, ddl.exclusionClause(c.exclusion)), `add exclusion constraint ${name} on ${tname(t)}`, {
        reverse: [alter.dropConstraint(t, name)],
        // Postgres has no CONCURRENTLY or NOT VALID form for EXCLUDE constraints
        hazards: isNew(t) ? [] : [hazard('blocking_index_build', `${tname(t)}.${name}`, `exclusion constraint ${name} builds its index and checks every row while ${tname(t)} is locked (ACCESS EXCLUSIVE); Postgres offers no NOT VALID or CONCURRENTLY form`)],
      })
    },
    drop_exclusion(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.exclusion.name), `drop exclusion constraint ${c.exclusion.name} of ${tname(c.table)}`, {
        reverse: [alter.addConstraint(c.table, ddl.exclusionClause(c.exclusion))],
      })
    },
    drop_primary_key(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.primaryKey.name), `drop primary key ${c.primaryKey.name} of ${tname(c.table)}`, {
        reverse: [alter.addConstraint(c.table, ddl.primaryKeyClause(c.primaryKey))],
      })
    },
    drop_unique(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.unique.name), `drop unique constraint ${c.unique.name} of ${tname(c.table)}`, {
        reverse: [alter.addConstraint(c.table, ddl.uniqueClause(c.unique))],
      })
    },
    drop_check(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.check.name), `drop check constraint ${c.check.name} of ${tname(c.table)}`, {
        reverse: [alter.addConstraint(c.table, ddl.checkClause(c.check)), ...commentBack(`CONSTRAINT ${ident(c.check.name)} ON ${qname(c.table.schema, c.table.name)}`, c.check.comment)],
      })
    },
    drop_foreign_key(c, ctx) {
      const { emit } = ctx
      return emit(c, PHASE.dropForeignKey, alter.dropConstraint(c.table, c.foreignKey.name), `drop foreign key ${c.foreignKey.name} of ${tname(c.table)}`, {
        reverse: [
          ddl.addForeignKey(c.table as TableDef, c.foreignKey),
          ...commentBack(`CONSTRAINT ${ident(c.foreignKey.name)} ON ${qname(c.table.schema, c.table.name)}`, c.foreignKey.comment),
        ],
      })
    },
    validate_constraint(c, ctx) {
      const { emit } = ctx
      const what = c.constraint === 'check' ? 'check constraint' : 'foreign key'
      const clause = c.constraint === 'check' ? ddl.checkClause(c.from as CheckDef, { notValid: true }) : ddl.foreignKeyClause(c.from as ForeignKeyDef, { notValid: true })
      return emit(c, c.constraint === 'check' ? PHASE.addKey : PHASE.addForeignKey, alter.validateConstraint(c.table, c.from.name),
        `validate ${what} ${c.from.name} of ${tname(c.table)} (it was NOT VALID) in its own transaction (scans without blocking writes)`, {
          transactional: false,
          // back to NOT VALID: made again without validation
          reverse: [
            alter.dropConstraint(c.table, c.from.name),
            alter.addConstraint(c.table, clause),
            ...commentBack(`CONSTRAINT ${ident(c.from.name)} ON ${qname(c.table.schema, c.table.name)}`, c.from.comment),
          ],
        })
    },
    rename_constraint(c, ctx) {
      const { emit } = ctx
      const sql = c.constraint === 'index'
        ? alter.renameIndex(c.table.schema, c.from, c.to)
        : alter.renameConstraint(c.table, c.from, c.to)
      const back = c.constraint === 'index'
        ? alter.renameIndex(c.table.schema, c.to, c.from)
        : alter.renameConstraint(c.table, c.to, c.from)
      return emit(c, PHASE.rename, sql, `rename ${c.constraint.replace('_', ' ')} ${c.from} of ${tname(c.table)} to ${c.to}`, { reverse: [back] })
    },
  },
} satisfies PlanKind
