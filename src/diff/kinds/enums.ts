/**
 * Enums: values added in place; removed or reordered values mean a new type (the old one renamed
 * aside, the columns moved over, the old one dropped); a type whose columns move to another type
 * is dropped after them. Fact: ctx.recreatedEnums.
 */
import type { Model } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import { retypedFrom, typeUsers, type DiffKind } from '../context.js'
import { byKey, diffByKey, k2, mentions, same } from '../keyed.js'
import { functionKey, signatureOf } from './functions.js'

export const enums: DiffKind = {
  name: 'enums',
  diff(ctx) {
    const { from, out } = ctx
    const { pairs, dropped } = diffByKey(from.enums, ctx.to.enums, (e) => k2(e.schema, e.name))
    for (const { from: f, to: e } of pairs) {
      if (!f) out.push({ kind: 'create_enum', enum: e })
      else if (!same(f.values, e.values)) {
        let i = 0
        for (const v of e.values) if (i < f.values.length && v === f.values[i]) i++
        const isSuperSequence = i === f.values.length
        if (!isSuperSequence) {
          // a function naming the type in its signature is dropped before and created after;
          // one naming it only in its body holds no dependency on it
          const signed = from.functions.filter((x) => mentions(signatureOf(x), f.schema, f.name))
          const toFns = byKey(ctx.to.functions, functionKey)
          const blockers = typeUsers(from, f.schema, f.name).filter((u) => !u.startsWith('column ') && !u.startsWith('function '))
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
            ctx.recreatedEnums.add(qname(e.schema, e.name))
            for (const x of signed) {
              const n = toFns.get(functionKey(x))
              if (!n || ctx.recreatedFunctions.includes(x)) continue
              out.push({ kind: 'drop_function', function: x }, { kind: 'create_function', function: n })
              ctx.recreatedFunctions.push(x)
              ctx.comment({ on: 'function', schema: n.schema, name: n.name, args: n.args, procedure: n.isProcedure }, undefined, n.comment)
            }
          }
        } else {
          e.values.forEach((v, idx) => {
            if (f.values.includes(v)) return
            if (idx > 0) out.push({ kind: 'add_enum_value', enum: e, value: v, after: e.values[idx - 1] })
            else out.push({ kind: 'add_enum_value', enum: e, value: v, before: e.values[1] })
          })
        }
      }
      ctx.comment({ on: 'enum', schema: e.schema, name: e.name }, f?.comment, e.comment)
    }
    for (const e of dropped) {
      out.push({ kind: 'drop_enum', enum: e, ...(retypedFrom(ctx, e.schema, e.name) ? { afterColumns: true } : {}) })
    }
  },
}

/** A free name for an enum moved aside while it is recreated: `<name>__old`, within 63 bytes. */
export function asideName(name: string, m: Model): string {
  const taken = new Set([...m.enums, ...m.domains].map((t) => t.name))
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? '__old' : `__old${n}`
    let base = name
    while (new TextEncoder().encode(base + suffix).length > 63) base = base.slice(0, -1)
    if (!taken.has(base + suffix)) return base + suffix
  }
}
