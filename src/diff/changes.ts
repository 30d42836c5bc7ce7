/**
 * The changes `diff()` finds between two models: a discriminated union on `kind`, one interface per
 * kind. Each change carries the model pieces it needs (the `from` side for drops, so that a drop can
 * be reversed by recreating the object) and nothing else; the planner turns changes into SQL.
 */
import type {
  CheckDef,
  CollationDef,
  ColumnDef,
  DefaultPrivilegeDef,
  DomainCheckDef,
  DomainDef,
  EnumDef,
  ExclusionDef,
  ExtensionDef,
  ForeignKeyDef,
  FunctionDef,
  GrantDef,
  IdentityOptions,
  IndexDef,
  PolicyDef,
  PrimaryKeyDef,
  RoleDef,
  SchemaDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  UniqueDef,
  ViewDef,
} from '../model/types.js'
import type { AggregateDef, ColumnStorage, CompositeTypeDef, EventTriggerDef } from '../model/types.js'

/** A table (or materialized view, for indexes) named by schema and name. */
export interface TableRef {
  readonly schema: string
  readonly name: string
}

/** `CREATE SCHEMA`. */
export interface CreateSchema {
  readonly kind: 'create_schema'
  readonly schema: SchemaDef
}
/** `DROP SCHEMA` (destructive). */
export interface DropSchema {
  readonly kind: 'drop_schema'
  readonly schema: SchemaDef
}
/** `CREATE EXTENSION`. */
export interface CreateExtension {
  readonly kind: 'create_extension'
  readonly extension: ExtensionDef
}
/** `DROP EXTENSION` (destructive: its types and functions go with it). */
export interface DropExtension {
  readonly kind: 'drop_extension'
  readonly extension: ExtensionDef
}
/** `ALTER EXTENSION … SET SCHEMA`. */
export interface AlterExtensionSchema {
  readonly kind: 'alter_extension_schema'
  readonly from: ExtensionDef
  readonly to: ExtensionDef
}
/** `CREATE TYPE … AS ENUM`. */
export interface CreateEnum {
  readonly kind: 'create_enum'
  readonly enum: EnumDef
}
/** `DROP TYPE` of an enum (destructive). */
export interface DropEnum {
  readonly kind: 'drop_enum'
  readonly enum: EnumDef
  /** Columns move off the type in this migration: it is dropped after their type changes. */
  readonly afterColumns?: boolean
}
/** `ALTER TYPE … RENAME TO`, from a `renamedFrom` hint. */
export interface RenameEnum {
  readonly kind: 'rename_enum'
  readonly schema: string
  readonly from: string
  readonly to: string
}
/** `ALTER TYPE … RENAME VALUE … TO …`, from a `valuesRenamedFrom` hint. */
export interface RenameEnumValue {
  readonly kind: 'rename_enum_value'
  readonly enum: EnumDef
  readonly from: string
  readonly to: string
}
/**
 * An enum whose values are removed or reordered: the old type is renamed aside, the new one
 * created, every column moved to it (`USING col::text::type`, as alter_column_type changes), and
 * the old type dropped once no column uses it.
 */
export interface RecreateEnum {
  readonly kind: 'recreate_enum'
  readonly from: EnumDef
  readonly to: EnumDef
  /** The name the old type has while the columns move. */
  readonly asideName: string
}
/**
 * A domain whose base type or collation changes while table columns use it: the old domain is
 * renamed aside, the new one created, every column moved to it (alter_column_type changes, as for
 * a recreated enum), and the old one dropped once no column uses it.
 */
