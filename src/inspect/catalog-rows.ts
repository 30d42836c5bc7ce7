/**
 * The rows the catalog queries (queries.ts) return, one interface per object kind: the contract
 * between the SQL and the pure mapping in map-rows.ts. Column names are the queries' aliases.
 */

/** A namespace (schema), whether an extension owns it. */
export interface NamespaceRow {
  oid: string
  name: string
  comment: string | null
  extension_member: boolean
}
/** An installed extension. */
export interface ExtensionRow {
  name: string
  schema: string
}
/** An enum type with its labels in sort order. */
export interface EnumRow {
  schema: string
  name: string
  values: string[] | null
  comment: string | null
}
/** A domain with its CHECK constraints (definitions as pg_get_constraintdef prints them). */
export interface DomainRow {
  schema: string
  name: string
  type: string
  not_null: boolean
  default_expr: string | null
  collation: string | null
  checks: { name: string; definition: string; comment: string | null }[] | null
  comment: string | null
}
/** A collation made by CREATE COLLATION. */
export interface CollationRow {
  schema: string
  name: string
  /** 'c' libc | 'i' icu | 'b' builtin (17+) */
  provider: string
  deterministic: boolean
  lc_collate: string | null
  lc_ctype: string | null
  /** The ICU/builtin locale (before 15: the same text as lc_collate). */
  locale: string | null
  rules: string | null
  comment: string | null
}
/** A sequence with its owning column, if any. */
export interface SequenceRow {
  schema: string
  name: string
  type: string
  start: string
  increment: string
  min: string
  max: string
  cache: string
  cycle: boolean
  /** 'a' (owned by a column: serial), 'i' (identity sequence) or null. */
  owner_dependency: string | null
  owned_table: string | null
  owned_column: string | null
  comment: string | null
}
/** An ordinary or partitioned table. */
export interface TableRow {
  oid: string
  schema: string
  name: string
  /** 'r' ordinary or 'p' partitioned. */
  kind: string
  options: string[] | null
  toast_options: string[] | null
  rls: boolean
  force_rls: boolean
  /** relpersistence 'u' (absent in rows captured before it was read). */
  unlogged?: boolean
  partition_key: string | null
  parent_schema: string | null
  parent_name: string | null
  partition_bound: string | null
  comment: string | null
}
/** A live column of a table. */
export interface ColumnRow {
  table_oid: string
  name: string
  num: number
  type: string
  not_null: boolean
  default_expr: string | null
  /** '' | 'a' (always) | 'd' (by default) */
  identity: string
  /** '' | 's' (stored) | 'v' (virtual, 18+) */
  generated: string
  collation: string | null
  /** 'p' | 'e' | 'x' | 'm' when it differs from the type's; absent in rows captured before it was read. */
  storage?: string | null
  /** 'p' (pglz) | 'l' (lz4) when set (14+). */
  compression?: string | null
  comment: string | null
}
/** A PK, UNIQUE, FOREIGN KEY or CHECK constraint (NOT NULL rows of 18+ are tolerated). */
export interface ConstraintRow {
  table_oid: string
  name: string
  /** 'p' | 'u' | 'f' | 'c' | 'x' (exclusion) | 'n' (NOT NULL, 18+) */
  type: string
  columns: string[] | null
  ref_schema: string | null
  ref_table: string | null
  ref_columns: string[] | null
  on_delete: string
  /** `ON DELETE SET NULL/DEFAULT (…)` columns (15+; absent in rows captured before they were read). */
  on_delete_columns?: string[] | null
  on_update: string
  match: string
  deferrable: boolean
  deferred: boolean
  no_inherit: boolean
  is_local: boolean
  has_parent: boolean
  definition: string | null
  nulls_not_distinct: boolean
  /** Storage parameters of a PK's or UNIQUE's index (absent in rows captured before they were read). */
  index_options?: string[] | null
  /** A PK's or UNIQUE's INCLUDE columns (absent in rows captured before they were read). */
  include_columns?: string[] | null
  /** Added NOT VALID and not validated since (absent in rows captured before it was read). */
  not_valid?: boolean
  comment?: string | null
  /** The comment on a PK's or UNIQUE's index (absent in rows captured before it was read). */
  index_comment?: string | null
}
/** One key or INCLUDE column of an index, with its option bits, opclass and collation. */
export interface IndexKeyRow {
  column: string | null
  expression: string | null
  option: number | null
  opclass: string | null
  opclassDefault: boolean | null
  collation: string | null
  collationDefault: boolean | null
}
/** An index of a table or materialized view. */
export interface IndexRow {
  table_oid: string
  name: string
  unique: boolean
  method: string
  key_count: number
  keys: IndexKeyRow[] | null
  predicate: string | null
  nulls_not_distinct: boolean
  options: string[] | null
  comment: string | null
  backs_constraint: boolean
  is_partition: boolean
}
/** A row-level security policy. */
export interface PolicyRow {
  table_oid: string
  name: string
  permissive: boolean
  /** '*' | 'r' | 'a' | 'w' | 'd' */
  command: string
  roles: string[] | null
  using_expr: string | null
  with_check: string | null
  comment?: string | null
}
/** A view or materialized view. */
export interface ViewRow {
  oid: string
  schema: string
  name: string
  materialized: boolean
  definition: string
  options: string[] | null
  comment: string | null
  /** Column name → comment, null when no column has one. */
  column_comments?: Record<string, string> | null
}
/** A function or procedure. */
export interface FunctionRow {
  schema: string
  name: string
  args: string
  is_procedure: boolean
  definition: string
  comment: string | null
}
/** An aggregate with its pg_aggregate options (zero support functions as null). */
export interface AggregateRow {
  schema: string
  name: string
  args: string
  /** 'n' normal | 'o' ordered-set | 'h' hypothetical-set */
  agg_kind: string
  sfunc: string
  stype: string
  sspace: number
  finalfunc: string | null
  finalfunc_extra: boolean
  /** 'r' read_only | 's' shareable | 'w' read_write */
  finalfunc_modify: string
  combinefunc: string | null
  serialfunc: string | null
  deserialfunc: string | null
  initcond: string | null
  msfunc: string | null
  minvfunc: string | null
  mstype: string | null
  msspace: number
  mfinalfunc: string | null
  mfinalfunc_extra: boolean
  mfinalfunc_modify: string
  minitcond: string | null
  sortop: string | null
  /** 's' safe | 'r' restricted | 'u' unsafe */
  parallel: string
  comment: string | null
}
/** An event trigger. */
export interface EventTriggerRow {
  name: string
  event: string
  tags: string[] | null
  function: string
  /** 'O' (enabled) | 'D' | 'R' | 'A' */
  enabled: string
  comment: string | null
}
/** A composite type with its attributes in order. */
export interface CompositeRow {
  schema: string
  name: string
  attributes: { name: string; type: string; collation: string | null; comment: string | null }[] | null
  comment: string | null
}
/** A user trigger (not internal, not a partition clone). */
export interface TriggerRow {
  schema: string
  table: string
  name: string
  definition: string
  /** tgenabled: 'O' (origin, the default), 'D', 'R', 'A' (absent in rows captured before it was read). */
  enabled?: string
  comment: string | null
}
/** One exploded ACL item: one privilege of one grantee on one object. */
export interface GrantRow {
  object_kind: 'schema' | 'table' | 'sequence' | 'function' | 'type'
  schema: string
  name: string
  /** A function's identity arguments (absent in rows captured before they were read). */
  args?: string | null
  /** The column of a column-level grant. */
  column?: string | null
  grantee: string
  privilege: string
  grantable: boolean
  to_owner: boolean
  is_default: boolean
  /** A privilege PUBLIC holds by default that the object's ACL no longer gives it. */
  revoked?: boolean
}
/** A role with the roles it is a member of. */
export interface RoleRow {
  name: string
  login: boolean
  inherit: boolean
  bypass_rls: boolean
  member_of: string[] | null
}

