/**
 * The schema model: plain, JSON-serialisable data describing a PostgreSQL database.
 *
 * Both producers (the DSL loader and the catalog inspector) return this shape, and every consumer
 * (diff, SQL rendering, lint, codegen) reads only this shape. No classes, functions, Dates or Maps.
 *
 * Normal form (see normalize.ts): names are unquoted identifiers as Postgres stores them; types are
 * spelled as `format_type()` prints them with `search_path = pg_catalog` (so user types are always
 * schema-qualified); collections are sorted by name except table columns, which keep their order.
 */

/**
 * The model format version, bumped on any incompatible change to these types, or to how a model is
 * put into canonical form (3: the full-model render keeps comments on views, sequences, functions and
 * triggers, which canonical models of 2 lack; 4: grants on functions carry their arguments, and
 * column-level grants, grants on types and PUBLIC's revoked defaults are grants, no longer
 * unmodelled; 5: the connected role's default privileges name no role, and the roles default
 * privileges name are read), so that stored snapshots and caches are replayed.
 */
export const MODEL_VERSION = 5

/** A whole database schema as cairn sees it. */
export interface Model {
  readonly version: typeof MODEL_VERSION
  readonly schemas: readonly SchemaDef[]
  readonly extensions: readonly ExtensionDef[]
  readonly enums: readonly EnumDef[]
  readonly domains: readonly DomainDef[]
  /** User-defined collations (CREATE COLLATION); absent when there are none. */
  readonly collations?: readonly CollationDef[]
  readonly sequences: readonly SequenceDef[]
  readonly tables: readonly TableDef[]
  readonly views: readonly ViewDef[]
  readonly functions: readonly FunctionDef[]
  /** Aggregates (CREATE AGGREGATE); absent when there are none. */
  readonly aggregates?: readonly AggregateDef[]
  /** Composite types (CREATE TYPE … AS (…)); absent when there are none. */
  readonly composites?: readonly CompositeTypeDef[]
  readonly triggers: readonly TriggerDef[]
  /** Event triggers (database-wide); absent when there are none. */
  readonly eventTriggers?: readonly EventTriggerDef[]
  readonly roles: readonly RoleDef[]
  readonly grants: readonly GrantDef[]
  /** ALTER DEFAULT PRIVILEGES entries; absent when there are none. */
  readonly defaultPrivileges?: readonly DefaultPrivilegeDef[]
  /**
   * Objects of kinds cairn does not model (aggregates, collations, event triggers, …), as inspect
   * found them; absent when there are none. diff() cannot compare them and reports a warning.
   */
  readonly unmodelled?: readonly UnmodelledObject[]
}

/** An object inspect found but the model cannot describe, so diff() cannot compare it. */
export interface UnmodelledObject {
  /** What it is, e.g. `aggregate`, `collation`, `table inheritance`, `column-level grant`. */
  readonly kind: string
  /** Its schema, for objects that live in one. */
  readonly schema?: string
  /** How Postgres describes it (`pg_describe_object`), e.g. `aggregate public.group_concat(text)`. */
  readonly name: string
}

/** Kinds of objects a model holds; used by changes, diagnostics and error locations. */
export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'enum'
  | 'domain'
  | 'collation'
  | 'sequence'
  | 'table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'policy'
  | 'view'
  | 'function'
  | 'aggregate'
  | 'composite'
  | 'trigger'
  | 'role'
  | 'grant'

/** A Postgres schema (namespace). */
export interface SchemaDef {
  readonly kind: 'schema'
  readonly name: string
  readonly comment?: string
}

/** An installed extension, e.g. pgcrypto or vector. */
export interface ExtensionDef {
  readonly kind: 'extension'
  readonly name: string
  /** Schema the extension's objects live in. */
  readonly schema: string
}

/** An enum type; `values` keep their declared order. */
export interface EnumDef {
  readonly kind: 'enum'
  readonly schema: string
  readonly name: string
  readonly values: readonly string[]
  readonly comment?: string
  /** DSL hint only, never produced by inspect: the enum's previous name. */
  readonly renamedFrom?: string
  /** DSL hint only, never produced by inspect: renamed values, new value → previous value. */
  readonly valuesRenamedFrom?: Readonly<Record<string, string>>
}

