/**
 * Which statements of a run of migrations validate the rows a table already holds, and what each
 * one requires of them (pure: SQL text in, validations out). Read with PostgreSQL's own parser:
 *
 * - `ALTER TABLE … ALTER COLUMN … SET NOT NULL` and `ADD CONSTRAINT … NOT NULL` (PostgreSQL 18);
 * - `ADD CONSTRAINT … CHECK (…)`, `FOREIGN KEY`, `UNIQUE`, `PRIMARY KEY` (also `USING INDEX`, which
 *   makes the index's columns NOT NULL), `EXCLUDE`; a constraint added `NOT VALID` is checked where
 *   it is validated (`VALIDATE CONSTRAINT`), also one added before this run (looked up later);
 * - `CREATE UNIQUE INDEX [CONCURRENTLY]`, partial and expression indexes included;
 * - `ALTER COLUMN … TYPE … [USING …]`: every value must convert;
 * - `ADD COLUMN … NOT NULL` without a default: the table must be empty.
 *
 * The run is followed as it will run: a table created earlier in the run has no rows (its
 * statements are skipped); a statement that writes to a table (INSERT, UPDATE, DELETE, MERGE, COPY)
 * or converts one of its columns earlier in the run makes the counts for that table provisional.
 */
import { parseSync } from 'libpg-query'
import type { Name } from '../lint/ast.js'
import { rangeVar, show, strings, walk } from '../lint/ast.js'
import { NameMap, NameSet } from '../lint/names.js'
import type { Node } from '../lint/source.js'
import { ident } from '../sqlgen/quote.js'
import { StatementText, elementExpression, parseExpression, sameExpression } from './sql-text.js'

export type ValidationKind =
  | 'not_null'
  | 'check'
  | 'foreign_key'
  | 'unique'
  | 'primary_key'
  | 'exclusion'
  | 'type_change'
  | 'required_column'
  /** VALIDATE CONSTRAINT of a constraint added before the run: its definition is read from the database. */
  | 'validate'
  /** A statement that validates rows in a way cairn check does not evaluate (reported, never counted). */
  | 'unsupported'

/** One key part of a UNIQUE, PRIMARY KEY or EXCLUDE constraint: a column or an expression (SQL text). */
export interface KeyPart {
  /** SQL: a quoted column name or a parenthesised expression. */
  readonly sql: string
  /** The column name when the part is a plain column. */
  readonly column?: string
  /** EXCLUDE: the operator (validated: operator characters only), maybe schema-qualified. */
  readonly op?: { readonly schema?: string; readonly name: string }
}

export interface TypeTarget {
  readonly column: string
  /** The target type as written. */
  readonly text: string
  /** For varchar(n) and char(n): the type without its length, and the length (checked separately: an explicit cast would truncate). */
  readonly base?: string
  readonly maxLength?: number
  /** The USING expression, when given. */
  readonly using?: string
}

export interface Validation {
  /** Where the statement is: the file as given, its 1-based line and statement number. */
  readonly file: string
  readonly line: number
  readonly statement: number
  /** The statement's text (whole). */
  readonly sql: string
  readonly kind: ValidationKind
  readonly table: Name
  readonly constraint?: string
  /** What is required, for people: `SET NOT NULL email`, `CHECK (price > 0)`, … */
  readonly what: string
  /** not_null, required_column: the columns; foreign_key: the referencing columns. */
  readonly columns?: readonly string[]
  /** unique, primary_key, exclusion. */
  readonly keys?: readonly KeyPart[]
  /** check: the expression; unique and exclusion: the WHERE predicate. */
  readonly predicate?: string
  readonly nullsNotDistinct?: boolean
  readonly references?: {
    readonly table: Name
    /** Omitted: the referenced table's primary key. */
    readonly columns?: readonly string[]
    readonly match: 'simple' | 'full' | 'partial'
    /** The referenced table is created earlier in the run: it has no rows. */
    readonly empty?: boolean
  }
  /** primary_key … USING INDEX: the index whose columns become NOT NULL. */
  readonly usingIndex?: Name
  readonly type?: TypeTarget
  /** Not checked, and why (a table created in the run, an expression that could not be read, …). */
  readonly skip?: string
  /** Skipped because the table is created earlier in the run (it has no rows). */
  readonly newTable?: boolean
  /** A statement earlier in the run changes the rows of this table (or the referenced one) first. */
  readonly changedBefore?: { readonly file: string; readonly line: number; readonly what: string }
}

