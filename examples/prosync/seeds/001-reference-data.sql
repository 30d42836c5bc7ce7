-- Reference (lookup) data: access roles, MIME types, the default storage bucket and common tags.
-- Idempotent upserts: a changed file runs again and brings the rows up to date.
INSERT INTO projects.access_role_reference (id, code, name, description, can_edit, can_manage_access)
OVERRIDING SYSTEM VALUE
VALUES
  (1, 'owner', 'Owner', 'Full control, including access management', true, true),
  (2, 'editor', 'Editor', 'Uploads and edits documents', true, false),
  (3, 'viewer', 'Viewer', 'Reads projects and documents', false, false)
ON CONFLICT (id) DO UPDATE
   SET code = EXCLUDED.code, name = EXCLUDED.name, description = EXCLUDED.description,
       can_edit = EXCLUDED.can_edit, can_manage_access = EXCLUDED.can_manage_access;
SELECT setval(pg_get_serial_sequence('projects.access_role_reference', 'id'), greatest(3, (SELECT max(id) FROM projects.access_role_reference)));

INSERT INTO documents.filetype_reference (id, mime_type, extension, description, previewable)
OVERRIDING SYSTEM VALUE
VALUES
  (1, 'application/pdf', 'pdf', 'PDF document', true),
  (2, 'image/png', 'png', 'PNG image', true),
  (3, 'image/jpeg', 'jpg', 'JPEG image', true),
  (4, 'text/plain', 'txt', 'Plain text', true),
  (5, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx', 'Word document', false),
  (6, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx', 'Excel workbook', false)
ON CONFLICT (id) DO UPDATE
   SET mime_type = EXCLUDED.mime_type, extension = EXCLUDED.extension,
       description = EXCLUDED.description, previewable = EXCLUDED.previewable;
SELECT setval(pg_get_serial_sequence('documents.filetype_reference', 'id'), greatest(6, (SELECT max(id) FROM documents.filetype_reference)));

INSERT INTO documents.storage_reference (id, provider, bucket, region, is_default)
OVERRIDING SYSTEM VALUE
VALUES (1, 's3', 'prosync-documents', 'eu-west-1', true)
ON CONFLICT (id) DO UPDATE
   SET provider = EXCLUDED.provider, bucket = EXCLUDED.bucket, region = EXCLUDED.region, is_default = EXCLUDED.is_default;
SELECT setval(pg_get_serial_sequence('documents.storage_reference', 'id'), greatest(1, (SELECT max(id) FROM documents.storage_reference)));

INSERT INTO projects.tag_reference (name, category)
VALUES ('draft', 'status'), ('final', 'status'), ('contract', 'type'), ('design', 'type'), ('internal', 'visibility'), ('client', 'visibility')
ON CONFLICT (category, name) DO NOTHING;
