-- cairn: initial_reference_model (up)
-- cairn:summary 116 statements: 8 create_schema, 3 create_enum, 24 create_table, 30 add_foreign_key, 17 set_comment
-- cairn:transaction single
SET lock_timeout = '5s';

-- create schema ai
CREATE SCHEMA ai;

-- create schema analytics
CREATE SCHEMA analytics;

-- create schema app
CREATE SCHEMA app;

-- create schema audit
CREATE SCHEMA audit;

-- create schema auth
CREATE SCHEMA auth;

-- create schema collaboration
CREATE SCHEMA collaboration;

-- create schema documents
CREATE SCHEMA documents;

-- create schema workspaces
CREATE SCHEMA workspaces;

-- create enum app.message_role
CREATE TYPE app.message_role AS ENUM ('user', 'assistant', 'system');

-- create enum app.tier
CREATE TYPE app.tier AS ENUM ('free', 'pro', 'admin');

-- create enum app.user_role
CREATE TYPE app.user_role AS ENUM ('user', 'admin');

-- create table app.agents
CREATE TABLE app.agents (
  id text NOT NULL,
  tenant_id uuid NOT NULL,
  created_by uuid NOT NULL,
  name text NOT NULL,
  description text,
  instructions text NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  tools jsonb DEFAULT '[]'::jsonb,
  tool_resources jsonb,
  parameters jsonb,
  icon text,
  tier app.tier DEFAULT 'free'::app.tier NOT NULL,
  published boolean DEFAULT false,
  version integer DEFAULT 1,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT agents_pkey PRIMARY KEY (id)
);

-- create table app.conversations
CREATE TABLE app.conversations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  title text,
  provider text NOT NULL,
  model text NOT NULL,
  agent_id text,
  parameters jsonb,
  archived boolean DEFAULT false,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  last_message_at timestamp with time zone,
  CONSTRAINT conversations_pkey PRIMARY KEY (id)
);

-- create table app.courses
CREATE TABLE app.courses (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  title text NOT NULL,
  description text,
  thumbnail text,
  instructor text NOT NULL,
  instructor_bio text,
  tier app.tier DEFAULT 'free'::app.tier NOT NULL,
  published boolean DEFAULT false,
  "order" integer DEFAULT 0,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT courses_pkey PRIMARY KEY (id)
);

-- create table app.document_chunks
CREATE TABLE app.document_chunks (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  file_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  content text NOT NULL,
  metadata jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT document_chunks_pkey PRIMARY KEY (id)
);

-- create table app.files
CREATE TABLE app.files (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  filename text NOT NULL,
  original_name text NOT NULL,
  mime_type text NOT NULL,
  size integer NOT NULL,
  storage_provider text NOT NULL,
  storage_key text NOT NULL,
  url text NOT NULL,
  embedded boolean DEFAULT false,
  vector_store_id text,
  metadata jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT files_pkey PRIMARY KEY (id)
);

-- create table app.memories
CREATE TABLE app.memories (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  category text,
  source text,
  source_id uuid,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT memories_pkey PRIMARY KEY (id)
);

-- create table app.message_files
CREATE TABLE app.message_files (
  message_id uuid NOT NULL,
  file_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  CONSTRAINT message_files_pkey PRIMARY KEY (message_id, file_id)
);

-- create table app.messages
CREATE TABLE app.messages (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  conversation_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  content text NOT NULL,
  role app.message_role NOT NULL,
  parent_id uuid,
  model text,
  provider text,
  finish_reason text,
  prompt_tokens integer,
  completion_tokens integer,
  error boolean DEFAULT false,
  error_message text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT messages_pkey PRIMARY KEY (id)
);

-- create table app.modules
CREATE TABLE app.modules (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  course_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  title text NOT NULL,
  description text,
  video_url text,
  video_provider text,
  duration integer,
  thumbnail text,
  transcript text,
  transcript_url text,
  recording_metadata jsonb,
  published boolean DEFAULT false,
  "order" integer DEFAULT 0,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT modules_pkey PRIMARY KEY (id)
);

-- create table app.tenants
CREATE TABLE app.tenants (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name text NOT NULL,
  subdomain text NOT NULL,
  custom_domain text,
  branding jsonb,
  config jsonb,
  stripe_customer_id text,
  plan app.tier DEFAULT 'free'::app.tier,
  status text DEFAULT 'active'::text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT tenants_pkey PRIMARY KEY (id),
  CONSTRAINT tenants_subdomain_key UNIQUE (subdomain)
);

