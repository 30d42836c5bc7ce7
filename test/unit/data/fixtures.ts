/**
 * Shared fixtures of the backfill tests: small model tables (users, messages, message_files) built
 * as plain TableDefs, their DDL, and legacy-style documents.
 */
import { ObjectId } from 'bson'
import { z } from 'zod'
import type { ColumnDef, ForeignKeyDef, Model, TableDef } from '../../../src/model/types.js'
import { emptyModel } from '../../../src/model/types.js'
import { renderModel } from '../../../src/plan/render-model.js'
import type { Database } from '../../../src/db/database.js'
import { defineBackfill } from '../../../src/data/define-backfill.js'
import * as bz from '../../../src/data/bson-zod.js'

type Col = [name: string, type: string, notNull?: boolean, dflt?: string]

/** A TableDef from a compact description. */
export function table(
  schema: string,
  name: string,
  cols: Col[],
  pk: string[],
  options: { fks?: Omit<ForeignKeyDef, 'onDelete' | 'onUpdate' | 'name'>[]; uniques?: string[][] } = {},
): TableDef {
  const columns: ColumnDef[] = cols.map(([n, type, notNull, d]) => ({ name: n, type, notNull: Boolean(notNull) || pk.includes(n), ...(d ? { default: d } : {}) }))
  return {
    kind: 'table',
    schema,
    name,
    columns,
    primaryKey: { name: `${name}_pkey`, columns: pk },
    uniques: (options.uniques ?? []).map((u) => ({ name: `${name}_${u.join('_')}_key`, columns: u })),
    foreignKeys: (options.fks ?? []).map((f) => ({ ...f, name: `${name}_${f.columns.join('_')}_fkey`, onDelete: 'no action', onUpdate: 'no action' })),
    checks: [],
    indexes: [],
    with: {},
    policies: [],
  }
}

export const users = table(
  'app',
  'users',
  [
    ['id', 'uuid'],
    ['tenant_id', 'uuid', true],
    ['email', 'text', true],
    ['name', 'text'],
    ['age', 'integer'],
    ['created_at', 'timestamp with time zone', true, 'now()'],
    ['preferences', 'jsonb'],
  ],
  ['id'],
  { uniques: [['email']] },
)

export const messages = table(
  'app',
  'messages',
  [
    ['id', 'uuid'],
    ['user_id', 'uuid', true],
    ['parent_id', 'uuid'],
    ['content', 'text', true],
    ['tokens', 'bigint'],
    ['created_at', 'timestamp with time zone', true, 'now()'],
  ],
  ['id'],
  {
    fks: [
      { columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'] },
      { columns: ['parent_id'], refSchema: 'app', refTable: 'messages', refColumns: ['id'] },
    ],
  },
)

export const messageFiles = table(
  'app',
  'message_files',
  [
    ['message_id', 'uuid'],
    ['file_id', 'text'],
    ['position', 'integer', true],
  ],
  ['message_id', 'file_id'],
  { fks: [{ columns: ['message_id'], refSchema: 'app', refTable: 'messages', refColumns: ['id'] }] },
)

export const TENANT = '00000000-0000-4000-8000-000000000001'

/** The model of the fixture tables. */
export function fixtureModel(): Model {
  return { ...emptyModel(), schemas: [{ kind: 'schema', name: 'app' }], tables: [users, messages, messageFiles] }
}

/** Drops and recreates the fixture schema and the bookkeeping schema. */
export async function resetDatabase(db: Database): Promise<void> {
  await db.exec('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA IF EXISTS cairn CASCADE;')
  for (const s of renderModel(fixtureModel())) await db.exec(s)
}

// _bsontype checks: job files are imported through tsx, possibly with their own copy of bson.
const oid = bz.objectId()

export const usersJob = defineBackfill({
  name: 'users',
  collection: 'users',
  target: users,
  defaultTenant: TENANT,
  batchSize: 3,
  document: z.object({
    _id: oid,
    email: z.string().email(),
    name: z.string().nullish(),
    age: z.unknown().optional(),
    createdAt: z.date().optional(),
    preferences: z.record(z.string(), z.unknown()).optional(),
  }),
  map: (d, ctx) => ({
    id: ctx.uuid('users', d._id),
    tenant_id: ctx.tenant,
    email: d.email.toLowerCase(),
    name: d.name ?? null,
    age: ctx.int(d.age),
    created_at: d.createdAt,
    preferences: d.preferences === undefined ? undefined : ctx.json(d.preferences),
  }),
})

export const messagesJob = defineBackfill({
  name: 'messages',
  collection: 'messages',
  target: messages,
  extraTargets: { files: messageFiles },
  batchSize: 4,
  document: z.object({
    _id: oid,
    user: oid,
    parent: oid.nullish(),
    text: z.string(),
    tokens: z.unknown().optional(),
    files: z.array(z.string()).default([]),
  }),
  map: (d, ctx) => {
    const id = ctx.uuid('messages', d._id)
    return ctx.rows(
      { id, user_id: ctx.uuid('users', d.user), parent_id: ctx.ref('messages', d.parent), content: d.text, tokens: ctx.long(d.tokens) },
      { files: d.files.map((f, i) => ({ message_id: id, file_id: f, position: i })) },
    )
  },
})

/** A deterministic ObjectId from a small number (sorted like the number). */
export function oidOf(n: number): ObjectId {
  return new ObjectId(n.toString(16).padStart(24, '0'))
}

/** `n` valid user documents. */
export function userDocs(n: number, start = 1): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    _id: oidOf(start + i),
    email: `user${start + i}@example.com`,
    name: `User ${start + i}`,
    createdAt: new Date(Date.UTC(2024, 0, 1 + i)),
    preferences: { theme: 'dark', fontSize: 14 },
  }))
}
