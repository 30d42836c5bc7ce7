-- cairn: rls_partitions_views (up)
-- cairn:summary 49 statements: 7 create_table, 11 alter_rls, 11 create_policy, 4 create_view, 2 set_comment
-- cairn:transaction single
SET lock_timeout = '5s';

-- create table audit.events
CREATE TABLE audit.events (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  tenant_id uuid,
  actor_id uuid,
  actor_type character varying(50) DEFAULT 'user'::character varying,
  action character varying(100) NOT NULL,
  resource_type character varying(100) NOT NULL,
  resource_id uuid,
  metadata jsonb DEFAULT '{}'::jsonb,
  ip_address inet,
  user_agent text,
  CONSTRAINT events_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- create table audit.events_2026_01
CREATE TABLE audit.events_2026_01 PARTITION OF audit.events FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00');

-- create table audit.events_2026_02
CREATE TABLE audit.events_2026_02 PARTITION OF audit.events FOR VALUES FROM ('2026-02-01 00:00:00+00') TO ('2026-03-01 00:00:00+00');

-- create table audit.events_2026_03
CREATE TABLE audit.events_2026_03 PARTITION OF audit.events FOR VALUES FROM ('2026-03-01 00:00:00+00') TO ('2026-04-01 00:00:00+00');

-- create table audit.events_2026_04
CREATE TABLE audit.events_2026_04 PARTITION OF audit.events FOR VALUES FROM ('2026-04-01 00:00:00+00') TO ('2026-05-01 00:00:00+00');

-- create table audit.events_2026_05
CREATE TABLE audit.events_2026_05 PARTITION OF audit.events FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-06-01 00:00:00+00');

-- create table audit.events_2026_06
CREATE TABLE audit.events_2026_06 PARTITION OF audit.events FOR VALUES FROM ('2026-06-01 00:00:00+00') TO ('2026-07-01 00:00:00+00');

-- create index audit.idx_audit_events_resource on audit.events
CREATE INDEX idx_audit_events_resource ON audit.events USING btree (resource_type, resource_id);

-- create index audit.idx_audit_events_tenant_created on audit.events
CREATE INDEX idx_audit_events_tenant_created ON audit.events USING btree (tenant_id, created_at DESC);

-- enable row level security on app.agents
ALTER TABLE app.agents ENABLE ROW LEVEL SECURITY;

-- force row level security on app.agents
ALTER TABLE app.agents FORCE ROW LEVEL SECURITY;

-- enable row level security on app.conversations
ALTER TABLE app.conversations ENABLE ROW LEVEL SECURITY;

-- force row level security on app.conversations
ALTER TABLE app.conversations FORCE ROW LEVEL SECURITY;

-- enable row level security on app.courses
ALTER TABLE app.courses ENABLE ROW LEVEL SECURITY;

-- force row level security on app.courses
ALTER TABLE app.courses FORCE ROW LEVEL SECURITY;

-- enable row level security on app.document_chunks
ALTER TABLE app.document_chunks ENABLE ROW LEVEL SECURITY;

-- force row level security on app.document_chunks
ALTER TABLE app.document_chunks FORCE ROW LEVEL SECURITY;

-- enable row level security on app.files
ALTER TABLE app.files ENABLE ROW LEVEL SECURITY;

-- force row level security on app.files
ALTER TABLE app.files FORCE ROW LEVEL SECURITY;

-- enable row level security on app.memories
ALTER TABLE app.memories ENABLE ROW LEVEL SECURITY;

-- force row level security on app.memories
ALTER TABLE app.memories FORCE ROW LEVEL SECURITY;

-- enable row level security on app.message_files
ALTER TABLE app.message_files ENABLE ROW LEVEL SECURITY;

-- force row level security on app.message_files
ALTER TABLE app.message_files FORCE ROW LEVEL SECURITY;

-- enable row level security on app.messages
ALTER TABLE app.messages ENABLE ROW LEVEL SECURITY;

-- force row level security on app.messages
ALTER TABLE app.messages FORCE ROW LEVEL SECURITY;

-- enable row level security on app.modules
ALTER TABLE app.modules ENABLE ROW LEVEL SECURITY;

-- force row level security on app.modules
ALTER TABLE app.modules FORCE ROW LEVEL SECURITY;

-- enable row level security on app.transactions
ALTER TABLE app.transactions ENABLE ROW LEVEL SECURITY;

-- force row level security on app.transactions
ALTER TABLE app.transactions FORCE ROW LEVEL SECURITY;

-- enable row level security on app.users
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

-- force row level security on app.users
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;

-- create policy tenant_isolation on app.agents
CREATE POLICY tenant_isolation ON app.agents TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.conversations
CREATE POLICY tenant_isolation ON app.conversations TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.courses
CREATE POLICY tenant_isolation ON app.courses TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.document_chunks
CREATE POLICY tenant_isolation ON app.document_chunks TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.files
CREATE POLICY tenant_isolation ON app.files TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.memories
CREATE POLICY tenant_isolation ON app.memories TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.message_files
CREATE POLICY tenant_isolation ON app.message_files TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.messages
CREATE POLICY tenant_isolation ON app.messages TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.modules
CREATE POLICY tenant_isolation ON app.modules TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.transactions
CREATE POLICY tenant_isolation ON app.transactions TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.users
CREATE POLICY tenant_isolation ON app.users TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create view audit.trail_by_workspace
CREATE VIEW audit.trail_by_workspace AS
SELECT l.id,
    l.created_at,
    l.workspace_id,
    w.name AS workspace_name,
    l.actor_id,
    l.action,
    l.resource_type,
    l.resource_id
   FROM (audit.logs l
     JOIN workspaces.workspaces w ON ((w.id = l.workspace_id)));

-- create view documents.active_documents
CREATE VIEW documents.active_documents AS
SELECT id,
    workspace_id,
    parent_id,
    title,
    slug,
    status,
    visibility,
    owner_id,
    created_at,
    updated_at
   FROM documents.documents
  WHERE (deleted_at IS NULL);

-- create view documents.pending_documents
CREATE VIEW documents.pending_documents AS
SELECT id,
    workspace_id,
    title,
    owner_id,
    created_at,
    updated_at
   FROM documents.documents
  WHERE ((deleted_at IS NULL) AND ((status)::text = 'draft'::text));

-- create materialized view documents.workspace_document_stats
CREATE MATERIALIZED VIEW documents.workspace_document_stats AS
SELECT workspace_id,
    count(*) AS documents,
    count(*) FILTER (WHERE (deleted_at IS NULL)) AS active_documents,
    count(*) FILTER (WHERE ((deleted_at IS NULL) AND ((status)::text = 'draft'::text))) AS draft_documents,
    max(updated_at) AS last_updated_at
   FROM documents.documents
  GROUP BY workspace_id;

-- create index documents.workspace_document_stats_workspace_id_key on documents.workspace_document_stats
CREATE UNIQUE INDEX workspace_document_stats_workspace_id_key ON documents.workspace_document_stats USING btree (workspace_id);

-- comment on table audit.events
COMMENT ON TABLE audit.events IS 'Audit events, one partition per month';

-- comment on column audit.events.tenant_id
COMMENT ON COLUMN audit.events.tenant_id IS 'app.tenants.id when the event belongs to a tenant';
