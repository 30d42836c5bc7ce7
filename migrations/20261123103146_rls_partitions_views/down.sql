-- cairn: rls_partitions_views (down)
-- cairn:summary 49 statements: 7 create_table, 11 alter_rls, 11 create_policy, 4 create_view, 2 set_comment
-- cairn:transaction single
SET lock_timeout = '5s';

-- undo: comment on column audit.events.tenant_id
COMMENT ON COLUMN audit.events.tenant_id IS NULL;

-- undo: comment on table audit.events
COMMENT ON TABLE audit.events IS NULL;

-- undo: create materialized view documents.workspace_document_stats
DROP MATERIALIZED VIEW documents.workspace_document_stats;

-- undo: create view documents.pending_documents
DROP VIEW documents.pending_documents;

-- undo: create view documents.active_documents
DROP VIEW documents.active_documents;

-- undo: create view audit.trail_by_workspace
DROP VIEW audit.trail_by_workspace;

-- undo: create policy tenant_isolation on app.users
DROP POLICY tenant_isolation ON app.users;

-- undo: create policy tenant_isolation on app.transactions
DROP POLICY tenant_isolation ON app.transactions;

-- undo: create policy tenant_isolation on app.modules
DROP POLICY tenant_isolation ON app.modules;

-- undo: create policy tenant_isolation on app.messages
DROP POLICY tenant_isolation ON app.messages;

-- undo: create policy tenant_isolation on app.message_files
DROP POLICY tenant_isolation ON app.message_files;

-- undo: create policy tenant_isolation on app.memories
DROP POLICY tenant_isolation ON app.memories;

-- undo: create policy tenant_isolation on app.files
DROP POLICY tenant_isolation ON app.files;

-- undo: create policy tenant_isolation on app.document_chunks
DROP POLICY tenant_isolation ON app.document_chunks;

-- undo: create policy tenant_isolation on app.courses
DROP POLICY tenant_isolation ON app.courses;

-- undo: create policy tenant_isolation on app.conversations
DROP POLICY tenant_isolation ON app.conversations;

-- undo: create policy tenant_isolation on app.agents
DROP POLICY tenant_isolation ON app.agents;

-- undo: force row level security on app.users
ALTER TABLE app.users NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.users
ALTER TABLE app.users DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.transactions
ALTER TABLE app.transactions NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.transactions
ALTER TABLE app.transactions DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.modules
ALTER TABLE app.modules NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.modules
ALTER TABLE app.modules DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.messages
ALTER TABLE app.messages NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.messages
ALTER TABLE app.messages DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.message_files
ALTER TABLE app.message_files NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.message_files
ALTER TABLE app.message_files DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.memories
ALTER TABLE app.memories NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.memories
ALTER TABLE app.memories DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.files
ALTER TABLE app.files NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.files
ALTER TABLE app.files DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.document_chunks
ALTER TABLE app.document_chunks NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.document_chunks
ALTER TABLE app.document_chunks DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.courses
ALTER TABLE app.courses NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.courses
ALTER TABLE app.courses DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.conversations
ALTER TABLE app.conversations NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.conversations
ALTER TABLE app.conversations DISABLE ROW LEVEL SECURITY;

-- undo: force row level security on app.agents
ALTER TABLE app.agents NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.agents
ALTER TABLE app.agents DISABLE ROW LEVEL SECURITY;

-- undo: create table audit.events_2026_06
DROP TABLE audit.events_2026_06;

-- undo: create table audit.events_2026_05
DROP TABLE audit.events_2026_05;

-- undo: create table audit.events_2026_04
DROP TABLE audit.events_2026_04;

-- undo: create table audit.events_2026_03
DROP TABLE audit.events_2026_03;

-- undo: create table audit.events_2026_02
DROP TABLE audit.events_2026_02;

-- undo: create table audit.events_2026_01
DROP TABLE audit.events_2026_01;

-- undo: create table audit.events
DROP TABLE audit.events;
