/**
 * `cairn pull`'s core, pure: a Model (as inspected from a database) → TypeScript definitions in
 * the DSL, one module per schema plus `roles.ts` and an index module re-exporting them, built and
 * formatted with ts-morph.
 *
 * The definitions are meant to load back into exactly the same model. The DSL's helpers are used
 * where they produce exactly what the database holds (`timestamps()`, `tenantScoped()`,
 * `tenantIsolation()`, `serial()`, `rangePartitions()`, typed defaults, default constraint names);
 * SQL text (defaults, checks, predicates, view bodies) is written verbatim in `sql` templates.
 * What the DSL cannot express is never dropped silently: it becomes a warning and a comment in the
 * file (functions and triggers with their SQL, domains, objects cairn does not model, a detail
 * such as a sequence's OWNED BY). `verify.ts` loads the result and checks the claim.
 */
import { IndentationText, Project, QuoteKind, VariableDeclarationKind, ts } from 'ts-morph'
import type {
  ColumnDef,
  DomainDef,
  EnumDef,
  FunctionDef,
  ForeignKeyDef,
  GrantDef,
  IndexDef,
  IndexKey,
  Model,
  PolicyDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from '../model/types.js'
import { cmp, normalizeModel } from '../model/normalize.js'
import { mentions } from '../diff/diff.js'
import { chooseName, expressionColumnName, makeObjectName, nameAddition } from '../dsl/names.js'
import { boundText, partitionKeyText } from '../dsl/partition.js'
import type { PartitionBound } from '../dsl/partition.js'
import { tenantPredicate } from '../dsl/policy.js'
import type { TenantIsolationOptions } from '../dsl/policy.js'
import { sequence as dslSequence } from '../dsl/table.js'
import { SEQ_MAX, dedupeKeyNames } from '../dsl/table-state.js'
import type { SequenceOptions } from '../dsl/table.js'
import { aggregateSignature, alterDefaultPrivileges, createAggregate, createCollation, createDomain, createFunction, createPolicy, createTrigger, grant as grantSql } from '../sqlgen/ddl.js'
import { ident, qname, unident } from '../sqlgen/quote.js'
import { quoteText } from '../dsl/literal.js'
import { stableJson } from '../diff/index.js'
import { defaultText, typeCall, typeCallText } from './columns.js'
import { domainOptions, functionOptions, triggerOptions } from './routines.js'
import { aggregateOptions, attributeText } from './aggregates.js'
import type { AggregateDef, CollationDef, CompositeTypeDef, DefaultPrivilegeDef, EventTriggerDef, ExclusionDef, UniqueDef } from '../model/types.js'
import { defaultPrivilegesObject } from '../load/default-privileges.js'
import { parseExclusion } from './exclusions.js'
import { touchFunction, triggerDefinition } from '../dsl/trigger.js'
import type { TypeCall } from './columns.js'
import { exportNames, fileNames } from './names.js'
import type { Exportable } from './names.js'
import { integerText, jsString, jsValue, lineComments, member, propertyKey, sqlTemplate, toIdentifier } from './ts-text.js'
import { objectKey } from './compare.js'

/** Options of {@link pullModel}. */
export interface PullOptions {
  /** The module the definitions import the DSL from (default `cairn-pg/dsl`). */
  readonly dslImport?: string
  /** The file name of the index module (default `index.ts`). */
  readonly indexFile?: string
}

/** Why something is not (exactly) in the definitions. */
export type PullWarningCode =
  /** An object of a kind the DSL cannot define yet (function, trigger, domain): written as a comment. */
  | 'not_in_dsl'
  /** An object of a kind cairn does not model at all (aggregate, rule, …): listed in a comment. */
  | 'unmodelled'
  /** A detail of an object the DSL cannot say (a sequence's OWNED BY, CHECK … NO INHERIT, …). */
  | 'lost_detail'
  /** The definitions, loaded back, differ from the database in a way no other warning explains. */
  | 'not_round_trip'
  /** The project also loads definitions from elsewhere (views/, partitions/) that would clash. */
  | 'layout'

/** Something the written definitions do not reproduce. */
export interface PullWarning {
  readonly code: PullWarningCode
  /** The object, e.g. `function public.touch()` or `app.users.users_email_check`. */
  readonly object: string
  readonly message: string
  /** The file the comment about it is in, relative to the output folder. */
  readonly file?: string
  /** A short label of what is lost, for summaries: `function`, `sequence OWNED BY`, `aggregate`, … */
  readonly category: string
  /** Model paths (see compare.ts) this warning accounts for. */
  readonly covers: readonly string[]
}

/** A generated file, relative to the output folder. */
export interface PulledFile {
  readonly path: string
  readonly text: string
}

/** What {@link pullModel} produced. */
export interface PullResult {
  readonly files: readonly PulledFile[]
  readonly warnings: readonly PullWarning[]
  /** How many objects of each kind were written. */
  readonly counts: Readonly<Record<string, number>>
}

/** The default module the definitions import the DSL from. */
export const DSL_IMPORT = 'cairn-pg/dsl'

const SERIAL_FN: Record<string, string> = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial' }

interface Ref {
  readonly file: string
  readonly name: string
}

/** One statement of a file: `export const name = initializer`, or a bare comment block. */
interface Statement {
  readonly name?: string
  readonly initializer?: string
  readonly comments: readonly string[]
}

/** A file being written: its imports and statements. */
class FileOut {
  readonly dsl = new Set<string>()
  readonly dslTypes = new Set<string>()
  readonly imports = new Map<string, Set<string>>()
  readonly statements: Statement[] = []
  readonly notes: string[] = []
  constructor(
    readonly path: string,
    readonly header: string,
  ) {}
  use(fn: string): string {
    this.dsl.add(fn)
    return fn
  }
  useType(name: string): string {
    this.dslTypes.add(name)
    return name
  }
  ref(r: Ref): string {
    if (r.file !== this.path) {
      const set = this.imports.get(r.file) ?? new Set<string>()
      set.add(r.name)
      this.imports.set(r.file, set)
    }
    return r.name
  }
}

/** Property names a table object has besides its columns. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', '$def', '$schema', '$name', '$columns', '$sequences', '$inferSelect', '$inferInsert'])

const tkey = (schema: string, name: string) => `${schema}.${name}`
const tpath = (t: { schema: string; name: string }) => `tables/${t.schema}.${t.name}`

/** A storage-parameter object literal: numbers and booleans bare, other words as strings. */
function storageObject(params: Readonly<Record<string, string>>): string {
  const entries = Object.entries(params).map(([k, v]) => {
    const bare = (/^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) && String(Number(v)) === v) || v === 'true' || v === 'false'
    return `${propertyKey(k)}: ${bare ? v : jsString(v)}`
  })
  return `{ ${entries.join(', ')} }`
}

/** An object literal, on one line when it is short and every value is. */
function objectText(entries: readonly (readonly [string, string] | undefined)[]): string {
  const kept = entries.filter((e): e is readonly [string, string] => e !== undefined)
  if (!kept.length) return ''
  const one = `{ ${kept.map(([k, v]) => `${k}: ${v}`).join(', ')} }`
  if (one.length <= 100 && !one.includes('\n')) return one
  return `{\n${kept.map(([k, v]) => `${k}: ${v},`).join('\n')}\n}`
}

/** `import { a, b } from 'x'`, wrapped over lines when long. */
function importText(names: readonly string[], from: string): string {
  const one = `import { ${names.join(', ')} } from ${jsString(from)}`
  if (one.length <= 110) return one
  const lines: string[] = []
  let line = ''
  for (const n of names) {
    if (line && line.length + n.length + 2 > 100) {
      lines.push(line)
      line = ''
    }
    line += (line ? ' ' : '') + n + ','
  }
  if (line) lines.push(line)
  return `import {\n${lines.map((l) => `  ${l}`).join('\n')}\n} from ${jsString(from)}`
}

/** Strongly connected components of a graph given as adjacency sets: node → component id. */
function components<T>(nodes: readonly T[], edges: (n: T) => Iterable<T>): Map<T, number> {
  const index = new Map<T, number>()
  const low = new Map<T, number>()
  const onStack = new Set<T>()
  const stack: T[] = []
  const comp = new Map<T, number>()
  let i = 0
  let c = 0
  const connect = (v: T) => {
    index.set(v, i)
    low.set(v, i)
    i++
    stack.push(v)
    onStack.add(v)
    for (const w of edges(v)) {
      if (!index.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop()!
        onStack.delete(w)
        comp.set(w, c)
        if (w === v) break
      }
      c++
    }
  }
  for (const n of nodes) if (!index.has(n)) connect(n)
  return comp
}

/** True when columns `created_at`, `updated_at` follow each other exactly as timestamps() makes them. */
export function hasTimestamps(t: TableDef): boolean {
  const stamp = (x: ColumnDef | undefined) => x !== undefined && stableJson(x) === stableJson({ name: x.name, type: 'timestamp with time zone', notNull: true, default: 'now()' })
  const i = t.columns.findIndex((c) => c.name === 'created_at')
  return i >= 0 && t.columns[i + 1]?.name === 'updated_at' && stamp(t.columns[i]) && stamp(t.columns[i + 1])
}

/** Pulls `input` into TypeScript definitions; see the module comment. */
export function pullModel(input: Model, options: PullOptions = {}): PullResult {
  return new Puller(input, options).run()
}

interface NamedSpec {
  readonly actual: string
  /** How Postgres (and the DSL) would name it by default, from its columns. */
  readonly label: 'pkey' | 'key' | 'fkey' | 'idx'
  readonly addition?: string
  explicit: boolean
  /** Fixed by a helper that always passes a name (tenantReference). */
  readonly alwaysExplicit?: boolean
  /** Placed inline on a column (column order) rather than in the extras. */
  readonly inline: boolean
  readonly order: number
}

class Puller {
  private readonly model: Model
  private readonly warnings: PullWarning[] = []
  private readonly files = new Map<string, FileOut>()
  private readonly schemaFile = new Map<string, string>()
  private readonly exportRef = new Map<string, Ref>()
  private readonly tables = new Map<string, TableDef>()
  private readonly views = new Map<string, ViewDef>()
  private readonly enumsByType = new Map<string, EnumDef>()
  private readonly domainsByType = new Map<string, DomainDef>()
  /** Domains, functions and triggers the DSL writes exactly (the others become comments). */
  private readonly domainCode = new Map<DomainDef, readonly (readonly [string, string])[]>()
  private readonly functionCode = new Map<FunctionDef, readonly (readonly [string, string])[]>()
  /** Triggers (and their functions) that timestamps({ touch: true }) makes: written by the helper. */
  private readonly touchTriggers = new Set<TriggerDef>()
  readonly touchTables = new Set<string>()
  private readonly touchFunctions = new Set<FunctionDef>()
  private readonly roles: Set<string>
  /** Sequences written as serial columns: `schema.name`. */
  private readonly serialSeqs = new Set<string>()
  /** Serial columns: `schema.table.column` → the sequence. */
  private readonly serialCols = new Map<string, SequenceDef>()
  /** Partitions written by one rangePartitions() call: parent key → the call's arguments. */
  private readonly rangeGroups = new Map<string, { from: string; every: 'month' | 'quarter' | 'year'; count: number; partitions: TableDef[]; defaultName?: string }>()
  private readonly rangeMember = new Set<string>()
  private fkComp = new Map<string, number>()
  private readonly counts: Record<string, number> = {}
  private readonly indexFile: string

  constructor(
    input: Model,
    private readonly options: PullOptions,
  ) {
    this.model = normalizeModel(input)
    this.indexFile = options.indexFile ?? 'index.ts'
    for (const t of this.model.tables) this.tables.set(tkey(t.schema, t.name), t)
    for (const v of this.model.views) this.views.set(tkey(v.schema, v.name), v)
    for (const e of this.model.enums) this.enumsByType.set(qname(e.schema, e.name), e)
    for (const d of this.model.domains) {
      const w = domainOptions(d)
      if ('entries' in w) {
        this.domainCode.set(d, w.entries)
        this.domainsByType.set(qname(d.schema, d.name), d)
      }
    }
    for (const f of this.model.functions) {
      const w = functionOptions(f)
      if ('entries' in w) this.functionCode.set(f, w.entries)
    }
    this.findTouchTriggers()
    this.roles = new Set(this.model.roles.map((r) => r.name))
  }

