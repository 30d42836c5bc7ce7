-- cairn: comments (up)
-- cairn:summary 7 statements: 7 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- comment on function documents.record_document_history()
COMMENT ON FUNCTION documents.record_document_history() IS 'Records a change of documents.documents in documents.document_history';

-- comment on function projects.record_project_history()
COMMENT ON FUNCTION projects.record_project_history() IS 'Records a change of projects.projects in projects.project_history';

-- comment on view audit.audit_trail_by_project
COMMENT ON VIEW audit.audit_trail_by_project IS 'Audit logs joined with project metadata';

-- comment on view documents.active_documents
COMMENT ON VIEW documents.active_documents IS 'Documents that are not soft-deleted';

-- comment on materialized view projects.onboarding_project_summary
COMMENT ON MATERIALIZED VIEW projects.onboarding_project_summary IS 'Project, document and participant counts per project';

-- comment on view staging.pending_documents
COMMENT ON VIEW staging.pending_documents IS 'Operational dashboard: uploads not yet validated';

-- comment on view staging.rejected_documents
COMMENT ON VIEW staging.rejected_documents IS 'Operational dashboard: rejected uploads and why';
