-- cairn: initial_reference_model (down)
-- cairn:summary 116 statements: 8 create_schema, 3 create_enum, 24 create_table, 30 add_foreign_key, 17 set_comment
-- cairn:transaction single
SET lock_timeout = '5s';

-- undo: comment on column documents.documents.content_text
COMMENT ON COLUMN documents.documents.content_text IS NULL;

-- undo: comment on column app.users.password
COMMENT ON COLUMN app.users.password IS NULL;

-- undo: comment on column app.transactions.amount
COMMENT ON COLUMN app.transactions.amount IS NULL;

-- undo: comment on column app.modules.duration
COMMENT ON COLUMN app.modules.duration IS NULL;

-- undo: comment on column app.modules.video_provider
COMMENT ON COLUMN app.modules.video_provider IS NULL;

-- undo: comment on column app.messages.parent_id
COMMENT ON COLUMN app.messages.parent_id IS NULL;

-- undo: comment on column app.memories.source_id
COMMENT ON COLUMN app.memories.source_id IS NULL;

-- undo: comment on column app.memories.source
COMMENT ON COLUMN app.memories.source IS NULL;

-- undo: comment on column app.conversations.agent_id
COMMENT ON COLUMN app.conversations.agent_id IS NULL;

-- undo: comment on schema workspaces
COMMENT ON SCHEMA workspaces IS NULL;

-- undo: comment on schema documents
COMMENT ON SCHEMA documents IS NULL;

-- undo: comment on schema collaboration
COMMENT ON SCHEMA collaboration IS NULL;

-- undo: comment on schema auth
COMMENT ON SCHEMA auth IS NULL;

-- undo: comment on schema audit
COMMENT ON SCHEMA audit IS NULL;

-- undo: comment on schema app
COMMENT ON SCHEMA app IS NULL;

-- undo: comment on schema analytics
COMMENT ON SCHEMA analytics IS NULL;

-- undo: comment on schema ai
COMMENT ON SCHEMA ai IS NULL;

-- undo: add foreign key teams_workspace_id_fkey on workspaces.teams
ALTER TABLE workspaces.teams DROP CONSTRAINT teams_workspace_id_fkey;

-- undo: add foreign key members_workspace_id_fkey on workspaces.members
ALTER TABLE workspaces.members DROP CONSTRAINT members_workspace_id_fkey;

-- undo: add foreign key versions_document_id_fkey on documents.versions
ALTER TABLE documents.versions DROP CONSTRAINT versions_document_id_fkey;

-- undo: add foreign key documents_parent_id_fkey on documents.documents
ALTER TABLE documents.documents DROP CONSTRAINT documents_parent_id_fkey;

-- undo: add foreign key blocks_parent_block_id_fkey on documents.blocks
ALTER TABLE documents.blocks DROP CONSTRAINT blocks_parent_block_id_fkey;

-- undo: add foreign key blocks_document_id_fkey on documents.blocks
ALTER TABLE documents.blocks DROP CONSTRAINT blocks_document_id_fkey;

-- undo: add foreign key sessions_user_id_fkey on auth.sessions
ALTER TABLE auth.sessions DROP CONSTRAINT sessions_user_id_fkey;

-- undo: add foreign key oauth_connections_user_id_fkey on auth.oauth_connections
ALTER TABLE auth.oauth_connections DROP CONSTRAINT oauth_connections_user_id_fkey;

-- undo: add foreign key users_tenant_id_fkey on app.users
ALTER TABLE app.users DROP CONSTRAINT users_tenant_id_fkey;

-- undo: add foreign key transactions_user_id_fkey on app.transactions
ALTER TABLE app.transactions DROP CONSTRAINT transactions_user_id_fkey;

-- undo: add foreign key transactions_tenant_id_fkey on app.transactions
ALTER TABLE app.transactions DROP CONSTRAINT transactions_tenant_id_fkey;

-- undo: add foreign key modules_tenant_id_fkey on app.modules
ALTER TABLE app.modules DROP CONSTRAINT modules_tenant_id_fkey;

-- undo: add foreign key modules_course_id_fkey on app.modules
ALTER TABLE app.modules DROP CONSTRAINT modules_course_id_fkey;

-- undo: add foreign key messages_tenant_id_fkey on app.messages
ALTER TABLE app.messages DROP CONSTRAINT messages_tenant_id_fkey;

-- undo: add foreign key messages_parent_id_fkey on app.messages
ALTER TABLE app.messages DROP CONSTRAINT messages_parent_id_fkey;

