/** Versioned migrations on disk and the runner that applies them. */
export { migrateUp, migrateDown } from './runner.js'
export type { MigrateEvent, MigrationResult, MigrationResultSet, MigrateUpOptions, MigrateDownOptions, RunnerOptions } from './runner.js'
export { findDataLoss } from './data-loss.js'
export type { DestructiveStatement, DataLossKind } from './data-loss.js'
export { migrationStatus, baseline } from './status.js'
export type { MigrationStatus, MigrationStatusEntry, BaselineOptions } from './status.js'
export {
  readMigrationDir,
  requireMigrationDir,
  writeMigration,
  hashMigrationDir,
  verifyMigrationDir,
  sumFiles,
  nodeDirFs,
  nodeDirFsAt,
  migrationTimestamp,
  slugify,
  MIGRATION_NAME,
} from './migration-dir.js'
export type { DirFs, MigrationDir, MigrationFile, WriteMigrationOptions } from './migration-dir.js'
export { computeSum, verifySum, fileChecksum, SUM_FILE } from './sum.js'
export type { SumFile } from './sum.js'
export { splitSql, loadSqlParser, NO_TRANSACTION_MARKER } from './split-sql.js'
export type { SqlStatement } from './split-sql.js'
export { MIGRATION_LOCK_KEY, DEFAULT_LOCK_TIMEOUT_MS, lockHolder } from './lock.js'
export type { LockHolder } from './lock.js'
export { readHistory, readProgress, ensureHistory, CAIRN_SCHEMA, HISTORY_TABLE, PROGRESS_TABLE } from './pg-storage.js'
export type { HistoryRow, ProgressRow } from './pg-storage.js'
