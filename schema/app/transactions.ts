/** Payments (MongoDB `transactions`); amounts in cents. */
import { integer, tenantIsolation, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'
import { users } from './users.js'

export const transactions = app.table('transactions', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  user_id: uuid().notNull().index(),
  stripe_session_id: text().unique(),
  stripe_customer_id: text(),
  stripe_subscription_id: text(),
  amount: integer().notNull().comment('in cents'),
  currency: text().default('usd').notNull(),
  status: text().notNull(),
  type: text().notNull(),
  product_id: text(),
  product_name: text(),
  ...timestamps(),
}, (t) => [tenantReference(t.user_id, () => users, { onDelete: 'cascade' }), tenantIsolation()])

export type Transaction = typeof transactions.$inferSelect
