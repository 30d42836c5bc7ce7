/** Seed 000, `collaboration` schema: presence and the CRDT operations log. */
import { jsonb, pgSchema, timestamptz, unique, uuid, varchar } from '../src/dsl/index.js'

export const collaboration = pgSchema('collaboration', { comment: 'Presence, operations, cursors' })

export const presence = collaboration.table(
  'presence',
  {
    id: uuid().primaryKey().defaultRandom(),
    document_id: uuid().notNull(),
    user_id: uuid().notNull(),
    cursor_position: jsonb(),
    selection: jsonb(),
    last_active: timestamptz().defaultNow(),
    connection_id: varchar(255),
  },
  (t) => [unique().on(t.document_id, t.user_id)],
)

export const operations = collaboration.table('operations', {
  id: uuid().primaryKey().defaultRandom(),
  document_id: uuid().notNull(),
  user_id: uuid().notNull(),
  operation: jsonb().notNull(),
  vector_clock: jsonb<Record<string, number>>().notNull(),
  created_at: timestamptz().defaultNow(),
})
