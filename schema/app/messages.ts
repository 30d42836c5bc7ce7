/** Chat messages, a reply tree per conversation (MongoDB `messages`). */
import { type AnyTable, boolean, index, integer, sql, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { conversations } from './conversations.js'
import { app, messageRole } from './schema.js'
import { tenants } from './tenants.js'

export const messages = app.table(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    conversation_id: uuid().notNull().index(),
    ...tenantScoped(() => tenants.id),
    content: text().notNull(),
    role: messageRole().notNull(),
    parent_id: uuid().index().comment('the message this one replies to (branching reply tree)'),
    model: text(),
    provider: text(),
    finish_reason: text(),
    prompt_tokens: integer(),
    completion_tokens: integer(),
    error: boolean().default(false),
    error_message: text(),
    ...timestamps(),
  },
  (t) => [
    tenantKey(),
    tenantReference(t.conversation_id, () => conversations, { onDelete: 'cascade' }),
    tenantReference(t.parent_id, (): AnyTable => messages),
    index('messages_search_idx').using('gin', sql`to_tsvector('english'::regconfig, ${t.content})`),
    tenantIsolation(),
  ],
)

export type Message = typeof messages.$inferSelect
