/**
 * Step 4: documents (partitioned by quarter on `uploaded_at`: see partitions/), their history, and
 * the reference tables that normalise MIME types and storage providers.
 */
import {
  bigint, boolean, check, foreignKey, index, jsonb, pgSchema, primaryKey, smallint, softDelete, sql, text, timestamptz, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { projects } from './projects.js'
import { users } from './users.js'

export const documentsSchema = pgSchema('documents', { comment: 'Uploaded files, their storage and history' })

export const filetypeReference = documentsSchema.table('filetype_reference', {
  id: smallint().primaryKey().generatedByDefaultAsIdentity(),
  mime_type: varchar(255).notNull().unique(),
  extension: varchar(20).notNull(),
  description: text(),
  previewable: boolean().notNull().default(false),
}, (t) => [check('filetype_reference_mime_type_check', sql`(${t.mime_type})::text ~ '^[a-z]+/[a-z0-9.+-]+$'::text`)], { comment: 'MIME type normalisation' })

export const storageReference = documentsSchema.table(
  'storage_reference',
  {
    id: smallint().primaryKey().generatedByDefaultAsIdentity(),
    provider: varchar(50).notNull().default('s3'),
    bucket: varchar(255).notNull(),
    region: varchar(50),
    endpoint_url: text(),
    is_default: boolean().notNull().default(false),
    created_at: timestamptz().notNull().defaultNow(),
  },
  (t) => [unique('storage_reference_provider_bucket_key').on(t.provider, t.bucket)],
  { comment: 'S3 and other storage provider metadata' },
)

/**
 * The documents: RANGE-partitioned by `uploaded_at`, so the key includes it. The checksum detects
 * duplicates (indexed per project; a unique constraint on a partitioned table must include the
 * partition key, so global uniqueness is enforced at ingest, see staging.documents_ingest).
 */
export const documents = documentsSchema.table(
  'documents',
  {
    id: uuid().notNull().defaultRandom(),
    uploaded_at: timestamptz().notNull().defaultNow(),
    project_id: uuid().notNull().references(() => projects.id),
    filename: varchar(500).notNull(),
    filetype_id: smallint().notNull().references(() => filetypeReference.id),
    storage_id: smallint().notNull().references(() => storageReference.id),
    s3_key: text().notNull(),
    size: bigint().notNull(),
    checksum: varchar(64).notNull().comment('SHA-256 of the content, hex'),
    image_url: text().comment('Preview image'),
    description: text(),
    metadata: jsonb<Record<string, unknown>>().notNull().default({}),
    uploaded_by: uuid().notNull().references(() => users.id),
    updated_at: timestamptz().notNull().defaultNow(),
    updated_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    ...softDelete(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.uploaded_at] }),
    check('documents_size_check', sql`${t.size} > 0`),
    check('documents_checksum_check', sql`(${t.checksum})::text ~ '^[0-9a-f]{64}$'::text`),
    index('idx_documents_project_date').on(t.project_id, t.uploaded_at.desc()),
    index('idx_documents_checksum').on(t.checksum),
  ],
  { partitionBy: { strategy: 'range', key: ['uploaded_at'] }, comment: 'Uploaded files and metadata, one partition per quarter' },
)

/** One row per change of a document; the key of a partitioned parent is (id, uploaded_at). */
export const documentHistory = documentsSchema.table(
  'document_history',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    document_id: uuid().notNull(),
    document_uploaded_at: timestamptz().notNull(),
    operation: varchar(10).notNull(),
    changed_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    changed_at: timestamptz().notNull().defaultNow(),
    old_data: jsonb<Record<string, unknown>>(),
    new_data: jsonb<Record<string, unknown>>(),
  },
  (t) => [
    foreignKey({ columns: [t.document_id, t.document_uploaded_at], foreignColumns: () => [documents.id, documents.uploaded_at], onDelete: 'cascade' }),
    check('document_history_operation_check', sql`(${t.operation})::text IN ('insert', 'update', 'delete', 'restore')`),
    index('idx_document_history_document').on(t.document_id, t.changed_at.desc()),
  ],
  { comment: 'Change tracking for documents' },
)
