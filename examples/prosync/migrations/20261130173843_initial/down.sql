-- cairn: initial (down)
-- cairn:summary 126 statements: 7 create_schema, 1 create_role, 25 create_table, 21 add_foreign_key, 5 create_view, 22 grant, 31 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on column users.users.login
COMMENT ON COLUMN users.users.login IS NULL;

-- undo: comment on table users.users
COMMENT ON TABLE users.users IS NULL;

-- undo: comment on table system.schema_version
COMMENT ON TABLE system.schema_version IS NULL;

-- undo: comment on column staging.documents_ingest.document_id
COMMENT ON COLUMN staging.documents_ingest.document_id IS NULL;

-- undo: comment on column staging.documents_ingest.notes
COMMENT ON COLUMN staging.documents_ingest.notes IS NULL;

-- undo: comment on table staging.documents_ingest
COMMENT ON TABLE staging.documents_ingest IS NULL;

-- undo: comment on column projects.tag_reference.category
COMMENT ON COLUMN projects.tag_reference.category IS NULL;

-- undo: comment on table projects.tag_reference
COMMENT ON TABLE projects.tag_reference IS NULL;

-- undo: comment on table projects.projects
COMMENT ON TABLE projects.projects IS NULL;

-- undo: comment on table projects.project_tag
COMMENT ON TABLE projects.project_tag IS NULL;

-- undo: comment on table projects.project_history
COMMENT ON TABLE projects.project_history IS NULL;

-- undo: comment on table projects.project_access
COMMENT ON TABLE projects.project_access IS NULL;

-- undo: comment on table documents.storage_reference
COMMENT ON TABLE documents.storage_reference IS NULL;

-- undo: comment on table documents.filetype_reference
COMMENT ON TABLE documents.filetype_reference IS NULL;

-- undo: comment on column documents.documents.image_url
COMMENT ON COLUMN documents.documents.image_url IS NULL;

-- undo: comment on column documents.documents.checksum
COMMENT ON COLUMN documents.documents.checksum IS NULL;

-- undo: comment on table documents.documents
COMMENT ON TABLE documents.documents IS NULL;

-- undo: comment on table documents.document_history
COMMENT ON TABLE documents.document_history IS NULL;

-- undo: comment on column auth.sessions.ip_address
COMMENT ON COLUMN auth.sessions.ip_address IS NULL;

-- undo: comment on column auth.sessions.user_agent
COMMENT ON COLUMN auth.sessions.user_agent IS NULL;

-- undo: comment on column auth.sessions.id
COMMENT ON COLUMN auth.sessions.id IS NULL;

-- undo: comment on table auth.sessions
COMMENT ON TABLE auth.sessions IS NULL;

-- undo: comment on column audit.audit_log.project_id
COMMENT ON COLUMN audit.audit_log.project_id IS NULL;

-- undo: comment on table audit.audit_log
COMMENT ON TABLE audit.audit_log IS NULL;

-- undo: comment on schema users
COMMENT ON SCHEMA users IS NULL;

-- undo: comment on schema system
COMMENT ON SCHEMA system IS NULL;

-- undo: comment on schema staging
COMMENT ON SCHEMA staging IS NULL;

-- undo: comment on schema projects
COMMENT ON SCHEMA projects IS NULL;

-- undo: comment on schema documents
COMMENT ON SCHEMA documents IS NULL;

-- undo: comment on schema auth
COMMENT ON SCHEMA auth IS NULL;

-- undo: comment on schema audit
COMMENT ON SCHEMA audit IS NULL;

-- undo: grant INSERT, SELECT, UPDATE on table users.users to prosync_api
REVOKE INSERT, SELECT, UPDATE ON TABLE users.users FROM prosync_api;

-- undo: grant SELECT on table system.schema_version to prosync_api
REVOKE SELECT ON TABLE system.schema_version FROM prosync_api;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table staging.documents_ingest to prosync_api
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE staging.documents_ingest FROM prosync_api;

-- undo: grant SELECT on table projects.tag_reference to prosync_api
REVOKE SELECT ON TABLE projects.tag_reference FROM prosync_api;

-- undo: grant INSERT, SELECT, UPDATE on table projects.projects to prosync_api
REVOKE INSERT, SELECT, UPDATE ON TABLE projects.projects FROM prosync_api;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table projects.project_tag to prosync_api
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE projects.project_tag FROM prosync_api;

