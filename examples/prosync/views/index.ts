/**
 * The operational views: live documents, the staging dashboards (pending and rejected uploads),
 * the audit trail joined with project metadata, and the onboarding summary per project
 * (materialized: refresh it with REFRESH MATERIALIZED VIEW CONCURRENTLY, it has a unique index).
 */
import { materializedView, view } from '../../../src/dsl/index.js'
import { auditLog } from '../schema/audit.js'
import { documents, documentsSchema, filetypeReference } from '../schema/documents.js'
import { projectAccess, projects, projectsSchema } from '../schema/projects.js'
import { documentsIngest, stagingSchema } from '../schema/staging.js'
import { users } from '../schema/users.js'

/** Documents that are not soft-deleted, with their MIME type. */
export const activeDocuments = view(documentsSchema, 'active_documents', {
  sql: `SELECT d.id, d.uploaded_at, d.project_id, d.filename, f.mime_type, d.size, d.checksum, d.s3_key, d.image_url, d.uploaded_by, d.updated_at
  FROM documents.documents d
  JOIN documents.filetype_reference f ON f.id = d.filetype_id
  WHERE d.deleted_at IS NULL`,
  deps: [documents, filetypeReference],
  comment: 'Documents that are not soft-deleted',
})

/** Uploads waiting for (or in) validation, oldest first in queries. */
export const pendingDocuments = view(stagingSchema, 'pending_documents', {
  sql: `SELECT id, project_id, filename, mime_type, size, checksum, s3_key, status, uploaded_by, received_at, now() - received_at AS waiting_for
  FROM staging.documents_ingest
  WHERE status::text = ANY (ARRAY['pending'::text, 'validating'::text])`,
  deps: [documentsIngest],
  comment: 'Operational dashboard: uploads not yet validated',
})

/** Rejected uploads with the reason and the reviewer's notes. */
export const rejectedDocuments = view(stagingSchema, 'rejected_documents', {
  sql: `SELECT id, project_id, filename, checksum, s3_key, rejection_reason, notes, uploaded_by, received_at, processed_at
  FROM staging.documents_ingest
  WHERE status::text = 'rejected'::text`,
  deps: [documentsIngest],
  comment: 'Operational dashboard: rejected uploads and why',
})

/** Audit log entries about a project, with its name and the actor's login. */
export const auditTrailByProject = view('audit', 'audit_trail_by_project', {
  sql: `SELECT a.id, a."timestamp", a.project_id, p.name AS project_name, a.actor_id, u.login AS actor_login, a.action, a.object_type, a.object_id, a.details
  FROM audit.audit_log a
  JOIN projects.projects p ON p.id = a.project_id
  LEFT JOIN users.users u ON u.id = a.actor_id`,
  deps: [auditLog, projects, users],
  comment: 'Audit logs joined with project metadata',
})

/** Per live project: its documents and participants, for onboarding screens. */
export const onboardingProjectSummary = materializedView(projectsSchema, 'onboarding_project_summary', {
  sql: `SELECT p.id AS project_id, p.name, p.owner_id, p.created_at,
    (SELECT count(*) FROM documents.documents d WHERE d.project_id = p.id AND d.deleted_at IS NULL) AS document_count,
    (SELECT COALESCE(sum(d.size), 0::numeric) FROM documents.documents d WHERE d.project_id = p.id AND d.deleted_at IS NULL) AS total_bytes,
    (SELECT count(*) FROM projects.project_access pa WHERE pa.project_id = p.id AND pa.revoked_at IS NULL) AS participant_count,
    (SELECT max(d.uploaded_at) FROM documents.documents d WHERE d.project_id = p.id) AS last_upload_at
  FROM projects.projects p
  WHERE p.deleted_at IS NULL`,
  deps: [projects, documents, projectAccess],
  indexes: [{ name: 'onboarding_project_summary_project_id_key', on: ['project_id'], unique: true }],
  comment: 'Project, document and participant counts per project',
})