/** A collation made by CREATE COLLATION. */
export interface CollationDef {
  readonly kind: 'collation'
  readonly schema: string
  readonly name: string
  readonly provider: 'libc' | 'icu' | 'builtin'
  /** The ICU or builtin locale (`und-u-ks-level2`). */
  readonly locale?: string
  /** The libc LC_COLLATE and LC_CTYPE. */
  readonly lcCollate?: string
  readonly lcCtype?: string
  readonly deterministic: boolean
  /** ICU tailoring rules (PostgreSQL 16+). */
  readonly rules?: string
  readonly comment?: string
}

/** A CHECK constraint of a domain; `expression` tests `VALUE`, as `pg_get_constraintdef()` prints it. */
export interface DomainCheckDef {
  readonly name: string
  readonly expression: string
  readonly comment?: string
}

/** A domain: a type with a default, NOT NULL and CHECK constraints over a base type. */
export interface DomainDef {
  readonly kind: 'domain'
  readonly schema: string
  readonly name: string
  /** The base type as `format_type()` prints it: `text`, `numeric(10,2)`, `integer[]`, `app.mood`. */
  readonly type: string
  readonly notNull: boolean
  /** Default expression as `pg_get_expr()` prints it. */
  readonly default?: string
  /** Non-default collation. */
  readonly collation?: string
  /** Sorted by name. */
  readonly checks: readonly DomainCheckDef[]
  readonly comment?: string
}

/** A standalone sequence, or one owned by a column (serial). Identity sequences are not listed. */
export interface SequenceDef {
  readonly kind: 'sequence'
  readonly schema: string
  readonly name: string
  /** 'smallint' | 'integer' | 'bigint' */
  readonly type: string
  readonly start: string
  readonly increment: string
  readonly min: string
  readonly max: string
  readonly cache: string
  readonly cycle: boolean
  /** `table.column` (same schema) that owns the sequence, if any. */
  readonly ownedBy?: { readonly table: string; readonly column: string }
  readonly comment?: string
}

/** How a column's values are stored: inline or out of line (TOAST), compressed or not. */
export type ColumnStorage = 'plain' | 'external' | 'extended' | 'main'

/** A column of a table. */
export interface ColumnDef {
  readonly name: string
  /** As `format_type()` prints it: `character varying(255)`, `timestamp with time zone`, `auth.role[]`. */
  readonly type: string
  readonly notNull: boolean
  /** Default expression as `pg_get_expr()` prints it, e.g. `now()`, `'draft'::text`. */
  readonly default?: string
  readonly identity?: 'always' | 'by default'
  /** Options of an identity column's sequence that differ from the defaults (see identityDefaults). */
  readonly identityOptions?: IdentityOptions
  /** Expression of a `GENERATED ALWAYS AS (…) STORED` column. */
  readonly generated?: string
  /** Non-default collation, e.g. `C` or `en-x-icu`. */
  readonly collation?: string
  /** STORAGE, only when it differs from the type's own (`typstorage`). */
  readonly storage?: ColumnStorage
  /** COMPRESSION of the column's values (PostgreSQL 14+), only when set on the column. */
  readonly compression?: 'pglz' | 'lz4'
  readonly comment?: string
  /** DSL hint only, never produced by inspect: the column's previous name. */
  readonly renamedFrom?: string
}

/**
 * Sequence options of an identity column, each only when it differs from what Postgres chooses by
 * itself for the column's type and the increment's sign (see identityDefaults in normalize.ts).
 */
export interface IdentityOptions {
  readonly start?: string
  readonly increment?: string
  readonly min?: string
  readonly max?: string
  readonly cache?: string
  readonly cycle?: boolean
}

/** Referential action of a foreign key. */
export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default'

/** Options shared by constraints that can be deferred. */
export interface Deferrable {
  readonly deferrable?: boolean
  readonly initiallyDeferred?: boolean
}

/** A primary key. */
export interface PrimaryKeyDef extends Deferrable {
  readonly name: string
  readonly columns: readonly string[]
  /** Non-key columns its index carries (`INCLUDE (…)`); absent when none. */
  readonly include?: readonly string[]
  /** Storage parameters of its index (`WITH (fillfactor=70)`); absent when none. */
  readonly with?: Readonly<Record<string, string>>
  readonly comment?: string
}

/** A UNIQUE constraint (not a bare unique index: those are indexes). */
export interface UniqueDef extends Deferrable {
  readonly name: string
  readonly columns: readonly string[]
  /** Non-key columns its index carries (`INCLUDE (…)`); absent when none. */
  readonly include?: readonly string[]
  readonly nullsNotDistinct?: boolean
  /** Storage parameters of its index; absent when none. */
  readonly with?: Readonly<Record<string, string>>
  readonly comment?: string
}

