/**
 * What the diff kinds share while they run: both models, the changes found so far, and the facts
 * one kind finds that later kinds need (which tables go, which enums are recreated, which columns
 * are dropped or retyped, which functions and views are made again). A kind reads only facts of
 * the kinds before it in the registry (src/diff/kinds/index.ts).
 */
import type { FunctionDef, Model } from '../model/types.js'
import { ident, qname } from '../sqlgen/quote.js'
import type { Change, CommentTarget, TableRef } from './changes.js'
import { DependencyGraph } from './graph.js'
import { k2, mentions } from './keyed.js'

/** The state of one diff() run. */
export interface DiffContext {
  /** The current model, normalized, with the renames applied. */
  readonly from: Model
  /** The target model, normalized, without hints. */
  readonly to: Model
  /** The changes found so far, in order (renames first). */
  readonly out: Change[]
  /** Adds a set_comment change when the comment differs. */
  comment(target: CommentTarget, from: string | undefined, to: string | undefined): void

  // facts known before any kind runs
  /** Schemas dropped by name. */
  readonly droppedSchemas: ReadonlySet<string>
  /** Tables dropped, by `schema.name`. */
  readonly droppedTables: ReadonlySet<string>
  /** Enum types of either model, by qualified name. */
  readonly enumTypes: ReadonlySet<string>

  // facts the kinds add as they run
  /** Enums and domains created again (by qualified name): their columns are retyped though the name stays. (enums, domains) */
  readonly recreatedEnums: Set<string>
  /** Columns dropped or retyped: views and policies using them are made again. (tables) */
  readonly touchedColumns: { table: TableRef; column: string }[]
  /** Columns dropped, by `schema.table.column`. (tables) */
  readonly droppedColumns: Set<string>
  /** Functions dropped to be created again. (functions) */
  readonly recreatedFunctions: FunctionDef[]
  /** Views dropped to be created again, by `schema.name`. (views) */
  readonly recreatedViews: Set<string>
  /** The dependency graph of the current model (built on first use). */
  readonly fromGraph: DependencyGraph
}

/** A fresh context for `from` → `to`; `out` starts with `initial` (the renames). */
export function diffContext(from: Model, to: Model, initial: readonly Change[]): DiffContext {
  const out: Change[] = [...initial]
  let fromGraph: DependencyGraph | undefined
  const toSchemas = new Set(to.schemas.map((s) => s.name))
  const toTables = new Set(to.tables.map((t) => k2(t.schema, t.name)))
  return {
    from,
    to,
    out,
    comment(target, a, b) {
      if (a !== b) out.push({ kind: 'set_comment', target, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) })
    },
    droppedSchemas: new Set(from.schemas.filter((s) => !toSchemas.has(s.name)).map((s) => s.name)),
    droppedTables: new Set(from.tables.filter((t) => !toTables.has(k2(t.schema, t.name))).map((t) => k2(t.schema, t.name))),
    enumTypes: new Set([...from.enums, ...to.enums].map((e) => qname(e.schema, e.name))),
    recreatedEnums: new Set(),
    touchedColumns: [],
    droppedColumns: new Set(),
    recreatedFunctions: [],
    recreatedViews: new Set(),
    get fromGraph() {
      fromGraph ??= DependencyGraph.of(from)
      return fromGraph
    },
  }
}

/** What in `m` uses the type `schema.name`: columns, domains, functions (for messages and checks). */
export function typeUsers(m: Model, schema: string, name: string): string[] {
  const q = qname(schema, name)
  const uses = (type: string) => type === q || type.startsWith(`${q}[`)
  return [
    ...m.tables.flatMap((t) => t.columns.filter((c) => uses(c.type)).map((c) => `column ${t.schema}.${t.name}.${c.name}`)),
    ...m.domains.filter((d) => uses(d.type)).map((d) => `domain ${d.schema}.${d.name}`),
    ...m.functions.filter((f) => mentions(f.definition, schema, name)).map((f) => `function ${f.schema}.${f.name}(${f.args})`),
  ]
}

/** True when a column of a table kept in `to` has the type now and loses it. */
export function retypedFrom(ctx: DiffContext, schema: string, name: string): boolean {
  const q = qname(schema, name)
  return ctx.from.tables.some((t) => {
    const n = ctx.to.tables.find((x) => x.schema === t.schema && x.name === t.name)
    return n !== undefined && t.columns.some((c) => (c.type === q || c.type.startsWith(`${q}[`)) && n.columns.some((x) => x.name === c.name && x.type !== c.type))
  })
}

/** The element type of an array type. */
export const baseOf = (type: string): string => type.replace(/(\[\])+$/, '')

/** The USING expression of a type change that needs one: enums convert through text. */
export function usingFor(ctx: DiffContext, column: string, fromType: string, toType: string): string {
  const viaText = ctx.enumTypes.has(baseOf(fromType)) || (ctx.enumTypes.has(baseOf(toType)) && !/^(text|character varying|character)\b/.test(fromType))
  if (!viaText) return `${ident(column)}::${toType}`
  const arrays = fromType.endsWith('[]') && toType.endsWith('[]')
  return `${ident(column)}::text${arrays ? '[]' : ''}::${toType}`
}

/** One kind of object, as diff() compares it. */
export interface DiffKind {
  /** The model collection it compares (for messages and the registry test). */
  readonly name: string
  /** Appends the changes of this kind to `ctx.out`, and the facts later kinds need to `ctx`. */
  diff(ctx: DiffContext): void
}
