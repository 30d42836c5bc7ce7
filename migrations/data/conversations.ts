/** MongoDB `conversations` → app.conversations; the legacy string `conversationId` keys the new id. */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { conversations } from '../../schema/app/conversations.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate, looseNumber } from './_legacy.js'

export default defineBackfill({
  name: 'conversations',
  collection: 'conversations',
  target: conversations,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    conversationId: z.string().min(1),
    user: bz.objectId(),
    title: z.string().nullish(),
    endpoint: z.string(),
    model: z.string(),
    agentId: z.string().nullish(),
    temperature: looseNumber().nullish(),
    top_p: looseNumber().nullish(),
    presence_penalty: looseNumber().nullish(),
    frequency_penalty: looseNumber().nullish(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    // Messages refer to conversations by this string, so it (not _id) derives the uuid.
    id: ctx.uuid('conversations', d.conversationId),
    tenant_id: ctx.tenant,
    user_id: ctx.uuid('users', d.user),
    title: d.title ?? null,
    provider: d.endpoint,
    model: d.model,
    agent_id: d.agentId ?? null,
    parameters: {
      ...(d.temperature != null ? { temperature: d.temperature } : {}),
      ...(d.top_p != null ? { topP: d.top_p } : {}),
      ...(d.presence_penalty != null ? { presencePenalty: d.presence_penalty } : {}),
      ...(d.frequency_penalty != null ? { frequencyPenalty: d.frequency_penalty } : {}),
    },
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
