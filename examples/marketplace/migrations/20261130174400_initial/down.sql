-- cairn: initial (down)
-- cairn:summary 186 statements: 13 create_enum, 14 create_sequence, 31 create_table, 1 create_function, 31 add_foreign_key, 2 create_view, 1 create_trigger, 31 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- undo: comment on column public."userrole"."accountid"
COMMENT ON COLUMN public."UserRole"."accountId" IS NULL;

-- undo: comment on column public."userprofile".completeness
COMMENT ON COLUMN public."UserProfile".completeness IS NULL;

-- undo: comment on column public."userprofile".experience
COMMENT ON COLUMN public."UserProfile".experience IS NULL;

-- undo: comment on column public."userpermission"."accountid"
COMMENT ON COLUMN public."UserPermission"."accountId" IS NULL;

-- undo: comment on column public."userpermission".granted
COMMENT ON COLUMN public."UserPermission".granted IS NULL;

-- undo: comment on column public."tenant".identifier
COMMENT ON COLUMN public."Tenant".identifier IS NULL;

-- undo: comment on column public."permission".name
COMMENT ON COLUMN public."Permission".name IS NULL;

-- undo: comment on column public."mediafile".metadata
COMMENT ON COLUMN public."MediaFile".metadata IS NULL;

-- undo: comment on column public."mediafile".size
COMMENT ON COLUMN public."MediaFile".size IS NULL;

-- undo: comment on column public."listing".location
COMMENT ON COLUMN public."Listing".location IS NULL;

-- undo: comment on column public."content".body
COMMENT ON COLUMN public."Content".body IS NULL;

-- undo: comment on column public."booking".recurrence
COMMENT ON COLUMN public."Booking".recurrence IS NULL;

-- undo: comment on column public."booking"."resourceid"
COMMENT ON COLUMN public."Booking"."resourceId" IS NULL;

-- undo: comment on column public."availability".available
COMMENT ON COLUMN public."Availability".available IS NULL;

-- undo: comment on column public."availability"."endtime"
COMMENT ON COLUMN public."Availability"."endTime" IS NULL;

-- undo: comment on column public."availability"."starttime"
COMMENT ON COLUMN public."Availability"."startTime" IS NULL;

-- undo: comment on column public."availability".date
COMMENT ON COLUMN public."Availability".date IS NULL;

-- undo: comment on column public."availability"."dayofweek"
COMMENT ON COLUMN public."Availability"."dayOfWeek" IS NULL;

-- undo: comment on column public."auditlog"."resourceid"
COMMENT ON COLUMN public."AuditLog"."resourceId" IS NULL;

-- undo: comment on column public."auditlog".resource
COMMENT ON COLUMN public."AuditLog".resource IS NULL;

-- undo: comment on column public."auditlog".action
COMMENT ON COLUMN public."AuditLog".action IS NULL;

-- undo: comment on table public."auditlog"
COMMENT ON TABLE public."AuditLog" IS NULL;

-- undo: comment on column public."application".answers
COMMENT ON COLUMN public."Application".answers IS NULL;

-- undo: comment on column public."activity"."targetid"
COMMENT ON COLUMN public."Activity"."targetId" IS NULL;

-- undo: comment on column public."activity".target
COMMENT ON COLUMN public."Activity".target IS NULL;

-- undo: comment on column public."activity".type
COMMENT ON COLUMN public."Activity".type IS NULL;

-- undo: comment on column public."accountuser".role
COMMENT ON COLUMN public."AccountUser".role IS NULL;

-- undo: comment on column public."account".limits
COMMENT ON COLUMN public."Account".limits IS NULL;

-- undo: comment on column public."account".features
COMMENT ON COLUMN public."Account".features IS NULL;

-- undo: comment on column public."account"."businessinfo"
COMMENT ON COLUMN public."Account"."businessInfo" IS NULL;

-- undo: comment on column public."account".identifier
COMMENT ON COLUMN public."Account".identifier IS NULL;

-- undo: create trigger application_count_trigger on public.Application
DROP TRIGGER application_count_trigger ON public."Application";

-- undo: create view public.UserWithProfile
DROP VIEW public."UserWithProfile";

-- undo: create view public.ListingWithStats
DROP VIEW public."ListingWithStats";

