-- cairn: initial (down)
-- cairn:summary 145 statements: 1 create_schema, 1 create_role, 15 create_table, 23 add_foreign_key, 16 grant, 19 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on table platform.users
COMMENT ON TABLE platform.users IS NULL;

-- undo: comment on table platform.tenants
COMMENT ON TABLE platform.tenants IS NULL;

-- undo: comment on table platform.tenant_configs
COMMENT ON TABLE platform.tenant_configs IS NULL;

-- undo: comment on table platform.roles
COMMENT ON TABLE platform.roles IS NULL;

-- undo: comment on table platform.role_permissions
COMMENT ON TABLE platform.role_permissions IS NULL;

-- undo: comment on column platform.records.external_key
COMMENT ON COLUMN platform.records.external_key IS NULL;

-- undo: comment on table platform.records
COMMENT ON TABLE platform.records IS NULL;

-- undo: comment on column platform.pipeline_checkpoints."position"
COMMENT ON COLUMN platform.pipeline_checkpoints."position" IS NULL;

-- undo: comment on column platform.pipeline_checkpoints.scope
COMMENT ON COLUMN platform.pipeline_checkpoints.scope IS NULL;

-- undo: comment on table platform.pipeline_checkpoints
COMMENT ON TABLE platform.pipeline_checkpoints IS NULL;

-- undo: comment on table platform.permissions
COMMENT ON TABLE platform.permissions IS NULL;

-- undo: comment on table platform.memberships
COMMENT ON TABLE platform.memberships IS NULL;

-- undo: comment on table platform.jobs
COMMENT ON TABLE platform.jobs IS NULL;

-- undo: comment on table platform.event_logs
COMMENT ON TABLE platform.event_logs IS NULL;

-- undo: comment on table platform.documents
COMMENT ON TABLE platform.documents IS NULL;

-- undo: comment on table platform.datasets
COMMENT ON TABLE platform.datasets IS NULL;

-- undo: comment on table platform.audit_logs
COMMENT ON TABLE platform.audit_logs IS NULL;

-- undo: comment on table platform.attachments
COMMENT ON TABLE platform.attachments IS NULL;

-- undo: comment on schema platform
COMMENT ON SCHEMA platform IS NULL;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.users to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.users FROM platform_app;

-- undo: grant SELECT on table platform.tenants to platform_app
REVOKE SELECT ON TABLE platform.tenants FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.tenant_configs to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.tenant_configs FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.roles to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.roles FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.role_permissions to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.role_permissions FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.records to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.records FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.pipeline_checkpoints to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.pipeline_checkpoints FROM platform_app;

-- undo: grant SELECT on table platform.permissions to platform_app
REVOKE SELECT ON TABLE platform.permissions FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.memberships to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.memberships FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.jobs to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.jobs FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.event_logs to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.event_logs FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.documents to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.documents FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.datasets to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.datasets FROM platform_app;

-- undo: grant INSERT, SELECT on table platform.audit_logs to platform_app
REVOKE INSERT, SELECT ON TABLE platform.audit_logs FROM platform_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table platform.attachments to platform_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE platform.attachments FROM platform_app;

-- undo: grant USAGE on schema platform.platform to platform_app
REVOKE USAGE ON SCHEMA platform FROM platform_app;

-- undo: add foreign key users_tenant_id_fkey on platform.users
ALTER TABLE platform.users DROP CONSTRAINT users_tenant_id_fkey;

-- undo: add foreign key tenant_configs_tenant_id_fkey on platform.tenant_configs
ALTER TABLE platform.tenant_configs DROP CONSTRAINT tenant_configs_tenant_id_fkey;

-- undo: add foreign key roles_tenant_id_fkey on platform.roles
ALTER TABLE platform.roles DROP CONSTRAINT roles_tenant_id_fkey;

-- undo: add foreign key role_permissions_tenant_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions DROP CONSTRAINT role_permissions_tenant_id_fkey;

-- undo: add foreign key role_permissions_role_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions DROP CONSTRAINT role_permissions_role_id_fkey;

-- undo: add foreign key role_permissions_permission_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions DROP CONSTRAINT role_permissions_permission_id_fkey;

