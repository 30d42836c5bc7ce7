/** MongoDB `modules` → app.modules; video metadata and the recording id become `recording_metadata`. */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { modules } from '../../schema/app/modules.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate, looseNumber } from './_legacy.js'

export default defineBackfill({
  name: 'modules',
  collection: 'modules',
  target: modules,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    courseId: bz.objectId(),
    title: z.string(),
    description: z.string().nullish(),
    videoUrl: z.string().nullish(),
    videoProvider: z.string().nullish(),
    streamRecordingId: z.string().nullish(),
    // Seconds; some clients stored fractional seconds or strings: rounded to whole seconds.
    duration: looseNumber().transform(Math.round).nullish(),
    transcript: z.string().nullish(),
    transcriptUrl: z.string().nullish(),
    thumbnail: z.string().nullish(),
    videoMetadata: z.object({ isRecording: z.boolean().optional(), recordingDate: looseDate().optional(), isEvergreen: z.boolean().optional() }).nullish(),
    order: looseNumber().pipe(z.number().int()).optional(),
    published: z.boolean().optional(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('modules', d._id),
    course_id: ctx.uuid('courses', d.courseId),
    tenant_id: ctx.tenant,
    title: d.title,
    description: d.description ?? null,
    video_url: d.videoUrl ?? null,
    video_provider: d.videoProvider ?? null,
    duration: d.duration ?? null,
    thumbnail: d.thumbnail ?? null,
    transcript: d.transcript ?? null,
    transcript_url: d.transcriptUrl ?? null,
    recording_metadata: {
      ...(d.streamRecordingId ? { streamRecordingId: d.streamRecordingId } : {}),
      ...(d.videoMetadata?.recordingDate ? { recordingDate: d.videoMetadata.recordingDate.toISOString() } : {}),
      ...(d.videoMetadata?.isEvergreen !== undefined ? { isEvergreen: d.videoMetadata.isEvergreen } : {}),
    },
    published: d.published ?? false,
    order: d.order ?? 0,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
