/** MongoDB `agents` → app.agents, keyed by the legacy text id (`agent_…`). */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { agents } from '../../schema/app/agents.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseDate, looseNumber } from './_legacy.js'

export default defineBackfill({
  name: 'agents',
  collection: 'agents',
  target: agents,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    id: z.string().min(1),
    author: bz.objectId(),
    name: z.string(),
    description: z.string().nullish(),
    instructions: z.string(),
    model: z.string(),
    provider: z.string(),
    tools: z.array(z.string()).optional(),
    tool_resources: z
      .object({
        file_search: z.object({ vector_store_ids: z.array(z.string()).optional() }).optional(),
        code_interpreter: z.object({ file_ids: z.array(z.string()).optional() }).optional(),
      })
      .nullish(),
    model_parameters: z.object({ temperature: looseNumber().nullish(), top_p: looseNumber().nullish(), max_tokens: looseNumber().nullish() }).nullish(),
    avatar: z.object({ source: z.string().optional(), filepath: z.string().optional() }).nullish(),
    version: bz.int().optional(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => {
    const p = d.model_parameters ?? {}
    return {
      id: d.id,
      tenant_id: ctx.tenant,
      created_by: ctx.uuid('users', d.author),
      name: d.name,
      description: d.description ?? null,
      instructions: d.instructions,
      provider: d.provider,
      model: d.model,
      tools: d.tools ?? [],
      tool_resources: {
        ...(d.tool_resources?.file_search ? { fileSearch: { fileIds: d.tool_resources.file_search.vector_store_ids ?? [] } } : {}),
        ...(d.tool_resources?.code_interpreter ? { codeInterpreter: { fileIds: d.tool_resources.code_interpreter.file_ids ?? [] } } : {}),
      },
      parameters: {
        ...(p.temperature != null ? { temperature: p.temperature } : {}),
        ...(p.top_p != null ? { topP: p.top_p } : {}),
        ...(p.max_tokens != null ? { maxTokens: p.max_tokens } : {}),
      },
      icon: d.avatar?.filepath ?? null,
      version: d.version ?? 1,
      created_at: d.createdAt,
      updated_at: d.updatedAt ?? d.createdAt,
    }
  },
})
