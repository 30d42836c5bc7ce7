-- cairn: initial (up)
-- cairn:summary 34 statements: 1 create_schema, 1 create_extension, 2 create_enum, 4 create_table, 5 add_foreign_key, 4 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create schema app
CREATE SCHEMA app;

-- create extension vector
CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;

-- create enum app.tier
CREATE TYPE app.tier AS ENUM ('free', 'pro', 'admin');

-- create enum app.user_role
CREATE TYPE app.user_role AS ENUM ('user', 'admin');

-- create table app.document_chunks
CREATE TABLE app.document_chunks (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  file_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  content text NOT NULL,
  embedding public.vector(1536),
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
  CONSTRAINT files_pkey PRIMARY KEY (id),
  CONSTRAINT files_tenant_id_id_key UNIQUE (tenant_id, id)
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
  CONSTRAINT users_email_key UNIQUE (tenant_id, email),
  CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id)
);

-- add foreign key document_chunks_file_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_file_id_fkey FOREIGN KEY (tenant_id, file_id) REFERENCES app.files (tenant_id, id) ON DELETE CASCADE;

-- add foreign key document_chunks_tenant_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key files_tenant_id_fkey on app.files
ALTER TABLE app.files ADD CONSTRAINT files_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- add foreign key files_user_id_fkey on app.files
ALTER TABLE app.files ADD CONSTRAINT files_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE;

-- add foreign key users_tenant_id_fkey on app.users
ALTER TABLE app.users ADD CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- create index app.document_chunks_embedding_idx on app.document_chunks
CREATE INDEX document_chunks_embedding_idx ON app.document_chunks USING ivfflat (embedding public.vector_cosine_ops) WITH (lists=100);

-- create index app.document_chunks_tenant_id_idx on app.document_chunks
CREATE INDEX document_chunks_tenant_id_idx ON app.document_chunks USING btree (tenant_id);

-- create index app.files_tenant_id_idx on app.files
CREATE INDEX files_tenant_id_idx ON app.files USING btree (tenant_id);

-- create index app.files_user_id_idx on app.files
CREATE INDEX files_user_id_idx ON app.files USING btree (user_id);

-- create index app.users_tenant_id_idx on app.users
CREATE INDEX users_tenant_id_idx ON app.users USING btree (tenant_id);

-- enable row level security on app.document_chunks
ALTER TABLE app.document_chunks ENABLE ROW LEVEL SECURITY;

-- force row level security on app.document_chunks
ALTER TABLE app.document_chunks FORCE ROW LEVEL SECURITY;

-- enable row level security on app.files
ALTER TABLE app.files ENABLE ROW LEVEL SECURITY;

-- force row level security on app.files
ALTER TABLE app.files FORCE ROW LEVEL SECURITY;

-- enable row level security on app.tenants
ALTER TABLE app.tenants ENABLE ROW LEVEL SECURITY;

-- force row level security on app.tenants
ALTER TABLE app.tenants FORCE ROW LEVEL SECURITY;

-- enable row level security on app.users
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

-- force row level security on app.users
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;

-- create policy tenant_isolation on app.document_chunks
CREATE POLICY tenant_isolation ON app.document_chunks TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.files
CREATE POLICY tenant_isolation ON app.files TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.tenants
CREATE POLICY tenant_isolation ON app.tenants TO PUBLIC USING ((id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((id = (current_setting('app.current_tenant_id'::text))::uuid));

-- create policy tenant_isolation on app.users
CREATE POLICY tenant_isolation ON app.users TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- comment on schema app
COMMENT ON SCHEMA app IS 'AI chat and course platform: retrieval (RAG) tables';

-- comment on column app.document_chunks.embedding
COMMENT ON COLUMN app.document_chunks.embedding IS 'OpenAI embedding; NULL until the file is embedded';

-- comment on column app.files.storage_provider
COMMENT ON COLUMN app.files.storage_provider IS 'vercel_blob | r2';

-- comment on column app.users.password
COMMENT ON COLUMN app.users.password IS 'NULL for OAuth accounts';