-- undo: add foreign key _PermissionToRole_B_fkey on public._PermissionToRole
ALTER TABLE public."_PermissionToRole" DROP CONSTRAINT "_PermissionToRole_B_fkey";

-- undo: add foreign key _PermissionToRole_A_fkey on public._PermissionToRole
ALTER TABLE public."_PermissionToRole" DROP CONSTRAINT "_PermissionToRole_A_fkey";

-- undo: add foreign key UserRole_userId_fkey on public.UserRole
ALTER TABLE public."UserRole" DROP CONSTRAINT "UserRole_userId_fkey";

-- undo: add foreign key UserRole_roleId_fkey on public.UserRole
ALTER TABLE public."UserRole" DROP CONSTRAINT "UserRole_roleId_fkey";

-- undo: add foreign key UserProfile_userId_fkey on public.UserProfile
ALTER TABLE public."UserProfile" DROP CONSTRAINT "UserProfile_userId_fkey";

-- undo: add foreign key UserPermission_userId_fkey on public.UserPermission
ALTER TABLE public."UserPermission" DROP CONSTRAINT "UserPermission_userId_fkey";

-- undo: add foreign key UserPermission_permissionId_fkey on public.UserPermission
ALTER TABLE public."UserPermission" DROP CONSTRAINT "UserPermission_permissionId_fkey";

-- undo: add foreign key User_tenantId_fkey on public.User
ALTER TABLE public."User" DROP CONSTRAINT "User_tenantId_fkey";

-- undo: add foreign key Role_tenantId_fkey on public.Role
ALTER TABLE public."Role" DROP CONSTRAINT "Role_tenantId_fkey";

-- undo: add foreign key MediaFile_uploaderId_fkey on public.MediaFile
ALTER TABLE public."MediaFile" DROP CONSTRAINT "MediaFile_uploaderId_fkey";

-- undo: add foreign key MediaFile_tenantId_fkey on public.MediaFile
ALTER TABLE public."MediaFile" DROP CONSTRAINT "MediaFile_tenantId_fkey";

-- undo: add foreign key Listing_userId_fkey on public.Listing
ALTER TABLE public."Listing" DROP CONSTRAINT "Listing_userId_fkey";

-- undo: add foreign key Listing_tenantId_fkey on public.Listing
ALTER TABLE public."Listing" DROP CONSTRAINT "Listing_tenantId_fkey";

-- undo: add foreign key Listing_accountId_fkey on public.Listing
ALTER TABLE public."Listing" DROP CONSTRAINT "Listing_accountId_fkey";

-- undo: add foreign key Content_userId_fkey on public.Content
ALTER TABLE public."Content" DROP CONSTRAINT "Content_userId_fkey";

-- undo: add foreign key Content_tenantId_fkey on public.Content
ALTER TABLE public."Content" DROP CONSTRAINT "Content_tenantId_fkey";

-- undo: add foreign key Content_accountId_fkey on public.Content
ALTER TABLE public."Content" DROP CONSTRAINT "Content_accountId_fkey";

-- undo: add foreign key Booking_tenantId_fkey on public.Booking
ALTER TABLE public."Booking" DROP CONSTRAINT "Booking_tenantId_fkey";

-- undo: add foreign key Booking_resourceId_fkey on public.Booking
ALTER TABLE public."Booking" DROP CONSTRAINT "Booking_resourceId_fkey";

-- undo: add foreign key Booking_clientId_fkey on public.Booking
ALTER TABLE public."Booking" DROP CONSTRAINT "Booking_clientId_fkey";

-- undo: add foreign key Availability_userId_fkey on public.Availability
ALTER TABLE public."Availability" DROP CONSTRAINT "Availability_userId_fkey";

-- undo: add foreign key AuditLog_userId_fkey on public.AuditLog
ALTER TABLE public."AuditLog" DROP CONSTRAINT "AuditLog_userId_fkey";

-- undo: add foreign key AuditLog_tenantId_fkey on public.AuditLog
ALTER TABLE public."AuditLog" DROP CONSTRAINT "AuditLog_tenantId_fkey";

-- undo: add foreign key Application_tenantId_fkey on public.Application
ALTER TABLE public."Application" DROP CONSTRAINT "Application_tenantId_fkey";

