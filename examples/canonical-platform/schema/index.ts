/**
 * A canonical-data platform: the database is the source of truth for canonical, transactional,
 * tenant-scoped data; search projections and enrichments are derived elsewhere and rebuildable.
 *
 * Conventions on every table: an internal `bigint` identity key that never leaves the database,
 * a `public_id` uuid for APIs where the entity is exposed, `created_at` / `updated_at`, and on every
 * tenant-scoped table `tenant_id` (indexed, a foreign key to tenants.id) with row-level security
 * on `app.current_tenant_id`, so no query can read across tenants without setting the tenant.
 * Foreign keys between tenant-scoped tables carry `tenant_id` (tenantReference()); those to users are
 * ON DELETE NO ACTION (SET NULL would null `tenant_id` too): users are disabled, not deleted.
 */
export * from './tenancy.js'
export * from './identity.js'
export * from './domain.js'
export * from './operations.js'
export * from './roles.js'
