/**
 * plan(changes, policy): orders diff() changes by dependency and turns each into migration steps
 * that are lock-safe by default (CONCURRENTLY indexes, NOT VALID + VALIDATE, NOT NULL through a
 * validated CHECK, UNIQUE through a concurrently built index, a lock_timeout), with hazards,
 * transactionality and a reverse for each step. Pure: no I/O.
 */
import { CairnError } from '../errors.js'
import type { Change, TableRef } from '../diff/changes.js'
import { hasAssignmentCast } from '../diff/type-change.js'
import type { TableDef } from '../model/types.js'
import * as alter from '../sqlgen/alter.js'
import * as ddl from '../sqlgen/ddl.js'
import { ident, literal, qname } from '../sqlgen/quote.js'
import { SESSION_PREAMBLE, tablesParentsFirst } from '../sqlgen/render-model.js'
import { DESTRUCTIVE, hazard, type Hazard } from './hazards.js'
import { orderRoutines } from './order-routines.js'
import { orderByDependencies } from './order-dependencies.js'
import { commentBack, commentTarget, PHASE, recreateTable } from './statements.js'

/** Switches of the planner; every lock-safety measure is on unless turned off here. */
export interface PlanPolicy {
  /** Generate destructive changes (drops, narrowing type changes) instead of refusing them. */
  readonly allowDestructive?: boolean
  /** `SET lock_timeout` at the top of the migration; false to leave it out. Default '5s'. */
  readonly lockTimeout?: string | false
  /**
   * `SET statement_timeout` at the top of the migration. Off by default: index builds and VALIDATE
   * scans are meant to run long (they do not block writes), and lock_timeout already bounds waiting.
   */
  readonly statementTimeout?: string | false
  /** CREATE/DROP INDEX CONCURRENTLY on existing tables. Default true. */
  readonly concurrentIndexes?: boolean
  /** FOREIGN KEY and CHECK added NOT VALID, then VALIDATEd separately. Default true. */
  readonly notValidConstraints?: boolean
  /** SET NOT NULL through a validated CHECK (col IS NOT NULL). Default true. */
  readonly safeNotNull?: boolean
  /** UNIQUE / PRIMARY KEY on existing tables through CREATE UNIQUE INDEX CONCURRENTLY + USING INDEX. Default true. */
  readonly uniqueViaIndex?: boolean
  /** Target server version (server_version_num); enum values are added outside a transaction before 12. */
  readonly serverVersion?: number
}

/** One statement of a migration, with what is needed to run, explain and reverse it. */
export interface Step {
  readonly sql: string
  /** Statements that undo this step (run in reverse step order by the down migration). */
  readonly reverse?: string[]
  /** False when the reverse statements must run outside a transaction (DROP INDEX CONCURRENTLY). */
  readonly reverseTransactional?: boolean
  /** Set when the step cannot be undone; says why. The down migration prints it as a comment. */
  readonly irreversible?: string
  /** False when the statement must run outside a transaction block. */
  readonly transactional: boolean
  /** One line saying what the step does. */
  readonly comment: string
  readonly hazards: Hazard[]
  readonly source: Change
}

/** An ordered, lock-safe migration plan. */
export interface Plan {
  /** Session settings run first (standard_conforming_strings, lock_timeout, statement_timeout). */
  readonly preamble: string[]
  readonly steps: Step[]
  /** Every hazard of every step, in step order. */
  readonly hazards: Hazard[]
  /** The destructive hazards (only present when the policy allowed them). */
  readonly destructive: Hazard[]
}

interface Draft extends Step {
  phase: number
  order: number
}


