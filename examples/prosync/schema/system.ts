/**
 * `system.schema_version`: what the application's CI/CD pipeline records of each schema release,
 * including rollbacks. (cairn keeps its own history in `cairn.schema_migrations`; this table is
 * the application's, written by its deploy job.)
 */
import { boolean, check, pgSchema, sql, text, timestamptz, varchar } from '../../../src/dsl/index.js'

export const systemSchema = pgSchema('system', { comment: 'Schema versioning for CI/CD' })

export const schemaVersion = systemSchema.table(
  'schema_version',
  {
    version: varchar(50).primaryKey(),
    description: text().notNull(),
    checksum: varchar(64),
    applied_by: varchar(100).notNull().default(sql`CURRENT_USER`),
    applied_at: timestamptz().notNull().defaultNow(),
    success: boolean().notNull().default(true),
    rolled_back_at: timestamptz(),
  },
  (t) => [check('schema_version_rollback_check', sql`${t.rolled_back_at} IS NULL OR ${t.rolled_back_at} >= ${t.applied_at}`)],
  { comment: 'Migration tracking and rollback history' },
)
