/** Seed 002-style operational views over the documents of seed 000, and a seed 003-style aggregate. */
import { materializedView, view } from '../src/dsl/index.js'
import { documents, documentsSchema } from '../schema/documents.js'
import { logs } from '../schema/audit.js'
import { workspaces } from '../schema/workspaces.js'

/** A row of `documents.active_documents`. */
export type ActiveDocument = Pick<
  typeof documents.$inferSelect,
  'id' | 'workspace_id' | 'parent_id' | 'title' | 'slug' | 'status' | 'visibility' | 'owner_id' | 'created_at' | 'updated_at'
>

/** Documents that are not soft-deleted (typed, so `KyselyDatabase` has it, read-only). */
export const activeDocuments = view(documentsSchema, 'active_documents', {
  sql: `SELECT id, workspace_id, parent_id, title, slug, status, visibility, owner_id, created_at, updated_at
  FROM documents.documents
  WHERE deleted_at IS NULL`,
  deps: [documents],
  comment: 'Documents that are not soft-deleted',
}).$type<ActiveDocument>()

/** Live documents still in draft. */
export const pendingDocuments = view(documentsSchema, 'pending_documents', {
  sql: `SELECT id, workspace_id, title, owner_id, created_at, updated_at
  FROM documents.documents
  WHERE deleted_at IS NULL AND status::text = 'draft'::text`,
  deps: [documents],
  comment: 'Live documents still in draft',
})

/** Audit log entries with the name of the workspace they happened in. */
export const auditTrailByWorkspace = view('audit', 'trail_by_workspace', {
  sql: `SELECT l.id, l.created_at, l.workspace_id, w.name AS workspace_name, l.actor_id, l.action, l.resource_type, l.resource_id
  FROM audit.logs l
  JOIN workspaces.workspaces w ON w.id = l.workspace_id`,
  deps: [logs, workspaces],
})

/** Per-workspace document counts; refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY (it has a unique index). */
export const workspaceDocumentStats = materializedView(documentsSchema, 'workspace_document_stats', {
  sql: `SELECT workspace_id,
    count(*) AS documents,
    count(*) FILTER (WHERE deleted_at IS NULL) AS active_documents,
    count(*) FILTER (WHERE deleted_at IS NULL AND status::text = 'draft'::text) AS draft_documents,
    max(updated_at) AS last_updated_at
  FROM documents.documents
  GROUP BY workspace_id`,
  deps: [documents],
  indexes: [{ name: 'workspace_document_stats_workspace_id_key', on: ['workspace_id'], unique: true }],
  comment: 'Document counts per workspace',
})