const VOLATILE_DEFAULT = /\b(nextval|gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|txid_current)\s*\(/i
const tname = (t: TableRef) => `${t.schema}.${t.name}`
const utf8 = new TextEncoder()
const truncate63 = (s: string) => {
  let out = s
  while (utf8.encode(out).length > 63) out = out.slice(0, -1)
  return out
}

/** Orders and expands changes into a lock-safe plan; throws CairnError on refused or unsupported changes. */
export function plan(changes: readonly Change[], policy: PlanPolicy = {}): Plan {
  const unsupported = changes.filter((c) => c.kind === 'unsupported')
  if (unsupported.length) {
    throw new CairnError(
      'unsupported_change',
      `cairn cannot generate ${unsupported.length === 1 ? 'this change' : 'these changes'}:\n` +
        unsupported.map((c) => `  ${c.message}`).join('\n'),
      {
        hint: unsupported.map((c) => `${c.object}: ${c.hint}`).join('\n'),
        object: unsupported[0].object,
        issues: unsupported.map((c) => ({ code: 'unsupported_change', message: c.message, hint: c.hint, object: c.object })),
      },
    )
  }
  const p = {
    concurrentIndexes: policy.concurrentIndexes ?? true,
    notValid: policy.notValidConstraints ?? true,
    safeNotNull: policy.safeNotNull ?? true,
    uniqueViaIndex: policy.uniqueViaIndex ?? true,
  }
  const newTables = new Set<string>()
  for (const c of changes) {
    if (c.kind === 'create_table') newTables.add(tname(c.table))
    if (c.kind === 'create_view') newTables.add(tname(c.view))
  }
  const isNew = (t: TableRef) => newTables.has(tname(t))
  // a drop is destructive unless the same object is created again by this plan (a changed view,
  // a function whose return type changes, a trigger or policy whose definition changes)
  const recreated = new Set(changes.flatMap((c) => {
    const k = createdKey(c)
    return k ? [k] : []
  }))
  const gone = (key: string) => !recreated.has(key)

  // functions that new columns or tables call in their defaults must exist before them
  const columnSql = changes
    .map((c) => (c.kind === 'create_table' ? ddl.createTable(c.table) : c.kind === 'add_column' ? ddl.columnDefinition(c.column) : ''))
    .join('\n')

  const drafts: Draft[] = []
  let order = 0
  const emit = (
    source: Change,
    phase: number,
    sql: string,
    comment: string,
    extra: Partial<Pick<Step, 'reverse' | 'reverseTransactional' | 'irreversible' | 'hazards' | 'transactional'>> = {},
  ) => {
    drafts.push({
      sql,
      transactional: extra.transactional ?? true,
      comment,
      hazards: extra.hazards ?? [],
      source,
      phase,
      order: order++,
      ...(extra.reverse ? { reverse: extra.reverse } : {}),
      ...(extra.reverseTransactional === false ? { reverseTransactional: false } : {}),
      ...(extra.irreversible ? { irreversible: extra.irreversible } : {}),
    })
  }

  /**
   * A partition created or dropped on a parent that stays: Postgres locks the whole partitioned
   * table ACCESS EXCLUSIVE for it (ATTACH and DETACH … CONCURRENTLY would not).
   */
  const droppedTables = new Set(changes.flatMap((c) => (c.kind === 'drop_table' ? [tname(c.table)] : [])))
  const partitionLock = (t: TableDef, what: 'created' | 'dropped'): Hazard[] => {
    if (!t.partitionOf) return []
    const parent = { schema: t.partitionOf.parentSchema, name: t.partitionOf.parent }
    if (what === 'created' ? isNew(parent) : droppedTables.has(tname(parent))) return []
    return [hazard('partition_parent_lock', tname(t), `partition ${tname(t)} is ${what} under an ACCESS EXCLUSIVE lock on ${tname(parent)}: every read and write of the partitioned table waits${what === 'created' ? ', and a default partition is scanned' : ''}; a rolling window (rangePartitions() with premake) lets \`cairn partitions maintain\` ${what === 'created' ? 'attach partitions under SHARE UPDATE EXCLUSIVE' : 'detach them CONCURRENTLY'} instead`)]
  }

  // creates of tables go parents first, drops partitions first
  const created = tablesParentsFirst(changes.flatMap((c) => (c.kind === 'create_table' ? [c.table] : [])))
  const dropped = tablesParentsFirst(changes.flatMap((c) => (c.kind === 'drop_table' ? [c.table] : []))).reverse()
  const rank = new Map<Change, number>()
  changes.forEach((c, i) => rank.set(c, i))
  created.forEach((t, i) => {
    const c = changes.find((x) => x.kind === 'create_table' && x.table === t)
    if (c) rank.set(c, -1e6 + i)
  })
  dropped.forEach((t, i) => {
    const c = changes.find((x) => x.kind === 'drop_table' && x.table === t)
    if (c) rank.set(c, -1e6 + i)
  })
  const ordered = [...changes].sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number))

  for (const c of ordered) planChange(c)

  function indexSteps(c: Change, t: TableRef, ix: import('../model/types.js').IndexDef, partitioned: boolean) {
    const concurrently = p.concurrentIndexes && !isNew(t) && !partitioned
    const hazards: Hazard[] = []
    if (!isNew(t) && !concurrently) {
      hazards.push(
        hazard(
          'blocking_index_build',
          `${t.schema}.${ix.name}`,
          partitioned
            ? `index on partitioned table ${tname(t)} is built without CONCURRENTLY (Postgres cannot), blocking writes to every partition while it builds`
            : `index built without CONCURRENTLY (policy), blocking writes to ${tname(t)} while it builds`,
        ),
      )
    }
    emit(c, ix.unique ? PHASE.uniqueIndex : PHASE.createIndex, ddl.createIndex(t, ix, { concurrently }), `create index ${t.schema}.${ix.name} on ${tname(t)}`, {
      transactional: !concurrently,
      hazards,
      reverse: isNew(t) ? undefined : [alter.dropIndex(t.schema, ix.name, { concurrently })],
      ...(concurrently ? { reverseTransactional: false } : {}),
    })
  }

  function planChange(c: Change): void {
    switch (c.kind) {
      case 'create_schema':
        return emit(c, PHASE.createSchema, ddl.createSchema(c.schema), `create schema ${c.schema.name}`, { reverse: [alter.dropSchema(c.schema.name)] })
      case 'drop_schema':
        return emit(c, PHASE.dropSchema, alter.dropSchema(c.schema.name), `drop schema ${c.schema.name}`, {
          hazards: [hazard('drop_schema', c.schema.name, `schema ${c.schema.name} is dropped`)],
          reverse: [ddl.createSchema(c.schema), ...commentBack(`SCHEMA ${ident(c.schema.name)}`, c.schema.comment)],
        })
      case 'create_extension':
        return emit(c, PHASE.createExtension, ddl.createExtension(c.extension), `create extension ${c.extension.name}`, {
          reverse: [alter.dropExtension(c.extension.name)],
        })
      case 'drop_extension':
        return emit(c, PHASE.dropExtension, alter.dropExtension(c.extension.name), `drop extension ${c.extension.name}`, {
          hazards: [hazard('drop_extension', c.extension.name, `extension ${c.extension.name} is dropped with its types and functions`)],
          reverse: [ddl.createExtension(c.extension)],
        })
      case 'alter_extension_schema':
        return emit(c, PHASE.createExtension, alter.alterExtensionSchema(c.to.name, c.to.schema), `move extension ${c.to.name} to schema ${c.to.schema}`, {
          reverse: [alter.alterExtensionSchema(c.from.name, c.from.schema)],
        })
      case 'create_role':
        return emit(c, PHASE.createRole, ddl.createRole(c.role), `create role ${c.role.name}`, { reverse: [alter.dropRole(c.role.name)] })
      case 'drop_role':
        return emit(c, PHASE.dropRole, alter.dropRole(c.role.name), `drop role ${c.role.name}`, {
          reverse: [ddl.createRole(c.role)],
          hazards: gone(`role:${c.role.name}`) ? [hazard('drop_role', c.role.name, `role ${c.role.name} is dropped (roles are cluster-wide: other databases may use it)`)] : [],
        })
      case 'alter_role': {
        const fwd = alter.alterRole(c.from, c.to)
        const back = alter.alterRole(c.to, c.from)
        fwd.forEach((sql, i) => emit(c, PHASE.createRole, sql, `alter role ${c.to.name}`, i === 0 ? { reverse: back } : {}))
        return
      }
      case 'create_enum':
        return emit(c, PHASE.createEnum, ddl.createEnum(c.enum), `create enum ${c.enum.schema}.${c.enum.name}`, {
          reverse: [alter.dropType(c.enum.schema, c.enum.name)],
        })
      case 'drop_enum':
        return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropEnum, alter.dropType(c.enum.schema, c.enum.name), `drop enum ${c.enum.schema}.${c.enum.name}`, {
          hazards: [hazard('drop_enum', `${c.enum.schema}.${c.enum.name}`, `enum type ${c.enum.schema}.${c.enum.name} is dropped`)],
          reverse: [ddl.createEnum(c.enum), ...commentBack(`TYPE ${qname(c.enum.schema, c.enum.name)}`, c.enum.comment)],
        })
      case 'rename_enum':
        return emit(c, PHASE.rename, alter.renameType(c.schema, c.from, c.to), `rename enum ${c.schema}.${c.from} to ${c.to}`, {
          reverse: [alter.renameType(c.schema, c.to, c.from)],
          hazards: [hazard('rename', `${c.schema}.${c.from}`, `enum ${c.schema}.${c.from} is renamed to ${c.to}`)],
        })
      case 'rename_enum_value': {
        const e = c.enum
        return emit(c, PHASE.rename, alter.renameEnumValue(e.schema, e.name, c.from, c.to), `rename value ${literal(c.from)} of enum ${e.schema}.${e.name} to ${literal(c.to)}`, {
          reverse: [alter.renameEnumValue(e.schema, e.name, c.to, c.from)],
          hazards: [hazard('rename', `${e.schema}.${e.name}`, `enum value ${literal(c.from)} of ${e.schema}.${e.name} is renamed to ${literal(c.to)}: clients using the old value break`)],
        })
      }
      case 'recreate_enum': {
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
      }
      case 'add_enum_value': {
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
      }
      case 'create_collation': {
        const k = c.collation
        return emit(c, PHASE.createCollation, ddl.createCollation(k), `create collation ${k.schema}.${k.name}`, {
          reverse: [alter.dropCollation(k.schema, k.name)],
        })
      }
      case 'drop_collation': {
        const k = c.collation
        const name = `${k.schema}.${k.name}`
        return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropCollation, alter.dropCollation(k.schema, k.name), `drop collation ${name}`, {
          hazards: gone(`collation:${name}`) ? [hazard('drop_collation', name, `collation ${name} is dropped`)] : [],
          reverse: [ddl.createCollation(k), ...commentBack(`COLLATION ${qname(k.schema, k.name)}`, k.comment)],
        })
      }
      case 'create_domain': {
        const d = c.domain
        return emit(c, PHASE.createDomain, ddl.createDomain(d), `create domain ${d.schema}.${d.name}`, {
          reverse: [alter.dropDomain(d.schema, d.name)],
        })
      }
      case 'drop_domain': {
        const d = c.domain
        const name = `${d.schema}.${d.name}`
        return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropDomain, alter.dropDomain(d.schema, d.name), `drop domain ${name}`, {
          hazards: gone(`domain:${name}`) ? [hazard('drop_domain', name, `domain ${name} is dropped`)] : [],
          reverse: [
            ddl.createDomain(d),
            ...commentBack(`DOMAIN ${qname(d.schema, d.name)}`, d.comment),
            ...d.checks.flatMap((k) => commentBack(`CONSTRAINT ${ident(k.name)} ON DOMAIN ${qname(d.schema, d.name)}`, k.comment)),
          ],
        })
      }
      case 'alter_domain': {
        const d = c.to
        const name = `${d.schema}.${d.name}`
        if (c.from.default !== d.default) {
          emit(c, d.default === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterDomainDefault(d.schema, d.name, d.default),
            d.default === undefined ? `drop default of domain ${name}` : `set default of domain ${name}`, {
              reverse: [alter.alterDomainDefault(d.schema, d.name, c.from.default)],
            })
        }
        if (c.from.notNull !== d.notNull) {
          emit(c, PHASE.alterColumn, alter.alterDomainNotNull(d.schema, d.name, d.notNull), `make domain ${name} ${d.notNull ? 'NOT NULL' : 'nullable'}`, {
            reverse: [alter.alterDomainNotNull(d.schema, d.name, c.from.notNull)],
            hazards: d.notNull ? [hazard('blocking_scan', name, `SET NOT NULL on domain ${name} checks every column of that domain while their tables are locked`)] : [],
          })
        }
        return
      }
      case 'add_domain_check': {
        const d = c.domain
        const name = `${d.schema}.${d.name}`
        const reverse = [alter.dropDomainConstraint(d.schema, d.name, c.check.name)]
        if (!p.notValid) {
          return emit(c, PHASE.addKey, alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check)), `add check constraint ${c.check.name} to domain ${name}`, {
            reverse,
            hazards: [hazard('blocking_scan', `${name}.${c.check.name}`, `check ${c.check.name} is validated against every column of domain ${name} while their tables are locked (policy)`)],
          })
        }
        emit(c, PHASE.addKey, alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check, { notValid: true })),
          `add check constraint ${c.check.name} to domain ${name}, step 1: NOT VALID (no scan)`, { reverse })
        emit(c, PHASE.addKey, alter.validateDomainConstraint(d.schema, d.name, c.check.name),
          `add check constraint ${c.check.name} to domain ${name}, step 2: validate in its own transaction`, { transactional: false })
        return
      }
      case 'drop_domain_check': {
        const d = c.domain
        return emit(c, PHASE.dropIndex, alter.dropDomainConstraint(d.schema, d.name, c.check.name), `drop check constraint ${c.check.name} of domain ${d.schema}.${d.name}`, {
          reverse: [alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check))],
        })
      }
      case 'create_sequence': {
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
      }
      case 'drop_sequence':
        return emit(c, PHASE.dropSequence, alter.dropSequence(c.sequence), `drop sequence ${c.sequence.schema}.${c.sequence.name}`, {
          hazards: [hazard('drop_sequence', `${c.sequence.schema}.${c.sequence.name}`, `sequence ${c.sequence.schema}.${c.sequence.name} is dropped (its current value is lost)`)],
          reverse: [
            ddl.createSequence(c.sequence),
            ...(ddl.sequenceOwnedBy(c.sequence) ? [ddl.sequenceOwnedBy(c.sequence) as string] : []),
            ...commentBack(`SEQUENCE ${qname(c.sequence.schema, c.sequence.name)}`, c.sequence.comment),
          ],
        })
      case 'alter_sequence': {
        const name = `${c.to.schema}.${c.to.name}`
        const { ownedBy: _a, comment: _b, ...fo } = c.from
        const { ownedBy: _c, comment: _d, ...to } = c.to
        if (JSON.stringify(fo) !== JSON.stringify(to)) {
          emit(c, PHASE.createSequence, alter.alterSequence(c.to), `alter sequence ${name}`, { reverse: [alter.alterSequence(c.from)] })
        }
        if (JSON.stringify(c.from.ownedBy) !== JSON.stringify(c.to.ownedBy)) {
          emit(c, PHASE.sequenceOwner, ddl.sequenceOwnedBy(c.to) ?? alter.sequenceOwnedByNone(c.to), `change owner of sequence ${name}`, {
            reverse: [ddl.sequenceOwnedBy(c.from) ?? alter.sequenceOwnedByNone(c.from)],
          })
        }
        return
      }
      case 'create_table': {
        const t = c.table
        emit(c, PHASE.createTable, ddl.createTable(t), `create table ${tname(t)}`, { reverse: [alter.dropTable(t)], hazards: partitionLock(t, 'created') })
        for (const ix of t.indexes) indexSteps(c, t, ix, t.partitionBy !== undefined)
        if (t.rls?.enabled) emit(c, PHASE.tableOptions, alter.rlsEnabled(t, true), `enable row level security on ${tname(t)}`)
        if (t.rls?.forced) emit(c, PHASE.tableOptions, alter.rlsForced(t, true), `force row level security on ${tname(t)}`)
        for (const pol of t.policies) emit(c, PHASE.policy, ddl.createPolicy(t, pol), `create policy ${pol.name} on ${tname(t)}`)
        return
      }
      case 'drop_table': {
        const t = c.table
        return emit(c, PHASE.dropTable, alter.dropTable(t), `drop table ${tname(t)}`, {
          hazards: [hazard('drop_table', tname(t), `table ${tname(t)} is dropped with all its rows`), ...partitionLock(t, 'dropped')],
          reverse: [
            `-- recreates the structure of ${tname(t)}; its rows are lost`,
            ...recreateTable(t),
          ],
        })
      }
      case 'rename_table':
        return emit(c, PHASE.rename, alter.renameTable(c.schema, c.from, c.to), `rename table ${c.schema}.${c.from} to ${c.to}`, {
          reverse: [alter.renameTable(c.schema, c.to, c.from)],
          hazards: [hazard('rename', `${c.schema}.${c.from}`, `table ${c.schema}.${c.from} is renamed to ${c.to}: clients using the old name break`)],
        })
      case 'add_column': {
        const col = c.column
        const obj = `${tname(c.table)}.${col.name}`
        const hazards: Hazard[] = []
        if (c.regenerated) hazards.push(hazard('regenerated_column', obj, `generated column ${obj} is dropped and added again with its new expression, rewriting the table`))
        else if (col.generated !== undefined || col.identity || (col.default !== undefined && VOLATILE_DEFAULT.test(col.default))) {
          hazards.push(hazard('table_rewrite', obj, `adding ${obj} (${col.generated !== undefined ? 'generated' : col.identity ? 'identity' : 'volatile default'}) rewrites ${tname(c.table)}`))
        } else if (col.notNull && col.default === undefined) {
          hazards.push(hazard('add_required_column', obj, `NOT NULL column ${obj} has no default: adding it fails if ${tname(c.table)} has rows`))
        }
        return emit(c, PHASE.addColumn, alter.addColumn(c.table, ddl.columnDefinition(col)), `add column ${obj}`, {
          hazards,
          reverse: [alter.dropColumn(c.table, col.name)],
        })
      }
      case 'drop_column': {
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
      }
      case 'rename_column':
        return emit(c, PHASE.rename, alter.renameColumn(c.table, c.from, c.to), `rename column ${tname(c.table)}.${c.from} to ${c.to}`, {
          reverse: [alter.renameColumn(c.table, c.to, c.from)],
          hazards: [hazard('rename', `${tname(c.table)}.${c.from}`, `column ${tname(c.table)}.${c.from} is renamed to ${c.to}: clients using the old name break`)],
        })
      case 'alter_column_type': {
        const obj = `${tname(c.table)}.${c.to.name}`
        const change = `${c.from.type}${c.from.collation ? ` collate ${c.from.collation}` : ''} → ${c.to.type}${c.to.collation ? ` collate ${c.to.collation}` : ''}`
        const hazards: Hazard[] = []
        if (c.safety === 'narrowing') hazards.push(hazard('type_narrowing', obj, `${obj} narrows ${change}: values that do not fit make the migration fail`))
        if (c.safety === 'safe') hazards.push(hazard('column_type_change', obj, `${obj} changes ${change} without a rewrite (brief ACCESS EXCLUSIVE lock)`))
        else hazards.push(hazard('table_rewrite', obj, `${obj} changes ${change}: ${tname(c.table)} is rewritten under an ACCESS EXCLUSIVE lock`))
        const backUsing = c.reverseUsing ?? (hasAssignmentCast(c.to.type, c.from.type) ? undefined : `${ident(c.from.name)}::${c.from.type}`)
        return emit(c, PHASE.alterColumn, alter.alterColumnType(c.table, c.to, c.using), `change type of ${obj} (${change})`, {
          hazards,
          reverse: [alter.alterColumnType(c.table, c.from, backUsing)],
        })
      }
      case 'alter_column_nullability': {
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
      }
      case 'alter_column_default': {
        const obj = `${tname(c.table)}.${c.column}`
        return emit(c, c.to === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterColumnDefault(c.table, c.column, c.to),
          c.to === undefined ? `drop default of ${obj}` : `set default of ${obj}`, { reverse: [alter.alterColumnDefault(c.table, c.column, c.from)] })
      }
      case 'alter_column_identity': {
        const obj = `${tname(c.table)}.${c.column}`
        return emit(c, c.to === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterColumnIdentity(c.table, c.column, c.from, c.to, c.options),
          c.to === undefined ? `drop identity of ${obj}` : `identity of ${obj}: generated ${c.to}`, {
            reverse: [alter.alterColumnIdentity(c.table, c.column, c.to, c.from, c.fromOptions)],
          })
      }
      case 'alter_identity_options': {
        const obj = `${tname(c.table)}.${c.column}`
        return emit(c, PHASE.alterColumn, alter.alterIdentityOptions(c.table, c.column, c.type, c.from, c.to), `sequence options of identity ${obj}`, {
          reverse: [alter.alterIdentityOptions(c.table, c.column, c.type, c.to, c.from)],
        })
      }
      case 'drop_column_expression': {
        const obj = `${tname(c.table)}.${c.column.name}`
        return emit(c, PHASE.alterColumn, alter.dropColumnExpression(c.table, c.column.name), `${obj} stops being generated (keeps its values)`, {
          irreversible: `${obj} cannot become a generated column again without being dropped and added`,
          hazards: [hazard('irreversible', obj, `${obj} stops being generated; the down migration cannot restore the expression`)],
        })
      }
      case 'add_primary_key':
      case 'add_unique': {
        const t = c.table
        const isPk = c.kind === 'add_primary_key'
        const def = c.kind === 'add_primary_key' ? c.primaryKey : c.unique
        const nnd = c.kind === 'add_unique' && c.unique.nullsNotDistinct === true
        const clause = c.kind === 'add_primary_key' ? ddl.primaryKeyClause(c.primaryKey) : ddl.uniqueClause(c.unique)
        const reverse = [alter.dropConstraint(t, def.name)]
        const partitioned = c.partitioned === true
        if (!isNew(t) && p.uniqueViaIndex && !partitioned) {
          emit(c, PHASE.addKey, ddl.createIndex(t, alter.backingIndex(def.name, def.columns, nnd, def.with), { concurrently: true }),
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
      case 'add_check':
      case 'add_foreign_key': {
        const t = c.table
        const name = c.kind === 'add_check' ? c.check.name : c.foreignKey.name
        const what = c.kind === 'add_check' ? 'check constraint' : 'foreign key'
        const phase = c.kind === 'add_check' ? PHASE.addKey : PHASE.addForeignKey
        // NOT VALID foreign keys on partitioned tables only exist from PostgreSQL 18 on
        const fkOnPartitioned = c.kind === 'add_foreign_key' && c.partitioned === true && (policy.serverVersion ?? 0) < 180000
        const notValid = p.notValid && !isNew(t) && !fkOnPartitioned
        const clause = c.kind === 'add_check' ? ddl.checkClause(c.check, { notValid }) : ddl.foreignKeyClause(c.foreignKey, { notValid })
        const reverse = [alter.dropConstraint(t, name)]
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
      case 'add_exclusion': {
        const t = c.table
        const name = c.exclusion.name
        return emit(c, PHASE.addKey, alter.addConstraint(t, ddl.exclusionClause(c.exclusion)), `add exclusion constraint ${name} on ${tname(t)}`, {
          reverse: [alter.dropConstraint(t, name)],
          // Postgres has no CONCURRENTLY or NOT VALID form for EXCLUDE constraints
          hazards: isNew(t) ? [] : [hazard('blocking_index_build', `${tname(t)}.${name}`, `exclusion constraint ${name} builds its index and checks every row while ${tname(t)} is locked (ACCESS EXCLUSIVE); Postgres offers no NOT VALID or CONCURRENTLY form`)],
        })
      }
      case 'drop_exclusion':
        return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.exclusion.name), `drop exclusion constraint ${c.exclusion.name} of ${tname(c.table)}`, {
          reverse: [alter.addConstraint(c.table, ddl.exclusionClause(c.exclusion))],
        })
      case 'drop_primary_key':
        return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.primaryKey.name), `drop primary key ${c.primaryKey.name} of ${tname(c.table)}`, {
          reverse: [alter.addConstraint(c.table, ddl.primaryKeyClause(c.primaryKey))],
        })
      case 'drop_unique':
        return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.unique.name), `drop unique constraint ${c.unique.name} of ${tname(c.table)}`, {
          reverse: [alter.addConstraint(c.table, ddl.uniqueClause(c.unique))],
        })
      case 'drop_check':
        return emit(c, PHASE.dropIndex, alter.dropConstraint(c.table, c.check.name), `drop check constraint ${c.check.name} of ${tname(c.table)}`, {
          reverse: [alter.addConstraint(c.table, ddl.checkClause(c.check))],
        })
      case 'drop_foreign_key':
        return emit(c, PHASE.dropForeignKey, alter.dropConstraint(c.table, c.foreignKey.name), `drop foreign key ${c.foreignKey.name} of ${tname(c.table)}`, {
          reverse: [
            ddl.addForeignKey(c.table as TableDef, c.foreignKey),
            ...commentBack(`CONSTRAINT ${ident(c.foreignKey.name)} ON ${qname(c.table.schema, c.table.name)}`, c.foreignKey.comment),
          ],
        })
      case 'rename_constraint': {
        const sql = c.constraint === 'index'
          ? alter.renameIndex(c.table.schema, c.from, c.to)
          : alter.renameConstraint(c.table, c.from, c.to)
        const back = c.constraint === 'index'
          ? alter.renameIndex(c.table.schema, c.to, c.from)
          : alter.renameConstraint(c.table, c.to, c.from)
        return emit(c, PHASE.rename, sql, `rename ${c.constraint.replace('_', ' ')} ${c.from} of ${tname(c.table)} to ${c.to}`, { reverse: [back] })
      }
      case 'create_index':
        return indexSteps(c, c.table, c.index, c.partitioned === true)
      case 'drop_index': {
        const concurrently = p.concurrentIndexes && !c.partitioned
        return emit(c, PHASE.dropIndex, alter.dropIndex(c.table.schema, c.index.name, { concurrently }), `drop index ${c.table.schema}.${c.index.name}`, {
          transactional: !concurrently,
          reverse: [ddl.createIndex(c.table, c.index, { concurrently }), ...commentBack(`INDEX ${qname(c.table.schema, c.index.name)}`, c.index.comment)],
          ...(concurrently ? { reverseTransactional: false } : {}),
        })
      }
      case 'alter_storage': {
        const set: Record<string, string> = {}
        const reset: string[] = []
        for (const [k, v] of Object.entries(c.to)) if (c.from[k] !== v) set[k] = v
        for (const k of Object.keys(c.from)) if (!(k in c.to)) reset.push(k)
        const backSet: Record<string, string> = {}
        for (const [k, v] of Object.entries(c.from)) if (c.to[k] !== v) backSet[k] = v
        const backReset = Object.keys(c.to).filter((k) => !(k in c.from))
        const target = c.index !== undefined ? ('index' as const) : c.materialized === true
        const rel = c.index !== undefined ? { schema: c.table.schema, name: c.index } : c.table
        const back = [
          ...(Object.keys(backSet).length ? [alter.setStorage(rel, backSet, target)] : []),
          ...(backReset.length ? [alter.resetStorage(rel, backReset, target)] : []),
        ]
        const stmts = [
          ...(Object.keys(set).length ? [alter.setStorage(rel, set, target)] : []),
          ...(reset.length ? [alter.resetStorage(rel, reset, target)] : []),
        ]
        const what = c.index !== undefined ? `index ${c.table.schema}.${c.index}` : tname(c.table)
        stmts.forEach((sql, i) => emit(c, PHASE.tableOptions, sql, `storage parameters of ${what}`, i === 0 ? { reverse: back } : {}))
        return
      }
      case 'alter_persistence': {
        const t = c.table
        return emit(c, PHASE.tableOptions, alter.setLogged(t, c.unlogged), `make ${tname(t)} ${c.unlogged ? 'unlogged' : 'logged'}`, {
          reverse: [alter.setLogged(t, !c.unlogged)],
          hazards: [hazard('table_rewrite', tname(t), `SET ${c.unlogged ? 'UNLOGGED' : 'LOGGED'} rewrites ${tname(t)} under an ACCESS EXCLUSIVE lock${c.unlogged ? '; an unlogged table is emptied by a crash and not replicated' : ''}`)],
        })
      }
      case 'set_comment': {
        const what = commentTarget(c.target)
        return emit(c, PHASE.comment, ddl.commentOn(what, c.to), `comment on ${what.toLowerCase()}`, { reverse: [ddl.commentOn(what, c.from)] })
      }
      case 'alter_rls': {
        const t = c.table
        if (c.from.enabled !== c.to.enabled) {
          emit(c, c.to.enabled ? PHASE.tableOptions : PHASE.dropPolicy, alter.rlsEnabled(t, c.to.enabled), `${c.to.enabled ? 'enable' : 'disable'} row level security on ${tname(t)}`, {
            reverse: [alter.rlsEnabled(t, c.from.enabled)],
          })
        }
        if (c.from.forced !== c.to.forced) {
          emit(c, c.to.forced ? PHASE.tableOptions : PHASE.dropPolicy, alter.rlsForced(t, c.to.forced), `${c.to.forced ? 'force' : 'stop forcing'} row level security on ${tname(t)}`, {
            reverse: [alter.rlsForced(t, c.from.forced)],
          })
        }
        return
      }
      case 'create_policy':
        return emit(c, PHASE.policy, ddl.createPolicy(c.table, c.policy), `create policy ${c.policy.name} on ${tname(c.table)}`, {
          reverse: [alter.dropPolicy(c.table, c.policy.name)],
        })
      case 'drop_policy':
        return emit(c, PHASE.dropPolicy, alter.dropPolicy(c.table, c.policy.name), `drop policy ${c.policy.name} on ${tname(c.table)}`, {
          reverse: [ddl.createPolicy(c.table, c.policy)],
          hazards: gone(`policy:${tname(c.table)}.${c.policy.name}`)
            ? [hazard('drop_policy', `${tname(c.table)}.${c.policy.name}`, `policy ${c.policy.name} on ${tname(c.table)} is dropped: the rows it guarded are no longer restricted by it`)]
            : [],
        })
      case 'alter_policy':
        return emit(c, PHASE.policy, alter.alterPolicy(c.table, c.from, c.to), `alter policy ${c.to.name} on ${tname(c.table)}`, {
          reverse: [alter.alterPolicy(c.table, c.to, c.from)],
        })
      case 'attach_partition':
        return emit(c, PHASE.createTable, alter.attachPartition(c.table), `attach ${tname(c.table)} as a partition of ${c.table.partitionOf?.parentSchema}.${c.table.partitionOf?.parent}`, {
          reverse: [alter.detachPartition(c.table)],
        })
      case 'detach_partition':
        return emit(c, PHASE.detach, alter.detachPartition(c.table), `detach partition ${tname(c.table)} from ${c.table.partitionOf?.parentSchema}.${c.table.partitionOf?.parent}`, {
          reverse: [alter.attachPartition(c.table)],
        })
      case 'create_view': {
        const v = c.view
        emit(c, PHASE.view, ddl.createView(v), `${c.dependent ? 'recreate' : 'create'} ${v.materialized ? 'materialized view' : 'view'} ${tname(v)}`, {
          reverse: [alter.dropView(v)],
        })
        for (const ix of v.indexes) emit(c, PHASE.view, ddl.createIndex(v, ix), `create index ${v.schema}.${ix.name} on ${tname(v)}`)
        return
      }
      case 'drop_view':
        return emit(c, PHASE.dropView, alter.dropView(c.view), `drop ${c.view.materialized ? 'materialized view' : 'view'} ${tname(c.view)}${c.dependent ? ' (recreated after the change it depends on)' : ''}`, {
          hazards: gone(`view:${tname(c.view)}`)
            ? [hazard('drop_view', tname(c.view), `${c.view.materialized ? 'materialized view' : 'view'} ${tname(c.view)} is dropped${c.view.materialized ? ' with its data' : ''}`)]
            : [],
          reverse: [
            ddl.createView(c.view),
            ...c.view.indexes.map((ix) => ddl.createIndex(c.view, ix)),
            ...commentBack(`${c.view.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qname(c.view.schema, c.view.name)}`, c.view.comment),
            ...c.view.indexes.flatMap((ix) => commentBack(`INDEX ${qname(c.view.schema, ix.name)}`, ix.comment)),
          ],
        })
      case 'replace_view':
        return emit(c, PHASE.view, alter.replaceView(c.to), `replace view ${tname(c.to)}`, {
          reverse: [alter.dropView(c.from), ddl.createView(c.from)],
        })
      case 'create_function': {
        const f = c.function
        const early = new RegExp(`(?<![\\w"$])${qname(f.schema, f.name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\(`).test(columnSql)
        return emit(c, early ? PHASE.earlyFunction : PHASE.createFunction, ddl.createFunction(f), `create ${f.isProcedure ? 'procedure' : 'function'} ${f.schema}.${f.name}(${f.args})`, {
          reverse: [alter.dropFunction(f)],
        })
      }
      case 'drop_function':
        return emit(c, PHASE.dropFunction, alter.dropFunction(c.function), `drop ${c.function.isProcedure ? 'procedure' : 'function'} ${c.function.schema}.${c.function.name}(${c.function.args})`, {
          hazards: gone(`function:${c.function.schema}.${c.function.name}(${c.function.args})`)
            ? [hazard('drop_function', `${c.function.schema}.${c.function.name}(${c.function.args})`, `${c.function.isProcedure ? 'procedure' : 'function'} ${c.function.schema}.${c.function.name}(${c.function.args}) is dropped`)]
            : [],
          reverse: [ddl.createFunction(c.function), ...commentBack(`${c.function.isProcedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(c.function.schema, c.function.name)}(${c.function.args})`, c.function.comment)],
        })
      case 'replace_function':
        return emit(c, PHASE.createFunction, ddl.createFunction(c.to), `replace function ${c.to.schema}.${c.to.name}(${c.to.args})`, {
          reverse: [ddl.createFunction(c.from)],
        })
      case 'create_trigger':
        return emit(c, PHASE.trigger, ddl.createTrigger(c.trigger), `create trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table}`, {
          reverse: [alter.dropTrigger(c.trigger)],
        })
      case 'alter_trigger_enabled': {
        const t = c.trigger
        return emit(c, PHASE.trigger, alter.triggerEnabled(t, t.enabled), `trigger ${t.name} on ${t.schema}.${t.table}: ${t.enabled ?? 'enabled'}`, {
          reverse: [alter.triggerEnabled(t, c.from)],
        })
      }
      case 'drop_trigger':
        return emit(c, PHASE.dropTrigger, alter.dropTrigger(c.trigger), `drop trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table}`, {
          hazards: gone(`trigger:${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`)
            ? [hazard('drop_trigger', `${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`, `trigger ${c.trigger.name} on ${c.trigger.schema}.${c.trigger.table} is dropped: what it did on each write stops`)]
            : [],
          reverse: [
            ddl.createTrigger(c.trigger),
            ...(c.trigger.enabled !== undefined ? [alter.triggerEnabled(c.trigger, c.trigger.enabled)] : []),
            ...commentBack(`TRIGGER ${ident(c.trigger.name)} ON ${qname(c.trigger.schema, c.trigger.table)}`, c.trigger.comment),
          ],
        })
      case 'grant':
        return emit(c, PHASE.grant, ddl.grant(c.grant), `grant ${c.grant.privileges.join(', ')} on ${c.grant.on} ${c.grant.schema}.${c.grant.name} to ${c.grant.role}`, {
          reverse: [ddl.revoke(c.grant)],
        })
      case 'revoke':
        return emit(c, c.afterCreate ? PHASE.grant : PHASE.revoke, ddl.revoke(c.grant), `revoke ${c.grant.privileges.join(', ')} on ${c.grant.on} ${c.grant.schema}.${c.grant.name} from ${c.grant.role}`, {
          reverse: [ddl.grant(c.grant)],
        })
      case 'alter_default_privileges': {
        const d = c.entry
        const where = `${d.role}${d.schema !== undefined ? ` in schema ${d.schema}` : ''}`
        const what = `default privileges of ${where} on ${d.on} for ${d.grantee}`
        return emit(c, PHASE.defaultPrivileges, ddl.alterDefaultPrivileges(d, c.action), `${c.action} ${d.privileges.join(', ')}: ${what}`, {
          reverse: [ddl.alterDefaultPrivileges(d, c.action === 'grant' ? 'revoke' : 'grant')],
          hazards: c.removes ? [hazard('drop_default_privileges', `${where}:${d.on}:${d.grantee}`, `${what} lose ${d.privileges.join(', ')}: objects created from now on are ${c.action === 'grant' ? 'granted them again by Postgres\' built-in defaults' : 'no longer granted them'}`)] : [],
        })
      }
      case 'unsupported':
        return
      default: {
        const never: never = c
        throw new Error(`unplanned change ${JSON.stringify(never)}`)
      }
    }
  }

  orderRoutines(drafts, PHASE)
  orderByDependencies(drafts, PHASE.createSchema)
  const steps: Step[] = drafts
    .sort((a, b) => a.phase - b.phase || a.order - b.order)
    .map(({ phase: _p, order: _o, ...s }) => s)

  // an enum value cannot be used in the transaction that added it: if a later statement uses it,
  // the ADD VALUE runs on its own (outside the migration's transaction)
  const finalSteps = steps.map((s, i) => {
    if (s.source.kind !== 'add_enum_value' || !s.transactional) return s
    const e = s.source
    const use = `${literal(e.value)}::${qname(e.enum.schema, e.enum.name)}`
    const used = steps.some((o, j) => j > i && o.sql.includes(use))
    if (!used) return s
    return {
      ...s,
      transactional: false,
      comment: `${s.comment} (committed on its own: a later statement of this migration uses the new value)`,
      hazards: [...s.hazards, hazard('non_transactional', `${e.enum.schema}.${e.enum.name}`, `enum value ${literal(e.value)} is added outside the migration's transaction so that later statements can use it`)],
    }
  })

  const hazards = finalSteps.flatMap((s) => s.hazards)
  const destructive = hazards.filter((h) => h.destructive)
  if (destructive.length && !policy.allowDestructive) {
    throw new CairnError(
      'destructive_changes',
      `refusing ${destructive.length} destructive change${destructive.length === 1 ? '' : 's'}:\n` +
        destructive.map((h) => `  ${h.destructive} ${h.code} ${h.object}: ${h.message}`).join('\n'),
      {
        hint: 'review them, then allow them explicitly (cairn generate --allow-destructive, or policy.allowDestructive); they are listed in the migration header',
        object: destructive[0].object,
        issues: destructive.map((h) => ({ code: `${h.destructive} ${h.code}`, message: h.message, object: h.object })),
        meta: { codes: destructive.map((h) => h.destructive) },
      },
    )
  }
  // standard_conforming_strings is set explicitly: the model's expressions (defaults, checks, view
  // bodies) are spelled as pg_get_expr() prints them, with backslashes taken literally
  const preamble: string[] = [...SESSION_PREAMBLE]
  const lock = policy.lockTimeout === undefined ? '5s' : policy.lockTimeout
  if (lock !== false) preamble.push(`SET lock_timeout = ${literal(lock)}`)
  if (policy.statementTimeout) preamble.push(`SET statement_timeout = ${literal(policy.statementTimeout)}`)
  return { preamble: finalSteps.length ? preamble : [], steps: finalSteps, hazards, destructive }


}


/** The identity of the object a change creates, for the drops that are recreations. */
function createdKey(c: Change): string | undefined {
  switch (c.kind) {
    case 'create_function':
      return `function:${c.function.schema}.${c.function.name}(${c.function.args})`
    case 'create_trigger':
      return `trigger:${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`
    case 'create_view':
      return `view:${c.view.schema}.${c.view.name}`
    case 'create_policy':
      return `policy:${c.table.schema}.${c.table.name}.${c.policy.name}`
    case 'create_role':
      return `role:${c.role.name}`
    case 'create_domain':
      return `domain:${c.domain.schema}.${c.domain.name}`
    case 'create_collation':
      return `collation:${c.collation.schema}.${c.collation.name}`
    default:
      return undefined
  }
}

/** The destructive codes, for documentation and `--json` consumers. */
export { DESTRUCTIVE }
