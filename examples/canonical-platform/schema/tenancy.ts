/** Tenancy: the isolation boundary and its configuration. */
import {
  bigint, check, jsonb, pgSchema, sql, tenantIsolation, tenantScoped, timestamps, unique, uuid, varchar,
} from '../../../src/dsl/index.js'

export const platform = pgSchema('platform', { comment: 'Canonical, tenant-scoped data and the operational tables around it' })

export const tenants = platform.table(
  'tenants',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    slug: varchar(63).notNull().unique(),
    name: varchar(200).notNull(),
    status: varchar(20).notNull().default('active'),
    ...timestamps(),
  },
  (t) => [
    check('tenants_slug_check', sql`(${t.slug})::text ~ '^[a-z0-9][a-z0-9-]*$'::text`),
    check('tenants_status_check', sql`(${t.status})::text IN ('active', 'suspended', 'closed')`),
    // a session sees and changes only its own tenant's row
    tenantIsolation({ column: 'id', type: 'bigint' }),
  ],
  { comment: 'Logical isolation boundary' },
)

/** Per-tenant configuration, one row per setting. */
export const tenantConfigs = platform.table(
  'tenant_configs',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...tenantScoped(() => tenants.id, { type: 'bigint' }),
    key: varchar(100).notNull(),
    value: jsonb().notNull(),
    ...timestamps(),
  },
  (t) => [
    unique('tenant_configs_tenant_id_key_key').on(t.tenant_id, t.key),
    check('tenant_configs_key_check', sql`(${t.key})::text ~ '^[a-z][a-z0-9_.]*$'::text`),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Per-tenant configuration' },
)