-- undo: add foreign key records_tenant_id_fkey on platform.records
ALTER TABLE platform.records DROP CONSTRAINT records_tenant_id_fkey;

-- undo: add foreign key records_dataset_id_fkey on platform.records
ALTER TABLE platform.records DROP CONSTRAINT records_dataset_id_fkey;

-- undo: add foreign key pipeline_checkpoints_tenant_id_fkey on platform.pipeline_checkpoints
ALTER TABLE platform.pipeline_checkpoints DROP CONSTRAINT pipeline_checkpoints_tenant_id_fkey;

-- undo: add foreign key memberships_user_id_fkey on platform.memberships
ALTER TABLE platform.memberships DROP CONSTRAINT memberships_user_id_fkey;

-- undo: add foreign key memberships_tenant_id_fkey on platform.memberships
ALTER TABLE platform.memberships DROP CONSTRAINT memberships_tenant_id_fkey;

-- undo: add foreign key memberships_role_id_fkey on platform.memberships
ALTER TABLE platform.memberships DROP CONSTRAINT memberships_role_id_fkey;

-- undo: add foreign key jobs_tenant_id_fkey on platform.jobs
ALTER TABLE platform.jobs DROP CONSTRAINT jobs_tenant_id_fkey;

-- undo: add foreign key event_logs_tenant_id_fkey on platform.event_logs
ALTER TABLE platform.event_logs DROP CONSTRAINT event_logs_tenant_id_fkey;

-- undo: add foreign key documents_tenant_id_fkey on platform.documents
ALTER TABLE platform.documents DROP CONSTRAINT documents_tenant_id_fkey;

-- undo: add foreign key documents_author_id_fkey on platform.documents
ALTER TABLE platform.documents DROP CONSTRAINT documents_author_id_fkey;

-- undo: add foreign key datasets_tenant_id_fkey on platform.datasets
ALTER TABLE platform.datasets DROP CONSTRAINT datasets_tenant_id_fkey;

-- undo: add foreign key datasets_created_by_fkey on platform.datasets
ALTER TABLE platform.datasets DROP CONSTRAINT datasets_created_by_fkey;

-- undo: add foreign key audit_logs_tenant_id_fkey on platform.audit_logs
ALTER TABLE platform.audit_logs DROP CONSTRAINT audit_logs_tenant_id_fkey;

-- undo: add foreign key audit_logs_actor_user_id_fkey on platform.audit_logs
ALTER TABLE platform.audit_logs DROP CONSTRAINT audit_logs_actor_user_id_fkey;

-- undo: add foreign key attachments_tenant_id_fkey on platform.attachments
ALTER TABLE platform.attachments DROP CONSTRAINT attachments_tenant_id_fkey;

-- undo: add foreign key attachments_record_id_fkey on platform.attachments
ALTER TABLE platform.attachments DROP CONSTRAINT attachments_record_id_fkey;

-- undo: add foreign key attachments_document_id_fkey on platform.attachments
ALTER TABLE platform.attachments DROP CONSTRAINT attachments_document_id_fkey;

-- undo: create table platform.users
DROP TABLE platform.users;

-- undo: create table platform.tenants
DROP TABLE platform.tenants;

-- undo: create table platform.tenant_configs
DROP TABLE platform.tenant_configs;

-- undo: create table platform.roles
DROP TABLE platform.roles;

-- undo: create table platform.role_permissions
DROP TABLE platform.role_permissions;

-- undo: create table platform.records
DROP TABLE platform.records;

-- undo: create table platform.pipeline_checkpoints
DROP TABLE platform.pipeline_checkpoints;

-- undo: create table platform.permissions
DROP TABLE platform.permissions;

-- undo: create table platform.memberships
DROP TABLE platform.memberships;

-- undo: create table platform.jobs
DROP TABLE platform.jobs;

-- undo: create table platform.event_logs
DROP TABLE platform.event_logs;

-- undo: create table platform.documents
DROP TABLE platform.documents;

-- undo: create table platform.datasets
DROP TABLE platform.datasets;

-- undo: create table platform.audit_logs
DROP TABLE platform.audit_logs;

-- undo: create table platform.attachments
DROP TABLE platform.attachments;

-- undo: create role platform_app
DROP ROLE platform_app;

-- undo: create schema platform
DROP SCHEMA platform;