  private count(kind: string, n = 1): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + n
  }

  private warn(code: PullWarningCode, category: string, object: string, message: string, covers: readonly string[], file?: string): void {
    this.warnings.push({ code, category, object, message, covers, ...(file ? { file } : {}) })
  }

  private file(path: string): FileOut {
    let f = this.files.get(path)
    if (!f) {
      const schema = [...this.schemaFile].find(([, p]) => p === path)?.[0]
      const header =
        path === 'roles.ts'
          ? 'Roles the policies and grants name, as pulled from the database by `cairn pull`.'
          : `Schema ${schema === undefined ? path.replace(/\.ts$/, '') : schema}, as pulled from the database by \`cairn pull\`.`
      f = new FileOut(path, header)
      this.files.set(path, f)
    }
    return f
  }

  private fileOfSchema(schema: string): string {
    return this.schemaFile.get(schema)!
  }

  /** The file a table is written in: its schema's, or for a partition, its parent's. */
  private fileOfTable(t: TableDef, depth = 0): string {
    const p = t.partitionOf ? this.tables.get(tkey(t.partitionOf.parentSchema, t.partitionOf.parent)) : undefined
    return p && depth < 32 ? this.fileOfTable(p, depth + 1) : this.fileOfSchema(t.schema)
  }

  run(): PullResult {
    const m = this.model
    const schemas = new Set<string>(m.schemas.map((s) => s.name))
    for (const x of [...m.enums, ...m.domains, ...m.sequences, ...m.tables, ...m.views, ...m.functions, ...m.triggers, ...m.extensions]) schemas.add(x.schema)
    for (const g of m.grants) schemas.add(g.schema)
    for (const u of m.unmodelled ?? []) if (u.schema !== undefined) schemas.add(u.schema)
    for (const x of [...(m.aggregates ?? []), ...(m.composites ?? [])]) schemas.add(x.schema)
    for (const d of m.defaultPrivileges ?? []) if (d.schema !== undefined) schemas.add(d.schema)
    const names = fileNames([...schemas], [this.indexFile.replace(/\.ts$/, ''), 'roles'])
    for (const [s, n] of names) this.schemaFile.set(s, `${n}.ts`)

    this.findSerials()
    this.findRangeGroups()
    this.assignExports()
    this.eagerGraph()

    for (const s of m.schemas) this.emitSchema(s.name, s.comment)
    if (m.grants.some((g) => g.on === 'schema' && g.schema === 'public')) this.emitSchema('public', undefined)
    for (const x of m.extensions) this.emitExtension(x.name, x.schema)
    for (const e of m.enums) this.emitEnum(e)
    for (const d of this.domainsInOrder()) this.emitDomain(d)
    for (const s of m.sequences) if (!this.serialSeqs.has(tkey(s.schema, s.name))) this.emitSequence(s)
    for (const f of m.functions) if (this.functionCode.has(f)) this.emitFunction(f)
    for (const t of m.composites ?? []) this.emitComposite(t)
    for (const a of m.aggregates ?? []) this.emitAggregate(a)
    for (const e of m.eventTriggers ?? []) this.emitEventTrigger(e)
    for (const c of m.collations ?? []) this.emitCollation(c)
    for (const t of this.tablesInOrder()) {
      if (t.partitionOf && this.tables.has(tkey(t.partitionOf.parentSchema, t.partitionOf.parent))) {
        if (this.rangeMember.has(tkey(t.schema, t.name))) continue
        this.emitPartition(t)
      } else this.emitTable(t)
    }
    for (const v of this.viewsInOrder()) this.emitView(v)
    for (const t of m.triggers) if (!this.touchTriggers.has(t)) this.emitTrigger(t)
    this.emitRoles()
    this.emitGrants()
    // after the roles: the database-wide entries share roles.ts with them
    this.emitDefaultPrivileges()
    this.emitNotes()
    return { files: this.render(), warnings: this.warnings, counts: this.counts }
  }

  // ---------------------------------------------------------------- analysis

  /** `touch_updated_at` triggers exactly as timestamps({ touch: true }) makes them, on tables whose timestamps() it writes. */
  private findTouchTriggers(): void {
    const sameFn = (f: FunctionDef) => stableJson(touchFunction(f.schema).$def) === stableJson(f)
    for (const tr of this.model.triggers) {
      const t = this.tables.get(tkey(tr.schema, tr.table))
      if (!t || tr.name !== 'touch_updated_at' || tr.comment !== undefined || !hasTimestamps(t)) continue
      const f = touchFunction(tr.schema)
      if (tr.definition !== triggerDefinition({ schema: t.schema, name: t.name }, 'touch_updated_at', { timing: 'before', events: ['update'], level: 'row', function: f })) continue
      if (!this.model.functions.some((x) => x.schema === tr.schema && x.name === 'touch_updated_at' && x.args === '' && sameFn(x))) continue
      this.touchTriggers.add(tr)
      this.touchTables.add(tkey(t.schema, t.name))
    }
    // the function goes with the helper when every trigger calling it is one
    for (const f of this.model.functions) {
      if (f.name !== 'touch_updated_at' || f.args !== '' || !sameFn(f)) continue
      const callers = this.model.triggers.filter((x) => x.definition.includes(`EXECUTE FUNCTION ${qname(f.schema, f.name)}(`))
      if (callers.length && callers.every((x) => this.touchTriggers.has(x))) {
        this.touchFunctions.add(f)
        this.functionCode.delete(f)
      }
    }
  }

  /** Owned sequences that are exactly what a serial column creates. */
  private findSerials(): void {
    for (const s of this.model.sequences) {
      if (!s.ownedBy || s.comment !== undefined) continue
      const t = this.tables.get(tkey(s.schema, s.ownedBy.table))
      const c = t?.columns.find((x) => x.name === s.ownedBy!.column)
      if (!t || !c || t.partitionOf) continue
      const fits =
        SERIAL_FN[c.type] !== undefined && s.type === c.type && c.notNull && c.identity === undefined && c.generated === undefined &&
        s.start === '1' && s.increment === '1' && s.min === '1' && s.max === SEQ_MAX[c.type] && s.cache === '1' && !s.cycle &&
        s.name === makeObjectName(t.name, c.name, 'seq') &&
        c.default === `nextval(${quoteText(qname(s.schema, s.name))}::regclass)`
      if (!fits) continue
      this.serialSeqs.add(tkey(s.schema, s.name))
      this.serialCols.set(`${t.schema}.${t.name}.${c.name}`, s)
    }
  }

  /** Partitions that rangePartitions() makes exactly: consecutive months, quarters or years, default names. */
  private findRangeGroups(): void {
    const byParent = new Map<string, TableDef[]>()
    for (const t of this.model.tables) {
      if (!t.partitionOf) continue
      const k = tkey(t.partitionOf.parentSchema, t.partitionOf.parent)
      byParent.set(k, [...(byParent.get(k) ?? []), t])
    }
    for (const [pk, all] of byParent) {
      const parent = this.tables.get(pk)
      if (!parent?.partitionBy || parent.partitionBy.strategy !== 'range') continue
      const cols = this.partitionKeyOption(parent)
      if (!Array.isArray(cols) || cols.length !== 1) continue
      const type = parent.columns.find((c) => c.name === cols[0])?.type
      if (!type || !/^(date|timestamp(\(\d\))? with(out)? time zone)$/.test(type)) continue
      if (!all.every((p) => p.schema === parent.schema && this.plainPartition(p, parent))) continue
      // rangePartitions({ default }) declares the DEFAULT partition with the ranges
      const defaults = all.filter((p) => p.partitionOf!.bound === 'DEFAULT')
      const parts = all.filter((p) => p.partitionOf!.bound !== 'DEFAULT')
      if (defaults.length > 1 || parts.length < 2) continue
      const starts = parts.map((p) => /FROM \('(\d{4})-(\d{2})-01/.exec(p.partitionOf!.bound)).filter((x) => x !== null)
      if (starts.length !== parts.length) continue
      const first = starts.map((s) => Number(s[1]) * 12 + Number(s[2]) - 1).sort((a, b) => a - b)[0]!
      const day = (k: number) => `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`
      for (const every of ['month', 'quarter', 'year'] as const) {
        const step = { month: 1, quarter: 3, year: 12 }[every]
        if (every === 'quarter' && first % 3 !== 0) continue
        const want = new Map<string, string>()
        for (let i = 0; i < parts.length; i++) {
          const k = first + i * step
          const year = Math.floor(k / 12)
          const name = `${parent.name}_${year}` + (every === 'month' ? `_${String((k % 12) + 1).padStart(2, '0')}` : every === 'quarter' ? `_q${Math.floor((k % 12) / 3) + 1}` : '')
          want.set(name, boundText({ from: day(k), to: day(k + step) }, [type]))
        }
        if (parts.every((p) => want.get(p.name) === p.partitionOf!.bound)) {
          this.rangeGroups.set(pk, { from: day(first).slice(0, 7), every, count: parts.length, partitions: all, ...(defaults[0] ? { defaultName: defaults[0].name } : {}) })
          for (const p of all) this.rangeMember.add(tkey(p.schema, p.name))
          break
        }
      }
    }
  }

  /** True when partitionOf() with no options gives exactly this partition. */
  private plainPartition(p: TableDef, parent: TableDef): boolean {
    return (
      Object.keys(p.with).length === 0 && p.comment === undefined && !p.partitionBy && this.partitionLosses(p, parent).length === 0
    )
  }

  private assignExports(): void {
    const m = this.model
    const items: (Exportable & { file: string })[] = []
    for (const s of m.schemas) items.push({ key: `schema:${s.name}`, kind: 'schema', name: s.name, file: this.fileOfSchema(s.name) })
    if (m.grants.some((g) => g.on === 'schema' && g.schema === 'public')) {
      items.push({ key: 'schema:public', kind: 'schema', name: 'public', qualified: 'public_schema', file: this.fileOfSchema('public') })
    }
    for (const x of m.extensions) items.push({ key: `extension:${x.name}`, kind: 'extension', name: x.name, file: this.fileOfSchema(x.schema) })
    for (const e of m.enums) {
      if (e.values.length) items.push({ key: `enum:${e.schema}.${e.name}`, kind: 'enum', schema: e.schema, name: e.name, file: this.fileOfSchema(e.schema) })
    }
    for (const s of m.sequences) {
      if (!this.serialSeqs.has(tkey(s.schema, s.name))) {
        items.push({ key: `sequence:${s.schema}.${s.name}`, kind: 'sequence', schema: s.schema, name: s.name, file: this.fileOfSchema(s.schema) })
      }
    }
    for (const t of m.tables) {
      if (this.rangeMember.has(tkey(t.schema, t.name))) continue
      items.push({ key: `table:${t.schema}.${t.name}`, kind: 'table', schema: t.schema, name: t.name, file: this.fileOfTable(t) })
    }
    for (const [pk, g] of this.rangeGroups) {
      const parent = this.tables.get(pk)!
      items.push({ key: `partitions:${pk}`, kind: 'partitions', schema: parent.schema, name: `${parent.name}_partitions`, file: this.fileOfTable(g.partitions[0]!) })
    }
    for (const v of m.views) items.push({ key: `view:${v.schema}.${v.name}`, kind: 'view', schema: v.schema, name: v.name, file: this.fileOfSchema(v.schema) })
    for (const d of this.domainCode.keys()) items.push({ key: `domain:${d.schema}.${d.name}`, kind: 'domain', schema: d.schema, name: d.name, file: this.fileOfSchema(d.schema) })
    for (const f of this.functionCode.keys()) {
      items.push({ key: `function:${f.schema}.${f.name}(${f.args})`, kind: f.isProcedure ? 'procedure' : 'function', schema: f.schema, name: f.name, file: this.fileOfSchema(f.schema) })
    }
    for (const a of m.aggregates ?? []) {
      items.push({ key: `aggregate:${a.schema}.${a.name}(${a.args})`, kind: 'aggregate', schema: a.schema, name: a.name, file: this.fileOfSchema(a.schema) })
    }
    for (const e of m.eventTriggers ?? []) {
      const file = this.eventTriggerFile(e)
      if (file) items.push({ key: `event_trigger:${e.name}`, kind: 'event_trigger', name: e.name, file })
    }
    for (const t of m.composites ?? []) items.push({ key: `composite:${t.schema}.${t.name}`, kind: 'type', schema: t.schema, name: t.name, file: this.fileOfSchema(t.schema) })
    for (const t of m.triggers) {
      if (this.touchTriggers.has(t)) continue
      items.push({ key: `trigger:${t.schema}.${t.table}.${t.name}`, kind: 'trigger', schema: t.schema, name: t.name, qualified: `${t.table}_${t.name}`, file: this.triggerFile(t) })
    }
    for (const r of m.roles) items.push({ key: `role:${r.name}`, kind: 'role', name: r.name, file: 'roles.ts' })
    for (const c of m.collations ?? []) items.push({ key: `collation:${c.schema}.${c.name}`, kind: 'collation', schema: c.schema, name: c.name, file: this.fileOfSchema(c.schema) })
    for (const f of new Set((m.defaultPrivileges ?? []).map((d) => this.defaultPrivilegesFile(d)))) {
      items.push({ key: `defaultPrivileges:${f}`, kind: 'default_privileges', name: `${f.replace(/\.ts$/, '')}_default_privileges`, file: f })
    }
    const grantFiles = new Set(m.grants.map((g) => this.grantFile(g)))
    for (const f of grantFiles) items.push({ key: `grants:${f}`, kind: 'grants', name: `${f.replace(/\.ts$/, '')}_grants`, file: f })
    const names = exportNames(items)
    for (const i of items) this.exportRef.set(i.key, { file: i.file, name: names.get(i.key)! })
  }

  private grantFile(g: GrantDef): string {
    if (g.on === 'table') {
      const t = this.tables.get(tkey(g.schema, g.name))
      if (t) return this.fileOfTable(t)
    }
    return this.fileOfSchema(g.schema)
  }

  /**
   * References evaluated when a module runs (an enum used as a column type, a partition's parent,
   * a view's deps) stay inside one file: modules that import each other (foreign keys between
   * schemas do) see each other's exports only after they ran. An enum of another schema is
   * written as customType (the same model); a view's deps name only objects of its own file.
   */
  private eagerGraph(): void {
    // foreign keys among tables: thunks in a cycle need a type annotation
    const tables = this.model.tables.map((t) => tkey(t.schema, t.name))
    this.fkComp = components(tables, (k) => {
      const t = this.tables.get(k)!
      return t.foreignKeys.map((f) => tkey(f.refSchema, f.refTable)).filter((x) => this.tables.has(x))
    })
  }

  private enumUsable(fromFile: string, e: EnumDef): boolean {
    return e.values.length > 0 && this.fileOfSchema(e.schema) === fromFile
  }

  private tablesInOrder(): TableDef[] {
    // partitions after their parents (partitionOf needs the parent object)
    const out: TableDef[] = []
    const seen = new Set<string>()
    const visit = (t: TableDef, depth: number) => {
      const k = tkey(t.schema, t.name)
      if (seen.has(k)) return
      if (t.partitionOf && depth < 32) {
        const p = this.tables.get(tkey(t.partitionOf.parentSchema, t.partitionOf.parent))
        if (p) visit(p, depth + 1)
      }
      seen.add(k)
      out.push(t)
    }
    for (const t of this.model.tables) visit(t, 0)
    return out
  }

  private viewsInOrder(): ViewDef[] {
    const out: ViewDef[] = []
    const state = new Map<ViewDef, number>()
    const visit = (v: ViewDef) => {
      if (state.get(v)) return
      state.set(v, 1)
      for (const o of this.model.views) if (o !== v && mentions(v.definition, o.schema, o.name)) visit(o)
      state.set(v, 2)
      out.push(v)
    }
    this.model.views.forEach(visit)
    return out
  }

  // ---------------------------------------------------------------- objects

  private schemaRef(f: FileOut, schema: string): string | undefined {
    const r = this.exportRef.get(`schema:${schema}`)
    return schema === 'public' || !r ? undefined : f.ref(r)
  }

  private emitSchema(name: string, comment: string | undefined): void {
    const f = this.file(this.fileOfSchema(name))
    const r = this.exportRef.get(`schema:${name}`)!
    const opts = objectText([comment !== undefined ? ['comment', jsString(comment)] : undefined])
    f.statements.push({ name: r.name, initializer: `${f.use('pgSchema')}(${jsString(name)}${opts ? `, ${opts}` : ''})`, comments: [] })
    if (name !== 'public') this.count('schemas')
  }

  private emitExtension(name: string, schema: string): void {
    const f = this.file(this.fileOfSchema(schema))
    const r = this.exportRef.get(`extension:${name}`)!
    const opts = schema === 'public' ? '' : `, { schema: ${jsString(schema)} }`
    f.statements.push({ name: r.name, initializer: `${f.use('extension')}(${jsString(name)}${opts})`, comments: [] })
    this.count('extensions')
  }

  private emitEnum(e: EnumDef): void {
    const file = this.fileOfSchema(e.schema)
    const f = this.file(file)
    const object = `enum ${qname(e.schema, e.name)}`
    if (!e.values.length) {
      this.warn('lost_detail', 'enum without values', object, `${object} has no values, which the DSL cannot declare (enum types need at least one); its columns are written as customType`, [`enums/${tkey(e.schema, e.name)}`], file)
      f.notes.push(`${object}: an enum with no values (CREATE TYPE ${qname(e.schema, e.name)} AS ENUM ())`)
      return
    }
    const r = this.exportRef.get(`enum:${e.schema}.${e.name}`)!
    const values = `[${e.values.map(jsString).join(', ')}]`
    const s = this.schemaRef(f, e.schema)
    let init = s ? `${s}.enum(${jsString(e.name)}, ${values})` : `${f.use('enumType')}(${jsString(e.name)}, ${values})`
    if (e.comment !== undefined) init += `.comment(${jsString(e.comment)})`
    f.statements.push({ name: r.name, initializer: init, comments: [] })
    this.count('enums')
  }

  private emitSequence(s: SequenceDef): void {
    const file = this.fileOfSchema(s.schema)
    const f = this.file(file)
    const r = this.exportRef.get(`sequence:${s.schema}.${s.name}`)!
    const num = (v: string): number | bigint => (Number.isSafeInteger(Number(v)) ? Number(v) : BigInt(v))
    const full: Record<string, unknown> = {
      type: s.type, start: num(s.start), increment: num(s.increment), min: num(s.min), max: num(s.max), cache: Number(s.cache), cycle: s.cycle,
      ...(s.comment !== undefined ? { comment: s.comment } : {}),
    }
    const target = { ...s, schema: 'public', ownedBy: undefined }
    const same = (o: Record<string, unknown>) => {
      try {
        const d = dslSequence(s.name, o as SequenceOptions).$def
        return JSON.stringify({ ...d, ownedBy: undefined }) === JSON.stringify({ ...target, kind: 'sequence' })
      } catch {
        return false
      }
    }
    const opts: Record<string, unknown> = { ...full }
    for (const k of ['start', 'min', 'max', 'cache', 'cycle', 'increment', 'type']) {
      const without = { ...opts }
      delete without[k]
      if (same(without)) delete opts[k]
    }
    const object = `sequence ${qname(s.schema, s.name)}`
    const comments: string[] = []
    if (!same(opts)) {
      this.warn('lost_detail', 'sequence options', object, `${object}: its options are not expressible in the DSL`, [`sequences/${tkey(s.schema, s.name)}`], file)
    }
    if (s.ownedBy) {
      const msg = `${object} is OWNED BY ${qname(s.schema, s.ownedBy.table)}.${ident(s.ownedBy.column)}, which the DSL cannot declare (only serial columns own their sequence)`
      this.warn('lost_detail', 'sequence OWNED BY', object, msg, [`sequences/${tkey(s.schema, s.name)}/ownedBy`], file)
      comments.push(`cairn pull: not expressible: OWNED BY ${qname(s.schema, s.ownedBy.table)}.${ident(s.ownedBy.column)}`)
    }
    const entries = Object.entries(opts).map(([k, v]) => `${k}: ${typeof v === 'bigint' ? `${v}n` : jsValue(v)}`)
    const o = entries.length ? `, { ${entries.join(', ')} }` : ''
    const sr = this.schemaRef(f, s.schema)
    f.statements.push({ name: r.name, initializer: sr ? `${sr}.sequence(${jsString(s.name)}${o})` : `${f.use('sequence')}(${jsString(s.name)}${o})`, comments })
    this.count('sequences')
  }

  /** The partitionBy key as the DSL option: column names, or the expression text. */
  private partitionKeyOption(t: TableDef): readonly string[] | string | undefined {
    if (!t.partitionBy) return undefined
    const key = t.partitionBy.key.trim()
    const inner = key.startsWith('(') && key.endsWith(')') ? key.slice(1, -1) : key
    const parts: string[] = []
    let depth = 0
    let quote: string | undefined
    let cur = ''
    for (const ch of inner) {
      if (quote) {
        cur += ch
        if (ch === quote) quote = undefined
        continue
      }
      if (ch === "'" || ch === '"') quote = ch
      if (ch === '(') depth++
      if (ch === ')') depth--
      if (ch === ',' && depth === 0) {
        parts.push(cur.trim())
        cur = ''
      } else cur += ch
    }
    parts.push(cur.trim())
    const cols = parts.map((p) => t.columns.find((c) => ident(c.name) === p)?.name)
    if (cols.every((c) => c !== undefined) && partitionKeyText(cols as string[]) === key) return cols as string[]
    return partitionKeyText(inner) === key ? inner : undefined
  }

  private partitionByText(t: TableDef, file: string): string | undefined {
    if (!t.partitionBy) return undefined
    const key = this.partitionKeyOption(t)
    if (key === undefined) {
      this.warn('lost_detail', 'partition key', `table ${qname(t.schema, t.name)}`, `the partition key ${t.partitionBy.key} of ${qname(t.schema, t.name)} cannot be written in the DSL`, [`${tpath(t)}/partitionBy`], file)
      return undefined
    }
    return `{ strategy: ${jsString(t.partitionBy.strategy)}, key: ${typeof key === 'string' ? jsString(key) : `[${key.map(jsString).join(', ')}]`} }`
  }

  /** What a partition has that partitionOf() cannot give it, as (path, description) pairs. */
  private partitionLosses(p: TableDef, parent: TableDef): [string, string][] {
    const out: [string, string][] = []
    const path = tpath(p)
    const expected: ColumnDef[] = parent.columns.map((c) => ({
      name: c.name, type: c.type, notNull: c.notNull,
      ...(c.default !== undefined ? { default: c.default } : {}),
      ...(c.generated !== undefined ? { generated: c.generated } : {}),
      ...(c.collation !== undefined ? { collation: c.collation } : {}),
    }))
    if (JSON.stringify(expected.map((c) => c.name)) !== JSON.stringify(p.columns.map((c) => c.name))) {
      out.push([`${path}/columns`, 'its columns are not its parent\'s, in its parent\'s order'])
    } else {
      p.columns.forEach((c, i) => {
        const e = expected[i]!
        for (const k of new Set([...Object.keys(c), ...Object.keys(e)])) {
          if (JSON.stringify((c as unknown as Record<string, unknown>)[k]) !== JSON.stringify((e as unknown as Record<string, unknown>)[k])) {
            out.push([`${path}/columns/${c.name}/${k}`, `column ${ident(c.name)} has its own ${k === 'notNull' ? 'NOT NULL' : k}`])
          }
        }
      })
    }
    if (p.primaryKey) out.push([`${path}/primaryKey`, `its own primary key ${ident(p.primaryKey.name)}`])
    for (const u of p.uniques) out.push([`${path}/uniques/${u.name}`, `its own unique constraint ${ident(u.name)}`])
    for (const fk of p.foreignKeys) out.push([`${path}/foreignKeys/${fk.name}`, `its own foreign key ${ident(fk.name)}`])
    for (const c of p.checks) out.push([`${path}/checks/${c.name}`, `its own check ${ident(c.name)}`])
    for (const ix of p.indexes) out.push([`${path}/indexes/${ix.name}`, `its own index ${ident(ix.name)}`])
    for (const po of p.policies) out.push([`${path}/policies/${po.name}`, `its own policy ${ident(po.name)}`])
    if (p.rls) out.push([`${path}/rls`, 'row-level security of its own'])
    for (const [k, v] of Object.entries(p as unknown as Record<string, unknown>)) {
      if (!['kind', 'schema', 'name', 'columns', 'primaryKey', 'uniques', 'foreignKeys', 'checks', 'indexes', 'with', 'rls', 'policies', 'partitionBy', 'partitionOf', 'comment'].includes(k)) {
        if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out.push([`${path}/${k}`, `${k} of its own`])
      }
    }
    return out
  }

  /** The bound of a partition as the DSL's structured form when it spells exactly the same, else the text. */
  private boundArg(p: TableDef, parent: TableDef, f: FileOut): string {
    const text = p.partitionOf!.bound
    const key = this.partitionKeyOption(parent)
    const types = Array.isArray(key) ? key.map((c) => parent.columns.find((x) => x.name === c)?.type) : []
    const attempt = (b: PartitionBound, code: string): string | undefined => {
      try {
        return boundText(b, types) === text ? code : undefined
      } catch {
        return undefined
      }
    }
    const values = (list: string): { v: unknown[]; code: string[] } | undefined => {
      const out: unknown[] = []
      const code: string[] = []
      const re = /\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(MINVALUE|MAXVALUE)|(true|false)|(NULL))\s*(,|$)/gy
      let m: RegExpExecArray | null
      let last = 0
      while (last < list.length && (m = re.exec(list)) !== null) {
        if (m[1] !== undefined) {
          const s = m[1].replaceAll("''", "'")
          const day = /^(\d{4}-\d{2}-\d{2})(?: 00:00:00(?:\+00)?)?$/.exec(s)
          out.push(day ? day[1] : s)
          code.push(jsString(day ? day[1]! : s))
        } else if (m[2] !== undefined) {
          out.push(Number(m[2]))
          code.push(m[2])
        } else if (m[3] !== undefined) {
          out.push(m[3] === 'MINVALUE' ? { minvalue: true } : { maxvalue: true })
          code.push(f.use(m[3]))
        } else if (m[4] !== undefined) {
          out.push(m[4] === 'true')
          code.push(m[4])
        } else {
          out.push(null)
          code.push('null')
        }
        last = re.lastIndex
        if (m[6] === '') break
      }
      return last === list.length ? { v: out, code } : undefined
    }
    const one = (x: { v: unknown[]; code: string[] }) => (x.code.length === 1 ? { v: x.v[0], code: x.code[0]! } : { v: x.v, code: `[${x.code.join(', ')}]` })
    let m = /^FOR VALUES FROM \((.*)\) TO \((.*)\)$/s.exec(text)
    if (m) {
      const a = values(m[1]!)
      const b = values(m[2]!)
      if (a && b) {
        const x = one(a)
        const y = one(b)
        const r = attempt({ from: x.v, to: y.v } as PartitionBound, `{ from: ${x.code}, to: ${y.code} }`)
        if (r) return r
      }
    }
    m = /^FOR VALUES IN \((.*)\)$/s.exec(text)
    if (m) {
      const a = values(m[1]!)
      if (a) {
        const r = attempt({ in: a.v } as PartitionBound, `{ in: [${a.code.join(', ')}] }`)
        if (r) return r
      }
    }
    m = /^FOR VALUES WITH \(modulus (\d+), remainder (\d+)\)$/.exec(text)
    if (m) {
      const r = attempt({ modulus: Number(m[1]), remainder: Number(m[2]) }, `{ modulus: ${m[1]}, remainder: ${m[2]} }`)
      if (r) return r
    }
    if (text === 'DEFAULT') return '{ default: true }'
    return jsString(text)
  }

  private emitPartition(p: TableDef): void {
    const parent = this.tables.get(tkey(p.partitionOf!.parentSchema, p.partitionOf!.parent))!
    const file = this.fileOfTable(p)
    const f = this.file(file)
    const r = this.exportRef.get(`table:${p.schema}.${p.name}`)!
    const parentRef = f.ref(this.exportRef.get(`table:${parent.schema}.${parent.name}`)!)
    const object = `partition ${qname(p.schema, p.name)}`
    const comments: string[] = []
    for (const [path, what] of this.partitionLosses(p, parent)) {
      this.warn('lost_detail', 'partition with objects of its own', object, `${object}: ${what}, which partitionOf() cannot declare (a partition takes its parent's columns)`, [path], file)
      comments.push(`cairn pull: not expressible: ${what}`)
    }
    const by = this.partitionByText(p, file)
    const opts = objectText([
      p.schema !== parent.schema ? ['schema', jsString(p.schema)] : undefined,
      Object.keys(p.with).length ? ['with', storageObject(p.with)] : undefined,
      p.comment !== undefined ? ['comment', jsString(p.comment)] : undefined,
      by ? ['partitionBy', by] : undefined,
    ])
    const bound = this.boundArg(p, parent, f)
    f.statements.push({
      name: r.name,
      initializer: `${f.use('partitionOf')}(${parentRef}, ${jsString(p.name)}, ${bound}${opts ? `, ${opts}` : ''})`,
      comments,
    })
    this.count('partitions')
  }

  private emitRangeGroup(parentKey: string, f: FileOut, parentRef: string): void {
    const g = this.rangeGroups.get(parentKey)!
    const r = this.exportRef.get(`partitions:${parentKey}`)!
    f.statements.push({
      name: r.name,
      initializer:
        `${f.use('rangePartitions')}(${parentRef}, { from: ${jsString(g.from)}, every: ${jsString(g.every)}, count: ${g.count}` +
        `${g.defaultName === undefined ? '' : `, default: ${g.defaultName === `${this.tables.get(parentKey)!.name}_default` ? 'true' : jsString(g.defaultName)}`} })`,
      comments: [],
    })
    this.count('partitions', g.partitions.length)
  }

  // ---------------------------------------------------------------- tables

  private emitTable(t: TableDef): void {
    const file = this.fileOfTable(t)
    const f = this.file(file)
    const r = this.exportRef.get(`table:${t.schema}.${t.name}`)!
    const tb = new TableWriter(this, t, f, file)
    const text = tb.write()
    f.statements.push({ name: r.name, initializer: text, comments: tb.comments })
    this.count('tables')
    if (t.partitionOf) {
      // a partition whose parent was not pulled
      const object = `table ${qname(t.schema, t.name)}`
      this.warn('lost_detail', 'partition of a table not pulled', object, `${object} is a partition of ${qname(t.partitionOf.parentSchema, t.partitionOf.parent)}, which was not pulled`, [`${tpath(t)}/partitionOf`], file)
    }
    const pk = tkey(t.schema, t.name)
    if (this.rangeGroups.has(pk)) this.emitRangeGroup(pk, f, r.name)
  }

  // ---------------------------------------------------------------- views

  private emitView(v: ViewDef): void {
    const file = this.fileOfSchema(v.schema)
    const f = this.file(file)
    const r = this.exportRef.get(`view:${v.schema}.${v.name}`)!
    const object = `${v.materialized ? 'materialized view' : 'view'} ${qname(v.schema, v.name)}`
    const comments: string[] = []
    const indexes: string[] = []
    for (const ix of v.indexes) {
      const plain = ix.keys.every((k) => k.column !== undefined && Object.keys(k).length === 1) && ix.include.length === 0 && !ix.nullsNotDistinct
      const extra = Object.keys(ix).filter((k) => !['name', 'unique', 'method', 'keys', 'include', 'where', 'nullsNotDistinct', 'with', 'comment'].includes(k))
      if (!plain || extra.length) {
        const msg = `index ${qname(v.schema, ix.name)} on ${object} is not expressible in the DSL (materialized view indexes are plain column lists)`
        this.warn('lost_detail', 'materialized view index', object, msg, [`views/${tkey(v.schema, v.name)}/indexes/${ix.name}`], file)
        comments.push(`cairn pull: not expressible: index ${ident(ix.name)} (${ix.keys.map((k) => k.column ?? k.expression).join(', ')})`)
        continue
      }
      const cols = ix.keys.map((k) => k.column!)
      const def = makeObjectName(v.name, nameAddition(cols), 'idx')
      indexes.push(
        objectText([
          ix.name !== def ? ['name', jsString(ix.name)] : undefined,
          ['on', `[${cols.map(jsString).join(', ')}]`],
          ix.unique ? ['unique', 'true'] : undefined,
          ix.method !== 'btree' ? ['using', jsString(ix.method)] : undefined,
          ix.where !== undefined ? ['where', f.use('sql') && sqlTemplate(ix.where)] : undefined,
          Object.keys(ix.with).length ? ['with', storageObject(ix.with)] : undefined,
          ix.comment !== undefined ? ['comment', jsString(ix.comment)] : undefined,
        ]),
      )
    }
    const deps: string[] = []
    for (const [k, t] of [...this.tables, ...this.views] as [string, TableDef | ViewDef][]) {
      if (t === v || !mentions(v.definition, t.schema, t.name)) continue
      const ref = this.exportRef.get(`${t.kind === 'view' ? 'view' : 'table'}:${k}`)
      if (!ref) continue
      if (ref.file !== file) continue
      deps.push(f.ref(ref))
    }
    const sch = this.schemaRef(f, v.schema) ?? jsString(v.schema)
    const opts = objectText([
      ['sql', f.use('sql') && sqlTemplate(v.definition)],
      Object.keys(v.with).length ? ['with', storageObject(v.with)] : undefined,
      deps.length ? ['deps', `[${deps.join(', ')}]`] : undefined,
      indexes.length ? ['indexes', `[${indexes.join(', ')}]`] : undefined,
      v.comment !== undefined ? ['comment', jsString(v.comment)] : undefined,
    ])
    const fn = f.use(v.materialized ? 'materializedView' : 'view')
    f.statements.push({ name: r.name, initializer: `${fn}(${sch}, ${jsString(v.name)}, ${opts})`, comments })
    this.count(v.materialized ? 'materialized views' : 'views')
  }

  // ---------------------------------------------------------------- roles and grants

  /** True when the definitions can name `role`: PUBLIC, a pg_* role, or one of the model's roles. */
  managesRole(role: string): boolean {
    return role === 'public' || role.startsWith('pg_') || this.roles.has(role)
  }

  /** A role as a policy or grant names it: the exported role, or its name. */
  roleRef(f: FileOut, name: string): string {
    const r = this.exportRef.get(`role:${name}`)
    return r ? f.ref(r) : jsString(name)
  }

  private emitRoles(): void {
    if (!this.model.roles.length) return
    const f = this.file('roles.ts')
    const byName = new Map(this.model.roles.map((r) => [r.name, r]))
    const done = new Set<string>()
    const visit = (name: string, depth: number) => {
      const r = byName.get(name)
      if (!r || done.has(name) || depth > 64) return
      done.add(name)
      for (const m of r.memberOf) visit(m, depth + 1)
      const object = `role ${ident(r.name)}`
      const members: string[] = []
      const comments: string[] = []
      for (const m of r.memberOf) {
        if (byName.has(m) || m === 'public' || m.startsWith('pg_')) members.push(this.roleRef(f, m))
        else {
          this.warn('lost_detail', 'role membership', object, `${object} is a member of ${ident(m)}, a role no policy or grant names: cairn manages only those, so the membership is left out`, [`roles/${r.name}/memberOf`], 'roles.ts')
          comments.push(`cairn pull: not expressible: member of ${ident(m)} (a role cairn does not manage)`)
        }
      }
      const opts = objectText([
        r.login ? ['login', 'true'] : undefined,
        !r.inherit ? ['inherit', 'false'] : undefined,
        r.bypassRls ? ['bypassRls', 'true'] : undefined,
        members.length ? ['memberOf', `[${members.join(', ')}]`] : undefined,
        ...Object.keys(r)
          .filter((k) => !['kind', 'name', 'login', 'inherit', 'bypassRls', 'memberOf'].includes(k))
          .map((k) => {
            this.warn('lost_detail', `role ${k}`, object, `${object}: ${k} is not expressible in the DSL`, [`roles/${r.name}/${k}`], 'roles.ts')
            return undefined
          }),
      ])
      f.statements.push({ name: this.exportRef.get(`role:${r.name}`)!.name, initializer: `${f.use('role')}(${jsString(r.name)}${opts ? `, ${opts}` : ''})`, comments })
      this.count('roles')
    }
    for (const r of this.model.roles) visit(r.name, 0)
  }

  private emitGrants(): void {
    const byFile = new Map<string, GrantDef[]>()
    for (const g of this.model.grants) {
      const file = this.grantFile(g)
      byFile.set(file, [...(byFile.get(file) ?? []), g])
    }
    for (const [file, grants] of byFile) {
      const f = this.file(file)
      const items: string[] = []
      for (const g of grants) {
        let on: string | undefined
        const ref = (key: string) => {
          const r = this.exportRef.get(key)
          return r ? f.ref(r) : undefined
        }
        if (g.on === 'schema') on = ref(`schema:${g.schema}`)
        else if (g.on === 'table') on = ref(`table:${g.schema}.${g.name}`) ?? ref(`view:${g.schema}.${g.name}`)
        else if (g.on === 'function') on = ref(`function:${g.schema}.${g.name}(${g.args ?? ''})`)
        else if (g.on === 'type') {
          on = ref(`domain:${g.schema}.${g.name}`) ?? ref(`composite:${g.schema}.${g.name}`)
            ?? (this.model.enums.some((e) => e.schema === g.schema && e.name === g.name && e.values.length) ? ref(`enum:${g.schema}.${g.name}`) : undefined)
          // a type the definitions do not declare (an extension's, a base type) is named by its name
          const declared = [...this.model.enums, ...this.model.domains, ...(this.model.composites ?? [])].some((t) => t.schema === g.schema && t.name === g.name)
          if (on === undefined && !declared) on = `{ schema: ${jsString(g.schema)}, name: ${jsString(g.name)}, kind: 'type' }`
        } else on = `{ schema: ${jsString(g.schema)}, name: ${jsString(g.name)}, kind: ${jsString(g.on)} }`
        const target = `${g.on} ${qname(g.schema, g.name)}${g.args !== undefined ? `(${g.args})` : ''}${g.column !== undefined ? ` (column ${g.column})` : ''}`
        const object = g.revoke ? `revoke of ${g.privileges.join(', ')} on ${target} from PUBLIC` : `grant of ${g.privileges.join(', ')} on ${target} to ${g.role}`
        const gpath = `grants/${objectKey('grants', g as unknown as Record<string, unknown>)}`
        if (!this.managesRole(g.role)) {
          this.warn('lost_detail', 'unmanaged role', object, `${object}: ${ident(g.role)} is a role cairn does not manage (the connected user), so the grant is left out`, [gpath], file)
          f.notes.push(grantSql(g))
          continue
        }
        if (on === undefined) {
          this.warn('lost_detail', 'grant on an object not in the definitions', object, `${object}: the ${g.on} is not in the definitions, so neither is the grant`, [gpath], file)
          f.notes.push(grantSql(g))
          continue
        }
        if (g.revoke) {
          items.push(`${f.use('revoke')}([${g.privileges.map(jsString).join(', ')}], ${objectText([['on', on], ['from', jsString('public')]])})`)
          continue
        }
        const opts = objectText([
          ['on', on],
          g.column !== undefined ? ['columns', `[${jsString(g.column)}]`] : undefined,
          ['to', g.role === 'public' ? jsString('public') : this.roleRef(f, g.role)],
          g.withGrantOption ? ['withGrantOption', 'true'] : undefined,
        ])
        items.push(`${f.use('grant')}([${g.privileges.map(jsString).join(', ')}], ${opts})`)
      }
      if (items.length) {
        f.statements.push({ name: this.exportRef.get(`grants:${file}`)!.name, initializer: `[\n${items.join(',\n')},\n]`, comments: [] })
        this.count('grants', items.length)
      }
    }
  }

  // ---------------------------------------------------------------- domains, functions, triggers

  /** The builder call of a column of `type` written in `file` (enums and domains of that file by name). */
  typeFor(type: string, file: string): ReturnType<typeof typeCall> {
    return typeCall(
      type,
      this.enumsByType,
      (e) => (this.enumUsable(file, e) ? this.exportRef.get(`enum:${e.schema}.${e.name}`)?.name : undefined),
      this.domainsByType,
      (d) => (this.fileOfSchema(d.schema) === file ? this.exportRef.get(`domain:${d.schema}.${d.name}`)?.name : undefined),
    )
  }

  /** Domains, each after the domains of its file it is based on. */
  private domainsInOrder(): DomainDef[] {
    const out: DomainDef[] = []
    const seen = new Set<DomainDef>()
    const visit = (d: DomainDef, depth: number) => {
      if (seen.has(d) || depth > 32) return
      seen.add(d)
      const base = this.domainsByType.get(d.type.replace(/\[\]$/, ''))
      if (base) visit(base, depth + 1)
      out.push(d)
    }
    for (const d of this.domainCode.keys()) visit(d, 0)
    return out
  }

  private emitDomain(d: DomainDef): void {
    const file = this.fileOfSchema(d.schema)
    const f = this.file(file)
    const base = this.typeFor(d.type, file)
    if (base.enum) f.ref(this.exportRef.get(`enum:${base.enum.schema}.${base.enum.name}`)!)
    else if (base.domain) f.ref(this.exportRef.get(`domain:${base.domain.schema}.${base.domain.name}`)!)
    else f.use(base.fn)
    const entries = this.domainCode.get(d)!
    if (entries.some(([k]) => k === 'default' || k === 'check')) f.use('sql')
    const opts = objectText(entries)
    const sch = this.schemaRef(f, d.schema) ?? jsString(d.schema)
    f.statements.push({
      name: this.exportRef.get(`domain:${d.schema}.${d.name}`)!.name,
      initializer: `${f.use('domain')}(${sch}, ${jsString(d.name)}, ${typeCallText(base)}${opts ? `, ${opts}` : ''})`,
      comments: [],
    })
    this.count('domains')
  }

  private emitFunction(fn: FunctionDef): void {
    const file = this.fileOfSchema(fn.schema)
    const f = this.file(file)
    f.use('sql')
    const sch = this.schemaRef(f, fn.schema) ?? jsString(fn.schema)
    f.statements.push({
      name: this.exportRef.get(`function:${fn.schema}.${fn.name}(${fn.args})`)!.name,
      initializer: `${f.use('fn')}(${sch}, ${jsString(fn.name)}, ${objectText(this.functionCode.get(fn)!)})`,
      comments: [],
    })
    this.count(fn.isProcedure ? 'procedures' : 'functions')
  }

  /** `compositeType(schema, name, { attribute: type builder, … })`; enums and domains of its file by name, other types as customType. */
  private emitComposite(t: CompositeTypeDef): void {
    const file = this.fileOfSchema(t.schema)
    const f = this.file(file)
    const attrs = t.attributes.map((a) => {
      const call = this.typeFor(a.type, file)
      if (call.enum) f.ref(this.exportRef.get(`enum:${call.enum.schema}.${call.enum.name}`)!)
      else if (call.domain) f.ref(this.exportRef.get(`domain:${call.domain.schema}.${call.domain.name}`)!)
      else f.use(call.fn)
      return [propertyKey(a.name), attributeText(a, typeCallText(call))] as const
    })
    const sch = this.schemaRef(f, t.schema) ?? jsString(t.schema)
    const opts = t.comment !== undefined ? `, { comment: ${jsString(t.comment)} }` : ''
    f.statements.push({
      name: this.exportRef.get(`composite:${t.schema}.${t.name}`)!.name,
      initializer: `${f.use('compositeType')}(${sch}, ${jsString(t.name)}, ${objectText(attrs) || '{}'}${opts})`,
      comments: [],
    })
    this.count('composite types')
  }

  /** `collation(schema, name, { provider, locale | lcCollate, lcCtype, deterministic, comment })`, or its SQL in a comment where the DSL cannot say it. */
  private emitCollation(c: CollationDef): void {
    const file = this.fileOfSchema(c.schema)
    const f = this.file(file)
    const object = `collation ${qname(c.schema, c.name)}`
    const reason = c.provider === 'builtin' ? 'the builtin provider is not one the DSL takes'
      : c.rules !== undefined ? 'ICU tailoring rules are not expressible in the DSL'
      : c.provider === 'icu' && (c.locale === undefined || c.locale.includes('_')) ? `its ICU locale ${c.locale === undefined ? 'is missing' : `"${c.locale}" is not a language tag`}`
      : c.provider === 'libc' && (c.lcCollate === undefined || c.lcCtype === undefined) ? 'it has no LC_COLLATE or LC_CTYPE'
      : c.provider === 'libc' && !c.deterministic ? 'a nondeterministic libc collation is not expressible'
      : undefined
    if (reason) {
      this.warn('not_in_dsl', 'collation', object, `${object}: ${reason}; its SQL is in a comment in ${file}`, [`collations/${tkey(c.schema, c.name)}`], file)
      f.notes.push(createCollation(c))
      return
    }
    const sch = this.schemaRef(f, c.schema) ?? jsString(c.schema)
    const libc = c.provider === 'libc'
    const opts = objectText([
      ['provider', jsString(c.provider)],
      !libc ? ['locale', jsString(c.locale!)] : c.lcCollate === c.lcCtype ? ['locale', jsString(c.lcCollate!)] : undefined,
      libc && c.lcCollate !== c.lcCtype ? ['lcCollate', jsString(c.lcCollate!)] : undefined,
      libc && c.lcCollate !== c.lcCtype ? ['lcCtype', jsString(c.lcCtype!)] : undefined,
      !c.deterministic ? ['deterministic', 'false'] : undefined,
      c.comment !== undefined ? ['comment', jsString(c.comment)] : undefined,
    ])
    f.statements.push({
      name: this.exportRef.get(`collation:${c.schema}.${c.name}`)!.name,
      initializer: `${f.use('collation')}(${sch}, ${jsString(c.name)}, ${opts})`,
      comments: [],
    })
    this.count('collations')
  }

  /** Where default privileges are written: their schema's file, or roles.ts for the database-wide ones. */
  private defaultPrivilegesFile(d: DefaultPrivilegeDef): string {
    return d.schema !== undefined ? this.fileOfSchema(d.schema) : 'roles.ts'
  }

  /** `defaultPrivileges({ forRole, inSchema, on, grant, to, withGrantOption })` or `{ …, revoke, from }`, one array per file. */
  private emitDefaultPrivileges(): void {
    const byFile = new Map<string, DefaultPrivilegeDef[]>()
    for (const d of this.model.defaultPrivileges ?? []) {
      const file = this.defaultPrivilegesFile(d)
      byFile.set(file, [...(byFile.get(file) ?? []), d])
    }
    for (const [file, entries] of byFile) {
      const f = this.file(file)
      const items: string[] = []
      for (const d of entries) {
        const object = defaultPrivilegesObject(d)
        const unmanaged = [d.role, d.grantee].filter((r): r is string => r !== undefined && !this.managesRole(r))
        if (unmanaged.length) {
          this.warn('lost_detail', 'unmanaged role', object, `${object}: ${unmanaged.map(ident).join(', ')} is a role cairn does not manage (the connected user), so the entry is left out; its SQL is in a comment in ${file}`,
            [`defaultPrivileges/${objectKey('defaultPrivileges', d as unknown as Record<string, unknown>)}`], file)
          f.notes.push(alterDefaultPrivileges(d, d.revoke ? 'revoke' : 'grant'))
          continue
        }
        const who = (r: string) => (r === 'public' ? jsString('public') : this.roleRef(f, r))
        const privileges = `[${d.privileges.map(jsString).join(', ')}]`
        items.push(`${f.use('defaultPrivileges')}(${objectText([
          d.role !== undefined ? ['forRole', this.roleRef(f, d.role)] : undefined,
          d.schema !== undefined ? ['inSchema', this.schemaRef(f, d.schema) ?? jsString(d.schema)] : undefined,
          ['on', jsString(d.on)],
          d.revoke ? ['revoke', privileges] : ['grant', privileges],
          d.revoke ? ['from', who(d.grantee)] : ['to', who(d.grantee)],
          d.withGrantOption ? ['withGrantOption', 'true'] : undefined,
        ])})`)
      }
      if (items.length) {
        f.statements.push({ name: this.exportRef.get(`defaultPrivileges:${file}`)!.name, initializer: `[\n${items.join(',\n')},\n]`, comments: [] })
        this.count('default privileges', items.length)
      }
    }
  }

  /** The file of an event trigger: its function's schema's (database-wide, it has none of its own). */
  private eventTriggerFile(e: EventTriggerDef): string | undefined {
    const fn = this.model.functions.find((f) => qname(f.schema, f.name) === e.function)
    return fn ? this.fileOfSchema(fn.schema) : undefined
  }

  /** `eventTrigger(name, { event, tags, function, enabled, comment })`, its function as its fn() object when written in the same file. */
  private emitEventTrigger(e: EventTriggerDef): void {
    const file = this.eventTriggerFile(e)
    if (!file) {
      const object = `event trigger ${ident(e.name)}`
      this.warn('not_in_dsl', 'event trigger', object, `${object}: its function ${e.function} is not one the definitions hold; its SQL is in a comment in ${this.indexFile}`, [`eventTriggers/${e.name}`])
      return
    }
    const f = this.file(file)
    const same = [...this.functionCode.keys()].filter((x) => qname(x.schema, x.name) === e.function)
    const r = same.length === 1 ? this.exportRef.get(`function:${same[0]!.schema}.${same[0]!.name}(${same[0]!.args})`) : undefined
    const entries: [string, string][] = [['event', jsString(e.event)]]
    if (e.tags) entries.push(['tags', `[${e.tags.map(jsString).join(', ')}]`])
    entries.push(['function', r && r.file === file ? f.ref(r) : jsString(e.function)])
    if (e.enabled) entries.push(['enabled', jsString(e.enabled)])
    if (e.comment !== undefined) entries.push(['comment', jsString(e.comment)])
    f.statements.push({
      name: this.exportRef.get(`event_trigger:${e.name}`)!.name,
      initializer: `${f.use('eventTrigger')}(${jsString(e.name)}, ${objectText(entries)})`,
      comments: [],
    })
    this.count('event triggers')
  }

  /** `aggregate(schema, name, { … })`, its support functions as their fn() objects when written in the same file. */
  private emitAggregate(a: AggregateDef): void {
    const file = this.fileOfSchema(a.schema)
    const f = this.file(file)
    const written = [...this.functionCode.keys()]
    const w = aggregateOptions(a, (qualified) => {
      const same = written.filter((x) => qname(x.schema, x.name) === qualified)
      const r = same.length === 1 ? this.exportRef.get(`function:${same[0]!.schema}.${same[0]!.name}(${same[0]!.args})`) : undefined
      return r && r.file === file ? f.ref(r) : jsString(qualified)
    })
    if ('reason' in w) {
      const object = `aggregate ${aggregateSignature(a)}`
      this.warn('not_in_dsl', 'aggregate', object, `${object}: ${w.reason}; its SQL is in a comment in ${file}`, [`aggregates/${a.schema}.${a.name}(${a.args})`], file)
      f.notes.push(createAggregate(a))
      return
    }
    const sch = this.schemaRef(f, a.schema) ?? jsString(a.schema)
    f.statements.push({
      name: this.exportRef.get(`aggregate:${a.schema}.${a.name}(${a.args})`)!.name,
      initializer: `${f.use('aggregate')}(${sch}, ${jsString(a.name)}, ${objectText(w.entries)})`,
      comments: [],
    })
    this.count('aggregates')
  }

  private triggerFile(t: TriggerDef): string {
    const table = this.tables.get(tkey(t.schema, t.table))
    return table ? this.fileOfTable(table) : this.fileOfSchema(t.schema)
  }

  private emitTrigger(t: TriggerDef): void {
    const file = this.triggerFile(t)
    const f = this.file(file)
    const object = `trigger ${ident(t.name)} on ${qname(t.schema, t.table)}`
    // the function as its fn() object when that is written in this file, else by name
    const fnByName = new Map(
      [...this.functionCode.keys()].map((x) => [qname(x.schema, x.name), x] as const).filter(([k]) => [...this.functionCode.keys()].filter((y) => qname(y.schema, y.name) === k).length === 1),
    )
    const w = triggerOptions(t, (qualified) => {
      const x = fnByName.get(qualified)
      const r = x ? this.exportRef.get(`function:${x.schema}.${x.name}(${x.args})`) : undefined
      return r && r.file === file ? f.ref(r) : jsString(qualified)
    })
    if ('reason' in w) {
      this.warn('not_in_dsl', 'trigger', object, `${object}: ${w.reason}; its SQL is in a comment in ${file}`, [`triggers/${t.schema}.${t.table}.${t.name}`], file)
      f.notes.push(createTrigger(t))
      return
    }
    const target = this.exportRef.get(`table:${t.schema}.${t.table}`) ?? this.exportRef.get(`view:${t.schema}.${t.table}`)
    const on = target && target.file === file ? f.ref(target) : `{ schema: ${jsString(t.schema)}, name: ${jsString(t.table)} }`
    if (w.entries.some(([k]) => k === 'when')) f.use('sql')
    f.statements.push({
      name: this.exportRef.get(`trigger:${t.schema}.${t.table}.${t.name}`)!.name,
      initializer: `${f.use('trigger')}(${on}, ${jsString(t.name)}, ${objectText(w.entries)})`,
      comments: [],
    })
    this.count('triggers')
  }

  // ---------------------------------------------------------------- what the DSL cannot say

  private emitNotes(): void {
    const m = this.model
    for (const d of m.domains) {
      if (this.domainCode.has(d)) continue
      const file = this.fileOfSchema(d.schema)
      const object = `domain ${qname(d.schema, d.name)}`
      const w = domainOptions(d)
      this.warn('not_in_dsl', 'domain', object, `${object}: ${'reason' in w ? w.reason : 'not written'}; its SQL is in a comment in ${file}, its columns use customType`, [`domains/${tkey(d.schema, d.name)}`], file)
      this.file(file).notes.push(createDomain(d))
    }
    for (const fn of m.functions) {
      if (this.functionCode.has(fn) || this.touchFunctions.has(fn)) continue
      const file = this.fileOfSchema(fn.schema)
      const object = `${fn.isProcedure ? 'procedure' : 'function'} ${qname(fn.schema, fn.name)}(${fn.args})`
      const w = functionOptions(fn)
      this.warn('not_in_dsl', fn.isProcedure ? 'procedure' : 'function', object, `${object}: ${'reason' in w ? w.reason : 'not written'}; its SQL is in a comment in ${file}`, [`functions/${tkey(fn.schema, fn.name)}(${fn.args})`], file)
      this.file(file).notes.push(createFunction(fn))
    }
    for (const u of m.unmodelled ?? []) {
      const file = u.schema !== undefined ? this.fileOfSchema(u.schema) : this.indexFile
      this.warn('unmodelled', u.kind, u.name, `${u.name} (${u.kind}): cairn does not model this kind of object, so the definitions cannot hold it`, [], file)
      if (file !== this.indexFile) this.file(file).notes.push(`-- ${u.kind}: ${u.name}`)
    }
  }

  // ---------------------------------------------------------------- output

  private render(): PulledFile[] {
    const project = new Project({
      useInMemoryFileSystem: true,
      manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces },
    })
    const dslImport = this.options.dslImport ?? DSL_IMPORT
    const out: PulledFile[] = []
    const order = [...this.files.keys()].sort((a, b) => (a === 'roles.ts' ? 1 : b === 'roles.ts' ? -1 : cmp(a, b)))
    for (const path of order) {
      const f = this.files.get(path)!
      const sf = project.createSourceFile(`/${path}`, '', { overwrite: true })
      const head = [`/** ${f.header} */`]
      if (f.dsl.size || f.dslTypes.size) {
        head.push(importText([...[...f.dsl].sort(cmp), ...[...f.dslTypes].sort(cmp).map((n) => `type ${n}`)], dslImport))
      }
      for (const [from, names] of [...f.imports].sort(([a], [b]) => cmp(a, b))) head.push(importText([...names].sort(cmp), `./${from.replace(/\.ts$/, '.js')}`))
      sf.addStatements(head.join('\n'))
      let previousLong = true
      sf.addVariableStatements(
        f.statements.map((s) => {
          const long = s.initializer!.includes('\n') || s.comments.length > 0
          const blank = long || previousLong
          previousLong = long
          const comments = s.comments.flatMap((c) => lineComments(c))
          return {
            isExported: true,
            declarationKind: VariableDeclarationKind.Const,
            declarations: [{ name: s.name!, initializer: s.initializer! }],
            ...(blank || comments.length ? { leadingTrivia: (blank ? '\n' : '') + comments.map((c) => `${c}\n`).join('') } : {}),
          }
        }),
      )
      if (f.notes.length) {
        const lines = [
          'Not in these definitions: the DSL cannot express the objects below yet, so cairn pull left them out.',
          'They stay in the database; keep them in a hand-written migration (a `cairn generate` over a history',
          'that has them would propose to drop them, which it refuses as destructive).',
          '',
          ...f.notes.flatMap((n, i) => [...(i ? [''] : []), ...n.split('\n')]),
        ]
        sf.addStatements('\n' + lineComments(lines.join('\n')).join('\n'))
      }
      sf.formatText({ indentSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Remove })
      out.push({ path, text: sf.getFullText().replace(/\n{3,}/g, '\n\n').replace(/^\s+/, '') })
    }
    const index = project.createSourceFile(`/${this.indexFile}`, '', { overwrite: true })
    index.addStatements('/** The definitions pulled from the database by `cairn pull`: one module per schema, and the roles. */')
    for (const path of order) index.addExportDeclaration({ moduleSpecifier: `./${path.replace(/\.ts$/, '.js')}` })
    const global = (this.model.unmodelled ?? []).filter((u) => u.schema === undefined)
    if (global.length) {
      index.addStatements(
        lineComments(['Objects of kinds cairn does not model, outside any schema (not in these definitions):', ...global.map((u) => `- ${u.kind}: ${u.name}`)].join('\n')).join('\n'),
      )
    }
    index.formatText({ indentSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Remove })
    out.unshift({ path: this.indexFile, text: index.getFullText() })
    return out
  }

  // ---------------------------------------------------------------- shared with TableWriter

  private readonly keysCache = new Map<TableDef, Map<string, { key: string; explicitName?: string }>>()

  /**
   * Column property keys: the SQL name, except where an object key cannot be one (`__proto__`,
   * or a name the table object uses itself, `$name`): then another key and the name given explicitly.
   */
  columnKeys(t: TableDef): Map<string, { key: string; explicitName?: string }> {
    let out = this.keysCache.get(t)
    if (out) return out
    out = new Map()
    const used = new Set(t.columns.map((c) => c.name))
    for (const c of t.columns) {
      if (!RESERVED_KEYS.has(c.name)) {
        out.set(c.name, { key: c.name })
        continue
      }
      let key = toIdentifier(`${c.name}_`)
      for (let n = 2; used.has(key); n++) key = toIdentifier(`${c.name}_${n}`)
      used.add(key)
      out.set(c.name, { key, explicitName: c.name })
    }
    this.keysCache.set(t, out)
    return out
  }

  /** @internal */
  get state() {
    return {
      tables: this.tables,
      enumsByType: this.enumsByType,
      exportRef: this.exportRef,
      serialCols: this.serialCols,
      fkComp: this.fkComp,
      roles: this.roles,
    }
  }

  /** @internal */
  enumUsableFrom(file: string, e: EnumDef): boolean {
    return this.enumUsable(file, e)
  }

  /** @internal */
  warnFrom(code: PullWarningCode, category: string, object: string, message: string, covers: readonly string[], file: string): void {
    this.warn(code, category, object, message, covers, file)
  }

  /** @internal */
  partitionByFor(t: TableDef, file: string): string | undefined {
    return this.partitionByText(t, file)
  }

  /** @internal */
  partitionKeyFor(t: TableDef): ReturnType<Puller['partitionKeyOption']> {
    return this.partitionKeyOption(t)
  }
}

