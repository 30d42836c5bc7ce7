/** Users of a tenant (MongoDB `users`); an email address is unique within its tenant. */
import { boolean, jsonb, tenantIsolation, tenantKey, tenantScoped, text, timestamps, timestamptz, unique, uuid } from '../../src/dsl/index.js'
import { app, tier, userRole } from './schema.js'
import { tenants } from './tenants.js'

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

export type AppUser = typeof users.$inferSelect
export type NewAppUser = typeof users.$inferInsert
