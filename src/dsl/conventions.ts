/**
 * Convention helpers for the columns the seed data models repeat on every table; spread them into
 * a table's columns: `{ id: uuid().primaryKey().defaultRandom(), ...timestamps() }`.
 */
import type { FkAction } from '../model/types.js'
import type { AnyColumn, Column } from './column.js'
import { timestamptz, uuid } from './column.js'

/** `created_at` and `updated_at`: timestamptz NOT NULL DEFAULT now(). */
export function timestamps(): {
  created_at: Column<Date, Date | string, true, true>
  updated_at: Column<Date, Date | string, true, true>
} {
  return {
    created_at: timestamptz().notNull().defaultNow(),
    updated_at: timestamptz().notNull().defaultNow(),
  }
}

/** `deleted_at`: timestamptz NULL, set when a row is soft-deleted. */
export function softDelete(): { deleted_at: Column<Date, Date | string> } {
  return { deleted_at: timestamptz() }
}

/**
 * `tenant_id`: uuid NOT NULL, a foreign key to the tenants table (ON DELETE CASCADE unless told
 * otherwise), and an index `<table>_tenant_id_idx`.
 */
export function tenantScoped(
  tenants: () => AnyColumn,
  options: { onDelete?: FkAction } = {},
): { tenant_id: Column<string, string, true> } {
  return {
    tenant_id: uuid().notNull().references(tenants, { onDelete: options.onDelete ?? 'cascade' }).index(),
  }
}
