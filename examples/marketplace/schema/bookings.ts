/** Bookings of a user (or resource) by a client, and users' availability windows. */
import { boolean, check, index, integer, jsonb, numeric, serial, sql, table, text } from '../../../src/dsl/index.js'
import { BookingStatus, BookingType } from './enums.js'
import { createdAt, dateTime, required, updatedAt } from './helpers.js'
import { Tenant, User } from './tenancy.js'

export const Booking = table(
  'Booking',
  {
    id: serial().primaryKey(),
    tenantId: integer().notNull().references(() => Tenant.id, required),
    resourceId: integer().notNull().references(() => User.id, required).comment('User or Resource being booked'),
    clientId: integer().notNull().references(() => User.id, required),
    title: text().notNull(),
    description: text(),
    type: BookingType().notNull(),
    startTime: dateTime().notNull(),
    endTime: dateTime().notNull(),
    timezone: text().notNull(),
    recurrence: jsonb().comment('Recurrence rules'),
    location: text(),
    meetingUrl: text(),
    price: numeric(65, 30),
    paid: boolean().notNull().default(false),
    status: BookingStatus().notNull().default('PENDING'),
    confirmedAt: dateTime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    cancelledAt: dateTime(),
  },
  (t) => [
    check('check_booking_dates', sql`${t.endTime} > ${t.startTime}`),
    index('Booking_tenantId_idx').on(t.tenantId),
    index('Booking_resourceId_startTime_idx').on(t.resourceId, t.startTime),
    index('Booking_status_idx').on(t.status),
    index('idx_booking_resource_time').on(t.resourceId, t.startTime, t.endTime),
  ],
)

export const Availability = table(
  'Availability',
  {
    id: serial().primaryKey(),
    userId: integer().notNull().references(() => User.id, required),
    dayOfWeek: integer().comment('0-6, null for specific dates'),
    date: dateTime().comment('Specific date override'),
    startTime: text().notNull().comment('HH:MM format'),
    endTime: text().notNull().comment('HH:MM format'),
    timezone: text().notNull(),
    available: boolean().notNull().default(true).comment('true = available, false = blocked'),
    recurring: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('Availability_userId_idx').on(t.userId), index('Availability_date_idx').on(t.date)],
)
