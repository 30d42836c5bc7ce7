/**
 * `cairn lint`'s core: SQL text in, findings out (pure; the CLI reads files and prints).
 *
 * Files are read in order as one run. The linter follows what the run itself creates: a table,
 * materialized view, index, type or schema created earlier in the same file — or in an earlier file
 * of the run that is not applied yet (`pending`) — is new, and locking it blocks no one. Column types
 * seen anywhere in the run (CREATE TABLE, ADD COLUMN, earlier type changes) tell whether a later
 * type change is a widening that needs no rewrite.
 *
 * Transactions are modelled as the file will run:
 * - a cairn migration runs in one transaction, unless a statement must run alone (a
 *   `-- cairn:no-transaction` line before it, or a statement PostgreSQL refuses in a transaction
 *   block): then each run of other statements shares a transaction and those statements run alone
 *   (what src/migrate/runner.ts does);
 * - any other SQL file runs statement by statement, except between BEGIN and COMMIT, or as one
 *   transaction with `assumeInTransaction` (a migration tool that wraps each file).
 */
import { loadSqlParser, nonTransactionalKind } from '../migrate/split-sql.js'
import { fromPrintable } from '../sqlgen/quote.js'
import type { Name, TypeInfo } from './ast.js'
import {
  changesWithoutRewrite, isSerial, listName, narrows, notNullColumns, rangeVar, show, stringConstants, strings, typeInfo, volatility, walk,
} from './ast.js'
import { NameMap, NameSet } from './names.js'
import { RULE_BY_CODE, ruleOf } from './rules.js'
import type { Severity } from './rules.js'
import { parseSource, parseTypeName } from './source.js'
import type { LineComment, Node, ParsedSource, SourceParseError, SourceStatement } from './source.js'

/** One file to lint. */
export interface LintFileInput {
  /** Shown in findings (`migrations/…/up.sql`). */
  readonly path: string
  readonly sql: string
  /**
   * `cairn`: a cairn migration (transactions as the runner runs it; BEGIN/COMMIT refused; header
   * hazards surfaced). `plain`: any other SQL. Default: `cairn` when the file starts with a
   * `-- cairn:` header line, else `plain`.
   */
  readonly kind?: 'cairn' | 'plain'
  /** True when the file is not applied yet: what it creates is new for the files after it. */
  readonly pending?: boolean
}

export interface LintOptions {
  /** Plain SQL files run inside one transaction each (as squawk's --assume-in-transaction). */
  readonly assumeInTransaction?: boolean
  /** Rule codes to leave out. */
  readonly ignore?: readonly string[]
}

/** One problem found. */
export interface Finding {
  readonly code: string
  /** The rule's name, e.g. `index-not-concurrent`. */
  readonly rule: string
  readonly severity: Severity
  readonly message: string
  readonly fix: string
  readonly file: string
  /** 1-based line and column (characters) of the statement or of the part of it at fault. */
  readonly line: number
  readonly column: number
  /** Last line of the statement. */
  readonly endLine: number
  /** 1-based statement number in the file; absent for a finding on a header line. */
  readonly statement?: number
  /** The object concerned, as written (`app.users.email`). */
  readonly object?: string
  /** The header line that declared this hazard (the finding is then a warning). */
  readonly declared?: string
  /** Set when a `-- cairn-lint-ignore` comment covers the finding (not counted). */
  readonly suppressed?: { readonly reason?: string; readonly line: number }
}

export interface LintedFile {
  readonly path: string
  readonly kind: 'cairn' | 'plain'
  readonly statements: number
  /** Set when the file does not parse; nothing else is reported for it. */
  readonly parseError?: SourceParseError
}

export interface LintResult {
  readonly files: readonly LintedFile[]
  /** Every finding, suppressed ones included (marked), in file and line order. */
  readonly findings: readonly Finding[]
  /** Counts of findings that are not suppressed. */
  readonly errors: number
  readonly warnings: number
  readonly suppressed: number
  readonly parseErrors: number
}

/** Lints `files` as one run; loads the parser first. */
export async function lint(files: readonly LintFileInput[], options: LintOptions = {}): Promise<LintResult> {
  await loadSqlParser()
  return lintLoaded(files, options)
}

/** Lints `files` as one run; the parser must already be loaded (loadSqlParser). */
export function lintLoaded(files: readonly LintFileInput[], options: LintOptions = {}): LintResult {
  const run = new RunState()
  const linted: LintedFile[] = []
  const findings: Finding[] = []
  const ignore = new Set((options.ignore ?? []).map((c) => c.toUpperCase()))
  for (const f of files) {
    const parsed = parseSource(f.sql)
    const kind = f.kind ?? (/^\s*-- cairn:/.test(f.sql) ? 'cairn' : 'plain')
    if ('error' in parsed) {
      linted.push({ path: f.path, kind, statements: 0, parseError: parsed.error })
      continue
    }
    linted.push({ path: f.path, kind, statements: parsed.statements.length })
    const file = new FileLinter(f, kind, parsed, run, options)
    findings.push(...file.run().filter((x) => !ignore.has(x.code)))
    run.endFile(file, f.pending === true)
  }
  const live = findings.filter((x) => !x.suppressed)
  return {
    files: linted,
    findings,
    errors: live.filter((x) => x.severity === 'error').length,
    warnings: live.filter((x) => x.severity === 'warning').length,
    suppressed: findings.length - live.length,
    parseErrors: linted.filter((x) => x.parseError).length,
  }
}

/** Lock modes, numbered as PostgreSQL numbers them (LockStmt.mode). */
const LOCK = { accessShare: 1, rowShare: 2, rowExclusive: 3, shareUpdateExclusive: 4, share: 5, shareRowExclusive: 6, exclusive: 7, accessExclusive: 8 } as const
const LOCK_NAME = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE']

/** What the run knows across files. */
class RunState {
  /** Objects created by pending files so far: new for the files after them. */
  created = new NameSet()
  schemas = new Set<string>()
  /** Column types seen in the run, by table. */
  readonly columns = new NameMap<Map<string, TypeInfo>>()
  /** Columns proven NOT NULL by a validated CHECK, by table. */
  readonly notNull = new NameMap<Set<string>>()
  /** CHECK constraints added NOT VALID and not validated yet: table → constraint → columns. */
  readonly pendingChecks = new NameMap<Map<string, string[]>>()

  endFile(file: FileLinter, pending: boolean): void {
    if (!pending) return
    this.created = file.created
    this.schemas = file.schemas
  }

  columnsOf(t: Name): Map<string, TypeInfo> {
    let m = this.columns.get(t)
    if (!m) this.columns.set(t, (m = new Map()))
    return m
  }

  prove(t: Name, cols: readonly string[]): void {
    if (!cols.length) return
    let s = this.notNull.get(t)
    if (!s) this.notNull.set(t, (s = new Set()))
    for (const c of cols) s.add(c)
  }
}

interface HeaderEntry {
  readonly kind: 'hazard' | 'destructive'
  /** Hazard code (`table_rewrite`, `drop_table`, …). */
  readonly hazard: string
  /** PGK code of a destructive line. */
  readonly pgk?: string
  readonly object: string
  readonly message: string
  readonly text: string
  readonly line: number
  readonly column: number
  matched: boolean
}

/** The header hazards that declare what a rule finds (the finding becomes a warning). */
const DECLARED_BY: Record<string, readonly string[]> = {
  CL101: ['blocking_index_build'],
  CL102: ['blocking_index_build'],
  CL105: ['blocking_index_build'],
  CL104: ['blocking_scan'],
  CL106: ['blocking_scan'],
  CL107: ['blocking_scan'],
  CL108: ['table_rewrite'],
  CL109: ['table_rewrite', 'regenerated_column'],
  CL113: ['table_rewrite'],
  CL110: ['add_required_column'],
  CL201: ['rename'],
  CL202: ['rename'],
  PGK101: ['drop_table'],
  PGK102: ['drop_column', 'regenerated_column'],
  PGK103: ['drop_schema'],
  PGK104: ['type_narrowing'],
  PGK105: ['drop_enum', 'drop_composite'],
  PGK106: ['drop_sequence'],
  PGK107: ['drop_extension'],
  PGK108: ['drop_function'],
  PGK109: ['drop_trigger'],
  PGK110: ['drop_view'],
  PGK111: ['drop_policy'],
  PGK112: ['drop_role'],
  PGK113: ['drop_domain'],
  PGK114: ['drop_collation'],
  PGK115: ['drop_default_privileges'],
  PGK116: ['drop_aggregate'],
  PGK118: ['drop_attribute'],
  PGK119: ['drop_event_trigger'],
}

