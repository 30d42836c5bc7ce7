/**
 * The one error type of cairn. Every failure that reaches a user carries a stable snake_case code,
 * a message saying what went wrong, a hint saying how to fix it, and where (`schema/auth.ts:12`,
 * `auth.users.email`), plus the exit code the CLI should use.
 */

/** Process exit codes used by the CLI. */
export const EXIT = {
  ok: 0,
  /** A check found problems: drift, lint, verify. */
  problems: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** Runtime failure: database unreachable, migration failed. */
  runtime: 3,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/**
 * Every error code, with the exit code it gives (unless a throw site overrides it) and what it
 * means. A code not listed here does not compile (`new CairnError('…')` takes an ErrorCode); the
 * README's "`code` … exit N" mentions are checked against it (test/unit/errors.test.ts).
 */
export const ERRORS = {
  applied_migration_changed: { exit: EXIT.usage, summary: 'an applied migration no longer matches its file' },
  applied_migration_missing: { exit: EXIT.usage, summary: 'an applied migration has no file any more' },
  backfill_access: { exit: EXIT.runtime, summary: 'the backfill role lacks a privilege the load needs' },
  backfill_bad_definition: { exit: EXIT.usage, summary: 'a backfill job definition is invalid' },
  backfill_bad_map: { exit: EXIT.usage, summary: 'a backfill job maps a document to something that is not a row' },
  backfill_bad_target: { exit: EXIT.usage, summary: 'a backfill job targets a table the definitions do not have' },
  backfill_bad_value: { exit: EXIT.usage, summary: 'a value of a document cannot be converted to its column' },
  backfill_batch_failed: { exit: EXIT.runtime, summary: 'the server refused a backfill batch as a whole' },
  backfill_dependency_cycle: { exit: EXIT.usage, summary: 'backfill jobs depend on each other in a cycle' },
  backfill_duplicate_job: { exit: EXIT.usage, summary: 'two backfill jobs have the same name' },
  backfill_job_load_failed: { exit: EXIT.usage, summary: 'a backfill job module could not be loaded' },
  backfill_locked: { exit: EXIT.runtime, summary: 'another backfill run holds the lock' },
  backfill_no_copy: { exit: EXIT.runtime, summary: 'the role cannot COPY into the target tables' },
  backfill_no_database: { exit: EXIT.usage, summary: 'no database to backfill into' },
  backfill_no_jobs: { exit: EXIT.usage, summary: 'no backfill jobs are defined' },
  backfill_no_origin: { exit: EXIT.runtime, summary: 'a checkpoint names a source that is gone' },
  backfill_no_tenant: { exit: EXIT.usage, summary: 'a tenant-scoped backfill has no tenant' },
  backfill_not_run: { exit: EXIT.usage, summary: 'verify or status on a job that never ran' },
  backfill_restart_insert: { exit: EXIT.usage, summary: '--restart in insert mode over rows already loaded' },
  backfill_too_many_rejects: { exit: EXIT.problems, summary: 'more documents rejected than --max-rejects allows' },
  backfill_unknown_column: { exit: EXIT.usage, summary: 'a backfill job writes a column the table does not have' },
  backfill_unknown_dependency: { exit: EXIT.usage, summary: 'a backfill job depends on a job that does not exist' },
  backfill_unknown_job: { exit: EXIT.usage, summary: 'no backfill job of that name' },
  backfill_verify_access: { exit: EXIT.runtime, summary: 'the role cannot see every row backfill verify compares' },
  bad_config: { exit: EXIT.usage, summary: 'cairn.config.ts is invalid' },
  bad_ignore_pattern: { exit: EXIT.usage, summary: 'an --ignore pattern does not parse' },
  bad_migration_dir: { exit: EXIT.usage, summary: 'the migrations directory holds something that is not a migration' },
  bad_seed_name: { exit: EXIT.usage, summary: 'a seed file name does not follow the naming rule' },
  bad_shadow: { exit: EXIT.usage, summary: 'the shadow database URL is unusable' },
  bad_url: { exit: EXIT.usage, summary: 'a database URL does not parse' },
  bad_usage: { exit: EXIT.usage, summary: 'bad command-line usage' },
  baseline_behind_history: { exit: EXIT.usage, summary: 'baseline on a database older than the migration history' },
  baseline_mismatch: { exit: EXIT.usage, summary: 'baseline on a database that does not match the definitions' },
  cannot_set_role: { exit: EXIT.usage, summary: 'SET ROLE to the role under test failed' },
  check_input_missing: { exit: EXIT.usage, summary: 'cairn check has nothing to check' },
  checksum_mismatch: { exit: EXIT.usage, summary: 'migrations/cairn.sum does not match the files' },
  checksum_missing: { exit: EXIT.usage, summary: 'migrations/cairn.sum is missing' },
  config_load_failed: { exit: EXIT.usage, summary: 'cairn.config.ts could not be loaded' },
  config_not_found: { exit: EXIT.usage, summary: 'no cairn.config.ts where one was asked for' },
  confirmation_required: { exit: EXIT.usage, summary: 'a destructive command needs --yes' },
  connection_lost: { exit: EXIT.runtime, summary: 'the server ended the connection mid-run' },
  database_not_empty: { exit: EXIT.usage, summary: 'the target database already holds objects' },
  db_query_failed: { exit: EXIT.runtime, summary: 'a query failed' },
  db_unreachable: { exit: EXIT.runtime, summary: 'the database cannot be reached' },
  destructive_changes: { exit: EXIT.usage, summary: 'destructive changes refused (not allowed)' },
  env_url_missing: { exit: EXIT.usage, summary: 'the environment names no database URL' },
  extension_unavailable: { exit: EXIT.usage, summary: 'an extension the definitions need is not available' },
  hints_unreadable: { exit: EXIT.usage, summary: 'the rename hints file cannot be read' },
  init_files_exist: { exit: EXIT.usage, summary: 'cairn init would overwrite files' },
  inspect_failed: { exit: EXIT.runtime, summary: 'reading the catalog failed' },
  internal_error: { exit: EXIT.runtime, summary: 'an unexpected failure (a bug)' },
  interrupted: { exit: EXIT.runtime, summary: 'interrupted by a signal' },
  invalid_definition: { exit: EXIT.usage, summary: 'the definitions are invalid (or Postgres rejects them)' },
  invalid_schema: { exit: EXIT.usage, summary: 'the schema module does not export definitions' },
  lint_failed: { exit: EXIT.usage, summary: 'a pending migration has a lint error' },
  lint_input_missing: { exit: EXIT.usage, summary: 'cairn lint has nothing to lint' },
  lock_timeout: { exit: EXIT.runtime, summary: 'a lock could not be taken in time' },
  maintenance_running: { exit: EXIT.runtime, summary: 'partition maintenance is already running' },
  migration_failed: { exit: EXIT.runtime, summary: 'a migration failed' },
  migrations_dir_missing: { exit: EXIT.usage, summary: 'the migrations directory does not exist' },
  needs_input: { exit: EXIT.usage, summary: 'a rename needs an answer' },
  no_down_migration: { exit: EXIT.usage, summary: 'a migration has no down.sql' },
  no_tenant_tables: { exit: EXIT.usage, summary: 'no table is tenant-scoped' },
  out_of_order_migration: { exit: EXIT.usage, summary: 'a pending migration is older than the last applied one' },
  partial_migration_changed: { exit: EXIT.usage, summary: 'a partly applied migration changed' },
  partition_maintenance_failed: { exit: EXIT.runtime, summary: 'a partition maintenance step failed' },
  pending_migrations: { exit: EXIT.usage, summary: 'migrations are pending' },
  pull_target_not_empty: { exit: EXIT.usage, summary: 'cairn pull would overwrite definitions' },
  push_failed: { exit: EXIT.runtime, summary: 'cairn push failed' },
  rename_ambiguous: { exit: EXIT.usage, summary: 'a rename answer matches more than one pair' },
  render_check_failed: { exit: EXIT.runtime, summary: 'rendered SQL does not parse into the intended statements' },
  replay_failed: { exit: EXIT.runtime, summary: 'the new migration does not apply on the history' },
  replay_mismatch: { exit: EXIT.runtime, summary: 'the new migration leaves something other than the definitions' },
  role_missing: { exit: EXIT.usage, summary: 'a role does not exist' },
  schema_load_failed: { exit: EXIT.usage, summary: 'the definitions could not be loaded' },
  schema_not_found: { exit: EXIT.usage, summary: 'no schema entry point' },
  seed_dir_missing: { exit: EXIT.usage, summary: 'the seeds directory does not exist' },
  seed_failed: { exit: EXIT.runtime, summary: 'a seed failed' },
  seed_not_transactional: { exit: EXIT.usage, summary: 'a seed holds a statement that cannot run in a transaction' },
  server_too_old: { exit: EXIT.runtime, summary: 'the server is older than cairn supports' },
  shadow_not_empty: { exit: EXIT.usage, summary: 'the shadow database is not empty' },
  shadow_replay_failed: { exit: EXIT.usage, summary: 'the migration history does not replay' },
  snapshot_mismatch: { exit: EXIT.problems, summary: 'the model snapshot does not match the history' },
  source_bson_corrupt: { exit: EXIT.usage, summary: 'a BSON dump is corrupt' },
  source_bson_truncated: { exit: EXIT.usage, summary: 'a BSON dump ends mid-document' },
  source_closed: { exit: EXIT.runtime, summary: 'the source was closed while reading' },
  source_collection_missing: { exit: EXIT.usage, summary: 'the source has no such collection' },
  source_ejson_invalid: { exit: EXIT.usage, summary: 'a line is not valid Extended JSON' },
  source_gzip_corrupt: { exit: EXIT.usage, summary: 'a gzip file is corrupt' },
  source_metadata_invalid: { exit: EXIT.usage, summary: 'a dump metadata file is invalid' },
  source_missing: { exit: EXIT.usage, summary: 'a backfill job names no source' },
  source_missing_id: { exit: EXIT.usage, summary: 'a document has no _id' },
  source_mongo_no_database: { exit: EXIT.usage, summary: 'a MongoDB URL names no database' },
  source_not_dump: { exit: EXIT.usage, summary: 'the source is not a mongodump directory' },
  source_not_ejson: { exit: EXIT.usage, summary: 'the source is not Extended JSON' },
  source_not_found: { exit: EXIT.usage, summary: 'the source file or directory does not exist' },
  source_read_failed: { exit: EXIT.runtime, summary: 'reading the source failed' },
  source_too_deep: { exit: EXIT.usage, summary: 'a document nests deeper than allowed' },
  source_unreachable: { exit: EXIT.runtime, summary: 'the MongoDB source cannot be reached' },
  source_unreadable: { exit: EXIT.usage, summary: 'the source cannot be read' },
  source_unrecognized: { exit: EXIT.usage, summary: 'the source format is not recognized' },
  source_unsupported: { exit: EXIT.usage, summary: 'the source format is not supported' },
  sql_syntax_error: { exit: EXIT.usage, summary: 'SQL that does not parse' },
  tenant_rows_failed: { exit: EXIT.runtime, summary: 'rows made up for the RLS probes could not be written' },
  tenant_type_unsupported: { exit: EXIT.usage, summary: 'the tenant column has a type verify rls cannot probe' },
  transaction_control_in_migration: { exit: EXIT.usage, summary: 'a migration holds BEGIN/COMMIT' },
  transaction_control_in_seed: { exit: EXIT.usage, summary: 'a seed holds BEGIN/COMMIT' },
  unknown_env: { exit: EXIT.usage, summary: 'no environment of that name' },
  unknown_migration: { exit: EXIT.usage, summary: 'no migration of that name' },
  unknown_window: { exit: EXIT.usage, summary: 'no rolling partition window of that name' },
  unsupported_change: { exit: EXIT.usage, summary: 'a change cairn cannot generate' },
} as const satisfies Record<string, { readonly exit: ExitCode; readonly summary: string }>

/** A code of the error registry. */
export type ErrorCode = keyof typeof ERRORS

/** One problem found in user input; validation collects these instead of throwing at the first. */
export interface Issue {
  readonly code: string
  readonly message: string
  readonly hint?: string
  /** Where: a file (`schema/auth/users.ts:12`) and/or an object path (`auth.users.email`). */
  readonly file?: string
  readonly object?: string
}

export interface CairnErrorOptions {
  readonly hint?: string
  readonly file?: string
  readonly object?: string
  /** Only where a site must differ from the code's exit in ERRORS. */
  readonly exitCode?: ExitCode
  /** JSON-only extra data for `--json` output. */
  readonly meta?: Record<string, unknown>
  readonly issues?: readonly Issue[]
  readonly cause?: unknown
}

/** A failure with a stable code, a hint and a location. */
export class CairnError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly file?: string
  readonly object?: string
  readonly exitCode: ExitCode
  readonly meta?: Record<string, unknown>
  readonly issues: readonly Issue[]

  constructor(code: ErrorCode, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CairnError'
    this.code = code
    this.hint = options.hint
    this.file = options.file
    this.object = options.object
    this.exitCode = options.exitCode ?? ERRORS[code]?.exit ?? EXIT.usage
    this.meta = options.meta
    this.issues = options.issues ?? []
  }

  /** The JSON shape printed by `--json` and logged by CI. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.file ? { file: this.file } : {}),
      ...(this.object ? { object: this.object } : {}),
      ...(this.meta ? { meta: this.meta } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
      ...(this.cause instanceof Error ? { cause: this.cause.message } : {}),
    }
  }
}

/** True when `e` is a CairnError (also across duplicated module instances). */
export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError || (e instanceof Error && e.name === 'CairnError' && 'code' in e)
}

/** Wraps any thrown value into a CairnError that says what was being done. */
export function wrapError(
  code: ErrorCode,
  doing: string,
  e: unknown,
  options: CairnErrorOptions = {},
): CairnError {
  if (isCairnError(e)) return e
  const message = e instanceof Error ? e.message : String(e)
  return new CairnError(code, `${doing}: ${message}`, {
    ...options,
    cause: e,
  })
}
