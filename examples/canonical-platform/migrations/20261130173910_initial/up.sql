-- cairn: initial (up)
-- cairn:summary 145 statements: 1 create_schema, 1 create_role, 15 create_table, 23 add_foreign_key, 16 grant, 19 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create schema platform
CREATE SCHEMA platform;

-- create role platform_app
DO $cairn$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'platform_app') THEN
    CREATE ROLE platform_app NOLOGIN INHERIT NOBYPASSRLS;
  END IF;
END $cairn$;

-- create table platform.attachments
CREATE TABLE platform.attachments (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  document_id bigint,
  record_id bigint,
  bucket character varying(63) NOT NULL,
  object_key character varying(1024) NOT NULL,
  content_type character varying(255) NOT NULL,
  size_bytes bigint NOT NULL,
  checksum_sha256 character varying(64),
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT attachments_pkey PRIMARY KEY (id),
  CONSTRAINT attachments_bucket_object_key_key UNIQUE (bucket, object_key),
  CONSTRAINT attachments_public_id_key UNIQUE (public_id),
  CONSTRAINT attachments_owner_check CHECK ((num_nonnulls(document_id, record_id) = 1)),
  CONSTRAINT attachments_size_bytes_check CHECK ((size_bytes >= 0))
);

-- create table platform.audit_logs
CREATE TABLE platform.audit_logs (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  actor_user_id bigint,
  action character varying(100) NOT NULL,
  resource_type character varying(50) NOT NULL,
  resource_id uuid,
  details jsonb DEFAULT '{}'::jsonb NOT NULL,
  ip_address inet,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT audit_logs_pkey PRIMARY KEY (id)
);

-- create table platform.datasets
CREATE TABLE platform.datasets (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  name character varying(200) NOT NULL,
  description character varying(2000),
  created_by bigint,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT datasets_pkey PRIMARY KEY (id),
  CONSTRAINT datasets_public_id_key UNIQUE (public_id),
  CONSTRAINT datasets_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT datasets_tenant_id_name_key UNIQUE (tenant_id, name)
);

-- create table platform.documents
CREATE TABLE platform.documents (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  title character varying(500) NOT NULL,
  body text,
  status character varying(20) DEFAULT 'draft'::character varying NOT NULL,
  author_id bigint,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT documents_pkey PRIMARY KEY (id),
  CONSTRAINT documents_public_id_key UNIQUE (public_id),
  CONSTRAINT documents_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT documents_body_check CHECK ((length(body) <= 1000000)),
  CONSTRAINT documents_status_check CHECK (((status)::text = ANY (ARRAY['draft'::text, 'published'::text, 'archived'::text])))
);

-- create table platform.event_logs
CREATE TABLE platform.event_logs (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  event_type character varying(100) NOT NULL,
  direction character varying(10) NOT NULL,
  entity_type character varying(50),
  entity_id uuid,
  payload jsonb DEFAULT '{}'::jsonb NOT NULL,
  occurred_at timestamp with time zone DEFAULT now() NOT NULL,
  processed_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT event_logs_pkey PRIMARY KEY (id),
  CONSTRAINT event_logs_direction_check CHECK (((direction)::text = ANY (ARRAY['emitted'::text, 'received'::text])))
);

