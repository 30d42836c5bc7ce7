/** The schema-definition DSL: what `schema/*.ts` files import. */
export {
  Column,
  expr,
  uuid,
  text,
  varchar,
  char,
  smallint,
  integer,
  bigint,
  numeric,
  real,
  doublePrecision,
  boolean,
  date,
  time,
  timestamp,
  timestamptz,
  interval,
  json,
  jsonb,
  bytea,
  inet,
  cidr,
  macaddr,
  tsvector,
  serial,
  smallserial,
  bigserial,
  customType,
} from './column.js'
export type { AnyColumn, BigintMode, IdentitySequenceOptions, IndexKeyRef, KeyModifiers, ReferenceOptions, StandardOutput, StandardSchemaLike } from './column.js'
export { index, uniqueIndex, primaryKey, unique, foreignKey, check, exclude, IndexBuilder, UniqueBuilder, ExcludeBuilder } from './extras.js'
export type { AnyExtra, CheckExtra, ExcludeElement, ForeignKeyExtra, PrimaryKeyExtra, StorageParams } from './extras.js'
export { sql, isSQL } from './sql.js'
export type { SQL } from './sql.js'
export { table, pgSchema, enumType, extension, sequence } from './table.js'
export type {
  AnyTable,
  ColumnsShape,
  EnumType,
  Extension,
  ExtrasFn,
  InferInsert,
  InferSelect,
  PgSchema,
  Sequence,
  SequenceOptions,
  Table,
} from './table.js'
export type { TableOptions } from './table-state.js'
export { timestamps, softDelete, tenantScoped, tenantKey, tenantReference } from './conventions.js'
export type { TenantKeyOptions, TenantReferenceOptions } from './conventions.js'
export { policy, enableRls, forceRls, tenantIsolation, tenantPredicate, role, grant, revoke } from './policy.js'
export type { Grant, GrantColumn, GrantOptions, GrantTarget, Privilege, PolicyExtra, PolicyOptions, RlsExtra, RlsOption, Role, RoleRef, TenantIsolationOptions } from './policy.js'
export { partitionOf, rangePartitions, MINVALUE, MAXVALUE } from './partition.js'
export type { BoundValue, Partition, PartitionBound, PartitionByOption, PartitionOfOptions, RangeInterval, RangePartitionsOptions, RangeSlot, RetireMode } from './partition.js'
export { view, materializedView } from './view.js'
export type { AnyView, View, ViewIndexOptions, ViewOptions } from './view.js'
export { citext, vector, halfvec, sparsevec } from './extension-types.js'
export type { ExtensionTypeOptions } from './extension-types.js'
export { fn } from './routine.js'
export { domain } from './domain.js'
export { aggregate } from './aggregate.js'
export type { Aggregate, AggregateFn, AggregateOptions, AggregateType } from './aggregate.js'
export { compositeType } from './composite.js'
export { eventTrigger } from './event-trigger.js'
export { defaultPrivileges } from './default-privileges.js'
export type { DefaultPrivilegeKind, DefaultPrivileges, DefaultPrivilegesGrantOptions, DefaultPrivilegesRevokeOptions } from './default-privileges.js'
export { collation } from './collation.js'
export type { Collation, CollationOptions } from './collation.js'
export type { EventTrigger, EventTriggerOptions } from './event-trigger.js'
export type { CompositeType, CompositeTypeOptions } from './composite.js'
export type { DomainOptions, DomainType } from './domain.js'
export type { Fn, FnArg, FnOptions } from './routine.js'
export { trigger, touchFunction, touchTrigger } from './trigger.js'
export type { Trigger, TriggerOptions, TriggerTarget } from './trigger.js'