export interface RecreateDomain {
  readonly kind: 'recreate_domain'
  readonly from: DomainDef
  readonly to: DomainDef
  /** The name the old domain has while the columns move. */
  readonly asideName: string
}
/** `ALTER TYPE … ADD VALUE … BEFORE/AFTER`. */
export interface AddEnumValue {
  readonly kind: 'add_enum_value'
  readonly enum: EnumDef
  readonly value: string
  readonly before?: string
  readonly after?: string
}
/** `CREATE COLLATION`. */
export interface CreateCollation {
  readonly kind: 'create_collation'
  readonly collation: CollationDef
}
/** `DROP COLLATION` (destructive). */
export interface DropCollation {
  readonly kind: 'drop_collation'
  readonly collation: CollationDef
  /** Columns, indexes or domains leave the collation in this migration: it is dropped after them. */
  readonly afterColumns?: boolean
}
/** `CREATE EVENT TRIGGER`, then its ENABLE state when not the default. */
export interface CreateEventTrigger {
  readonly kind: 'create_event_trigger'
  readonly trigger: EventTriggerDef
}
/** `DROP EVENT TRIGGER` (destructive unless it is created again). */
export interface DropEventTrigger {
  readonly kind: 'drop_event_trigger'
  readonly trigger: EventTriggerDef
}
/** `ALTER EVENT TRIGGER … ENABLE / DISABLE`. */
export interface AlterEventTriggerEnabled {
  readonly kind: 'alter_event_trigger_enabled'
  readonly name: string
  readonly from?: EventTriggerDef['enabled']
  readonly to?: EventTriggerDef['enabled']
}
/** `CREATE AGGREGATE`. */
export interface CreateAggregate {
  readonly kind: 'create_aggregate'
  readonly aggregate: AggregateDef
}
/** `DROP AGGREGATE` (destructive unless it is created again). */
export interface DropAggregate {
  readonly kind: 'drop_aggregate'
  readonly aggregate: AggregateDef
}
/** `CREATE OR REPLACE AGGREGATE`: same state type, final function and kind. */
export interface ReplaceAggregate {
  readonly kind: 'replace_aggregate'
  readonly from: AggregateDef
  readonly to: AggregateDef
}
/** `CREATE TYPE … AS (…)`. */
export interface CreateComposite {
  readonly kind: 'create_composite'
  readonly type: CompositeTypeDef
}
/** `DROP TYPE` of a composite type (destructive unless it is created again). */
export interface DropComposite {
  readonly kind: 'drop_composite'
  readonly type: CompositeTypeDef
  /** Columns leave the type in this migration: it is dropped after them. */
  readonly afterColumns?: boolean
}
/** `ALTER TYPE … DROP / ALTER / ADD ATTRIBUTE`, one statement per attribute (the order ALTER leaves is the target's). */
export interface AlterComposite {
  readonly kind: 'alter_composite'
  readonly from: CompositeTypeDef
  readonly to: CompositeTypeDef
}
/** `CREATE DOMAIN` with its default, NOT NULL and checks. */
export interface CreateDomain {
  readonly kind: 'create_domain'
  readonly domain: DomainDef
}
/** `DROP DOMAIN` (destructive). */
export interface DropDomain {
  readonly kind: 'drop_domain'
  readonly domain: DomainDef
  /** Columns move off the domain in this migration: it is dropped after their type changes. */
  readonly afterColumns?: boolean
}
/** `ALTER DOMAIN … SET/DROP DEFAULT`, `SET/DROP NOT NULL`. */
export interface AlterDomain {
  readonly kind: 'alter_domain'
  readonly from: DomainDef
  readonly to: DomainDef
}
/** `ALTER DOMAIN … ADD CONSTRAINT … CHECK`. */
export interface AddDomainCheck {
  readonly kind: 'add_domain_check'
  readonly domain: DomainDef
  readonly check: DomainCheckDef
}
/** `ALTER DOMAIN … DROP CONSTRAINT`. */
export interface DropDomainCheck {
  readonly kind: 'drop_domain_check'
  readonly domain: DomainDef
  readonly check: DomainCheckDef
}
/** `CREATE SEQUENCE`. */
export interface CreateSequence {
  readonly kind: 'create_sequence'
  readonly sequence: SequenceDef
}
/** `DROP SEQUENCE` (destructive: its current value is lost). */
export interface DropSequence {
  readonly kind: 'drop_sequence'
  readonly sequence: SequenceDef
}
/** `ALTER SEQUENCE` options or ownership. */
export interface AlterSequence {
  readonly kind: 'alter_sequence'
  readonly from: SequenceDef
  readonly to: SequenceDef
  /**
   * The column or table that owns it now is dropped while the sequence stays: its ownership is
   * released before that drop (which would otherwise take the sequence with it).
   */
  readonly releaseFirst?: boolean
}
/** `CREATE TABLE` with its indexes, comments, RLS and policies (foreign keys come as their own changes). */
export interface CreateTable {
  readonly kind: 'create_table'
  readonly table: TableDef
}
/** `DROP TABLE` (destructive). */
export interface DropTable {
  readonly kind: 'drop_table'
  readonly table: TableDef
  /** Set when the table is dropped to be created again with other partitioning: says how. */
  readonly repartitioned?: string
}
/** `ALTER TABLE … RENAME TO`. */
export interface RenameTable {
  readonly kind: 'rename_table'
  readonly schema: string
  readonly from: string
  readonly to: string
}
/** `ALTER TABLE … ADD COLUMN`. */
export interface AddColumn {
  readonly kind: 'add_column'
  readonly table: TableRef
  readonly column: ColumnDef
  /** True when this add is the second half of a drop+add of a generated column whose expression changed. */
  readonly regenerated?: boolean
  /** The generated column is added again after the columns its expression reads change type. */
  readonly afterRetype?: true
}
/** `ALTER TABLE … DROP COLUMN` (destructive unless it is the first half of a regenerated column). */
export interface DropColumn {
  readonly kind: 'drop_column'
  readonly table: TableRef
  readonly column: ColumnDef
  readonly regenerated?: boolean
}
/** `ALTER TABLE … RENAME COLUMN`. */
export interface RenameColumn {
  readonly kind: 'rename_column'
  readonly table: TableRef
  readonly from: string
  readonly to: string
}
/** `ALTER COLUMN … TYPE … [USING …]`, and collation changes. */
export interface AlterColumnType {
  readonly kind: 'alter_column_type'
  readonly table: TableRef
  readonly from: ColumnDef
  readonly to: ColumnDef
  /** The USING expression, when no assignment cast exists between the two types. */
  readonly using?: string
  /** The USING expression of the way back (down migration), when it is not a plain cast. */
  readonly reverseUsing?: string
  /** 'safe' = no rewrite; 'rewrite' = the table is rewritten; 'narrowing' = values may not fit (destructive). */
  readonly safety: 'safe' | 'rewrite' | 'narrowing'
}
/** `ALTER COLUMN … SET/DROP NOT NULL`. */
export interface AlterColumnNullability {
  readonly kind: 'alter_column_nullability'
  readonly table: TableRef
  readonly column: string
  readonly notNull: boolean
}
/**
 * `ALTER COLUMN … SET STORAGE` / `SET COMPRESSION`: `to` is the column's new storage (its type's own
 * when the column sets none) and compression (undefined: the server's default).
 */