-- undo: add foreign key Application_listingId_fkey on public.Application
ALTER TABLE public."Application" DROP CONSTRAINT "Application_listingId_fkey";

-- undo: add foreign key Application_applicantId_fkey on public.Application
ALTER TABLE public."Application" DROP CONSTRAINT "Application_applicantId_fkey";

-- undo: add foreign key Activity_userId_fkey on public.Activity
ALTER TABLE public."Activity" DROP CONSTRAINT "Activity_userId_fkey";

-- undo: add foreign key Activity_tenantId_fkey on public.Activity
ALTER TABLE public."Activity" DROP CONSTRAINT "Activity_tenantId_fkey";

-- undo: add foreign key AccountUser_userId_fkey on public.AccountUser
ALTER TABLE public."AccountUser" DROP CONSTRAINT "AccountUser_userId_fkey";

-- undo: add foreign key AccountUser_accountId_fkey on public.AccountUser
ALTER TABLE public."AccountUser" DROP CONSTRAINT "AccountUser_accountId_fkey";

-- undo: add foreign key Account_tenantId_fkey on public.Account
ALTER TABLE public."Account" DROP CONSTRAINT "Account_tenantId_fkey";

-- undo: create function public.update_application_count()
DROP FUNCTION public.update_application_count();

-- undo: sequence public.User_id_seq is owned by its column
ALTER SEQUENCE public."User_id_seq" OWNED BY NONE;

-- undo: sequence public.UserProfile_id_seq is owned by its column
ALTER SEQUENCE public."UserProfile_id_seq" OWNED BY NONE;

-- undo: sequence public.Tenant_id_seq is owned by its column
ALTER SEQUENCE public."Tenant_id_seq" OWNED BY NONE;

-- undo: sequence public.Role_id_seq is owned by its column
ALTER SEQUENCE public."Role_id_seq" OWNED BY NONE;

-- undo: sequence public.Permission_id_seq is owned by its column
ALTER SEQUENCE public."Permission_id_seq" OWNED BY NONE;

-- undo: sequence public.MediaFile_id_seq is owned by its column
ALTER SEQUENCE public."MediaFile_id_seq" OWNED BY NONE;

-- undo: sequence public.Listing_id_seq is owned by its column
ALTER SEQUENCE public."Listing_id_seq" OWNED BY NONE;

-- undo: sequence public.Content_id_seq is owned by its column
ALTER SEQUENCE public."Content_id_seq" OWNED BY NONE;

-- undo: sequence public.Booking_id_seq is owned by its column
ALTER SEQUENCE public."Booking_id_seq" OWNED BY NONE;

-- undo: sequence public.Availability_id_seq is owned by its column
ALTER SEQUENCE public."Availability_id_seq" OWNED BY NONE;

-- undo: sequence public.AuditLog_id_seq is owned by its column
ALTER SEQUENCE public."AuditLog_id_seq" OWNED BY NONE;

-- undo: sequence public.Application_id_seq is owned by its column
ALTER SEQUENCE public."Application_id_seq" OWNED BY NONE;

-- undo: sequence public.Activity_id_seq is owned by its column
ALTER SEQUENCE public."Activity_id_seq" OWNED BY NONE;

-- undo: sequence public.Account_id_seq is owned by its column
ALTER SEQUENCE public."Account_id_seq" OWNED BY NONE;

-- undo: create table public._PermissionToRole
DROP TABLE public."_PermissionToRole";

-- undo: create table public.UserRole
DROP TABLE public."UserRole";

-- undo: create table public.UserProfile
DROP TABLE public."UserProfile";

-- undo: create table public.UserPermission
DROP TABLE public."UserPermission";

-- undo: create table public.User
DROP TABLE public."User";

-- undo: create table public.Tenant
DROP TABLE public."Tenant";

-- undo: create table public.Role
DROP TABLE public."Role";

-- undo: create table public.Permission
DROP TABLE public."Permission";

-- undo: create table public.MediaFile
DROP TABLE public."MediaFile";

-- undo: create table public.Listing
DROP TABLE public."Listing";

-- undo: create table public.Content
DROP TABLE public."Content";

-- undo: create table public.Booking
DROP TABLE public."Booking";

-- undo: create table public.Availability
DROP TABLE public."Availability";

