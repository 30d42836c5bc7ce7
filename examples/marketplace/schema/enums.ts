/** The Prisma enums, as Postgres enum types in `public`. */
import { enumType } from '../../../src/dsl/index.js'

export const TenantStatus = enumType('TenantStatus', ['ACTIVE', 'TRIAL', 'SUSPENDED', 'INACTIVE'])
export const AccountType = enumType('AccountType', ['INDIVIDUAL', 'AGENCY', 'VENDOR', 'CLIENT'])
export const AccountStatus = enumType('AccountStatus', ['PENDING', 'ACTIVE', 'SUSPENDED', 'INACTIVE'])
export const ContentType = enumType('ContentType', ['ARTICLE', 'PORTFOLIO', 'LISTING', 'PAGE', 'FORM'])
export const ContentStatus = enumType('ContentStatus', ['DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED', 'ARCHIVED'])
export const ListingType = enumType('ListingType', ['GIG', 'JOB', 'SERVICE', 'PRODUCT'])
export const PriceType = enumType('PriceType', ['FIXED', 'HOURLY', 'DAILY', 'PROJECT', 'NEGOTIABLE'])
export const ListingStatus = enumType('ListingStatus', ['DRAFT', 'ACTIVE', 'PAUSED', 'EXPIRED', 'COMPLETED', 'CANCELLED'])
export const ApplicationStatus = enumType('ApplicationStatus', ['PENDING', 'REVIEWING', 'SHORTLISTED', 'ACCEPTED', 'REJECTED', 'WITHDRAWN'])
export const BookingType = enumType('BookingType', ['APPOINTMENT', 'SERVICE', 'CONSULTATION', 'EVENT'])
export const BookingStatus = enumType('BookingStatus', ['PENDING', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'NO_SHOW'])
/** SYSTEM: platform-defined; TENANT: tenant-defined; CUSTOM: user-created. */
export const RoleType = enumType('RoleType', ['SYSTEM', 'TENANT', 'CUSTOM'])
export const RoleLevel = enumType('RoleLevel', ['PLATFORM', 'TENANT', 'ACCOUNT', 'USER'])
