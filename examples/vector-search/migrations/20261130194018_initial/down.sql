-- cairn: initial (down)
-- cairn:summary 34 statements: 1 create_schema, 1 create_extension, 2 create_enum, 4 create_table, 5 add_foreign_key, 4 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on column app.users.password
COMMENT ON COLUMN app.users.password IS NULL;

-- undo: comment on column app.files.storage_provider
COMMENT ON COLUMN app.files.storage_provider IS NULL;

-- undo: comment on column app.document_chunks.embedding
COMMENT ON COLUMN app.document_chunks.embedding IS NULL;

-- undo: comment on schema app
COMMENT ON SCHEMA app IS NULL;

-- undo: add foreign key users_tenant_id_fkey on app.users
ALTER TABLE app.users DROP CONSTRAINT users_tenant_id_fkey;

-- undo: add foreign key files_user_id_fkey on app.files
ALTER TABLE app.files DROP CONSTRAINT files_user_id_fkey;

-- undo: add foreign key files_tenant_id_fkey on app.files
ALTER TABLE app.files DROP CONSTRAINT files_tenant_id_fkey;

-- undo: add foreign key document_chunks_tenant_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_tenant_id_fkey;

-- undo: add foreign key document_chunks_file_id_fkey on app.document_chunks
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_file_id_fkey;

-- undo: create table app.users
DROP TABLE app.users;

-- undo: create table app.tenants
DROP TABLE app.tenants;

-- undo: create table app.files
DROP TABLE app.files;

-- undo: create table app.document_chunks
DROP TABLE app.document_chunks;

-- undo: create enum app.user_role
DROP TYPE app.user_role;

-- undo: create enum app.tier
DROP TYPE app.tier;

-- undo: create extension vector
DROP EXTENSION vector;

-- undo: create schema app
DROP SCHEMA app;