-- create table app.transactions
CREATE TABLE app.transactions (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  stripe_session_id text,
  stripe_customer_id text,
  stripe_subscription_id text,
  amount integer NOT NULL,
  currency text DEFAULT 'usd'::text NOT NULL,
  status text NOT NULL,
  type text NOT NULL,
  product_id text,
  product_name text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT transactions_pkey PRIMARY KEY (id),
  CONSTRAINT transactions_stripe_session_id_key UNIQUE (stripe_session_id)
);

-- create table app.users
CREATE TABLE app.users (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  email text NOT NULL,
  email_verified boolean DEFAULT false,
  password text,
  name text,
  username text,
  avatar text,
  tier app.tier DEFAULT 'free'::app.tier NOT NULL,
  role app.user_role DEFAULT 'user'::app.user_role NOT NULL,
  provider text,
  provider_id text,
  preferences jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  last_login_at timestamp with time zone,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email)
);

-- create table audit.logs
CREATE TABLE audit.logs (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  actor_id uuid,
  actor_type character varying(50) DEFAULT 'user'::character varying,
  action character varying(100) NOT NULL,
  resource_type character varying(100) NOT NULL,
  resource_id uuid,
  workspace_id uuid,
  metadata jsonb DEFAULT '{}'::jsonb,
  ip_address inet,
  user_agent text,
  created_at timestamp with time zone DEFAULT now(),
  CONSTRAINT logs_pkey PRIMARY KEY (id)
);

-- create table auth.oauth_connections
CREATE TABLE auth.oauth_connections (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  user_id uuid,
  provider character varying(50) NOT NULL,
  provider_id character varying(255) NOT NULL,
  access_token text,
  refresh_token text,
  expires_at timestamp with time zone,
  created_at timestamp with time zone DEFAULT now(),
  CONSTRAINT oauth_connections_pkey PRIMARY KEY (id),
  CONSTRAINT oauth_connections_provider_provider_id_key UNIQUE (provider, provider_id)
);

-- create table auth.sessions
CREATE TABLE auth.sessions (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  user_id uuid,
  token_hash character varying(255) NOT NULL,
  device_info jsonb,
  ip_address inet,
  expires_at timestamp with time zone NOT NULL,
  created_at timestamp with time zone DEFAULT now(),
  CONSTRAINT sessions_pkey PRIMARY KEY (id)
);

-- create table auth.users
CREATE TABLE auth.users (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  email character varying(255) NOT NULL,
  password_hash character varying(255),
  first_name character varying(100),
  last_name character varying(100),
  avatar_url character varying(500),
  status character varying(20) DEFAULT 'active'::character varying,
  email_verified boolean DEFAULT false,
  mfa_enabled boolean DEFAULT false,
  created_at timestamp with time zone DEFAULT now(),
  updated_at timestamp with time zone DEFAULT now(),
  last_login_at timestamp with time zone,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email)
);

-- create table collaboration.operations
CREATE TABLE collaboration.operations (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  document_id uuid NOT NULL,
  user_id uuid NOT NULL,
  operation jsonb NOT NULL,
  vector_clock jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now(),
  CONSTRAINT operations_pkey PRIMARY KEY (id)
);

-- create table collaboration.presence
CREATE TABLE collaboration.presence (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  document_id uuid NOT NULL,
  user_id uuid NOT NULL,
  cursor_position jsonb,
  selection jsonb,
  last_active timestamp with time zone DEFAULT now(),
  connection_id character varying(255),
  CONSTRAINT presence_pkey PRIMARY KEY (id),
  CONSTRAINT presence_document_id_user_id_key UNIQUE (document_id, user_id)
);

-- create table documents.blocks
CREATE TABLE documents.blocks (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  document_id uuid,
  type character varying(50) NOT NULL,
  content jsonb DEFAULT '{}'::jsonb,
  "position" integer NOT NULL,
  parent_block_id uuid,
  created_at timestamp with time zone DEFAULT now(),
  updated_at timestamp with time zone DEFAULT now(),
  CONSTRAINT blocks_pkey PRIMARY KEY (id)
);

-- create table documents.documents
CREATE TABLE documents.documents (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  workspace_id uuid NOT NULL,
  title character varying(500) NOT NULL,
  slug character varying(500),
  content jsonb DEFAULT '{}'::jsonb,
  content_text text,
  status character varying(20) DEFAULT 'draft'::character varying,
  visibility character varying(20) DEFAULT 'private'::character varying,
  owner_id uuid NOT NULL,
  parent_id uuid,
  created_at timestamp with time zone DEFAULT now(),
  updated_at timestamp with time zone DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT documents_pkey PRIMARY KEY (id)
);

