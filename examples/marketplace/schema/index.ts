/**
 * A multi-tenant marketplace whose data model was written for Prisma, kept as Prisma lays it out in
 * PostgreSQL so the application's Prisma client reads it unchanged: tables in `public` named after
 * the models ("Tenant", "MediaFile"), camelCase columns ("tenantId"), `SERIAL` integer keys,
 * `TIMESTAMP(3)` times with `CURRENT_TIMESTAMP` defaults (`@updatedAt` is set by the client, so it
 * has no default), `DECIMAL(65,30)`, `TEXT[]` lists, enums as Postgres enums, `@unique` as unique
 * indexes named `<Model>_<fields>_key`, `@@index` as `<Model>_<fields>_idx`, and foreign keys
 * `<Model>_<field>_fkey`, ON DELETE RESTRICT (SET NULL when optional) ON UPDATE CASCADE.
 */
export * from './enums.js'
export * from './tenancy.js'
export * from './content.js'
export * from './listings.js'
export * from './bookings.js'
export * from './rbac.js'
export * from './activity.js'
