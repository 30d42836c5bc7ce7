/**
 * The rules of `cairn lint`: a stable code, a name, a default severity, one line of documentation
 * and the fix. Codes never change meaning once released; new rules get new numbers. Destructive
 * rules reuse the PGK codes that cairn's plan records in a migration header, so a PGK code means
 * the same change whether cairn generated the statement or someone wrote it by hand.
 *
 *   CL1xx  locks, scans and rewrites on tables that already exist
 *   CL2xx  renames and drops that break clients (PGK101–PGK115 where cairn's plan has the code)
 *   CL3xx  transactions
 *   CL5xx  the migration header and the lint comments themselves
 */

export type Severity = 'error' | 'warning'

export interface Rule {
  readonly code: string
  /** Short kebab-case name. */
  readonly name: string
  /** Default severity; a finding may be milder (e.g. when cairn cannot see the old column type). */
  readonly severity: Severity
  /** What the rule catches, in one line. */
  readonly doc: string
  /** How to fix it. */
  readonly fix: string
}

const rule = (code: string, name: string, severity: Severity, doc: string, fix: string): Rule => ({ code, name, severity, doc, fix })

const NO_TX = 'outside a transaction (in a cairn migration: put `-- cairn:no-transaction` on the line before it)'

/** Every rule, in code order. */
export const RULES: readonly Rule[] = [
  rule('CL101', 'index-not-concurrent', 'error',
    'CREATE INDEX without CONCURRENTLY on an existing table blocks writes to it while the index builds',
    `CREATE INDEX CONCURRENTLY, ${NO_TX}; on a partitioned table: CREATE INDEX … ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION`),
  rule('CL102', 'drop-index-not-concurrent', 'error',
    'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table (reads and writes wait)',
    `DROP INDEX CONCURRENTLY, ${NO_TX}`),
  rule('CL103', 'reindex-not-concurrent', 'error',
    'REINDEX without CONCURRENTLY blocks writes to the table and reads through the index while it rebuilds',
    `REINDEX … CONCURRENTLY (PostgreSQL 12+), ${NO_TX}`),
  rule('CL104', 'constraint-validated-under-lock', 'error',
    'adding a CHECK or FOREIGN KEY constraint without NOT VALID scans the whole table while writes (CHECK: also reads) wait',
    'ADD CONSTRAINT … NOT VALID, then ALTER TABLE … VALIDATE CONSTRAINT … in a later transaction (the scan then runs under a lock that lets reads and writes through); add the column first and the constraint separately'),
  rule('CL105', 'unique-without-index', 'error',
    'adding a UNIQUE, PRIMARY KEY or EXCLUDE constraint builds its index while reads and writes wait',
    `CREATE UNIQUE INDEX CONCURRENTLY … ${NO_TX}, then ALTER TABLE … ADD CONSTRAINT … UNIQUE (or PRIMARY KEY) USING INDEX …; an EXCLUDE constraint has no concurrent form: add it while the table is new or small`),
  rule('CL106', 'validate-in-adding-transaction', 'error',
    'VALIDATE CONSTRAINT in the transaction that already locked the table (e.g. the ADD … NOT VALID) scans while that stronger lock is held',
    'run the VALIDATE in its own transaction, after the transaction that added the constraint has committed (cairn: `-- cairn:no-transaction` on the line before it)'),
  rule('CL107', 'set-not-null-scans', 'error',
    'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated CHECK (col IS NOT NULL) proves it',
    'ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT … in a later transaction; then SET NOT NULL (no scan) and drop the check'),
  rule('CL108', 'column-type-rewrites', 'error',
    'ALTER COLUMN … TYPE rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, except for binary-coercible widenings (varchar(n) → varchar(m ≥ n) or text, numeric(p,s) → numeric(q ≥ p,s), …)',
    'add a new column of the new type, backfill it in batches, switch readers and writers over, then drop the old column; or keep to a widening that needs no rewrite'),
  rule('CL109', 'add-column-rewrites', 'error',
    'ADD COLUMN with a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()…), serial, identity or a stored generated column rewrites the table under an ACCESS EXCLUSIVE lock',
    'add the column without a default (or with a constant or stable one such as now()), SET DEFAULT for new rows, then backfill existing rows in batches'),
  rule('CL110', 'add-column-required', 'error',
    'ADD COLUMN … NOT NULL without a default fails as soon as the table has a row',
    'give the column a non-volatile DEFAULT, or add it nullable, backfill it, and make it NOT NULL through a validated CHECK (see CL107)'),
  rule('CL111', 'lock-timeout-missing', 'error',
    'a statement takes a lock that blocks reads or writes of an existing table with no lock_timeout set: while it waits for the lock, every query behind it waits too',
    "SET lock_timeout = '5s'; before the first such statement (SET LOCAL inside a transaction), and retry the migration when it times out"),
  rule('CL112', 'detach-partition-not-concurrent', 'warning',
    'DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the partitioned table',
    `ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+, not with a default partition), ${NO_TX}`),
  rule('CL113', 'table-rewrite', 'error',
    'VACUUM FULL, CLUSTER, SET LOGGED / UNLOGGED, SET TABLESPACE and SET ACCESS METHOD rewrite the whole table under an ACCESS EXCLUSIVE lock',
    'use pg_repack or pg_squeeze for VACUUM FULL / CLUSTER; make the other changes while the table is new or small, or in a maintenance window'),
  rule('CL114', 'explicit-lock', 'warning',
    'LOCK TABLE holds its lock (ACCESS EXCLUSIVE unless a mode is given) until the transaction ends',
    'take the weakest mode that is enough (e.g. SHARE ROW EXCLUSIVE), set lock_timeout, and keep the transaction short'),
  rule('CL115', 'refresh-matview-blocks-reads', 'warning',
    'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view while it recomputes',
    'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)'),
  rule('CL116', 'column-to-identity', 'warning',
    'turning an existing column into an identity column: the new sequence starts at 1 and collides with the values already there (and `TYPE serial` does not exist)',
    'ADD GENERATED … AS IDENTITY (START WITH <max + 1>), or setval() the sequence past max(col) in the same migration'),
  rule('CL117', 'truncate', 'warning',
    'TRUNCATE deletes every row under an ACCESS EXCLUSIVE lock; with CASCADE it also empties every table that references it',
    'delete in batches, or name every table to truncate explicitly (no CASCADE)'),
  rule('PGK101', 'drop-table', 'error',
    'DROP TABLE loses the table and its rows; clients that use it break',
    'stop every reader and writer first, then drop in a later release; generate with --allow-destructive so the header records it, or suppress with a reason'),
  rule('PGK102', 'drop-column', 'error',
    'DROP COLUMN loses the column’s data; clients that select or insert it break',
    'stop using the column in the application first (deploy), then drop it in a later migration; suppress with a reason once that is done'),
  rule('PGK103', 'drop-schema', 'error',
    'DROP SCHEMA loses the schema (with CASCADE: every object and row in it)',
    'drop the objects it holds explicitly first, or suppress with a reason'),
  rule('PGK104', 'type-narrowing', 'error',
    'ALTER COLUMN … TYPE to a narrower type (varchar(100) → varchar(20), bigint → integer, …) fails or truncates when existing values do not fit',
    'check max(length(col)) / the value range first; better add a new column and backfill it'),
  rule('PGK105', 'drop-type', 'error',
    'DROP TYPE (an enum, composite or range type) that the migration does not create again loses the type (with CASCADE: the columns that use it)',
    'move the columns off the type first, then drop it without CASCADE'),
  rule('PGK106', 'drop-sequence', 'error',
    'DROP SEQUENCE loses its current value; defaults that call nextval() on it break',
    'drop the defaults that use it first; suppress with a reason'),
  rule('PGK107', 'drop-extension', 'error',
    'DROP EXTENSION drops its types and functions (with CASCADE: the columns and objects that use them)',
    'remove what uses the extension first, then drop it without CASCADE'),
  rule('PGK108', 'drop-function', 'warning',
    'DROP FUNCTION / PROCEDURE that the migration does not create again: queries, defaults, triggers and clients that call it break',
    'stop every caller first; drop it in a later migration; suppress with a reason'),
  rule('PGK109', 'drop-trigger', 'warning',
    'DROP TRIGGER that the migration does not create again: what it did on each write stops',
    'make sure nothing relies on it (audit rows, denormalised columns); suppress with a reason'),
  rule('PGK110', 'drop-view', 'warning',
    'DROP VIEW / MATERIALIZED VIEW that the migration does not create again: clients that query it break (a materialized view loses its data)',
    'stop every client first, then drop it in a later migration; suppress with a reason'),
  rule('PGK111', 'drop-policy', 'warning',
    'DROP POLICY that the migration does not create again: the rows it guarded are no longer restricted by it',
    'create the replacement policy in the same migration, or check that another policy still restricts the rows'),
  rule('PGK112', 'drop-role', 'warning',
    'DROP ROLE: roles are cluster-wide, other databases and grants may still use it',
    'REASSIGN OWNED / DROP OWNED in every database first; suppress with a reason'),
  rule('PGK113', 'drop-domain', 'error',
    'DROP DOMAIN that the migration does not create again loses the domain and its checks (with CASCADE: the columns that use it)',
    'move the columns off the domain first, then drop it without CASCADE'),
  rule('PGK114', 'drop-collation', 'error',
    'DROP COLLATION that the migration does not create again: columns, indexes and queries that name it break (with CASCADE: the columns and indexes that use it are dropped)',
    'move the columns and indexes to another collation first, then drop it without CASCADE; suppress with a reason'),
  rule('PGK115', 'revoke-default-privileges', 'warning',
    'ALTER DEFAULT PRIVILEGES … REVOKE: tables, sequences, functions or types created from now on are no longer granted what the role had; the application fails on the next new object',
    'grant the privileges on each new object in the migration that creates it, or check that no role relies on the default; suppress with a reason'),
  rule('PGK116', 'drop-aggregate', 'warning',
    'DROP AGGREGATE that the migration does not create again: queries and views that call it break',
    'stop every caller first; drop it in a later migration; suppress with a reason'),
  rule('PGK118', 'drop-attribute', 'error',
    'ALTER TYPE … DROP ATTRIBUTE loses the attribute’s values in every column, row and value of the composite type',
    'copy the values out first (a new column, or another attribute), then drop the attribute; suppress with a reason'),
  rule('PGK119', 'drop-event-trigger', 'warning',
    'DROP EVENT TRIGGER that the migration does not create again: what it did on each DDL command (audit, guards) stops',
    'make sure nothing relies on it; suppress with a reason'),
  rule('CL201', 'rename-table', 'warning',
    'renaming a table or view breaks every client that still uses the old name',
    'expand and contract: create a view with the new name (or rename and leave a view with the old one), move clients, then drop the old name'),
  rule('CL202', 'rename-column', 'warning',
    'renaming a column breaks every client that still uses the old name',
    'add the new column, write both, backfill, move readers, then drop the old one; or rename only once no client uses the old name'),
  rule('CL203', 'drop-database', 'error',
    'DROP DATABASE in a migration', 'never drop a database from a migration'),
  rule('CL204', 'drop-cascade', 'warning',
    'DROP … CASCADE also drops every dependent object (views, constraints, columns of a dropped type), none of which the migration names',
    'drop the dependent objects explicitly first and drop without CASCADE'),
  rule('CL301', 'non-transactional-in-transaction', 'error',
    'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, DETACH PARTITION CONCURRENTLY… cannot run inside a transaction block: the migration fails',
    `run the statement ${NO_TX}; with another tool, in a migration that is not wrapped in a transaction`),
  rule('CL302', 'transaction-control', 'error',
    'BEGIN/COMMIT/ROLLBACK where the migration already runs in a transaction (cairn refuses them; elsewhere the COMMIT ends the tool’s transaction early)',
    'remove the transaction control statements; in a cairn migration put `-- cairn:no-transaction` before a statement that must run on its own'),
  rule('CL303', 'uncommitted-transaction', 'error',
    'BEGIN without COMMIT: the rest of the file runs in a transaction that is never committed',
    'add COMMIT at the end of the transaction'),
  rule('CL304', 'lock-held-across-statements', 'warning',
    'an ACCESS EXCLUSIVE lock on an existing table is held until the transaction ends, across the statements after it (each may wait for more locks or do slow work meanwhile)',
    'put the statement last in its transaction, or run it in a transaction of its own (cairn: `-- cairn:no-transaction` before it), and keep what follows quick'),
  rule('CL305', 'enum-value-used-in-transaction', 'error',
    'a value added by ALTER TYPE … ADD VALUE cannot be used before its transaction commits ("unsafe use of new value")',
    'commit the ADD VALUE first (cairn: `-- cairn:no-transaction` before it), then use the value'),
  rule('CL501', 'plan-hazard', 'warning',
    'a hazard cairn’s plan recorded in the migration header (`-- cairn:hazard …`)',
    'review it; the header says what the statement does and why it was generated that way'),
  rule('CL502', 'suppression-without-reason', 'warning',
    'a `-- cairn-lint-ignore CODE` comment without a reason',
    'write the reason after a colon: `-- cairn-lint-ignore CL101: table has 10 rows`'),
  rule('CL503', 'suppression-unknown-code', 'warning',
    'a `-- cairn-lint-ignore` comment names a code that is not a rule',
    'use the codes `cairn lint --rules` lists'),
]

/** Rules by code. */
export const RULE_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.code, r]))

/** The rule with this code; throws for an unknown code (a bug). */
export function ruleOf(code: string): Rule {
  const r = RULE_BY_CODE.get(code)
  if (!r) throw new Error(`unknown lint rule ${code}`)
  return r
}