/** A FOREIGN KEY constraint. */
export interface ForeignKeyDef extends Deferrable {
  readonly name: string
  readonly columns: readonly string[]
  readonly refSchema: string
  readonly refTable: string
  readonly refColumns: readonly string[]
  readonly onDelete: FkAction
  /** `ON DELETE SET NULL (…)` / `SET DEFAULT (…)`: only these columns are set (PostgreSQL 15+); absent for all. */
  readonly onDeleteColumns?: readonly string[]
  readonly onUpdate: FkAction
  readonly match?: 'full'
  /** Added NOT VALID and never validated: rows there before it was added are not checked. */
  readonly notValid?: true
  readonly comment?: string
}

/** A CHECK constraint; `expression` is the bare boolean expression, without `CHECK (…)`. */
export interface CheckDef {
  readonly name: string
  readonly expression: string
  readonly noInherit?: boolean
  /** Added NOT VALID and never validated: rows there before it was added are not checked. */
  readonly notValid?: true
  readonly comment?: string
}

/**
 * An EXCLUDE constraint, kept as `pg_get_constraintdef()` prints it after the name:
 * `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (…) DEFERRABLE`.
 */
export interface ExclusionDef {
  readonly name: string
  readonly definition: string
  readonly comment?: string
}

/** One key of an index: a column or an expression, with its ordering options. */
export interface IndexKey {
  readonly column?: string
  readonly expression?: string
  readonly desc?: boolean
  /** Only set when it differs from the default for the direction (NULLS LAST for ASC, FIRST for DESC). */
  readonly nullsFirst?: boolean
  readonly opclass?: string
  readonly collation?: string
}

/** An index that is not the implementation of a PK or UNIQUE constraint. */
export interface IndexDef {
  readonly name: string
  readonly unique: boolean
  /** Access method: btree, gin, gist, brin, hash, spgist, or an extension's (hnsw, ivfflat). */
  readonly method: string
  readonly keys: readonly IndexKey[]
  readonly include: readonly string[]
  /** Partial index predicate, as `pg_get_expr()` prints it. */
  readonly where?: string
  readonly nullsNotDistinct?: boolean
  /** Index storage parameters, e.g. `{ fillfactor: '70' }`. */
  readonly with: Readonly<Record<string, string>>
  readonly comment?: string
}

/** A row-level security policy. */
export interface PolicyDef {
  readonly name: string
  readonly permissive: boolean
  /** 'all' | 'select' | 'insert' | 'update' | 'delete' */
  readonly command: 'all' | 'select' | 'insert' | 'update' | 'delete'
  /** Role names; `public` when the policy applies to everyone. Sorted. */
  readonly roles: readonly string[]
  readonly using?: string
  readonly withCheck?: string
  readonly comment?: string
}

/** Declarative partitioning of a table (the parent side). */
export interface PartitionByDef {
  readonly strategy: 'range' | 'list' | 'hash'
  /** Partition key as `pg_get_partkeydef()` prints it after the strategy, e.g. `(created_at)`. */
  readonly key: string
}

/** A table that is a partition of another. */
export interface PartitionOfDef {
  readonly parentSchema: string
  readonly parent: string
  /** Bound as `pg_get_expr(relpartbound)` prints it, e.g. `FOR VALUES FROM ('2025-01-01') TO ('2025-04-01')`. */
  readonly bound: string
}

/** A table with everything that hangs off it. */
export interface TableDef {
  readonly kind: 'table'
  readonly schema: string
  readonly name: string
  /** In declaration (attnum) order. */
  readonly columns: readonly ColumnDef[]
  readonly primaryKey?: PrimaryKeyDef
  readonly uniques: readonly UniqueDef[]
  readonly foreignKeys: readonly ForeignKeyDef[]
  readonly checks: readonly CheckDef[]
  /** EXCLUDE constraints; absent when there are none. */
  readonly exclusions?: readonly ExclusionDef[]
  readonly indexes: readonly IndexDef[]
  /**
   * Comments on the indexes behind the primary key and unique constraints (`COMMENT ON INDEX
   * t_pkey`), by index (= constraint) name; absent when none. Not the constraints' own comments.
   */
  readonly keyIndexComments?: Readonly<Record<string, string>>
  /** `CREATE UNLOGGED TABLE`: not written to the WAL (emptied by a crash, not replicated). */
  readonly unlogged?: true
  /** Table storage parameters (reloptions): fillfactor, autovacuum_*, toast_tuple_target, … */
  readonly with: Readonly<Record<string, string>>
  readonly rls?: { readonly enabled: boolean; readonly forced: boolean }
  readonly policies: readonly PolicyDef[]
  readonly partitionBy?: PartitionByDef
  readonly partitionOf?: PartitionOfDef
  readonly comment?: string
  /** DSL hint only, never produced by inspect: the table's previous name (same schema). */
  readonly renamedFrom?: string
}

