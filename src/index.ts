/**
 * `cairn-pg`: the task-level functions behind the cairn commands, for scripts and tests. The
 * definitions' DSL is `cairn-pg/dsl`; `cairn-pg/migrate`, `cairn-pg/backfill` and `cairn-pg/config`
 * group the functions of one task each; `cairn-pg/types` holds the application's Kysely and zod
 * types. Everything else under src/ is internal.
 */

// configuration (cairn.config.ts)
export { defineConfig, loadConfig } from './config/index.js'
export type { CairnConfig, CairnEnvironment, LoadConfigOptions, ResolvedConfig } from './config/index.js'

// databases: postgres://…, pglite:memory, pglite:<dir>
export { connect } from './db/connect.js'
export type { Database, Queryable, Session } from './db/database.js'

// definitions → model → SQL (cairn sql, cairn push)
export { loadProject, type LoadOptions, type ProjectLayout } from './load/load-project.js'
export { pushProject, type PushOptions, type PushResult } from './load/push-project.js'
export { renderModel } from './plan/render-model.js'
export { renderScript } from './sqlgen/session.js'

// cairn generate, cairn diff, cairn drift
export { generate, type GenerateOptions, type GenerateResult } from './workflows/generate.js'
export { diffDatabases, type DiffDatabasesOptions, type DiffDatabasesResult } from './workflows/diff-databases.js'
export { drift, type DriftOptions, type DriftReport, type DriftItem, type MigrationDriftItem } from './workflows/drift.js'
export { inspect, type InspectOptions } from './inspect/inspect.js'

// cairn migrate, cairn baseline, cairn seed (also cairn-pg/migrate)
export { migrateUp, migrateDown, migrationStatus, baseline, applySeeds, nodeDirFsAt } from './api/migrate.js'
export type {
  ApplySeedsOptions, BaselineOptions, DirFs, MigrateDownOptions, MigrateEvent, MigrateUpOptions, MigrationResult, MigrationResultSet,
  MigrationStatus, MigrationStatusEntry, SeedResultSet,
} from './api/migrate.js'

// cairn backfill (also cairn-pg/backfill, which has the job-writing helpers)
export { runBackfill, verifyJob, backfillStatus, loadBackfillJobs, openSource, defineBackfill } from './api/backfill.js'
export type { BackfillJob, JobSummary, RunOptions, Source, VerifyReport } from './api/backfill.js'

// types for the application: Kysely's Database interface and zod row schemas (also cairn-pg/types)
export { insertSchema, selectSchema } from './types/index.js'
export type { InsertRow, InsertSchema, KyselyColumn, KyselyDatabase, KyselyTable, KyselyView, SelectSchema } from './types/index.js'

// errors and the model every function above speaks
export { CairnError, EXIT, isCairnError } from './errors.js'
export type { Issue } from './errors.js'
export type * from './model/types.js'
export type { PlanPolicy } from './plan/index.js'
