/**
 * Hazards a migration step can carry, and the stable codes of destructive changes (refused unless
 * the policy allows them). Codes never change meaning once released; new ones get new numbers.
 */

/** Destructive change codes: the change loses data or may fail on existing data. */
export const DESTRUCTIVE = {
  drop_table: 'PGK101',
  drop_column: 'PGK102',
  drop_schema: 'PGK103',
  type_narrowing: 'PGK104',
  drop_enum: 'PGK105',
  drop_sequence: 'PGK106',
  drop_extension: 'PGK107',
  drop_function: 'PGK108',
  drop_trigger: 'PGK109',
  drop_view: 'PGK110',
  drop_policy: 'PGK111',
  drop_role: 'PGK112',
  drop_domain: 'PGK113',
  drop_collation: 'PGK114',
  drop_default_privileges: 'PGK115',
  drop_aggregate: 'PGK116',
  drop_composite: 'PGK117',
  drop_attribute: 'PGK118',
  drop_event_trigger: 'PGK119',
} as const

/** Name of a destructive change kind. */
export type DestructiveKind = keyof typeof DESTRUCTIVE

/** Codes of non-destructive hazards, reported in the plan and the migration header. */
export type HazardCode =
  | DestructiveKind
  /** The table is rewritten under an ACCESS EXCLUSIVE lock (time grows with its size). */
  | 'table_rewrite'
  /** A column type change that Postgres does without a rewrite, still under a brief ACCESS EXCLUSIVE lock. */
  | 'column_type_change'
  /** Adding a NOT NULL column without a default fails when the table has rows. */
  | 'add_required_column'
  /** An index is built while writes to the table are blocked (partitioned parent, or policy). */
  | 'blocking_index_build'
  /** The whole table is scanned while an ACCESS EXCLUSIVE / SHARE lock is held (policy turned off the safe form). */
  | 'blocking_scan'
  /** The statement cannot run inside a transaction block. */
  | 'non_transactional'
  /** A generated column is dropped and added again with its new expression (the table is rewritten). */
  | 'regenerated_column'
  /** The step cannot be reversed by the down migration. */
  | 'irreversible'
  /** A rename: clients that use the old name break. */
  | 'rename'
  /** A partition created or dropped under an ACCESS EXCLUSIVE lock on its (existing) partitioned table. */
  | 'partition_parent_lock'

/** One hazard of a step. */
export interface Hazard {
  readonly code: HazardCode
  /** The object, e.g. `app.users.age`. */
  readonly object: string
  readonly message: string
  /** Set for destructive hazards: the stable code, e.g. `PGK102`. */
  readonly destructive?: string
}

/** A hazard, with the PGK code filled in when the kind is destructive. */
export function hazard(code: HazardCode, object: string, message: string): Hazard {
  const d = (DESTRUCTIVE as Record<string, string>)[code]
  return d ? { code, object, message, destructive: d } : { code, object, message }
}
