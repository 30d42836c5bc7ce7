-- cairn: tenant_isolation (up)
-- cairn:summary 63 statements: 11 drop_foreign_key, 1 drop_unique, 1 create_role, 6 add_unique, 11 add_foreign_key, 1 alter_rls, 1 create_policy, 13 grant
-- cairn:transaction per-statement
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- drop foreign key agents_created_by_fkey of app.agents
ALTER TABLE app.agents DROP CONSTRAINT agents_created_by_fkey;

-- drop foreign key conversations_user_id_fkey of app.conversations
ALTER TABLE app.conversations DROP CONSTRAINT conversations_user_id_fkey;

-- drop foreign key document_chunks_file_id_fkey of app.document_chunks
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_file_id_fkey;

-- drop foreign key files_user_id_fkey of app.files
ALTER TABLE app.files DROP CONSTRAINT files_user_id_fkey;

-- drop foreign key memories_user_id_fkey of app.memories
ALTER TABLE app.memories DROP CONSTRAINT memories_user_id_fkey;

-- drop foreign key message_files_file_id_fkey of app.message_files
ALTER TABLE app.message_files DROP CONSTRAINT message_files_file_id_fkey;

-- drop foreign key message_files_message_id_fkey of app.message_files
ALTER TABLE app.message_files DROP CONSTRAINT message_files_message_id_fkey;

-- drop foreign key messages_conversation_id_fkey of app.messages
ALTER TABLE app.messages DROP CONSTRAINT messages_conversation_id_fkey;

-- drop foreign key messages_parent_id_fkey of app.messages
ALTER TABLE app.messages DROP CONSTRAINT messages_parent_id_fkey;

-- drop foreign key modules_course_id_fkey of app.modules
ALTER TABLE app.modules DROP CONSTRAINT modules_course_id_fkey;

-- drop foreign key transactions_user_id_fkey of app.transactions
ALTER TABLE app.transactions DROP CONSTRAINT transactions_user_id_fkey;

-- drop unique constraint users_email_key of app.users
ALTER TABLE app.users DROP CONSTRAINT users_email_key;

-- create role cairn_app
DO $cairn$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cairn_app') THEN
    CREATE ROLE cairn_app NOLOGIN INHERIT NOBYPASSRLS;
  END IF;
END $cairn$;

-- unique constraint conversations_tenant_id_id_key on app.conversations, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY conversations_tenant_id_id_key ON app.conversations USING btree (tenant_id, id);

-- unique constraint conversations_tenant_id_id_key on app.conversations, step 2: attach the index as the constraint
ALTER TABLE app.conversations ADD CONSTRAINT conversations_tenant_id_id_key UNIQUE USING INDEX conversations_tenant_id_id_key;

-- unique constraint courses_tenant_id_id_key on app.courses, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY courses_tenant_id_id_key ON app.courses USING btree (tenant_id, id);

-- unique constraint courses_tenant_id_id_key on app.courses, step 2: attach the index as the constraint
ALTER TABLE app.courses ADD CONSTRAINT courses_tenant_id_id_key UNIQUE USING INDEX courses_tenant_id_id_key;

-- unique constraint files_tenant_id_id_key on app.files, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY files_tenant_id_id_key ON app.files USING btree (tenant_id, id);

-- unique constraint files_tenant_id_id_key on app.files, step 2: attach the index as the constraint
ALTER TABLE app.files ADD CONSTRAINT files_tenant_id_id_key UNIQUE USING INDEX files_tenant_id_id_key;

-- unique constraint messages_tenant_id_id_key on app.messages, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY messages_tenant_id_id_key ON app.messages USING btree (tenant_id, id);

-- unique constraint messages_tenant_id_id_key on app.messages, step 2: attach the index as the constraint
ALTER TABLE app.messages ADD CONSTRAINT messages_tenant_id_id_key UNIQUE USING INDEX messages_tenant_id_id_key;

-- unique constraint users_email_key on app.users, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON app.users USING btree (tenant_id, email);

-- unique constraint users_email_key on app.users, step 2: attach the index as the constraint
ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- unique constraint users_tenant_id_id_key on app.users, step 1: build its unique index concurrently
-- cairn:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY users_tenant_id_id_key ON app.users USING btree (tenant_id, id);

-- unique constraint users_tenant_id_id_key on app.users, step 2: attach the index as the constraint
ALTER TABLE app.users ADD CONSTRAINT users_tenant_id_id_key UNIQUE USING INDEX users_tenant_id_id_key;

-- add foreign key agents_created_by_fkey on app.agents, step 1: NOT VALID (no scan)
ALTER TABLE app.agents ADD CONSTRAINT agents_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES app.users (tenant_id, id) NOT VALID;

