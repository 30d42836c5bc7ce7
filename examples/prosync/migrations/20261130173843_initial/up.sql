-- cairn: initial (up)
-- cairn:summary 126 statements: 7 create_schema, 1 create_role, 25 create_table, 21 add_foreign_key, 5 create_view, 22 grant, 31 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create schema audit
CREATE SCHEMA audit;

-- create schema auth
CREATE SCHEMA auth;

-- create schema documents
CREATE SCHEMA documents;

-- create schema projects
CREATE SCHEMA projects;

-- create schema staging
CREATE SCHEMA staging;

-- create schema system
CREATE SCHEMA system;

-- create schema users
CREATE SCHEMA users;

-- create role prosync_api
DO $cairn$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'prosync_api') THEN
    CREATE ROLE prosync_api NOLOGIN INHERIT NOBYPASSRLS;
  END IF;
END $cairn$;

-- create table audit.audit_log
CREATE TABLE audit.audit_log (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  "timestamp" timestamp with time zone DEFAULT now() NOT NULL,
  actor_id uuid,
  action character varying(100) NOT NULL,
  object_type character varying(50) NOT NULL,
  object_id uuid,
  project_id uuid,
  details jsonb DEFAULT '{}'::jsonb NOT NULL,
  ip_address inet,
  user_agent text,
  CONSTRAINT audit_log_pkey PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");

-- create table audit.audit_log_2026_01
CREATE TABLE audit.audit_log_2026_01 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table audit.audit_log_2026_02
CREATE TABLE audit.audit_log_2026_02 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table audit.audit_log_2026_03
CREATE TABLE audit.audit_log_2026_03 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table audit.audit_log_2026_04
CREATE TABLE audit.audit_log_2026_04 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table audit.audit_log_2026_05
CREATE TABLE audit.audit_log_2026_05 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table audit.audit_log_2026_06
CREATE TABLE audit.audit_log_2026_06 PARTITION OF audit.audit_log FOR VALUES FROM ('2026-06-01 00:00:00+00') TO ('2026-07-01 00:00:00+00') WITH (autovacuum_analyze_scale_factor=0.01, autovacuum_vacuum_insert_scale_factor=0.05, autovacuum_vacuum_scale_factor=0.02, fillfactor=90);

-- create table auth.sessions
CREATE TABLE auth.sessions (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  user_id uuid NOT NULL,
  token_hash text NOT NULL,
  user_agent text,
  ip_address inet,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  last_active_at timestamp with time zone DEFAULT now() NOT NULL,
  expires_at timestamp with time zone NOT NULL,
  revoked_at timestamp with time zone,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
  CONSTRAINT sessions_expiry_check CHECK ((expires_at > created_at))
);

-- create table documents.document_history
CREATE TABLE documents.document_history (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  document_id uuid NOT NULL,
  document_uploaded_at timestamp with time zone NOT NULL,
  operation character varying(10) NOT NULL,
  changed_by uuid,
  changed_at timestamp with time zone DEFAULT now() NOT NULL,
  old_data jsonb,
  new_data jsonb,
  CONSTRAINT document_history_pkey PRIMARY KEY (id),
  CONSTRAINT document_history_operation_check CHECK (((operation)::text = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text, 'restore'::text])))
);

