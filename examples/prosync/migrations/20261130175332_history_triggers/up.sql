-- cairn: history_triggers (up)
-- cairn:summary 4 statements: 2 create_function, 2 create_trigger
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create function documents.record_document_history()
CREATE OR REPLACE FUNCTION documents.record_document_history()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  INSERT INTO documents.document_history (document_id, document_uploaded_at, operation, changed_by, old_data, new_data)
  VALUES (
    NEW.id,
    NEW.uploaded_at,
    CASE
    WHEN TG_OP = 'INSERT' THEN 'insert'
    WHEN TG_OP = 'DELETE' THEN 'delete'
    WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'delete'
    WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore'
    ELSE 'update'
  END,
    coalesce(NEW.updated_by, NEW.uploaded_by),
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
    to_jsonb(NEW)
  );
  RETURN NULL;
END
$function$;

-- create function projects.record_project_history()
CREATE OR REPLACE FUNCTION projects.record_project_history()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  INSERT INTO projects.project_history (project_id, operation, changed_by, old_data, new_data)
  VALUES (
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    CASE
    WHEN TG_OP = 'INSERT' THEN 'insert'
    WHEN TG_OP = 'DELETE' THEN 'delete'
    WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'delete'
    WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore'
    ELSE 'update'
  END,
    CASE WHEN TG_OP = 'DELETE' THEN OLD.updated_by ELSE coalesce(NEW.updated_by, NEW.owner_id) END,
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END
  );
  RETURN NULL;
END
$function$;

-- create trigger record_document_history on documents.documents
CREATE TRIGGER record_document_history AFTER INSERT OR UPDATE ON documents.documents FOR EACH ROW EXECUTE FUNCTION documents.record_document_history();

-- create trigger record_project_history on projects.projects
CREATE TRIGGER record_project_history AFTER INSERT OR UPDATE ON projects.projects FOR EACH ROW EXECUTE FUNCTION projects.record_project_history();
