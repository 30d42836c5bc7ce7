-- cairn: history_triggers (down)
-- cairn:summary 4 statements: 2 create_function, 2 create_trigger
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: create trigger record_project_history on projects.projects
DROP TRIGGER record_project_history ON projects.projects;

-- undo: create trigger record_document_history on documents.documents
DROP TRIGGER record_document_history ON documents.documents;

-- undo: create function projects.record_project_history()
DROP FUNCTION projects.record_project_history();

-- undo: create function documents.record_document_history()
DROP FUNCTION documents.record_document_history();
