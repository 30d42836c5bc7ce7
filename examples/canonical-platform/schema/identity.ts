/**
 * Identity and access: users (one tenant each: tenant → users is one-to-many), named permission
 * sets (roles, per tenant) over a global catalog of action–resource permissions, and memberships
 * linking users to their tenant with a role (users ↔ roles, many-to-many).
 */
import {
  bigint, check, index, primaryKey, sql, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, timestamptz, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { platform, tenants } from './tenancy.js'

const scoped = () => tenantScoped(() => tenants.id, { type: 'bigint' })

export const users = platform.table(
  'users',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    email: varchar(320).notNull(),
    display_name: varchar(200),
    status: varchar(20).notNull().default('active'),
    last_login_at: timestamptz(),
    ...timestamps(),
  },
  (t) => [
    tenantKey(),
    unique('users_tenant_id_email_key').on(t.tenant_id, t.email),
    check('users_email_check', sql`(${t.email})::text ~~ '%_@_%'::text`),
    check('users_status_check', sql`(${t.status})::text IN ('invited', 'active', 'disabled')`),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Authenticated identities' },
)

export const roles = platform.table(
  'roles',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...scoped(),
    name: varchar(100).notNull(),
    description: varchar(500),
    ...timestamps(),
  },
  (t) => [tenantKey(), unique('roles_tenant_id_name_key').on(t.tenant_id, t.name), tenantIsolation({ type: 'bigint' })],
  { comment: 'Named permission sets' },
)

/** Action–resource definitions, shared by every tenant (not tenant-scoped: seeded reference data). */
export const permissions = platform.table(
  'permissions',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    action: varchar(50).notNull(),
    resource: varchar(100).notNull(),
    description: text(),
    ...timestamps(),
  },
  (t) => [
    unique('permissions_action_resource_key').on(t.action, t.resource),
    check('permissions_action_check', sql`(${t.action})::text ~ '^[a-z_]+$'::text`),
  ],
  { comment: 'Action–resource definitions' },
)

/** The permissions of a role. */
export const rolePermissions = platform.table(
  'role_permissions',
  {
    ...scoped(),
    role_id: bigint().notNull(),
    permission_id: bigint().notNull().references(() => permissions.id, { onDelete: 'cascade' }),
    created_at: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.role_id, t.permission_id] }),
    tenantReference(t.role_id, () => roles, { onDelete: 'cascade' }),
    index('role_permissions_permission_id_idx').on(t.permission_id),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Roles ↔ permissions' },
)

export const memberships = platform.table(
  'memberships',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...scoped(),
    user_id: bigint().notNull(),
    role_id: bigint().notNull(),
    ...timestamps(),
  },
  (t) => [
    unique('memberships_tenant_id_user_id_role_id_key').on(t.tenant_id, t.user_id, t.role_id),
    tenantReference(t.user_id, () => users, { onDelete: 'cascade' }),
    tenantReference(t.role_id, () => roles, { onDelete: 'cascade' }),
    index('memberships_user_id_idx').on(t.user_id),
    index('memberships_role_id_idx').on(t.role_id),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Links users to tenants with roles' },
)
