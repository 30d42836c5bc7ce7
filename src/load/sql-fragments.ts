/**
 * Checks raw SQL text from the definitions before it is written into any statement: expressions
 * (defaults, checks, generated columns, index keys and predicates, policies), custom type names,
 * view queries, partition keys and bounds, operator classes, with PostgreSQL's own grammar
 * (libpg-query, loaded on demand); plus strict grammars for the words cairn writes bare (storage
 * parameters, access methods, privileges).
 *
 * A fragment is written inside a statement cairn builds (`CHECK (<expr>)`, `… WHERE <expr>;`), so
 * beyond parsing as what it claims to be it must not be able to leave its place: no `;`, no
 * parenthesis or bracket closed that it did not open, no `--` comment running to its end (it would
 * swallow what cairn writes after it), no NUL.
 */

import { wellFormed } from '../sqlgen/quote.js'

type Node = Record<string, any>
type Parser = { parseSync(sql: string): { stmts?: { stmt: Node }[] }; scanSync(sql: string): { tokens: { start: number; end: number; text: string; tokenName: string }[] } }

let parser: Parser | undefined
let loading: Promise<void> | undefined

/**
 * Loads the parser (WASM) once. loadProject() awaits it; callers of buildModel()/collectModel()
 * that want their SQL fragments checked with the parser await it first, otherwise only the strict
 * word grammars are applied.
 */
export function loadSqlFragmentParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule()
    parser = m as unknown as Parser
  })
  return loading
}

/** True once loadSqlFragmentParser() has resolved. */
export function sqlFragmentParserLoaded(): boolean {
  return parser !== undefined
}

/** What a fragment is meant to be, which decides how it is parsed. */
export type FragmentKind = 'expression' | 'type' | 'query' | 'partition_key' | 'partition_bound' | 'opclass'

const WHAT: Record<FragmentKind, string> = {
  expression: 'one SQL expression',
  type: 'a type name',
  query: 'one query (SELECT, VALUES, WITH …)',
  partition_key: 'a partition key (columns or expressions)',
  partition_bound: 'a partition bound (FOR VALUES … or DEFAULT)',
  opclass: 'an operator class',
}

/** The statement a fragment is parsed in, and the check that it parsed as the fragment it claims to be. */
const WRAP: Record<FragmentKind, { sql: (text: string) => string; ok: (stmt: Node) => boolean }> = {
  expression: {
    sql: (t) => `SELECT (${t})`,
    ok: (s) => onlyKeys(s.SelectStmt, ['targetList', 'limitOption', 'op']) && s.SelectStmt.targetList.length === 1,
  },
  type: {
    sql: (t) => `SELECT NULL::${t}`,
    ok: (s) => {
      const cast = onlyKeys(s.SelectStmt, ['targetList', 'limitOption', 'op']) && s.SelectStmt.targetList.length === 1
        ? (s.SelectStmt.targetList[0].ResTarget?.val?.TypeCast as Node | undefined)
        : undefined
      return cast !== undefined && cast.arg?.A_Const?.isnull === true && !cast.typeName?.setof && !cast.typeName?.pct_type
    },
  },
  query: {
    sql: (t) => t,
    ok: (s) => s.SelectStmt !== undefined && !s.SelectStmt.intoClause && !s.SelectStmt.lockingClause,
  },
  partition_key: {
    sql: (t) => `CREATE TABLE cairn_t (cairn_c int) PARTITION BY RANGE (${t})`,
    ok: (s) => onlyKeys(s.CreateStmt, ['relation', 'tableElts', 'partspec', 'oncommit']) && s.CreateStmt.partspec?.partParams?.length > 0,
  },
  partition_bound: {
    sql: (t) => `CREATE TABLE cairn_t PARTITION OF cairn_p ${t}`,
    ok: (s) => onlyKeys(s.CreateStmt, ['relation', 'inhRelations', 'partbound', 'oncommit']) && s.CreateStmt.partbound !== undefined,
  },
  opclass: {
    sql: (t) => `CREATE INDEX cairn_i ON cairn_t (cairn_c ${t})`,
    ok: (s) => {
      const ix = s.IndexStmt as Node | undefined
      if (!onlyKeys(ix, ['idxname', 'relation', 'accessMethod', 'indexParams']) || ix?.indexParams?.length !== 1) return false
      const el = ix.indexParams[0].IndexElem as Node | undefined
      return onlyKeys(el, ['name', 'opclass', 'opclassopts', 'ordering', 'nulls_ordering']) && el?.opclass?.length > 0 &&
        el?.ordering === 'SORTBY_DEFAULT' && el?.nulls_ordering === 'SORTBY_NULLS_DEFAULT'
    },
  },
}

function onlyKeys(node: Node | undefined, allowed: readonly string[]): node is Node {
  return node !== undefined && Object.keys(node).every((k) => allowed.includes(k))
}

/**
 * Why `text` cannot be written into a statement as a fragment of `kind`, or undefined when it can.
 * Needs the parser (loadSqlFragmentParser()); without it, undefined.
 */
export function fragmentProblem(kind: FragmentKind, raw: string): string | undefined {
  if (!parser) return undefined
  // definitions repeat the same few fragments (defaults such as now() on every table): each is parsed once
  const key = `${kind}\0${raw}`
  if (checked.has(key)) return checked.get(key)
  const problem = uncachedFragmentProblem(kind, raw)
  checked.set(key, problem)
  return problem
}

/** Fragment (kind, text) → its problem, undefined when none. */
const checked = new Map<string, string | undefined>()

