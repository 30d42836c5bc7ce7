/**
 * plan(changes, policy): orders diff() changes by dependency and turns each into migration steps
 * that are lock-safe by default (CONCURRENTLY indexes, NOT VALID + VALIDATE, NOT NULL through a
 * validated CHECK, UNIQUE through a concurrently built index, a lock_timeout), with hazards,
 * transactionality and a reverse for each step. Pure: no I/O. The steps of each change kind come
 * from its kind module in src/plan/kinds (the registry STEP_HANDLERS).
 */
import { CairnError } from '../errors.js'
import type { Change, TableRef } from '../diff/changes.js'
import { tablesParentsFirst } from '../diff/graph.js'
import * as ddl from '../sqlgen/ddl.js'
import { literal, qname } from '../sqlgen/quote.js'
import { SESSION_PREAMBLE } from '../sqlgen/session.js'
import type { Draft, PlanContext, PlanPolicy, Step, StepHandler } from './context.js'
import { DESTRUCTIVE, hazard, type Hazard } from './hazards.js'
import { createdKey, STEP_HANDLERS } from './kinds/index.js'
import { orderByDependencies, orderRoutines } from './order.js'
import { PHASE } from './statements.js'

export type { PlanPolicy, Step } from './context.js'

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

const tname = (t: TableRef) => `${t.schema}.${t.name}`

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
  const newTables = new Set<string>()
  for (const c of changes) {
    if (c.kind === 'create_table') newTables.add(tname(c.table))
    if (c.kind === 'create_view') newTables.add(tname(c.view))
  }
  // a drop is destructive unless the same object is created again by this plan (a changed view,
  // a function whose return type changes, a trigger or policy whose definition changes)
  const recreated = new Set(changes.flatMap((c) => {
    const k = createdKey(c)
    return k ? [k] : []
  }))
  const drafts: Draft[] = []
  let order = 0
  const ctx: PlanContext = {
    policy,
    p: {
      concurrentIndexes: policy.concurrentIndexes ?? true,
      notValid: policy.notValidConstraints ?? true,
      safeNotNull: policy.safeNotNull ?? true,
      uniqueViaIndex: policy.uniqueViaIndex ?? true,
    },
    changes,
    emit(source, phase, sql, comment, extra = {}) {
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
    },
    isNew: (t) => newTables.has(tname(t)),
    gone: (key) => !recreated.has(key),
    droppedTables: new Set(changes.flatMap((c) => (c.kind === 'drop_table' ? [tname(c.table)] : []))),
    // functions that new columns or tables call in their defaults must exist before them
    columnSql: changes
      .map((c) => (c.kind === 'create_table' ? ddl.createTable(c.table) : c.kind === 'add_column' ? ddl.columnDefinition(c.column) : ''))
      .join('\n'),
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

  for (const c of ordered) {
    const handler = STEP_HANDLERS[c.kind] as StepHandler<typeof c.kind> | undefined
    if (!handler) throw new Error(`unplanned change ${JSON.stringify(c)}`)
    handler(c, ctx)
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
    // a function's body is its own text, not Postgres' printing: a SQL body is checked when it is
    // created, and may compare with the bare literal (`c IN ('red', 'new')`)
    const routine = (o: Step) => o.source.kind === 'create_function' || o.source.kind === 'replace_function'
    const used = steps.some((o, j) => j > i && (o.sql.includes(use) || (routine(o) && o.sql.includes(literal(e.value)))))
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

/** The destructive codes, for documentation and `--json` consumers. */
export { DESTRUCTIVE }