-- create table documents.documents
CREATE TABLE documents.documents (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
  project_id uuid NOT NULL,
  filename character varying(500) NOT NULL,
  filetype_id smallint NOT NULL,
  storage_id smallint NOT NULL,
  s3_key text NOT NULL,
  size bigint NOT NULL,
  checksum character varying(64) NOT NULL,
  image_url text,
  description text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  uploaded_by uuid NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_by uuid,
  deleted_at timestamp with time zone,
  CONSTRAINT documents_pkey PRIMARY KEY (id, uploaded_at),
  CONSTRAINT documents_checksum_check CHECK (((checksum)::text ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT documents_size_check CHECK ((size > 0))
) PARTITION BY RANGE (uploaded_at);

-- create table documents.documents_2026_q1
CREATE TABLE documents.documents_2026_q1 PARTITION OF documents.documents FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-04-01 00:00:00+00') WITH (fillfactor=85, parallel_workers=4, toast_tuple_target=4080);

-- create table documents.documents_2026_q2
CREATE TABLE documents.documents_2026_q2 PARTITION OF documents.documents FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-07-01 00:00:00+00') WITH (fillfactor=85, parallel_workers=4, toast_tuple_target=4080);

-- create table documents.documents_2026_q3
CREATE TABLE documents.documents_2026_q3 PARTITION OF documents.documents FOR VALUES FROM ('2026-07-01 00:00:00+00') TO ('2026-10-01 00:00:00+00') WITH (fillfactor=85, parallel_workers=4, toast_tuple_target=4080);

-- create table documents.documents_2026_q4
CREATE TABLE documents.documents_2026_q4 PARTITION OF documents.documents FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2027-01-01 00:00:00+00') WITH (fillfactor=85, parallel_workers=4, toast_tuple_target=4080);

-- create table documents.filetype_reference
CREATE TABLE documents.filetype_reference (
  id smallint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
  mime_type character varying(255) NOT NULL,
  extension character varying(20) NOT NULL,
  description text,
  previewable boolean DEFAULT false NOT NULL,
  CONSTRAINT filetype_reference_pkey PRIMARY KEY (id),
  CONSTRAINT filetype_reference_mime_type_key UNIQUE (mime_type),
  CONSTRAINT filetype_reference_mime_type_check CHECK (((mime_type)::text ~ '^[a-z]+/[a-z0-9.+-]+$'::text))
);

-- create table documents.storage_reference
CREATE TABLE documents.storage_reference (
  id smallint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
  provider character varying(50) DEFAULT 's3'::character varying NOT NULL,
  bucket character varying(255) NOT NULL,
  region character varying(50),
  endpoint_url text,
  is_default boolean DEFAULT false NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT storage_reference_pkey PRIMARY KEY (id),
  CONSTRAINT storage_reference_provider_bucket_key UNIQUE (provider, bucket)
);

-- create table projects.access_role_reference
CREATE TABLE projects.access_role_reference (
  id smallint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
  code character varying(50) NOT NULL,
  name character varying(100) NOT NULL,
  description text,
  can_edit boolean DEFAULT false NOT NULL,
  can_manage_access boolean DEFAULT false NOT NULL,
  CONSTRAINT access_role_reference_pkey PRIMARY KEY (id),
  CONSTRAINT access_role_reference_code_key UNIQUE (code)
);

-- create table projects.project_access
CREATE TABLE projects.project_access (
  project_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role_id smallint NOT NULL,
  granted_by uuid,
  granted_at timestamp with time zone DEFAULT now() NOT NULL,
  revoked_at timestamp with time zone,
  CONSTRAINT project_access_pkey PRIMARY KEY (project_id, user_id)
);

-- create table projects.project_history
CREATE TABLE projects.project_history (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  project_id uuid NOT NULL,
  operation character varying(10) NOT NULL,
  changed_by uuid,
  changed_at timestamp with time zone DEFAULT now() NOT NULL,
  old_data jsonb,
  new_data jsonb,
  CONSTRAINT project_history_pkey PRIMARY KEY (id),
  CONSTRAINT project_history_operation_check CHECK (((operation)::text = ANY (ARRAY['insert'::text, 'update'::text, 'delete'::text, 'restore'::text])))
);

-- create table projects.project_tag
CREATE TABLE projects.project_tag (
  project_id uuid NOT NULL,
  tag_id bigint NOT NULL,
  tagged_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT project_tag_pkey PRIMARY KEY (project_id, tag_id)
);

-- create table projects.projects
CREATE TABLE projects.projects (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name character varying(200) NOT NULL,
  description text,
  owner_id uuid NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_by uuid,
  deleted_at timestamp with time zone,
  CONSTRAINT projects_pkey PRIMARY KEY (id),
  CONSTRAINT projects_name_check CHECK ((length(btrim((name)::text)) > 0))
);

-- create table projects.tag_reference
CREATE TABLE projects.tag_reference (
  id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
  name character varying(100) NOT NULL,
  category character varying(50) DEFAULT 'general'::character varying NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT tag_reference_pkey PRIMARY KEY (id),
  CONSTRAINT tag_reference_category_name_key UNIQUE (category, name)
);

-- create table staging.documents_ingest
CREATE TABLE staging.documents_ingest (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  project_id uuid NOT NULL,
  filename character varying(500) NOT NULL,
  mime_type character varying(255),
  size bigint,
  checksum character varying(64) NOT NULL,
  s3_key text NOT NULL,
  status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
  rejection_reason text,
  metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
  notes text,
  uploaded_by uuid,
  received_at timestamp with time zone DEFAULT now() NOT NULL,
  processed_at timestamp with time zone,
  document_id uuid,
  CONSTRAINT documents_ingest_pkey PRIMARY KEY (id),
  CONSTRAINT documents_ingest_processed_check CHECK ((((status)::text = ANY (ARRAY['pending'::text, 'validating'::text])) OR (processed_at IS NOT NULL))),
  CONSTRAINT documents_ingest_rejection_check CHECK ((((status)::text = 'rejected'::text) = (rejection_reason IS NOT NULL))),
  CONSTRAINT documents_ingest_size_check CHECK (((size IS NULL) OR (size > 0))),
  CONSTRAINT documents_ingest_status_check CHECK (((status)::text = ANY (ARRAY['pending'::text, 'validating'::text, 'accepted'::text, 'rejected'::text])))
) WITH (autovacuum_analyze_scale_factor=0.02, autovacuum_vacuum_scale_factor=0.05, toast_tuple_target=4080);

-- create table system.schema_version
CREATE TABLE system.schema_version (
  version character varying(50) NOT NULL,
  description text NOT NULL,
  checksum character varying(64),
  applied_by character varying(100) DEFAULT CURRENT_USER NOT NULL,
  applied_at timestamp with time zone DEFAULT now() NOT NULL,
  success boolean DEFAULT true NOT NULL,
  rolled_back_at timestamp with time zone,
  CONSTRAINT schema_version_pkey PRIMARY KEY (version),
  CONSTRAINT schema_version_rollback_check CHECK (((rolled_back_at IS NULL) OR (rolled_back_at >= applied_at)))
);

-- create table users.users
CREATE TABLE users.users (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  login character varying(255) NOT NULL,
  password_hash text,
  display_name character varying(200),
  is_active boolean DEFAULT true NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  deleted_at timestamp with time zone,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_login_key UNIQUE (login),
  CONSTRAINT users_login_check CHECK (((login)::text ~~ '%@%'::text))
);

-- create index staging.idx_documents_ingest_checksum on staging.documents_ingest
CREATE UNIQUE INDEX idx_documents_ingest_checksum ON staging.documents_ingest USING btree (checksum) WHERE ((status)::text <> 'rejected'::text);

-- add foreign key audit_log_actor_id_fkey on audit.audit_log
ALTER TABLE audit.audit_log ADD CONSTRAINT audit_log_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key sessions_user_id_fkey on auth.sessions
ALTER TABLE auth.sessions ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users.users (id) ON DELETE CASCADE;

-- add foreign key document_history_changed_by_fkey on documents.document_history
ALTER TABLE documents.document_history ADD CONSTRAINT document_history_changed_by_fkey FOREIGN KEY (changed_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key document_history_document_id_document_uploaded_at_fkey on documents.document_history
ALTER TABLE documents.document_history ADD CONSTRAINT document_history_document_id_document_uploaded_at_fkey FOREIGN KEY (document_id, document_uploaded_at) REFERENCES documents.documents (id, uploaded_at) ON DELETE CASCADE;

-- add foreign key documents_filetype_id_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_filetype_id_fkey FOREIGN KEY (filetype_id) REFERENCES documents.filetype_reference (id);

-- add foreign key documents_project_id_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects.projects (id);

-- add foreign key documents_storage_id_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_storage_id_fkey FOREIGN KEY (storage_id) REFERENCES documents.storage_reference (id);

-- add foreign key documents_updated_by_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key documents_uploaded_by_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES users.users (id);

-- add foreign key project_access_granted_by_fkey on projects.project_access
ALTER TABLE projects.project_access ADD CONSTRAINT project_access_granted_by_fkey FOREIGN KEY (granted_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key project_access_project_id_fkey on projects.project_access
ALTER TABLE projects.project_access ADD CONSTRAINT project_access_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects.projects (id) ON DELETE CASCADE;

-- add foreign key project_access_role_id_fkey on projects.project_access
ALTER TABLE projects.project_access ADD CONSTRAINT project_access_role_id_fkey FOREIGN KEY (role_id) REFERENCES projects.access_role_reference (id);

-- add foreign key project_access_user_id_fkey on projects.project_access
ALTER TABLE projects.project_access ADD CONSTRAINT project_access_user_id_fkey FOREIGN KEY (user_id) REFERENCES users.users (id) ON DELETE CASCADE;

-- add foreign key project_history_changed_by_fkey on projects.project_history
ALTER TABLE projects.project_history ADD CONSTRAINT project_history_changed_by_fkey FOREIGN KEY (changed_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key project_history_project_id_fkey on projects.project_history
ALTER TABLE projects.project_history ADD CONSTRAINT project_history_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects.projects (id) ON DELETE CASCADE;

-- add foreign key project_tag_project_id_fkey on projects.project_tag
ALTER TABLE projects.project_tag ADD CONSTRAINT project_tag_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects.projects (id) ON DELETE CASCADE;

-- add foreign key project_tag_tag_id_fkey on projects.project_tag
ALTER TABLE projects.project_tag ADD CONSTRAINT project_tag_tag_id_fkey FOREIGN KEY (tag_id) REFERENCES projects.tag_reference (id) ON DELETE CASCADE;

-- add foreign key projects_owner_id_fkey on projects.projects
ALTER TABLE projects.projects ADD CONSTRAINT projects_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users.users (id);

-- add foreign key projects_updated_by_fkey on projects.projects
ALTER TABLE projects.projects ADD CONSTRAINT projects_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- add foreign key documents_ingest_project_id_fkey on staging.documents_ingest
ALTER TABLE staging.documents_ingest ADD CONSTRAINT documents_ingest_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects.projects (id) ON DELETE CASCADE;

-- add foreign key documents_ingest_uploaded_by_fkey on staging.documents_ingest
ALTER TABLE staging.documents_ingest ADD CONSTRAINT documents_ingest_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES users.users (id) ON DELETE SET NULL;

-- create index audit.idx_audit_log_actor on audit.audit_log
CREATE INDEX idx_audit_log_actor ON audit.audit_log USING btree (actor_id, "timestamp" DESC);

-- create index audit.idx_audit_log_object on audit.audit_log
CREATE INDEX idx_audit_log_object ON audit.audit_log USING btree (object_type, object_id);

-- create index audit.idx_audit_log_project on audit.audit_log
CREATE INDEX idx_audit_log_project ON audit.audit_log USING btree (project_id, "timestamp" DESC);

-- create index auth.idx_sessions_user_active on auth.sessions
CREATE INDEX idx_sessions_user_active ON auth.sessions USING btree (user_id, expires_at) WHERE (revoked_at IS NULL);

-- create index documents.idx_document_history_document on documents.document_history
CREATE INDEX idx_document_history_document ON documents.document_history USING btree (document_id, changed_at DESC);

-- create index documents.idx_documents_checksum on documents.documents
CREATE INDEX idx_documents_checksum ON documents.documents USING btree (checksum);

-- create index documents.idx_documents_project_date on documents.documents
CREATE INDEX idx_documents_project_date ON documents.documents USING btree (project_id, uploaded_at DESC);

-- create index projects.idx_project_access_user_role on projects.project_access
CREATE INDEX idx_project_access_user_role ON projects.project_access USING btree (user_id, role_id);

-- create index projects.idx_project_history_project on projects.project_history
CREATE INDEX idx_project_history_project ON projects.project_history USING btree (project_id, changed_at DESC);

-- create index projects.idx_project_tag_tag on projects.project_tag
CREATE INDEX idx_project_tag_tag ON projects.project_tag USING btree (tag_id);

-- create index projects.idx_projects_owner on projects.projects
CREATE INDEX idx_projects_owner ON projects.projects USING btree (owner_id) WHERE (deleted_at IS NULL);

-- create index staging.idx_documents_ingest_status on staging.documents_ingest
CREATE INDEX idx_documents_ingest_status ON staging.documents_ingest USING btree (status, received_at) WHERE ((status)::text = ANY (ARRAY['pending'::text, 'validating'::text]));

-- create view audit.audit_trail_by_project
CREATE VIEW audit.audit_trail_by_project AS
SELECT a.id,
    a."timestamp",
    a.project_id,
    p.name AS project_name,
    a.actor_id,
    u.login AS actor_login,
    a.action,
    a.object_type,
    a.object_id,
    a.details
   FROM ((audit.audit_log a
     JOIN projects.projects p ON ((p.id = a.project_id)))
     LEFT JOIN users.users u ON ((u.id = a.actor_id)));

-- create view documents.active_documents
CREATE VIEW documents.active_documents AS
SELECT d.id,
    d.uploaded_at,
    d.project_id,
    d.filename,
    f.mime_type,
    d.size,
    d.checksum,
    d.s3_key,
    d.image_url,
    d.uploaded_by,
    d.updated_at
   FROM (documents.documents d
     JOIN documents.filetype_reference f ON ((f.id = d.filetype_id)))
  WHERE (d.deleted_at IS NULL);

-- create materialized view projects.onboarding_project_summary
CREATE MATERIALIZED VIEW projects.onboarding_project_summary AS
SELECT id AS project_id,
    name,
    owner_id,
    created_at,
    ( SELECT count(*) AS count
           FROM documents.documents d
          WHERE ((d.project_id = p.id) AND (d.deleted_at IS NULL))) AS document_count,
    ( SELECT COALESCE(sum(d.size), (0)::numeric) AS "coalesce"
           FROM documents.documents d
          WHERE ((d.project_id = p.id) AND (d.deleted_at IS NULL))) AS total_bytes,
    ( SELECT count(*) AS count
           FROM projects.project_access pa
          WHERE ((pa.project_id = p.id) AND (pa.revoked_at IS NULL))) AS participant_count,
    ( SELECT max(d.uploaded_at) AS max
           FROM documents.documents d
          WHERE (d.project_id = p.id)) AS last_upload_at
   FROM projects.projects p
  WHERE (deleted_at IS NULL);

-- create index projects.onboarding_project_summary_project_id_key on projects.onboarding_project_summary
CREATE UNIQUE INDEX onboarding_project_summary_project_id_key ON projects.onboarding_project_summary USING btree (project_id);

-- create view staging.pending_documents
CREATE VIEW staging.pending_documents AS
SELECT id,
    project_id,
    filename,
    mime_type,
    size,
    checksum,
    s3_key,
    status,
    uploaded_by,
    received_at,
    (now() - received_at) AS waiting_for
   FROM staging.documents_ingest
  WHERE ((status)::text = ANY (ARRAY['pending'::text, 'validating'::text]));

-- create view staging.rejected_documents
CREATE VIEW staging.rejected_documents AS
SELECT id,
    project_id,
    filename,
    checksum,
    s3_key,
    rejection_reason,
    notes,
    uploaded_by,
    received_at,
    processed_at
   FROM staging.documents_ingest
  WHERE ((status)::text = 'rejected'::text);

-- grant USAGE on schema audit.audit to prosync_api
GRANT USAGE ON SCHEMA audit TO prosync_api;

-- grant USAGE on schema auth.auth to prosync_api
GRANT USAGE ON SCHEMA auth TO prosync_api;

-- grant USAGE on schema documents.documents to prosync_api
GRANT USAGE ON SCHEMA documents TO prosync_api;

-- grant USAGE on schema projects.projects to prosync_api
GRANT USAGE ON SCHEMA projects TO prosync_api;

-- grant USAGE on schema staging.staging to prosync_api
GRANT USAGE ON SCHEMA staging TO prosync_api;

-- grant USAGE on schema system.system to prosync_api
GRANT USAGE ON SCHEMA system TO prosync_api;

-- grant USAGE on schema users.users to prosync_api
GRANT USAGE ON SCHEMA users TO prosync_api;

-- grant INSERT, SELECT on table audit.audit_log to prosync_api
GRANT INSERT, SELECT ON TABLE audit.audit_log TO prosync_api;

-- grant DELETE, INSERT, SELECT, UPDATE on table auth.sessions to prosync_api
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE auth.sessions TO prosync_api;

-- grant INSERT, SELECT on table documents.document_history to prosync_api
GRANT INSERT, SELECT ON TABLE documents.document_history TO prosync_api;

-- grant INSERT, SELECT, UPDATE on table documents.documents to prosync_api
GRANT INSERT, SELECT, UPDATE ON TABLE documents.documents TO prosync_api;

-- grant SELECT on table documents.filetype_reference to prosync_api
GRANT SELECT ON TABLE documents.filetype_reference TO prosync_api;

-- grant SELECT on table documents.storage_reference to prosync_api
GRANT SELECT ON TABLE documents.storage_reference TO prosync_api;

-- grant SELECT on table projects.access_role_reference to prosync_api
GRANT SELECT ON TABLE projects.access_role_reference TO prosync_api;

-- grant DELETE, INSERT, SELECT, UPDATE on table projects.project_access to prosync_api
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE projects.project_access TO prosync_api;

-- grant INSERT, SELECT on table projects.project_history to prosync_api
GRANT INSERT, SELECT ON TABLE projects.project_history TO prosync_api;

-- grant DELETE, INSERT, SELECT, UPDATE on table projects.project_tag to prosync_api
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE projects.project_tag TO prosync_api;

-- grant INSERT, SELECT, UPDATE on table projects.projects to prosync_api
GRANT INSERT, SELECT, UPDATE ON TABLE projects.projects TO prosync_api;

-- grant SELECT on table projects.tag_reference to prosync_api
GRANT SELECT ON TABLE projects.tag_reference TO prosync_api;

-- grant DELETE, INSERT, SELECT, UPDATE on table staging.documents_ingest to prosync_api
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE staging.documents_ingest TO prosync_api;

-- grant SELECT on table system.schema_version to prosync_api
GRANT SELECT ON TABLE system.schema_version TO prosync_api;

-- grant INSERT, SELECT, UPDATE on table users.users to prosync_api
GRANT INSERT, SELECT, UPDATE ON TABLE users.users TO prosync_api;

-- comment on schema audit
COMMENT ON SCHEMA audit IS 'System actions, for traceability';

-- comment on schema auth
COMMENT ON SCHEMA auth IS 'Authentication sessions';

-- comment on schema documents
COMMENT ON SCHEMA documents IS 'Uploaded files, their storage and history';

-- comment on schema projects
COMMENT ON SCHEMA projects IS 'Projects, access control and classification';

-- comment on schema staging
COMMENT ON SCHEMA staging IS 'Uploads waiting for validation';

-- comment on schema system
COMMENT ON SCHEMA system IS 'Schema versioning for CI/CD';

-- comment on schema users
COMMENT ON SCHEMA users IS 'Identities and login credentials';

-- comment on table audit.audit_log
COMMENT ON TABLE audit.audit_log IS 'System actions and traceability, one partition per month';

-- comment on column audit.audit_log.project_id
COMMENT ON COLUMN audit.audit_log.project_id IS 'projects.projects.id when the action concerns a project';

-- comment on table auth.sessions
COMMENT ON TABLE auth.sessions IS 'Active authentication tokens with metadata';

-- comment on column auth.sessions.id
COMMENT ON COLUMN auth.sessions.id IS 'A UUID, so sessions can be issued by any node';

-- comment on column auth.sessions.user_agent
COMMENT ON COLUMN auth.sessions.user_agent IS 'Kept for anomaly detection';

-- comment on column auth.sessions.ip_address
COMMENT ON COLUMN auth.sessions.ip_address IS 'Kept for anomaly detection';

-- comment on table documents.document_history
COMMENT ON TABLE documents.document_history IS 'Change tracking for documents';

-- comment on table documents.documents
COMMENT ON TABLE documents.documents IS 'Uploaded files and metadata, one partition per quarter';

-- comment on column documents.documents.checksum
COMMENT ON COLUMN documents.documents.checksum IS 'SHA-256 of the content, hex';

-- comment on column documents.documents.image_url
COMMENT ON COLUMN documents.documents.image_url IS 'Preview image';

-- comment on table documents.filetype_reference
COMMENT ON TABLE documents.filetype_reference IS 'MIME type normalisation';

-- comment on table documents.storage_reference
COMMENT ON TABLE documents.storage_reference IS 'S3 and other storage provider metadata';

-- comment on table projects.project_access
COMMENT ON TABLE projects.project_access IS 'User-to-project mapping with a role';

-- comment on table projects.project_history
COMMENT ON TABLE projects.project_history IS 'Change tracking for projects';

-- comment on table projects.project_tag
COMMENT ON TABLE projects.project_tag IS 'Projects ↔ tags';

-- comment on table projects.projects
COMMENT ON TABLE projects.projects IS 'Project metadata and ownership; deleted_at marks a soft delete';

-- comment on table projects.tag_reference
COMMENT ON TABLE projects.tag_reference IS 'Semantic tags, normalised for reuse';

-- comment on column projects.tag_reference.category
COMMENT ON COLUMN projects.tag_reference.category IS 'Groups tags for filtering and UI segmentation';

-- comment on table staging.documents_ingest
COMMENT ON TABLE staging.documents_ingest IS 'Buffer for uploaded files before validation';

-- comment on column staging.documents_ingest.notes
COMMENT ON COLUMN staging.documents_ingest.notes IS 'Manual review notes and annotations';

-- comment on column staging.documents_ingest.document_id
COMMENT ON COLUMN staging.documents_ingest.document_id IS 'documents.documents.id once accepted';

-- comment on table system.schema_version
COMMENT ON TABLE system.schema_version IS 'Migration tracking and rollback history';

-- comment on table users.users
COMMENT ON TABLE users.users IS 'Login credentials and identity';

-- comment on column users.users.login
COMMENT ON COLUMN users.users.login IS 'The e-mail address the user signs in with';