// ------------------------------------------------------------------ one table

interface ColumnPlan {
  readonly def: ColumnDef
  readonly key: string
  readonly explicitName?: string
  readonly type: TypeCall | undefined
  readonly serial?: string
  /** Written by a helper spread (`...timestamps()`): no modifiers of its own. */
  spread?: 'timestamps' | 'softDelete' | 'tenantScoped'
  pk?: NamedSpec
  unique?: { spec: NamedSpec; nnd: boolean }
  fk?: { spec: NamedSpec; def: ForeignKeyDef }
  index?: NamedSpec
}

type Extra =
  | { kind: 'pk'; spec: NamedSpec; columns: readonly string[]; with?: Readonly<Record<string, string>>; comment?: string }
  | { kind: 'unique'; spec: NamedSpec; def: UniqueDef; tenantKey: boolean }
  | { kind: 'fk'; spec: NamedSpec; def: ForeignKeyDef; tenantReference: boolean }
  | { kind: 'index'; spec: NamedSpec; def: IndexDef }

class TableWriter {
  readonly comments: string[] = []
  private readonly cols: ColumnPlan[] = []
  private readonly extras: Extra[] = []
  private readonly path: string
  private readonly object: string
  private order = 0

  constructor(
    private readonly p: Puller,
    private readonly t: TableDef,
    private readonly f: FileOut,
    private readonly file: string,
  ) {
    this.path = tpath(t)
    this.object = `table ${qname(t.schema, t.name)}`
  }

