-- cairn: comments (up)
-- cairn:summary 1 statement: 1 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- comment on function public.update_application_count()
COMMENT ON FUNCTION public.update_application_count() IS 'Keeps "Listing"."applicationCount" equal to the number of its applications';
