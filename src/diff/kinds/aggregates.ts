/**
 * Aggregates: a changed one is CREATE OR REPLACE AGGREGATE while its state type, final function and
 * kind stay (Postgres refuses a new result type there), else drop + create; one whose support
 * function is made again (or dropped) is made again around it.
 */
import type { AggregateDef } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import type { DiffKind } from '../context.js'
import { diffByKey, same, without } from '../keyed.js'
import { functionKey } from './functions.js'

/** The identity of an aggregate: schema, name and argument types. */
export const aggregateKey = (a: AggregateDef): string => `${a.schema}.${a.name}(${a.args})`

const SUPPORT = ['sfunc', 'finalfunc', 'combinefunc', 'serialfunc', 'deserialfunc', 'msfunc', 'minvfunc', 'mfinalfunc'] as const

/** The support functions an aggregate names, as `regproc` prints them. */
const supportFunctions = (a: AggregateDef): string[] => SUPPORT.map((k) => a[k]).filter((x): x is string => x !== undefined)

export const aggregates: DiffKind = {
  name: 'aggregates',
  diff(ctx) {
    const { out } = ctx
    // functions dropped (for good or to be made again): an aggregate over one must go first
    const toFns = new Set(ctx.to.functions.map(functionKey))
    const goneFns = new Set([...ctx.recreatedFunctions, ...ctx.from.functions.filter((f) => !toFns.has(functionKey(f)))].map((f) => qname(f.schema, f.name)))
    const { pairs, dropped } = diffByKey(ctx.from.aggregates ?? [], ctx.to.aggregates ?? [], aggregateKey)
    for (const { from: f, to: a } of pairs) {
      let kept = f
      if (!f) out.push({ kind: 'create_aggregate', aggregate: a })
      else if (supportFunctions(f).some((n) => goneFns.has(n))) {
        out.push({ kind: 'drop_aggregate', aggregate: f }, { kind: 'create_aggregate', aggregate: a })
        kept = undefined
      } else if (!same(without(f, 'comment'), without(a, 'comment'))) {
        if (f.stype === a.stype && f.finalfunc === a.finalfunc && f.hypothetical === a.hypothetical) out.push({ kind: 'replace_aggregate', from: f, to: a })
        else {
          out.push({ kind: 'drop_aggregate', aggregate: f }, { kind: 'create_aggregate', aggregate: a })
          kept = undefined
        }
      }
      ctx.comment({ on: 'aggregate', schema: a.schema, name: a.name, args: a.args }, kept?.comment, a.comment)
    }
    for (const f of dropped) out.push({ kind: 'drop_aggregate', aggregate: f })
  },
}
