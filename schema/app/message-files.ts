/** Files attached to a message (the `files` array of a MongoDB message). */
import { primaryKey, tenantIsolation, tenantReference, tenantScoped, uuid } from '../../src/dsl/index.js'
import { files } from './files.js'
import { messages } from './messages.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'

export const messageFiles = app.table(
  'message_files',
  {
    message_id: uuid().notNull(),
    file_id: uuid().notNull().index(),
    ...tenantScoped(() => tenants.id),
  },
  (t) => [
    primaryKey({ columns: [t.message_id, t.file_id] }),
    tenantReference(t.message_id, () => messages, { onDelete: 'cascade' }),
    tenantReference(t.file_id, () => files, { onDelete: 'cascade' }),
    tenantIsolation(),
  ],
)