/** One file of the run, statements already split (`splitSql`). */
export interface RunFile {
  readonly path: string
  readonly statements: ReadonlyArray<{ readonly index: number; readonly line: number; readonly text: string }>
  /** Statements up to this number already ran (a migration stopped midway): they are not checked. */
  readonly done?: number
}

interface UniqueIndex {
  readonly table: Name
  readonly keys: readonly KeyPart[]
}

/** What the run knows so far. */
class RunState {
  readonly created = new NameSet()
  readonly notValid = new NameMap<Map<string, Omit<Validation, 'file' | 'line' | 'statement' | 'sql'>>>()
  readonly indexes = new NameMap<UniqueIndex>()
  /** Tables whose rows earlier statements change: every column (DML), or the columns converted. */
  readonly changed = new NameMap<Change[]>()
}

interface Change {
  readonly file: string
  readonly line: number
  readonly what: string
  /** Undefined: any column. */
  readonly columns?: readonly string[]
}

/** The validations of a run of files, in order; the parser must be loaded (loadSqlParser). */
export function validationsOf(files: readonly RunFile[]): Validation[] {
  const state = new RunState()
  const out: Validation[] = []
  for (const f of files) {
    for (const s of f.statements) {
      const done = f.done !== undefined && s.index <= f.done
      const found = statementValidations(s.text, state, { file: f.path, line: s.line, statement: s.index })
      if (!done) out.push(...found)
    }
  }
  return out
}

/**
 * The validations of a constraint definition read from the database (`pg_get_constraintdef`), for
 * VALIDATE CONSTRAINT of a constraint added before the run. `at` is where the VALIDATE is.
 */
export function constraintValidations(table: Name, constraint: string, definition: string, at: Validation): Validation[] {
  const text = `ALTER TABLE ${table.schema ? `${ident(table.schema)}.` : ''}${ident(table.name)} ADD CONSTRAINT ${ident(constraint)} ${definition.replace(/\s+NOT VALID\s*$/i, '')}`
  const found = statementValidations(text, new RunState(), { file: at.file, line: at.line, statement: at.statement })
  return found.map((v) => ({ ...v, sql: at.sql, ...(at.changedBefore ? { changedBefore: at.changedBefore } : {}) }))
}

interface Where {
  readonly file: string
  readonly line: number
  readonly statement: number
}

function parseOne(text: string): { kind: string; node: Node } | undefined {
  try {
    const r = parseSync(text) as { stmts?: Array<{ stmt: Node }> }
    const stmt = r.stmts?.[0]?.stmt
    if (!stmt || r.stmts!.length !== 1) return undefined
    const kind = Object.keys(stmt)[0]
    return { kind, node: stmt[kind] }
  } catch {
    return undefined
  }
}

