-- cairn: view_comments (up)
-- cairn:summary 3 statements: 3 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- comment on view documents.active_documents
COMMENT ON VIEW documents.active_documents IS 'Documents that are not soft-deleted';

-- comment on view documents.pending_documents
COMMENT ON VIEW documents.pending_documents IS 'Live documents still in draft';

-- comment on materialized view documents.workspace_document_stats
COMMENT ON MATERIALIZED VIEW documents.workspace_document_stats IS 'Document counts per workspace';