-- create table documents.versions
CREATE TABLE documents.versions (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  document_id uuid,
  version_number integer NOT NULL,
  content jsonb NOT NULL,
  created_by uuid NOT NULL,
  created_at timestamp with time zone DEFAULT now(),
  change_summary text,
  CONSTRAINT versions_pkey PRIMARY KEY (id),
  CONSTRAINT versions_document_id_version_number_key UNIQUE (document_id, version_number)
);

-- create table workspaces.members
CREATE TABLE workspaces.members (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  workspace_id uuid,
  user_id uuid NOT NULL,
  role character varying(50) DEFAULT 'member'::character varying NOT NULL,
  permissions jsonb DEFAULT '{}'::jsonb,
  invited_by uuid,
  joined_at timestamp with time zone DEFAULT now(),
  CONSTRAINT members_pkey PRIMARY KEY (id),
  CONSTRAINT members_workspace_id_user_id_key UNIQUE (workspace_id, user_id)
);

-- create table workspaces.teams
CREATE TABLE workspaces.teams (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  workspace_id uuid,
  name character varying(255) NOT NULL,
  description text,
  created_at timestamp with time zone DEFAULT now(),
  CONSTRAINT teams_pkey PRIMARY KEY (id)
);

-- create table workspaces.workspaces
CREATE TABLE workspaces.workspaces (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  name character varying(255) NOT NULL,
  slug character varying(255) NOT NULL,
  description text,
  logo_url character varying(500),
  settings jsonb DEFAULT '{}'::jsonb,
  plan character varying(50) DEFAULT 'free'::character varying,
  owner_id uuid NOT NULL,
  created_at timestamp with time zone DEFAULT now(),
  updated_at timestamp with time zone DEFAULT now(),
  CONSTRAINT workspaces_pkey PRIMARY KEY (id),
  CONSTRAINT workspaces_slug_key UNIQUE (slug)
);

-- add foreign key agents_created_by_fkey on app.agents
ALTER TABLE app.agents ADD CONSTRAINT agents_created_by_fkey FOREIGN KEY (created_by) REFERENCES app.users (id);

-- add foreign key agents_tenant_id_fkey on app.agents
ALTER TABLE app.agents ADD CONSTRAINT agents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key conversations_tenant_id_fkey on app.conversations
ALTER TABLE app.conversations ADD CONSTRAINT conversations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key conversations_user_id_fkey on app.conversations
ALTER TABLE app.conversations ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- add foreign key courses_tenant_id_fkey on app.courses
ALTER TABLE app.courses ADD CONSTRAINT courses_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key document_chunks_file_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_file_id_fkey FOREIGN KEY (file_id) REFERENCES app.files (id) ON DELETE CASCADE;

-- add foreign key document_chunks_tenant_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key files_tenant_id_fkey on app.files
ALTER TABLE app.files ADD CONSTRAINT files_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key files_user_id_fkey on app.files
ALTER TABLE app.files ADD CONSTRAINT files_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- add foreign key memories_tenant_id_fkey on app.memories
ALTER TABLE app.memories ADD CONSTRAINT memories_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key memories_user_id_fkey on app.memories
ALTER TABLE app.memories ADD CONSTRAINT memories_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- add foreign key message_files_file_id_fkey on app.message_files
ALTER TABLE app.message_files ADD CONSTRAINT message_files_file_id_fkey FOREIGN KEY (file_id) REFERENCES app.files (id) ON DELETE CASCADE;

-- add foreign key message_files_message_id_fkey on app.message_files
ALTER TABLE app.message_files ADD CONSTRAINT message_files_message_id_fkey FOREIGN KEY (message_id) REFERENCES app.messages (id) ON DELETE CASCADE;

-- add foreign key message_files_tenant_id_fkey on app.message_files
ALTER TABLE app.message_files ADD CONSTRAINT message_files_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key messages_conversation_id_fkey on app.messages
ALTER TABLE app.messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES app.conversations (id) ON DELETE CASCADE;

-- add foreign key messages_parent_id_fkey on app.messages
ALTER TABLE app.messages ADD CONSTRAINT messages_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app.messages (id);

-- add foreign key messages_tenant_id_fkey on app.messages
ALTER TABLE app.messages ADD CONSTRAINT messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key modules_course_id_fkey on app.modules
ALTER TABLE app.modules ADD CONSTRAINT modules_course_id_fkey FOREIGN KEY (course_id) REFERENCES app.courses (id) ON DELETE CASCADE;

