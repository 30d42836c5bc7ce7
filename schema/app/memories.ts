/** Long-term memories the assistant keeps per user. */
import { index, sql, tenantIsolation, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'
import { users } from './users.js'

export const memories = app.table(
  'memories',
  {
    id: uuid().primaryKey().defaultRandom(),
    ...tenantScoped(() => tenants.id),
    user_id: uuid().notNull().index(),
    key: text().notNull().index(),
    value: text().notNull(),
    category: text(),
    source: text().comment('conversation | manual | import'),
    source_id: uuid().comment('the conversation a memory came from'),
    ...timestamps(),
  },
  (t) => [
    index('memories_search_idx').using('gin', sql`to_tsvector('english'::regconfig, ${t.value})`),
    tenantReference(t.user_id, () => users, { onDelete: 'cascade' }),
    tenantIsolation(),
  ],
)