-- create table platform.jobs
CREATE TABLE platform.jobs (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  kind character varying(100) NOT NULL,
  status character varying(20) DEFAULT 'queued'::character varying NOT NULL,
  entity_type character varying(50),
  entity_id uuid,
  payload jsonb DEFAULT '{}'::jsonb NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  max_attempts integer DEFAULT 5 NOT NULL,
  run_after timestamp with time zone DEFAULT now() NOT NULL,
  started_at timestamp with time zone,
  finished_at timestamp with time zone,
  last_error character varying(4000),
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT jobs_pkey PRIMARY KEY (id),
  CONSTRAINT jobs_public_id_key UNIQUE (public_id),
  CONSTRAINT jobs_attempts_check CHECK (((attempts >= 0) AND (attempts <= max_attempts))),
  CONSTRAINT jobs_finished_check CHECK (((finished_at IS NULL) OR ((started_at IS NOT NULL) AND (finished_at >= started_at)))),
  CONSTRAINT jobs_status_check CHECK (((status)::text = ANY (ARRAY['queued'::text, 'running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text])))
);

-- create table platform.memberships
CREATE TABLE platform.memberships (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  user_id bigint NOT NULL,
  role_id bigint NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT memberships_pkey PRIMARY KEY (id),
  CONSTRAINT memberships_tenant_id_user_id_role_id_key UNIQUE (tenant_id, user_id, role_id)
);

-- create table platform.permissions
CREATE TABLE platform.permissions (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  action character varying(50) NOT NULL,
  resource character varying(100) NOT NULL,
  description text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT permissions_pkey PRIMARY KEY (id),
  CONSTRAINT permissions_action_resource_key UNIQUE (action, resource),
  CONSTRAINT permissions_action_check CHECK (((action)::text ~ '^[a-z_]+$'::text))
);

-- create table platform.pipeline_checkpoints
CREATE TABLE platform.pipeline_checkpoints (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  pipeline character varying(100) NOT NULL,
  scope character varying(200) DEFAULT ''::character varying NOT NULL,
  "position" jsonb NOT NULL,
  processed_count bigint DEFAULT 0 NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT pipeline_checkpoints_pkey PRIMARY KEY (id),
  CONSTRAINT pipeline_checkpoints_tenant_id_pipeline_scope_key UNIQUE (tenant_id, pipeline, scope),
  CONSTRAINT pipeline_checkpoints_processed_count_check CHECK ((processed_count >= 0))
);

-- create table platform.records
CREATE TABLE platform.records (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  dataset_id bigint NOT NULL,
  external_key character varying(200),
  data jsonb DEFAULT '{}'::jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT records_pkey PRIMARY KEY (id),
  CONSTRAINT records_dataset_id_external_key_key UNIQUE (dataset_id, external_key),
  CONSTRAINT records_public_id_key UNIQUE (public_id),
  CONSTRAINT records_tenant_id_id_key UNIQUE (tenant_id, id)
);

-- create table platform.role_permissions
CREATE TABLE platform.role_permissions (
  tenant_id bigint NOT NULL,
  role_id bigint NOT NULL,
  permission_id bigint NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT role_permissions_pkey PRIMARY KEY (role_id, permission_id)
);

-- create table platform.roles
CREATE TABLE platform.roles (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  name character varying(100) NOT NULL,
  description character varying(500),
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT roles_pkey PRIMARY KEY (id),
  CONSTRAINT roles_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT roles_tenant_id_name_key UNIQUE (tenant_id, name)
);

-- create table platform.tenant_configs
CREATE TABLE platform.tenant_configs (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  tenant_id bigint NOT NULL,
  key character varying(100) NOT NULL,
  value jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT tenant_configs_pkey PRIMARY KEY (id),
  CONSTRAINT tenant_configs_tenant_id_key_key UNIQUE (tenant_id, key),
  CONSTRAINT tenant_configs_key_check CHECK (((key)::text ~ '^[a-z][a-z0-9_.]*$'::text))
);

-- create table platform.tenants
CREATE TABLE platform.tenants (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  slug character varying(63) NOT NULL,
  name character varying(200) NOT NULL,
  status character varying(20) DEFAULT 'active'::character varying NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT tenants_pkey PRIMARY KEY (id),
  CONSTRAINT tenants_public_id_key UNIQUE (public_id),
  CONSTRAINT tenants_slug_key UNIQUE (slug),
  CONSTRAINT tenants_slug_check CHECK (((slug)::text ~ '^[a-z0-9][a-z0-9-]*$'::text)),
  CONSTRAINT tenants_status_check CHECK (((status)::text = ANY (ARRAY['active'::text, 'suspended'::text, 'closed'::text])))
);

-- create table platform.users
CREATE TABLE platform.users (
  id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
  public_id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id bigint NOT NULL,
  email character varying(320) NOT NULL,
  display_name character varying(200),
  status character varying(20) DEFAULT 'active'::character varying NOT NULL,
  last_login_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_public_id_key UNIQUE (public_id),
  CONSTRAINT users_tenant_id_email_key UNIQUE (tenant_id, email),
  CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT users_email_check CHECK (((email)::text ~~ '%_@_%'::text)),
  CONSTRAINT users_status_check CHECK (((status)::text = ANY (ARRAY['invited'::text, 'active'::text, 'disabled'::text])))
);

-- add foreign key attachments_document_id_fkey on platform.attachments
ALTER TABLE platform.attachments ADD CONSTRAINT attachments_document_id_fkey FOREIGN KEY (tenant_id, document_id) REFERENCES platform.documents (tenant_id, id) ON DELETE CASCADE;

-- add foreign key attachments_record_id_fkey on platform.attachments
ALTER TABLE platform.attachments ADD CONSTRAINT attachments_record_id_fkey FOREIGN KEY (tenant_id, record_id) REFERENCES platform.records (tenant_id, id) ON DELETE CASCADE;

-- add foreign key attachments_tenant_id_fkey on platform.attachments
ALTER TABLE platform.attachments ADD CONSTRAINT attachments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key audit_logs_actor_user_id_fkey on platform.audit_logs
ALTER TABLE platform.audit_logs ADD CONSTRAINT audit_logs_actor_user_id_fkey FOREIGN KEY (tenant_id, actor_user_id) REFERENCES platform.users (tenant_id, id);

-- add foreign key audit_logs_tenant_id_fkey on platform.audit_logs
ALTER TABLE platform.audit_logs ADD CONSTRAINT audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key datasets_created_by_fkey on platform.datasets
ALTER TABLE platform.datasets ADD CONSTRAINT datasets_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES platform.users (tenant_id, id);

-- add foreign key datasets_tenant_id_fkey on platform.datasets
ALTER TABLE platform.datasets ADD CONSTRAINT datasets_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key documents_author_id_fkey on platform.documents
ALTER TABLE platform.documents ADD CONSTRAINT documents_author_id_fkey FOREIGN KEY (tenant_id, author_id) REFERENCES platform.users (tenant_id, id);

-- add foreign key documents_tenant_id_fkey on platform.documents
ALTER TABLE platform.documents ADD CONSTRAINT documents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key event_logs_tenant_id_fkey on platform.event_logs
ALTER TABLE platform.event_logs ADD CONSTRAINT event_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key jobs_tenant_id_fkey on platform.jobs
ALTER TABLE platform.jobs ADD CONSTRAINT jobs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key memberships_role_id_fkey on platform.memberships
ALTER TABLE platform.memberships ADD CONSTRAINT memberships_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES platform.roles (tenant_id, id) ON DELETE CASCADE;

-- add foreign key memberships_tenant_id_fkey on platform.memberships
ALTER TABLE platform.memberships ADD CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key memberships_user_id_fkey on platform.memberships
ALTER TABLE platform.memberships ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES platform.users (tenant_id, id) ON DELETE CASCADE;

-- add foreign key pipeline_checkpoints_tenant_id_fkey on platform.pipeline_checkpoints
ALTER TABLE platform.pipeline_checkpoints ADD CONSTRAINT pipeline_checkpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key records_dataset_id_fkey on platform.records
ALTER TABLE platform.records ADD CONSTRAINT records_dataset_id_fkey FOREIGN KEY (tenant_id, dataset_id) REFERENCES platform.datasets (tenant_id, id) ON DELETE CASCADE;

-- add foreign key records_tenant_id_fkey on platform.records
ALTER TABLE platform.records ADD CONSTRAINT records_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key role_permissions_permission_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions ADD CONSTRAINT role_permissions_permission_id_fkey FOREIGN KEY (permission_id) REFERENCES platform.permissions (id) ON DELETE CASCADE;

-- add foreign key role_permissions_role_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions ADD CONSTRAINT role_permissions_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES platform.roles (tenant_id, id) ON DELETE CASCADE;

-- add foreign key role_permissions_tenant_id_fkey on platform.role_permissions
ALTER TABLE platform.role_permissions ADD CONSTRAINT role_permissions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key roles_tenant_id_fkey on platform.roles
ALTER TABLE platform.roles ADD CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key tenant_configs_tenant_id_fkey on platform.tenant_configs
ALTER TABLE platform.tenant_configs ADD CONSTRAINT tenant_configs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- add foreign key users_tenant_id_fkey on platform.users
ALTER TABLE platform.users ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES platform.tenants (id) ON DELETE CASCADE;

-- create index platform.attachments_document_id_idx on platform.attachments
CREATE INDEX attachments_document_id_idx ON platform.attachments USING btree (document_id);

-- create index platform.attachments_record_id_idx on platform.attachments
CREATE INDEX attachments_record_id_idx ON platform.attachments USING btree (record_id);

-- create index platform.attachments_tenant_id_idx on platform.attachments
CREATE INDEX attachments_tenant_id_idx ON platform.attachments USING btree (tenant_id);

-- create index platform.audit_logs_resource_idx on platform.audit_logs
CREATE INDEX audit_logs_resource_idx ON platform.audit_logs USING btree (resource_type, resource_id);

-- create index platform.audit_logs_tenant_created_idx on platform.audit_logs
CREATE INDEX audit_logs_tenant_created_idx ON platform.audit_logs USING btree (tenant_id, created_at DESC);

-- create index platform.audit_logs_tenant_id_idx on platform.audit_logs
CREATE INDEX audit_logs_tenant_id_idx ON platform.audit_logs USING btree (tenant_id);

-- create index platform.datasets_tenant_id_idx on platform.datasets
CREATE INDEX datasets_tenant_id_idx ON platform.datasets USING btree (tenant_id);

-- create index platform.documents_tenant_id_idx on platform.documents
CREATE INDEX documents_tenant_id_idx ON platform.documents USING btree (tenant_id);

-- create index platform.documents_tenant_id_status_idx on platform.documents
CREATE INDEX documents_tenant_id_status_idx ON platform.documents USING btree (tenant_id, status);

-- create index platform.documents_updated_at_idx on platform.documents
CREATE INDEX documents_updated_at_idx ON platform.documents USING btree (tenant_id, updated_at);

-- create index platform.event_logs_entity_idx on platform.event_logs
CREATE INDEX event_logs_entity_idx ON platform.event_logs USING btree (tenant_id, entity_type, entity_id);

-- create index platform.event_logs_tenant_id_idx on platform.event_logs
CREATE INDEX event_logs_tenant_id_idx ON platform.event_logs USING btree (tenant_id);

-- create index platform.event_logs_unprocessed_idx on platform.event_logs
CREATE INDEX event_logs_unprocessed_idx ON platform.event_logs USING btree (occurred_at) WHERE (processed_at IS NULL);

-- create index platform.jobs_due_idx on platform.jobs
CREATE INDEX jobs_due_idx ON platform.jobs USING btree (run_after) WHERE ((status)::text = 'queued'::text);

-- create index platform.jobs_entity_idx on platform.jobs
CREATE INDEX jobs_entity_idx ON platform.jobs USING btree (tenant_id, entity_type, entity_id);

-- create index platform.jobs_tenant_id_idx on platform.jobs
CREATE INDEX jobs_tenant_id_idx ON platform.jobs USING btree (tenant_id);

-- create index platform.memberships_role_id_idx on platform.memberships
CREATE INDEX memberships_role_id_idx ON platform.memberships USING btree (role_id);

-- create index platform.memberships_tenant_id_idx on platform.memberships
CREATE INDEX memberships_tenant_id_idx ON platform.memberships USING btree (tenant_id);

-- create index platform.memberships_user_id_idx on platform.memberships
CREATE INDEX memberships_user_id_idx ON platform.memberships USING btree (user_id);

-- create index platform.pipeline_checkpoints_tenant_id_idx on platform.pipeline_checkpoints
CREATE INDEX pipeline_checkpoints_tenant_id_idx ON platform.pipeline_checkpoints USING btree (tenant_id);

-- create index platform.records_tenant_id_dataset_id_idx on platform.records
CREATE INDEX records_tenant_id_dataset_id_idx ON platform.records USING btree (tenant_id, dataset_id);

-- create index platform.records_tenant_id_idx on platform.records
CREATE INDEX records_tenant_id_idx ON platform.records USING btree (tenant_id);

-- create index platform.records_updated_at_idx on platform.records
CREATE INDEX records_updated_at_idx ON platform.records USING btree (tenant_id, updated_at);

-- create index platform.role_permissions_permission_id_idx on platform.role_permissions
CREATE INDEX role_permissions_permission_id_idx ON platform.role_permissions USING btree (permission_id);

-- create index platform.role_permissions_tenant_id_idx on platform.role_permissions
CREATE INDEX role_permissions_tenant_id_idx ON platform.role_permissions USING btree (tenant_id);

-- create index platform.roles_tenant_id_idx on platform.roles
CREATE INDEX roles_tenant_id_idx ON platform.roles USING btree (tenant_id);

-- create index platform.tenant_configs_tenant_id_idx on platform.tenant_configs
CREATE INDEX tenant_configs_tenant_id_idx ON platform.tenant_configs USING btree (tenant_id);

-- create index platform.users_tenant_id_idx on platform.users
CREATE INDEX users_tenant_id_idx ON platform.users USING btree (tenant_id);

-- enable row level security on platform.attachments
ALTER TABLE platform.attachments ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.attachments
ALTER TABLE platform.attachments FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.audit_logs
ALTER TABLE platform.audit_logs ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.audit_logs
ALTER TABLE platform.audit_logs FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.datasets
ALTER TABLE platform.datasets ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.datasets
ALTER TABLE platform.datasets FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.documents
ALTER TABLE platform.documents ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.documents
ALTER TABLE platform.documents FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.event_logs
ALTER TABLE platform.event_logs ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.event_logs
ALTER TABLE platform.event_logs FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.jobs
ALTER TABLE platform.jobs ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.jobs
ALTER TABLE platform.jobs FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.memberships
ALTER TABLE platform.memberships ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.memberships
ALTER TABLE platform.memberships FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.pipeline_checkpoints
ALTER TABLE platform.pipeline_checkpoints ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.pipeline_checkpoints
ALTER TABLE platform.pipeline_checkpoints FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.records
ALTER TABLE platform.records ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.records
ALTER TABLE platform.records FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.role_permissions
ALTER TABLE platform.role_permissions ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.role_permissions
ALTER TABLE platform.role_permissions FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.roles
ALTER TABLE platform.roles ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.roles
ALTER TABLE platform.roles FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.tenant_configs
ALTER TABLE platform.tenant_configs ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.tenant_configs
ALTER TABLE platform.tenant_configs FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.tenants
ALTER TABLE platform.tenants ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.tenants
ALTER TABLE platform.tenants FORCE ROW LEVEL SECURITY;

-- enable row level security on platform.users
ALTER TABLE platform.users ENABLE ROW LEVEL SECURITY;

-- force row level security on platform.users
ALTER TABLE platform.users FORCE ROW LEVEL SECURITY;

-- create policy tenant_isolation on platform.attachments
CREATE POLICY tenant_isolation ON platform.attachments TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.audit_logs
CREATE POLICY tenant_isolation ON platform.audit_logs TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.datasets
CREATE POLICY tenant_isolation ON platform.datasets TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.documents
CREATE POLICY tenant_isolation ON platform.documents TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.event_logs
CREATE POLICY tenant_isolation ON platform.event_logs TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.jobs
CREATE POLICY tenant_isolation ON platform.jobs TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.memberships
CREATE POLICY tenant_isolation ON platform.memberships TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.pipeline_checkpoints
CREATE POLICY tenant_isolation ON platform.pipeline_checkpoints TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.records
CREATE POLICY tenant_isolation ON platform.records TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.role_permissions
CREATE POLICY tenant_isolation ON platform.role_permissions TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.roles
CREATE POLICY tenant_isolation ON platform.roles TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.tenant_configs
CREATE POLICY tenant_isolation ON platform.tenant_configs TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.tenants
CREATE POLICY tenant_isolation ON platform.tenants TO PUBLIC USING ((id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((id = (current_setting('app.current_tenant_id'::text))::bigint));

-- create policy tenant_isolation on platform.users
CREATE POLICY tenant_isolation ON platform.users TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::bigint));

-- grant USAGE on schema platform.platform to platform_app
GRANT USAGE ON SCHEMA platform TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.attachments to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.attachments TO platform_app;

-- grant INSERT, SELECT on table platform.audit_logs to platform_app
GRANT INSERT, SELECT ON TABLE platform.audit_logs TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.datasets to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.datasets TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.documents to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.documents TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.event_logs to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.event_logs TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.jobs to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.jobs TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.memberships to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.memberships TO platform_app;

-- grant SELECT on table platform.permissions to platform_app
GRANT SELECT ON TABLE platform.permissions TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.pipeline_checkpoints to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.pipeline_checkpoints TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.records to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.records TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.role_permissions to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.role_permissions TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.roles to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.roles TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.tenant_configs to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.tenant_configs TO platform_app;

-- grant SELECT on table platform.tenants to platform_app
GRANT SELECT ON TABLE platform.tenants TO platform_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table platform.users to platform_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE platform.users TO platform_app;

-- comment on schema platform
COMMENT ON SCHEMA platform IS 'Canonical, tenant-scoped data and the operational tables around it';

-- comment on table platform.attachments
COMMENT ON TABLE platform.attachments IS 'Associated artifacts stored in object storage';

-- comment on table platform.audit_logs
COMMENT ON TABLE platform.audit_logs IS 'Security and compliance records';

-- comment on table platform.datasets
COMMENT ON TABLE platform.datasets IS 'Logical collections of data';

-- comment on table platform.documents
COMMENT ON TABLE platform.documents IS 'Primary content or records';

-- comment on table platform.event_logs
COMMENT ON TABLE platform.event_logs IS 'Record of emitted or processed events';

-- comment on table platform.jobs
COMMENT ON TABLE platform.jobs IS 'Background task tracking';

-- comment on table platform.memberships
COMMENT ON TABLE platform.memberships IS 'Links users to tenants with roles';

-- comment on table platform.permissions
COMMENT ON TABLE platform.permissions IS 'Action–resource definitions';

-- comment on table platform.pipeline_checkpoints
COMMENT ON TABLE platform.pipeline_checkpoints IS 'Progress tracking for long processes';

-- comment on column platform.pipeline_checkpoints.scope
COMMENT ON COLUMN platform.pipeline_checkpoints.scope IS 'What part of the input this checkpoint covers (a dataset, a shard); empty: all of it';

-- comment on column platform.pipeline_checkpoints."position"
COMMENT ON COLUMN platform.pipeline_checkpoints."position" IS 'Where to resume: a cursor, a last key, an offset';

-- comment on table platform.records
COMMENT ON TABLE platform.records IS 'Individual domain items';

-- comment on column platform.records.external_key
COMMENT ON COLUMN platform.records.external_key IS 'The identifier of the item in its source system';

-- comment on table platform.role_permissions
COMMENT ON TABLE platform.role_permissions IS 'Roles ↔ permissions';

-- comment on table platform.roles
COMMENT ON TABLE platform.roles IS 'Named permission sets';

-- comment on table platform.tenant_configs
COMMENT ON TABLE platform.tenant_configs IS 'Per-tenant configuration';

-- comment on table platform.tenants
COMMENT ON TABLE platform.tenants IS 'Logical isolation boundary';

-- comment on table platform.users
COMMENT ON TABLE platform.users IS 'Authenticated identities';