-- undo: grant INSERT, SELECT on table projects.project_history to prosync_api
REVOKE INSERT, SELECT ON TABLE projects.project_history FROM prosync_api;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table projects.project_access to prosync_api
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE projects.project_access FROM prosync_api;

-- undo: grant SELECT on table projects.access_role_reference to prosync_api
REVOKE SELECT ON TABLE projects.access_role_reference FROM prosync_api;

-- undo: grant SELECT on table documents.storage_reference to prosync_api
REVOKE SELECT ON TABLE documents.storage_reference FROM prosync_api;

-- undo: grant SELECT on table documents.filetype_reference to prosync_api
REVOKE SELECT ON TABLE documents.filetype_reference FROM prosync_api;

-- undo: grant INSERT, SELECT, UPDATE on table documents.documents to prosync_api
REVOKE INSERT, SELECT, UPDATE ON TABLE documents.documents FROM prosync_api;

-- undo: grant INSERT, SELECT on table documents.document_history to prosync_api
REVOKE INSERT, SELECT ON TABLE documents.document_history FROM prosync_api;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table auth.sessions to prosync_api
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE auth.sessions FROM prosync_api;

-- undo: grant INSERT, SELECT on table audit.audit_log to prosync_api
REVOKE INSERT, SELECT ON TABLE audit.audit_log FROM prosync_api;

-- undo: grant USAGE on schema users.users to prosync_api
REVOKE USAGE ON SCHEMA users FROM prosync_api;

-- undo: grant USAGE on schema system.system to prosync_api
REVOKE USAGE ON SCHEMA system FROM prosync_api;

-- undo: grant USAGE on schema staging.staging to prosync_api
REVOKE USAGE ON SCHEMA staging FROM prosync_api;

-- undo: grant USAGE on schema projects.projects to prosync_api
REVOKE USAGE ON SCHEMA projects FROM prosync_api;

-- undo: grant USAGE on schema documents.documents to prosync_api
REVOKE USAGE ON SCHEMA documents FROM prosync_api;

-- undo: grant USAGE on schema auth.auth to prosync_api
REVOKE USAGE ON SCHEMA auth FROM prosync_api;

-- undo: grant USAGE on schema audit.audit to prosync_api
REVOKE USAGE ON SCHEMA audit FROM prosync_api;

-- undo: create view staging.rejected_documents
DROP VIEW staging.rejected_documents;

-- undo: create view staging.pending_documents
DROP VIEW staging.pending_documents;

-- undo: create materialized view projects.onboarding_project_summary
DROP MATERIALIZED VIEW projects.onboarding_project_summary;

-- undo: create view documents.active_documents
DROP VIEW documents.active_documents;

-- undo: create view audit.audit_trail_by_project
DROP VIEW audit.audit_trail_by_project;

-- undo: add foreign key documents_ingest_uploaded_by_fkey on staging.documents_ingest
ALTER TABLE staging.documents_ingest DROP CONSTRAINT documents_ingest_uploaded_by_fkey;

-- undo: add foreign key documents_ingest_project_id_fkey on staging.documents_ingest
ALTER TABLE staging.documents_ingest DROP CONSTRAINT documents_ingest_project_id_fkey;

-- undo: add foreign key projects_updated_by_fkey on projects.projects
ALTER TABLE projects.projects DROP CONSTRAINT projects_updated_by_fkey;

-- undo: add foreign key projects_owner_id_fkey on projects.projects
ALTER TABLE projects.projects DROP CONSTRAINT projects_owner_id_fkey;

-- undo: add foreign key project_tag_tag_id_fkey on projects.project_tag
ALTER TABLE projects.project_tag DROP CONSTRAINT project_tag_tag_id_fkey;

-- undo: add foreign key project_tag_project_id_fkey on projects.project_tag
ALTER TABLE projects.project_tag DROP CONSTRAINT project_tag_project_id_fkey;

-- undo: add foreign key project_history_project_id_fkey on projects.project_history
ALTER TABLE projects.project_history DROP CONSTRAINT project_history_project_id_fkey;

-- undo: add foreign key project_history_changed_by_fkey on projects.project_history
ALTER TABLE projects.project_history DROP CONSTRAINT project_history_changed_by_fkey;

-- undo: add foreign key project_access_user_id_fkey on projects.project_access
ALTER TABLE projects.project_access DROP CONSTRAINT project_access_user_id_fkey;