  private lost(category: string, path: string, what: string): void {
    this.p.warnFrom('lost_detail', category, this.object, `${this.object}: ${what}, which the DSL cannot declare`, [path], this.file)
    this.comments.push(`cairn pull: not expressible: ${what}`)
  }

  private spec(actual: string, label: NamedSpec['label'], addition: string | undefined, inline: boolean, alwaysExplicit = false): NamedSpec {
    // a name Postgres could have chosen (`t_a_key`, or numbered `t_a_key1`) may be left to the DSL
    const n = /(\d+)$/.exec(actual)?.[1]
    const chosen = actual === makeObjectName(this.t.name, addition, label) || (n !== undefined && actual === makeObjectName(this.t.name, addition, `${label}${n}`))
    return { actual, label, addition, explicit: alwaysExplicit || !chosen, alwaysExplicit, inline, order: this.order++ }
  }

  write(): string {
    this.plan()
    this.settleNames()
    return this.text()
  }

  // ---- planning: where each constraint goes

  private plan(): void {
    const t = this.t
    const st = this.p.state
    const keys = this.p.columnKeys(t)
    for (const c of t.columns) {
      const { key, explicitName } = keys.get(c.name)!
      const serial = st.serialCols.get(`${t.schema}.${t.name}.${c.name}`)
      const type = serial ? undefined : this.p.typeFor(c.type, this.file)
      this.cols.push({ def: c, key, ...(explicitName !== undefined ? { explicitName } : {}), type, ...(serial ? { serial: SERIAL_FN[serial.type]! } : {}) })
    }
    const col = (name: string) => this.cols.find((c) => c.def.name === name)!

    // helper spreads: timestamps(), softDelete()
    this.cols.forEach((c, i) => {
      const next = this.cols[i + 1]
      const stamp = (x: ColumnDef) => stableJson(x) === stableJson({ name: x.name, type: 'timestamp with time zone', notNull: true, default: 'now()' })
      if (c.def.name === 'created_at' && next?.def.name === 'updated_at' && stamp(c.def) && stamp(next.def) && !c.spread) {
        c.spread = 'timestamps'
        next.spread = 'timestamps'
      }
      if (c.def.name === 'deleted_at' && stableJson(c.def) === stableJson({ name: 'deleted_at', type: 'timestamp with time zone', notNull: false })) c.spread = 'softDelete'
    })

    // tenantScoped(): tenant_id uuid (or bigint) NOT NULL, its foreign key and its index, all default-named
    const tc = this.cols.find((c) => c.def.name === 'tenant_id')
    let tenantFk: ForeignKeyDef | undefined
    let tenantIx: IndexDef | undefined
    if (tc && ['uuid', 'bigint'].some((type) => stableJson(tc.def) === stableJson({ name: 'tenant_id', type, notNull: true })) && !tc.spread) {
      tenantFk = t.foreignKeys.find(
        (fk) => fk.columns.length === 1 && fk.columns[0] === 'tenant_id' && fk.name === makeObjectName(t.name, 'tenant_id', 'fkey') &&
          fk.onUpdate === 'no action' && !fk.deferrable && !fk.initiallyDeferred && fk.match === undefined &&
          st.tables.has(tkey(fk.refSchema, fk.refTable)) && !(fk.refSchema === t.schema && fk.refTable === t.name),
      )
      tenantIx = t.indexes.find((ix) => ix.name === makeObjectName(t.name, 'tenant_id', 'idx') && this.plainColumnIndex(ix) === 'tenant_id')
      if (tenantFk && tenantIx) tc.spread = 'tenantScoped'
      else tenantFk = tenantIx = undefined
    }

    // primary key
    const pk = t.primaryKey
    if (pk) {
      if (pk.deferrable || pk.initiallyDeferred) this.lost('deferrable primary key', `${this.path}/primaryKey`, `primary key ${ident(pk.name)} is DEFERRABLE`)
      // a comment or storage parameters need primaryKey({ … }): .primaryKey() on a column cannot say them
      const single = pk.columns.length === 1 && !col(pk.columns[0]!).spread && pk.comment === undefined && pk.with === undefined
      const spec = this.spec(pk.name, 'pkey', undefined, single)
      if (single) col(pk.columns[0]!).pk = spec
      else this.extras.push({ kind: 'pk', spec, columns: pk.columns, ...(pk.with ? { with: pk.with } : {}), ...(pk.comment !== undefined ? { comment: pk.comment } : {}) })
    }

    // unique constraints (inline: one per column, not deferrable)
    for (const u of t.uniques) {
      const c = u.columns.length === 1 ? col(u.columns[0]!) : undefined
      if (c && !c.spread && !c.unique && !u.deferrable && !u.initiallyDeferred && u.comment === undefined && u.with === undefined) {
        c.unique = { spec: this.spec(u.name, 'key', nameAddition(u.columns), true), nnd: u.nullsNotDistinct === true }
        continue
      }
      const tenantKey = JSON.stringify(u.columns) === '["tenant_id","id"]' && !u.nullsNotDistinct && !u.deferrable && !u.initiallyDeferred && u.comment === undefined && u.with === undefined
      this.extras.push({ kind: 'unique', spec: this.spec(u.name, 'key', nameAddition(u.columns), false), def: u, tenantKey })
    }

    for (const c of t.checks) {
      if (c.noInherit) this.lost('check NO INHERIT', `${this.path}/checks/${c.name}/noInherit`, `check ${ident(c.name)} is NO INHERIT`)
      if (c.notValid) this.lost('NOT VALID constraint', `${this.path}/checks/${c.name}/notValid`, `check ${ident(c.name)} is NOT VALID`)
    }
    for (const fk of t.foreignKeys) {
      if (fk.notValid) this.lost('NOT VALID constraint', `${this.path}/foreignKeys/${fk.name}/notValid`, `foreign key ${ident(fk.name)} is NOT VALID`)
      if (fk.onDeleteColumns?.length) {
        this.lost('foreign key ON DELETE column list', `${this.path}/foreignKeys/${fk.name}/onDeleteColumns`, `foreign key ${ident(fk.name)} sets only ${fk.onDeleteColumns.join(', ')} on delete`)
      }
    }
    for (const k of [...(pk ? [pk] : []), ...t.uniques]) {
      if (k.include?.length) this.lost('key INCLUDE columns', `${this.path}/constraints/${k.name}/include`, `key ${ident(k.name)} INCLUDEs ${k.include.join(', ')}`)
    }
    const keyIndexComments = Object.entries(t.keyIndexComments ?? {})
    if (keyIndexComments.length) {
      const what = keyIndexComments.map(([name, text]) => `the index of key ${ident(name)} has the comment ${JSON.stringify(text)}`).join('; ')
      this.lost('comment on a key\'s index', `${this.path}/keyIndexComments`, what)
    }

    // foreign keys
    for (const fk of t.foreignKeys) {
      if (!st.tables.has(tkey(fk.refSchema, fk.refTable))) {
        this.lost('foreign key to a table not pulled', `${this.path}/foreignKeys/${fk.name}`, `foreign key ${ident(fk.name)} references ${qname(fk.refSchema, fk.refTable)}, which was not pulled`)
        continue
      }
      if (fk === tenantFk) {
        if (fk.comment !== undefined) this.lost('constraint comment', `${this.path}/foreignKeys/${fk.name}/comment`, `foreign key ${ident(fk.name)} has a comment`)
        tc!.fk = { spec: this.spec(fk.name, 'fkey', 'tenant_id', true), def: fk }
        continue
      }
      const self = fk.refSchema === t.schema && fk.refTable === t.name
      const c = fk.columns.length === 1 ? col(fk.columns[0]!) : undefined
      if (c && !c.spread && !c.fk && !self && fk.match === undefined && fk.comment === undefined) {
        c.fk = { spec: this.spec(fk.name, 'fkey', nameAddition(fk.columns), true), def: fk }
        continue
      }
      const tenantReference =
        fk.columns.length === 2 && fk.columns[0] === 'tenant_id' && fk.columns[1] !== 'tenant_id' &&
        JSON.stringify(fk.refColumns) === '["tenant_id","id"]' && !fk.deferrable && !fk.initiallyDeferred && fk.match === undefined && fk.comment === undefined
      this.extras.push({ kind: 'fk', spec: this.spec(fk.name, 'fkey', nameAddition(fk.columns), false, tenantReference), def: fk, tenantReference })
    }

    // indexes
    for (const ix of t.indexes) {
      if (ix === tenantIx) {
        tc!.index = this.spec(ix.name, 'idx', 'tenant_id', true)
        continue
      }
      const plain = this.plainColumnIndex(ix)
      const c = plain !== undefined ? col(plain) : undefined
      if (c && !c.spread && !c.index) {
        c.index = this.spec(ix.name, 'idx', nameAddition([plain!]), true)
        continue
      }
      const keyNames = ix.keys.map((k) => k.column ?? expressionColumnName(k.expression ?? ''))
      this.extras.push({ kind: 'index', spec: this.spec(ix.name, 'idx', nameAddition(dedupeKeyNames(keyNames)), false), def: ix })
    }
  }

