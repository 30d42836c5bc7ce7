/** Chat conversations (MongoDB `conversations`). */
import { boolean, jsonb, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, timestamptz, uuid } from '../../src/dsl/index.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'
import { users } from './users.js'

export const conversations = app.table('conversations', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  user_id: uuid().notNull().index(),
  title: text(),
  provider: text().notNull(),
  model: text().notNull(),
  agent_id: text().index().comment('agents.id; kept without a foreign key, as in the source data'),
  parameters: jsonb<{ temperature?: number; topP?: number; maxTokens?: number }>(),
  archived: boolean().default(false),
  ...timestamps(),
  last_message_at: timestamptz(),
}, (t) => [tenantKey(), tenantReference(t.user_id, () => users, { onDelete: 'cascade' }), tenantIsolation()])

export type Conversation = typeof conversations.$inferSelect