/** The header hazards that say a finding does not apply (the plan knew the old type: no rewrite). */
const CLEARED_BY: Record<string, readonly string[]> = {
  CL108: ['column_type_change'],
}

/** True when a header object (`app.users.email`) names the same thing as `candidate` (maybe unqualified). */
function sameObject(headerObject: string, candidate: string): boolean {
  const h = headerObject.replace(/\(.*\)$/, '')
  return h === candidate || h.endsWith(`.${candidate}`)
}

interface RawFinding {
  code: string
  severity: Severity
  message: string
  line: number
  column: number
  endLine: number
  statement?: number
  /** The statement whose suppressions apply. */
  scope?: number
  object?: string
  objects: string[]
  declared?: string
}

interface Suppression {
  readonly codes: readonly string[]
  readonly reason?: string
  readonly line: number
}

interface Block {
  readonly id: number
  /** Strongest lock taken so far on each relation. */
  readonly locks: NameMap<number>
  /** Enum values added in this transaction. */
  readonly enumValues: { type: Name; value: string; line: number }[]
  /** The first statement taking ACCESS EXCLUSIVE on an existing relation, and the statements after it. */
  exclusive?: { stmt: SourceStatement; rel: Name; after: number; lastLine: number; first?: string }
  localLockTimeout: boolean
}

export { nonTransactionalKind }

const NO_TRANSACTION_MARKER = '-- cairn:no-transaction'
const SUPPRESSION = /^--\s*cairn-lint-ignore\b(.*)$/

/** Lints one parsed file against the run's state. */
class FileLinter {
  readonly created: NameSet
  readonly schemas: Set<string>
  private readonly findings: RawFinding[] = []
  private readonly header: HeaderEntry[] = []
  private readonly objectsOf = new Map<number, string[]>()
  private sessionLockTimeout = false
  private lockTimeoutReported = false
  private readonly blockOf: (Block | undefined)[] = []
  private readonly transactionStmts = new Set<number>()
  /** What each statement creates (kind and name), to tell a drop that is re-created later in the file. */
  private readonly creations: { kind: string; name: Name; index: number }[] = []
  /** Types renamed in this file: new name → old name. */
  private readonly renamedTypes = new NameMap<Name>()

  constructor(
    private readonly input: LintFileInput,
    private readonly kind: 'cairn' | 'plain',
    private readonly src: ParsedSource,
    private readonly state: RunState,
    private readonly options: LintOptions,
  ) {
    this.created = state.created.clone()
    this.schemas = new Set(state.schemas)
  }

  run(): Finding[] {
    if (this.kind === 'cairn') {
      this.readHeader()
      this.seedTypesFromHeader()
    }
    for (const s of this.src.statements) for (const c of creationsOf(s)) this.creations.push({ ...c, index: s.index })
    this.assignTransactions()
    let prev: Block | undefined
    for (const s of this.src.statements) {
      const block = this.blockOf[s.index]
      if (prev && prev !== block) this.endBlock(prev)
      prev = block
      if (this.transactionStmts.has(s.index)) continue
      this.visit(s, block)
    }
    if (prev) this.endBlock(prev)
    this.applyHeader()
    return this.finish()
  }

  // ---------------------------------------------------------------- header and transactions

  private readHeader(): void {
    for (const c of this.src.leadingComments) {
      // an object may carry an argument list with spaces: app.f(v text, n integer)
      const h = /^-- cairn:hazard (\S+) ([^\s(]+(?:\([^)]*\))?) ?(.*)$/.exec(c.text)
      const d = /^-- cairn:destructive (PGK\d+) (\S+) ([^\s(]+(?:\([^)]*\))?) ?(.*)$/.exec(c.text)
      // header lines are written escaped (printable()): the object is read back as it is named, for matching
      if (h) this.header.push({ kind: 'hazard', hazard: h[1], object: fromPrintable(h[2]), message: h[3], text: c.text, line: c.line, column: c.column, matched: false })
      else if (d) this.header.push({ kind: 'destructive', pgk: d[1], hazard: d[2], object: fromPrintable(d[3]), message: d[4], text: c.text, line: c.line, column: c.column, matched: false })
    }
  }

  /** A type change in the header (`app.users.name changes character varying(50) → text …`) tells the column's old type. */
  private seedTypesFromHeader(): void {
    for (const h of this.header) {
      const m = /^\S+ (?:changes|narrows) (.+?) → /.exec(h.message)
      const parts = h.object.split('.')
      if (!m || parts.length < 2) continue
      const from = typeInfo(parseTypeName(m[1].replace(/ collate \S+$/, '')))
      if (!from) continue
      const table: Name = parts.length > 2 ? { schema: parts[parts.length - 3], name: parts[parts.length - 2] } : { name: parts[0] }
      const cols = this.state.columnsOf(table)
      if (!cols.has(parts[parts.length - 1])) cols.set(parts[parts.length - 1], from)
    }
  }