/** One privilege of one default privilege entry (see defaultPrivilegesQuery). */
export interface DefaultPrivilegeRow {
  role: string
  /** Null for a database-wide entry. */
  schema: string | null
  /** 'r' tables | 'S' sequences | 'f' functions | 'T' types | 'n' schemas */
  objtype: string
  grantee: string
  privilege: string
  grantable: boolean
  /** A built-in default the database-wide entry takes away. */
  revoked: boolean
}

/** An object of a kind the model does not hold (see unmodelledQuery). */
export interface UnmodelledRow {
  kind: string
  /** Null for database-wide objects (event triggers, casts, publications, …). */
  schema: string | null
  name: string
}

/** Every row an inspection reads, by object kind. */
export interface CatalogRows {
  namespaces: NamespaceRow[]
  extensions: ExtensionRow[]
  enums: EnumRow[]
  domains: DomainRow[]
  /** Absent in rows captured before collations were read. */
  collations?: CollationRow[]
  sequences: SequenceRow[]
  tables: TableRow[]
  columns: ColumnRow[]
  constraints: ConstraintRow[]
  indexes: IndexRow[]
  policies: PolicyRow[]
  views: ViewRow[]
  functions: FunctionRow[]
  /** Absent in rows captured before aggregates were read. */
  aggregates?: AggregateRow[]
  /** Absent in rows captured before composite types were read. */
  composites?: CompositeRow[]
  /** Absent in rows captured before event triggers were read. */
  eventTriggers?: EventTriggerRow[]
  triggers: TriggerRow[]
  grants: GrantRow[]
  roles: RoleRow[]
  /** Objects of kinds the model does not hold; absent in rows captured before it was read. */
  unmodelled?: UnmodelledRow[]
  /** Absent in rows captured before default privileges were read. */
  defaultPrivileges?: DefaultPrivilegeRow[]
}