function statementValidations(text: string, state: RunState, at: Where): Validation[] {
  const parsed = parseOne(text)
  if (!parsed) return []
  const { kind, node } = parsed
  const out: Validation[] = []
  const base = { ...at, sql: text }
  // what this statement changes applies to the statements after it
  const effects: Array<() => void> = []
  const mark = (t: Name | undefined, what: string, columns?: readonly string[]) => {
    if (!t || state.created.has(t)) return
    effects.push(() => state.changed.set(t, [...(state.changed.get(t) ?? []), { file: at.file, line: at.line, what, ...(columns ? { columns } : {}) }]))
  }
  switch (kind) {
    case 'CreateStmt': {
      const rel = rangeVar(node.relation)
      if (rel) state.created.add(rel)
      break
    }
    case 'CreateTableAsStmt': {
      const rel = rangeVar(node.into?.rel)
      if (rel) state.created.add(rel)
      break
    }
    case 'SelectStmt': {
      const rel = rangeVar(node.intoClause?.rel)
      if (rel) state.created.add(rel)
      break
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt': {
      const rel = rangeVar(node.relation)
      mark(rel, `${kind.replace('Stmt', '').toUpperCase()} ${rel ? show(rel) : ''}`.trim())
      break
    }
    case 'CopyStmt':
      if (node.is_from) {
        const rel = rangeVar(node.relation)
        mark(rel, `COPY ${rel ? show(rel) : ''} FROM`.trim())
      }
      break
    case 'IndexStmt': {
      if (!node.unique) break
      const rel = rangeVar(node.relation)
      if (!rel) break
      const st = new StatementText(text)
      const v = indexValidation(st, node, rel, base)
      if (node.idxname && v.keys) state.indexes.set({ ...(rel.schema ? { schema: rel.schema } : {}), name: node.idxname }, { table: rel, keys: v.keys })
      out.push(v)
      break
    }
    case 'AlterTableStmt': {
      const objtype = node.objtype as string | undefined
      if (objtype !== undefined && objtype !== 'OBJECT_TABLE') break
      const rel = rangeVar(node.relation)
      if (!rel) break
      const st = new StatementText(text)
      const typeChanges: string[] = []
      for (const item of (node.cmds ?? []) as Node[]) {
        const cmd = item.AlterTableCmd as Node | undefined
        if (!cmd) continue
        out.push(...alterTableValidations(st, cmd, rel, base, state))
        if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) typeChanges.push(cmd.name)
      }
      if (typeChanges.length) mark(rel, `ALTER COLUMN ${typeChanges.map(ident).join(', ')} TYPE`, typeChanges)
      break
    }
    case 'AlterDomainStmt': {
      const c = node.def?.Constraint
      const dom = strings(node.typeName).join('.')
      if ((node.subtype === 'C' && c?.contype === 'CONSTR_CHECK' && !c.skip_validation) || node.subtype === 'O' || node.subtype === 'V') {
        out.push({
          ...base,
          kind: 'unsupported',
          table: { name: dom },
          what: node.subtype === 'O' ? `ALTER DOMAIN ${dom} SET NOT NULL` : `ALTER DOMAIN ${dom} ${node.subtype === 'V' ? 'VALIDATE' : 'ADD'} CONSTRAINT`,
          skip: 'domain constraints are not evaluated: every column of the domain is checked by the statement itself',
        })
      }
      break
    }
    default:
      break
  }
  const result = out.map((v) => withChanges(v, state))
  for (const e of effects) e()
  return result
}

/** Marks a validation whose table (or referenced table) earlier statements of the run change or create. */
function withChanges(v: Validation, state: RunState): Validation {
  if (v.kind === 'unsupported') return v
  if (state.created.has(v.table) && !v.skip) {
    return { ...v, skip: `${show(v.table)} is created by the migrations being checked: it has no rows yet`, newTable: true }
  }
  const used = columnsUsed(v)
  const touches = (c: Change) => !c.columns || !used || c.columns.some((x) => used.has(x))
  const own = (state.changed.get(v.table) ?? []).filter(touches)
  // the referenced table: any change to its rows (a DELETE removes parents)
  const ref = v.references ? (state.changed.get(v.references.table) ?? []).filter((c) => !c.columns || !v.references?.columns || c.columns.some((x) => v.references!.columns!.includes(x))) : []
  const ch = [...own, ...ref].at(-1)
  const refEmpty = v.references && state.created.has(v.references.table) ? { references: { ...v.references, empty: true } } : {}
  return { ...v, ...refEmpty, ...(ch ? { changedBefore: { file: ch.file, line: ch.line, what: ch.what } } : {}) }
}

/** The columns a validation reads; undefined when it cannot tell. */
function columnsUsed(v: Validation): Set<string> | undefined {
  const out = new Set<string>(v.columns ?? [])
  const texts = [v.predicate, v.type?.using, ...(v.keys ?? []).map((k) => (k.column ? undefined : k.sql))].filter((t): t is string => t !== undefined)
  for (const k of v.keys ?? []) if (k.column) out.add(k.column)
  if (v.type) out.add(v.type.column)
  for (const t of texts) {
    const node = parseExpression(t)
    if (!node) return undefined
    walk(node, (key, value) => {
      if (key === 'ColumnRef') {
        const f = strings(value.fields).at(-1)
        if (f) out.add(f)
      }
    })
  }
  if (v.usingIndex || v.kind === 'validate') return undefined
  return out
}

const colList = (cols: readonly string[]) => cols.map(ident).join(', ')

