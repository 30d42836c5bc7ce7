-- cairn: tenant_isolation (down)
-- cairn:summary 63 statements: 11 drop_foreign_key, 1 drop_unique, 1 create_role, 6 add_unique, 11 add_foreign_key, 1 alter_rls, 1 create_policy, 13 grant
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.users to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.users FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.transactions to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.transactions FROM cairn_app;

-- undo: grant SELECT, UPDATE on table app.tenants to cairn_app
REVOKE SELECT, UPDATE ON TABLE app.tenants FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.modules to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.modules FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.messages to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.messages FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.message_files to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.message_files FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.memories to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.memories FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.files to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.files FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.document_chunks to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.document_chunks FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.courses to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.courses FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.conversations to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.conversations FROM cairn_app;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.agents to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.agents FROM cairn_app;

-- undo: grant USAGE on schema app.app to cairn_app
REVOKE USAGE ON SCHEMA app FROM cairn_app;

-- undo: create policy tenant_isolation on app.tenants
DROP POLICY tenant_isolation ON app.tenants;

-- undo: force row level security on app.tenants
ALTER TABLE app.tenants NO FORCE ROW LEVEL SECURITY;

-- undo: enable row level security on app.tenants
ALTER TABLE app.tenants DISABLE ROW LEVEL SECURITY;

-- undo: add foreign key transactions_user_id_fkey on app.transactions, step 1: NOT VALID (no scan)
ALTER TABLE app.transactions DROP CONSTRAINT transactions_user_id_fkey;

-- undo: add foreign key modules_course_id_fkey on app.modules, step 1: NOT VALID (no scan)
ALTER TABLE app.modules DROP CONSTRAINT modules_course_id_fkey;

-- undo: add foreign key messages_parent_id_fkey on app.messages, step 1: NOT VALID (no scan)
ALTER TABLE app.messages DROP CONSTRAINT messages_parent_id_fkey;

-- undo: add foreign key messages_conversation_id_fkey on app.messages, step 1: NOT VALID (no scan)
ALTER TABLE app.messages DROP CONSTRAINT messages_conversation_id_fkey;

-- undo: add foreign key message_files_message_id_fkey on app.message_files, step 1: NOT VALID (no scan)
ALTER TABLE app.message_files DROP CONSTRAINT message_files_message_id_fkey;

-- undo: add foreign key message_files_file_id_fkey on app.message_files, step 1: NOT VALID (no scan)
ALTER TABLE app.message_files DROP CONSTRAINT message_files_file_id_fkey;

-- undo: add foreign key memories_user_id_fkey on app.memories, step 1: NOT VALID (no scan)
ALTER TABLE app.memories DROP CONSTRAINT memories_user_id_fkey;

-- undo: add foreign key files_user_id_fkey on app.files, step 1: NOT VALID (no scan)
ALTER TABLE app.files DROP CONSTRAINT files_user_id_fkey;

-- undo: add foreign key document_chunks_file_id_fkey on app.document_chunks, step 1: NOT VALID (no scan)
ALTER TABLE app.document_chunks DROP CONSTRAINT document_chunks_file_id_fkey;

-- undo: add foreign key conversations_user_id_fkey on app.conversations, step 1: NOT VALID (no scan)
ALTER TABLE app.conversations DROP CONSTRAINT conversations_user_id_fkey;

-- undo: add foreign key agents_created_by_fkey on app.agents, step 1: NOT VALID (no scan)
ALTER TABLE app.agents DROP CONSTRAINT agents_created_by_fkey;

-- undo: unique constraint users_tenant_id_id_key on app.users, step 2: attach the index as the constraint
ALTER TABLE app.users DROP CONSTRAINT users_tenant_id_id_key;

-- undo: unique constraint users_email_key on app.users, step 2: attach the index as the constraint
ALTER TABLE app.users DROP CONSTRAINT users_email_key;

-- undo: unique constraint messages_tenant_id_id_key on app.messages, step 2: attach the index as the constraint
ALTER TABLE app.messages DROP CONSTRAINT messages_tenant_id_id_key;

-- undo: unique constraint files_tenant_id_id_key on app.files, step 2: attach the index as the constraint
ALTER TABLE app.files DROP CONSTRAINT files_tenant_id_id_key;

-- undo: unique constraint courses_tenant_id_id_key on app.courses, step 2: attach the index as the constraint
ALTER TABLE app.courses DROP CONSTRAINT courses_tenant_id_id_key;

-- undo: unique constraint conversations_tenant_id_id_key on app.conversations, step 2: attach the index as the constraint
ALTER TABLE app.conversations DROP CONSTRAINT conversations_tenant_id_id_key;

-- undo: create role cairn_app
DROP ROLE cairn_app;

-- undo: drop unique constraint users_email_key of app.users
ALTER TABLE app.users ADD CONSTRAINT users_email_key UNIQUE (email);

-- undo: drop foreign key transactions_user_id_fkey of app.transactions
ALTER TABLE app.transactions ADD CONSTRAINT transactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- undo: drop foreign key modules_course_id_fkey of app.modules
ALTER TABLE app.modules ADD CONSTRAINT modules_course_id_fkey FOREIGN KEY (course_id) REFERENCES app.courses (id) ON DELETE CASCADE;

-- undo: drop foreign key messages_parent_id_fkey of app.messages
ALTER TABLE app.messages ADD CONSTRAINT messages_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app.messages (id);

-- undo: drop foreign key messages_conversation_id_fkey of app.messages
ALTER TABLE app.messages ADD CONSTRAINT messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES app.conversations (id) ON DELETE CASCADE;

-- undo: drop foreign key message_files_message_id_fkey of app.message_files
ALTER TABLE app.message_files ADD CONSTRAINT message_files_message_id_fkey FOREIGN KEY (message_id) REFERENCES app.messages (id) ON DELETE CASCADE;

-- undo: drop foreign key message_files_file_id_fkey of app.message_files
ALTER TABLE app.message_files ADD CONSTRAINT message_files_file_id_fkey FOREIGN KEY (file_id) REFERENCES app.files (id) ON DELETE CASCADE;

-- undo: drop foreign key memories_user_id_fkey of app.memories
ALTER TABLE app.memories ADD CONSTRAINT memories_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- undo: drop foreign key files_user_id_fkey of app.files
ALTER TABLE app.files ADD CONSTRAINT files_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- undo: drop foreign key document_chunks_file_id_fkey of app.document_chunks
ALTER TABLE app.document_chunks ADD CONSTRAINT document_chunks_file_id_fkey FOREIGN KEY (file_id) REFERENCES app.files (id) ON DELETE CASCADE;

-- undo: drop foreign key conversations_user_id_fkey of app.conversations
ALTER TABLE app.conversations ADD CONSTRAINT conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE;

-- undo: drop foreign key agents_created_by_fkey of app.agents
ALTER TABLE app.agents ADD CONSTRAINT agents_created_by_fkey FOREIGN KEY (created_by) REFERENCES app.users (id);
