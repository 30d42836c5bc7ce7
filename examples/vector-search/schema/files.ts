/** Uploaded files: `embedded` says whether their chunks have embeddings yet. */
import { boolean, integer, jsonb, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, uuid } from '../../../src/dsl/index.js'
import { app } from './app.js'
import { tenants, users } from './tenancy.js'

export const files = app.table('files', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  user_id: uuid().notNull().index(),
  filename: text().notNull(),
  original_name: text().notNull(),
  mime_type: text().notNull(),
  size: integer().notNull(),
  storage_provider: text().notNull().comment('vercel_blob | r2'),
  storage_key: text().notNull(),
  url: text().notNull(),
  embedded: boolean().default(false),
  vector_store_id: text(),
  metadata: jsonb<Record<string, unknown>>(),
  ...timestamps(),
}, (t) => [tenantKey(), tenantReference(t.user_id, () => users, { onDelete: 'cascade' }), tenantIsolation()])
