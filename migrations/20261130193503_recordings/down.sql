-- cairn: recordings (down)
-- cairn:summary 9 statements: 1 create_table, 1 add_foreign_key, 1 grant, 2 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on column app.recordings.academy_module_id
COMMENT ON COLUMN app.recordings.academy_module_id IS NULL;

-- undo: comment on column app.recordings.duration
COMMENT ON COLUMN app.recordings.duration IS NULL;

-- undo: grant DELETE, INSERT, SELECT, UPDATE on table app.recordings to cairn_app
REVOKE DELETE, INSERT, SELECT, UPDATE ON TABLE app.recordings FROM cairn_app;

-- undo: add foreign key recordings_tenant_id_fkey on app.recordings
ALTER TABLE app.recordings DROP CONSTRAINT recordings_tenant_id_fkey;

-- undo: create table app.recordings
DROP TABLE app.recordings;
