/** Uploaded files (MongoDB `files`). */
import { boolean, integer, jsonb, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'
import { users } from './users.js'

export const files = app.table('files', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  user_id: uuid().notNull().index(),
  filename: text().notNull(),
  original_name: text().notNull(),
  mime_type: text().notNull(),
  size: integer().notNull(),
  storage_provider: text().notNull(),
  storage_key: text().notNull(),
  url: text().notNull(),
  embedded: boolean().default(false),
  vector_store_id: text(),
  metadata: jsonb<Record<string, unknown>>(),
  ...timestamps(),
}, (t) => [tenantKey(), tenantReference(t.user_id, () => users, { onDelete: 'cascade' }), tenantIsolation()])

export type File = typeof files.$inferSelect
