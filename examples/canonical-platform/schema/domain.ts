/**
 * Domain data, the inputs to pipelines and indexing: datasets (logical collections) and their
 * records (dataset → records), documents (primary content), and attachments (artifacts in object
 * storage, on a document or a record). Bounded text: titles and keys have lengths, bodies a limit.
 */
import {
  bigint, check, index, jsonb, sql, tenantIsolation, tenantKey, tenantReference, tenantScoped, text, timestamps, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { users } from './identity.js'
import { platform, tenants } from './tenancy.js'

const scoped = () => tenantScoped(() => tenants.id, { type: 'bigint' })

export const datasets = platform.table(
  'datasets',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    name: varchar(200).notNull(),
    description: varchar(2000),
    created_by: bigint(),
    ...timestamps(),
  },
  (t) => [
    tenantKey(),
    unique('datasets_tenant_id_name_key').on(t.tenant_id, t.name),
    tenantReference(t.created_by, () => users, { name: 'datasets_created_by_fkey' }),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Logical collections of data' },
)

export const records = platform.table(
  'records',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    dataset_id: bigint().notNull(),
    external_key: varchar(200).comment('The identifier of the item in its source system'),
    data: jsonb<Record<string, unknown>>().notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    tenantKey(),
    tenantReference(t.dataset_id, () => datasets, { onDelete: 'cascade' }),
    unique('records_dataset_id_external_key_key').on(t.dataset_id, t.external_key),
    index('records_tenant_id_dataset_id_idx').on(t.tenant_id, t.dataset_id),
    index('records_updated_at_idx').on(t.tenant_id, t.updated_at),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Individual domain items' },
)

export const documents = platform.table(
  'documents',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    title: varchar(500).notNull(),
    body: text(),
    status: varchar(20).notNull().default('draft'),
    author_id: bigint(),
    ...timestamps(),
  },
  (t) => [
    tenantKey(),
    tenantReference(t.author_id, () => users, { name: 'documents_author_id_fkey' }),
    check('documents_status_check', sql`(${t.status})::text IN ('draft', 'published', 'archived')`),
    check('documents_body_check', sql`length(${t.body}) <= 1000000`),
    index('documents_tenant_id_status_idx').on(t.tenant_id, t.status),
    index('documents_updated_at_idx').on(t.tenant_id, t.updated_at),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Primary content or records' },
)

export const attachments = platform.table(
  'attachments',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    document_id: bigint(),
    record_id: bigint(),
    bucket: varchar(63).notNull(),
    object_key: varchar(1024).notNull(),
    content_type: varchar(255).notNull(),
    size_bytes: bigint().notNull(),
    checksum_sha256: varchar(64),
    ...timestamps(),
  },
  (t) => [
    tenantReference(t.document_id, () => documents, { onDelete: 'cascade' }),
    tenantReference(t.record_id, () => records, { onDelete: 'cascade' }),
    unique('attachments_bucket_object_key_key').on(t.bucket, t.object_key),
    check('attachments_owner_check', sql`num_nonnulls(${t.document_id}, ${t.record_id}) = 1`),
    check('attachments_size_bytes_check', sql`${t.size_bytes} >= 0`),
    index('attachments_document_id_idx').on(t.document_id),
    index('attachments_record_id_idx').on(t.record_id),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Associated artifacts stored in object storage' },
)
