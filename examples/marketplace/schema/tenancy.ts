/** Tenants, their users and profiles, accounts, and the account ↔ user join table. */
import { boolean, index, integer, jsonb, primaryKey, serial, table, text, uniqueIndex } from '../../../src/dsl/index.js'
import { AccountStatus, AccountType, TenantStatus } from './enums.js'
import { createdAt, dateTime, optional, required, updatedAt } from './helpers.js'

export const Tenant = table(
  'Tenant',
  {
    id: serial().primaryKey(),
    identifier: text().notNull().comment('URL-safe identifier'),
    name: text().notNull(),
    status: TenantStatus().notNull(),
    plan: text().notNull(),
    planExpiry: dateTime(),
    settings: jsonb().notNull(),
    features: text().array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('Tenant_identifier_key').on(t.identifier),
    index('Tenant_status_idx').on(t.status),
    index('Tenant_planExpiry_idx').on(t.planExpiry),
  ],
)

export const User = table(
  'User',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    email: text().notNull(),
    username: text(),
    hashedPassword: text(),
    emailVerified: boolean().notNull().default(false),
    twoFactorEnabled: boolean().notNull().default(false),
    lastLoginAt: dateTime(),
    loginCount: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: dateTime(),
  },
  (t) => [
    uniqueIndex('User_tenantId_email_key').on(t.tenantId, t.email),
    uniqueIndex('User_tenantId_username_key').on(t.tenantId, t.username),
    index('User_tenantId_idx').on(t.tenantId),
    index('User_email_idx').on(t.email),
  ],
)

export const UserProfile = table(
  'UserProfile',
  {
    id: serial().primaryKey(),
    userId: integer().notNull().references(() => User.id, required),
    displayName: text().notNull(),
    bio: text(),
    avatar: text(),
    coverImage: text(),
    phone: text(),
    website: text(),
    location: text(),
    title: text(),
    company: text(),
    experience: jsonb().comment('Structured experience data'),
    skills: text().array().notNull(),
    socialLinks: jsonb(),
    completeness: integer().notNull().default(0).comment('Profile completion percentage'),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('UserProfile_userId_key').on(t.userId)],
)

export const Account = table(
  'Account',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    identifier: text().notNull().comment('URL-safe identifier'),
    name: text().notNull(),
    type: AccountType().notNull(),
    businessInfo: jsonb().comment('Company details, tax info, etc.'),
    features: text().array().notNull().comment('Enabled features'),
    limits: jsonb().notNull().comment('Resource limits'),
    billingInfo: jsonb(),
    status: AccountStatus().notNull().default('ACTIVE'),
    verifiedAt: dateTime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: dateTime(),
  },
  (t) => [
    uniqueIndex('Account_tenantId_identifier_key').on(t.tenantId, t.identifier),
    index('Account_tenantId_idx').on(t.tenantId),
    index('Account_status_idx').on(t.status),
  ],
)

/** Account ↔ User, keyed by both (`@@id([accountId, userId])`). */
export const AccountUser = table(
  'AccountUser',
  {
    accountId: integer().notNull().references(() => Account.id, required),
    userId: integer().notNull().references(() => User.id, required),
    role: text().notNull().comment('admin, member, viewer'),
    joinedAt: createdAt(),
    invitedBy: integer(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId], name: 'AccountUser_pkey' }), index('AccountUser_userId_idx').on(t.userId)],
)
