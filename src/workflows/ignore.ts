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
        exitCode: EXIT.usage,
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
  const grantGone = (g: Model['grants'][number]): boolean =>
    hit('grant', `${g.schema}.${g.name}`) ||
    (g.on === 'schema' ? schemaGone(g.schema) : g.on === 'table' ? tableGone(g.schema, g.name) || viewGone(g.schema, g.name) : g.on === 'sequence' ? schemaGone(g.schema) || hit('sequence', `${g.schema}.${g.name}`) : schemaGone(g.schema) || hit('function', `${g.schema}.${g.name}`))
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
