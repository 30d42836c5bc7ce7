/** MongoDB `users` → app.users. Emails are lower-cased; a duplicate address is rejected by the unique key. */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { users } from '../../schema/app/users.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseBoolean, looseDate, lowerEnum } from './_legacy.js'

export default defineBackfill({
  name: 'users',
  collection: 'users',
  target: users,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    email: z.string().email(),
    password: z.string().nullish(),
    name: z.string().nullish(),
    username: z.string().nullish(),
    avatar: z.string().nullish(),
    role: lowerEnum(['user', 'admin']).optional(),
    tier: lowerEnum(['free', 'pro', 'admin']).optional(),
    provider: z.string().nullish(),
    emailVerified: looseBoolean().optional(),
    preferences: z.object({ fontSize: z.string().optional(), theme: z.string().optional(), language: z.string().optional() }).nullish(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('users', d._id),
    tenant_id: ctx.tenant,
    email: d.email.toLowerCase(),
    email_verified: d.emailVerified ?? false,
    password: d.password ?? null,
    name: d.name ?? null,
    username: d.username ?? null,
    avatar: d.avatar ?? null,
    tier: d.tier ?? 'free',
    role: d.role ?? 'user',
    provider: d.provider ?? null,
    // Legacy preferences may lack keys; they are kept as stored.
    preferences: d.preferences ? (ctx.json(d.preferences) as { fontSize: string; theme: string; language: string }) : null,
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