  private assignTransactions(): void {
    let id = 0
    const newBlock = (): Block => ({ id: ++id, locks: new NameMap(), enumValues: [], localLockTimeout: false })
    const stmts = this.src.statements
    if (this.kind === 'cairn') {
      let current: Block | undefined
      for (const s of stmts) {
        if (s.kind === 'TransactionStmt') {
          this.transactionStmts.add(s.index)
          this.add(s, 'CL302', `${s.node.kind?.replace('TRANS_STMT_', '') ?? 'transaction control'} in a cairn migration: the runner refuses the file (cairn decides where transactions start and end)`)
          continue
        }
        const alone = nonTransactionalKind(s.kind, s.node) !== undefined || s.comments.some((c) => c.text === NO_TRANSACTION_MARKER)
        if (alone) current = undefined
        else current ??= newBlock()
        this.blockOf[s.index] = current
      }
      return
    }
    const assume = this.options.assumeInTransaction === true
    let current: Block | undefined = assume ? newBlock() : undefined
    let begin: SourceStatement | undefined
    for (const s of stmts) {
      if (s.kind === 'TransactionStmt') {
        this.transactionStmts.add(s.index)
        const k = s.node.kind as string
        if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
          if (current) {
            this.add(s, 'CL302', assume
              ? 'BEGIN inside the transaction the migration tool wraps the file in: the COMMIT that follows ends that transaction early, and what comes after runs outside it'
              : 'BEGIN inside a transaction that is already open (PostgreSQL ignores it; the first COMMIT ends the outer transaction)')
          } else {
            current = newBlock()
            begin = s
          }
        } else if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK' || k === 'TRANS_STMT_PREPARE' || k === 'TRANS_STMT_COMMIT_PREPARED') {
          if (current && assume && !begin) {
            this.add(s, 'CL302', `${k.replace('TRANS_STMT_', '')} ends the transaction the migration tool wraps the file in: what comes after runs outside it`)
          }
          current = undefined
          begin = undefined
        }
        this.blockOf[s.index] = current
        continue
      }
      this.blockOf[s.index] = current
    }
    if (current && begin) this.add(begin, 'CL303', 'BEGIN without a COMMIT before the end of the file')
  }

  private endBlock(b: Block): void {
    const x = b.exclusive
    if (x && x.after > 0) {
      this.add(x.stmt, 'CL304',
        `the ACCESS EXCLUSIVE lock on ${show(x.rel)} taken here is held until the transaction commits, while ${x.after} later statement${x.after === 1 ? '' : 's'} wait${x.after === 1 ? 's' : ''} for other locks or scan data (${x.first}${x.after > 1 ? `, … to line ${x.lastLine}` : ''}): reads and writes of ${show(x.rel)} wait all that time`,
        { object: show(x.rel) })
    }
  }

  // ---------------------------------------------------------------- findings

  private add(
    s: SourceStatement | undefined,
    code: string,
    message: string,
    o: { loc?: number; severity?: Severity; object?: string; objects?: string[]; line?: number; column?: number; scope?: number } = {},
  ): void {
    const at = o.loc !== undefined && o.loc >= 0 ? this.src.at(o.loc) : s ? { line: s.line, column: s.column } : { line: o.line ?? 1, column: o.column ?? 1 }
    this.findings.push({
      code,
      severity: o.severity ?? ruleOf(code).severity,
      message,
      line: o.line ?? at.line,
      column: o.column ?? at.column,
      endLine: s ? Math.max(s.endLine, o.line ?? at.line) : (o.line ?? at.line),
      statement: s?.index,
      scope: s?.index ?? o.scope,
      object: o.object,
      objects: [...(o.objects ?? []), ...(o.object ? [o.object] : [])],
    })
  }

  /** True when a later statement of this file creates the same object again (a drop and re-create, not a loss). */
  private recreatedLater(kind: string, name: Name, after: number): boolean {
    return this.creations.some((c) => c.kind === kind && c.index > after && c.name.name === name.name && (!c.name.schema || !name.schema || c.name.schema === name.schema))
  }

  private isNew(n: Name | undefined): boolean {
    if (!n) return false
    return this.created.has(n) || (n.schema !== undefined && this.schemas.has(n.schema))
  }

  private note(s: SourceStatement, ...objects: string[]): void {
    const list = this.objectsOf.get(s.index) ?? []
    list.push(...objects)
    this.objectsOf.set(s.index, list)
  }

  // ---------------------------------------------------------------- statements

  private visit(s: SourceStatement, block: Block | undefined): void {
    const before = this.findings.length
    const locks: { rel: Name; mode: number }[] = []
    const lock = (rel: Name | undefined, mode: number) => {
      if (rel) locks.push({ rel, mode })
    }
    const n = s.node

    const noTx = nonTransactionalKind(s.kind, n)
    if (noTx && block) {
      this.add(s, 'CL301', `${noTx} cannot run inside a transaction block: ${this.kind === 'cairn' ? 'the statement' : 'the migration'} fails`)
    }

    // a value added to an enum earlier in this transaction may not be used yet
    if (block && block.enumValues.length && s.kind !== 'AlterEnumStmt') {
      for (const c of stringConstants(n)) {
        const added = block.enumValues.find((v) => v.value === c.value)
        if (added) {
          this.add(s, 'CL305', `'${c.value}' was added to ${show(added.type)} on line ${added.line}, in this same transaction: PostgreSQL refuses to use it before that commits`, { loc: c.location, object: show(added.type) })
          break
        }
      }
    }

    switch (s.kind) {
      case 'AlterTableStmt':
        this.alterTable(s, block, lock)
        break
      case 'RenameStmt':
        this.rename(s, block, lock)
        break
      case 'IndexStmt': {
        const rel = rangeVar(n.relation)
        if (!rel) break
        const ix: Name = { ...(rel.schema ? { schema: rel.schema } : {}), name: n.idxname ?? '' }
        this.note(s, show(rel), ...(n.idxname ? [show(ix)] : []))
        lock(rel, n.concurrent ? LOCK.shareUpdateExclusive : LOCK.share)
        if (!n.concurrent && !this.isNew(rel) && n.relation?.inh) {
          this.add(s, 'CL101', `CREATE ${n.unique ? 'UNIQUE ' : ''}INDEX${n.idxname ? ` ${n.idxname}` : ''} on existing table ${show(rel)} blocks writes to it while the index builds`, {
            loc: n.relation?.location,
            object: n.idxname ? show(ix) : show(rel),
            objects: [show(rel)],
          })
        }
        if (n.idxname) this.created.add(ix)
        break
      }
      case 'DropStmt':
        this.drop(s, lock)
        break
      case 'ReindexStmt': {
        const rel = rangeVar(n.relation)
        const concurrent = ((n.params ?? []) as Node[]).some((p) => p.DefElem?.defname === 'concurrently')
        lock(rel ?? { name: n.name ?? '*' }, concurrent ? LOCK.shareUpdateExclusive : LOCK.accessExclusive)
        if (!concurrent && !this.isNew(rel)) {
          const what = String(n.kind ?? '').replace('REINDEX_OBJECT_', '')
          this.add(s, 'CL103', `REINDEX ${what}${rel ? ` ${show(rel)}` : n.name ? ` ${n.name}` : ''} without CONCURRENTLY blocks writes, and reads that use the index, while it rebuilds`, { loc: n.relation?.location, object: rel ? show(rel) : n.name })
        }
        break
      }
      case 'VacuumStmt': {
        const rels = ((n.rels ?? []) as Node[]).map((r) => rangeVar(r.VacuumRelation?.relation)).filter((r): r is Name => r !== undefined)
        const full = n.is_vacuumcmd && ((n.options ?? []) as Node[]).some((o) => o.DefElem?.defname === 'full' && !isFalse(o.DefElem.arg))
        for (const r of rels) lock(r, full ? LOCK.accessExclusive : LOCK.shareUpdateExclusive)
        if (full && (!rels.length || rels.some((r) => !this.isNew(r)))) {
          this.add(s, 'CL113', `VACUUM FULL ${rels.length ? rels.map(show).join(', ') : '(every table)'} rewrites ${rels.length === 1 ? 'the table' : 'the tables'} under an ACCESS EXCLUSIVE lock`, { object: rels.map(show).join(', ') || undefined })
        }
        break
      }
      case 'ClusterStmt': {
        const rel = rangeVar(n.relation)
        lock(rel ?? { name: '*' }, LOCK.accessExclusive)
        if (!this.isNew(rel)) this.add(s, 'CL113', `CLUSTER ${rel ? show(rel) : '(every clustered table)'} rewrites the table under an ACCESS EXCLUSIVE lock`, { loc: n.relation?.location, object: rel ? show(rel) : undefined })
        break
      }
      case 'LockStmt': {
        const rels = ((n.relations ?? []) as Node[]).map((r) => rangeVar(r.RangeVar)).filter((r): r is Name => r !== undefined)
        const mode = Number(n.mode ?? LOCK.accessExclusive)
        for (const r of rels) lock(r, mode)
        const existing = rels.filter((r) => !this.isNew(r))
        if (existing.length) this.add(s, 'CL114', `LOCK ${existing.map(show).join(', ')} IN ${LOCK_NAME[mode] ?? 'ACCESS EXCLUSIVE'} MODE holds the lock until the transaction ends`, { object: existing.map(show).join(', ') })
        break
      }
      case 'TruncateStmt': {
        const rels = ((n.relations ?? []) as Node[]).map((r) => rangeVar(r.RangeVar)).filter((r): r is Name => r !== undefined)
        for (const r of rels) lock(r, LOCK.accessExclusive)
        const existing = rels.filter((r) => !this.isNew(r))
        const cascade = n.behavior === 'DROP_CASCADE'
        if (existing.length) {
          this.add(s, 'CL117', `TRUNCATE ${existing.map(show).join(', ')} deletes every row${cascade ? ', and CASCADE also empties every table with a foreign key to it' : ''}`, { severity: cascade ? 'error' : 'warning', object: existing.map(show).join(', ') })
        }
        break
      }
      case 'RefreshMatViewStmt': {
        const rel = rangeVar(n.relation)
        lock(rel, n.concurrent ? LOCK.exclusive : LOCK.accessExclusive)
        if (!n.concurrent && rel && !this.isNew(rel)) this.add(s, 'CL115', `REFRESH MATERIALIZED VIEW ${show(rel)} blocks every read of it until the refresh ends`, { loc: n.relation?.location, object: show(rel) })
        break
      }
      case 'CreateStmt': {
        const rel = rangeVar(n.relation)
        if (!rel) break
        this.note(s, show(rel))
        if (n.partbound) for (const p of (n.inhRelations ?? []) as Node[]) lock(rangeVar(p.RangeVar), LOCK.accessExclusive)
        const cols = this.state.columnsOf(rel)
        for (const e of (n.tableElts ?? []) as Node[]) {
          if (e.ColumnDef) {
            const t = typeInfo(e.ColumnDef.typeName)
            if (t && e.ColumnDef.colname) cols.set(e.ColumnDef.colname, t)
            for (const c of (e.ColumnDef.constraints ?? []) as Node[]) if (c.Constraint?.contype === 'CONSTR_FOREIGN') lock(rangeVar(c.Constraint.pktable), LOCK.shareRowExclusive)
          } else if (e.Constraint?.contype === 'CONSTR_FOREIGN') lock(rangeVar(e.Constraint.pktable), LOCK.shareRowExclusive)
        }
        this.created.add(rel)
        break
      }
      case 'CreateTableAsStmt': {
        const rel = rangeVar(n.into?.rel)
        if (rel) {
          this.note(s, show(rel))
          this.created.add(rel)
        }
        break
      }
      case 'SelectStmt': {
        const rel = rangeVar(n.intoClause?.rel)
        if (rel) this.created.add(rel)
        this.setConfig(n, block)
        break
      }
      case 'ViewStmt': {
        const rel = rangeVar(n.view)
        if (!rel) break
        this.note(s, show(rel))
        if (n.replace && !this.isNew(rel)) lock(rel, LOCK.accessExclusive)
        else this.created.add(rel)
        break
      }
      case 'CreateSeqStmt': {
        const rel = rangeVar(n.sequence)
        if (rel) this.created.add(rel)
        break
      }
      case 'CreateEnumStmt':
      case 'CompositeTypeStmt':
      case 'CreateDomainStmt':
      case 'CreateRangeStmt': {
        const name = s.kind === 'CompositeTypeStmt'
          ? rangeVar(n.typevar)
          : listName({ List: { items: s.kind === 'CreateDomainStmt' ? n.domainname : n.typeName } })
        if (name) {
          this.created.add(name)
          this.note(s, show(name))
        }
        break
      }
      case 'CreateSchemaStmt':
        if (n.schemaname) {
          this.schemas.add(n.schemaname)
          this.note(s, n.schemaname)
        }
        break
      case 'CreateExtensionStmt':
        if (n.extname) this.created.add({ name: `extension:${n.extname}` })
        break
      case 'CreateTrigStmt':
      case 'CreatePolicyStmt':
      case 'AlterPolicyStmt': {
        const table = rangeVar(s.kind === 'CreateTrigStmt' ? n.relation : n.table)
        lock(table, s.kind === 'CreateTrigStmt' ? LOCK.shareRowExclusive : LOCK.accessExclusive)
        const name = s.kind === 'CreateTrigStmt' ? n.trigname : n.policy_name
        if (table && name) {
          this.note(s, `${show(table)}.${name}`)
          const kind = s.kind === 'CreateTrigStmt' ? 'trigger' : 'policy'
          this.created.add({ ...(table.schema ? { schema: table.schema } : {}), name: `${kind}:${table.name}.${name}` })
        }
        break
      }
      case 'CreateFunctionStmt': {
        const f = listName({ List: { items: n.funcname } })
        if (f) {
          this.note(s, show(f))
          this.created.add({ ...(f.schema ? { schema: f.schema } : {}), name: `function:${f.name}` })
        }
        break
      }
      case 'CreateRoleStmt':
        if (n.role) {
          this.note(s, n.role)
          this.created.add({ name: `role:${n.role}` })
        }
        break
      case 'DefineStmt':
        if (n.kind === 'OBJECT_COLLATION' || n.kind === 'OBJECT_AGGREGATE') {
          const x = listName({ List: { items: n.defnames } })
          const kind = n.kind === 'OBJECT_COLLATION' ? 'collation' : 'aggregate'
          if (x) this.created.add({ ...(x.schema ? { schema: x.schema } : {}), name: `${kind}:${x.name}` })
        }
        break
      case 'CreateEventTrigStmt':
        if (n.trigname) this.created.add({ name: `event_trigger:${n.trigname}` })
        break
      case 'AlterDefaultPrivilegesStmt': {
        // REVOKE takes privileges away from every object created from now on (GRANT only adds)
        const action = n.action as Node | undefined
        if (action && !action.is_grant) {
          const what = `${String(action.objtype ?? 'OBJECT_TABLE').replace('OBJECT_', '').toLowerCase()}s`
          const grantees = ((action.grantees ?? []) as Node[]).map((g) => (g.RoleSpec?.roletype === 'ROLESPEC_PUBLIC' ? 'PUBLIC' : String(g.RoleSpec?.rolename ?? '?')))
          const obj = `default privileges on ${what}`
          this.note(s, obj)
          const privileges = ((action.privileges ?? []) as Node[]).map((p) => String(p.AccessPriv?.priv_name ?? '').toUpperCase()).filter(Boolean)
          this.add(s, 'PGK115', `ALTER DEFAULT PRIVILEGES … REVOKE: ${what} created from now on no longer give ${privileges.length ? privileges.join(', ') : 'ALL'} to ${grantees.join(', ')}`, { object: obj })
        }
        break
      }
      case 'DropRoleStmt':
        for (const r of (n.roles ?? []) as Node[]) {
          const role = r.RoleSpec?.rolename as string | undefined
          if (!role) continue
          this.note(s, role)
          if (!this.created.has({ name: `role:${role}` }) && !this.recreatedLater('role', { name: role }, s.index)) {
            this.add(s, 'PGK112', `DROP ROLE ${role}: roles are cluster-wide, so other databases and the grants made to it are affected`, { loc: r.RoleSpec?.location, object: role })
          }
        }
        break
      case 'RuleStmt':
        lock(rangeVar(n.relation), LOCK.accessExclusive)
        break
      case 'AlterEnumStmt': {
        const type = listName({ List: { items: n.typeName ?? [] } })
        if (type) this.note(s, show(type))
        if (type && n.newVal && !n.oldVal && block) block.enumValues.push({ type, value: n.newVal, line: s.line })
        break
      }
      case 'AlterDomainStmt': {
        const dom = listName({ List: { items: n.typeName ?? [] } })
        if (!dom || this.isNew(dom)) break
        const c = n.def?.Constraint
        if (n.subtype === 'C' && c?.contype === 'CONSTR_CHECK' && !c.skip_validation) {
          lock({ name: `domain ${show(dom)}` }, LOCK.share)
          this.add(s, 'CL104', `ALTER DOMAIN ${show(dom)} ADD CONSTRAINT without NOT VALID scans every column of that domain while writes to those tables wait`, { loc: c.location, object: show(dom) })
        } else if (n.subtype === 'O') {
          lock({ name: `domain ${show(dom)}` }, LOCK.share)
          this.add(s, 'CL107', `ALTER DOMAIN ${show(dom)} SET NOT NULL scans every column of that domain while writes to those tables wait`, { object: show(dom) })
        }
        break
      }
      case 'VariableSetStmt':
        this.variableSet(n, block)
        break
      case 'InsertStmt':
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'MergeStmt':
        lock(rangeVar(n.relation), LOCK.rowExclusive)
        break
      case 'DropdbStmt':
        this.add(s, 'CL203', `DROP DATABASE ${n.dbname ?? ''} in a migration`.trim(), { object: n.dbname })
        break
      default:
        break
    }

    // lock_timeout before the first lock that blocks reads or writes of an existing relation
    const blocking = locks.filter((l) => l.mode >= LOCK.share && !this.isNew(l.rel))
    if (blocking.length && !this.lockTimeoutReported && !this.sessionLockTimeout && !block?.localLockTimeout) {
      this.lockTimeoutReported = true
      const l = blocking.reduce((a, b) => (b.mode > a.mode ? b : a))
      this.add(s, 'CL111', `no lock_timeout is set before this statement takes a ${LOCK_NAME[l.mode]} lock on ${show(l.rel)}: while it waits for the lock, every query on ${show(l.rel)} queues behind it`, { object: show(l.rel) })
    }

    if (block) {
      const x = block.exclusive
      if (x) {
        // what keeps the lock held longer: waiting for another lock, or work that grows with the data
        const waits = locks.find((l) => !this.isNew(l.rel) && (block.locks.get(l.rel) ?? 0) < l.mode)
        const mine = this.findings.slice(before)
        // a VALIDATE scans; when CL106 already says it scans under this transaction's lock, that is enough
        const validates = s.kind === 'AlterTableStmt' && ((n.cmds ?? []) as Node[]).some((c) => c.AlterTableCmd?.subtype === 'AT_ValidateConstraint')
        const slow = HEAVY_KINDS.has(s.kind) || mine.some((f) => HEAVY_CODES.has(f.code)) || (validates && !mine.some((f) => f.code === 'CL106'))
        if (waits || slow) {
          x.after++
          x.lastLine = s.endLine
          x.first ??= waits ? `line ${s.line} waits for a lock on ${show(waits.rel)}` : `line ${s.line} does work that grows with the data`
        }
      }
      for (const l of locks) if ((block.locks.get(l.rel) ?? 0) < l.mode) block.locks.set(l.rel, l.mode)
      if (!x) {
        const ae = locks.find((l) => l.mode === LOCK.accessExclusive && !this.isNew(l.rel))
        if (ae) block.exclusive = { stmt: s, rel: ae.rel, after: 0, lastLine: s.endLine }
      }
    }
  }

  private alterTable(s: SourceStatement, block: Block | undefined, lock: (rel: Name | undefined, mode: number) => void): void {
    const n = s.node
    const rel = rangeVar(n.relation)
    if (!rel) return
    const objtype = n.objtype as string | undefined
    const isTable = objtype === 'OBJECT_TABLE' || objtype === undefined
    const existing = !this.isNew(rel)
    const t = show(rel)
    this.note(s, t)
    let mode = 0
    let addedConstraint = false
    for (const item of (n.cmds ?? []) as Node[]) {
      const cmd = item.AlterTableCmd as Node | undefined
      if (!cmd) continue
      const sub = cmd.subtype as string
      mode = Math.max(mode, cmdLock(cmd))
      const col: string | undefined = cmd.name
      switch (sub) {
        case 'AT_AddColumn': {
          const def = cmd.def?.ColumnDef as Node | undefined
          if (!def?.colname) break
          const obj = `${t}.${def.colname}`
          this.note(s, obj)
          const type = typeInfo(def.typeName)
          if (type) this.state.columnsOf(rel).set(def.colname, type)
          if (!existing || !isTable) break
          const cons = ((def.constraints ?? []) as Node[]).map((c) => c.Constraint as Node).filter(Boolean)
          const dflt = cons.find((c) => c.contype === 'CONSTR_DEFAULT')
          const identity = cons.find((c) => c.contype === 'CONSTR_IDENTITY')
          const generated = cons.find((c) => c.contype === 'CONSTR_GENERATED')
          const stored = generated && generated.generated_kind !== 'v'
          const serial = isSerial(type)
          const loc = def.location
          if (serial || identity || stored) {
            const what = serial ? `a ${type?.text} column` : identity ? 'an identity column' : 'a stored generated column'
            this.add(s, 'CL109', `adding ${obj} as ${what} writes a value into every row of ${t}: the table is rewritten under an ACCESS EXCLUSIVE lock`, { loc, object: obj })
          } else if (dflt) {
            const v = volatility(dflt.raw_expr)
            if (v.kind === 'volatile') {
              this.add(s, 'CL109', `the default of ${obj} calls ${v.fn}(), which is volatile: every row of ${t} gets its own value, so the table is rewritten under an ACCESS EXCLUSIVE lock`, { loc: v.location ?? dflt.location ?? loc, object: obj })
            } else if (v.kind === 'unknown') {
              this.add(s, 'CL109', `the default of ${obj} calls ${v.fn}(), whose volatility cairn does not know: if it is VOLATILE, ${t} is rewritten under an ACCESS EXCLUSIVE lock`, { loc: v.location ?? dflt.location ?? loc, object: obj, severity: 'warning' })
            }
          }
          const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY')
          if (notNull && !dflt && !identity && !generated && !serial) {
            this.add(s, 'CL110', `${obj} is added NOT NULL without a default: the ALTER fails if ${t} has any row`, { loc, object: obj })
          }
          for (const c of cons) {
            if (c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') {
              this.add(s, 'CL105', `adding ${obj} with ${c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} builds its index while reads and writes of ${t} wait`, { loc: c.location, object: obj })
            } else if (c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK') {
              this.add(s, 'CL104', `adding ${obj} with an inline ${c.contype === 'CONSTR_CHECK' ? 'CHECK' : 'REFERENCES'} validates it over the whole of ${t} while writes wait (an inline constraint cannot be NOT VALID)`, { loc: c.location, object: obj })
            }
          }
          break
        }
        case 'AT_AlterColumnType': {
          if (!col) break
          const obj = `${t}.${col}`
          this.note(s, obj)
          const def = cmd.def?.ColumnDef as Node | undefined
          const to = typeInfo(def?.typeName)
          if (!to) break
          const cols = this.state.columnsOf(rel)
          const from = cols.get(col)
          cols.set(col, to)
          if (!existing || !isTable) break
          const loc = def?.typeName?.location ?? def?.location
          if (isSerial(to)) {
            this.add(s, 'CL116', `${obj} cannot change TYPE to ${to.text}: serial is not a type, only a shorthand of CREATE TABLE / ADD COLUMN (the statement fails)`, { loc, object: obj, severity: 'error' })
            break
          }
          const using = def?.raw_default as Node | undefined
          const plainUsing = !using || isColumnOrCastOf(using, col)
          if (from) {
            if (narrows(from, to)) this.add(s, 'PGK104', `${obj} narrows ${from.text} → ${to.text}: values that do not fit make the migration fail`, { loc, object: obj })
            if (!plainUsing || !changesWithoutRewrite(from, to)) {
              this.add(s, 'CL108', `${obj} changes ${from.text} → ${to.text}${plainUsing ? '' : ' with USING'}: ${t} and its indexes are rewritten under an ACCESS EXCLUSIVE lock`, { loc, object: obj })
            }
          } else if (!plainUsing) {
            this.add(s, 'CL108', `${obj} changes type to ${to.text} with USING: ${t} and its indexes are rewritten under an ACCESS EXCLUSIVE lock`, { loc, object: obj })
          } else if (WIDENING_TARGETS.has(to.name) && !to.array) {
            this.add(s, 'CL108', `${obj} changes type to ${to.text}; its old type is not in the linted files: unless that is a binary-coercible widening (e.g. varchar(n) → ${to.text}), ${t} is rewritten under an ACCESS EXCLUSIVE lock`, { loc, object: obj, severity: 'warning' })
          } else {
            this.add(s, 'CL108', `${obj} changes type to ${to.text}: ${t} and its indexes are rewritten under an ACCESS EXCLUSIVE lock`, { loc, object: obj })
          }
          break
        }
        case 'AT_SetNotNull': {
          if (!col) break
          const obj = `${t}.${col}`
          this.note(s, obj)
          if (existing && isTable && !this.state.notNull.get(rel)?.has(col)) {
            this.add(s, 'CL107', `SET NOT NULL on ${obj} scans the whole of ${t} under an ACCESS EXCLUSIVE lock: no validated CHECK (${col} IS NOT NULL) precedes it`, { object: obj })
          }
          break
        }
        case 'AT_AddConstraint': {
          const c = cmd.def?.Constraint as Node | undefined
          if (!c) break
          addedConstraint = true
          const obj = c.conname ? `${t}.${c.conname}` : t
          this.note(s, obj)
          if (c.contype === 'CONSTR_CHECK') {
            const cols = notNullColumns(c.raw_expr)
            if (c.skip_validation) {
              if (c.conname && cols.length) {
                let m = this.state.pendingChecks.get(rel)
                if (!m) this.state.pendingChecks.set(rel, (m = new Map()))
                m.set(c.conname, cols)
              }
            } else {
              this.state.prove(rel, cols)
              if (existing && isTable) this.add(s, 'CL104', `CHECK ${sp(c.conname)}on ${t} without NOT VALID scans the whole table under an ACCESS EXCLUSIVE lock`, { loc: c.location, object: obj })
            }
          } else if (c.contype === 'CONSTR_FOREIGN') {
            lock(rangeVar(c.pktable), LOCK.shareRowExclusive)
            if (!c.skip_validation && existing && isTable) {
              this.add(s, 'CL104', `FOREIGN KEY ${sp(c.conname)}on ${t} without NOT VALID scans the whole table while writes to ${t} and ${show(rangeVar(c.pktable) ?? { name: '?' })} wait`, { loc: c.location, object: obj })
            }
          } else if ((c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY') && !c.indexname && existing && isTable) {
            this.add(s, 'CL105', `${c.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} ${sp(c.conname)}on ${t} builds its index while reads and writes of ${t} wait`, { loc: c.location, object: obj })
          } else if (c.contype === 'CONSTR_EXCLUSION' && existing && isTable) {
            this.add(s, 'CL105', `EXCLUDE ${sp(c.conname)}on ${t} builds its index while reads and writes of ${t} wait (an exclusion constraint has no USING INDEX form)`, { loc: c.location, object: obj })
          } else if (c.contype === 'CONSTR_NOTNULL' && !c.skip_validation && existing && isTable) {
            const k = strings(c.keys).at(0)
            if (!k || !this.state.notNull.get(rel)?.has(k)) this.add(s, 'CL107', `NOT NULL constraint ${sp(c.conname)}on ${t} scans the whole table under an ACCESS EXCLUSIVE lock`, { loc: c.location, object: obj })
          }
          break
        }
        case 'AT_ValidateConstraint': {
          if (!col) break
          const obj = `${t}.${col}`
          this.note(s, obj)
          const pend = this.state.pendingChecks.get(rel)
          const cols = pend?.get(col)
          if (cols) {
            this.state.prove(rel, cols)
            pend?.delete(col)
          }
          const held = block?.locks.get(rel) ?? 0
          if (existing && (addedConstraint || held >= LOCK.share)) {
            this.add(s, 'CL106', `VALIDATE CONSTRAINT ${col} runs in the transaction that already holds a ${LOCK_NAME[addedConstraint ? LOCK.accessExclusive : held]} lock on ${t}: the scan blocks ${held >= LOCK.accessExclusive || addedConstraint ? 'reads and writes' : 'writes'} as if the constraint had been added without NOT VALID`, { object: obj })
          }
          break
        }
        case 'AT_DropColumn': {
          if (!col) break
          const obj = `${t}.${col}`
          this.note(s, obj)
          this.state.columnsOf(rel).delete(col)
          if (existing && isTable) this.add(s, 'PGK102', `DROP COLUMN ${obj} loses its data; clients that still read or write it break`, { object: obj })
          if (existing && objtype === 'OBJECT_TYPE') this.add(s, 'PGK118', `ALTER TYPE ${t} DROP ATTRIBUTE ${col} loses its values in every column and row of the type`, { object: obj })
          if (cmd.behavior === 'DROP_CASCADE' && existing) this.add(s, 'CL204', `DROP COLUMN ${obj} CASCADE also drops the views, indexes and constraints that use it`, { object: obj })
          break
        }
        case 'AT_DropConstraint':
          if (col) this.note(s, `${t}.${col}`)
          if (cmd.behavior === 'DROP_CASCADE' && existing) this.add(s, 'CL204', `DROP CONSTRAINT ${sp(col)}CASCADE also drops the foreign keys that depend on it`, { object: col ? `${t}.${col}` : t })
          break
        case 'AT_SetLogged':
        case 'AT_SetUnLogged':
        case 'AT_SetTableSpace':
        case 'AT_SetAccessMethod':
          if (existing) {
            const what = { AT_SetLogged: 'SET LOGGED', AT_SetUnLogged: 'SET UNLOGGED', AT_SetTableSpace: 'SET TABLESPACE', AT_SetAccessMethod: 'SET ACCESS METHOD' }[sub]
            this.add(s, 'CL113', `${what} rewrites ${t} under an ACCESS EXCLUSIVE lock`, { object: t })
          }
          break
        case 'AT_DetachPartition': {
          const part = rangeVar(cmd.def?.PartitionCmd?.name)
          if (!cmd.def?.PartitionCmd?.concurrent) {
            lock(part, LOCK.accessExclusive)
            if (existing) this.add(s, 'CL112', `DETACH PARTITION ${sp(part && show(part))}takes an ACCESS EXCLUSIVE lock on ${t}: reads and writes of every partition wait`, { loc: cmd.def?.PartitionCmd?.name?.location, object: t })
          }
          break
        }
        case 'AT_AttachPartition':
          lock(rangeVar(cmd.def?.PartitionCmd?.name), LOCK.accessExclusive)
          break
        case 'AT_AddIdentity': {
          if (!col) break
          const obj = `${t}.${col}`
          this.note(s, obj)
          const start = ((cmd.def?.Constraint?.options ?? []) as Node[]).some((o) => o.DefElem?.defname === 'start')
          if (existing && isTable && !start) this.add(s, 'CL116', `${obj} becomes an identity column whose sequence starts at 1: inserts collide with the values ${t} already holds`, { loc: cmd.def?.Constraint?.location, object: obj })
          break
        }
        default:
          if (col) this.note(s, `${t}.${col}`)
          break
      }
    }
    lock(rel, mode || LOCK.accessExclusive)
  }

  private rename(s: SourceStatement, block: Block | undefined, lock: (rel: Name | undefined, mode: number) => void): void {
    const n = s.node
    const rel = rangeVar(n.relation)
    const type = n.renameType as string
    if (type === 'OBJECT_TYPE' || type === 'OBJECT_DOMAIN') {
      // a type moved aside (to be replaced by a new one of the old name) is remembered by its new name
      const from = listName(n.object)
      if (from && n.newname) {
        this.note(s, show(from))
        this.renamedTypes.set({ ...(from.schema ? { schema: from.schema } : {}), name: n.newname }, from)
      }
      return
    }
    if (!rel) return
    const t = show(rel)
    const existing = !this.isNew(rel)
    if (type === 'OBJECT_TABLE' || type === 'OBJECT_VIEW' || type === 'OBJECT_MATVIEW' || type === 'OBJECT_FOREIGN_TABLE') {
      this.note(s, t)
      lock(rel, LOCK.accessExclusive)
      const to: Name = { ...(rel.schema ? { schema: rel.schema } : {}), name: n.newname }
      if (existing) this.add(s, 'CL201', `${t} is renamed to ${n.newname}: clients that use the old name break`, { object: t })
      else this.created.add(to)
      // the same table under its new name: the lock this transaction holds on it carries over
      if (block) block.locks.set(to, LOCK.accessExclusive)
      const cols = this.state.columns.get(rel)
      if (cols) this.state.columns.set(to, cols)
    } else if (type === 'OBJECT_COLUMN' && n.subname) {
      const obj = `${t}.${n.subname}`
      this.note(s, obj, t)
      lock(rel, LOCK.accessExclusive)
      if (existing) this.add(s, 'CL202', `${obj} is renamed to ${n.newname}: clients that use the old name break`, { object: obj })
      const cols = this.state.columnsOf(rel)
      const ty = cols.get(n.subname)
      if (ty) {
        cols.delete(n.subname)
        cols.set(n.newname, ty)
      }
    } else if (type === 'OBJECT_INDEX') {
      this.note(s, t)
      lock(rel, LOCK.shareUpdateExclusive)
      if (!existing) this.created.add({ ...(rel.schema ? { schema: rel.schema } : {}), name: n.newname })
    } else {
      this.note(s, t)
      lock(rel, LOCK.accessExclusive)
    }
  }

  private drop(s: SourceStatement, lock: (rel: Name | undefined, mode: number) => void): void {
    const n = s.node
    const type = n.removeType as string
    const names = ((n.objects ?? []) as Node[]).map((o) => listName(o)).filter((x): x is Name => x !== undefined)
    const cascade = n.behavior === 'DROP_CASCADE'
    const existing = (x: Name) => !this.isNew(x)
    const one = (code: string, what: string, x: Name, extra = '') => {
      const obj = show(x)
      this.note(s, obj)
      if (existing(x)) this.add(s, code, `${what} ${obj}${extra}`, { object: obj })
    }
    switch (type) {
      case 'OBJECT_INDEX':
        for (const x of names) {
          this.note(s, show(x))
          lock(x, n.concurrent ? LOCK.shareUpdateExclusive : LOCK.accessExclusive)
          if (!n.concurrent && existing(x)) this.add(s, 'CL102', `DROP INDEX ${show(x)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait`, { object: show(x) })
        }
        break
      case 'OBJECT_TABLE':
        for (const x of names) {
          lock(x, LOCK.accessExclusive)
          one('PGK101', 'DROP TABLE', x, ' loses the table and its rows; clients that use it break')
        }
        break
      case 'OBJECT_SCHEMA':
        for (const x of names) {
          this.note(s, x.name)
          if (!this.schemas.has(x.name)) this.add(s, 'PGK103', `DROP SCHEMA ${x.name}${cascade ? ' CASCADE drops every object and row in it' : ' loses the schema'}`, { object: x.name })
        }
        break
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN':
        for (const x of names) {
          // without CASCADE the drop fails while a column uses the type, so a drop and re-create loses nothing
          const origin = this.renamedTypes.get(x)
          const replaced = origin !== undefined && this.creations.some((c) => c.kind === 'type' && c.name.name === origin.name && (!c.name.schema || !origin.schema || c.name.schema === origin.schema))
          if (!cascade && (replaced || this.recreatedLater('type', x, s.index))) this.note(s, show(x))
          else if (type === 'OBJECT_DOMAIN') one('PGK113', 'DROP DOMAIN', x, cascade ? ' CASCADE also drops the columns that use it' : ' loses the domain and its checks')
          else one('PGK105', 'DROP TYPE', x, cascade ? ' CASCADE also drops the columns that use it' : ' loses the type')
        }
        break
      case 'OBJECT_COLLATION':
        for (const x of names) {
          const key: Name = { ...(x.schema ? { schema: x.schema } : {}), name: `collation:${x.name}` }
          this.note(s, show(x))
          if (!this.created.has(key) && !this.recreatedLater('collation', x, s.index)) {
            this.add(s, 'PGK114', `DROP COLLATION ${show(x)}${cascade ? ' CASCADE also drops the columns and indexes that use it' : ': columns, indexes and queries that name it break'}`, { object: show(x) })
          }
        }
        break
      case 'OBJECT_SEQUENCE':
        for (const x of names) {
          lock(x, LOCK.accessExclusive)
          one('PGK106', 'DROP SEQUENCE', x, ' loses its current value; defaults that use it break')
        }
        break
      case 'OBJECT_EXTENSION':
        for (const x of names) {
          this.note(s, x.name)
          if (!this.created.has({ name: `extension:${x.name}` })) this.add(s, 'PGK107', `DROP EXTENSION ${x.name} drops its types and functions${cascade ? ' and, with CASCADE, what uses them' : ''}`, { object: x.name })
        }
        break
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE':
        for (const x of names) {
          this.note(s, show(x))
          lock(x, LOCK.accessExclusive)
          if (type !== 'OBJECT_FOREIGN_TABLE' && existing(x) && !this.recreatedLater('view', x, s.index)) {
            const what = type === 'OBJECT_MATVIEW' ? 'DROP MATERIALIZED VIEW' : 'DROP VIEW'
            this.add(s, 'PGK110', `${what} ${show(x)}: clients that query it break${type === 'OBJECT_MATVIEW' ? ', and its data is gone' : ''}`, { object: show(x) })
          }
        }
        break
      case 'OBJECT_FUNCTION':
      case 'OBJECT_PROCEDURE':
      case 'OBJECT_ROUTINE':
        for (const o of (n.objects ?? []) as Node[]) {
          const x = listName({ List: { items: o.ObjectWithArgs?.objname } })
          if (!x) continue
          const key: Name = { ...(x.schema ? { schema: x.schema } : {}), name: `function:${x.name}` }
          this.note(s, show(x))
          if (!this.created.has(key) && !this.recreatedLater('function', x, s.index)) {
            this.add(s, 'PGK108', `DROP ${type.replace('OBJECT_', '')} ${show(x)}: callers (queries, defaults, triggers, clients) break`, { object: show(x) })
          }
        }
        break
      case 'OBJECT_AGGREGATE':
        for (const o of (n.objects ?? []) as Node[]) {
          const x = listName({ List: { items: o.ObjectWithArgs?.objname } })
          if (!x) continue
          this.note(s, show(x))
          if (!this.created.has({ ...(x.schema ? { schema: x.schema } : {}), name: `aggregate:${x.name}` }) && !this.recreatedLater('aggregate', x, s.index)) {
            this.add(s, 'PGK116', `DROP AGGREGATE ${show(x)}: queries and views that call it break`, { object: show(x) })
          }
        }
        break
      case 'OBJECT_EVENT_TRIGGER':
        for (const x of names) {
          this.note(s, x.name)
          if (!this.created.has({ name: `event_trigger:${x.name}` }) && !this.recreatedLater('event_trigger', { name: x.name }, s.index)) {
            this.add(s, 'PGK119', `DROP EVENT TRIGGER ${x.name}: what it did on each DDL command stops`, { object: x.name })
          }
        }
        break
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY':
      case 'OBJECT_RULE':
        for (const o of (n.objects ?? []) as Node[]) {
          const parts = strings(o.List?.items)
          if (parts.length < 2) continue
          const table: Name = parts.length > 2 ? { schema: parts[0], name: parts[1] } : { name: parts[0] }
          const name = parts[parts.length - 1]
          lock(table, LOCK.accessExclusive)
          const kind = type === 'OBJECT_TRIGGER' ? 'trigger' : type === 'OBJECT_POLICY' ? 'policy' : 'rule'
          const obj = `${show(table)}.${name}`
          this.note(s, obj)
          const x: Name = { ...(table.schema ? { schema: table.schema } : {}), name: `${table.name}.${name}` }
          if (kind === 'rule' || this.isNew(table) || this.created.has({ ...x, name: `${kind}:${x.name}` }) || this.recreatedLater(kind, x, s.index)) continue
          if (kind === 'trigger') this.add(s, 'PGK109', `DROP TRIGGER ${name} ON ${show(table)}: what it did on each write of ${show(table)} stops`, { object: obj })
          else this.add(s, 'PGK111', `DROP POLICY ${name} ON ${show(table)}: the rows it guarded are no longer restricted by it`, { object: obj })
        }
        break
      default:
        break
    }
    if (type === 'OBJECT_DATABASE') return
    if (cascade && names.some(existing) && !['OBJECT_SCHEMA', 'OBJECT_TYPE', 'OBJECT_DOMAIN', 'OBJECT_EXTENSION'].includes(type)) {
      this.add(s, 'CL204', `DROP ${type.replace('OBJECT_', '').replace('MATVIEW', 'MATERIALIZED VIEW').replace('_', ' ')} ${names.map(show).join(', ')} CASCADE also drops every object that depends on it`, { object: names.map(show).join(', ') })
    }
  }

  private variableSet(n: Node, block: Block | undefined): void {
    const k = n.kind as string
    if (k === 'VAR_RESET_ALL') {
      this.sessionLockTimeout = false
      if (block) block.localLockTimeout = false
      return
    }
    if (n.name !== 'lock_timeout') return
    const on = k === 'VAR_SET_VALUE' && !isZeroSetting((n.args ?? [])[0])
    this.setLockTimeout(on, n.is_local === true, block)
  }

  /** `SELECT set_config('lock_timeout', '5s', is_local)`. */
  private setConfig(n: Node, block: Block | undefined): void {
    walk(n, (k, v) => {
      if (k !== 'FuncCall' || strings(v.funcname).at(-1) !== 'set_config') return
      const args = (v.args ?? []) as Node[]
      if (args[0]?.A_Const?.sval?.sval !== 'lock_timeout') return
      this.setLockTimeout(!isZeroSetting(args[1]), args[2]?.A_Const?.boolval?.boolval === true, block)
    })
  }

  private setLockTimeout(on: boolean, local: boolean, block: Block | undefined): void {
    if (local) {
      if (block) block.localLockTimeout = on
    } else {
      this.sessionLockTimeout = on
      if (block && !on) block.localLockTimeout = false
    }
  }

  // ---------------------------------------------------------------- header hazards, suppressions

  private applyHeader(): void {
    if (!this.header.length) return
    const objectsMatch = (objs: readonly string[], h: HeaderEntry) => objs.some((o) => sameObject(h.object, o))
    const cleared = new Set<RawFinding>()
    for (const f of this.findings) {
      const clearing = CLEARED_BY[f.code]
      const clear = clearing && this.header.find((x) => clearing.includes(x.hazard) && objectsMatch(f.objects, x))
      if (clear) {
        // the plan saw both sides and says the statement is safe; its hazard line is reported instead
        cleared.add(f)
        continue
      }
      const codes = DECLARED_BY[f.code]
      if (!codes) continue
      const hs = this.header.filter((x) => codes.includes(x.hazard) && objectsMatch(f.objects, x))
      if (!hs.length) continue
      for (const h of hs) h.matched = true
      f.declared = hs.map((h) => h.text).join('\n')
      f.severity = 'warning'
      f.message += ` (declared in the migration header: ${[...new Set(hs.map((h) => h.hazard))].join(', ')})`
    }
    for (let i = this.findings.length - 1; i >= 0; i--) if (cleared.has(this.findings[i])) this.findings.splice(i, 1)
    for (const h of this.header) {
      if (h.matched) continue
      const stmt = this.src.statements.find((s) => objectsMatch(this.objectsOf.get(s.index) ?? [], h))
      const code = h.kind === 'destructive' && h.pgk && RULE_BY_CODE.has(h.pgk) ? h.pgk : 'CL501'
      const message = `${h.hazard} ${h.object}: ${h.message} (declared in the migration header)`
      this.add(stmt, code, message, {
        severity: 'warning',
        object: h.object,
        ...(stmt ? {} : { line: h.line, column: h.column, scope: this.src.statements[0]?.index }),
      })
      this.findings[this.findings.length - 1].declared = h.text
    }
  }

  private finish(): Finding[] {
    const suppressions = new Map<number, Suppression[]>()
    for (const s of this.src.statements) {
      const list: Suppression[] = []
      for (const c of s.comments) {
        const sup = this.suppression(c, s)
        if (sup) list.push(sup)
      }
      if (list.length) suppressions.set(s.index, list)
    }
    const path = this.input.path
    const out: Finding[] = this.findings.map((f) => {
      const rule = ruleOf(f.code)
      const sup = f.scope !== undefined && f.code !== 'CL502' && f.code !== 'CL503' ? suppressions.get(f.scope)?.find((x) => x.codes.includes(f.code)) : undefined
      return {
        code: f.code,
        rule: rule.name,
        severity: f.severity,
        message: f.message,
        fix: rule.fix,
        file: path,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        ...(f.statement !== undefined ? { statement: f.statement } : {}),
        ...(f.object ? { object: f.object } : {}),
        ...(f.declared ? { declared: f.declared } : {}),
        ...(sup ? { suppressed: { ...(sup.reason ? { reason: sup.reason } : {}), line: sup.line } } : {}),
      }
    })
    return out.sort((a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  }

  /** Reads `-- cairn-lint-ignore CODE[, CODE…]: reason`; reports a missing reason or an unknown code. */
  private suppression(c: LineComment, s: SourceStatement): Suppression | undefined {
    const m = SUPPRESSION.exec(c.text)
    if (!m) return undefined
    const rest = m[1]
    const colon = rest.indexOf(':')
    const codes = (colon === -1 ? rest : rest.slice(0, colon)).split(/[\s,]+/).filter(Boolean).map((x) => x.toUpperCase())
    const reason = colon === -1 ? '' : rest.slice(colon + 1).trim()
    const at = { line: c.line, column: c.column }
    if (!codes.length) {
      this.pushLate(s, 'CL503', 'cairn-lint-ignore names no rule code', at)
      return undefined
    }
    for (const code of codes) if (!RULE_BY_CODE.has(code)) this.pushLate(s, 'CL503', `cairn-lint-ignore names ${code}, which is not a rule code`, at)
    if (!reason) this.pushLate(s, 'CL502', `cairn-lint-ignore ${codes.join(', ')} gives no reason`, at)
    return { codes, ...(reason ? { reason } : {}), line: c.line }
  }

  private pushLate(s: SourceStatement, code: string, message: string, at: { line: number; column: number }): void {
    this.findings.push({ code, severity: ruleOf(code).severity, message, line: at.line, column: at.column, endLine: at.line, statement: s.index, objects: [] })
  }
}

/** What a statement creates, by kind (type, view, function, trigger, policy, role), for the re-create lookahead. */
function creationsOf(s: SourceStatement): { kind: string; name: Name }[] {
  const n = s.node
  const on = (table: Name | undefined, name: string | undefined): Name | undefined =>
    table && name ? { ...(table.schema ? { schema: table.schema } : {}), name: `${table.name}.${name}` } : undefined
  const one = (kind: string, name: Name | undefined) => (name ? [{ kind, name }] : [])
  switch (s.kind) {
    case 'CreateEnumStmt':
    case 'CreateRangeStmt':
      return one('type', listName({ List: { items: n.typeName } }))
    case 'CreateDomainStmt':
      return one('type', listName({ List: { items: n.domainname } }))
    case 'CompositeTypeStmt':
      return one('type', rangeVar(n.typevar))
    case 'ViewStmt':
      return one('view', rangeVar(n.view))
    case 'CreateTableAsStmt':
      return n.objtype === 'OBJECT_MATVIEW' ? one('view', rangeVar(n.into?.rel)) : []
    case 'CreateFunctionStmt':
      return one('function', listName({ List: { items: n.funcname } }))
    case 'CreateTrigStmt':
      return one('trigger', on(rangeVar(n.relation), n.trigname))
    case 'CreatePolicyStmt':
      return one('policy', on(rangeVar(n.table), n.policy_name))
    case 'CreateRoleStmt':
      return one('role', n.role ? { name: n.role } : undefined)
    case 'DefineStmt':
      return n.kind === 'OBJECT_COLLATION' || n.kind === 'OBJECT_AGGREGATE' ? one(n.kind === 'OBJECT_COLLATION' ? 'collation' : 'aggregate', listName({ List: { items: n.defnames } })) : []
    case 'CreateEventTrigStmt':
      return one('event_trigger', n.trigname ? { name: n.trigname } : undefined)
    default:
      return []
  }
}

/** Statements whose work grows with the data (or cannot be judged): they keep earlier locks held longer. */
const HEAVY_KINDS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'DoStmt', 'CallStmt', 'CopyStmt', 'CreateTableAsStmt', 'RefreshMatViewStmt', 'ClusterStmt', 'VacuumStmt', 'ReindexStmt'])

