/** AI agents configured by users (MongoDB `agents`); keyed by their legacy text id (`agent_abc123`). */
import { boolean, integer, jsonb, tenantIsolation, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app, tier } from './schema.js'
import { tenants } from './tenants.js'
import { users } from './users.js'

export const agents = app.table('agents', {
  id: text().primaryKey(),
  ...tenantScoped(() => tenants.id),
  created_by: uuid().notNull().index(),
  name: text().notNull(),
  description: text(),
  instructions: text().notNull(),
  provider: text().notNull(),
  model: text().notNull(),
  tools: jsonb<string[]>().default([]),
  tool_resources: jsonb<{ fileSearch?: { fileIds: string[] }; codeInterpreter?: { fileIds: string[] } }>(),
  parameters: jsonb<{ temperature?: number; topP?: number; maxTokens?: number }>(),
  icon: text(),
  tier: tier().default('free').notNull(),
  published: boolean().default(false),
  version: integer().default(1),
  ...timestamps(),
}, (t) => [tenantReference(t.created_by, () => users), tenantIsolation()])

export type Agent = typeof agents.$inferSelect
