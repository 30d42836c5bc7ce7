/** Small builders for model fixtures in diff/plan tests. */
import { emptyModel, type ColumnDef, type Model, type TableDef } from '../../../src/model/types.js'

/** A column; notNull defaults to false. */
export function col(name: string, type: string, extra: Partial<ColumnDef> = {}): ColumnDef {
  return { name, type, notNull: false, ...extra }
}

/** A table with empty collections unless given. */
export function table(schema: string, name: string, columns: ColumnDef[], extra: Partial<TableDef> = {}): TableDef {
  return {
    kind: 'table',
    schema,
    name,
    columns,
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
    with: {},
    policies: [],
    ...extra,
  }
}

/** A model from parts; `app` schema is declared when any table lives in it. */
export function model(parts: Partial<Model> = {}): Model {
  const m = { ...emptyModel(), ...parts }
  const schemas = new Set([...(parts.tables ?? []).map((t) => t.schema), ...(parts.enums ?? []).map((e) => e.schema), ...(parts.domains ?? []).map((d) => d.schema)])
  schemas.delete('public')
  const declared = new Set(m.schemas.map((s) => s.name))
  return {
    ...m,
    schemas: [...m.schemas, ...[...schemas].filter((s) => !declared.has(s)).map((name) => ({ kind: 'schema' as const, name }))],
  }
}
