/**
 * Listings and applications to them. `Listing.applicationCount` is kept by the trigger
 * `application_count_trigger` (AFTER INSERT OR DELETE ON "Application"), which recounts the
 * listing's applications.
 */
import { boolean, check, fn, index, integer, jsonb, numeric, serial, sql, table, text, trigger, uniqueIndex } from '../../../src/dsl/index.js'
import { ApplicationStatus, ListingStatus, ListingType, PriceType } from './enums.js'
import { createdAt, dateTime, required, updatedAt } from './helpers.js'
import { Account, Tenant, User } from './tenancy.js'

export const Listing = table(
  'Listing',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    accountId: integer().notNull().references(() => Account.id, required),
    userId: integer().notNull().references(() => User.id, required),
    type: ListingType().notNull(),
    title: text().notNull(),
    description: text().notNull(),
    price: numeric(65, 30),
    priceType: PriceType().notNull(),
    currency: text().notNull().default('USD'),
    location: jsonb().comment('Structured location data'),
    remote: boolean().notNull().default(false),
    startDate: dateTime(),
    endDate: dateTime(),
    duration: text(),
    requirements: jsonb(),
    applicationCount: integer().notNull().default(0),
    status: ListingStatus().notNull().default('DRAFT'),
    featuredAt: dateTime(),
    expiresAt: dateTime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: dateTime(),
  },
  (t) => [
    check('check_listing_dates', sql`${t.endDate} IS NULL OR ${t.endDate} > ${t.startDate}`),
    index('Listing_tenantId_status_idx').on(t.tenantId, t.status),
    index('Listing_tenantId_type_idx').on(t.tenantId, t.type),
    index('Listing_featuredAt_idx').on(t.featuredAt),
    index('idx_listing_tenant_type_status').on(t.tenantId, t.type, t.status),
    index('idx_listing_search').using('gin', sql`to_tsvector('english'::regconfig, ((${t.title} || ' '::text) || ${t.description}))`),
  ],
)

export const Application = table(
  'Application',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    listingId: integer().notNull().references(() => Listing.id, required),
    applicantId: integer().notNull().references(() => User.id, required),
    coverLetter: text(),
    attachments: text().array().notNull(),
    answers: jsonb().comment('Structured Q&A'),
    status: ApplicationStatus().notNull().default('PENDING'),
    reviewedAt: dateTime(),
    reviewedBy: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('Application_listingId_applicantId_key').on(t.listingId, t.applicantId),
    index('Application_tenantId_idx').on(t.tenantId),
    index('Application_status_idx').on(t.status),
  ],
)

/** Recounts the applications of the listing a row was added to or removed from. */
export const updateApplicationCount = fn('public', 'update_application_count', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `
DECLARE
  listing integer := CASE WHEN TG_OP = 'DELETE' THEN OLD."listingId" ELSE NEW."listingId" END;
BEGIN
  UPDATE "Listing"
     SET "applicationCount" = (SELECT count(*) FROM "Application" WHERE "listingId" = listing)
   WHERE id = listing;
  RETURN NULL;
END
`,
  comment: 'Keeps "Listing"."applicationCount" equal to the number of its applications',
})

export const applicationCountTrigger = trigger(Application, 'application_count_trigger', {
  timing: 'after',
  events: ['insert', 'delete'],
  function: updateApplicationCount,
})
