-- cairn: recordings (up)
-- cairn:summary 9 statements: 1 create_table, 1 add_foreign_key, 1 grant, 2 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create table app.recordings
CREATE TABLE app.recordings (
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  tenant_id uuid NOT NULL,
  stream_call_id text,
  stream_recording_url text,
  do_spaces_url text,
  do_spaces_key text,
  duration integer,
  participants jsonb,
  transcript_text text,
  transcript_url text,
  thumbnail_url text,
  posted_to_academy boolean,
  academy_module_id text,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT recordings_pkey PRIMARY KEY (id)
);

-- add foreign key recordings_tenant_id_fkey on app.recordings
ALTER TABLE app.recordings ADD CONSTRAINT recordings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES app.tenants (id) ON DELETE CASCADE;

-- create index app.recordings_tenant_id_idx on app.recordings
CREATE INDEX recordings_tenant_id_idx ON app.recordings USING btree (tenant_id);

-- enable row level security on app.recordings
ALTER TABLE app.recordings ENABLE ROW LEVEL SECURITY;

-- force row level security on app.recordings
ALTER TABLE app.recordings FORCE ROW LEVEL SECURITY;

-- create policy tenant_isolation on app.recordings
CREATE POLICY tenant_isolation ON app.recordings TO PUBLIC USING ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid)) WITH CHECK ((tenant_id = (current_setting('app.current_tenant_id'::text))::uuid));

-- grant DELETE, INSERT, SELECT, UPDATE on table app.recordings to cairn_app
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE app.recordings TO cairn_app;

-- comment on column app.recordings.duration
COMMENT ON COLUMN app.recordings.duration IS 'seconds';

-- comment on column app.recordings.academy_module_id
COMMENT ON COLUMN app.recordings.academy_module_id IS 'modules.id of the academy module it was posted to; kept without a foreign key, as in the source data';