  /** The column of an index that `.index()` on that column makes, or undefined. */
  private plainColumnIndex(ix: IndexDef): string | undefined {
    const k = ix.keys[0]
    const extra = Object.keys(ix).filter((x) => !['name', 'unique', 'method', 'keys', 'include', 'with', 'where', 'nullsNotDistinct', 'comment'].includes(x))
    if (ix.keys.length !== 1 || !k || k.column === undefined || Object.keys(k).length !== 1) return undefined
    if (ix.unique || ix.method !== 'btree' || ix.include.length || Object.keys(ix.with).length || ix.where !== undefined || ix.nullsNotDistinct || ix.comment !== undefined || extra.length) return undefined
    return k.column
  }

  /**
   * Default names in the DSL's order (primary key, unique constraints, foreign keys, indexes; column
   * ones before extras), avoiding the names given explicitly, as Postgres would: every name that the
   * DSL would choose differently is written out, until the defaults left all come out right.
   */
  private settleNames(): void {
    const specs = (inline: boolean, pick: (c: ColumnPlan) => NamedSpec | undefined, kind: Extra['kind']) => [
      ...this.cols.map(pick).filter((s): s is NamedSpec => s !== undefined && inline),
      ...this.extras.filter((x) => x.kind === kind).map((x) => x.spec),
    ]
    const pks = specs(true, (c) => c.pk, 'pk')
    const uniques = specs(true, (c) => c.unique?.spec, 'unique')
    const fks = specs(true, (c) => c.fk?.spec, 'fk')
    const indexes = specs(true, (c) => c.index, 'index')
    const serialSeqs = this.cols.filter((c) => c.serial).map((c) => makeObjectName(this.t.name, c.def.name, 'seq'))
    for (let round = 0; round < 1000; round++) {
      const takenRel = new Set<string>([this.t.name, ...serialSeqs])
      const takenCon = new Set<string>(this.t.checks.map((c) => c.name))
      for (const s of [...pks, ...uniques]) if (s.explicit) (takenRel.add(s.actual), takenCon.add(s.actual))
      for (const s of fks) if (s.explicit) takenCon.add(s.actual)
      for (const s of indexes) if (s.explicit) takenRel.add(s.actual)
      let wrong: NamedSpec | undefined
      const assign = (s: NamedSpec, name: string, rel: boolean, con: boolean) => {
        if (name !== s.actual && !wrong) wrong = s
        if (rel) takenRel.add(name)
        if (con) takenCon.add(name)
      }
      for (const s of pks) if (!s.explicit) assign(s, chooseName(this.t.name, undefined, 'pkey', new Set([...takenRel, ...takenCon])), true, true)
      for (const s of uniques) if (!s.explicit) assign(s, chooseName(this.t.name, s.addition, 'key', new Set([...takenRel, ...takenCon])), true, true)
      for (const s of fks) if (!s.explicit) assign(s, chooseName(this.t.name, s.addition, 'fkey', takenCon), false, true)
      for (const s of indexes) if (!s.explicit) assign(s, chooseName(this.t.name, s.addition, 'idx', takenRel), true, false)
      if (!wrong) break
      wrong.explicit = true
    }
    // an inline primary key cannot be named, and tenantScoped() names nothing: move or unfold them
    for (const c of this.cols) {
      if (c.pk?.explicit) {
        this.extras.unshift({ kind: 'pk', spec: c.pk, columns: [c.def.name] })
        c.pk = undefined
      }
      if (c.spread === 'tenantScoped' && (c.fk?.spec.explicit || c.index?.explicit || c.unique || c.pk)) c.spread = undefined
    }
  }

