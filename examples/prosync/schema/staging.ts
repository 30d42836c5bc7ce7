/**
 * Step 5: the staging area, a buffer for uploads before validation. A row is `pending` until it is
 * validated, then `accepted` (copied into documents.documents, `document_id` set) or `rejected`
 * with a reason. Its own storage parameters: large `metadata` values are TOASTed early, and the
 * churn of status updates is vacuumed aggressively.
 */
import { bigint, check, index, jsonb, pgSchema, sql, text, timestamptz, uniqueIndex, uuid, varchar } from '../../../src/dsl/index.js'
import { projects } from './projects.js'
import { users } from './users.js'

export const stagingSchema = pgSchema('staging', { comment: 'Uploads waiting for validation' })

export const documentsIngest = stagingSchema.table(
  'documents_ingest',
  {
    id: uuid().primaryKey().defaultRandom(),
    project_id: uuid().notNull().references(() => projects.id, { onDelete: 'cascade' }),
    filename: varchar(500).notNull(),
    mime_type: varchar(255),
    size: bigint(),
    checksum: varchar(64).notNull(),
    s3_key: text().notNull(),
    status: varchar(20).notNull().default('pending'),
    rejection_reason: text(),
    metadata: jsonb<Record<string, unknown>>().notNull().default({}),
    notes: text().comment('Manual review notes and annotations'),
    uploaded_by: uuid().references(() => users.id, { onDelete: 'set null' }),
    received_at: timestamptz().notNull().defaultNow(),
    processed_at: timestamptz(),
    document_id: uuid().comment('documents.documents.id once accepted'),
  },
  (t) => [
    check('documents_ingest_status_check', sql`(${t.status})::text IN ('pending', 'validating', 'accepted', 'rejected')`),
    check('documents_ingest_rejection_check', sql`(${t.status} = 'rejected') = (${t.rejection_reason} IS NOT NULL)`),
    check('documents_ingest_size_check', sql`${t.size} IS NULL OR ${t.size} > 0`),
    check('documents_ingest_processed_check', sql`(${t.status})::text IN ('pending', 'validating') OR ${t.processed_at} IS NOT NULL`),
    // deduplication: one live upload per content (a rejected one may be uploaded again)
    uniqueIndex('idx_documents_ingest_checksum').on(t.checksum).where(sql`${t.status} <> 'rejected'`),
    index('idx_documents_ingest_status').on(t.status, t.received_at).where(sql`(${t.status})::text IN ('pending', 'validating')`),
  ],
  {
    comment: 'Buffer for uploaded files before validation',
    with: { toast_tuple_target: 4080, autovacuum_vacuum_scale_factor: 0.05, autovacuum_analyze_scale_factor: 0.02 },
  },
)
