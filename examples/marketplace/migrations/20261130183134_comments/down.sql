-- cairn: comments (down)
-- cairn:summary 1 statement: 1 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on function public.update_application_count()
COMMENT ON FUNCTION public.update_application_count() IS NULL;
