/**
 * Tenants and their users, as seed 001's target tables declare them: every table below is scoped
 * to a tenant, with row-level security `tenant_isolation` on `app.current_tenant_id`.
 */
import { boolean, jsonb, tenantIsolation, tenantKey, tenantScoped, text, timestamps, timestamptz, unique, uuid } from '../../../src/dsl/index.js'
import { app, tier, userRole } from './app.js'

export const tenants = app.table('tenants', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  subdomain: text().unique().notNull(),
  custom_domain: text(),
  branding: jsonb<{ logo: string; primaryColor: string; secondaryColor: string; fontFamily: string }>(),
  config: jsonb<{ allowedProviders: string[]; defaultModel: string; maxUsers: number }>(),
  stripe_customer_id: text(),
  plan: tier().default('free'),
  status: text().default('active'),
  ...timestamps(),
}, () => [tenantIsolation({ column: 'id' })])

/** An email address is unique within its tenant. */
export const users = app.table('users', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  email: text().notNull(),
  email_verified: boolean().default(false),
  password: text().comment('NULL for OAuth accounts'),
  name: text(),
  username: text(),
  avatar: text(),
  tier: tier().default('free').notNull(),
  role: userRole().default('user').notNull(),
  provider: text(),
  provider_id: text(),
  preferences: jsonb<{ fontSize: string; theme: string; language: string }>(),
  ...timestamps(),
  last_login_at: timestamptz(),
}, (t) => [unique('users_email_key').on(t.tenant_id, t.email), tenantKey(), tenantIsolation()])