  // ---- text

  /** `exclude(name).using(…).on(…)…` for an EXCLUDE constraint, or undefined when exclude() cannot say it. */
  private exclusionText(x: ExclusionDef): string | undefined {
    const p = parseExclusion(x.definition)
    if (!p || p.elements.some((e) => e.column !== undefined && !this.cols.some((c) => c.def.name === e.column))) return undefined
    const f = this.f
    let s = `${f.use('exclude')}(${jsString(x.name)})`
    if (p.method !== 'gist') s += `.using(${jsString(p.method)})`
    for (const e of p.elements) {
      s += `.on(${e.column !== undefined ? this.columnRef(e.column) : f.use('sql') && sqlTemplate(e.expression!)}, ${jsString(e.operator)})`
    }
    if (p.where !== undefined) s += `.where(${f.use('sql') && sqlTemplate(p.where)})`
    if (p.deferrable) s += p.deferrable === 'deferred' ? `.deferrable('deferred')` : '.deferrable()'
    if (x.comment !== undefined) s += `.comment(${jsString(x.comment)})`
    return s
  }

  private columnRef(name: string): string {
    const c = this.cols.find((x) => x.def.name === name)
    return member('t', c?.key ?? name)
  }

  private tableRef(schema: string, name: string): string {
    return this.f.ref(this.p.state.exportRef.get(`table:${schema}.${name}`)!)
  }