export interface AlterColumnStorage {
  readonly kind: 'alter_column_storage'
  readonly table: TableRef
  readonly column: string
  readonly from: { readonly storage: ColumnStorage; readonly compression?: 'pglz' | 'lz4' }
  readonly to: { readonly storage: ColumnStorage; readonly compression?: 'pglz' | 'lz4' }
  /** Follows a type change of the column (which set the new type's own storage). */
  readonly retyped?: true
}
/** `ALTER COLUMN … SET/DROP DEFAULT`. */
export interface AlterColumnDefault {
  readonly kind: 'alter_column_default'
  readonly table: TableRef
  readonly column: string
  readonly from?: string
  readonly to?: string
  /**
   * On a partitioned table: `ALTER TABLE ONLY`, so that partitions with a default of their own keep
   * it (the partitions that follow the parent get the same change of their own).
   */
  readonly only?: true
}
/** `ALTER COLUMN … ADD/DROP/SET GENERATED … AS IDENTITY`. */
export interface AlterColumnIdentity {
  readonly kind: 'alter_column_identity'
  readonly table: TableRef
  readonly column: string
  readonly from?: 'always' | 'by default'
  readonly to?: 'always' | 'by default'
  /** Sequence options of the identity being added (`to`), and of the one dropped (`from`, for the way back). */
  readonly options?: IdentityOptions
  readonly fromOptions?: IdentityOptions
}
/** `ALTER COLUMN … SET INCREMENT BY … SET MAXVALUE …` of an identity column's sequence. */
export interface AlterIdentityOptions {
  readonly kind: 'alter_identity_options'
  readonly table: TableRef
  readonly column: string
  /** The column's type (the defaults of the options depend on it). */
  readonly type: string
  readonly from?: IdentityOptions
  readonly to?: IdentityOptions
}
/** `ALTER COLUMN … DROP EXPRESSION`: a generated column becomes a plain one, keeping its values. */
export interface DropColumnExpression {
  readonly kind: 'drop_column_expression'
  readonly table: TableRef
  readonly column: ColumnDef
}
/** `ADD CONSTRAINT … PRIMARY KEY`. */
export interface AddPrimaryKey {
  readonly kind: 'add_primary_key'
  readonly table: TableRef
  readonly primaryKey: PrimaryKeyDef
  /** The table is a partitioned parent (USING INDEX and NOT VALID do not apply). */
  readonly partitioned?: boolean
}
/** `DROP CONSTRAINT` of a primary key. */
export interface DropPrimaryKey {
  readonly kind: 'drop_primary_key'
  readonly table: TableRef
  readonly primaryKey: PrimaryKeyDef
}
/** `ADD CONSTRAINT … UNIQUE`. */
export interface AddUnique {
  readonly kind: 'add_unique'
  readonly table: TableRef
  readonly unique: UniqueDef
  /** The table is a partitioned parent (USING INDEX and NOT VALID do not apply). */
  readonly partitioned?: boolean
}
/** `DROP CONSTRAINT` of a UNIQUE constraint. */
export interface DropUnique {
  readonly kind: 'drop_unique'
  readonly table: TableRef
  readonly unique: UniqueDef
}
/** `ADD CONSTRAINT … FOREIGN KEY`. */
export interface AddForeignKey {
  readonly kind: 'add_foreign_key'
  readonly table: TableRef
  readonly foreignKey: ForeignKeyDef
  /** The table is a partitioned parent (USING INDEX and NOT VALID do not apply). */
  readonly partitioned?: boolean
}
/** `DROP CONSTRAINT` of a foreign key. */
export interface DropForeignKey {
  readonly kind: 'drop_foreign_key'
  readonly table: TableRef
  readonly foreignKey: ForeignKeyDef
}
/** `ADD CONSTRAINT … CHECK`. */
export interface AddCheck {
  readonly kind: 'add_check'
  readonly table: TableRef
  readonly check: CheckDef
  /** The table is a partitioned parent (USING INDEX and NOT VALID do not apply). */
  readonly partitioned?: boolean
}
/** `DROP CONSTRAINT` of a CHECK. */
export interface DropCheck {
  readonly kind: 'drop_check'
  readonly table: TableRef
  readonly check: CheckDef
}
/** `ADD CONSTRAINT … EXCLUDE …`. */
export interface AddExclusion {
  readonly kind: 'add_exclusion'
  readonly table: TableRef
  readonly exclusion: ExclusionDef
}
/** `DROP CONSTRAINT` of an EXCLUDE constraint. */
export interface DropExclusion {
  readonly kind: 'drop_exclusion'
  readonly table: TableRef
  readonly exclusion: ExclusionDef
}
/** `ALTER TABLE … VALIDATE CONSTRAINT`: a NOT VALID check or foreign key becomes a validated one. */
export interface ValidateConstraint {
  readonly kind: 'validate_constraint'
  readonly table: TableRef
  readonly constraint: 'check' | 'foreign_key'
  /** The constraint as it is now (NOT VALID); its name stays. */
  readonly from: CheckDef | ForeignKeyDef
}
/** `ALTER TABLE … RENAME CONSTRAINT` / `ALTER INDEX … RENAME`: same definition, new name. */
export interface RenameConstraint {
  readonly kind: 'rename_constraint'
  readonly table: TableRef
  readonly constraint: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion' | 'index'
  readonly from: string
  readonly to: string
}
/** `CREATE INDEX` on a table or materialized view. */
export interface CreateIndex {
  readonly kind: 'create_index'
  readonly table: TableRef
  readonly index: IndexDef
  /** The indexed relation is a partitioned parent (no CONCURRENTLY possible). */
  readonly partitioned?: boolean
}
/** `DROP INDEX`. */
export interface DropIndex {
  readonly kind: 'drop_index'
  readonly table: TableRef
  readonly index: IndexDef
  readonly partitioned?: boolean
}
/** `ALTER TABLE … SET (…)` / `RESET (…)` of storage parameters. */
export interface AlterStorage {
  readonly kind: 'alter_storage'
  readonly table: TableRef
  readonly from: Readonly<Record<string, string>>
  readonly to: Readonly<Record<string, string>>
  readonly materialized?: boolean
  /** Set for `ALTER INDEX … SET/RESET (…)`: the index (in the table's schema) whose parameters change. */
  readonly index?: string
}
/** `ALTER TABLE … SET LOGGED|UNLOGGED` (rewrites the table). */
export interface AlterPersistence {
  readonly kind: 'alter_persistence'
  readonly table: TableRef
  readonly unlogged: boolean
}
/** What a comment is attached to. */
export type CommentTarget =
  | { readonly on: 'schema'; readonly name: string }
  | { readonly on: 'enum' | 'domain' | 'collation' | 'sequence' | 'table' | 'view' | 'materialized_view' | 'index'; readonly schema: string; readonly name: string }
  | { readonly on: 'domain_constraint'; readonly schema: string; readonly domain: string; readonly name: string }
  | { readonly on: 'constraint'; readonly schema: string; readonly table: string; readonly name: string }
  | { readonly on: 'column'; readonly schema: string; readonly table: string; readonly name: string }
  | { readonly on: 'function'; readonly schema: string; readonly name: string; readonly args: string; readonly procedure: boolean }
  | { readonly on: 'trigger'; readonly schema: string; readonly table: string; readonly name: string }
  | { readonly on: 'policy'; readonly schema: string; readonly table: string; readonly name: string }
  | { readonly on: 'aggregate'; readonly schema: string; readonly name: string; readonly args: string }
  | { readonly on: 'type'; readonly schema: string; readonly name: string }
  | { readonly on: 'event_trigger'; readonly name: string }
  | { readonly on: 'attribute'; readonly schema: string; readonly type: string; readonly name: string }
