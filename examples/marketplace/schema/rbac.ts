/**
 * RBAC: roles per tenant, a global catalog of permissions (`tier.resource.action`), roles ↔
 * permissions (Prisma's implicit many-to-many table "_PermissionToRole"), and the roles and
 * permissions of users, each optionally scoped to an account and with an expiry.
 */
import { boolean, index, integer, primaryKey, serial, table, text, uniqueIndex } from '../../../src/dsl/index.js'
import { RoleLevel, RoleType } from './enums.js'
import { createdAt, dateTime, required, updatedAt } from './helpers.js'
import { Tenant, User } from './tenancy.js'

export const Role = table(
  'Role',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    name: text().notNull(),
    description: text(),
    type: RoleType().notNull().default('CUSTOM'),
    level: RoleLevel().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('Role_tenantId_name_key').on(t.tenantId, t.name), index('Role_tenantId_idx').on(t.tenantId)],
)

export const Permission = table(
  'Permission',
  {
    id: serial().primaryKey(),
    name: text().notNull().comment('tier.resource.action'),
    description: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('Permission_name_key').on(t.name)],
)

/** Prisma's implicit join table of `Role.permissions` ↔ `Permission.roles`: "A" is the Permission, "B" the Role. */
export const PermissionToRole = table(
  '_PermissionToRole',
  {
    A: integer().notNull().references(() => Permission.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    B: integer().notNull().references(() => Role.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.A, t.B], name: '_PermissionToRole_AB_pkey' }), index('_PermissionToRole_B_index').on(t.B)],
)

export const UserRole = table(
  'UserRole',
  {
    userId: integer().notNull().references(() => User.id, required),
    roleId: integer().notNull().references(() => Role.id, required),
    accountId: integer().comment('If scoped to specific account'),
    assignedAt: createdAt(),
    assignedBy: integer(),
    expiresAt: dateTime(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId], name: 'UserRole_pkey' }), index('UserRole_userId_idx').on(t.userId)],
)

export const UserPermission = table(
  'UserPermission',
  {
    userId: integer().notNull().references(() => User.id, required),
    permissionId: integer().notNull().references(() => Permission.id, required),
    granted: boolean().notNull().default(true).comment('Can be used to explicitly deny'),
    accountId: integer().comment('If scoped to specific account'),
    assignedAt: createdAt(),
    assignedBy: integer(),
    expiresAt: dateTime(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.permissionId], name: 'UserPermission_pkey' }), index('UserPermission_userId_idx').on(t.userId)],
)

