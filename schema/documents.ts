/** Seed 000, `documents` schema: documents (a tree), their versions and structured blocks. */
import { foreignKey, index, integer, jsonb, pgSchema, sql, text, timestamptz, unique, uuid, varchar } from '../src/dsl/index.js'

export const documentsSchema = pgSchema('documents', { comment: 'Documents, blocks, versions' })

export const documents = documentsSchema.table(
  'documents',
  {
    id: uuid().primaryKey().defaultRandom(),
    workspace_id: uuid().notNull(),
    title: varchar(500).notNull(),
    slug: varchar(500),
    content: jsonb<Record<string, unknown>>().default({}),
    content_text: text().comment('For full-text search'),
    status: varchar(20).default('draft'),
    visibility: varchar(20).default('private'),
    owner_id: uuid().notNull(),
    parent_id: uuid(),
    created_at: timestamptz().defaultNow(),
    updated_at: timestamptz().defaultNow(),
    deleted_at: timestamptz(),
  },
  (t) => [
    foreignKey({ columns: [t.parent_id], foreignColumns: [t.id] }),
    index('idx_documents_workspace').on(t.workspace_id),
    index('idx_documents_owner').on(t.owner_id),
    index('idx_documents_updated').on(t.updated_at.desc()),
    index('idx_documents_content_fts').using('gin', sql`to_tsvector('english'::regconfig, ${t.content_text})`),
  ],
)

export const versions = documentsSchema.table(
  'versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    document_id: uuid().references(() => documents.id, { onDelete: 'cascade' }),
    version_number: integer().notNull(),
    content: jsonb<Record<string, unknown>>().notNull(),
    created_by: uuid().notNull(),
    created_at: timestamptz().defaultNow(),
    change_summary: text(),
  },
  (t) => [unique().on(t.document_id, t.version_number)],
)

export const blocks = documentsSchema.table(
  'blocks',
  {
    id: uuid().primaryKey().defaultRandom(),
    document_id: uuid().references(() => documents.id, { onDelete: 'cascade' }),
    type: varchar(50).notNull(),
    content: jsonb<Record<string, unknown>>().default({}),
    position: integer().notNull(),
    parent_block_id: uuid(),
    created_at: timestamptz().defaultNow(),
    updated_at: timestamptz().defaultNow(),
  },
  (t) => [foreignKey({ columns: [t.parent_block_id], foreignColumns: [t.id] })],
)
