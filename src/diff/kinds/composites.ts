/**
 * Composite types: attributes are added, dropped and retyped in place (ALTER TYPE … ADD / DROP /
 * ALTER ATTRIBUTE); an order ALTER cannot reach means drop + create, possible only while nothing
 * uses the type.
 */
import type { CompositeTypeDef, Model } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import type { DiffKind } from '../context.js'
import { typeUsers } from '../context.js'
import { diffByKey, k2, same, without } from '../keyed.js'

/** What in `m` uses the composite type, besides columns, domains and functions: other composites and aggregates. */
function compositeUsers(m: Model, t: CompositeTypeDef): string[] {
  const q = qname(t.schema, t.name)
  const uses = (type: string | undefined) => type !== undefined && (type === q || type.startsWith(`${q}[`))
  return [
    ...typeUsers(m, t.schema, t.name),
    ...(m.composites ?? []).filter((c) => c.attributes.some((a) => uses(a.type))).map((c) => `type ${c.schema}.${c.name}`),
    ...(m.aggregates ?? []).filter((a) => uses(a.stype) || uses(a.mstype) || a.args.split(', ').some(uses)).map((a) => `aggregate ${a.schema}.${a.name}(${a.args})`),
  ]
}

/** The attribute order ALTER TYPE leaves: kept ones where they were, added ones at the end. */
function alteredOrder(f: CompositeTypeDef, t: CompositeTypeDef): string[] {
  const target = new Set(t.attributes.map((a) => a.name))
  const before = new Set(f.attributes.map((a) => a.name))
  return [...f.attributes.map((a) => a.name).filter((n) => target.has(n)), ...t.attributes.map((a) => a.name).filter((n) => !before.has(n))]
}

export const composites: DiffKind = {
  name: 'composites',
  diff(ctx) {
    const { from, out } = ctx
    const { pairs, dropped } = diffByKey(from.composites ?? [], ctx.to.composites ?? [], (t) => k2(t.schema, t.name))
    const shape = (t: CompositeTypeDef) => ({ ...without(t, 'comment'), attributes: t.attributes.map((a) => without(a, 'comment')) })
    for (const { from: f, to: t } of pairs) {
      let kept = f
      if (!f) out.push({ kind: 'create_composite', type: t })
      else if (!same(shape(f), shape(t))) {
        const retyped = t.attributes.filter((a) => f.attributes.some((b) => b.name === a.name && (b.type !== a.type || b.collation !== a.collation)))
        const columns = retyped.length ? typeUsers(from, f.schema, f.name).filter((u) => u.startsWith('column ')) : []
        if (columns.length) {
          out.push({
            kind: 'unsupported',
            object: `${t.schema}.${t.name}`,
            objectKind: 'composite',
            message: `attribute ${retyped[0]!.name} of type ${qname(t.schema, t.name)} changes type, and ${columns.slice(0, 3).join(', ')}${columns.length > 3 ? ' and more' : ''} use${columns.length === 1 ? 's' : ''} it: Postgres cannot alter an attribute of a type a column stores`,
            hint: 'add a new attribute and copy the values in a hand-written migration, or move the columns to a new type',
          })
        } else if (alteredOrder(f, t).join('\0') === t.attributes.map((a) => a.name).join('\0')) out.push({ kind: 'alter_composite', from: f, to: t })
        else {
          const users = compositeUsers(from, f)
          if (users.length) {
            out.push({
              kind: 'unsupported',
              object: `${t.schema}.${t.name}`,
              objectKind: 'composite',
              message: `the attributes of type ${qname(t.schema, t.name)} change order, and ${users.slice(0, 3).join(', ')}${users.length > 3 ? ' and more' : ''} use${users.length === 1 ? 's' : ''} it: ALTER TYPE only adds attributes at the end`,
              hint: 'keep the existing attributes in their order and add new ones last, or move the users to a new type in a hand-written migration',
            })
          } else {
            out.push({ kind: 'drop_composite', type: f }, { kind: 'create_composite', type: t })
            kept = undefined
          }
        }
      }
      ctx.comment({ on: 'type', schema: t.schema, name: t.name }, kept?.comment, t.comment)
      const keptAttrs = new Map((kept?.attributes ?? []).map((a) => [a.name, a]))
      for (const a of t.attributes) {
        ctx.comment({ on: 'attribute', schema: t.schema, type: t.name, name: a.name }, keptAttrs.get(a.name)?.comment, a.comment)
      }
    }
    for (const f of dropped) {
      out.push({ kind: 'drop_composite', type: f, ...(compositeUsers(from, f).length ? { afterColumns: true } : {}) })
    }
  },
}