  /** `() => users.id`, annotated when the two tables reference each other (TypeScript needs it then). */
  private thunk(refSchema: string, refTable: string, body: string, type: 'AnyColumn' | 'AnyColumn[]' | 'AnyTable'): string {
    const st = this.p.state
    const here = tkey(this.t.schema, this.t.name)
    const there = tkey(refSchema, refTable)
    const cyclic = here === there || (st.fkComp.get(here) === st.fkComp.get(there) && st.fkComp.get(here) !== undefined)
    if (!cyclic) return `() => ${body}`
    this.f.useType(type.replace('[]', ''))
    return `(): ${type} => ${body}`
  }

  private fkOptions(fk: ForeignKeyDef, name: boolean): [string, string][] {
    const out: [string, string][] = []
    if (name) out.push(['name', jsString(fk.name)])
    if (fk.onDelete !== 'no action') out.push(['onDelete', jsString(fk.onDelete)])
    if (fk.onUpdate !== 'no action') out.push(['onUpdate', jsString(fk.onUpdate)])
    if (fk.deferrable || fk.initiallyDeferred) out.push(['deferrable', fk.initiallyDeferred ? jsString('deferred') : 'true'])
    return out
  }

  private columnText(c: ColumnPlan): string {
    const f = this.f
    const d = c.def
    const st = this.p.state
    let s: string
    if (c.serial) s = `${f.use(c.serial)}(${c.explicitName !== undefined ? jsString(c.explicitName) : ''})`
    else {
      const tc = c.type!
      if (tc.enum) f.ref(st.exportRef.get(`enum:${tc.enum.schema}.${tc.enum.name}`)!)
      else if (tc.domain) f.ref(st.exportRef.get(`domain:${tc.domain.schema}.${tc.domain.name}`)!)
      else f.use(tc.fn)
      s = typeCallText(tc, c.explicitName)
    }
    const implied = c.pk !== undefined || d.identity !== undefined || c.serial !== undefined
    if (c.pk) s += '.primaryKey()'
    if (d.notNull && !implied) s += '.notNull()'
    if (c.unique) {
      const u = c.unique
      if (u.nnd) s += `.unique(${objectText([u.spec.explicit ? ['name', jsString(u.spec.actual)] : undefined, ['nullsNotDistinct', 'true']])})`
      else s += u.spec.explicit ? `.unique(${jsString(u.spec.actual)})` : '.unique()'
    }
    if (!c.serial && c.type) {
      const dt = defaultText(d, c.type)
      if (dt) {
        if ('method' in dt) s += `.${dt.method}()`
        else if ('value' in dt) s += `.default(${dt.value})`
        else s += `.default(${f.use('sql') && dt.sql})`
      }
    }
    if (d.identity !== undefined) {
      const o = d.identityOptions ?? {}
      const opts = objectText(
        (['start', 'increment', 'min', 'max', 'cache'] as const)
          .map((k) => (o[k] !== undefined ? ([k, integerText(o[k]!)] as [string, string]) : undefined))
          .concat(o.cycle ? [['cycle', 'true']] : []),
      )
      s += `.${d.identity === 'always' ? 'generatedAlwaysAsIdentity' : 'generatedByDefaultAsIdentity'}(${opts})`
    }
    if (d.generated !== undefined) s += `.generatedAlwaysAs(${f.use('sql') && sqlTemplate(d.generated)})`
    if (c.fk) {
      const fk = c.fk.def
      const target = member(this.tableRef(fk.refSchema, fk.refTable), this.targetKey(fk.refSchema, fk.refTable, fk.refColumns[0]!))
      const opts = objectText(this.fkOptions(fk, c.fk.spec.explicit))
      s += `.references(${this.thunk(fk.refSchema, fk.refTable, target, 'AnyColumn')}${opts ? `, ${opts}` : ''})`
    }
    if (c.index) s += c.index.explicit ? `.index(${jsString(c.index.actual)})` : '.index()'
    if (d.collation !== undefined) s += `.collate(${jsString(d.collation)})`
    if (d.storage !== undefined) s += `.storage(${jsString(d.storage)})`
    if (d.compression !== undefined) s += `.compression(${jsString(d.compression)})`
    if (d.comment !== undefined) s += `.comment(${jsString(d.comment)})`
    return s
  }

