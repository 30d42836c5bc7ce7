-- cairn: initial (up)
-- cairn:summary 186 statements: 13 create_enum, 14 create_sequence, 31 create_table, 1 create_function, 31 add_foreign_key, 2 create_view, 1 create_trigger, 31 set_comment
-- cairn:transaction single
SET standard_conforming_strings = on;
SET lock_timeout = '5s';

-- create enum public.AccountStatus
CREATE TYPE public."AccountStatus" AS ENUM ('PENDING', 'ACTIVE', 'SUSPENDED', 'INACTIVE');

-- create enum public.AccountType
CREATE TYPE public."AccountType" AS ENUM ('INDIVIDUAL', 'AGENCY', 'VENDOR', 'CLIENT');

-- create enum public.ApplicationStatus
CREATE TYPE public."ApplicationStatus" AS ENUM ('PENDING', 'REVIEWING', 'SHORTLISTED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN');

-- create enum public.BookingStatus
CREATE TYPE public."BookingStatus" AS ENUM ('PENDING', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW');

-- create enum public.BookingType
CREATE TYPE public."BookingType" AS ENUM ('APPOINTMENT', 'SERVICE', 'CONSULTATION', 'EVENT');

-- create enum public.ContentStatus
CREATE TYPE public."ContentStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED', 'ARCHIVED');

-- create enum public.ContentType
CREATE TYPE public."ContentType" AS ENUM ('ARTICLE', 'PORTFOLIO', 'LISTING', 'PAGE', 'FORM');

-- create enum public.ListingStatus
CREATE TYPE public."ListingStatus" AS ENUM ('DRAFT', 'ACTIVE', 'PAUSED', 'EXPIRED', 'COMPLETED', 'CANCELLED');

-- create enum public.ListingType
CREATE TYPE public."ListingType" AS ENUM ('GIG', 'JOB', 'SERVICE', 'PRODUCT');

-- create enum public.PriceType
CREATE TYPE public."PriceType" AS ENUM ('FIXED', 'HOURLY', 'DAILY', 'PROJECT', 'NEGOTIABLE');

-- create enum public.RoleLevel
CREATE TYPE public."RoleLevel" AS ENUM ('PLATFORM', 'TENANT', 'ACCOUNT', 'USER');

-- create enum public.RoleType
CREATE TYPE public."RoleType" AS ENUM ('SYSTEM', 'TENANT', 'CUSTOM');

-- create enum public.TenantStatus
CREATE TYPE public."TenantStatus" AS ENUM ('ACTIVE', 'TRIAL', 'SUSPENDED', 'INACTIVE');

-- create sequence public.Account_id_seq
CREATE SEQUENCE public."Account_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Activity_id_seq
CREATE SEQUENCE public."Activity_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Application_id_seq
CREATE SEQUENCE public."Application_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.AuditLog_id_seq
CREATE SEQUENCE public."AuditLog_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Availability_id_seq
CREATE SEQUENCE public."Availability_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Booking_id_seq
CREATE SEQUENCE public."Booking_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Content_id_seq
CREATE SEQUENCE public."Content_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Listing_id_seq
CREATE SEQUENCE public."Listing_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.MediaFile_id_seq
CREATE SEQUENCE public."MediaFile_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Permission_id_seq
CREATE SEQUENCE public."Permission_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Role_id_seq
CREATE SEQUENCE public."Role_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.Tenant_id_seq
CREATE SEQUENCE public."Tenant_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.UserProfile_id_seq
CREATE SEQUENCE public."UserProfile_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create sequence public.User_id_seq
CREATE SEQUENCE public."User_id_seq" AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;

-- create table public.Account
CREATE TABLE public."Account" (
  id integer DEFAULT nextval('public."Account_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  identifier text NOT NULL,
  name text NOT NULL,
  type public."AccountType" NOT NULL,
  "businessInfo" jsonb,
  features text[] NOT NULL,
  limits jsonb NOT NULL,
  "billingInfo" jsonb,
  status public."AccountStatus" DEFAULT 'ACTIVE'::public."AccountStatus" NOT NULL,
  "verifiedAt" timestamp(3) without time zone,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  "deletedAt" timestamp(3) without time zone,
  CONSTRAINT "Account_pkey" PRIMARY KEY (id)
);

-- create table public.AccountUser
CREATE TABLE public."AccountUser" (
  "accountId" integer NOT NULL,
  "userId" integer NOT NULL,
  role text NOT NULL,
  "joinedAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "invitedBy" integer,
  CONSTRAINT "AccountUser_pkey" PRIMARY KEY ("accountId", "userId")
);

-- create table public.Activity
CREATE TABLE public."Activity" (
  id integer DEFAULT nextval('public."Activity_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "userId" integer NOT NULL,
  type text NOT NULL,
  target text NOT NULL,
  "targetId" text NOT NULL,
  metadata jsonb,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT "Activity_pkey" PRIMARY KEY (id)
);

-- create table public.Application
CREATE TABLE public."Application" (
  id integer DEFAULT nextval('public."Application_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "listingId" integer NOT NULL,
  "applicantId" integer NOT NULL,
  "coverLetter" text,
  attachments text[] NOT NULL,
  answers jsonb,
  status public."ApplicationStatus" DEFAULT 'PENDING'::public."ApplicationStatus" NOT NULL,
  "reviewedAt" timestamp(3) without time zone,
  "reviewedBy" integer,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "Application_pkey" PRIMARY KEY (id)
);

-- create table public.AuditLog
CREATE TABLE public."AuditLog" (
  id integer DEFAULT nextval('public."AuditLog_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "userId" integer,
  action text NOT NULL,
  resource text NOT NULL,
  "resourceId" text NOT NULL,
  "oldValues" jsonb,
  "newValues" jsonb,
  "ipAddress" text,
  "userAgent" text,
  "requestId" text,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT "AuditLog_pkey" PRIMARY KEY (id, "createdAt")
) PARTITION BY RANGE ("createdAt");

-- create table public.AuditLog_2026_01
CREATE TABLE public."AuditLog_2026_01" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-01-01 00:00:00') TO ('2026-02-01 00:00:00');

-- create table public.AuditLog_2026_02
CREATE TABLE public."AuditLog_2026_02" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-02-01 00:00:00') TO ('2026-03-01 00:00:00');

-- create table public.AuditLog_2026_03
CREATE TABLE public."AuditLog_2026_03" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-03-01 00:00:00') TO ('2026-04-01 00:00:00');

-- create table public.AuditLog_2026_04
CREATE TABLE public."AuditLog_2026_04" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-04-01 00:00:00') TO ('2026-05-01 00:00:00');

-- create table public.AuditLog_2026_05
CREATE TABLE public."AuditLog_2026_05" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-05-01 00:00:00') TO ('2026-06-01 00:00:00');

-- create table public.AuditLog_2026_06
CREATE TABLE public."AuditLog_2026_06" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-06-01 00:00:00') TO ('2026-07-01 00:00:00');

-- create table public.AuditLog_2026_07
CREATE TABLE public."AuditLog_2026_07" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-07-01 00:00:00') TO ('2026-08-01 00:00:00');

-- create table public.AuditLog_2026_08
CREATE TABLE public."AuditLog_2026_08" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-08-01 00:00:00') TO ('2026-09-01 00:00:00');

-- create table public.AuditLog_2026_09
CREATE TABLE public."AuditLog_2026_09" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-09-01 00:00:00') TO ('2026-10-01 00:00:00');

-- create table public.AuditLog_2026_10
CREATE TABLE public."AuditLog_2026_10" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-10-01 00:00:00') TO ('2026-11-01 00:00:00');

-- create table public.AuditLog_2026_11
CREATE TABLE public."AuditLog_2026_11" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-11-01 00:00:00') TO ('2026-12-01 00:00:00');

-- create table public.AuditLog_2026_12
CREATE TABLE public."AuditLog_2026_12" PARTITION OF public."AuditLog" FOR VALUES FROM ('2026-12-01 00:00:00') TO ('2027-01-01 00:00:00');

-- create table public.AuditLog_default
CREATE TABLE public."AuditLog_default" PARTITION OF public."AuditLog" DEFAULT;

-- create table public.Availability
CREATE TABLE public."Availability" (
  id integer DEFAULT nextval('public."Availability_id_seq"'::regclass) NOT NULL,
  "userId" integer NOT NULL,
  "dayOfWeek" integer,
  date timestamp(3) without time zone,
  "startTime" text NOT NULL,
  "endTime" text NOT NULL,
  timezone text NOT NULL,
  available boolean DEFAULT true NOT NULL,
  recurring boolean DEFAULT true NOT NULL,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "Availability_pkey" PRIMARY KEY (id)
);

-- create table public.Booking
CREATE TABLE public."Booking" (
  id integer DEFAULT nextval('public."Booking_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "resourceId" integer NOT NULL,
  "clientId" integer NOT NULL,
  title text NOT NULL,
  description text,
  type public."BookingType" NOT NULL,
  "startTime" timestamp(3) without time zone NOT NULL,
  "endTime" timestamp(3) without time zone NOT NULL,
  timezone text NOT NULL,
  recurrence jsonb,
  location text,
  "meetingUrl" text,
  price numeric(65,30),
  paid boolean DEFAULT false NOT NULL,
  status public."BookingStatus" DEFAULT 'PENDING'::public."BookingStatus" NOT NULL,
  "confirmedAt" timestamp(3) without time zone,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  "cancelledAt" timestamp(3) without time zone,
  CONSTRAINT "Booking_pkey" PRIMARY KEY (id),
  CONSTRAINT check_booking_dates CHECK (("endTime" > "startTime"))
);

-- create table public.Content
CREATE TABLE public."Content" (
  id integer DEFAULT nextval('public."Content_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "accountId" integer NOT NULL,
  "userId" integer NOT NULL,
  type public."ContentType" NOT NULL,
  title text NOT NULL,
  slug text NOT NULL,
  description text,
  body text,
  "featuredImage" text,
  "metaTitle" text,
  "metaDescription" text,
  keywords text[] NOT NULL,
  status public."ContentStatus" DEFAULT 'DRAFT'::public."ContentStatus" NOT NULL,
  "publishedAt" timestamp(3) without time zone,
  "expiresAt" timestamp(3) without time zone,
  tags text[] NOT NULL,
  views integer DEFAULT 0 NOT NULL,
  likes integer DEFAULT 0 NOT NULL,
  shares integer DEFAULT 0 NOT NULL,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  "deletedAt" timestamp(3) without time zone,
  CONSTRAINT "Content_pkey" PRIMARY KEY (id)
);

-- create table public.Listing
CREATE TABLE public."Listing" (
  id integer DEFAULT nextval('public."Listing_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "accountId" integer NOT NULL,
  "userId" integer NOT NULL,
  type public."ListingType" NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  price numeric(65,30),
  "priceType" public."PriceType" NOT NULL,
  currency text DEFAULT 'USD'::text NOT NULL,
  location jsonb,
  remote boolean DEFAULT false NOT NULL,
  "startDate" timestamp(3) without time zone,
  "endDate" timestamp(3) without time zone,
  duration text,
  requirements jsonb,
  "applicationCount" integer DEFAULT 0 NOT NULL,
  status public."ListingStatus" DEFAULT 'DRAFT'::public."ListingStatus" NOT NULL,
  "featuredAt" timestamp(3) without time zone,
  "expiresAt" timestamp(3) without time zone,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  "deletedAt" timestamp(3) without time zone,
  CONSTRAINT "Listing_pkey" PRIMARY KEY (id),
  CONSTRAINT check_listing_dates CHECK ((("endDate" IS NULL) OR ("endDate" > "startDate")))
);

-- create table public.MediaFile
CREATE TABLE public."MediaFile" (
  id integer DEFAULT nextval('public."MediaFile_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  "uploaderId" integer NOT NULL,
  filename text NOT NULL,
  mimetype text NOT NULL,
  size integer NOT NULL,
  url text NOT NULL,
  "thumbnailUrl" text,
  title text,
  alt text,
  caption text,
  metadata jsonb,
  folder text,
  tags text[] NOT NULL,
  "usageCount" integer DEFAULT 0 NOT NULL,
  "lastUsedAt" timestamp(3) without time zone,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "MediaFile_pkey" PRIMARY KEY (id),
  CONSTRAINT check_file_size CHECK ((size > 0))
);

-- create table public.Permission
CREATE TABLE public."Permission" (
  id integer DEFAULT nextval('public."Permission_id_seq"'::regclass) NOT NULL,
  name text NOT NULL,
  description text,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT "Permission_pkey" PRIMARY KEY (id)
);

-- create table public.Role
CREATE TABLE public."Role" (
  id integer DEFAULT nextval('public."Role_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  name text NOT NULL,
  description text,
  type public."RoleType" DEFAULT 'CUSTOM'::public."RoleType" NOT NULL,
  level public."RoleLevel" NOT NULL,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "Role_pkey" PRIMARY KEY (id)
);

-- create table public.Tenant
CREATE TABLE public."Tenant" (
  id integer DEFAULT nextval('public."Tenant_id_seq"'::regclass) NOT NULL,
  identifier text NOT NULL,
  name text NOT NULL,
  status public."TenantStatus" NOT NULL,
  plan text NOT NULL,
  "planExpiry" timestamp(3) without time zone,
  settings jsonb NOT NULL,
  features text[] NOT NULL,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "Tenant_pkey" PRIMARY KEY (id)
);

-- create table public.User
CREATE TABLE public."User" (
  id integer DEFAULT nextval('public."User_id_seq"'::regclass) NOT NULL,
  "tenantId" integer NOT NULL,
  email text NOT NULL,
  username text,
  "hashedPassword" text,
  "emailVerified" boolean DEFAULT false NOT NULL,
  "twoFactorEnabled" boolean DEFAULT false NOT NULL,
  "lastLoginAt" timestamp(3) without time zone,
  "loginCount" integer DEFAULT 0 NOT NULL,
  "createdAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  "deletedAt" timestamp(3) without time zone,
  CONSTRAINT "User_pkey" PRIMARY KEY (id)
);

-- create table public.UserPermission
CREATE TABLE public."UserPermission" (
  "userId" integer NOT NULL,
  "permissionId" integer NOT NULL,
  granted boolean DEFAULT true NOT NULL,
  "accountId" integer,
  "assignedAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "assignedBy" integer,
  "expiresAt" timestamp(3) without time zone,
  CONSTRAINT "UserPermission_pkey" PRIMARY KEY ("userId", "permissionId")
);

-- create table public.UserProfile
CREATE TABLE public."UserProfile" (
  id integer DEFAULT nextval('public."UserProfile_id_seq"'::regclass) NOT NULL,
  "userId" integer NOT NULL,
  "displayName" text NOT NULL,
  bio text,
  avatar text,
  "coverImage" text,
  phone text,
  website text,
  location text,
  title text,
  company text,
  experience jsonb,
  skills text[] NOT NULL,
  "socialLinks" jsonb,
  completeness integer DEFAULT 0 NOT NULL,
  "updatedAt" timestamp(3) without time zone NOT NULL,
  CONSTRAINT "UserProfile_pkey" PRIMARY KEY (id)
);

-- create table public.UserRole
CREATE TABLE public."UserRole" (
  "userId" integer NOT NULL,
  "roleId" integer NOT NULL,
  "accountId" integer,
  "assignedAt" timestamp(3) without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "assignedBy" integer,
  "expiresAt" timestamp(3) without time zone,
  CONSTRAINT "UserRole_pkey" PRIMARY KEY ("userId", "roleId")
);

-- create table public._PermissionToRole
CREATE TABLE public."_PermissionToRole" (
  "A" integer NOT NULL,
  "B" integer NOT NULL,
  CONSTRAINT "_PermissionToRole_AB_pkey" PRIMARY KEY ("A", "B")
);

-- sequence public.Account_id_seq is owned by its column
ALTER SEQUENCE public."Account_id_seq" OWNED BY public."Account".id;

-- sequence public.Activity_id_seq is owned by its column
ALTER SEQUENCE public."Activity_id_seq" OWNED BY public."Activity".id;

-- sequence public.Application_id_seq is owned by its column
ALTER SEQUENCE public."Application_id_seq" OWNED BY public."Application".id;

-- sequence public.AuditLog_id_seq is owned by its column
ALTER SEQUENCE public."AuditLog_id_seq" OWNED BY public."AuditLog".id;

-- sequence public.Availability_id_seq is owned by its column
ALTER SEQUENCE public."Availability_id_seq" OWNED BY public."Availability".id;

-- sequence public.Booking_id_seq is owned by its column
ALTER SEQUENCE public."Booking_id_seq" OWNED BY public."Booking".id;

-- sequence public.Content_id_seq is owned by its column
ALTER SEQUENCE public."Content_id_seq" OWNED BY public."Content".id;

-- sequence public.Listing_id_seq is owned by its column
ALTER SEQUENCE public."Listing_id_seq" OWNED BY public."Listing".id;

-- sequence public.MediaFile_id_seq is owned by its column
ALTER SEQUENCE public."MediaFile_id_seq" OWNED BY public."MediaFile".id;

-- sequence public.Permission_id_seq is owned by its column
ALTER SEQUENCE public."Permission_id_seq" OWNED BY public."Permission".id;

-- sequence public.Role_id_seq is owned by its column
ALTER SEQUENCE public."Role_id_seq" OWNED BY public."Role".id;

-- sequence public.Tenant_id_seq is owned by its column
ALTER SEQUENCE public."Tenant_id_seq" OWNED BY public."Tenant".id;

-- sequence public.UserProfile_id_seq is owned by its column
ALTER SEQUENCE public."UserProfile_id_seq" OWNED BY public."UserProfile".id;

-- sequence public.User_id_seq is owned by its column
ALTER SEQUENCE public."User_id_seq" OWNED BY public."User".id;

-- create function public.update_application_count()
CREATE OR REPLACE FUNCTION public.update_application_count()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  listing integer := CASE WHEN TG_OP = 'DELETE' THEN OLD."listingId" ELSE NEW."listingId" END;
BEGIN
  UPDATE "Listing"
     SET "applicationCount" = (SELECT count(*) FROM "Application" WHERE "listingId" = listing)
   WHERE id = listing;
  RETURN NULL;
END
$function$;

-- create index public.Account_tenantId_identifier_key on public.Account
CREATE UNIQUE INDEX "Account_tenantId_identifier_key" ON public."Account" USING btree ("tenantId", identifier);

-- create index public.Application_listingId_applicantId_key on public.Application
CREATE UNIQUE INDEX "Application_listingId_applicantId_key" ON public."Application" USING btree ("listingId", "applicantId");

-- create index public.Content_tenantId_slug_key on public.Content
CREATE UNIQUE INDEX "Content_tenantId_slug_key" ON public."Content" USING btree ("tenantId", slug);

-- create index public.Permission_name_key on public.Permission
CREATE UNIQUE INDEX "Permission_name_key" ON public."Permission" USING btree (name);

-- create index public.Role_tenantId_name_key on public.Role
CREATE UNIQUE INDEX "Role_tenantId_name_key" ON public."Role" USING btree ("tenantId", name);

-- create index public.Tenant_identifier_key on public.Tenant
CREATE UNIQUE INDEX "Tenant_identifier_key" ON public."Tenant" USING btree (identifier);

-- create index public.User_tenantId_email_key on public.User
CREATE UNIQUE INDEX "User_tenantId_email_key" ON public."User" USING btree ("tenantId", email);

-- create index public.User_tenantId_username_key on public.User
CREATE UNIQUE INDEX "User_tenantId_username_key" ON public."User" USING btree ("tenantId", username);

-- create index public.UserProfile_userId_key on public.UserProfile
CREATE UNIQUE INDEX "UserProfile_userId_key" ON public."UserProfile" USING btree ("userId");

-- add foreign key Account_tenantId_fkey on public.Account
ALTER TABLE public."Account" ADD CONSTRAINT "Account_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key AccountUser_accountId_fkey on public.AccountUser
ALTER TABLE public."AccountUser" ADD CONSTRAINT "AccountUser_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES public."Account" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key AccountUser_userId_fkey on public.AccountUser
ALTER TABLE public."AccountUser" ADD CONSTRAINT "AccountUser_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Activity_tenantId_fkey on public.Activity
ALTER TABLE public."Activity" ADD CONSTRAINT "Activity_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Activity_userId_fkey on public.Activity
ALTER TABLE public."Activity" ADD CONSTRAINT "Activity_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Application_applicantId_fkey on public.Application
ALTER TABLE public."Application" ADD CONSTRAINT "Application_applicantId_fkey" FOREIGN KEY ("applicantId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Application_listingId_fkey on public.Application
ALTER TABLE public."Application" ADD CONSTRAINT "Application_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES public."Listing" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Application_tenantId_fkey on public.Application
ALTER TABLE public."Application" ADD CONSTRAINT "Application_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key AuditLog_tenantId_fkey on public.AuditLog
ALTER TABLE public."AuditLog" ADD CONSTRAINT "AuditLog_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key AuditLog_userId_fkey on public.AuditLog
ALTER TABLE public."AuditLog" ADD CONSTRAINT "AuditLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE SET NULL;

-- add foreign key Availability_userId_fkey on public.Availability
ALTER TABLE public."Availability" ADD CONSTRAINT "Availability_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Booking_clientId_fkey on public.Booking
ALTER TABLE public."Booking" ADD CONSTRAINT "Booking_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Booking_resourceId_fkey on public.Booking
ALTER TABLE public."Booking" ADD CONSTRAINT "Booking_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Booking_tenantId_fkey on public.Booking
ALTER TABLE public."Booking" ADD CONSTRAINT "Booking_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Content_accountId_fkey on public.Content
ALTER TABLE public."Content" ADD CONSTRAINT "Content_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES public."Account" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Content_tenantId_fkey on public.Content
ALTER TABLE public."Content" ADD CONSTRAINT "Content_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Content_userId_fkey on public.Content
ALTER TABLE public."Content" ADD CONSTRAINT "Content_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Listing_accountId_fkey on public.Listing
ALTER TABLE public."Listing" ADD CONSTRAINT "Listing_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES public."Account" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Listing_tenantId_fkey on public.Listing
ALTER TABLE public."Listing" ADD CONSTRAINT "Listing_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Listing_userId_fkey on public.Listing
ALTER TABLE public."Listing" ADD CONSTRAINT "Listing_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key MediaFile_tenantId_fkey on public.MediaFile
ALTER TABLE public."MediaFile" ADD CONSTRAINT "MediaFile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key MediaFile_uploaderId_fkey on public.MediaFile
ALTER TABLE public."MediaFile" ADD CONSTRAINT "MediaFile_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key Role_tenantId_fkey on public.Role
ALTER TABLE public."Role" ADD CONSTRAINT "Role_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key User_tenantId_fkey on public.User
ALTER TABLE public."User" ADD CONSTRAINT "User_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES public."Tenant" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key UserPermission_permissionId_fkey on public.UserPermission
ALTER TABLE public."UserPermission" ADD CONSTRAINT "UserPermission_permissionId_fkey" FOREIGN KEY ("permissionId") REFERENCES public."Permission" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key UserPermission_userId_fkey on public.UserPermission
ALTER TABLE public."UserPermission" ADD CONSTRAINT "UserPermission_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key UserProfile_userId_fkey on public.UserProfile
ALTER TABLE public."UserProfile" ADD CONSTRAINT "UserProfile_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key UserRole_roleId_fkey on public.UserRole
ALTER TABLE public."UserRole" ADD CONSTRAINT "UserRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES public."Role" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key UserRole_userId_fkey on public.UserRole
ALTER TABLE public."UserRole" ADD CONSTRAINT "UserRole_userId_fkey" FOREIGN KEY ("userId") REFERENCES public."User" (id) ON UPDATE CASCADE ON DELETE RESTRICT;

-- add foreign key _PermissionToRole_A_fkey on public._PermissionToRole
ALTER TABLE public."_PermissionToRole" ADD CONSTRAINT "_PermissionToRole_A_fkey" FOREIGN KEY ("A") REFERENCES public."Permission" (id) ON UPDATE CASCADE ON DELETE CASCADE;

-- add foreign key _PermissionToRole_B_fkey on public._PermissionToRole
ALTER TABLE public."_PermissionToRole" ADD CONSTRAINT "_PermissionToRole_B_fkey" FOREIGN KEY ("B") REFERENCES public."Role" (id) ON UPDATE CASCADE ON DELETE CASCADE;

-- create index public.Account_status_idx on public.Account
CREATE INDEX "Account_status_idx" ON public."Account" USING btree (status);

-- create index public.Account_tenantId_idx on public.Account
CREATE INDEX "Account_tenantId_idx" ON public."Account" USING btree ("tenantId");

-- create index public.AccountUser_userId_idx on public.AccountUser
CREATE INDEX "AccountUser_userId_idx" ON public."AccountUser" USING btree ("userId");

-- create index public.Activity_createdAt_idx on public.Activity
CREATE INDEX "Activity_createdAt_idx" ON public."Activity" USING btree ("createdAt");

-- create index public.Activity_target_targetId_idx on public.Activity
CREATE INDEX "Activity_target_targetId_idx" ON public."Activity" USING btree (target, "targetId");

-- create index public.Activity_tenantId_userId_idx on public.Activity
CREATE INDEX "Activity_tenantId_userId_idx" ON public."Activity" USING btree ("tenantId", "userId");

-- create index public.Application_status_idx on public.Application
CREATE INDEX "Application_status_idx" ON public."Application" USING btree (status);

-- create index public.Application_tenantId_idx on public.Application
CREATE INDEX "Application_tenantId_idx" ON public."Application" USING btree ("tenantId");

-- create index public.AuditLog_createdAt_idx on public.AuditLog
CREATE INDEX "AuditLog_createdAt_idx" ON public."AuditLog" USING btree ("createdAt");

-- create index public.AuditLog_resource_resourceId_idx on public.AuditLog
CREATE INDEX "AuditLog_resource_resourceId_idx" ON public."AuditLog" USING btree (resource, "resourceId");

-- create index public.AuditLog_tenantId_idx on public.AuditLog
CREATE INDEX "AuditLog_tenantId_idx" ON public."AuditLog" USING btree ("tenantId");

-- create index public.AuditLog_userId_idx on public.AuditLog
CREATE INDEX "AuditLog_userId_idx" ON public."AuditLog" USING btree ("userId");

-- create index public.Availability_date_idx on public.Availability
CREATE INDEX "Availability_date_idx" ON public."Availability" USING btree (date);

-- create index public.Availability_userId_idx on public.Availability
CREATE INDEX "Availability_userId_idx" ON public."Availability" USING btree ("userId");

-- create index public.Booking_resourceId_startTime_idx on public.Booking
CREATE INDEX "Booking_resourceId_startTime_idx" ON public."Booking" USING btree ("resourceId", "startTime");

-- create index public.Booking_status_idx on public.Booking
CREATE INDEX "Booking_status_idx" ON public."Booking" USING btree (status);

-- create index public.Booking_tenantId_idx on public.Booking
CREATE INDEX "Booking_tenantId_idx" ON public."Booking" USING btree ("tenantId");

-- create index public.idx_booking_resource_time on public.Booking
CREATE INDEX idx_booking_resource_time ON public."Booking" USING btree ("resourceId", "startTime", "endTime");

-- create index public.Content_publishedAt_idx on public.Content
CREATE INDEX "Content_publishedAt_idx" ON public."Content" USING btree ("publishedAt");

-- create index public.Content_tenantId_accountId_idx on public.Content
CREATE INDEX "Content_tenantId_accountId_idx" ON public."Content" USING btree ("tenantId", "accountId");

-- create index public.Content_tenantId_status_idx on public.Content
CREATE INDEX "Content_tenantId_status_idx" ON public."Content" USING btree ("tenantId", status);

-- create index public.idx_content_search on public.Content
CREATE INDEX idx_content_search ON public."Content" USING gin ((to_tsvector('english'::regconfig, ((title || ' '::text) || description))));

-- create index public.idx_content_tenant_status_published on public.Content
CREATE INDEX idx_content_tenant_status_published ON public."Content" USING btree ("tenantId", status, "publishedAt");

-- create index public.Listing_featuredAt_idx on public.Listing
CREATE INDEX "Listing_featuredAt_idx" ON public."Listing" USING btree ("featuredAt");

-- create index public.Listing_tenantId_status_idx on public.Listing
CREATE INDEX "Listing_tenantId_status_idx" ON public."Listing" USING btree ("tenantId", status);

-- create index public.Listing_tenantId_type_idx on public.Listing
CREATE INDEX "Listing_tenantId_type_idx" ON public."Listing" USING btree ("tenantId", type);

-- create index public.idx_listing_search on public.Listing
CREATE INDEX idx_listing_search ON public."Listing" USING gin ((to_tsvector('english'::regconfig, ((title || ' '::text) || description))));

-- create index public.idx_listing_tenant_type_status on public.Listing
CREATE INDEX idx_listing_tenant_type_status ON public."Listing" USING btree ("tenantId", type, status);

-- create index public.MediaFile_folder_idx on public.MediaFile
CREATE INDEX "MediaFile_folder_idx" ON public."MediaFile" USING btree (folder);

-- create index public.MediaFile_tenantId_idx on public.MediaFile
CREATE INDEX "MediaFile_tenantId_idx" ON public."MediaFile" USING btree ("tenantId");

-- create index public.MediaFile_uploaderId_idx on public.MediaFile
CREATE INDEX "MediaFile_uploaderId_idx" ON public."MediaFile" USING btree ("uploaderId");

-- create index public.Role_tenantId_idx on public.Role
CREATE INDEX "Role_tenantId_idx" ON public."Role" USING btree ("tenantId");

-- create index public.Tenant_planExpiry_idx on public.Tenant
CREATE INDEX "Tenant_planExpiry_idx" ON public."Tenant" USING btree ("planExpiry");

-- create index public.Tenant_status_idx on public.Tenant
CREATE INDEX "Tenant_status_idx" ON public."Tenant" USING btree (status);

-- create index public.User_email_idx on public.User
CREATE INDEX "User_email_idx" ON public."User" USING btree (email);

-- create index public.User_tenantId_idx on public.User
CREATE INDEX "User_tenantId_idx" ON public."User" USING btree ("tenantId");

-- create index public.UserPermission_userId_idx on public.UserPermission
CREATE INDEX "UserPermission_userId_idx" ON public."UserPermission" USING btree ("userId");

-- create index public.UserRole_userId_idx on public.UserRole
CREATE INDEX "UserRole_userId_idx" ON public."UserRole" USING btree ("userId");

-- create index public._PermissionToRole_B_index on public._PermissionToRole
CREATE INDEX "_PermissionToRole_B_index" ON public."_PermissionToRole" USING btree ("B");

-- create view public.ListingWithStats
CREATE VIEW public."ListingWithStats" AS
SELECT l.id,
    l."tenantId",
    l."accountId",
    l."userId",
    l.type,
    l.title,
    l.description,
    l.price,
    l."priceType",
    l.currency,
    l.location,
    l.remote,
    l."startDate",
    l."endDate",
    l.duration,
    l.requirements,
    l."applicationCount",
    l.status,
    l."featuredAt",
    l."expiresAt",
    l."createdAt",
    l."updatedAt",
    l."deletedAt",
    count(a.id) AS "liveApplicationCount",
    max(a."createdAt") AS "lastApplicationAt"
   FROM (public."Listing" l
     LEFT JOIN public."Application" a ON ((l.id = a."listingId")))
  GROUP BY l.id;

-- create view public.UserWithProfile
CREATE VIEW public."UserWithProfile" AS
SELECT u.id,
    u."tenantId",
    u.email,
    u.username,
    u."hashedPassword",
    u."emailVerified",
    u."twoFactorEnabled",
    u."lastLoginAt",
    u."loginCount",
    u."createdAt",
    u."updatedAt",
    u."deletedAt",
    p."displayName",
    p.avatar,
    p.completeness
   FROM (public."User" u
     LEFT JOIN public."UserProfile" p ON ((u.id = p."userId")))
  WHERE (u."deletedAt" IS NULL);

-- create trigger application_count_trigger on public.Application
CREATE TRIGGER application_count_trigger AFTER INSERT OR DELETE ON public."Application" FOR EACH ROW EXECUTE FUNCTION public.update_application_count();

-- comment on column public."account".identifier
COMMENT ON COLUMN public."Account".identifier IS 'URL-safe identifier';

-- comment on column public."account"."businessinfo"
COMMENT ON COLUMN public."Account"."businessInfo" IS 'Company details, tax info, etc.';

-- comment on column public."account".features
COMMENT ON COLUMN public."Account".features IS 'Enabled features';

-- comment on column public."account".limits
COMMENT ON COLUMN public."Account".limits IS 'Resource limits';

-- comment on column public."accountuser".role
COMMENT ON COLUMN public."AccountUser".role IS 'admin, member, viewer';

-- comment on column public."activity".type
COMMENT ON COLUMN public."Activity".type IS 'view, like, share, comment, etc.';

-- comment on column public."activity".target
COMMENT ON COLUMN public."Activity".target IS 'Model name';

-- comment on column public."activity"."targetid"
COMMENT ON COLUMN public."Activity"."targetId" IS 'ID of target';

-- comment on column public."application".answers
COMMENT ON COLUMN public."Application".answers IS 'Structured Q&A';

-- comment on table public."auditlog"
COMMENT ON TABLE public."AuditLog" IS 'Partitioned by month on createdAt';

-- comment on column public."auditlog".action
COMMENT ON COLUMN public."AuditLog".action IS 'create, update, delete, etc.';

-- comment on column public."auditlog".resource
COMMENT ON COLUMN public."AuditLog".resource IS 'Model name';

-- comment on column public."auditlog"."resourceid"
COMMENT ON COLUMN public."AuditLog"."resourceId" IS 'ID of affected resource';

-- comment on column public."availability"."dayofweek"
COMMENT ON COLUMN public."Availability"."dayOfWeek" IS '0-6, null for specific dates';

-- comment on column public."availability".date
COMMENT ON COLUMN public."Availability".date IS 'Specific date override';

-- comment on column public."availability"."starttime"
COMMENT ON COLUMN public."Availability"."startTime" IS 'HH:MM format';

-- comment on column public."availability"."endtime"
COMMENT ON COLUMN public."Availability"."endTime" IS 'HH:MM format';

-- comment on column public."availability".available
COMMENT ON COLUMN public."Availability".available IS 'true = available, false = blocked';

-- comment on column public."booking"."resourceid"
COMMENT ON COLUMN public."Booking"."resourceId" IS 'User or Resource being booked';

-- comment on column public."booking".recurrence
COMMENT ON COLUMN public."Booking".recurrence IS 'Recurrence rules';

-- comment on column public."content".body
COMMENT ON COLUMN public."Content".body IS 'Rich text content';

-- comment on column public."listing".location
COMMENT ON COLUMN public."Listing".location IS 'Structured location data';

-- comment on column public."mediafile".size
COMMENT ON COLUMN public."MediaFile".size IS 'bytes';

-- comment on column public."mediafile".metadata
COMMENT ON COLUMN public."MediaFile".metadata IS 'EXIF, dimensions, duration, etc.';

-- comment on column public."permission".name
COMMENT ON COLUMN public."Permission".name IS 'tier.resource.action';

-- comment on column public."tenant".identifier
COMMENT ON COLUMN public."Tenant".identifier IS 'URL-safe identifier';

-- comment on column public."userpermission".granted
COMMENT ON COLUMN public."UserPermission".granted IS 'Can be used to explicitly deny';

-- comment on column public."userpermission"."accountid"
COMMENT ON COLUMN public."UserPermission"."accountId" IS 'If scoped to specific account';

-- comment on column public."userprofile".experience
COMMENT ON COLUMN public."UserProfile".experience IS 'Structured experience data';

-- comment on column public."userprofile".completeness
COMMENT ON COLUMN public."UserProfile".completeness IS 'Profile completion percentage';

-- comment on column public."userrole"."accountid"
COMMENT ON COLUMN public."UserRole"."accountId" IS 'If scoped to specific account';
