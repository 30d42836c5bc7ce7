/**
 * MongoDB `messages` → app.messages plus app.message_files (one join row per entry of `files`).
 * The legacy `messageId` string keys the new id, so `parentMessageId` resolves to the parent's id
 * without a lookup; the all-zero parent id marks a conversation's first message.
 */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { messages } from '../../schema/app/messages.js'
import { messageFiles } from '../../schema/app/message-files.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate } from './_legacy.js'

const ROOT_PARENT = '00000000-0000-0000-0000-000000000000'

export default defineBackfill({
  name: 'messages',
  collection: 'messages',
  target: messages,
  extraTargets: { files: messageFiles },
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    messageId: z.string().min(1),
    conversationId: z.string().min(1),
    sender: z.string().nullish(),
    isCreatedByUser: z.boolean().nullish(),
    text: z.string().nullish(),
    parentMessageId: z.string().nullish(),
    error: z.boolean().nullish(),
    model: z.string().nullish(),
    endpoint: z.string().nullish(),
    finish_reason: z.string().nullish(),
    tokenCount: bz.int().nullish(),
    files: z.array(bz.objectId()).optional(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => {
    const id = ctx.uuid('messages', d.messageId)
    const byUser = d.isCreatedByUser ?? d.sender === 'User'
    const fileIds = [...new Set((d.files ?? []).map((f) => ctx.uuid('files', f)))]
    return ctx.rows(
      {
        id,
        conversation_id: ctx.uuid('conversations', d.conversationId),
        tenant_id: ctx.tenant,
        // A message without text (legacy error placeholders) keeps an empty body.
        content: d.text ?? '',
        role: byUser ? 'user' : 'assistant',
        parent_id: !d.parentMessageId || d.parentMessageId === ROOT_PARENT ? null : ctx.uuid('messages', d.parentMessageId),
        model: d.model ?? null,
        provider: d.endpoint ?? null,
        finish_reason: d.finish_reason ?? null,
        completion_tokens: byUser ? null : (d.tokenCount ?? null),
        prompt_tokens: byUser ? (d.tokenCount ?? null) : null,
        error: d.error ?? false,
        created_at: d.createdAt,
        updated_at: d.updatedAt ?? d.createdAt,
      },
      { files: fileIds.map((file_id) => ({ message_id: id, file_id, tenant_id: ctx.tenant })) },
    )
  },
})