-- add foreign key modules_tenant_id_fkey on app.modules
ALTER TABLE app.modules ADD CONSTRAINT modules_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key transactions_tenant_id_fkey on app.transactions
ALTER TABLE app.transactions ADD CONSTRAINT transactions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key transactions_user_id_fkey on app.transactions
ALTER TABLE app.transactions ADD CONSTRAINT transactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- add foreign key users_tenant_id_fkey on app.users
ALTER TABLE app.users ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key oauth_connections_user_id_fkey on auth.oauth_connections
ALTER TABLE auth.oauth_connections ADD CONSTRAINT oauth_connections_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;

-- add foreign key sessions_user_id_fkey on auth.sessions
ALTER TABLE auth.sessions ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE;

-- add foreign key blocks_document_id_fkey on documents.blocks
ALTER TABLE documents.blocks ADD CONSTRAINT blocks_document_id_fkey FOREIGN KEY (document_id) REFERENCES documents.documents (id) ON DELETE CASCADE;

-- add foreign key blocks_parent_block_id_fkey on documents.blocks
ALTER TABLE documents.blocks ADD CONSTRAINT blocks_parent_block_id_fkey FOREIGN KEY (parent_block_id) REFERENCES documents.blocks (id);

-- add foreign key documents_parent_id_fkey on documents.documents
ALTER TABLE documents.documents ADD CONSTRAINT documents_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES documents.documents (id);

-- add foreign key versions_document_id_fkey on documents.versions
ALTER TABLE documents.versions ADD CONSTRAINT versions_document_id_fkey FOREIGN KEY (document_id) REFERENCES documents.documents (id) ON DELETE CASCADE;

-- add foreign key members_workspace_id_fkey on workspaces.members
ALTER TABLE workspaces.members ADD CONSTRAINT members_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces.workspaces (id) ON DELETE CASCADE;

-- add foreign key teams_workspace_id_fkey on workspaces.teams
ALTER TABLE workspaces.teams ADD CONSTRAINT teams_workspace_id_fkey FOREIGN KEY (workspace_id) REFERENCES workspaces.workspaces (id) ON DELETE CASCADE;

-- create index app.agents_created_by_idx on app.agents
CREATE INDEX agents_created_by_idx ON app.agents USING btree (created_by);

-- create index app.agents_tenant_id_idx on app.agents
CREATE INDEX agents_tenant_id_idx ON app.agents USING btree (tenant_id);

-- create index app.conversations_agent_id_idx on app.conversations
CREATE INDEX conversations_agent_id_idx ON app.conversations USING btree (agent_id);

-- create index app.conversations_tenant_id_idx on app.conversations
CREATE INDEX conversations_tenant_id_idx ON app.conversations USING btree (tenant_id);

-- create index app.conversations_user_id_idx on app.conversations
CREATE INDEX conversations_user_id_idx ON app.conversations USING btree (user_id);

-- create index app.courses_tenant_id_idx on app.courses
CREATE INDEX courses_tenant_id_idx ON app.courses USING btree (tenant_id);

-- create index app.document_chunks_tenant_id_idx on app.document_chunks
CREATE INDEX document_chunks_tenant_id_idx ON app.document_chunks USING btree (tenant_id);

-- create index app.files_tenant_id_idx on app.files
CREATE INDEX files_tenant_id_idx ON app.files USING btree (tenant_id);

-- create index app.files_user_id_idx on app.files
CREATE INDEX files_user_id_idx ON app.files USING btree (user_id);

-- create index app.memories_key_idx on app.memories
CREATE INDEX memories_key_idx ON app.memories USING btree (key);

-- create index app.memories_search_idx on app.memories
CREATE INDEX memories_search_idx ON app.memories USING gin ((to_tsvector('english'::regconfig, value)));

-- create index app.memories_tenant_id_idx on app.memories
CREATE INDEX memories_tenant_id_idx ON app.memories USING btree (tenant_id);

-- create index app.memories_user_id_idx on app.memories
CREATE INDEX memories_user_id_idx ON app.memories USING btree (user_id);

-- create index app.message_files_file_id_idx on app.message_files
CREATE INDEX message_files_file_id_idx ON app.message_files USING btree (file_id);

-- create index app.message_files_tenant_id_idx on app.message_files
CREATE INDEX message_files_tenant_id_idx ON app.message_files USING btree (tenant_id);

-- create index app.messages_conversation_id_idx on app.messages
CREATE INDEX messages_conversation_id_idx ON app.messages USING btree (conversation_id);

-- create index app.messages_parent_id_idx on app.messages
CREATE INDEX messages_parent_id_idx ON app.messages USING btree (parent_id);

