/**
 * `cairn-pg/migrate`: apply, revert and inspect the versioned migrations of a migration directory,
 * and apply seed files, on a database opened with `connect`. What `cairn migrate`, `cairn baseline`
 * and `cairn seed` do.
 */
export { connect } from '../db/connect.js'
export type { Database } from '../db/database.js'
export { migrateUp, migrateDown } from '../migrate/runner.js'
export type { IndexBuildProgress, MigrateEvent, MigrationResult, MigrationResultSet, MigrateUpOptions, MigrateDownOptions, RunnerOptions } from '../migrate/runner.js'
export { migrationStatus, baseline } from '../migrate/status.js'
export type { MigrationStatus, MigrationStatusEntry, BaselineOptions } from '../migrate/status.js'
export { nodeDirFsAt } from '../migrate/migration-dir.js'
export type { DirFs } from '../migrate/migration-dir.js'
export { applySeeds } from '../seed/apply-seeds.js'
export type { ApplySeedsOptions, SeedEvent, SeedResult, SeedResultSet } from '../seed/apply-seeds.js'