-- undo: add foreign key messages_conversation_id_fkey on app.messages
ALTER TABLE app.messages DROP CONSTRAINT messages_conversation_id_fkey;

-- undo: add foreign key message_files_tenant_id_fkey on app.message_files
ALTER TABLE app.message_files DROP CONSTRAINT message_files_tenant_id_fkey;

-- undo: add foreign key message_files_message_id_fkey on app.message_files
ALTER TABLE app.message_files DROP CONSTRAINT message_files_message_id_fkey;

-- undo: add foreign key message_files_file_id_fkey on app.message_files
ALTER TABLE app.message_files DROP CONSTRAINT message_files_file_id_fkey;

-- undo: add foreign key memories_user_id_fkey on app.memories
ALTER TABLE app.memories DROP CONSTRAINT memories_user_id_fkey;

-- undo: add foreign key memories_tenant_id_fkey on app.memories
ALTER TABLE app.memories DROP CONSTRAINT memories_tenant_id_fkey;

-- undo: add foreign key files_user_id_fkey on app.files
ALTER TABLE app.files DROP CONSTRAINT files_user_id_fkey;

-- undo: add foreign key files_tenant_id_fkey on app.files
ALTER TABLE app.files DROP CONSTRAINT files_tenant_id_fkey;

-- undo: add foreign key document_chunks_tenant_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_tenant_id_fkey;

-- undo: add foreign key document_chunks_file_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_file_id_fkey;

-- undo: add foreign key courses_tenant_id_fkey on app.courses
ALTER TABLE app.courses DROP CONSTRAINT courses_tenant_id_fkey;

-- undo: add foreign key conversations_user_id_fkey on app.conversations
ALTER TABLE app.conversations DROP CONSTRAINT conversations_user_id_fkey;

-- undo: add foreign key conversations_tenant_id_fkey on app.conversations
ALTER TABLE app.conversations DROP CONSTRAINT conversations_tenant_id_fkey;

-- undo: add foreign key agents_tenant_id_fkey on app.agents
ALTER TABLE app.agents DROP CONSTRAINT agents_tenant_id_fkey;

-- undo: add foreign key agents_created_by_fkey on app.agents
ALTER TABLE app.agents DROP CONSTRAINT agents_created_by_fkey;

-- undo: create table workspaces.workspaces
DROP TABLE workspaces.workspaces;

-- undo: create table workspaces.teams
DROP TABLE workspaces.teams;

-- undo: create table workspaces.members
DROP TABLE workspaces.members;

-- undo: create table documents.versions
DROP TABLE documents.versions;

-- undo: create table documents.documents
DROP TABLE documents.documents;

-- undo: create table documents.blocks
DROP TABLE documents.blocks;

-- undo: create table collaboration.presence
DROP TABLE collaboration.presence;

-- undo: create table collaboration.operations
DROP TABLE collaboration.operations;

-- undo: create table auth.users
DROP TABLE auth.users;

-- undo: create table auth.sessions
DROP TABLE auth.sessions;

-- undo: create table auth.oauth_connections
DROP TABLE auth.oauth_connections;

-- undo: create table audit.logs
DROP TABLE audit.logs;

-- undo: create table app.users
DROP TABLE app.users;

-- undo: create table app.transactions
DROP TABLE app.transactions;

-- undo: create table app.tenants
DROP TABLE app.tenants;

-- undo: create table app.modules
DROP TABLE app.modules;

-- undo: create table app.messages
DROP TABLE app.messages;

-- undo: create table app.message_files
DROP TABLE app.message_files;

-- undo: create table app.memories
DROP TABLE app.memories;

-- undo: create table app.files
DROP TABLE app.files;

-- undo: create table app.document_chunks
DROP TABLE app.document_chunks;

-- undo: create table app.courses
DROP TABLE app.courses;

-- undo: create table app.conversations
DROP TABLE app.conversations;

-- undo: create table app.agents
DROP TABLE app.agents;

-- undo: create enum app.user_role
DROP TYPE app.user_role;

-- undo: create enum app.tier
DROP TYPE app.tier;

-- undo: create enum app.message_role
DROP TYPE app.message_role;

-- undo: create schema workspaces
DROP SCHEMA workspaces;

-- undo: create schema documents
DROP SCHEMA documents;

-- undo: create schema collaboration
DROP SCHEMA collaboration;

-- undo: create schema auth
DROP SCHEMA auth;

-- undo: create schema audit
DROP SCHEMA audit;

-- undo: create schema app
DROP SCHEMA app;

-- undo: create schema analytics
DROP SCHEMA analytics;

-- undo: create schema ai
DROP SCHEMA ai;
