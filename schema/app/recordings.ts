/**
 * Recordings of live streams (seed 001's `recordings`, kept in Supabase rather than MongoDB), scoped
 * to a tenant like every other table of the platform. `academy_module_id` stays text, as the source
 * has it: it names the academy module a recording was posted to, without a foreign key.
 */
import { boolean, integer, jsonb, tenantIsolation, tenantScoped, text, timestamps, uuid } from '../../src/dsl/index.js'
import { app } from './schema.js'
import { tenants } from './tenants.js'

export const recordings = app.table('recordings', {
  id: uuid().primaryKey().defaultRandom(),
  ...tenantScoped(() => tenants.id),
  stream_call_id: text(),
  stream_recording_url: text(),
  do_spaces_url: text(),
  do_spaces_key: text(),
  duration: integer().comment('seconds'),
  participants: jsonb<unknown[]>(),
  transcript_text: text(),
  transcript_url: text(),
  thumbnail_url: text(),
  posted_to_academy: boolean(),
  academy_module_id: text().comment('modules.id of the academy module it was posted to; kept without a foreign key, as in the source data'),
  ...timestamps(),
}, () => [tenantIsolation()])

export type Recording = typeof recordings.$inferSelect
