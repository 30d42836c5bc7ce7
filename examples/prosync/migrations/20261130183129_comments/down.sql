-- cairn: comments (down)
-- cairn:summary 7 statements: 7 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on view staging.rejected_documents
COMMENT ON VIEW staging.rejected_documents IS NULL;

-- undo: comment on view staging.pending_documents
COMMENT ON VIEW staging.pending_documents IS NULL;

-- undo: comment on materialized view projects.onboarding_project_summary
COMMENT ON MATERIALIZED VIEW projects.onboarding_project_summary IS NULL;

-- undo: comment on view documents.active_documents
COMMENT ON VIEW documents.active_documents IS NULL;

-- undo: comment on view audit.audit_trail_by_project
COMMENT ON VIEW audit.audit_trail_by_project IS NULL;

-- undo: comment on function projects.record_project_history()
COMMENT ON FUNCTION projects.record_project_history() IS NULL;

-- undo: comment on function documents.record_document_history()
COMMENT ON FUNCTION documents.record_document_history() IS NULL;
