/**
 * Rename handling for diff(): reads `renamedFrom` hints, finds drop+add pairs that look like renames
 * (never guessing: they are asked through the resolver), and rewrites the `from` model so that the
 * renamed objects carry their new names before the structural comparison.
 */
import type { ColumnDef, EnumDef, Model, TableDef } from '../model/types.js'
import type { Change, RenameCandidate, RenameResolver } from './changes.js'
import { ident, literal, qname } from '../sqlgen/quote.js'

type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T
type MModel = Mutable<Model>

const key = (schema: string, name: string) => `${schema}.${name}`

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Replaces a bare identifier (quoted as Postgres prints it) in an expression. */
export function replaceIdentifier(expr: string, from: string, to: string): string {
  const re = new RegExp(`(?<![\\w."$])${escapeRe(ident(from))}(?![\\w"$])`, 'g')
  return expr.replace(re, ident(to))
}

/** Replaces a schema-qualified name (`app.users`) in a text such as a view or trigger definition. */
export function replaceQualified(text: string, schema: string, from: string, to: string): string {
  const re = new RegExp(`(?<![\\w."$])${escapeRe(qname(schema, from))}(?![\\w"$])`, 'g')
  return text.replace(re, qname(schema, to))
}

function renameTableIn(m: MModel, schema: string, from: string, to: string): void {
  for (const t of m.tables) {
    if (t.schema === schema && t.name === from) t.name = to
    for (const fk of t.foreignKeys) if (fk.refSchema === schema && fk.refTable === from) fk.refTable = to
    if (t.partitionOf && t.partitionOf.parentSchema === schema && t.partitionOf.parent === from) t.partitionOf.parent = to
  }
  for (const s of m.sequences) if (s.schema === schema && s.ownedBy?.table === from) s.ownedBy.table = to
  for (const tr of m.triggers) {
    if (tr.schema === schema && tr.table === from) {
      tr.table = to
      tr.definition = replaceQualified(tr.definition, schema, from, to)
    }
  }
  for (const g of m.grants) if (g.on === 'table' && g.schema === schema && g.name === from) g.name = to
}

function renameColumnIn(m: MModel, schema: string, table: string, from: string, to: string): void {
  const swap = (cols: string[]) => cols.map((c) => (c === from ? to : c))
  for (const t of m.tables) {
    for (const fk of t.foreignKeys) {
      if (fk.refSchema === schema && fk.refTable === table) fk.refColumns = swap(fk.refColumns)
    }
    if (t.schema !== schema || t.name !== table) continue
    for (const c of t.columns) {
      if (c.name === from) c.name = to
      if (c.generated !== undefined) c.generated = replaceIdentifier(c.generated, from, to)
    }
    if (t.primaryKey) t.primaryKey.columns = swap(t.primaryKey.columns)
    for (const u of t.uniques) u.columns = swap(u.columns)
    for (const fk of t.foreignKeys) fk.columns = swap(fk.columns)
    for (const ch of t.checks) ch.expression = replaceIdentifier(ch.expression, from, to)
    for (const x of t.exclusions ?? []) x.definition = replaceIdentifier(x.definition, from, to)
    for (const ix of t.indexes) {
      ix.include = swap(ix.include)
      if (ix.where !== undefined) ix.where = replaceIdentifier(ix.where, from, to)
      for (const k of ix.keys) {
        if (k.column === from) k.column = to
        if (k.expression !== undefined) k.expression = replaceIdentifier(k.expression, from, to)
      }
    }
    for (const p of t.policies) {
      if (p.using !== undefined) p.using = replaceIdentifier(p.using, from, to)
      if (p.withCheck !== undefined) p.withCheck = replaceIdentifier(p.withCheck, from, to)
    }
  }
  for (const s of m.sequences) if (s.schema === schema && s.ownedBy?.table === table && s.ownedBy.column === from) s.ownedBy.column = to
}

function renameEnumIn(m: MModel, schema: string, from: string, to: string): void {
  const oldQ = qname(schema, from)
  const newQ = qname(schema, to)
  const re = new RegExp(`(?<![\\w."$])${escapeRe(oldQ)}(?![\\w"$])`, 'g')
  for (const e of m.enums) if (e.schema === schema && e.name === from) e.name = to
  // Postgres prints every use of the type under its new name: casts in defaults, checks, index
  // predicates, policies, view bodies, domains
  rewriteTexts(m, (text) => text.replace(re, newQ))
}