-- add foreign key agents_created_by_fkey on app.agents, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.agents VALIDATE CONSTRAINT agents_created_by_fkey;

-- add foreign key conversations_user_id_fkey on app.conversations, step 1: NOT VALID (no scan)
ALTER TABLE app.conversations ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key conversations_user_id_fkey on app.conversations, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.conversations VALIDATE CONSTRAINT conversations_user_id_fkey;

-- add foreign key document_chunks_file_id_fkey on app.document_chunks, step 1: NOT VALID (no scan)
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_file_id_fkey FOREIGN KEY (tenant_id, file_id) REFERENCES app.files (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key document_chunks_file_id_fkey on app.document_chunks, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.document_chunks VALIDATE CONSTRAINT document_chunks_file_id_fkey;

-- add foreign key files_user_id_fkey on app.files, step 1: NOT VALID (no scan)
ALTER TABLE app.files ADD CONSTRAINT files_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key files_user_id_fkey on app.files, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.files VALIDATE CONSTRAINT files_user_id_fkey;

-- add foreign key memories_user_id_fkey on app.memories, step 1: NOT VALID (no scan)
ALTER TABLE app.memories ADD CONSTRAINT memories_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key memories_user_id_fkey on app.memories, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.memories VALIDATE CONSTRAINT memories_user_id_fkey;

-- add foreign key message_files_file_id_fkey on app.message_files, step 1: NOT VALID (no scan)
ALTER TABLE app.message_files ADD CONSTRAINT message_files_file_id_fkey FOREIGN KEY (tenant_id, file_id) REFERENCES app.files (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key message_files_file_id_fkey on app.message_files, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.message_files VALIDATE CONSTRAINT message_files_file_id_fkey;

-- add foreign key message_files_message_id_fkey on app.message_files, step 1: NOT VALID (no scan)
ALTER TABLE app.message_files ADD CONSTRAINT message_files_message_id_fkey FOREIGN KEY (tenant_id, message_id) REFERENCES app.messages (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key message_files_message_id_fkey on app.message_files, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.message_files VALIDATE CONSTRAINT message_files_message_id_fkey;

-- add foreign key messages_conversation_id_fkey on app.messages, step 1: NOT VALID (no scan)
ALTER TABLE app.messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES app.conversations (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key messages_conversation_id_fkey on app.messages, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.messages VALIDATE CONSTRAINT messages_conversation_id_fkey;

-- add foreign key messages_parent_id_fkey on app.messages, step 1: NOT VALID (no scan)
ALTER TABLE app.messages ADD CONSTRAINT messages_parent_id_fkey FOREIGN KEY (tenant_id, parent_id) REFERENCES app.messages (tenant_id, id) NOT VALID;

-- add foreign key messages_parent_id_fkey on app.messages, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.messages VALIDATE CONSTRAINT messages_parent_id_fkey;

-- add foreign key modules_course_id_fkey on app.modules, step 1: NOT VALID (no scan)
ALTER TABLE app.modules ADD CONSTRAINT modules_course_id_fkey FOREIGN KEY (tenant_id, course_id) REFERENCES app.courses (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key modules_course_id_fkey on app.modules, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.modules VALIDATE CONSTRAINT modules_course_id_fkey;

-- add foreign key transactions_user_id_fkey on app.transactions, step 1: NOT VALID (no scan)
ALTER TABLE app.transactions ADD CONSTRAINT transactions_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES app.users (tenant_id, id) ON DELETE CASCADE NOT VALID;

-- add foreign key transactions_user_id_fkey on app.transactions, step 2: validate in its own transaction (scans without blocking writes)
-- cairn:no-transaction
ALTER TABLE app.transactions VALIDATE CONSTRAINT transactions_user_id_fkey;

-- enable row level security on app.tenants
ALTER TABLE app.tenants ENABLE ROW LEVEL SECURITY;

-- force row level security on app.tenants
ALTER TABLE app.tenants FORCE ROW LEVEL SECURITY;

-- create policy tenant_isolation on app.tenants
CREATE POLICY tenant_isolation ON app.tenants TO PUBLIC USING ((id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((id = (current_setting('app.current_tenant_id'::text))::uuid));

-- grant USAGE on schema app.app to cairn_app
GRANT USAGE ON SCHEMA app TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.agents to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.agents TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.conversations to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.conversations TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.courses to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.courses TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.document_chunks to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.document_chunks TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.files to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.files TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.memories to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.memories TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.message_files to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.message_files TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.messages to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.messages TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.modules to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.modules TO cairn_app;

-- grant SELECT, UPDATE on table app.tenants to cairn_app
GRANT SELECT, UPDATE ON TABLE app.tenants TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.transactions to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.transactions TO cairn_app;

-- grant DELETE, INSERT, SELECT, UPDATE on table app.users to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.users TO cairn_app;
