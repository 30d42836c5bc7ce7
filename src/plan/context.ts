/**
 * What the plan kinds share: the planner's types (policy, steps), the state of one plan() run
 * (PlanContext: emit a step, what the plan creates and drops), and the shape of a plan kind
 * module (src/plan/kinds/<kind>.ts): step handlers keyed by change kind.
 */
import type { Change, TableRef } from '../diff/changes.js'
import type { Hazard } from './hazards.js'

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

/** A step before the final sort: its phase (PHASE) and the order it was emitted in. */
export interface Draft extends Step {
  phase: number
  order: number
}

/** What a step may set besides its SQL and comment. */
export type StepExtra = Partial<Pick<Step, 'reverse' | 'reverseTransactional' | 'irreversible' | 'hazards' | 'transactional'>>

/** The state of one plan() run, handed to every step handler. */
export interface PlanContext {
  readonly policy: PlanPolicy
  /** The lock-safety switches with their defaults applied. */
  readonly p: { readonly concurrentIndexes: boolean; readonly notValid: boolean; readonly safeNotNull: boolean; readonly uniqueViaIndex: boolean }
  /** Every change being planned. */
  readonly changes: readonly Change[]
  /** Adds a step for `source` in `phase`. */
  emit(source: Change, phase: number, sql: string, comment: string, extra?: StepExtra): void
  /** True when the table or view is created by this plan. */
  isNew(t: TableRef): boolean
  /** True when a dropped object (by createdKey) is not created again by this plan: its drop is destructive. */
  gone(key: string): boolean
  /** Tables dropped by this plan, by `schema.name`. */
  readonly droppedTables: ReadonlySet<string>
  /** The SQL of new tables and columns (functions their defaults call are created before them). */
  readonly columnSql: string
}

/** The kinds of change, and the change of one kind. */
export type ChangeKind = Change['kind']
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>

/** Turns one change into steps (ctx.emit). */
export type StepHandler<K extends ChangeKind> = (c: ChangeOf<K>, ctx: PlanContext) => void

/** Step handlers keyed by change kind. */
export type StepHandlers = { readonly [K in ChangeKind]?: StepHandler<K> }

/**
 * One kind of object, as plan() turns its changes into steps: a handler per change kind, and for
 * changes that create an object the key of that object (a drop of the same key in the same plan
 * is a recreation, not destructive).
 */
export interface PlanKind {
  readonly name: string
  readonly steps: StepHandlers
  readonly createdKey?: { readonly [K in ChangeKind]?: (c: ChangeOf<K>) => string }
}

/** `schema.name` of a table reference. */
export const tname = (t: TableRef): string => `${t.schema}.${t.name}`
