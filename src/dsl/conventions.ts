/**
 * Convention helpers for the columns the seed data models repeat on every table; spread them into
 * a table's columns: `{ id: uuid().primaryKey().defaultRandom(), ...timestamps() }`.
 */
import type { FkAction } from '../model/types.js'
import type { AnyColumn, Column } from './column.js'
import { bigint, timestamptz, uuid } from './column.js'
import type { ForeignKeyExtra, UniqueBuilder } from './extras.js'
import { foreignKey, unique } from './extras.js'
import { makeObjectName } from './names.js'
import type { AnyTable } from './table.js'
import { tableState } from './table.js'
import { currentExtrasTable } from './table-state.js'
import { markTouched } from './trigger.js'

/**
 * `created_at` and `updated_at`: timestamptz NOT NULL DEFAULT now(). With `touch: true`, a BEFORE
 * UPDATE row trigger `touch_updated_at` keeps `updated_at` current, calling the function
 * `<schema>.touch_updated_at()` (one per schema, created with the first table that needs it).
 */
export function timestamps(options: { touch?: boolean } = {}): {
  created_at: Column<Date, Date | string, true, true>
  updated_at: Column<Date, Date | string, true, true>
} {
  const updated = timestamptz().notNull().defaultNow()
  if (options.touch) markTouched(updated)
  return {
    created_at: timestamptz().notNull().defaultNow(),
    updated_at: updated,
  }
}

/** `deleted_at`: timestamptz NULL, set when a row is soft-deleted. */
export function softDelete(): { deleted_at: Column<Date, Date | string> } {
  return { deleted_at: timestamptz() }
}

/** Options of tenantScoped(). */
export interface TenantScopedOptions {
  readonly onDelete?: FkAction
  /** The key type, the tenants table's id: `uuid` (default) or `bigint` (internal numeric ids). */
  readonly type?: 'uuid' | 'bigint'
}

/**
 * `tenant_id`: uuid NOT NULL (bigint with `type: 'bigint'`), a foreign key to the tenants table
 * (ON DELETE CASCADE unless told otherwise), and an index `<table>_tenant_id_idx`.
 */
export function tenantScoped(tenants: () => AnyColumn, options: TenantScopedOptions & { type: 'bigint' }): { tenant_id: Column<number, number, true> }
export function tenantScoped(tenants: () => AnyColumn, options?: TenantScopedOptions & { type?: 'uuid' }): { tenant_id: Column<string, string, true> }
export function tenantScoped(
  tenants: () => AnyColumn,
  options: TenantScopedOptions = {},
): { tenant_id: Column<string, string, true> | Column<number, number, true> } {
  const column = options.type === 'bigint' ? bigint() : uuid()
  return {
    tenant_id: column.notNull().references(tenants, { onDelete: options.onDelete ?? 'cascade' }).index(),
  }
}

/** Options of tenantKey() and tenantReference(). */
export interface TenantKeyOptions {
  /** The tenant column, on both sides (default `tenant_id`). */
  readonly tenantColumn?: string
  /** The parent's own key column (default `id`). */
  readonly key?: string
  /** The constraint name. */
  readonly name?: string
}

/** Options of tenantReference(). */
export interface TenantReferenceOptions extends TenantKeyOptions {
  readonly onDelete?: FkAction
  readonly onUpdate?: FkAction
}

const columnNamed = (columns: Iterable<AnyColumn>, name: string): AnyColumn | undefined => {
  for (const c of columns) if (c.name === name) return c
  return undefined
}

/**
 * UNIQUE (tenant_id, id) in the extras of a tenant-scoped table that others reference: the key
 * tenantReference() points at (named `<table>_tenant_id_id_key` unless given a name).
 */
export function tenantKey(options: TenantKeyOptions = {}): UniqueBuilder {
  const t = currentExtrasTable()
  if (!t) throw new TypeError("tenantKey() belongs in a table's extras callback")
  const cols = [columnNamed(t.columns.values(), options.tenantColumn ?? 'tenant_id'), columnNamed(t.columns.values(), options.key ?? 'id')]
  // a missing column is reported by validation (unknown_column)
  return unique(options.name).on(...(cols as AnyColumn[]))
}

/**
 * FOREIGN KEY (tenant_id, column) REFERENCES parent (tenant_id, id), in the extras of a
 * tenant-scoped table: a row can only point at a parent of its own tenant. A plain `.references()`
 * to the parent's id accepts another tenant's parent, because foreign-key checks do not see
 * row-level security. The parent needs tenantKey(). Named `<table>_<column>_fkey` unless given a
 * name, like a single-column foreign key.
 */
export function tenantReference(column: AnyColumn, parent: () => AnyTable, options: TenantReferenceOptions = {}): ForeignKeyExtra {
  const tenantColumn = options.tenantColumn ?? 'tenant_id'
  const t = column?.table ?? currentExtrasTable()
  const name = options.name ?? (t && column ? makeObjectName(t.name, column.name, 'fkey') : undefined)
  return foreignKey({
    columns: [t ? columnNamed(t.columns.values(), tenantColumn) : undefined, column] as AnyColumn[],
    foreignColumns: () => {
      const p = tableState(parent())
      if (!p) throw new TypeError('the parent of tenantReference() is not a table')
      return [columnNamed(p.columns.values(), tenantColumn), columnNamed(p.columns.values(), options.key ?? 'id')] as AnyColumn[]
    },
    ...(name ? { name } : {}),
    ...(options.onDelete ? { onDelete: options.onDelete } : {}),
    ...(options.onUpdate ? { onUpdate: options.onUpdate } : {}),
  })
}
