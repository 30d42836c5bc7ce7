/**
 * diff(from, to): the changes that turn the `from` model into the `to` model. Pure: no I/O, no SQL.
 * Renames come only from `renamedFrom` hints or from the injected resolver; the planner orders the
 * changes and makes them lock-safe.
 */
import type {
  CollationDef,
  ColumnDef,
  DefaultPrivilegeDef,
  DomainDef,
  FunctionDef,
  GrantDef,
  IndexDef,
  Model,
  PolicyDef,
  PrimaryKeyDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from '../model/types.js'
import { cmp, defaultPrivilegeKey, normalizeModel, stripHints } from '../model/normalize.js'
import { ident, qname } from '../sqlgen/quote.js'
import type { Change, CommentTarget, DiffResult, DiffWarning, RenameResolver, TableRef } from './changes.js'
import { resolveRenames } from './renames.js'
import { classifyTypeChange } from './type-change.js'

/** Options of diff(). */
export interface DiffOptions {
  /** Answers look-alike drop+add pairs; without it such pairs make the result 'needs_input'. */
  readonly resolveRenames?: RenameResolver
}

/** JSON with sorted keys: a deep equality that ignores key order. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => cmp(a, b)))
      : val,
  )
}

function without<T extends object, K extends string>(o: T, ...keys: K[]): Omit<T, K> {
  const out = { ...o } as Record<string, unknown>
  for (const k of keys) delete out[k]
  return out as Omit<T, K>
}

const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b)
const k2 = (schema: string, name: string) => `${schema}.${name}`

function byKey<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T> {
  return new Map(items.map((i) => [keyOf(i), i]))
}

/** The return clause of a function definition (`RETURNS integer`), used to decide replace vs drop+create. */
function returnsOf(f: FunctionDef): string {
  return /\bRETURNS\s+([^\n]+)/i.exec(f.definition)?.[1]?.trim() ?? ''
}

/** True when `text` names `schema.name` as a whole qualified identifier. */
export function mentions(text: string, schema: string, name: string): boolean {
  const q = qname(schema, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![\\w"$])${q}(?![\\w"$])`).test(text)
}

function usesIdentifier(text: string, column: string): boolean {
  return new RegExp(`(?<![\\w"$])"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?(?![\\w$])`).test(text)
}

function mentionsColumn(v: ViewDef, t: TableRef, column: string): boolean {
  return mentions(v.definition, t.schema, t.name) && usesIdentifier(v.definition, column)
}

/** Computes the changes from `from` to `to`; see DiffResult for the 'needs_input' case. */
export function diff(fromModel: Model, toModel: Model, options: DiffOptions = {}): DiffResult {
  const from0 = normalizeModel(fromModel)
  const toHinted = normalizeModel(toModel)
  const renamed = resolveRenames(stripHints(from0), toHinted, options.resolveRenames)
  if (renamed.candidates.length) return { status: 'needs_input', changes: [], candidates: renamed.candidates }
  const from = normalizeModel(renamed.from)
  const to = stripHints(toHinted)
  const out: Change[] = [...renamed.renames]
  const comment = (target: CommentTarget, a: string | undefined, b: string | undefined) => {
    if (a !== b) out.push({ kind: 'set_comment', target, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) })
  }

  // schemas
  const fromSchemas = byKey(from.schemas, (s) => s.name)
  const toSchemas = byKey(to.schemas, (s) => s.name)
  for (const s of to.schemas) {
    const f = fromSchemas.get(s.name)
    if (!f) out.push({ kind: 'create_schema', schema: s })
    comment({ on: 'schema', name: s.name }, f?.comment, s.comment)
  }
  for (const s of from.schemas) if (!toSchemas.has(s.name)) out.push({ kind: 'drop_schema', schema: s })
  const droppedSchemas = new Set(from.schemas.filter((s) => !toSchemas.has(s.name)).map((s) => s.name))

  // extensions
  const fromExt = byKey(from.extensions, (e) => e.name)
  const toExt = byKey(to.extensions, (e) => e.name)
  for (const e of to.extensions) {
    const f = fromExt.get(e.name)
    if (!f) out.push({ kind: 'create_extension', extension: e })
    else if (f.schema !== e.schema) out.push({ kind: 'alter_extension_schema', from: f, to: e })
  }
  for (const e of from.extensions) if (!toExt.has(e.name)) out.push({ kind: 'drop_extension', extension: e })

  // roles
  const fromRoles = byKey(from.roles, (r) => r.name)
  const toRoles = byKey(to.roles, (r) => r.name)
  for (const r of to.roles) {
    const f = fromRoles.get(r.name)
    if (!f) out.push({ kind: 'create_role', role: r })
    else if (!same(f, r)) out.push({ kind: 'alter_role', from: f, to: r })
  }
  for (const r of from.roles) if (!toRoles.has(r.name)) out.push({ kind: 'drop_role', role: r })

  // enums: values added in place; removed or reordered values mean a new type (the old one renamed
  // aside, the columns moved over, the old one dropped); a type whose columns move to another type
  // is dropped after them
  const fromEnums = byKey(from.enums, (e) => k2(e.schema, e.name))
  const toEnums = byKey(to.enums, (e) => k2(e.schema, e.name))
  /** Recreated enums by qualified name: their columns are retyped even though the type name stays. */
  const recreatedEnums = new Set<string>()
  for (const e of to.enums) {
    const f = fromEnums.get(k2(e.schema, e.name))
    if (!f) out.push({ kind: 'create_enum', enum: e })
    else if (!same(f.values, e.values)) {
      let i = 0
      for (const v of e.values) if (i < f.values.length && v === f.values[i]) i++
      const isSuperSequence = i === f.values.length
      if (!isSuperSequence) {
        const blockers = typeUsers(from, f.schema, f.name).filter((u) => !u.startsWith('column '))
        if (blockers.length) {
          const removed = f.values.filter((v) => !e.values.includes(v))
          out.push({
            kind: 'unsupported',
            object: `${e.schema}.${e.name}`,
            objectKind: 'enum',
            message:
              `enum ${qname(e.schema, e.name)} changes from (${f.values.join(', ')}) to (${e.values.join(', ')})` +
              `${removed.length ? `, removing ${removed.join(', ')}` : ', reordering its values'}: the type must be created again, and ${blockers.slice(0, 3).join(', ')} use${blockers.length === 1 ? 's' : ''} it`,
            hint: 'a renamed value can be kept in place with a hint (valuesRenamedFrom / .renameValue()); otherwise move the listed objects off the type in a hand-written migration first',
          })
        } else {
          out.push({ kind: 'recreate_enum', from: f, to: e, asideName: asideName(e.name, from) })
          recreatedEnums.add(qname(e.schema, e.name))
        }
      } else {
        e.values.forEach((v, idx) => {
          if (f.values.includes(v)) return
          if (idx > 0) out.push({ kind: 'add_enum_value', enum: e, value: v, after: e.values[idx - 1] })
          else out.push({ kind: 'add_enum_value', enum: e, value: v, before: e.values[1] })
        })
      }
    }
    comment({ on: 'enum', schema: e.schema, name: e.name }, f?.comment, e.comment)
  }
  for (const e of from.enums) {
    if (toEnums.has(k2(e.schema, e.name))) continue
    out.push({ kind: 'drop_enum', enum: e, ...(retypedFrom(e.schema, e.name) ? { afterColumns: true } : {}) })
  }
  const enumTypes = new Set([...from.enums, ...to.enums].map((e) => qname(e.schema, e.name)))
  const baseOf = (type: string) => type.replace(/(\[\])+$/, '')
  /** The USING expression of a type change that needs one: enums convert through text. */
  const usingFor = (column: string, fromType: string, toType: string): string => {
    const viaText = enumTypes.has(baseOf(fromType)) || (enumTypes.has(baseOf(toType)) && !/^(text|character varying|character)\b/.test(fromType))
    if (!viaText) return `${ident(column)}::${toType}`
    const arrays = fromType.endsWith('[]') && toType.endsWith('[]')
    return `${ident(column)}::text${arrays ? '[]' : ''}::${toType}`
  }

  // collations: nothing of one can be altered; a changed one is made again while nothing uses it
  const fromColl = byKey(from.collations ?? [], (c) => k2(c.schema, c.name))
  const toColl = byKey(to.collations ?? [], (c) => k2(c.schema, c.name))
  const collationUsers = (m: Model, c: CollationDef): string[] => {
    const q = qname(c.schema, c.name)
    return [
      ...m.tables.flatMap((t) => [
        ...t.columns.filter((x) => x.collation === q).map((x) => `column ${t.schema}.${t.name}.${x.name}`),
        ...t.indexes.filter((ix) => ix.keys.some((k) => k.collation === q)).map((ix) => `index ${t.schema}.${ix.name}`),
      ]),
      ...m.domains.filter((d) => d.collation === q).map((d) => `domain ${d.schema}.${d.name}`),
    ]
  }
  for (const c of to.collations ?? []) {
    const f = fromColl.get(k2(c.schema, c.name))
    let kept = f
    if (!f) out.push({ kind: 'create_collation', collation: c })
    else if (!same(without(f, 'comment'), without(c, 'comment'))) {
      const users = collationUsers(from, f)
      if (users.length) {
        out.push({
          kind: 'unsupported',
          object: `${c.schema}.${c.name}`,
          objectKind: 'collation',
          message: `collation ${qname(c.schema, c.name)} changes, and ${users.slice(0, 3).join(', ')}${users.length > 3 ? ' and more' : ''} use${users.length === 1 ? 's' : ''} it: Postgres cannot alter a collation`,
          hint: 'create the new collation under another name, move each column and index to it in a hand-written migration, then drop the old one',
        })
      } else {
        out.push({ kind: 'drop_collation', collation: f }, { kind: 'create_collation', collation: c })
        kept = undefined
      }
    }
    comment({ on: 'collation', schema: c.schema, name: c.name }, kept?.comment, c.comment)
  }
  for (const f of from.collations ?? []) {
    if (!toColl.has(k2(f.schema, f.name))) out.push({ kind: 'drop_collation', collation: f, ...(collationUsers(from, f).length ? { afterColumns: true } : {}) })
  }

  // domains: defaults, NOT NULL and checks are altered in place; a new base type or collation
  // means a new domain (possible here only while nothing uses it)
  const fromDomains = byKey(from.domains, (d) => k2(d.schema, d.name))
  const toDomains = byKey(to.domains, (d) => k2(d.schema, d.name))
  function typeUsers(m: Model, schema: string, name: string): string[] {
    const q = qname(schema, name)
    const uses = (type: string) => type === q || type.startsWith(`${q}[`)
    return [
      ...m.tables.flatMap((t) => t.columns.filter((c) => uses(c.type)).map((c) => `column ${t.schema}.${t.name}.${c.name}`)),
      ...m.domains.filter((d) => uses(d.type)).map((d) => `domain ${d.schema}.${d.name}`),
      ...m.functions.filter((f) => mentions(f.definition, schema, name)).map((f) => `function ${f.schema}.${f.name}(${f.args})`),
    ]
  }
  const domainChecks = (f: DomainDef | undefined, d: DomainDef) => {
    const fc = byKey(f?.checks ?? [], (c) => c.name)
    const tc = byKey(d.checks, (c) => c.name)
    for (const c of f?.checks ?? []) {
      const n = tc.get(c.name)
      if (!n || n.expression !== c.expression) out.push({ kind: 'drop_domain_check', domain: d, check: c })
    }
    for (const c of d.checks) {
      const o = fc.get(c.name)
      const fresh = !o || o.expression !== c.expression
      if (fresh && f) out.push({ kind: 'add_domain_check', domain: d, check: c })
      comment({ on: 'domain_constraint', schema: d.schema, domain: d.name, name: c.name }, fresh ? undefined : o?.comment, c.comment)
    }
  }
  for (const d of to.domains) {
    const f = fromDomains.get(k2(d.schema, d.name))
    // the domain whose checks are altered in place, if it is not created (again)
    let kept: DomainDef | undefined = f
    if (!f) out.push({ kind: 'create_domain', domain: d })
    else if (f.type !== d.type || f.collation !== d.collation) {
      const users = typeUsers(from, f.schema, f.name)
      if (users.length) {
        out.push({
          kind: 'unsupported',
          object: `${d.schema}.${d.name}`,
          objectKind: 'domain',
          message: `domain ${qname(d.schema, d.name)} changes its base type from ${f.type}${f.collation ? ` collate ${f.collation}` : ''} to ${d.type}${d.collation ? ` collate ${d.collation}` : ''}, and ${users.slice(0, 3).join(', ')}${users.length > 3 ? ' and more' : ''} use${users.length === 1 ? 's' : ''} it`,
          hint: 'Postgres cannot change the base type of a domain: create a new domain under another name, move each column to it (ALTER COLUMN … TYPE new_domain USING col::base_type::new_domain) in a hand-written migration, drop the old domain, then rename the new one',
        })
      } else {
        out.push({ kind: 'drop_domain', domain: f }, { kind: 'create_domain', domain: d })
        kept = undefined
      }
    } else if (f.default !== d.default || f.notNull !== d.notNull) out.push({ kind: 'alter_domain', from: f, to: d })
    comment({ on: 'domain', schema: d.schema, name: d.name }, kept?.comment, d.comment)
    domainChecks(kept, d)
  }
  for (const f of from.domains) {
    if (toDomains.has(k2(f.schema, f.name))) continue
    out.push({ kind: 'drop_domain', domain: f, ...(typeUsers(to, f.schema, f.name).length || retypedFrom(f.schema, f.name) ? { afterColumns: true } : {}) })
  }
  /** True when a column of a table kept in `to` has the type now and loses it. */
  function retypedFrom(schema: string, name: string): boolean {
    const q = qname(schema, name)
    return from.tables.some((t) => {
      const n = to.tables.find((x) => x.schema === t.schema && x.name === t.name)
      return n !== undefined && t.columns.some((c) => (c.type === q || c.type.startsWith(`${q}[`)) && n.columns.some((x) => x.name === c.name && x.type !== c.type))
    })
  }

  // tables
  const fromTables = byKey(from.tables, (t) => k2(t.schema, t.name))
  const toTables = byKey(to.tables, (t) => k2(t.schema, t.name))
  const droppedTables = new Set(from.tables.filter((t) => !toTables.has(k2(t.schema, t.name))).map((t) => k2(t.schema, t.name)))
  /** Columns dropped or retyped: views using them must be dropped first and recreated after. */
  const touchedColumns: { table: TableRef; column: string }[] = []
  const droppedColumns = new Set<string>()

  // sequences (a sequence owned by a dropped column or table goes away with it)
  const fromSeq = byKey(from.sequences, (s) => k2(s.schema, s.name))
  const toSeq = byKey(to.sequences, (s) => k2(s.schema, s.name))

  const tableChanges: Change[] = []
  const fkDrops: Change[] = []
  const fkAdds: Change[] = []
  for (const t of to.tables) {
    const f = fromTables.get(k2(t.schema, t.name))
    if (!f) {
      tableChanges.push({ kind: 'create_table', table: t })
      if (t.partitionOf) partitionOverrides(t)
      for (const fk of t.foreignKeys) fkAdds.push({ kind: 'add_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: fk, ...(t.partitionBy ? { partitioned: true } : {}) })
      comment({ on: 'table', schema: t.schema, name: t.name }, undefined, t.comment)
      for (const c of t.columns) comment({ on: 'column', schema: t.schema, table: t.name, name: c.name }, undefined, c.comment)
      for (const ix of t.indexes) comment({ on: 'index', schema: t.schema, name: ix.name }, undefined, ix.comment)
      for (const k of constraintsOf(t)) comment({ on: 'constraint', schema: t.schema, table: t.name, name: k.name }, undefined, k.comment)
      continue
    }
    diffTable(f, t)
  }
  for (const f of from.tables) {
    if (toTables.has(k2(f.schema, f.name))) continue
    for (const fk of f.foreignKeys) fkDrops.push({ kind: 'drop_foreign_key', table: { schema: f.schema, name: f.name }, foreignKey: fk })
    tableChanges.push({ kind: 'drop_table', table: f })
  }

  /** A new partition copies its parent's columns: its own defaults and NOT NULLs are set after. */
  function partitionOverrides(t: TableDef): void {
    const p = t.partitionOf && toTables.get(k2(t.partitionOf.parentSchema, t.partitionOf.parent))
    if (!p) return
    const ref: TableRef = { schema: t.schema, name: t.name }
    for (const c of t.columns) {
      const pc = p.columns.find((x) => x.name === c.name)
      if (!pc) continue
      if (c.default !== undefined && c.default !== pc.default) {
        tableChanges.push({ kind: 'alter_column_default', table: ref, column: c.name, ...(pc.default !== undefined ? { from: pc.default } : {}), to: c.default })
      }
      if (c.notNull && !pc.notNull) tableChanges.push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: true })
    }
  }

  function diffTable(f: TableDef, t: TableDef): void {
    const ref: TableRef = { schema: t.schema, name: t.name }
    const name = `${t.schema}.${t.name}`
    comment({ on: 'table', schema: t.schema, name: t.name }, f.comment, t.comment)
    if (!same(f.partitionBy, t.partitionBy)) {
      const what = !f.partitionBy
        ? 'a plain table cannot become a partitioned one'
        : !t.partitionBy
          ? 'a partitioned table cannot become a plain one'
          : `its partition key changes from ${f.partitionBy.strategy} ${f.partitionBy.key} to ${t.partitionBy.strategy} ${t.partitionBy.key}`
      tableChanges.push({
        kind: 'unsupported',
        object: name,
        objectKind: 'table',
        message: `table ${qname(t.schema, t.name)}: ${what}`,
        hint: `write the migration by hand: create the new table ${t.partitionBy ? `with PARTITION BY ${t.partitionBy.strategy.toUpperCase()} ${t.partitionBy.key} ` : ''}under a new name, copy the rows (INSERT … SELECT), swap the names with ALTER TABLE … RENAME, then drop the old table`,
      })
    }
    if (!same(f.partitionOf, t.partitionOf)) {
      if (f.partitionOf) tableChanges.push({ kind: 'detach_partition', table: f })
      if (t.partitionOf) tableChanges.push({ kind: 'attach_partition', table: t })
    }
    // columns; a partition's columns follow its parent's, and Postgres propagates the parent's
    // ADD/DROP/ALTER COLUMN to every partition (and refuses them on a partition directly)
    const fc = byKey(f.columns, (c) => c.name)
    const tc = byKey(t.columns, (c) => c.name)
    const follows = followsParent(f, t)
    for (const c of f.columns) {
      if (!tc.has(c.name) && follows(c.name)) continue
      if (!tc.has(c.name)) {
        tableChanges.push({ kind: 'drop_column', table: ref, column: c })
        touchedColumns.push({ table: ref, column: c.name })
        droppedColumns.add(`${name}.${c.name}`)
      }
    }
    for (const c of t.columns) {
      const o = fc.get(c.name)
      if (!o && follows(c.name)) continue
      if (!o) {
        tableChanges.push({ kind: 'add_column', table: ref, column: c })
      } else if (!follows(c.name)) {
        diffColumn(ref, o, c)
      }
      const recreated = o && tableChanges.some((x) => x.kind === 'add_column' && x.regenerated && x.table === ref && x.column.name === c.name)
      comment({ on: 'column', schema: t.schema, table: t.name, name: c.name }, recreated ? undefined : o?.comment, c.comment)
    }
    // constraints and indexes: changed = drop + add; same definition under a new name = rename
    const pair = <T extends { name: string }>(
      kind: 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclusion' | 'index',
      a: readonly T[],
      b: readonly T[],
      drop: (x: T) => Change,
      add: (x: T) => Change,
      dropsTo: Change[] = tableChanges,
      addsTo: Change[] = tableChanges,
    ) => {
      const bm = byKey(b, (x) => x.name)
      const am = byKey(a, (x) => x.name)
      // a constraint or index naming a recreated enum is made again over the new type
      const onRecreated = (x: T) => recreatedEnums.size > 0 && [...recreatedEnums].some((q) => stableJson(x).includes(`::${q}`))
      const drops = a.filter((x) => !bm.has(x.name) || !same(without(x, 'comment'), without(bm.get(x.name) as T, 'comment')) || onRecreated(x))
      const adds = b.filter((x) => !am.has(x.name) || !same(without(x, 'comment'), without(am.get(x.name) as T, 'comment')) || onRecreated(am.get(x.name) as T))
      for (const d of [...drops]) {
        const body = stableJson(without(d, 'name', 'comment'))
        const match = adds.find((x) => !am.has(x.name) && !bm.has(d.name) && stableJson(without(x, 'name', 'comment')) === body)
        if (match) {
          tableChanges.push({ kind: 'rename_constraint', table: ref, constraint: kind, from: d.name, to: match.name })
          drops.splice(drops.indexOf(d), 1)
          adds.splice(adds.indexOf(match), 1)
        }
      }
      for (const d of drops) dropsTo.push(drop(d))
      for (const x of adds) addsTo.push(add(x))
    }
    const partitioned = t.partitionBy !== undefined
    const pt = partitioned ? { partitioned } : {}
    // a key whose index's storage parameters alone change keeps its index: ALTER INDEX … SET (…)
    const keyStorage = <T extends { name: string; with?: Readonly<Record<string, string>> }>(a: readonly T[], b: readonly T[]): Set<string> => {
      const names = new Set<string>()
      for (const x of b) {
        const o = a.find((y) => y.name === x.name)
        if (!o || same(o.with ?? {}, x.with ?? {}) || !same(without(o, 'comment', 'with'), without(x, 'comment', 'with'))) continue
        tableChanges.push({ kind: 'alter_storage', table: ref, from: o.with ?? {}, to: x.with ?? {}, index: x.name })
        names.add(x.name)
      }
      return names
    }
    const pkStorage = keyStorage(f.primaryKey ? [f.primaryKey] : [], t.primaryKey ? [t.primaryKey] : [])
    const uniqueStorage = keyStorage(f.uniques, t.uniques)
    const plainKey = (k: PrimaryKeyDef | undefined) => (k && !pkStorage.has(k.name) ? [k] : [])
    pair('primary_key', plainKey(f.primaryKey), plainKey(t.primaryKey),
      (x) => ({ kind: 'drop_primary_key', table: ref, primaryKey: x }), (x) => ({ kind: 'add_primary_key', table: ref, primaryKey: x, ...pt }))
    pair('unique', f.uniques.filter((u) => !uniqueStorage.has(u.name)), t.uniques.filter((u) => !uniqueStorage.has(u.name)),
      (x) => ({ kind: 'drop_unique', table: ref, unique: x }), (x) => ({ kind: 'add_unique', table: ref, unique: x, ...pt }))
    pair('check', f.checks, t.checks,
      (x) => ({ kind: 'drop_check', table: ref, check: x }), (x) => ({ kind: 'add_check', table: ref, check: x, ...pt }))
    pair('exclusion', f.exclusions ?? [], t.exclusions ?? [],
      (x) => ({ kind: 'drop_exclusion', table: ref, exclusion: x }), (x) => ({ kind: 'add_exclusion', table: ref, exclusion: x }))
    pair('foreign_key', f.foreignKeys, t.foreignKeys,
      (x) => ({ kind: 'drop_foreign_key', table: ref, foreignKey: x }), (x) => ({ kind: 'add_foreign_key', table: ref, foreignKey: x, ...pt }),
      fkDrops, fkAdds)
    // an index whose storage parameters alone change is altered in place (they apply to new pages)
    const storageOnly = t.indexes.filter((ix) => {
      const o = f.indexes.find((x) => x.name === ix.name)
      return o !== undefined && !same(o.with, ix.with) && same(without(o, 'comment', 'with'), without(ix, 'comment', 'with'))
    })
    for (const ix of storageOnly) {
      const o = f.indexes.find((x) => x.name === ix.name) as IndexDef
      tableChanges.push({ kind: 'alter_storage', table: ref, from: o.with, to: ix.with, index: ix.name })
    }
    const viaStorage = new Set(storageOnly.map((ix) => ix.name))
    pair('index', f.indexes.filter((x) => !viaStorage.has(x.name)), t.indexes.filter((x) => !viaStorage.has(x.name)),
      (x) => ({ kind: 'drop_index', table: ref, index: x, ...(partitioned ? { partitioned } : {}) }),
      (x) => ({ kind: 'create_index', table: ref, index: x, ...(partitioned ? { partitioned } : {}) }))
    for (const ix of t.indexes) {
      const o = f.indexes.find((x) => x.name === ix.name)
      const kept = o && (viaStorage.has(ix.name) || same(without(o, 'comment'), without(ix, 'comment')))
      comment({ on: 'index', schema: t.schema, name: ix.name }, kept ? o.comment : undefined, ix.comment)
    }
    // a constraint made again loses its comment; one kept keeps it
    const fk = constraintsOf(f)
    for (const k of constraintsOf(t)) {
      const o = fk.find((x) => x.name === k.name)
      comment({ on: 'constraint', schema: t.schema, table: t.name, name: k.name }, o && same(without(o, 'comment'), without(k, 'comment')) ? o.comment : undefined, k.comment)
    }
    if (!same(f.with, t.with)) tableChanges.push({ kind: 'alter_storage', table: ref, from: f.with, to: t.with })
    if ((f.unlogged ?? false) !== (t.unlogged ?? false)) tableChanges.push({ kind: 'alter_persistence', table: ref, unlogged: t.unlogged === true })
    const rf = { enabled: f.rls?.enabled ?? false, forced: f.rls?.forced ?? false }
    const rt = { enabled: t.rls?.enabled ?? false, forced: t.rls?.forced ?? false }
    if (!same(rf, rt)) tableChanges.push({ kind: 'alter_rls', table: ref, from: rf, to: rt })
    const fp = byKey(f.policies, (p) => p.name)
    const tp = byKey(t.policies, (p) => p.name)
    // Postgres refuses to retype or drop a column that a policy uses: such policies are recreated
    const retyped = touchedColumns.filter((tc) => tc.table.schema === t.schema && tc.table.name === t.name).map((tc) => tc.column)
    const usesRetyped = (p: PolicyDef) => retyped.some((c) => usesIdentifier(`${p.using ?? ''} ${p.withCheck ?? ''}`, c))
    for (const p of f.policies) if (!tp.has(p.name)) tableChanges.push({ kind: 'drop_policy', table: ref, policy: p })
    for (const p of t.policies) {
      const o = fp.get(p.name)
      if (!o) tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
      else if (usesRetyped(o)) {
        tableChanges.push({ kind: 'drop_policy', table: ref, policy: o })
        tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
      } else if (!same(o, p)) {
        if (o.permissive === p.permissive && o.command === p.command && alterablePolicy(o, p)) {
          tableChanges.push({ kind: 'alter_policy', table: ref, from: o, to: p })
        } else {
          tableChanges.push({ kind: 'drop_policy', table: ref, policy: o })
          tableChanges.push({ kind: 'create_policy', table: ref, policy: p })
        }
      }
    }
  }

  /**
   * For a partition attached to the same parent before and after: whether column `name` changes
   * exactly as the parent's column does (then the parent's change covers it).
   */
  function followsParent(f: TableDef, t: TableDef): (name: string) => boolean {
    if (!f.partitionOf || !t.partitionOf || !same(f.partitionOf, t.partitionOf)) return () => false
    const pf = fromTables.get(k2(f.partitionOf.parentSchema, f.partitionOf.parent))
    const pt = toTables.get(k2(t.partitionOf.parentSchema, t.partitionOf.parent))
    if (!pf || !pt) return () => false
    const shape = (c: ColumnDef | undefined) => (c ? { type: c.type, notNull: c.notNull, default: c.default, collation: c.collation, generated: c.generated } : undefined)
    return (name) =>
      same(shape(f.columns.find((c) => c.name === name)), shape(pf.columns.find((c) => c.name === name))) &&
      same(shape(t.columns.find((c) => c.name === name)), shape(pt.columns.find((c) => c.name === name)))
  }

  function diffColumn(ref: TableRef, o: ColumnDef, c: ColumnDef): void {
    const push = (x: Change) => tableChanges.push(x)
    const regenerate = (o.generated !== c.generated && c.generated !== undefined) || (o.generated !== undefined && c.generated !== undefined && o.type !== c.type)
    if (regenerate) {
      push({ kind: 'drop_column', table: ref, column: o, regenerated: true })
      push({ kind: 'add_column', table: ref, column: c, regenerated: true })
      touchedColumns.push({ table: ref, column: c.name })
      return
    }
    if (o.generated !== undefined && c.generated === undefined) push({ kind: 'drop_column_expression', table: ref, column: c })
    if (o.identity && o.identity !== c.identity) {
      push({
        kind: 'alter_column_identity', table: ref, column: c.name, from: o.identity, ...(c.identity ? { to: c.identity } : {}),
        ...(o.identityOptions ? { fromOptions: o.identityOptions } : {}),
      })
    }
    if (o.identity && c.identity && !same(o.identityOptions, c.identityOptions)) {
      push({
        kind: 'alter_identity_options', table: ref, column: c.name, type: c.type,
        ...(o.identityOptions ? { from: o.identityOptions } : {}), ...(c.identityOptions ? { to: c.identityOptions } : {}),
      })
    }
    // a column of a recreated enum keeps its type's name but moves to the new type
    const onRecreated = o.type === c.type && recreatedEnums.has(baseOf(c.type))
    const typeChanged = o.type !== c.type || o.collation !== c.collation || onRecreated
    const info = typeChanged ? (onRecreated ? { needsUsing: true, safety: 'rewrite' as const } : classifyTypeChange(o.type, c.type)) : undefined
    const resetDefault = !!info?.needsUsing && o.default !== undefined
    // a default that cannot be cast along with the column is dropped first and set again after
    if (o.default !== undefined && (c.default === undefined || resetDefault)) {
      push({ kind: 'alter_column_default', table: ref, column: c.name, from: o.default })
    }
    if (typeChanged && info) {
      push({
        kind: 'alter_column_type',
        table: ref,
        from: o,
        to: c,
        ...(info.needsUsing ? { using: usingFor(c.name, o.type, c.type) } : {}),
        ...(enumTypes.has(baseOf(o.type)) || enumTypes.has(baseOf(c.type)) ? { reverseUsing: usingFor(c.name, c.type, o.type) } : {}),
        safety: o.type === c.type ? 'rewrite' : info.safety,
      })
      touchedColumns.push({ table: ref, column: c.name })
    }
    if (c.default !== undefined && (c.default !== o.default || resetDefault)) {
      push({ kind: 'alter_column_default', table: ref, column: c.name, ...(o.default !== undefined && !resetDefault ? { from: o.default } : {}), to: c.default })
    }
    if (c.notNull && !o.notNull) push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: true })
    if (c.identity && o.identity !== c.identity && !o.identity) {
      push({ kind: 'alter_column_identity', table: ref, column: c.name, to: c.identity, ...(c.identityOptions ? { options: c.identityOptions } : {}) })
    }
    if (!c.notNull && o.notNull) push({ kind: 'alter_column_nullability', table: ref, column: c.name, notNull: false })
  }

  // foreign keys that rely on a primary key or unique constraint being dropped must be dropped first
  const droppedKeys = new Set<string>()
  for (const ch of tableChanges) {
    if (ch.kind === 'drop_primary_key') droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${ch.primaryKey.columns.join(',')})`)
    if (ch.kind === 'drop_unique') droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${ch.unique.columns.join(',')})`)
    if (ch.kind === 'drop_index' && ch.index.unique) {
      const cols = ch.index.keys.map((k) => k.column ?? '')
      droppedKeys.add(`${ch.table.schema}.${ch.table.name}(${cols.join(',')})`)
    }
  }
  if (droppedKeys.size) {
    for (const t of to.tables) {
      const f = fromTables.get(k2(t.schema, t.name))
      if (!f) continue
      for (const fk of t.foreignKeys) {
        const o = f.foreignKeys.find((x) => x.name === fk.name)
        if (!o || !same(o, fk)) continue
        if (!droppedKeys.has(`${o.refSchema}.${o.refTable}(${o.refColumns.join(',')})`)) continue
        fkDrops.push({ kind: 'drop_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: o })
        fkAdds.push({ kind: 'add_foreign_key', table: { schema: t.schema, name: t.name }, foreignKey: fk, ...(t.partitionBy ? { partitioned: true } : {}) })
      }
    }
  }

  // sequences
  const seqChanges: Change[] = []
  for (const s of to.sequences) {
    const f = fromSeq.get(k2(s.schema, s.name))
    if (!f) seqChanges.push({ kind: 'create_sequence', sequence: s })
    else if (!same(without(f, 'comment'), without(s, 'comment'))) seqChanges.push({ kind: 'alter_sequence', from: f, to: s })
    comment({ on: 'sequence', schema: s.schema, name: s.name }, f?.comment, s.comment)
  }
  for (const s of from.sequences) {
    if (toSeq.has(k2(s.schema, s.name))) continue
    const owner = s.ownedBy && `${s.schema}.${s.ownedBy.table}`
    if (owner && (droppedTables.has(owner) || droppedColumns.has(`${owner}.${s.ownedBy?.column}`))) continue
    seqChanges.push({ kind: 'drop_sequence', sequence: s })
  }
  out.push(...seqChanges, ...fkDrops, ...tableChanges, ...fkAdds)

  // functions
  const fnKey = (f: FunctionDef) => `${f.schema}.${f.name}(${f.args})`
  const fromFns = byKey(from.functions, fnKey)
  const toFns = byKey(to.functions, fnKey)
  const recreatedFns: FunctionDef[] = []
  for (const fn of to.functions) {
    const f = fromFns.get(fnKey(fn))
    if (!f) out.push({ kind: 'create_function', function: fn })
    else if (f.definition !== fn.definition || f.isProcedure !== fn.isProcedure) {
      if (returnsOf(f) !== returnsOf(fn) || f.isProcedure !== fn.isProcedure) {
        out.push({ kind: 'drop_function', function: f }, { kind: 'create_function', function: fn })
        recreatedFns.push(f)
      } else out.push({ kind: 'replace_function', from: f, to: fn })
    }
    const fnRecreated = f !== undefined && recreatedFns.includes(f)
    comment({ on: 'function', schema: fn.schema, name: fn.name, args: fn.args, procedure: fn.isProcedure }, fnRecreated ? undefined : f?.comment, fn.comment)
  }
  for (const f of from.functions) if (!toFns.has(fnKey(f))) out.push({ kind: 'drop_function', function: f })

  const droppedFns = [...recreatedFns, ...from.functions.filter((f) => !toFns.has(fnKey(f)))]
  const droppedTypes = [
    ...from.enums.filter((e) => !toEnums.has(k2(e.schema, e.name))),
    ...from.domains.filter((d) => !toDomains.has(k2(d.schema, d.name))),
  ]
  const splitKey = (k: string): [string, string] => {
    const t = fromTables.get(k) as TableDef
    return [t.schema, t.name]
  }

  // views: changed = replace when compatible, else drop + create; dependents are recreated too
  const vKey = (v: ViewDef) => k2(v.schema, v.name)
  const fromViews = byKey(from.views, vKey)
  const toViews = byKey(to.views, vKey)
  const recreate = new Set<string>()
  const replaced: ViewDef[] = []
  for (const v of to.views) {
    const f = fromViews.get(vKey(v))
    if (!f) continue
    const changed = !same(without(f, 'comment', 'indexes'), without(v, 'comment', 'indexes'))
    const usesTouched = touchedColumns.some((tc) => mentionsColumn(f, tc.table, tc.column))
    // a view still reading a table, function or type that goes away must be out of the way before
    // the drop (CREATE OR REPLACE comes after every drop)
    const usesDropped =
      [...droppedTables].some((k) => mentions(f.definition, ...splitKey(k))) ||
      droppedFns.some((fn) => mentions(f.definition, fn.schema, fn.name)) ||
      droppedTypes.some((t) => mentions(f.definition, t.schema, t.name))
    if (usesTouched || usesDropped) recreate.add(vKey(v))
    else if (changed) {
      if (!f.materialized && !v.materialized && replaceable(f, v)) replaced.push(v)
      else recreate.add(vKey(v))
    }
  }
  // anything that reads a recreated or dropped view is recreated as well (to a fixed point)
  for (let grew = true; grew; ) {
    grew = false
    for (const v of to.views) {
      const f = fromViews.get(vKey(v))
      if (!f || recreate.has(vKey(v))) continue
      const readsGone = from.views.some(
        (o) => (recreate.has(vKey(o)) || !toViews.has(vKey(o))) && mentions(f.definition, o.schema, o.name),
      )
      if (readsGone) {
        recreate.add(vKey(v))
        const i = replaced.indexOf(v)
        if (i >= 0) replaced.splice(i, 1)
        grew = true
      }
    }
  }
  const viewOrder = (views: readonly ViewDef[]) => topoViews(views)
  for (const f of viewOrder(from.views).reverse()) {
    if (!toViews.has(vKey(f))) out.push({ kind: 'drop_view', view: f })
    else if (recreate.has(vKey(f))) {
      const changed = !same(without(f, 'comment'), without(toViews.get(vKey(f)) as ViewDef, 'comment'))
      out.push({ kind: 'drop_view', view: f, ...(changed ? {} : { dependent: true }) })
    }
  }
  for (const v of viewOrder(to.views)) {
    const f = fromViews.get(vKey(v))
    if (!f || recreate.has(vKey(v))) {
      const changed = !f || !same(without(f, 'comment'), without(v, 'comment'))
      out.push({ kind: 'create_view', view: v, ...(changed ? {} : { dependent: true }) })
      for (const ix of v.indexes) comment({ on: 'index', schema: v.schema, name: ix.name }, undefined, ix.comment)
    } else {
      if (replaced.includes(v)) out.push({ kind: 'replace_view', from: f, to: v })
      if (v.materialized) {
        const fi = byKey(f.indexes, (i) => i.name)
        const ti = byKey(v.indexes, (i) => i.name)
        const ref = { schema: v.schema, name: v.name }
        for (const ix of f.indexes) {
          const n = ti.get(ix.name)
          if (!n || !same(without(n, 'comment'), without(ix, 'comment'))) out.push({ kind: 'drop_index', table: ref, index: ix })
        }
        for (const ix of v.indexes) {
          const o = fi.get(ix.name)
          const fresh = !o || !same(without(o, 'comment'), without(ix, 'comment'))
          if (fresh) out.push({ kind: 'create_index', table: ref, index: ix })
          comment({ on: 'index', schema: v.schema, name: ix.name }, fresh ? undefined : o?.comment, ix.comment)
        }
      }
      if (!same(f.with, v.with)) out.push({ kind: 'alter_storage', table: { schema: v.schema, name: v.name }, from: f.with, to: v.with, ...(v.materialized ? { materialized: true } : {}) })
    }
    const keepComment = f && !recreate.has(vKey(v)) ? f.comment : undefined
    comment({ on: v.materialized ? 'materialized_view' : 'view', schema: v.schema, name: v.name }, keepComment, v.comment)
  }

  // triggers: changed = drop + create; also recreated when their function is
  const tKey = (t: TriggerDef) => `${t.schema}.${t.table}.${t.name}`
  const fromTr = byKey(from.triggers, tKey)
  const toTr = byKey(to.triggers, tKey)
  // a trigger goes with its function when that is recreated, and with its view (INSTEAD OF)
  const trigUsesRecreated = (t: TriggerDef) =>
    recreatedFns.some((fn) => mentions(t.definition, fn.schema, fn.name)) || recreate.has(k2(t.schema, t.table))
  for (const t of from.triggers) {
    const n = toTr.get(tKey(t))
    if (droppedTables.has(`${t.schema}.${t.table}`) && !n) continue
    if (!n || n.definition !== t.definition || trigUsesRecreated(t)) out.push({ kind: 'drop_trigger', trigger: t })
  }
  for (const t of to.triggers) {
    const o = fromTr.get(tKey(t))
    const fresh = !o || o.definition !== t.definition || trigUsesRecreated(o)
    if (fresh) out.push({ kind: 'create_trigger', trigger: t })
    // a new trigger is created enabled; any other state is set after it
    const was = fresh ? undefined : o?.enabled
    if (was !== t.enabled) out.push({ kind: 'alter_trigger_enabled', trigger: t, ...(was !== undefined ? { from: was } : {}) })
    comment({ on: 'trigger', schema: t.schema, table: t.table, name: t.name }, fresh ? undefined : o?.comment, t.comment)
  }

  // grants: deltas per (object, role)
  const gKey = (g: GrantDef) => `${g.on}:${g.schema}.${g.name}:${g.role}`
  const fromG = byKey(from.grants, gKey)
  const toG = byKey(to.grants, gKey)
  const objectGone = (g: GrantDef) =>
    droppedSchemas.has(g.schema) ||
    (g.on === 'table' && (droppedTables.has(k2(g.schema, g.name)) || (fromViews.has(k2(g.schema, g.name)) && !toViews.has(k2(g.schema, g.name))))) ||
    (g.on === 'sequence' && !toSeq.has(k2(g.schema, g.name)))
  const recreatedObject = (g: GrantDef) => g.on === 'table' && recreate.has(k2(g.schema, g.name))
  for (const g of from.grants) {
    const n = toG.get(gKey(g))
    if (objectGone(g) || recreatedObject(g)) continue
    if (!n) out.push({ kind: 'revoke', grant: g })
    else if (n.withGrantOption !== g.withGrantOption) out.push({ kind: 'revoke', grant: g })
    else {
      const gone = g.privileges.filter((p) => !n.privileges.includes(p))
      if (gone.length) out.push({ kind: 'revoke', grant: { ...g, privileges: gone } })
    }
  }
  for (const g of to.grants) {
    const o = fromG.get(gKey(g))
    if (!o || o.withGrantOption !== g.withGrantOption || recreatedObject(g)) out.push({ kind: 'grant', grant: g })
    else {
      const added = g.privileges.filter((p) => !o.privileges.includes(p))
      if (added.length) out.push({ kind: 'grant', grant: { ...g, privileges: added } })
    }
  }

  // objects this migration creates get the target's default privileges on creation (they are set
  // before any object): what the target's object does not hold is revoked after
  const autoGranted = (on: DefaultPrivilegeDef['on'], schema: string) =>
    (to.defaultPrivileges ?? []).filter((d) => !d.revoke && d.on === on && (d.schema === undefined || d.schema === schema))
  const created: { on: GrantDef['on']; kinds: DefaultPrivilegeDef['on']; schema: string; name: string }[] = [
    ...out.flatMap((c) => (c.kind === 'create_table' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.table.schema, name: c.table.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_view' ? [{ on: 'table' as const, kinds: 'tables' as const, schema: c.view.schema, name: c.view.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_sequence' ? [{ on: 'sequence' as const, kinds: 'sequences' as const, schema: c.sequence.schema, name: c.sequence.name }] : [])),
    ...out.flatMap((c) => (c.kind === 'create_function' ? [{ on: 'function' as const, kinds: 'functions' as const, schema: c.function.schema, name: c.function.name }] : [])),
  ]
  for (const obj of created) {
    for (const d of autoGranted(obj.kinds, obj.schema)) {
      const held = to.grants.filter((g) => g.on === obj.on && g.schema === obj.schema && g.name === obj.name && g.role === d.grantee).flatMap((g) => g.privileges)
      const extra = d.privileges.filter((p) => !held.includes(p))
      if (extra.length) {
        out.push({
          kind: 'revoke',
          grant: { kind: 'grant', on: obj.on, schema: obj.schema, name: obj.name, role: d.grantee, privileges: extra, withGrantOption: false },
          afterCreate: true,
        })
      }
    }
  }

  // default privileges: deltas per entry; an entry that takes built-in defaults away applies by REVOKE
  const dpFrom = byKey(from.defaultPrivileges ?? [], defaultPrivilegeKey)
  const dpTo = byKey(to.defaultPrivileges ?? [], defaultPrivilegeKey)
  const dp = (entry: DefaultPrivilegeDef, privileges: readonly string[], adding: boolean) => {
    if (!privileges.length) return
    const grant = adding !== (entry.revoke === true)
    out.push({ kind: 'alter_default_privileges', entry: { ...entry, privileges }, action: grant ? 'grant' : 'revoke', removes: !adding })
  }
  for (const f of from.defaultPrivileges ?? []) {
    const n = dpTo.get(defaultPrivilegeKey(f))
    if (!n || n.withGrantOption !== f.withGrantOption) dp(f, f.privileges, false)
    else dp(f, f.privileges.filter((p) => !n.privileges.includes(p)), false)
  }
  for (const d of to.defaultPrivileges ?? []) {
    const o = dpFrom.get(defaultPrivilegeKey(d))
    if (!o || o.withGrantOption !== d.withGrantOption) dp(d, d.privileges, true)
    else dp(d, d.privileges.filter((p) => !o.privileges.includes(p)), true)
  }

  const warnings = unmodelledWarnings(fromModel, toModel)
  return { status: 'ok', changes: out, candidates: [], ...(warnings.length ? { warnings } : {}) }
}

/** One warning per kind of unmodelled object found in either model. */
export function unmodelledWarnings(from: Model, to: Model): DiffWarning[] {
  const a = from.unmodelled ?? []
  const b = to.unmodelled ?? []
  const kinds = [...new Set([...a, ...b].map((u) => u.kind))].sort(cmp)
  const list = (xs: readonly string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(', ')} and ${xs.length - 5} more` : xs.join(', '))
  return kinds.map((kind) => {
    const fa = a.filter((u) => u.kind === kind).map((u) => u.name)
    const fb = b.filter((u) => u.kind === kind).map((u) => u.name)
    const parts = [
      ...(fa.some((x) => !fb.includes(x)) ? [`only in the current schema: ${list(fa.filter((x) => !fb.includes(x)))}`] : []),
      ...(fb.some((x) => !fa.includes(x)) ? [`only in the target: ${list(fb.filter((x) => !fa.includes(x)))}`] : []),
      ...(fa.some((x) => fb.includes(x)) ? [`on both sides, definitions not compared: ${list(fa.filter((x) => fb.includes(x)))}`] : []),
    ]
    return {
      code: 'unmodelled_objects' as const,
      kind,
      message: `cairn does not model ${kind} objects, so they are neither compared nor migrated (${parts.join('; ')})`,
      from: fa,
      to: fb,
    }
  })
}

function alterablePolicy(a: PolicyDef, b: PolicyDef): boolean {
  // ALTER POLICY cannot remove a USING or WITH CHECK clause, only set one
  return !(a.using !== undefined && b.using === undefined) && !(a.withCheck !== undefined && b.withCheck === undefined)
}

/** A free name for an enum moved aside while it is recreated: `<name>__old`, within 63 bytes. */
function asideName(name: string, m: Model): string {
  const taken = new Set([...m.enums, ...m.domains].map((t) => t.name))
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? '__old' : `__old${n}`
    let base = name
    while (new TextEncoder().encode(base + suffix).length > 63) base = base.slice(0, -1)
    if (!taken.has(base + suffix)) return base + suffix
  }
}

/** Every named constraint of a table (the kinds that can carry a comment). */
export function constraintsOf(t: TableDef): readonly { readonly name: string; readonly comment?: string }[] {
  return [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques, ...t.checks, ...t.foreignKeys, ...(t.exclusions ?? [])]
}

/** CREATE OR REPLACE VIEW keeps existing columns: allowed when the old column list is a prefix of the new one. */
function replaceable(a: ViewDef, b: ViewDef): boolean {
  if (!a.columns || !b.columns) return false
  if (!same(a.with, b.with)) return false
  return a.columns.every((c, i) => b.columns?.[i] === c)
}

/** Views ordered so that a view comes after the views it reads (ties keep the model's order). */
export function topoViews(views: readonly ViewDef[]): ViewDef[] {
  const out: ViewDef[] = []
  const state = new Map<ViewDef, number>()
  const visit = (v: ViewDef) => {
    if (state.get(v)) return
    state.set(v, 1)
    for (const o of views) if (o !== v && mentions(v.definition, o.schema, o.name)) visit(o)
    state.set(v, 2)
    out.push(v)
  }
  views.forEach(visit)
  return out
}

/** True when the index is unique over plain columns (it can back a UNIQUE constraint). */
export function isPlainUniqueIndex(ix: IndexDef): boolean {
  return ix.unique && ix.keys.every((k) => k.column !== undefined) && ix.where === undefined
}
