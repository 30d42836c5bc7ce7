/**
 * Views and materialized views: changed = replace when compatible, else drop + create; a view
 * reading a dropped or retyped column, a dropped table, function or type, or a recreated view is
 * made again too. Fact: ctx.recreatedViews.
 */
import type { IndexDef, ViewDef } from '../../model/types.js'
import type { TableRef } from '../changes.js'
import type { DiffContext, DiffKind } from '../context.js'
import { nodeKey, topoViews } from '../graph.js'
import { byKey, diffByKey, k2, mentions, same, usesIdentifier, without } from '../keyed.js'
import { functionKey, signatureOf } from './functions.js'

function mentionsColumn(v: ViewDef, t: TableRef, column: string): boolean {
  return mentions(v.definition, t.schema, t.name) && usesIdentifier(v.definition, column)
}

/** CREATE OR REPLACE VIEW keeps existing columns: allowed when the old column list is a prefix of the new one. */
function replaceable(a: ViewDef, b: ViewDef): boolean {
  if (!a.columns || !b.columns) return false
  if (!same(a.with, b.with)) return false
  return a.columns.every((c, i) => b.columns?.[i] === c)
}

export const views: DiffKind = {
  name: 'views',
  diff(ctx) {
    const { from, to, out, comment } = ctx
    const recreate = ctx.recreatedViews
    const vKey = (v: ViewDef) => k2(v.schema, v.name)
    const { fromByKey: fromViews, toByKey: toViews } = diffByKey(from.views, to.views, vKey)
    // what goes away: dropped tables, functions (or made again) and types
    const toFns = new Set(to.functions.map(functionKey))
    const toTypes = new Set([...to.enums, ...to.domains].map((t) => k2(t.schema, t.name)))
    const gone = new Set([
      ...from.tables.filter((t) => ctx.droppedTables.has(k2(t.schema, t.name))).map((t) => nodeKey('table', t.schema, t.name)),
      ...[...ctx.recreatedFunctions, ...from.functions.filter((f) => !toFns.has(functionKey(f)))].map((f) => nodeKey('function', f.schema, f.name)),
      ...from.enums.filter((t) => !toTypes.has(k2(t.schema, t.name))).map((t) => nodeKey('enum', t.schema, t.name)),
      ...from.domains.filter((t) => !toTypes.has(k2(t.schema, t.name))).map((t) => nodeKey('domain', t.schema, t.name)),
    ])
    const reads = (f: ViewDef) => ctx.fromGraph.needs(nodeKey('view', f.schema, f.name), ['reads'])
    // an index of a kept materialized view calling a function that goes is made again around it
    const goingFns = [...ctx.recreatedFunctions, ...from.functions.filter((f) => !toFns.has(functionKey(f)))]
    const callsGoing = (ix: IndexDef) =>
      goingFns.some((fn) => [ix.where, ...ix.keys.map((k) => k.expression)].some((x) => x !== undefined && mentions(x, fn.schema, fn.name)))
    const replaced: ViewDef[] = []
    for (const v of to.views) {
      const f = fromViews.get(vKey(v))
      if (!f) continue
      const changed = !same(without(f, 'comment', 'columnComments', 'indexes'), without(v, 'comment', 'columnComments', 'indexes'))
      const usesTouched = ctx.touchedColumns.some((tc) => mentionsColumn(f, tc.table, tc.column))
      // a view still reading a table, function or type that goes away must be out of the way before
      // the drop (CREATE OR REPLACE comes after every drop)
      const usesDropped = reads(f).some((k) => gone.has(k))
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
        const readsGone = reads(f).some((k) => {
          if (!k.startsWith('view:')) return false
          const o = k.slice('view:'.length)
          return recreate.has(o) || !toViews.has(o)
        })
        if (readsGone) {
          recreate.add(vKey(v))
          const i = replaced.indexOf(v)
          if (i >= 0) replaced.splice(i, 1)
          grew = true
        }
      }
    }
    const viewOrder = (vs: readonly ViewDef[]) => topoViews(vs)
    for (const f of viewOrder(from.views).reverse()) {
      if (!toViews.has(vKey(f))) out.push({ kind: 'drop_view', view: f })
      else if (recreate.has(vKey(f))) {
        const changed = !same(without(f, 'comment', 'columnComments'), without(toViews.get(vKey(f)) as ViewDef, 'comment', 'columnComments'))
        out.push({ kind: 'drop_view', view: f, ...(changed ? {} : { dependent: true }) })
      }
    }
    rowTypeUsers(ctx, recreate)
    for (const v of viewOrder(to.views)) {
      const f = fromViews.get(vKey(v))
      if (!f || recreate.has(vKey(v))) {
        const changed = !f || !same(without(f, 'comment', 'columnComments'), without(v, 'comment', 'columnComments'))
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
            if (!n || !same(without(n, 'comment'), without(ix, 'comment')) || callsGoing(ix)) out.push({ kind: 'drop_index', table: ref, index: ix })
          }
          for (const ix of v.indexes) {
            const o = fi.get(ix.name)
            const fresh = !o || !same(without(o, 'comment'), without(ix, 'comment')) || callsGoing(o)
            if (fresh) out.push({ kind: 'create_index', table: ref, index: ix })
            comment({ on: 'index', schema: v.schema, name: ix.name }, fresh ? undefined : o?.comment, ix.comment)
          }
        }
        if (!same(f.with, v.with)) out.push({ kind: 'alter_storage', table: { schema: v.schema, name: v.name }, from: f.with, to: v.with, ...(v.materialized ? { materialized: true } : {}) })
      }
      const kept = f !== undefined && !recreate.has(vKey(v))
      comment({ on: v.materialized ? 'materialized_view' : 'view', schema: v.schema, name: v.name }, kept ? f.comment : undefined, v.comment)
      // column comments: a view made again has none until they are set again
      const was = kept ? (f.columnComments ?? {}) : {}
      const now = v.columnComments ?? {}
      for (const name of [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()) {
        comment({ on: 'column', schema: v.schema, table: v.name, name }, was[name], now[name])
      }
    }
  },
}

/**
 * Functions whose signature names the row type of a view made again (`RETURNS SETOF app.v`, an
 * argument of type `app.v`): Postgres refuses to drop the view under them, so they are dropped
 * before it and created again after it, unless the function diff already does.
 */
function rowTypeUsers(ctx: DiffContext, recreate: ReadonlySet<string>): void {
  if (recreate.size === 0) return
  const toFns = byKey(ctx.to.functions, functionKey)
  const handled = new Set(ctx.out.flatMap((c) => (c.kind === 'drop_function' ? [functionKey(c.function)] : [])))
  for (const f of ctx.from.functions) {
    const n = toFns.get(functionKey(f))
    if (!n || handled.has(functionKey(f))) continue
    const signature = signatureOf(f)
    const names = [...recreate].some((k) => {
      const v = ctx.from.views.find((x) => k2(x.schema, x.name) === k)
      return v !== undefined && mentions(signature, v.schema, v.name)
    })
    if (!names) continue
    ctx.out.push({ kind: 'drop_function', function: f }, { kind: 'create_function', function: n })
    ctx.recreatedFunctions.push(f)
    ctx.comment({ on: 'function', schema: n.schema, name: n.name, args: n.args, procedure: n.isProcedure }, undefined, n.comment)
  }
}
