/** Files attached to a message (the `files` array of a MongoDB message). */
import { primaryKey, tenantIsolation, tenantScoped, uuid } from '../../src/dsl/index.js'
import { files } from './files.js'
import { messages } from './messages.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'

export const messageFiles = app.table(
  'message_files',
  {
    message_id: uuid().notNull().references(() => messages.id, { onDelete: 'cascade' }),
    file_id: uuid().notNull().references(() => files.id, { onDelete: 'cascade' }).index(),
    ...tenantScoped(() => tenants.id),
  },
  (t) => [primaryKey({ columns: [t.message_id, t.file_id] }), tenantIsolation()],
)
