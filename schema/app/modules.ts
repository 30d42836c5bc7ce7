/** Modules (lessons) of a course (MongoDB `modules`). */
import { boolean, integer, jsonb, tenantIsolation, tenantReference, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { courses } from './courses.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'

export const modules = app.table('modules', {
  id: uuid().primaryKey().defaultRandom(),
  course_id: uuid().notNull().index(),
  ...tenantScoped(() => tenants.id),
  title: text().notNull(),
  description: text(),
  video_url: text(),
  video_provider: text().comment('youtube | vimeo | custom'),
  duration: integer().comment('seconds'),
  thumbnail: text(),
  transcript: text(),
  transcript_url: text(),
  recording_metadata: jsonb<{ streamRecordingId?: string; recordingDate?: string; isEvergreen?: boolean }>(),
  published: boolean().default(false),
  order: integer().default(0),
  ...timestamps(),
}, (t) => [tenantReference(t.course_id, () => courses, { onDelete: 'cascade' }), tenantIsolation()])

export type Module = typeof modules.$inferSelect
