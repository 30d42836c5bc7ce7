/**
 * Export names and file names for pulled definitions. SQL names are kept (no camel-casing); a name
 * that is not a valid identifier has its other characters replaced by `_`; names that collide
 * (two schemas' `users`, a table called like a DSL import) are qualified by their schema or kind,
 * then numbered. Every choice depends only on the model, so a second pull writes the same names.
 */
import * as dsl from '../dsl/index.js'
import { cmp } from '../model/normalize.js'
import { RESERVED_WORDS, toIdentifier } from './ts-text.js'

/** Type names the DSL exports (values are read from the module itself). */
const DSL_TYPES = [
  'AnyColumn', 'BigintMode', 'IndexKeyRef', 'KeyModifiers', 'ReferenceOptions', 'AnyExtra', 'CheckExtra', 'ForeignKeyExtra',
  'PrimaryKeyExtra', 'StorageParams', 'SQL', 'AnyTable', 'ColumnsShape', 'EnumType', 'Extension', 'ExtrasFn', 'InferInsert',
  'InferSelect', 'PgSchema', 'Sequence', 'SequenceOptions', 'Table', 'TableOptions', 'TenantKeyOptions', 'TenantReferenceOptions',
  'Grant', 'GrantColumn', 'GrantOptions', 'GrantTarget', 'Privilege', 'PolicyExtra', 'PolicyOptions', 'RlsExtra', 'RlsOption', 'Role', 'RoleRef', 'TenantIsolationOptions', 'BoundValue',
  'Partition', 'PartitionBound', 'PartitionByOption', 'PartitionOfOptions', 'RangeSlot', 'AnyView', 'ViewIndexOptions', 'ViewOptions',
]

/** Names a pulled file never exports: JavaScript's reserved words, the DSL's exports, and `t` (the extras callback's parameter). */
export const TAKEN_NAMES: ReadonlySet<string> = new Set([...RESERVED_WORDS, ...Object.keys(dsl), ...DSL_TYPES, 't'])

/** Something a pulled file exports. */
export interface Exportable {
  /** Unique key of the object (`table:app.users`). */
  readonly key: string
  readonly kind: string
  /** The schema it lives in, if any. */
  readonly schema?: string
  /** Its SQL name. */
  readonly name: string
  /** Name to fall back to when the plain name collides, instead of `<schema>_<name>`. */
  readonly qualified?: string
}

/** Assigns each exportable a unique identifier; see the module comment. */
export function exportNames(items: readonly Exportable[]): Map<string, string> {
  const sorted = [...items].sort((a, b) => cmp(a.key, b.key))
  const base = new Map(sorted.map((i) => [i.key, toIdentifier(i.name)]))
  const count = new Map<string, number>()
  for (const b of base.values()) count.set(b, (count.get(b) ?? 0) + 1)
  const out = new Map<string, string>()
  const used = new Set<string>()
  const qualify = (i: Exportable) => toIdentifier(i.qualified ?? (i.schema !== undefined ? `${i.schema}_${i.name}` : `${i.name}_${i.kind}`))
  // first the names that are plain and unique, then the qualified ones, then numbered ones
  const pending: Exportable[] = []
  for (const i of sorted) {
    const b = base.get(i.key)!
    if (count.get(b) === 1 && !TAKEN_NAMES.has(b)) {
      out.set(i.key, b)
      used.add(b)
    } else pending.push(i)
  }
  for (const i of pending) {
    let name = qualify(i)
    if (used.has(name) || TAKEN_NAMES.has(name)) name = toIdentifier(`${name}_${i.kind}`)
    for (let n = 2; used.has(name) || TAKEN_NAMES.has(name); n++) name = `${qualify(i)}_${n}`
    out.set(i.key, name)
    used.add(name)
  }
  return out
}

/** File names (without `.ts`) for schemas, unique even on a case-insensitive file system. */
export function fileNames(schemas: readonly string[], reserved: readonly string[]): Map<string, string> {
  const used = new Set(reserved.map((r) => r.toLowerCase()))
  const out = new Map<string, string>()
  for (const s of [...schemas].sort(cmp)) {
    const safe = s.replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[-.]/, '_') || '_'
    let name = used.has(safe.toLowerCase()) ? `${safe}_schema` : safe
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${safe}_${n}`
    used.add(name.toLowerCase())
    out.set(s, name)
  }
  return out
}
