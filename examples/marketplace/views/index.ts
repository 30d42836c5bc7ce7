/**
 * The data model's views: live users with their profile, and listings with their application
 * statistics (an aggregate over a join). Identifiers are quoted, as Prisma's names need.
 */
import { view } from '../../../src/dsl/index.js'
import { Application, Listing } from '../schema/listings.js'
import { User, UserProfile } from '../schema/tenancy.js'

/** Active (not soft-deleted) users with profile completion. */
export const UserWithProfile = view('public', 'UserWithProfile', {
  sql: `SELECT u.*, p."displayName", p.avatar, p.completeness
  FROM "User" u
  LEFT JOIN "UserProfile" p ON u.id = p."userId"
  WHERE u."deletedAt" IS NULL`,
  deps: [User, UserProfile],
})

/**
 * Each listing with its application count and latest application. The count is named
 * "liveApplicationCount": l.* already holds the trigger-kept "applicationCount".
 */
export const ListingWithStats = view('public', 'ListingWithStats', {
  sql: `SELECT l.*, count(a.id) AS "liveApplicationCount", max(a."createdAt") AS "lastApplicationAt"
  FROM "Listing" l
  LEFT JOIN "Application" a ON l.id = a."listingId"
  GROUP BY l.id`,
  deps: [Listing, Application],
})