function alterTableValidations(st: StatementText, cmd: Node, rel: Name, base: Where & { sql: string }, state: RunState): Validation[] {
  const table = show(rel)
  switch (cmd.subtype as string) {
    case 'AT_SetNotNull':
      return cmd.name ? [{ ...base, kind: 'not_null', table: rel, columns: [cmd.name], what: `ALTER COLUMN ${ident(cmd.name)} SET NOT NULL` }] : []
    case 'AT_AddConstraint': {
      const c = cmd.def?.Constraint as Node | undefined
      return c ? constraintValidation(st, c, rel, base, state) : []
    }
    case 'AT_ValidateConstraint': {
      const name = cmd.name as string | undefined
      if (!name) return []
      const pending = state.notValid.get(rel)?.get(name)
      if (pending) return [{ ...base, ...pending, what: `VALIDATE CONSTRAINT ${ident(name)}: ${pending.what}` }]
      return [{ ...base, kind: 'validate', table: rel, constraint: name, what: `VALIDATE CONSTRAINT ${ident(name)}` }]
    }
    case 'AT_AlterColumnType': {
      const col = cmd.name as string | undefined
      const def = cmd.def?.ColumnDef as Node | undefined
      if (!col || !def?.typeName) return []
      const target = typeTarget(st, col, def)
      const what = `ALTER COLUMN ${ident(col)} TYPE ${target?.text ?? '…'}${target?.using ? ` USING ${target.using}` : ''}`
      if (!target) return [{ ...base, kind: 'type_change', table: rel, what, skip: 'could not read the type or the USING expression back from the statement' }]
      return [{ ...base, kind: 'type_change', table: rel, columns: [col], type: target, what }]
    }
    case 'AT_AddColumn': {
      const def = cmd.def?.ColumnDef as Node | undefined
      if (!def?.colname) return []
      const cons = ((def.constraints ?? []) as Node[]).map((c) => c.Constraint as Node).filter(Boolean)
      const has = (t: string) => cons.some((c) => c.contype === t)
      const required = has('CONSTR_NOTNULL') || has('CONSTR_PRIMARY')
      if (required && !has('CONSTR_DEFAULT') && !has('CONSTR_IDENTITY') && !has('CONSTR_GENERATED') && !/serial$/i.test(strings(def.typeName?.names).at(-1) ?? '')) {
        return [{ ...base, kind: 'required_column', table: rel, columns: [def.colname], what: `ADD COLUMN ${ident(def.colname)} NOT NULL without a default (every existing row fails)` }]
      }
      return []
    }
    case 'AT_AttachPartition': {
      const part = rangeVar(cmd.def?.PartitionCmd?.name)
      return [{
        ...base,
        kind: 'unsupported',
        table: part ?? rel,
        what: `ATTACH PARTITION ${part ? show(part) : ''} to ${table}`,
        skip: 'the rows of an attached partition are checked against its bounds by the statement itself (a CHECK constraint matching the bounds, validated first, makes that scan unnecessary)',
      }]
    }
    default:
      return []
  }
}

