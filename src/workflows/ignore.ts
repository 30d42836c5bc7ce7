/**
 * Objects managed elsewhere (another tool, an extension's setup, a DBA's scratch schema) are left
 * out of a comparison: `--ignore <pattern>`, where a pattern is `[kind:]glob` over the object's
 * qualified name (`legacy.*`, `index:app.*_tmp_idx`, `table:public.spatial_ref_sys`). `*` matches
 * any run of characters (dots too), `?` one character. Without a kind a pattern matches objects of
 * every kind, and `s.*` also matches the schema `s` itself. Pure.
 */
import { CairnError, EXIT } from '../errors.js'
import type { Model, TableDef } from '../model/types.js'

/** The object kinds a pattern may name. */
export const IGNORE_KINDS = [
  'schema', 'extension', 'enum', 'domain', 'sequence', 'table', 'column', 'constraint', 'index', 'policy', 'view', 'function', 'trigger', 'role', 'grant',
] as const
export type IgnoreKind = (typeof IGNORE_KINDS)[number]

/** A parsed `--ignore` pattern. */
export interface IgnoreRule {
  readonly pattern: string
  readonly kind?: IgnoreKind
  readonly re: RegExp
}

/** Parses `--ignore` patterns; throws CairnError `bad_ignore_pattern` (exit 2) naming the bad one. */
export function parseIgnore(patterns: readonly string[]): IgnoreRule[] {
  return patterns.map((pattern) => {
    const m = /^(?:([a-z_]+):)?(.+)$/.exec(pattern.trim())
    const kind = m?.[1] as IgnoreKind | undefined
    if (!m || (kind !== undefined && !IGNORE_KINDS.includes(kind)) || !/^[\w$*?."-]+$/.test(m[2])) {
      throw new CairnError('bad_ignore_pattern', `--ignore "${pattern}" is not a pattern cairn understands`, {
        hint: `write [kind:]schema.name with * and ? as wildcards, e.g. legacy.* or index:app.*_tmp_idx; kinds: ${IGNORE_KINDS.join(', ')}`,
      })
    }
    const body = m[2].replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
    return { pattern, ...(kind ? { kind } : {}), re: new RegExp(`^${body}$`) }
  })
}

/** True when a rule matches the object of `kind` named `name` (schema-qualified where that applies). */
export function isIgnored(rules: readonly IgnoreRule[], kind: IgnoreKind, name: string): boolean {
  return rules.some(
    (r) => (r.kind === undefined || r.kind === kind) && (r.re.test(name) || (kind === 'schema' && r.kind === undefined && r.re.test(`${name}.`))),
  )
}

/** `model` without the objects the rules match (and without what hangs off them). */
export function withoutIgnored(model: Model, rules: readonly IgnoreRule[]): Model {
  if (!rules.length) return model
  const hit = (kind: IgnoreKind, name: string) => isIgnored(rules, kind, name)
  const schemaGone = (s: string) => hit('schema', s)
  const tableGone = (schema: string, name: string) => schemaGone(schema) || hit('table', `${schema}.${name}`)
  const viewGone = (schema: string, name: string) => schemaGone(schema) || hit('view', `${schema}.${name}`)
  const indexKept = (schema: string) => (ix: { name: string }) => !hit('index', `${schema}.${ix.name}`)
  const tables = model.tables
    .filter((t) => !tableGone(t.schema, t.name))
    .map((t): TableDef => {
      const q = `${t.schema}.${t.name}`
      const constraint = (c: { name: string }) => !hit('constraint', `${q}.${c.name}`)
      const { primaryKey, ...rest } = t
      return {
        ...rest,
        ...(primaryKey && constraint(primaryKey) ? { primaryKey } : {}),
        columns: t.columns.filter((c) => !hit('column', `${q}.${c.name}`)),
        uniques: t.uniques.filter(constraint),
        foreignKeys: t.foreignKeys.filter((f) => constraint(f) && !tableGone(f.refSchema, f.refTable)),
        checks: t.checks.filter(constraint),
        ...(t.exclusions ? { exclusions: t.exclusions.filter(constraint) } : {}),
        indexes: t.indexes.filter(indexKept(t.schema)),
        policies: t.policies.filter((p) => !hit('policy', `${q}.${p.name}`)),
      }
    })
  const grantGone = (g: Model['grants'][number]): boolean => {
    const q = `${g.schema}.${g.name}`
    if (hit('grant', q) || schemaGone(g.schema)) return true
    switch (g.on) {
      case 'schema': return false
      case 'table': return tableGone(g.schema, g.name) || viewGone(g.schema, g.name) || (g.column !== undefined && hit('column', `${q}.${g.column}`))
      case 'sequence': return hit('sequence', q)
      case 'function': return hit('function', q)
      case 'type': return hit('enum', q) || hit('domain', q)
    }
  }
  return {
    ...model,
    schemas: model.schemas.filter((s) => !schemaGone(s.name)),
    extensions: model.extensions.filter((e) => !hit('extension', e.name)),
    enums: model.enums.filter((e) => !schemaGone(e.schema) && !hit('enum', `${e.schema}.${e.name}`)),
    ...(model.domains ? { domains: model.domains.filter((d) => !schemaGone(d.schema) && !hit('domain', `${d.schema}.${d.name}`)) } : {}),
    sequences: model.sequences.filter(
      (s) => !schemaGone(s.schema) && !hit('sequence', `${s.schema}.${s.name}`) && !(s.ownedBy && tableGone(s.schema, s.ownedBy.table)),
    ),
    tables,
    views: model.views
      .filter((v) => !viewGone(v.schema, v.name))
      .map((v) => ({ ...v, indexes: v.indexes.filter(indexKept(v.schema)) })),
    functions: model.functions.filter((f) => !schemaGone(f.schema) && !hit('function', `${f.schema}.${f.name}`)),
    triggers: model.triggers.filter(
      (t) => !tableGone(t.schema, t.table) && !viewGone(t.schema, t.table) && !hit('trigger', `${t.schema}.${t.table}.${t.name}`),
    ),
    roles: model.roles.filter((r) => !hit('role', r.name)),
    grants: model.grants.filter((g) => !grantGone(g)),
    ...(model.unmodelled ? { unmodelled: model.unmodelled.filter((u) => !unmodelledGone(rules, u)) } : {}),
  }
}

/** An object of a kind the model does not hold, named as `pg_describe_object` does (`aggregate public.agg(text)`). */
function unmodelledGone(rules: readonly IgnoreRule[], u: NonNullable<Model['unmodelled']>[number]): boolean {
  if (u.schema !== undefined && isIgnored(rules, 'schema', u.schema)) return true
  const bare = (u.name.split(' ').pop() ?? u.name).replace(/\(.*$/, '')
  return rules.some((r) => r.kind === undefined && (r.re.test(bare) || r.re.test(u.name)))
}

/** Patterns as given (`--ignore`, the config's `ignore`) or already parsed. */
export type IgnorePatterns = readonly string[] | readonly IgnoreRule[]

const rulesOf = (patterns: IgnorePatterns): readonly IgnoreRule[] =>
  patterns.length && typeof patterns[0] === 'string' ? parseIgnore(patterns as readonly string[]) : (patterns as readonly IgnoreRule[])

/**
 * The one way every comparison leaves objects managed elsewhere alone (`generate`, `cairn diff`,
 * `drift`): `to` with every object the patterns match taken from `from` as it is there (present or
 * absent), so diff(from, result) has nothing to say about them. For the diff this is the same as
 * removing them from both models, and the result is still a whole model: what `generate` stores as
 * the model of the new history keeps the hand-made objects the history creates. Pure.
 */
export function withIgnoredFrom(from: Model, to: Model, patterns: IgnorePatterns): Model {
  const rules = rulesOf(patterns)
  if (!rules.length) return to
  const kept = withoutIgnored(to, rules)
  const fromKept = withoutIgnored(from, rules)
  /** The items of `all` that withoutIgnored left out of `left` (it keeps the objects themselves). */
  const gone = <T>(all: readonly T[] | undefined, left: readonly T[] | undefined): T[] => {
    const s = new Set(left ?? [])
    return (all ?? []).filter((x) => !s.has(x))
  }
  const merge = <T>(k: readonly T[] | undefined, all: readonly T[] | undefined, left: readonly T[] | undefined): T[] => [...(k ?? []), ...gone(all, left)]
  const tkey = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`
  const fromTables = new Map(from.tables.map((t) => [tkey(t), t]))
  const fromKeptTables = new Map(fromKept.tables.map((t) => [tkey(t), t]))
  const tables: TableDef[] = kept.tables.map((t) => {
    const all = fromTables.get(tkey(t))
    const left = fromKeptTables.get(tkey(t))
    if (!all || !left) return t
    // the table is compared; its ignored columns, constraints, indexes and policies are taken from `from`
    // an ignored column goes after the column it follows in `from`
    const columns = [...t.columns]
    const ignoredColumns = new Set(gone(all.columns, left.columns))
    all.columns.forEach((c, i) => {
      if (!ignoredColumns.has(c)) return
      const before = i > 0 ? columns.findIndex((x) => x.name === all.columns[i - 1]!.name) : -1
      columns.splice(before + 1, 0, c)
    })
    const pk = t.primaryKey ?? (all.primaryKey && !left.primaryKey ? all.primaryKey : undefined)
    const { primaryKey: _pk, ...rest } = t
    return {
      ...rest,
      ...(pk ? { primaryKey: pk } : {}),
      columns,
      uniques: merge(t.uniques, all.uniques, left.uniques),
      foreignKeys: merge(t.foreignKeys, all.foreignKeys, left.foreignKeys),
      checks: merge(t.checks, all.checks, left.checks),
      ...(t.exclusions || all.exclusions ? { exclusions: merge(t.exclusions, all.exclusions, left.exclusions) } : {}),
      indexes: merge(t.indexes, all.indexes, left.indexes),
      policies: merge(t.policies, all.policies, left.policies),
    }
  })
  // whole tables and views the patterns match, as `from` has them
  const keptTableKeys = new Set(fromKept.tables.map(tkey))
  tables.push(...from.tables.filter((t) => !keptTableKeys.has(tkey(t))))
  const fromViews = new Map(from.views.map((v) => [tkey(v), v]))
  const fromKeptViews = new Map(fromKept.views.map((v) => [tkey(v), v]))
  const views = kept.views.map((v) => {
    const all = fromViews.get(tkey(v))
    const left = fromKeptViews.get(tkey(v))
    return all && left ? { ...v, indexes: merge(v.indexes, all.indexes, left.indexes) } : v
  })
  views.push(...from.views.filter((v) => !fromKeptViews.has(tkey(v))))
  const unmodelled = merge(kept.unmodelled, from.unmodelled, fromKept.unmodelled)
  const domains = merge(kept.domains, from.domains, fromKept.domains)
  return {
    ...kept,
    schemas: merge(kept.schemas, from.schemas, fromKept.schemas),
    extensions: merge(kept.extensions, from.extensions, fromKept.extensions),
    enums: merge(kept.enums, from.enums, fromKept.enums),
    ...(to.domains || from.domains ? { domains } : {}),
    sequences: merge(kept.sequences, from.sequences, fromKept.sequences),
    tables,
    views,
    functions: merge(kept.functions, from.functions, fromKept.functions),
    triggers: merge(kept.triggers, from.triggers, fromKept.triggers),
    roles: merge(kept.roles, from.roles, fromKept.roles),
    grants: merge(kept.grants, from.grants, fromKept.grants),
    ...(unmodelled.length ? { unmodelled } : {}),
  }
}
