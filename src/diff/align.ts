/**
 * Cross-version alignment of SQL text before a diff. diff() compares the text of expressions and
 * view bodies exactly, which is right when both models come from the same server version; when
 * they do not (a PostgreSQL 15 database against the embedded 18), the same expression may be
 * printed two ways. alignEquivalentText() walks the objects present in both models and, wherever
 * the injected `same` says two texts mean the same, gives `from` the `to` spelling, so diff() sees
 * no change there. Pure: the comparison (a parser) is passed in by the workflow.
 */
import type { ColumnDef, DomainDef, IndexDef, Model, PolicyDef, TableDef, TriggerDef, ViewDef } from '../model/types.js'

/** What a text is: a bare expression (default, check, predicate), a query (view body) or a statement (trigger). */
export type TextKind = 'expression' | 'query' | 'statement'

/** True when two texts of the given kind mean the same thing. Must be synchronous and pure. */
export type SameText = (a: string, b: string, kind: TextKind) => boolean

const key = (schema: string, name: string) => `${schema}.${name}`

/** `from` with every text that `same` finds equivalent to its counterpart in `to` replaced by that counterpart. */
export function alignEquivalentText(from: Model, to: Model, same: SameText): Model {
  const pick = (a: string | undefined, b: string | undefined, kind: TextKind): string | undefined =>
    a !== undefined && b !== undefined && a !== b && same(a, b, kind) ? b : a
  const toTables = new Map(to.tables.map((t) => [key(t.schema, t.name), t]))
  const toViews = new Map(to.views.map((v) => [key(v.schema, v.name), v]))
  const toTriggers = new Map(to.triggers.map((t) => [`${t.schema}.${t.table}.${t.name}`, t]))

  const indexes = (a: readonly IndexDef[], b: readonly IndexDef[]): IndexDef[] => {
    const byName = new Map(b.map((i) => [i.name, i]))
    return a.map((ix) => {
      const o = byName.get(ix.name)
      if (!o) return ix
      const keys = ix.keys.map((k, i) => {
        const ok = o.keys[i]
        const expression = pick(k.expression, ok?.expression, 'expression')
        return expression === k.expression ? k : { ...k, expression }
      })
      const where = pick(ix.where, o.where, 'expression')
      return { ...ix, keys, ...(where !== undefined ? { where } : {}) }
    })
  }
  const columns = (a: readonly ColumnDef[], b: readonly ColumnDef[]): ColumnDef[] => {
    const byName = new Map(b.map((c) => [c.name, c]))
    return a.map((c) => {
      const o = byName.get(c.name)
      if (!o) return c
      const d = pick(c.default, o.default, 'expression')
      const g = pick(c.generated, o.generated, 'expression')
      return { ...c, ...(d !== undefined ? { default: d } : {}), ...(g !== undefined ? { generated: g } : {}) }
    })
  }
  const policies = (a: readonly PolicyDef[], b: readonly PolicyDef[]): PolicyDef[] => {
    const byName = new Map(b.map((p) => [p.name, p]))
    return a.map((p) => {
      const o = byName.get(p.name)
      if (!o) return p
      const using = pick(p.using, o.using, 'expression')
      const withCheck = pick(p.withCheck, o.withCheck, 'expression')
      return { ...p, ...(using !== undefined ? { using } : {}), ...(withCheck !== undefined ? { withCheck } : {}) }
    })
  }
  const tables = from.tables.map((t): TableDef => {
    const o = toTables.get(key(t.schema, t.name))
    if (!o) return t
    const checks = new Map(o.checks.map((c) => [c.name, c]))
    const exclusions = new Map((o.exclusions ?? []).map((x) => [x.name, x]))
    // an EXCLUDE clause parses only inside a statement
    const sameClause = (a: string, b: string) => same(`ALTER TABLE t ADD ${a}`, `ALTER TABLE t ADD ${b}`, 'statement')
    return {
      ...t,
      ...(t.exclusions
        ? {
            exclusions: t.exclusions.map((x) => {
              const other = exclusions.get(x.name)?.definition
              return other !== undefined && other !== x.definition && sameClause(x.definition, other) ? { ...x, definition: other } : x
            }),
          }
        : {}),
      columns: columns(t.columns, o.columns),
      checks: t.checks.map((c) => {
        const expression = pick(c.expression, checks.get(c.name)?.expression, 'expression') as string
        return expression === c.expression ? c : { ...c, expression }
      }),
      indexes: indexes(t.indexes, o.indexes),
      policies: policies(t.policies, o.policies),
    }
  })
  const views = from.views.map((v): ViewDef => {
    const o = toViews.get(key(v.schema, v.name))
    if (!o) return v
    return { ...v, definition: pick(v.definition, o.definition, 'query') as string, indexes: indexes(v.indexes, o.indexes) }
  })
  const triggers = from.triggers.map((t): TriggerDef => {
    const o = toTriggers.get(`${t.schema}.${t.table}.${t.name}`)
    return o ? { ...t, definition: pick(t.definition, o.definition, 'statement') as string } : t
  })
  const toDomains = new Map((to.domains ?? []).map((d) => [key(d.schema, d.name), d]))
  const domains = (from.domains ?? []).map((d): DomainDef => {
    const o = toDomains.get(key(d.schema, d.name))
    if (!o) return d
    const checks = new Map(o.checks.map((c) => [c.name, c]))
    const def = pick(d.default, o.default, 'expression')
    return {
      ...d,
      ...(def !== undefined ? { default: def } : {}),
      checks: d.checks.map((c) => {
        const expression = pick(c.expression, checks.get(c.name)?.expression, 'expression') as string
        return expression === c.expression ? c : { ...c, expression }
      }),
    }
  })
  return { ...from, tables, views, triggers, ...(from.domains ? { domains } : {}) }
}