/** A view or materialized view; `definition` is the SELECT as `pg_get_viewdef()` prints it. */
export interface ViewDef {
  readonly kind: 'view'
  readonly schema: string
  readonly name: string
  readonly materialized: boolean
  readonly definition: string
  readonly columns?: readonly string[]
  readonly with: Readonly<Record<string, string>>
  /** Indexes (materialized views only). */
  readonly indexes: readonly IndexDef[]
  readonly comment?: string
  /** Comments on the view's columns, by column name. */
  readonly columnComments?: Readonly<Record<string, string>>
}

/** A function or procedure, kept as its full `pg_get_functiondef()` text plus its identity. */
export interface FunctionDef {
  readonly kind: 'function'
  readonly schema: string
  readonly name: string
  /** Identity arguments as `pg_get_function_identity_arguments()` prints them. */
  readonly args: string
  readonly isProcedure: boolean
  /** `CREATE OR REPLACE FUNCTION …` text as `pg_get_functiondef()` prints it. */
  readonly definition: string
  readonly comment?: string
}

/** Who may write the transition state a final function receives (FINALFUNC_MODIFY). */
export type AggregateModify = 'read_only' | 'shareable' | 'read_write'

/**
 * An aggregate (CREATE AGGREGATE). Support functions are named as `regproc` prints them with
 * `search_path = pg_catalog` (user functions qualified: `app.add_pair`, built-ins bare: `int4pl`),
 * types as `format_type()` prints them. Options at their defaults are absent.
 */
export interface AggregateDef {
  readonly kind: 'aggregate'
  readonly schema: string
  readonly name: string
  /**
   * Identity arguments as `pg_get_function_identity_arguments()` prints them: `text`,
   * `numeric, integer`, `` (for `(*)`), or an ordered-set aggregate's `double precision ORDER BY anyelement`.
   */
  readonly args: string
  readonly sfunc: string
  readonly stype: string
  readonly sspace?: number
  readonly finalfunc?: string
  readonly finalfuncExtra?: true
  /** Only when it differs from the default (read_only, read_write for ordered-set aggregates). */
  readonly finalfuncModify?: AggregateModify
  readonly combinefunc?: string
  readonly serialfunc?: string
  readonly deserialfunc?: string
  /** The initial state as text, exactly as stored (`''` differs from none). */
  readonly initcond?: string
  /** The moving-aggregate mode: MSFUNC, MINVFUNC, MSTYPE and the rest. */
  readonly msfunc?: string
  readonly minvfunc?: string
  readonly mstype?: string
  readonly msspace?: number
  readonly mfinalfunc?: string
  readonly mfinalfuncExtra?: true
  readonly mfinalfuncModify?: AggregateModify
  readonly minitcond?: string
  /** SORTOP: an operator name (`>`), or `OPERATOR(app.>)` for one outside pg_catalog. */
  readonly sortop?: string
  /** Default unsafe. */
  readonly parallel?: 'safe' | 'restricted'
  /** A hypothetical-set aggregate (an ordered-set aggregate with HYPOTHETICAL). */
  readonly hypothetical?: true
  readonly comment?: string
}

/** One attribute of a composite type. */
export interface CompositeAttributeDef {
  readonly name: string
  /** As `format_type()` prints it. */
  readonly type: string
  /** Non-default collation, as columns name it. */
  readonly collation?: string
  readonly comment?: string
}

/** A composite type (CREATE TYPE … AS (…)); attributes keep their order. */
export interface CompositeTypeDef {
  readonly kind: 'composite'
  readonly schema: string
  readonly name: string
  readonly attributes: readonly CompositeAttributeDef[]
  readonly comment?: string
}

