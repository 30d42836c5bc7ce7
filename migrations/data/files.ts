/** MongoDB `files` → app.files. Sizes stored as strings or Longs by old clients are read as integers. */
import { z } from 'zod'
import { defineBackfill } from '../../src/data/define-backfill.js'
import * as bz from '../../src/data/bson-zod.js'
import { files } from '../../schema/app/files.js'
import { DEFAULT_TENANT, ensureDefaultTenant, looseBoolean, looseDate, looseNumber } from './_legacy.js'

export default defineBackfill({
  name: 'files',
  collection: 'files',
  target: files,
  defaultTenant: DEFAULT_TENANT,
  prepare: ensureDefaultTenant,
  document: z.object({
    _id: bz.objectId(),
    user: bz.objectId(),
    filename: z.string(),
    filepath: z.string(),
    type: z.string(),
    bytes: looseNumber().pipe(z.number().int().nonnegative().max(2147483647)),
    source: z.string(),
    file_path: z.string(),
    embedded: looseBoolean().optional(),
    vectorStoreId: z.string().nullish(),
    context: z.string().nullish(),
    metadata: bz.any().optional(),
    createdAt: looseDate(),
    updatedAt: looseDate().optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('files', d._id),
    tenant_id: ctx.tenant,
    user_id: ctx.uuid('users', d.user),
    filename: d.filename,
    original_name: d.filename,
    mime_type: d.type,
    size: d.bytes,
    storage_provider: d.source,
    storage_key: d.filepath,
    url: d.file_path,
    embedded: d.embedded ?? false,
    vector_store_id: d.vectorStoreId ?? null,
    metadata: { ...(ctx.json(d.metadata ?? {}) as object), ...(d.context ? { context: d.context } : {}) },
    created_at: d.createdAt,
    updated_at: d.updatedAt ?? d.createdAt,
  }),
})
