/**
 * Functions and procedures: a changed body is CREATE OR REPLACE; a new return type or a function
 * becoming a procedure means drop + create. Fact: ctx.recreatedFunctions.
 */
import type { FunctionDef } from '../../model/types.js'
import type { DiffKind } from '../context.js'
import { diffByKey } from '../keyed.js'

/** The identity of a function: schema, name and argument types. */
export const functionKey = (f: FunctionDef): string => `${f.schema}.${f.name}(${f.args})`

/** The return clause of a function definition (`RETURNS integer`), used to decide replace vs drop+create. */
function returnsOf(f: FunctionDef): string {
  return /\bRETURNS\s+([^\n]+)/i.exec(f.definition)?.[1]?.trim() ?? ''
}

export const functions: DiffKind = {
  name: 'functions',
  diff(ctx) {
    const { out, recreatedFunctions } = ctx
    const { pairs, dropped } = diffByKey(ctx.from.functions, ctx.to.functions, functionKey)
    for (const { from: f, to: fn } of pairs) {
      if (!f) out.push({ kind: 'create_function', function: fn })
      else if (f.definition !== fn.definition || f.isProcedure !== fn.isProcedure) {
        if (returnsOf(f) !== returnsOf(fn) || f.isProcedure !== fn.isProcedure) {
          out.push({ kind: 'drop_function', function: f }, { kind: 'create_function', function: fn })
          recreatedFunctions.push(f)
        } else out.push({ kind: 'replace_function', from: f, to: fn })
      }
      const fnRecreated = f !== undefined && recreatedFunctions.includes(f)
      ctx.comment({ on: 'function', schema: fn.schema, name: fn.name, args: fn.args, procedure: fn.isProcedure }, fnRecreated ? undefined : f?.comment, fn.comment)
    }
    for (const f of dropped) out.push({ kind: 'drop_function', function: f })
  },
}