-- undo: add foreign key project_access_role_id_fkey on projects.project_access
ALTER TABLE projects.project_access DROP CONSTRAINT project_access_role_id_fkey;

-- undo: add foreign key project_access_project_id_fkey on projects.project_access
ALTER TABLE projects.project_access DROP CONSTRAINT project_access_project_id_fkey;

-- undo: add foreign key project_access_granted_by_fkey on projects.project_access
ALTER TABLE projects.project_access DROP CONSTRAINT project_access_granted_by_fkey;

-- undo: add foreign key documents_uploaded_by_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_uploaded_by_fkey;

-- undo: add foreign key documents_updated_by_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_updated_by_fkey;

-- undo: add foreign key documents_storage_id_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_storage_id_fkey;

-- undo: add foreign key documents_project_id_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_project_id_fkey;

-- undo: add foreign key documents_filetype_id_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_filetype_id_fkey;

-- undo: add foreign key document_history_document_id_document_uploaded_at_fkey on documents.document_history
ALTER TABLE documents.document_history DROP CONSTRAINT document_history_document_id_document_uploaded_at_fkey;

-- undo: add foreign key document_history_changed_by_fkey on documents.document_history
ALTER TABLE documents.document_history DROP CONSTRAINT document_history_changed_by_fkey;

-- undo: add foreign key sessions_user_id_fkey on auth.sessions
ALTER TABLE auth.sessions DROP CONSTRAINT sessions_user_id_fkey;

-- undo: add foreign key audit_log_actor_id_fkey on audit.audit_log
ALTER TABLE audit.audit_log DROP CONSTRAINT audit_log_actor_id_fkey;

-- undo: create table users.users
DROP TABLE users.users;

-- undo: create table system.schema_version
DROP TABLE system.schema_version;

-- undo: create table staging.documents_ingest
DROP TABLE staging.documents_ingest;

-- undo: create table projects.tag_reference
DROP TABLE projects.tag_reference;

-- undo: create table projects.projects
DROP TABLE projects.projects;

-- undo: create table projects.project_tag
DROP TABLE projects.project_tag;

-- undo: create table projects.project_history
DROP TABLE projects.project_history;

-- undo: create table projects.project_access
DROP TABLE projects.project_access;

-- undo: create table projects.access_role_reference
DROP TABLE projects.access_role_reference;

-- undo: create table documents.storage_reference
DROP TABLE documents.storage_reference;

-- undo: create table documents.filetype_reference
DROP TABLE documents.filetype_reference;

-- undo: create table documents.documents_2026_q4
DROP TABLE documents.documents_2026_q4;

-- undo: create table documents.documents_2026_q3
DROP TABLE documents.documents_2026_q3;

-- undo: create table documents.documents_2026_q2
DROP TABLE documents.documents_2026_q2;

-- undo: create table documents.documents_2026_q1
DROP TABLE documents.documents_2026_q1;

-- undo: create table documents.documents
DROP TABLE documents.documents;

-- undo: create table documents.document_history
DROP TABLE documents.document_history;

-- undo: create table auth.sessions
DROP TABLE auth.sessions;

-- undo: create table audit.audit_log_2026_06
DROP TABLE audit.audit_log_2026_06;

-- undo: create table audit.audit_log_2026_05
DROP TABLE audit.audit_log_2026_05;

-- undo: create table audit.audit_log_2026_04
DROP TABLE audit.audit_log_2026_04;

-- undo: create table audit.audit_log_2026_03
DROP TABLE audit.audit_log_2026_03;

-- undo: create table audit.audit_log_2026_02
DROP TABLE audit.audit_log_2026_02;

-- undo: create table audit.audit_log_2026_01
DROP TABLE audit.audit_log_2026_01;

-- undo: create table audit.audit_log
DROP TABLE audit.audit_log;

-- undo: create role prosync_api
DROP ROLE prosync_api;

-- undo: create schema users
DROP SCHEMA users;

-- undo: create schema system
DROP SCHEMA system;

-- undo: create schema staging
DROP SCHEMA staging;

-- undo: create schema projects
DROP SCHEMA projects;

-- undo: create schema documents
DROP SCHEMA documents;

-- undo: create schema auth
DROP SCHEMA auth;

-- undo: create schema audit
DROP SCHEMA audit;