/** `COMMENT ON … IS …`. */
export interface SetComment {
  readonly kind: 'set_comment'
  readonly target: CommentTarget
  readonly from?: string
  readonly to?: string
}
/** `ENABLE/DISABLE`, `FORCE/NO FORCE ROW LEVEL SECURITY`. */
export interface AlterRls {
  readonly kind: 'alter_rls'
  readonly table: TableRef
  readonly from: { readonly enabled: boolean; readonly forced: boolean }
  readonly to: { readonly enabled: boolean; readonly forced: boolean }
}
/** `CREATE POLICY`. */
export interface CreatePolicy {
  readonly kind: 'create_policy'
  readonly table: TableRef
  readonly policy: PolicyDef
}
/** `DROP POLICY`. */
export interface DropPolicy {
  readonly kind: 'drop_policy'
  readonly table: TableRef
  readonly policy: PolicyDef
}
/** `ALTER POLICY` when only roles, USING or WITH CHECK change. */
export interface AlterPolicy {
  readonly kind: 'alter_policy'
  readonly table: TableRef
  readonly from: PolicyDef
  readonly to: PolicyDef
}
/** `ALTER TABLE parent ATTACH PARTITION child …` (an existing table becomes a partition). */
export interface AttachPartition {
  readonly kind: 'attach_partition'
  readonly table: TableDef
}
/** `ALTER TABLE parent DETACH PARTITION child` (the table stays, as a plain table). */
export interface DetachPartition {
  readonly kind: 'detach_partition'
  readonly table: TableDef
}
/** `CREATE [MATERIALIZED] VIEW`. */
export interface CreateView {
  readonly kind: 'create_view'
  readonly view: ViewDef
  /** True when the view is recreated only because something it depends on changes. */
  readonly dependent?: boolean
}
/** `DROP [MATERIALIZED] VIEW`. */
export interface DropView {
  readonly kind: 'drop_view'
  readonly view: ViewDef
  readonly dependent?: boolean
}
/** `CREATE OR REPLACE VIEW` with compatible columns. */
export interface ReplaceView {
  readonly kind: 'replace_view'
  readonly from: ViewDef
  readonly to: ViewDef
}
/** `CREATE FUNCTION`. */
export interface CreateFunction {
  readonly kind: 'create_function'
  readonly function: FunctionDef
}
/** `DROP FUNCTION/PROCEDURE`. */
export interface DropFunction {
  readonly kind: 'drop_function'
  readonly function: FunctionDef
}
/** `CREATE OR REPLACE FUNCTION` with the same identity and return type. */
export interface ReplaceFunction {
  readonly kind: 'replace_function'
  readonly from: FunctionDef
  readonly to: FunctionDef
}
/** `CREATE TRIGGER`. */
export interface CreateTrigger {
  readonly kind: 'create_trigger'
  readonly trigger: TriggerDef
}
/** `ALTER TABLE … ENABLE [REPLICA | ALWAYS] / DISABLE TRIGGER` (the trigger's `enabled` is the new state). */
export interface AlterTriggerEnabled {
  readonly kind: 'alter_trigger_enabled'
  readonly trigger: TriggerDef
  readonly from?: TriggerDef['enabled']
}
/** `DROP TRIGGER`. */
export interface DropTrigger {
  readonly kind: 'drop_trigger'
  readonly trigger: TriggerDef
}
/** `CREATE ROLE` (guarded: roles are cluster-wide). */
export interface CreateRole {
  readonly kind: 'create_role'
  readonly role: RoleDef
}
/** `DROP ROLE`. */
export interface DropRole {
  readonly kind: 'drop_role'
  readonly role: RoleDef
}
/** `ALTER ROLE` attributes and `GRANT/REVOKE role` memberships. */
export interface AlterRole {
  readonly kind: 'alter_role'
  readonly from: RoleDef
  readonly to: RoleDef
}
/**
 * `ALTER DEFAULT PRIVILEGES … GRANT|REVOKE` of the privileges listed in `entry`. `removes` says it
 * takes away part of an entry the `from` side had (refused as destructive unless allowed).
 */