function uncachedFragmentProblem(kind: FragmentKind, raw: string): string | undefined {
  if (!parser) return undefined
  // checked as it will be written (UTF-8), not as the JavaScript string holds it
  const text = wellFormed(raw)
  const what = WHAT[kind]
  if (text.trim() === '') return `is empty; expected ${what}`
  if (text.includes('\0')) return 'holds a NUL character'
  const wrap = WRAP[kind]
  // lexical checks on the fragment alone first: it must not be able to leave its place in the statement
  let tokens: ReturnType<Parser['scanSync']>['tokens'] | undefined
  try {
    // the scanner's JSON output breaks on control characters other than tab and line breaks; as
    // spaces they keep every byte offset and token boundary (outside quotes the parse refuses them)
    tokens = parser.scanSync(text.replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f]/g, ' ')).tokens
  } catch {
    // unterminated quote or comment: the parse below says where
  }
  const bytes = Buffer.byteLength(text, 'utf8')
  let depth = 0
  for (const t of tokens ?? []) {
    if (t.text === ';') return `holds a ";"; expected ${what}, not several statements`
    if (t.text === '(' || t.text === '[') depth++
    if (t.text === ')' || t.text === ']') depth--
    if (depth < 0) return `closes a "${t.text}" it did not open; expected ${what}`
    if (t.tokenName === 'SQL_COMMENT' && t.end >= bytes) {
      return 'ends in a -- comment, which would swallow what follows it; end the comment with a line break or remove it'
    }
  }
  let stmts: { stmt: Node }[]
  try {
    stmts = parser.parseSync(wrap.sql(text)).stmts ?? []
  } catch (e) {
    return `does not parse as ${what}: ${(e as Error).message}`
  }
  if (!tokens) return `does not parse as ${what}`
  if (depth !== 0) return `leaves a parenthesis open; expected ${what}`
  if (stmts.length !== 1 || !wrap.ok(stmts[0].stmt)) return `is not ${what}`
  return undefined
}

/**
 * Why a whole statement cairn assembled from the definitions (a function's CREATE OR REPLACE
 * FUNCTION, a CREATE TRIGGER) is not exactly one statement of the node type `node`, or undefined.
 * Needs the parser; without it, undefined.
 */
export function statementProblem(node: 'CreateFunctionStmt' | 'CreateTrigStmt' | 'DefineStmt' | 'CompositeTypeStmt' | 'CreateEventTrigStmt', raw: string): string | undefined {
  if (!parser) return undefined
  let stmts: { stmt: Node }[]
  try {
    stmts = parser.parseSync(wellFormed(raw)).stmts ?? []
  } catch (e) {
    return `does not parse: ${(e as Error).message}`
  }
  if (stmts.length !== 1) return `is ${stmts.length} statements, not one (a type, default or condition holds a ";" or an unbalanced quote)`
  if (stmts[0].stmt[node] === undefined) return `is not a ${STATEMENT_NAMES[node]} statement`
  return undefined
}

const STATEMENT_NAMES = {
  CreateFunctionStmt: 'CREATE FUNCTION',
  CreateTrigStmt: 'CREATE TRIGGER',
  DefineStmt: 'CREATE AGGREGATE',
  CompositeTypeStmt: 'CREATE TYPE … AS (…)',
  CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
} as const

const NAME_PART = '(?:"(?:[^"\\u0000]|"")+"|[a-z_][a-z0-9_$]*)'
const FUNCTION_NAME = new RegExp(`^${NAME_PART}(?:\\.${NAME_PART})?$`)
const OPERATOR_NAME = new RegExp(`^(?:[-+*/<>=~!@#%^&|\`?]{1,63}|OPERATOR\\(${NAME_PART}\\.[-+*/<>=~!@#%^&|\`?]{1,63}\\))$`)

/** Why `name` cannot be a function name in a statement (`app.add_pair`, `int4pl`, `"My Fn"`), or undefined when it can. */
export function functionNameProblem(name: string): string | undefined {
  return FUNCTION_NAME.test(name) ? undefined : `"${name}" is not a function name (lower-case, or double-quoted, optionally schema-qualified)`
}

/** Why `op` cannot be an operator name (`>`, `OPERATOR(app.>)`), or undefined when it can. */
export function operatorNameProblem(op: string): string | undefined {
  return OPERATOR_NAME.test(op) ? undefined : `"${op}" is not an operator (such as > or OPERATOR(app.>))`
}

const STORAGE_KEY = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/
const STORAGE_VALUE = /^[A-Za-z0-9_.+-]+$/

/** Why a storage parameter `key = value` cannot be written, or undefined when it can. */
export function storageParameterProblem(key: string, value: string): string | undefined {
  if (!STORAGE_KEY.test(key)) return `storage parameter name "${key}" is not a lower-case name (such as fillfactor or toast.autovacuum_enabled)`
  if (!STORAGE_VALUE.test(value)) return `storage parameter ${key} has the value "${value}"; values are numbers, booleans or single words`
  return undefined
}

/** Why `method` cannot be an index access method name, or undefined when it can. */
export function accessMethodProblem(method: string): string | undefined {
  return /^[a-z_][a-z0-9_]*$/.test(method) ? undefined : `access method "${method}" is not a lower-case name (btree, gin, gist, brin, hash, spgist, hnsw, …)`
}

/** Privileges a GRANT may name. */
export const PRIVILEGES: ReadonlySet<string> = new Set([
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE', 'EXECUTE', 'CREATE', 'CONNECT', 'TEMPORARY',
  'TEMP', 'MAINTAIN', 'SET', 'ALTER SYSTEM', 'ALL', 'ALL PRIVILEGES',
])
