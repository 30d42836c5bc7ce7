/** LMS courses (MongoDB `courses`). */
import { boolean, integer, tenantIsolation, tenantKey, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app, tier } from './schema.js'
import { tenants } from './tenants.js'

export const courses = app.table('courses', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  title: text().notNull(),
  description: text(),
  thumbnail: text(),
  instructor: text().notNull(),
  instructor_bio: text(),
  tier: tier().default('free').notNull(),
  published: boolean().default(false),
  order: integer().default(0),
  ...timestamps(),
}, () => [tenantKey(), tenantIsolation()])

export type Course = typeof courses.$inferSelect