export interface AlterDefaultPrivileges {
  readonly kind: 'alter_default_privileges'
  readonly entry: DefaultPrivilegeDef
  readonly action: 'grant' | 'revoke'
  readonly removes: boolean
}
/** `GRANT` of the privileges listed in `grant`. */
export interface GrantPrivileges {
  readonly kind: 'grant'
  readonly grant: GrantDef
}
/** `REVOKE` of the privileges listed in `grant`. */
export interface RevokePrivileges {
  readonly kind: 'revoke'
  readonly grant: GrantDef
  /**
   * Set for a privilege a new object gets from default privileges but the target's object does
   * not hold: revoked once the object exists.
   */
  readonly afterCreate?: boolean
}
/**
 * A difference cairn will not turn into SQL by itself (enum value removal or reordering, a changed
 * partition key, a plain table becoming partitioned). The planner refuses it with `message` and `hint`.
 */
export interface UnsupportedChange {
  readonly kind: 'unsupported'
  readonly object: string
  readonly objectKind: string
  readonly message: string
  readonly hint: string
}

/** Every change diff() can report. */
export type Change =
  | CreateSchema
  | DropSchema
  | CreateExtension
  | DropExtension
  | AlterExtensionSchema
  | CreateEnum
  | DropEnum
  | RenameEnum
  | AddEnumValue
  | RenameEnumValue
  | RecreateEnum
  | RecreateDomain
  | CreateCollation
  | DropCollation
  | AlterColumnStorage
  | CreateEventTrigger
  | DropEventTrigger
  | AlterEventTriggerEnabled
  | CreateAggregate
  | DropAggregate
  | ReplaceAggregate
  | CreateComposite
  | DropComposite
  | AlterComposite
  | CreateDomain
  | DropDomain
  | AlterDomain
  | AddDomainCheck
  | DropDomainCheck
  | CreateSequence
  | DropSequence
  | AlterSequence
  | CreateTable
  | DropTable
  | RenameTable
  | AddColumn
  | DropColumn
  | RenameColumn
  | AlterColumnType
  | AlterColumnNullability
  | AlterColumnDefault
  | AlterColumnIdentity
  | AlterIdentityOptions
  | DropColumnExpression
  | AddPrimaryKey
  | DropPrimaryKey
  | AddUnique
  | DropUnique
  | AddForeignKey
  | DropForeignKey
  | AddCheck
  | DropCheck
  | AddExclusion
  | DropExclusion
  | RenameConstraint
  | ValidateConstraint
  | CreateIndex
  | DropIndex
  | AlterStorage
  | AlterPersistence
  | SetComment
  | AlterRls
  | CreatePolicy
  | DropPolicy
  | AlterPolicy
  | AttachPartition
  | DetachPartition
  | CreateView
  | DropView
  | ReplaceView
  | CreateFunction
  | DropFunction
  | ReplaceFunction
  | CreateTrigger
  | DropTrigger
  | AlterTriggerEnabled
  | CreateRole
  | DropRole
  | AlterRole
  | GrantPrivileges
  | RevokePrivileges
  | AlterDefaultPrivileges
  | UnsupportedChange