-- undo: create table public.AuditLog_default
DROP TABLE public."AuditLog_default";

-- undo: create table public.AuditLog_2026_12
DROP TABLE public."AuditLog_2026_12";

-- undo: create table public.AuditLog_2026_11
DROP TABLE public."AuditLog_2026_11";

-- undo: create table public.AuditLog_2026_10
DROP TABLE public."AuditLog_2026_10";

-- undo: create table public.AuditLog_2026_09
DROP TABLE public."AuditLog_2026_09";

-- undo: create table public.AuditLog_2026_08
DROP TABLE public."AuditLog_2026_08";

-- undo: create table public.AuditLog_2026_07
DROP TABLE public."AuditLog_2026_07";

-- undo: create table public.AuditLog_2026_06
DROP TABLE public."AuditLog_2026_06";

-- undo: create table public.AuditLog_2026_05
DROP TABLE public."AuditLog_2026_05";

-- undo: create table public.AuditLog_2026_04
DROP TABLE public."AuditLog_2026_04";

-- undo: create table public.AuditLog_2026_03
DROP TABLE public."AuditLog_2026_03";

-- undo: create table public.AuditLog_2026_02
DROP TABLE public."AuditLog_2026_02";

-- undo: create table public.AuditLog_2026_01
DROP TABLE public."AuditLog_2026_01";

-- undo: create table public.AuditLog
DROP TABLE public."AuditLog";

-- undo: create table public.Application
DROP TABLE public."Application";

-- undo: create table public.Activity
DROP TABLE public."Activity";

-- undo: create table public.AccountUser
DROP TABLE public."AccountUser";

-- undo: create table public.Account
DROP TABLE public."Account";

-- undo: create sequence public.User_id_seq
DROP SEQUENCE public."User_id_seq";

-- undo: create sequence public.UserProfile_id_seq
DROP SEQUENCE public."UserProfile_id_seq";

-- undo: create sequence public.Tenant_id_seq
DROP SEQUENCE public."Tenant_id_seq";

-- undo: create sequence public.Role_id_seq
DROP SEQUENCE public."Role_id_seq";

-- undo: create sequence public.Permission_id_seq
DROP SEQUENCE public."Permission_id_seq";

-- undo: create sequence public.MediaFile_id_seq
DROP SEQUENCE public."MediaFile_id_seq";

-- undo: create sequence public.Listing_id_seq
DROP SEQUENCE public."Listing_id_seq";

-- undo: create sequence public.Content_id_seq
DROP SEQUENCE public."Content_id_seq";

-- undo: create sequence public.Booking_id_seq
DROP SEQUENCE public."Booking_id_seq";

-- undo: create sequence public.Availability_id_seq
DROP SEQUENCE public."Availability_id_seq";

-- undo: create sequence public.AuditLog_id_seq
DROP SEQUENCE public."AuditLog_id_seq";

-- undo: create sequence public.Application_id_seq
DROP SEQUENCE public."Application_id_seq";

-- undo: create sequence public.Activity_id_seq
DROP SEQUENCE public."Activity_id_seq";

-- undo: create sequence public.Account_id_seq
DROP SEQUENCE public."Account_id_seq";

-- undo: create enum public.TenantStatus
DROP TYPE public."TenantStatus";

-- undo: create enum public.RoleType
DROP TYPE public."RoleType";

-- undo: create enum public.RoleLevel
DROP TYPE public."RoleLevel";

-- undo: create enum public.PriceType
DROP TYPE public."PriceType";

-- undo: create enum public.ListingType
DROP TYPE public."ListingType";

-- undo: create enum public.ListingStatus
DROP TYPE public."ListingStatus";

-- undo: create enum public.ContentType
DROP TYPE public."ContentType";

-- undo: create enum public.ContentStatus
DROP TYPE public."ContentStatus";

-- undo: create enum public.BookingType
DROP TYPE public."BookingType";

-- undo: create enum public.BookingStatus
DROP TYPE public."BookingStatus";

-- undo: create enum public.ApplicationStatus
DROP TYPE public."ApplicationStatus";

-- undo: create enum public.AccountType
DROP TYPE public."AccountType";

-- undo: create enum public.AccountStatus
DROP TYPE public."AccountStatus";
