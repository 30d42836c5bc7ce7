/**
 * withIgnoredFrom, the one way generate, cairn diff and drift leave objects managed elsewhere alone:
 * the wanted model gets each matched object as the current one has it (present or absent), in place,
 * so diff() finds nothing to do about them and nothing else changes.
 */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import type { ColumnDef, Model, TableDef, TriggerDef } from '../../../src/model/types.js'
import { MODEL_VERSION } from '../../../src/model/types.js'
import { parseIgnore, withIgnoredFrom } from '../../../src/workflows/ignore.js'

const column = (name: string): ColumnDef => ({ name, type: 'text', notNull: false })
const table = (name: string, columns: string[]): TableDef => ({
  kind: 'table', schema: 'app', name, columns: columns.map(column), uniques: [], foreignKeys: [], checks: [], indexes: [], with: {}, policies: [],
})
const trigger = (name: string): TriggerDef =>
  ({ kind: 'trigger', schema: 'app', table: 'notes', name, definition: `CREATE TRIGGER ${name} BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.f()` }) as TriggerDef
const model = (tables: TableDef[], triggers: TriggerDef[] = []): Model =>
  ({
    version: MODEL_VERSION, schemas: [{ kind: 'schema', name: 'app' }], extensions: [], enums: [], domains: [], sequences: [], tables, views: [],
    functions: [], triggers, roles: [], grants: [],
  }) as unknown as Model

describe('withIgnoredFrom', () => {
  const current = model([table('notes', ['id', 'legacy_flag', 'body']), table('legacy_log', ['id'])], [trigger('audit_notes')])
  const wanted = model([table('notes', ['id', 'body', 'title']), table('legacy_kept', ['id'])])

  it('takes what the patterns match from the current model, in place, and leaves the rest as wanted', () => {
    const out = withIgnoredFrom(current, wanted, ['column:app.notes.legacy_*', 'app.legacy_*', 'trigger:*.audit_*'])
    expect(out.tables.map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual([
      ['notes', ['id', 'legacy_flag', 'body', 'title']],
      ['legacy_log', ['id']],
    ])
    expect(out.triggers.map((t) => t.name)).toEqual(['audit_notes'])
    const d = diff(current, out)
    expect(d.changes.map((c) => c.kind)).toEqual(['add_column'])
  })

  it('is the identity without patterns, and takes parsed rules as well as text', () => {
    expect(withIgnoredFrom(current, wanted, [])).toBe(wanted)
    expect(withIgnoredFrom(current, wanted, parseIgnore(['trigger:*.audit_*'])).triggers.map((t) => t.name)).toEqual(['audit_notes'])
  })
})