/** Findings that mean a statement scans or rewrites a table. */
const HEAVY_CODES = new Set(['CL101', 'CL103', 'CL104', 'CL105', 'CL107', 'CL108', 'CL109', 'CL113', 'CL115'])

/** `name ` (with a trailing space) or nothing, for optional names inside messages. */
function sp(name: string | undefined): string {
  return name ? `${name} ` : ''
}

/** Target types to which some other type changes without a rewrite. */
const WIDENING_TARGETS = new Set(['text', 'varchar', 'numeric', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'varbit', 'inet'])

/** True when a USING expression is the column itself or a cast of it (the cast decides, not the expression). */
function isColumnOrCastOf(expr: Node, col: string): boolean {
  const ref = expr.ColumnRef ?? expr.TypeCast?.arg?.ColumnRef
  return ref !== undefined && strings(ref.fields).at(-1) === col && (expr.ColumnRef !== undefined || expr.TypeCast?.arg?.ColumnRef !== undefined)
}

/** The lock an ALTER TABLE subcommand takes on the table. */
function cmdLock(cmd: Node): number {
  switch (cmd.subtype) {
    case 'AT_ValidateConstraint':
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
    case 'AT_AttachPartition':
    case 'AT_DetachPartitionFinalize':
      return LOCK.shareUpdateExclusive
    case 'AT_DetachPartition':
      return cmd.def?.PartitionCmd?.concurrent ? LOCK.shareUpdateExclusive : LOCK.accessExclusive
    case 'AT_AddConstraint':
      return cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN' ? LOCK.shareRowExclusive : LOCK.accessExclusive
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_DisableTrig':
    case 'AT_EnableTrigAll':
    case 'AT_DisableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrigUser':
      return LOCK.shareRowExclusive
    default:
      return LOCK.accessExclusive
  }
}

function isFalse(arg: Node | undefined): boolean {
  if (!arg) return false
  if (arg.Boolean) return arg.Boolean.boolval !== true
  if (arg.Integer) return !arg.Integer.ival
  if (arg.String) return /^(false|off|0)$/i.test(arg.String.sval ?? '')
  return false
}

/** True when a SET value turns the setting off (`0`, `'0'`, `'0s'`) or is DEFAULT. */
function isZeroSetting(arg: Node | undefined): boolean {
  const c = arg?.A_Const
  if (!c) return true
  if (c.ival !== undefined) return !c.ival.ival
  if (c.fval !== undefined) return Number(c.fval.fval) === 0
  if (c.sval !== undefined) return /^\s*0+(\.0*)?\s*(us|ms|s|min|h|d)?\s*$/i.test(c.sval.sval ?? '')
  return false
}
