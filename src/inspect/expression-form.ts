/**
 * Comparing SQL text that different PostgreSQL versions print differently. Defaults, checks, index
 * predicates and policy expressions come from `pg_get_expr()`, view bodies from `pg_get_viewdef()`,
 * and their spelling changes between 13 and 18 (most visibly: 16+ prints the columns of a
 * single-table view without the table prefix that 15 and older print). Two texts are the same when
 * PostgreSQL's own parser (libpg-query, WASM) reads them into the same tree once source positions
 * are dropped and the differences between versions are normalised away.
 *
 * `loadSameText()` returns a synchronous, memoised comparison to hand to the pure model alignment
 * (`alignEquivalentText` in src/diff/align.ts); nothing here touches a database.
 */
import { loadModule, parseSync } from 'libpg-query'

type Node = Record<string, unknown>

/** What a text is: a bare expression (default, check, predicate), a query (view body) or a statement (trigger). */
export type TextKind = 'expression' | 'query' | 'statement'

/** True when two texts of the given kind mean the same thing (the shape src/diff/align.ts takes). */
export type SameText = (a: string, b: string, kind: TextKind) => boolean

let loaded: Promise<void> | undefined

/** Loads the parser once and returns the comparison of texts by their parsed form. */
export async function loadSameText(): Promise<SameText> {
  loaded ??= loadModule()
  await loaded
  return sameTextByParsedForm()
}

/**
 * The comparison itself; the parser must be loaded (see loadSameText). Equal strings are equal
 * without parsing; text that does not parse is only equal to itself.
 */
export function sameTextByParsedForm(): SameText {
  const memo = new Map<string, string | null>()
  const form = (text: string, kind: TextKind): string | null => {
    const key = `${kind}\0${text}`
    let f = memo.get(key)
    if (f === undefined) {
      f = parsedForm(text, kind) ?? null
      memo.set(key, f)
    }
    return f
  }
  return (a, b, kind) => {
    if (a === b) return true
    const fa = form(a, kind)
    return fa !== null && fa === form(b, kind)
  }
}

/**
 * The comparison form of `text`: its parse tree as JSON, without source positions, with the
 * version-dependent spellings normalised. Undefined when the text does not parse.
 */
export function parsedForm(text: string, kind: TextKind): string | undefined {
  let tree: unknown
  try {
    if (kind === 'expression') {
      const stmt = (parseSync(`SELECT (${text})`).stmts?.[0]?.stmt ?? {}) as Node
      const targets = (stmt.SelectStmt as Node | undefined)?.targetList as Node[] | undefined
      if (targets?.length !== 1) return undefined
      tree = (targets[0].ResTarget as Node).val
    } else {
      const stmts = parseSync(text).stmts ?? []
      if (stmts.length !== 1) return undefined
      tree = stmts[0].stmt
      if (kind === 'query') tree = unqualifySingleRelation(tree as Node)
    }
  } catch {
    return undefined
  }
  return JSON.stringify(tree, (k, v: unknown) => (POSITION_KEYS.has(k) ? undefined : v))
}

/** Source positions in the parse tree (ARRAY[…] records where its list starts and ends): not meaning. */
const POSITION_KEYS = new Set(['location', 'stmt_location', 'stmt_len', 'list_start', 'list_end'])

/**
 * PostgreSQL 16+ prints the column references of a top-level query that reads exactly one relation
 * without its name (`SELECT id FROM s.t`); 15 and older qualify them (`SELECT t.id FROM s.t`),
 * because views' range tables held two more entries then. Subqueries are qualified by both, so only
 * the top-level query is rewritten: its references through that one relation lose the prefix.
 */
function unqualifySingleRelation(stmt: Node): Node {
  const select = stmt.SelectStmt as Node | undefined
  if (!select || (select.op !== undefined && select.op !== 'SETOP_NONE')) return stmt
  const from = select.fromClause as Node[] | undefined
  if (from?.length !== 1) return stmt
  const item = from[0]
  const rv = item.RangeVar as Node | undefined
  const aliased = (item.RangeVar ?? item.RangeSubselect ?? item.RangeFunction) as Node | undefined
  const alias = (aliased?.alias as Node | undefined)?.aliasname as string | undefined
  const ref = alias ?? (rv?.relname as string | undefined)
  if (ref === undefined) return stmt
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip)
    if (n === null || typeof n !== 'object') return n
    const o = n as Node
    // nested queries keep their own qualification (both versions qualify inside them)
    if ('SelectStmt' in o) return o
    if ('ColumnRef' in o) {
      const c = o.ColumnRef as Node
      const fields = c.fields as Node[]
      const first = (fields[0]?.String as Node | undefined)?.sval
      if (fields.length === 2 && first === ref && 'String' in fields[1]) return { ColumnRef: { ...c, fields: [fields[1]] } }
      return o
    }
    const out: Node = {}
    for (const [k, v] of Object.entries(o)) out[k] = strip(v)
    return out
  }
  const rewritten: Node = {}
  for (const [k, v] of Object.entries(select)) {
    // CTE bodies and FROM items are queries of their own
    rewritten[k] = k === 'withClause' || k === 'fromClause' ? v : strip(v)
  }
  return { SelectStmt: rewritten }
}