/** The `kind` of every change. */
export type ChangeKind = Change['kind']

/** A drop and an add that look like a rename, for which no `renamedFrom` hint exists. */
export interface RenameCandidate {
  readonly kind: 'table' | 'column'
  readonly schema: string
  /** For a column candidate: the table (its name in the `to` model). */
  readonly table?: string
  readonly from: string
  readonly to: string
}

/** Answers a rename candidate: 'rename', 'no', or undefined when it does not know. */
export type RenameResolver = (candidate: RenameCandidate) => 'rename' | 'no' | undefined

/**
 * Something diff() could not compare: objects of a kind the model does not hold were found on
 * either side, so "no changes" would not mean the schemas are equal.
 */
export interface DiffWarning {
  readonly code: 'unmodelled_objects'
  /** The kind of object, e.g. `aggregate` (see UnmodelledObject). */
  readonly kind: string
  readonly message: string
  /** The objects of that kind in the `from` model and in the `to` model. */
  readonly from: readonly string[]
  readonly to: readonly string[]
}

/** The result of diff(): the changes, or the rename questions that must be answered first. */
export interface DiffResult {
  readonly status: 'ok' | 'needs_input'
  /** Empty when status is 'needs_input'. */
  readonly changes: readonly Change[]
  /** The unanswered rename candidates (status 'needs_input'). */
  readonly candidates: readonly RenameCandidate[]
  /** What could not be compared; absent when everything was. */
  readonly warnings?: readonly DiffWarning[]
}
