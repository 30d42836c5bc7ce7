/** MongoDB `courses` → app.courses. */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { courses } from '../../schema/app/courses.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate, looseNumber, lowerEnum } from './_legacy.js'

export default defineBackfill({
  name: 'courses',
  collection: 'courses',
  target: courses,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    title: z.string(),
    description: z.string().nullish(),
    instructor: z.string(),
    instructorBio: z.string().nullish(),
    thumbnailUrl: z.string().nullish(),
    tier: lowerEnum(['free', 'pro']).optional(),
    published: z.boolean().optional(),
    order: looseNumber().pipe(z.number().int()).optional(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('courses', d._id),
    tenant_id: ctx.tenant,
    title: d.title,
    description: d.description ?? null,
    thumbnail: d.thumbnailUrl ?? null,
    instructor: d.instructor,
    instructor_bio: d.instructorBio ?? null,
    tier: d.tier ?? 'free',
    published: d.published ?? false,
    order: d.order ?? 0,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
