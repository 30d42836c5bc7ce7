/**
 * Tenants: one white-labelled customer each; every other app table is scoped to one. Row-level
 * security on `id`: a session sees and changes only the tenant in `app.current_tenant_id`.
 */
import { jsonb, tenantIsolation, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app, tier } from './schema.js'

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

export type Tenant = typeof tenants.$inferSelect