/** Applies `f` to every SQL text of tables, views and domains that can name a type or a value. */
function rewriteTexts(m: MModel, f: (text: string) => string): void {
  for (const t of m.tables) {
    for (const c of t.columns) {
      c.type = f(c.type)
      if (c.default !== undefined) c.default = f(c.default)
      if (c.generated !== undefined) c.generated = f(c.generated)
    }
    for (const ch of t.checks) ch.expression = f(ch.expression)
    for (const x of t.exclusions ?? []) x.definition = f(x.definition)
    for (const ix of t.indexes) {
      if (ix.where !== undefined) ix.where = f(ix.where)
      for (const k of ix.keys) if (k.expression !== undefined) k.expression = f(k.expression)
    }
    for (const p of t.policies) {
      if (p.using !== undefined) p.using = f(p.using)
      if (p.withCheck !== undefined) p.withCheck = f(p.withCheck)
    }
  }
  for (const v of m.views) v.definition = f(v.definition)
  for (const d of m.domains) {
    d.type = f(d.type)
    if (d.default !== undefined) d.default = f(d.default)
    for (const c of d.checks) c.expression = f(c.expression)
  }
}

function renameEnumValueIn(m: MModel, schema: string, name: string, from: string, to: string): void {
  for (const e of m.enums) if (e.schema === schema && e.name === name) e.values = e.values.map((v) => (v === from ? to : v))
  // an enum constant is stored by its value's identity: Postgres prints it with the new label
  const cast = `::${qname(schema, name)}`
  const oldLit = literal(from) + cast
  const newLit = literal(to) + cast
  rewriteTexts(m, (text) => text.split(oldLit).join(newLit))
}

function stripEnumHints(e: EnumDef): EnumDef {
  const { renamedFrom: _a, valuesRenamedFrom: _b, ...rest } = e
  return rest
}

const columnSignature = (cols: readonly ColumnDef[]) =>
  cols
    .map((c) => `${c.name}:${c.type}`)
    .sort()
    .join(',')

/** What rename resolution found: the rename changes, the rewritten `from` model, and open questions. */
export interface RenameResult {
  readonly renames: Change[]
  readonly from: Model
  readonly candidates: RenameCandidate[]
}

/**
 * Applies `renamedFrom` hints and resolver answers. A hint is used only when the old name exists in
 * `from` and the new one does not (so a hint left in the definitions after its migration ran is inert).
 */