  /** The property key of a column of another table. */
  private targetKey(schema: string, table: string, column: string): string {
    const t = this.p.state.tables.get(tkey(schema, table))
    return (t && this.p.columnKeys(t).get(column)?.key) ?? column
  }

  private indexKeyText(k: IndexKey): string {
    const f = this.f
    let s: string
    const mods = k.desc || k.nullsFirst !== undefined || k.opclass !== undefined
    if (k.column !== undefined) {
      s = this.columnRef(k.column)
      if (k.desc) s += '.desc()'
      if (k.nullsFirst === true) s += '.nullsFirst()'
      if (k.nullsFirst === false) s += '.nullsLast()'
      if (k.opclass !== undefined) s += `.op(${jsString(k.opclass)})`
      if (k.collation !== undefined) s = `{ ...${k.desc || k.nullsFirst !== undefined || k.opclass !== undefined ? s : `${s}.asc()`}, collation: ${jsString(k.collation)} }`
      return s
    }
    f.use('sql')
    const e = sqlTemplate(k.expression ?? '')
    if (!mods && k.collation === undefined) return e
    s = `${f.use('expr')}(${e})`
    if (k.desc) s += '.desc()'
    if (k.nullsFirst === true) s += '.nullsFirst()'
    if (k.nullsFirst === false) s += '.nullsLast()'
    if (k.opclass !== undefined) s += `.op(${jsString(k.opclass)})`
    if (k.collation !== undefined) s = `{ ...${s}, collation: ${jsString(k.collation)} }`
    return s
  }

  private extraText(x: Extra): string {
    const f = this.f
    const t = this.t
    switch (x.kind) {
      case 'pk':
        return `${f.use('primaryKey')}(${objectText([
          ['columns', `[${x.columns.map((c) => this.columnRef(c)).join(', ')}]`], x.spec.explicit ? ['name', jsString(x.spec.actual)] : undefined,
          x.with ? ['with', storageObject(x.with)] : undefined, x.comment !== undefined ? ['comment', jsString(x.comment)] : undefined,
        ])})`
      case 'unique': {
        if (x.tenantKey) return `${f.use('tenantKey')}(${x.spec.explicit ? `{ name: ${jsString(x.spec.actual)} }` : ''})`
        let s = `${f.use('unique')}(${x.spec.explicit ? jsString(x.spec.actual) : ''}).on(${x.def.columns.map((c) => this.columnRef(c)).join(', ')})`
        if (x.def.nullsNotDistinct) s += '.nullsNotDistinct()'
        if (x.def.deferrable || x.def.initiallyDeferred) s += x.def.initiallyDeferred ? `.deferrable('deferred')` : '.deferrable()'
        if (x.def.with) s += `.with(${storageObject(x.def.with)})`
        if (x.def.comment !== undefined) s += `.comment(${jsString(x.def.comment)})`
        return s
      }
      case 'fk': {
        const fk = x.def
        if (x.tenantReference) {
          const opts = objectText([
            fk.name !== makeObjectName(t.name, fk.columns[1]!, 'fkey') ? ['name', jsString(fk.name)] : undefined,
            ...this.fkOptions(fk, false),
          ])
          const parent = this.thunk(fk.refSchema, fk.refTable, this.tableRef(fk.refSchema, fk.refTable), 'AnyTable')
          return `${f.use('tenantReference')}(${this.columnRef(fk.columns[1]!)}, ${parent}${opts ? `, ${opts}` : ''})`
        }
        const self = fk.refSchema === t.schema && fk.refTable === t.name
        const targets = fk.refColumns.map((c) => (self ? this.columnRef(c) : member(this.tableRef(fk.refSchema, fk.refTable), this.targetKey(fk.refSchema, fk.refTable, c))))
        const foreign = self ? `[${targets.join(', ')}]` : this.thunk(fk.refSchema, fk.refTable, `[${targets.join(', ')}]`, 'AnyColumn[]')
        return `${f.use('foreignKey')}(${objectText([
          ['columns', `[${fk.columns.map((c) => this.columnRef(c)).join(', ')}]`],
          ['foreignColumns', foreign],
          ...this.fkOptions(fk, x.spec.explicit),
          fk.match === 'full' ? ['match', jsString('full')] : undefined,
          fk.comment !== undefined ? ['comment', jsString(fk.comment)] : undefined,
        ])})`
      }
      case 'index': {
        const ix = x.def
        const keys = ix.keys.map((k) => this.indexKeyText(k)).join(', ')
        let s = `${f.use(ix.unique ? 'uniqueIndex' : 'index')}(${x.spec.explicit ? jsString(x.spec.actual) : ''})`
        s += ix.method === 'btree' ? `.on(${keys})` : `.using(${jsString(ix.method)}, ${keys})`
        if (ix.where !== undefined) s += `.where(${f.use('sql') && sqlTemplate(ix.where)})`
        if (ix.include.length) s += `.include(${ix.include.map((c) => this.columnRef(c)).join(', ')})`
        if (Object.keys(ix.with).length) s += `.with(${storageObject(ix.with)})`
        if (ix.nullsNotDistinct) s += '.nullsNotDistinct()'
        if (ix.comment !== undefined) s += `.comment(${jsString(ix.comment)})`
        return s
      }
    }
  }

  private policyText(p: PolicyDef): string {
    const f = this.f
    const roles = p.roles.length === 1 && p.roles[0] === 'public' ? undefined : p.roles.map((r) => this.p.roleRef(f, r))
    const opts = objectText([
      !p.permissive ? ['as', jsString('restrictive')] : undefined,
      p.command !== 'all' ? ['for', jsString(p.command)] : undefined,
      roles ? ['to', roles.length === 1 ? roles[0]! : `[${roles.join(', ')}]`] : undefined,
      p.using !== undefined ? ['using', f.use('sql') && sqlTemplate(p.using)] : undefined,
      p.withCheck !== undefined ? ['withCheck', f.use('sql') && sqlTemplate(p.withCheck)] : undefined,
    ])
    return `${f.use('policy')}(${jsString(p.name)}${opts ? `, ${opts}` : ''})`
  }

  /** tenantIsolation(…) options that give exactly this policy, or undefined. */
  private tenantIsolationOf(p: PolicyDef): TenantIsolationOptions | undefined {
    if (!p.permissive || p.command !== 'all' || p.roles.length !== 1 || p.roles[0] !== 'public' || p.using === undefined || p.using !== p.withCheck) return undefined
    const m = /^\((.+) = \(current_setting\('((?:[^']|'')*)'::text\)\)::(.+)\)$/s.exec(p.using)
    if (!m) return undefined
    const column = unident(m[1]!)
    const type = /^\((.*)\)$/s.exec(m[3]!)?.[1] ?? m[3]!
    const o: TenantIsolationOptions = {
      ...(column !== 'tenant_id' ? { column } : {}),
      ...(m[2]!.replaceAll("''", "'") !== 'app.current_tenant_id' ? { setting: m[2]!.replaceAll("''", "'") } : {}),
      ...(type !== 'uuid' ? { type } : {}),
      ...(p.name !== 'tenant_isolation' ? { name: p.name } : {}),
    }
    return tenantPredicate(o) === p.using ? o : undefined
  }

  private text(): string {
    const f = this.f
    const t = this.t
    const lines: string[] = []
    for (let i = 0; i < this.cols.length; i++) {
      const c = this.cols[i]!
      if (c.spread === 'timestamps') {
        lines.push(`...${f.use('timestamps')}(${this.p.touchTables.has(tkey(t.schema, t.name)) ? '{ touch: true }' : ''}),`)
        i++
        continue
      }
      if (c.spread === 'softDelete') {
        lines.push(`...${f.use('softDelete')}(),`)
        continue
      }
      if (c.spread === 'tenantScoped') {
        const fk = c.fk!.def
        const target = member(this.tableRef(fk.refSchema, fk.refTable), this.targetKey(fk.refSchema, fk.refTable, fk.refColumns[0]!))
        const o = [...(fk.onDelete !== 'cascade' ? [`onDelete: ${jsString(fk.onDelete)}`] : []), ...(c.def.type === 'bigint' ? ["type: 'bigint'"] : [])]
        const opts = o.length ? `, { ${o.join(', ')} }` : ''
        lines.push(`...${f.use('tenantScoped')}(${this.thunk(fk.refSchema, fk.refTable, target, 'AnyColumn')}${opts}),`)
        continue
      }
      lines.push(`${propertyKey(c.key)}: ${this.columnText(c)},`)
    }
    const extras: string[] = []
    const order: Extra['kind'][] = ['pk', 'unique', 'fk', 'index']
    const byKind = (k: Extra['kind']) => this.extras.filter((x) => x.kind === k).sort((a, b) => a.spec.order - b.spec.order)
    for (const x of byKind('pk')) extras.push(this.extraText(x))
    for (const x of byKind('unique')) extras.push(this.extraText(x))
    for (const c of t.checks) {
      extras.push(`${f.use('check')}(${jsString(c.name)}, ${f.use('sql') && sqlTemplate(c.expression)}${c.comment !== undefined ? `, { comment: ${jsString(c.comment)} }` : ''})`)
    }
    for (const x of t.exclusions ?? []) {
      const text = this.exclusionText(x)
      if (text) extras.push(text)
      else this.lost('exclusion constraint', `${this.path}/exclusions/${x.name}`, `exclusion constraint ${ident(x.name)} ${x.definition}`)
    }
    for (const k of order.slice(2)) for (const x of byKind(k)) extras.push(this.extraText(x))
    // row-level security
    let rlsOption: string | undefined
    const policies = [...t.policies]
    let isolation: { o: TenantIsolationOptions; p: PolicyDef } | undefined
    if (t.rls?.enabled) {
      for (const p of policies) {
        const o = this.tenantIsolationOf(p)
        if (o) {
          isolation = { o: { ...o, ...(t.rls.forced ? {} : { force: false }) }, p }
          break
        }
      }
    }
    if (isolation) {
      const o = isolation.o as Record<string, unknown>
      extras.push(`${f.use('tenantIsolation')}(${Object.keys(o).length ? jsValue(o) : ''})`)
    } else if (t.rls?.enabled) extras.push(`${f.use(t.rls.forced ? 'forceRls' : 'enableRls')}()`)
    else if (t.rls?.forced) rlsOption = '{ enabled: false, forced: true }'
    for (const p of policies) {
      if (p === isolation?.p) continue
      const unmanaged = p.roles.filter((r) => !this.p.managesRole(r))
      if (unmanaged.length) {
        this.p.warnFrom('lost_detail', 'unmanaged role', this.object,
          `${this.object}: policy ${ident(p.name)} names ${unmanaged.map(ident).join(', ')}, a role cairn does not manage (the connected user), so the policy is left out`,
          [`${this.path}/policies/${p.name}`], this.file)
        this.comments.push(`cairn pull: not expressible: ${createPolicy(t, p)}`)
        continue
      }
      extras.push(this.policyText(p))
    }

    const options = objectText([
      Object.keys(t.with).length ? ['with', storageObject(t.with)] : undefined,
      t.comment !== undefined ? ['comment', jsString(t.comment)] : undefined,
      t.unlogged ? ['unlogged', 'true'] : undefined,
      rlsOption ? ['rls', rlsOption] : undefined,
      (() => {
        const by = this.p.partitionByFor(t, this.file)
        return by ? ['partitionBy', by] as [string, string] : undefined
      })(),
    ])
    const known = ['kind', 'schema', 'name', 'columns', 'primaryKey', 'uniques', 'foreignKeys', 'checks', 'exclusions', 'unlogged', 'indexes', 'with', 'rls', 'policies', 'partitionBy', 'partitionOf', 'comment', 'keyIndexComments']
    for (const [k, v] of Object.entries(t as unknown as Record<string, unknown>)) {
      if (!known.includes(k) && v !== undefined && !(Array.isArray(v) && v.length === 0)) this.lost(`table ${k}`, `${this.path}/${k}`, `${k} (${Array.isArray(v) ? v.length : 1})`)
    }
    for (const c of t.columns) {
      const extra = Object.keys(c).filter((k) => !['name', 'type', 'notNull', 'default', 'identity', 'identityOptions', 'generated', 'collation', 'comment'].includes(k))
      for (const k of extra) this.lost(`column ${k}`, `${this.path}/columns/${c.name}/${k}`, `column ${ident(c.name)}: ${k}`)
    }
    const sch = this.p.state.exportRef.get(`schema:${t.schema}`)
    const call = t.schema === 'public' || !sch ? `${f.use('table')}` : `${f.ref(sch)}.table`
    if (t.schema !== 'public' && !sch) {
      this.lost('schema not pulled', `${this.path}`, `its schema ${ident(t.schema)} was not pulled`)
    }
    const cols = `{\n${lines.join('\n')}\n}`
    const ex = extras.length ? `, (t) => [\n${extras.join(',\n')},\n]` : ''
    return `${call}(${jsString(t.name)}, ${cols}${ex}${options ? `, ${options}` : ''})`
  }
}
