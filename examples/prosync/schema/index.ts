/**
 * ProSync, a project/document collaboration service (FastAPI + PostgreSQL + S3): users and sessions,
 * projects with access control and tags, documents with their storage and history, a staging area
 * for uploads, the audit log and the schema version table, each in its own Postgres schema.
 */
export * from './users.js'
export * from './projects.js'
export * from './documents.js'
export * from './staging.js'
export * from './audit.js'
export * from './system.js'
export * from './roles.js'
export * from './history.js'