-- create index app.messages_search_idx on app.messages
CREATE INDEX messages_search_idx ON app.messages USING gin ((to_tsvector('english'::regconfig, content)));

-- create index app.messages_tenant_id_idx on app.messages
CREATE INDEX messages_tenant_id_idx ON app.messages USING btree (tenant_id);

-- create index app.modules_course_id_idx on app.modules
CREATE INDEX modules_course_id_idx ON app.modules USING btree (course_id);

-- create index app.modules_tenant_id_idx on app.modules
CREATE INDEX modules_tenant_id_idx ON app.modules USING btree (tenant_id);

-- create index app.transactions_tenant_id_idx on app.transactions
CREATE INDEX transactions_tenant_id_idx ON app.transactions USING btree (tenant_id);

-- create index app.transactions_user_id_idx on app.transactions
CREATE INDEX transactions_user_id_idx ON app.transactions USING btree (user_id);

-- create index app.users_tenant_id_idx on app.users
CREATE INDEX users_tenant_id_idx ON app.users USING btree (tenant_id);

-- create index audit.idx_audit_actor on audit.logs
CREATE INDEX idx_audit_actor ON audit.logs USING btree (actor_id);

-- create index audit.idx_audit_created on audit.logs
CREATE INDEX idx_audit_created ON audit.logs USING btree (created_at DESC);

-- create index audit.idx_audit_resource on audit.logs
CREATE INDEX idx_audit_resource ON audit.logs USING btree (resource_type, resource_id);

-- create index auth.idx_users_email on auth.users
CREATE INDEX idx_users_email ON auth.users USING btree (email);

-- create index documents.idx_documents_content_fts on documents.documents
CREATE INDEX idx_documents_content_fts ON documents.documents USING gin ((to_tsvector('english'::regconfig, content_text)));

-- create index documents.idx_documents_owner on documents.documents
CREATE INDEX idx_documents_owner ON documents.documents USING btree (owner_id);

-- create index documents.idx_documents_updated on documents.documents
CREATE INDEX idx_documents_updated ON documents.documents USING btree (updated_at DESC);

-- create index documents.idx_documents_workspace on documents.documents
CREATE INDEX idx_documents_workspace ON documents.documents USING btree (workspace_id);

-- create index workspaces.idx_members_user on workspaces.members
CREATE INDEX idx_members_user ON workspaces.members USING btree (user_id);

-- create index workspaces.idx_members_workspace on workspaces.members
CREATE INDEX idx_members_workspace ON workspaces.members USING btree (workspace_id);

-- comment on schema ai
COMMENT ON SCHEMA ai IS 'Aria: context, usage, preferences';

-- comment on schema analytics
COMMENT ON SCHEMA analytics IS 'Cross-service: metrics, events';

-- comment on schema app
COMMENT ON SCHEMA app IS 'AI chat and course platform (migrated from MongoDB)';

-- comment on schema audit
COMMENT ON SCHEMA audit IS 'Cross-service: audit logs';

-- comment on schema auth
COMMENT ON SCHEMA auth IS 'Users, sessions, permissions';

-- comment on schema collaboration
COMMENT ON SCHEMA collaboration IS 'Presence, operations, cursors';

-- comment on schema documents
COMMENT ON SCHEMA documents IS 'Documents, blocks, versions';

-- comment on schema workspaces
COMMENT ON SCHEMA workspaces IS 'Workspaces, teams, memberships';

-- comment on column app.conversations.agent_id
COMMENT ON COLUMN app.conversations.agent_id IS 'agents.id; kept without a foreign key, as in the source data';

-- comment on column app.memories.source
COMMENT ON COLUMN app.memories.source IS 'conversation | manual | import';

-- comment on column app.memories.source_id
COMMENT ON COLUMN app.memories.source_id IS 'the conversation a memory came from';

-- comment on column app.messages.parent_id
COMMENT ON COLUMN app.messages.parent_id IS 'the message this one replies to (branching reply tree)';

-- comment on column app.modules.video_provider
COMMENT ON COLUMN app.modules.video_provider IS 'youtube | vimeo | custom';

-- comment on column app.modules.duration
COMMENT ON COLUMN app.modules.duration IS 'seconds';

-- comment on column app.transactions.amount
COMMENT ON COLUMN app.transactions.amount IS 'in cents';

-- comment on column app.users.password
COMMENT ON COLUMN app.users.password IS 'NULL for OAuth accounts';

-- comment on column documents.documents.content_text
COMMENT ON COLUMN documents.documents.content_text IS 'For full-text search';
