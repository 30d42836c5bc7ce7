/**
 * Chunks of uploaded files for retrieval (RAG), each with its OpenAI embedding (1536 dimensions).
 * Similarity search runs inside one tenant, nearest first by cosine distance:
 *
 *   SELECT * FROM app.document_chunks WHERE tenant_id = $1 ORDER BY embedding <=> $2 LIMIT 5
 *
 * The document declares the IVFFlat index without an operator class, which means L2 distance
 * (`vector_l2_ops`); its query orders by cosine distance (`<=>`), which only an index built with
 * `vector_cosine_ops` serves, so the index is built with that class. `lists = 100` is pgvector's
 * suggestion for up to a million rows (rows / 1000).
 */
import { index, jsonb, tenantIsolation, tenantReference, tenantScoped, text, timestamptz, uuid, vector } from '../../../src/dsl/index.js'
import { app } from './app.js'
import { files } from './files.js'
import { tenants } from './tenancy.js'

export const documentChunks = app.table('document_chunks', {
  id: uuid().primaryKey().defaultRandom(),
  file_id: uuid().notNull(),
  ...tenantScoped(() => tenants.id),
  content: text().notNull(),
  embedding: vector(1536).comment('OpenAI embedding; NULL until the file is embedded'),
  metadata: jsonb<{ page?: number; section?: string; startIndex?: number; endIndex?: number }>(),
  created_at: timestamptz().notNull().defaultNow(),
}, (t) => [
  index('document_chunks_embedding_idx').using('ivfflat').on(t.embedding.op('vector_cosine_ops')).with({ lists: 100 }),
  tenantReference(t.file_id, () => files, { onDelete: 'cascade' }),
  tenantIsolation(),
])

export type DocumentChunk = typeof documentChunks.$inferSelect
