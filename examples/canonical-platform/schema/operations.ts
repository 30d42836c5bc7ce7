/**
 * Operational tables: background jobs (entity → jobs), progress checkpoints of long processes,
 * the events emitted or processed (entity → events), and the security and compliance audit log.
 * Entities are referred to by type and public id, since a job or event may outlive its entity.
 */
import {
  bigint, check, index, inet, integer, jsonb, sql, tenantIsolation, tenantReference, tenantScoped, timestamps, timestamptz, unique, uuid, varchar,
} from '../../../src/dsl/index.js'
import { users } from './identity.js'
import { platform, tenants } from './tenancy.js'

const scoped = () => tenantScoped(() => tenants.id, { type: 'bigint' })

export const jobs = platform.table(
  'jobs',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    public_id: uuid().notNull().unique().defaultRandom(),
    ...scoped(),
    kind: varchar(100).notNull(),
    status: varchar(20).notNull().default('queued'),
    entity_type: varchar(50),
    entity_id: uuid(),
    payload: jsonb<Record<string, unknown>>().notNull().default({}),
    attempts: integer().notNull().default(0),
    max_attempts: integer().notNull().default(5),
    run_after: timestamptz().notNull().defaultNow(),
    started_at: timestamptz(),
    finished_at: timestamptz(),
    last_error: varchar(4000),
    ...timestamps(),
  },
  (t) => [
    check('jobs_status_check', sql`(${t.status})::text IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    check('jobs_attempts_check', sql`${t.attempts} >= 0 AND ${t.attempts} <= ${t.max_attempts}`),
    check('jobs_finished_check', sql`${t.finished_at} IS NULL OR ${t.started_at} IS NOT NULL AND ${t.finished_at} >= ${t.started_at}`),
    // the workers' queue: what is due, oldest first
    index('jobs_due_idx').on(t.run_after).where(sql`${t.status} = 'queued'`),
    index('jobs_entity_idx').on(t.tenant_id, t.entity_type, t.entity_id),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Background task tracking' },
)

export const pipelineCheckpoints = platform.table(
  'pipeline_checkpoints',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...scoped(),
    pipeline: varchar(100).notNull(),
    scope: varchar(200).notNull().default('').comment('What part of the input this checkpoint covers (a dataset, a shard); empty: all of it'),
    position: jsonb<Record<string, unknown>>().notNull().comment('Where to resume: a cursor, a last key, an offset'),
    processed_count: bigint().notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    unique('pipeline_checkpoints_tenant_id_pipeline_scope_key').on(t.tenant_id, t.pipeline, t.scope),
    check('pipeline_checkpoints_processed_count_check', sql`${t.processed_count} >= 0`),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Progress tracking for long processes' },
)

export const eventLogs = platform.table(
  'event_logs',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...scoped(),
    event_type: varchar(100).notNull(),
    direction: varchar(10).notNull(),
    entity_type: varchar(50),
    entity_id: uuid(),
    payload: jsonb<Record<string, unknown>>().notNull().default({}),
    occurred_at: timestamptz().notNull().defaultNow(),
    processed_at: timestamptz(),
    ...timestamps(),
  },
  (t) => [
    check('event_logs_direction_check', sql`(${t.direction})::text IN ('emitted', 'received')`),
    index('event_logs_entity_idx').on(t.tenant_id, t.entity_type, t.entity_id),
    index('event_logs_unprocessed_idx').on(t.occurred_at).where(sql`${t.processed_at} IS NULL`),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Record of emitted or processed events' },
)

export const auditLogs = platform.table(
  'audit_logs',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    ...scoped(),
    actor_user_id: bigint(),
    action: varchar(100).notNull(),
    resource_type: varchar(50).notNull(),
    resource_id: uuid(),
    details: jsonb<Record<string, unknown>>().notNull().default({}),
    ip_address: inet(),
    ...timestamps(),
  },
  (t) => [
    tenantReference(t.actor_user_id, () => users, { name: 'audit_logs_actor_user_id_fkey' }),
    index('audit_logs_tenant_created_idx').on(t.tenant_id, t.created_at.desc()),
    index('audit_logs_resource_idx').on(t.resource_type, t.resource_id),
    tenantIsolation({ type: 'bigint' }),
  ],
  { comment: 'Security and compliance records' },
)