function constraintValidation(st: StatementText, c: Node, rel: Name, base: Where & { sql: string }, state: RunState): Validation[] {
  const name = c.conname as string | undefined
  const named = name ? `CONSTRAINT ${ident(name)} ` : ''
  const start = st.at(c.location ?? 0)
  const common = { kind: 'check' as ValidationKind, table: rel, ...(name ? { constraint: name } : {}) }
  const later = (v: Omit<Validation, 'file' | 'line' | 'statement' | 'sql'>): Validation[] => {
    // NOT VALID: nothing is checked now; the VALIDATE CONSTRAINT later in the run checks it
    if (c.skip_validation) {
      if (name) {
        let m = state.notValid.get(rel)
        if (!m) state.notValid.set(rel, (m = new Map()))
        m.set(name, v)
      }
      return []
    }
    return [{ ...base, ...v }]
  }
  switch (c.contype as string) {
    case 'CONSTR_CHECK': {
      const kw = st.find('check', start, undefined, st.tokens[start]?.depth ?? 0)
      const text = kw === -1 ? undefined : st.inside(kw + 1)
      if (!sameExpression(text, c.raw_expr)) {
        return later({ ...common, kind: 'check', what: `${named}CHECK (…)`, skip: 'could not read the CHECK expression back from the statement' })
      }
      return later({ ...common, kind: 'check', predicate: text, what: `${named}CHECK (${text})` })
    }
    case 'CONSTR_NOTNULL': {
      const cols = strings(c.keys)
      return later({ ...common, kind: 'not_null', columns: cols, what: `${named}NOT NULL ${colList(cols)}` })
    }
    case 'CONSTR_FOREIGN': {
      const ref = rangeVar(c.pktable)
      const fk = strings(c.fk_attrs)
      const pk = strings(c.pk_attrs)
      if (!ref || !fk.length) return []
      const match = c.fk_matchtype === 'f' ? 'full' : c.fk_matchtype === 'p' ? 'partial' : 'simple'
      return later({
        ...common,
        kind: 'foreign_key',
        columns: fk,
        references: { table: ref, ...(pk.length ? { columns: pk } : {}), match },
        what: `${named}FOREIGN KEY (${colList(fk)}) REFERENCES ${show(ref)}${pk.length ? ` (${colList(pk)})` : ''}${match === 'simple' ? '' : ` MATCH ${match.toUpperCase()}`}`,
      })
    }
    case 'CONSTR_UNIQUE':
    case 'CONSTR_PRIMARY': {
      const primary = c.contype === 'CONSTR_PRIMARY'
      const word = primary ? 'PRIMARY KEY' : 'UNIQUE'
      if (c.indexname) {
        // the index was built (and checked for duplicates) already; a primary key also makes its columns NOT NULL
        if (!primary) return []
        const ix: Name = { ...(rel.schema ? { schema: rel.schema } : {}), name: c.indexname }
        const known = state.indexes.get(ix)
        const cols = known?.keys.every((k) => k.column) ? known.keys.map((k) => k.column as string) : undefined
        return [{ ...base, ...common, kind: 'not_null', ...(cols ? { columns: cols } : { usingIndex: ix }), what: `${named}PRIMARY KEY USING INDEX ${ident(c.indexname)} (its columns become NOT NULL)` }]
      }
      const cols = strings(c.keys)
      if (!cols.length) return []
      const keys = cols.map((k) => ({ sql: ident(k), column: k }))
      const nnd = c.nulls_not_distinct === true
      const unique: Validation = { ...base, ...common, kind: primary ? 'primary_key' : 'unique', keys, ...(nnd ? { nullsNotDistinct: true } : {}), what: `${named}${word}${nnd ? ' NULLS NOT DISTINCT' : ''} (${colList(cols)})` }
      // a primary key is two requirements: no NULL in its columns, no two rows alike
      if (primary) return [{ ...base, ...common, kind: 'not_null', columns: cols, what: `${named}PRIMARY KEY (${colList(cols)}): NOT NULL` }, unique]
      return [unique]
    }
    case 'CONSTR_EXCLUSION': {
      const kw = st.find('exclude', start, undefined, st.tokens[start]?.depth ?? 0)
      const open = kw === -1 ? -1 : st.tokens.findIndex((t, i) => i > kw && t.text === '(' && t.depth === st.tokens[kw].depth)
      const items = open === -1 ? [] : st.items(open)
      const elems = (c.exclusions ?? []) as Node[]
      const keys: KeyPart[] = []
      let ok = items.length === elems.length
      for (let i = 0; ok && i < elems.length; i++) {
        const [elem, ops] = (elems[i].List?.items ?? []) as Node[]
        const opNames = strings(ops?.List?.items)
        const op = opNames.length ? { ...(opNames.length > 1 ? { schema: opNames[0] } : {}), name: opNames[opNames.length - 1] } : undefined
        if (!op || !/^[+\-*/<>=~!@#%^&|`?]+$/.test(op.name)) {
          ok = false
          break
        }
        const ie = elem?.IndexElem as Node | undefined
        const [from, to] = items[i]
        const withAt = st.find('with', from, to, st.tokens[from]?.depth)
        const part = keyPart(st, ie, from, withAt === -1 ? to : withAt)
        if (!part) ok = false
        else keys.push({ ...part, op })
      }
      let predicate: string | undefined
      if (ok && c.where_clause) {
        const closeAt = st.close(open)
        const w = st.find('where', closeAt + 1, undefined, st.tokens[kw].depth)
        predicate = w === -1 ? undefined : st.inside(w + 1)
        if (!sameExpression(predicate, c.where_clause)) ok = false
      }
      const method = c.access_method ? ` USING ${c.access_method}` : ''
      if (!ok) return [{ ...base, ...common, kind: 'exclusion', what: `${named}EXCLUDE${method} (…)`, skip: 'could not read the exclusion elements back from the statement' }]
      const list = keys.map((k) => `${k.sql} WITH ${k.op!.schema ? `OPERATOR(${ident(k.op!.schema)}.${k.op!.name})` : k.op!.name}`).join(', ')
      return [{ ...base, ...common, kind: 'exclusion', keys, ...(predicate ? { predicate } : {}), what: `${named}EXCLUDE${method} (${list})${predicate ? ` WHERE (${predicate})` : ''}` }]
    }
    default:
      return []
  }
}

/** A column or an expression of an index element in tokens [from, to). */
function keyPart(st: StatementText, ie: Node | undefined, from: number, to: number): KeyPart | undefined {
  if (!ie) return undefined
  if (ie.name) return { sql: ident(ie.name), column: ie.name }
  if (!ie.expr) return undefined
  const text = elementExpression(st, from, to, ie.expr)
  return text === undefined ? undefined : { sql: `(${text})` }
}

function indexValidation(st: StatementText, node: Node, rel: Name, base: Where & { sql: string }): Validation {
  const name = node.idxname as string | undefined
  const on = st.find('on', 0)
  const open = on === -1 ? -1 : st.tokens.findIndex((t, i) => i > on && t.text === '(' && t.depth === 0)
  const items = open === -1 ? [] : st.items(open)
  const elems = (node.indexParams ?? []) as Node[]
  const keys: KeyPart[] = []
  let ok = items.length === elems.length
  for (let i = 0; ok && i < elems.length; i++) {
    const part = keyPart(st, elems[i].IndexElem, items[i][0], items[i][1])
    if (!part) ok = false
    else keys.push(part)
  }
  let predicate: string | undefined
  if (ok && node.whereClause) {
    const closeAt = st.close(open)
    const w = st.find('where', closeAt + 1, undefined, 0)
    predicate = w === -1 ? undefined : st.text_(w + 1, st.tokens.length)
    if (!sameExpression(predicate, node.whereClause)) ok = false
  }
  const nnd = node.nulls_not_distinct === true
  const label = `CREATE UNIQUE INDEX${node.concurrent ? ' CONCURRENTLY' : ''}${name ? ` ${ident(name)}` : ''}`
  const common = { ...base, kind: 'unique' as const, table: rel, ...(name ? { constraint: name } : {}) }
  if (!ok) return { ...common, what: `${label} (…)`, skip: 'could not read the index keys back from the statement' }
  return {
    ...common,
    keys,
    ...(predicate ? { predicate } : {}),
    ...(nnd ? { nullsNotDistinct: true } : {}),
    what: `${label} (${keys.map((k) => k.sql).join(', ')})${nnd ? ' NULLS NOT DISTINCT' : ''}${predicate ? ` WHERE ${predicate}` : ''}`,
  }
}

const LENGTH_TYPES: Record<string, string> = { varchar: 'pg_catalog.varchar', bpchar: 'pg_catalog.bpchar' }

/** The target type of ALTER COLUMN … TYPE as written, its USING expression, and for varchar(n)/char(n) the length. */
function typeTarget(st: StatementText, column: string, def: Node): TypeTarget | undefined {
  const tn = def.typeName as Node
  const from = st.at(tn.location ?? 0)
  const depth = st.tokens[from]?.depth ?? 0
  let end = from
  while (end < st.tokens.length) {
    const t = st.tokens[end]
    if (t.depth < depth || (t.depth === depth && (t.text === ',' || t.word === 'using' || t.word === 'collate'))) break
    end++
  }
  const text = st.text_(from, end)
  if (!text) return undefined
  let using: string | undefined
  if (def.raw_default) {
    const u = st.find('using', end, undefined, depth)
    if (u === -1) return undefined
    let stop = u + 1
    while (stop < st.tokens.length && !(st.tokens[stop].depth <= depth && (st.tokens[stop].text === ',' || st.tokens[stop].depth < depth))) stop++
    using = st.text_(u + 1, stop)
    if (!sameExpression(using, def.raw_default)) return undefined
  }
  const names = strings(tn.names)
  const last = names.at(-1)
  const mods = (tn.typmods ?? []) as Node[]
  const array = Array.isArray(tn.arrayBounds) && tn.arrayBounds.length > 0
  const length = mods.length === 1 ? mods[0].A_Const?.ival?.ival : undefined
  const lengthType = last && names.length === 2 && names[0] === 'pg_catalog' ? LENGTH_TYPES[last] : undefined
  return {
    column,
    text,
    ...(lengthType && typeof length === 'number' && !array ? { base: lengthType, maxLength: length } : {}),
    ...(using !== undefined ? { using } : {}),
  }
}