export function resolveRenames(fromModel: Model, to: Model, resolver?: RenameResolver): RenameResult {
  const m = structuredClone(fromModel) as MModel
  const renames: Change[] = []
  const candidates: RenameCandidate[] = []
  const ask = (c: RenameCandidate): 'rename' | 'no' | undefined => {
    const answer = resolver?.(c)
    if (answer === undefined) candidates.push(c)
    return answer
  }

  // enums: hints only (an enum that looks renamed is rare and its values make it obvious)
  for (const e of to.enums as readonly EnumDef[]) {
    if (!e.renamedFrom) continue
    const has = (name: string) => m.enums.some((x) => x.schema === e.schema && x.name === name)
    if (has(e.renamedFrom) && !has(e.name)) {
      renameEnumIn(m, e.schema, e.renamedFrom, e.name)
      renames.push({ kind: 'rename_enum', schema: e.schema, from: e.renamedFrom, to: e.name })
    }
  }
  // enum values: hints only, used when the old value exists and the new one does not
  for (const e of to.enums as readonly EnumDef[]) {
    const current = m.enums.find((x) => x.schema === e.schema && x.name === e.name)
    if (!current || !e.valuesRenamedFrom) continue
    for (const [value, old] of Object.entries(e.valuesRenamedFrom)) {
      if (!current.values.includes(old) || current.values.includes(value) || !e.values.includes(value)) continue
      renameEnumValueIn(m, e.schema, e.name, old, value)
      renames.push({ kind: 'rename_enum_value', enum: { ...stripEnumHints(e), values: [...current.values] }, from: old, to: value })
    }
  }

  // tables: hints, then look-alike pairs
  const fromHas = (schema: string, name: string) => m.tables.some((t) => t.schema === schema && t.name === name)
  const toKeys = new Set(to.tables.map((t) => key(t.schema, t.name)))
  for (const t of to.tables) {
    if (!t.renamedFrom) continue
    if (fromHas(t.schema, t.renamedFrom) && !fromHas(t.schema, t.name) && !toKeys.has(key(t.schema, t.renamedFrom))) {
      renameTableIn(m, t.schema, t.renamedFrom, t.name)
      renames.push({ kind: 'rename_table', schema: t.schema, from: t.renamedFrom, to: t.name })
    }
  }
  {
    const dropped = m.tables.filter((t) => !toKeys.has(key(t.schema, t.name)))
    const added = to.tables.filter((t) => !fromHas(t.schema, t.name))
    const used = new Set<object>()
    for (const a of added) {
      for (const d of dropped) {
        if (used.has(d) || d.schema !== a.schema) continue
        if (columnSignature(d.columns) !== columnSignature(a.columns)) continue
        // a partition with other bounds, or another partitioning, is not the same table renamed
        if (JSON.stringify([d.partitionOf?.bound, d.partitionBy]) !== JSON.stringify([a.partitionOf?.bound, a.partitionBy])) continue
        const old = d.name
        if (ask({ kind: 'table', schema: a.schema, from: old, to: a.name }) === 'rename') {
          used.add(d)
          renameTableIn(m, a.schema, old, a.name)
          renames.push({ kind: 'rename_table', schema: a.schema, from: old, to: a.name })
          break
        }
      }
    }
  }

  // columns of tables present on both sides
  for (const t of to.tables) {
    const f = m.tables.find((x) => x.schema === t.schema && x.name === t.name) as TableDef | undefined
    if (!f) continue
    const table = { schema: t.schema, name: t.name }
    const toCols = new Set(t.columns.map((c) => c.name))
    const fromCols = () => new Set(f.columns.map((c) => c.name))
    for (const c of t.columns) {
      if (!c.renamedFrom) continue
      const fc = fromCols()
      if (fc.has(c.renamedFrom) && !fc.has(c.name) && !toCols.has(c.renamedFrom)) {
        renameColumnIn(m, t.schema, t.name, c.renamedFrom, c.name)
        renames.push({ kind: 'rename_column', table, from: c.renamedFrom, to: c.name })
      }
    }
    const dropped = f.columns.filter((c) => !toCols.has(c.name))
    const added = t.columns.filter((c) => !fromCols().has(c.name))
    const used = new Set<object>()
    for (const a of added) {
      for (const d of dropped) {
        if (used.has(d) || d.type !== a.type) continue
        const old = d.name
        if (ask({ kind: 'column', schema: t.schema, table: t.name, from: old, to: a.name }) === 'rename') {
          used.add(d)
          renameColumnIn(m, t.schema, t.name, old, a.name)
          renames.push({ kind: 'rename_column', table, from: old, to: a.name })
          break
        }
      }
    }
  }
  return { renames, from: m as Model, candidates }
}

/**
 * A resolver from explicit answers such as `--rename app.users.name=full_name` (a column) or
 * `--rename app.people=users` (a table): listed pairs are renames, other candidates stay open
 * unless `othersAreNew` is set, in which case they are answered 'no'.
 */
export function renameResolverFrom(pairs: readonly string[], options: { othersAreNew?: boolean } = {}): RenameResolver {
  const wanted = new Set<string>()
  for (const p of pairs) {
    const [left, right] = p.split('=').map((s) => s.trim())
    if (!left || !right) continue
    const parts = left.split('.')
    // the right side may be a bare new name or the full new path
    const newName = right.split('.').pop() as string
    wanted.add([...parts, newName].join('.'))
  }
  return (c) => {
    const id = c.kind === 'table' ? `${c.schema}.${c.from}.${c.to}` : `${c.schema}.${c.table}.${c.from}.${c.to}`
    if (wanted.has(id)) return 'rename'
    return options.othersAreNew ? 'no' : undefined
  }
}