/** A trigger on a table; `definition` as `pg_get_triggerdef()` prints it. */
export interface TriggerDef {
  readonly kind: 'trigger'
  readonly schema: string
  readonly table: string
  readonly name: string
  readonly definition: string
  /** When it fires, if not the default (`ENABLE`): `disabled`, `replica` (only on replicas) or `always`. */
  readonly enabled?: 'disabled' | 'replica' | 'always'
  readonly comment?: string
}

/** An event trigger (CREATE EVENT TRIGGER): database-wide, it calls a function on DDL events. */
export interface EventTriggerDef {
  readonly kind: 'event_trigger'
  readonly name: string
  readonly event: 'ddl_command_start' | 'ddl_command_end' | 'sql_drop' | 'table_rewrite' | 'login'
  /** WHEN TAG IN (…): command tags, upper-case as Postgres stores them, sorted; absent for every command. */
  readonly tags?: readonly string[]
  /** The function, as `regproc` prints it with `search_path = pg_catalog` (`app.on_ddl`). */
  readonly function: string
  /** When it fires, if not the default (`ENABLE`): `disabled`, `replica` or `always`. */
  readonly enabled?: 'disabled' | 'replica' | 'always'
  readonly comment?: string
}

/** A role cairn manages (cluster-wide in Postgres, so only roles the definitions name). */
export interface RoleDef {
  readonly kind: 'role'
  readonly name: string
  readonly login: boolean
  readonly inherit: boolean
  readonly bypassRls: boolean
  readonly memberOf: readonly string[]
}

/**
 * Privileges granted on an object to a role (`public` for PUBLIC), or, with `revoke`, the privileges
 * PUBLIC holds by default on a function or type taken away (`REVOKE EXECUTE ON FUNCTION … FROM PUBLIC`).
 * One entry per object (per column for a column-level grant), role, grant option and direction.
 */
export interface GrantDef {
  readonly kind: 'grant'
  /** `table` covers views, materialized views and foreign tables; `function` procedures; `type` enums, domains and other types. */
  readonly on: 'schema' | 'table' | 'sequence' | 'function' | 'type'
  readonly schema: string
  /** Object name; for a schema grant, the schema name again. */
  readonly name: string
  /** Functions only: identity arguments as `pg_get_function_identity_arguments()` prints them (`''` for none). */
  readonly args?: string
  /** Tables only: the column of a column-level grant (`GRANT SELECT (email) ON …`). */
  readonly column?: string
  readonly role: string
  /** Upper-case privilege names, sorted: SELECT, INSERT, UPDATE, DELETE, USAGE, EXECUTE, … */
  readonly privileges: readonly string[]
  readonly withGrantOption: boolean
  /**
   * Set when the entry takes away built-in default privileges (role `public`, on a function: EXECUTE,
   * on a type: USAGE) instead of granting: applied by REVOKE, undone by GRANT.
   */
  readonly revoke?: true
}

/**
 * Privileges granted on objects `role` creates from now on (ALTER DEFAULT PRIVILEGES FOR ROLE …
 * [IN SCHEMA …] GRANT … ON TABLES TO …). Database-wide entries replace Postgres' built-in defaults,
 * so one can also take a built-in privilege away (`revoke`, e.g. EXECUTE on functions from PUBLIC).
 */
export interface DefaultPrivilegeDef {
  readonly kind: 'default_privilege'
  /**
   * FOR ROLE: the role whose new objects get the privileges; absent for the role that runs the
   * statements (inspect leaves out the connected user, so the role migrations run as is never named).
   */
  readonly role?: string
  /** IN SCHEMA; absent for the database-wide entry. */
  readonly schema?: string
  readonly on: 'tables' | 'sequences' | 'functions' | 'types' | 'schemas'
  /** `public` for PUBLIC. */
  readonly grantee: string
  /** Upper-case privilege names, sorted. */
  readonly privileges: readonly string[]
  readonly withGrantOption: boolean
  /** Set when the entry takes built-in default privileges away instead of granting. */
  readonly revoke?: true
}

/** An empty model, the starting point of builders and of `generate` on an empty history. */
export function emptyModel(): Model {
  return {
    version: MODEL_VERSION,
    schemas: [],
    extensions: [],
    enums: [],
    domains: [],
    sequences: [],
    tables: [],
    views: [],
    functions: [],
    triggers: [],
    roles: [],
    grants: [],
  }
}
