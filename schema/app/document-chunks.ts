/** Chunks of uploaded files for retrieval (RAG). The pgvector `embedding` column and its index are in examples/vector-search, so that this model migrates on servers without pgvector. */
import { jsonb, tenantIsolation, tenantReference, tenantScoped, text, timestamptz, uuid } from '../../src/dsl/index.js'
import { files } from './files.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'

export const documentChunks = app.table('document_chunks', {
  id: uuid().primaryKey().defaultRandom(),
  file_id: uuid().notNull(),
  ...tenantScoped(() => tenants.id),
  content: text().notNull(),
  metadata: jsonb<{ page?: number; section?: string; startIndex?: number; endIndex?: number }>(),
  created_at: timestamptz().notNull().defaultNow(),
}, (t) => [tenantReference(t.file_id, () => files, { onDelete: 'cascade' }), tenantIsolation()])
