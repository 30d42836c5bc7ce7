/**
 * The history tables filled by the database itself: an AFTER row trigger on projects and on
 * documents records every insert, update and soft delete (or restore) with the row before and
 * after and who made it (`updated_by`, else `uploaded_by` / `owner_id`).
 */
import { fn, trigger } from '../../../src/dsl/index.js'
import { documents } from './documents.js'
import { projects } from './projects.js'

/** The operation a change is recorded as: a soft delete or restore is an update of `deleted_at`. */
const operation = `CASE
    WHEN TG_OP = 'INSERT' THEN 'insert'
    WHEN TG_OP = 'DELETE' THEN 'delete'
    WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'delete'
    WHEN OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN 'restore'
    ELSE 'update'
  END`

export const recordProjectHistory = fn('projects', 'record_project_history', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  INSERT INTO projects.project_history (project_id, operation, changed_by, old_data, new_data)
  VALUES (
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
    ${operation},
    CASE WHEN TG_OP = 'DELETE' THEN OLD.updated_by ELSE coalesce(NEW.updated_by, NEW.owner_id) END,
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END
  );
  RETURN NULL;
END
`,
  comment: 'Records a change of projects.projects in projects.project_history',
})

export const projectHistoryTrigger = trigger(projects, 'record_project_history', {
  timing: 'after',
  events: ['insert', 'update'],
  function: recordProjectHistory,
})

export const recordDocumentHistory = fn('documents', 'record_document_history', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
BEGIN
  INSERT INTO documents.document_history (document_id, document_uploaded_at, operation, changed_by, old_data, new_data)
  VALUES (
    NEW.id,
    NEW.uploaded_at,
    ${operation},
    coalesce(NEW.updated_by, NEW.uploaded_by),
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
    to_jsonb(NEW)
  );
  RETURN NULL;
END
`,
  comment: 'Records a change of documents.documents in documents.document_history',
})

export const documentHistoryTrigger = trigger(documents, 'record_document_history', {
  timing: 'after',
  events: ['insert', 'update'],
  function: recordDocumentHistory,
})
