/**
 * Turns a DSL table (its bound columns and table-level definitions) into the model's TableDef,
 * choosing the default names Postgres would choose, plus what validation needs to point at the
 * right line: where each column and constraint was defined, and what could not be resolved.
 */
import type {
  CheckDef,
  ExclusionDef,
  ColumnDef,
  ForeignKeyDef,
  IndexDef,
  IndexKey,
  PrimaryKeyDef,
  SequenceDef,
  TableDef,
  UniqueDef,
} from '../model/types.js'
import { ident, qname } from '../sqlgen/quote.js'
import { identityDefaults, identityOptions } from '../model/normalize.js'
import type { AnyColumn, ColumnConfig, EnumRef, IdentitySequenceOptions, IndexKeyRef } from './column.js'
import { isColumn } from './column.js'
import { typeStorage } from '../model/normalize.js'
import type { AnyExtra, CheckExtra, ExcludeBuilder, ForeignKeyExtra, IndexBuilder, PrimaryKeyExtra, UniqueBuilder } from './extras.js'
import { extraKind } from './extras.js'
import { arrayText, decimalLiteral, decimalString, integerLiteral, jsonbText, quoteText } from './literal.js'
import type { DefinedAt } from './location.js'
import { chooseName, expressionColumnName, nameAddition } from './names.js'
import type { PartitionByOption, PartitionState } from './partition.js'
import { buildPartition, partitionKeyProblems, partitionKeyText } from './partition.js'
import type { PolicyExtra, RlsExtra, RlsOption } from './policy.js'
import { buildRowSecurity } from './policy.js'
import { isSQL } from './sql.js'

/** Table options given next to the columns. */
export interface TableOptions {
  /** Storage parameters: fillfactor, autovacuum_*, toast_tuple_target, … */
  readonly with?: Readonly<Record<string, string | number | boolean>>
  readonly comment?: string
  /** Rename hint: the table used to be called this (same schema). */
  readonly renamedFrom?: string
  /** Row-level security: `true` (enabled) or `{ enabled, forced }`; see also enableRls()/forceRls() extras. */
  readonly rls?: RlsOption
  /** Declarative partitioning: `{ strategy: 'range', key: ['created_at'] }`. */
  readonly partitionBy?: PartitionByOption
  /** `CREATE UNLOGGED TABLE`: not written to the WAL (emptied by a crash, not replicated). */
  readonly unlogged?: true
  /**
   * The definitions own this table's EXCLUDE constraints even when it declares no exclude(): one
   * only the migration history has is dropped (a table with an exclude() owns them anyway).
   */
  readonly ownsExclusions?: true
}

/** The mutable state behind a DSL table object. */
export interface TableState {
  readonly schema: string
  readonly name: string
  readonly columns: ReadonlyMap<string, AnyColumn>
  readonly extras: AnyExtra[]
  /** Indexes declared outside the extras callback, attached by their first column. */
  readonly late: IndexBuilder[]
  readonly options: TableOptions
  readonly at: DefinedAt
  /** The table object users hold (for resolving references back to exported objects). */
  handle?: object
  cache?: BuiltTable
  /** Set on partitions made by partitionOf(). */
  readonly partition?: PartitionState
}

/** A problem found while building one table; the loader adds file locations. */
export interface TableProblem {
  readonly code: string
  readonly message: string
  readonly hint?: string
  readonly object: string
  readonly at: DefinedAt
}

/** A foreign key as declared, with its target as resolved (or not). */
export interface ForeignKeyRef {
  readonly name: string
  readonly columns: readonly string[]
  readonly target?: { readonly table: TableState; readonly columns: readonly AnyColumn[] }
  readonly error?: { readonly code: 'fk_unknown_table' | 'fk_unknown_column'; readonly message: string }
  readonly at: DefinedAt
}

/**
 * Raw text from the definitions that is written into SQL as it is (expressions, type names, a
 * storage parameter, …): the loader checks each before anything is rendered.
 */
export interface RawSql {
  /** What the text must be: a fragment the loader parses, or a word it checks by a strict grammar. */
  readonly kind: 'expression' | 'type' | 'query' | 'partition_key' | 'partition_bound' | 'opclass' | 'method' | 'storage'
  /** The text; for a storage parameter, its name. */
  readonly text: string
  /** A storage parameter's value. */
  readonly value?: string
  /** What it is, for messages: `the default of app.users.age`. */
  readonly what: string
  readonly object: string
  readonly at: DefinedAt
}

/** A table built into the model, with the facts validation needs. */
export interface BuiltTable {
  readonly def: TableDef
  readonly sequences: readonly SequenceDef[]
  readonly problems: readonly TableProblem[]
  readonly foreignKeys: readonly ForeignKeyRef[]
  readonly enums: readonly { readonly ref: EnumRef; readonly column: string; readonly at: DefinedAt }[]
  /** Names the user wrote (table, columns, constraints, indexes), for the 63-byte check. */
  readonly names: readonly { readonly name: string; readonly object: string; readonly at: DefinedAt }[]
  /** Relation names this table takes in its schema: the table, its indexes and constraint indexes. */
  readonly relations: readonly { readonly name: string; readonly object: string; readonly at: DefinedAt }[]
  readonly columnAt: ReadonlyMap<string, DefinedAt>
  /** Raw SQL text the table's definition holds, with where each piece was written. */
  readonly raw: readonly RawSql[]
}

/** The RawSql entries of a set of storage parameters. */
export function storageRaw(params: Readonly<Record<string, string>>, what: string, object: string, at: DefinedAt): RawSql[] {
  return Object.entries(params).map(([k, v]) => ({ kind: 'storage' as const, text: k, value: v, what, object, at }))
}

let extrasTable: TableState | undefined

/** The table whose extras callback is running, if any. */
/** `{ identityOptions }` in the model's normal form (only what differs from the defaults), or `{}`. */
function identityOptionsOf(type: string, o: IdentitySequenceOptions): { identityOptions?: ReturnType<typeof identityOptions> } {
  const str = (v: number | bigint | undefined) => (v === undefined ? undefined : String(v))
  const given = Object.fromEntries(
    Object.entries({ start: str(o.start), increment: str(o.increment), min: str(o.min), max: str(o.max), cache: str(o.cache), cycle: o.cycle }).filter(([, v]) => v !== undefined),
  )
  const options = identityOptions(type, identityDefaults(type, given))
  return options ? { identityOptions: options } : {}
}

export function currentExtrasTable(): TableState | undefined {
  return extrasTable
}

/** Runs a table's extras callback, so indexes built inside it are not attached twice. */
export function withExtrasTable<T>(t: TableState, fn: () => T): T {
  const prev = extrasTable
  extrasTable = t
  try {
    return fn()
  } finally {
    extrasTable = prev
  }
}

function keyTable(k: IndexKeyRef): TableState | undefined {
  if (k.column?.table) return k.column.table
  for (const c of k.expression?.columns ?? []) if (isColumn(c) && c.table) return c.table
  return undefined
}

/** Attaches an index declared on its own (`export const byEmail = index().on(users.email)`). */
export function registerLateIndex(ix: IndexBuilder): void {
  for (const k of ix.config.keys) {
    const t = keyTable(k)
    if (!t) continue
    if (!t.late.includes(ix) && !t.extras.includes(ix)) t.late.push(ix)
    t.cache = undefined
    return
  }
}

/** Builds (and caches) the table's model. */
export function buildTable(t: TableState): BuiltTable {
  if (!t.cache) t.cache = t.partition ? buildPartition(t) : build(t)
  return t.cache
}

/** The largest value of each serial type: a serial's sequence's MAXVALUE. */
export const SEQ_MAX: Record<string, string> = { smallint: '32767', integer: '2147483647', bigint: '9223372036854775807' }

function elementText(cfg: ColumnConfig): (v: unknown) => string | null {
  return (v) => {
    if (v === null) return null
    switch (cfg.literal) {
      case 'bool':
        return v ? 't' : 'f'
      case 'int':
      case 'decimal':
      case 'float':
        return typeof v === 'number' ? decimalString(v) : String(v)
      case 'jsonb':
        return jsonbText(v)
      case 'json':
        return JSON.stringify(v)
      case 'date':
        return v instanceof Date ? v.toISOString().slice(0, 10) : String(v)
      default:
        return String(v)
    }
  }
}

/** The default as `pg_get_expr()` prints it, for a typed literal value. */
export function literalDefault(cfg: ColumnConfig, value: unknown): string {
  if (value === null || value === undefined) throw new RangeError('a default of null is the same as no default')
  if (cfg.arrayDims > 0) {
    if (!Array.isArray(value)) throw new RangeError('an array column needs an array default')
    // Postgres does not record array dimensions in the type: integer[][] is integer[]
    return `${quoteText(arrayText(value, elementText(cfg)))}::${cfg.castType}[]`
  }
  switch (cfg.literal) {
    case 'int':
      if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'string') break
      return integerLiteral(value, cfg.castType)
    case 'decimal':
    case 'float':
      if (typeof value !== 'number' && typeof value !== 'string') break
      return decimalLiteral(value, cfg.literal === 'float' ? cfg.castType : undefined)
    case 'bool':
      if (typeof value !== 'boolean') break
      return value ? 'true' : 'false'
    case 'jsonb':
      return `${quoteText(jsonbText(value))}::jsonb`
    case 'json':
      return `${quoteText(JSON.stringify(value))}::json`
    case 'enum':
      if (typeof value !== 'string') break
      if (cfg.enumRef && !cfg.enumRef.values.includes(value)) {
        throw new RangeError(`'${value}' is not a value of ${cfg.castType} (${cfg.enumRef.values.join(', ')})`)
      }
      return `${quoteText(value)}::${cfg.castType}`
    case 'date':
      if (value instanceof Date) return `${quoteText(value.toISOString().slice(0, 10))}::date`
      if (typeof value !== 'string') break
      return `${quoteText(value)}::date`
    case 'string':
      if (value instanceof Date) return `${quoteText(value.toISOString())}::${cfg.castType}`
      if (typeof value !== 'string') break
      return `${quoteText(value)}::${cfg.castType}`
  }
  throw new RangeError(`${JSON.stringify(value)} is not a valid ${cfg.baseType} value`)
}

function typeProblem(cfg: ColumnConfig): string | undefined {
  const { length, precision, scale, timePrecision } = cfg.mods
  if (length !== undefined && (!Number.isInteger(length) || length < 1 || length > 10485760)) {
    return `length ${length} is out of range for ${cfg.castType} (1 to 10485760)`
  }
  if (precision !== undefined) {
    if (!Number.isInteger(precision) || precision < 1 || precision > 1000) {
      return `numeric precision ${precision} must be between 1 and 1000`
    }
    const s = scale ?? 0
    if (!Number.isInteger(s) || s < 0 || s > precision) {
      return `numeric scale ${s} must be between 0 and the precision ${precision} (PostgreSQL 13 and 14 reject anything else)`
    }
  }
  if (timePrecision !== undefined && (!Number.isInteger(timePrecision) || timePrecision < 0 || timePrecision > 6)) {
    return `time precision ${timePrecision} must be between 0 and 6`
  }
  return undefined
}

/** An operator of an EXCLUDE element: `&&`, `=`, or `OPERATOR(schema.op)`. */
const EXCLUDE_OPERATOR = /^(?:[-+*/<>=~!@#%^&|`?]{1,63}|OPERATOR\([A-Za-z_][A-Za-z0-9_$]*\.[-+*/<>=~!@#%^&|`?]{1,63}\))$/

function build(t: TableState): BuiltTable {
  const problems: TableProblem[] = []
  const obj = (suffix?: string) => `${t.schema}.${t.name}${suffix ? '.' + suffix : ''}`
  const problem = (code: string, message: string, object: string, at: DefinedAt, hint?: string) =>
    problems.push({ code, message, object, at, ...(hint ? { hint } : {}) })
  const names: BuiltTable['names'][number][] = [{ name: t.name, object: obj(), at: t.at }]
  const columnAt = new Map<string, DefinedAt>()
  const enums: { ref: EnumRef; column: string; at: DefinedAt }[] = []
  const sequences: SequenceDef[] = []
  const colByName = new Map<string, AnyColumn>()
  const raw: RawSql[] = []

  // explicit names first, so default names avoid them as Postgres' would avoid existing ones
  const takenRel = new Set<string>([t.name])
  const takenCon = new Set<string>()
  const columnsOf = (cols: readonly AnyColumn[], what: string, at: DefinedAt): string[] | undefined => {
    const out: string[] = []
    for (const c of cols) {
      if (!isColumn(c) || c.table !== t) {
        const label = isColumn(c) && c.table ? `column ${c.table.schema}.${c.table.name}.${c.name}` : `a column that does not exist (${String(c)})`
        problem('unknown_column', `${what} uses ${label}, which is not a column of ${obj()}`, obj(), at,
          `use a column of this table (t.<column> in the extras callback)`)
        return undefined
      }
      out.push(c.name)
    }
    return out
  }

  const pks: { name?: string; columns: string[]; with?: Record<string, string>; comment?: string; at: DefinedAt }[] = []
  const uniqueSpecs: { name?: string; columns: string[]; nnd: boolean; deferrable?: boolean | 'deferred'; with?: Record<string, string>; comment?: string; at: DefinedAt }[] = []
  const checkSpecs: { name?: string; column?: string; expression: string; comment?: string; at: DefinedAt }[] = []
  const fkSpecs: {
    name?: string
    columns: string[]
    target: () => readonly AnyColumn[]
    onDelete: ForeignKeyDef['onDelete']
    onUpdate: ForeignKeyDef['onUpdate']
    deferrable?: boolean | 'deferred'
    match?: 'full'
    comment?: string
    at: DefinedAt
  }[] = []
  const indexSpecs: { ix?: IndexBuilder; name?: string; columns?: string[]; at: DefinedAt }[] = []
  const excludeSpecs: { x: ExcludeBuilder; name?: string; at: DefinedAt }[] = []
  const rowSecurity: (PolicyExtra | RlsExtra)[] = []

  const columns: ColumnDef[] = []
  for (const [, c] of t.columns) {
    const cfg = c.config
    const name = c.name
    const path = obj(name)
    if (colByName.has(name)) {
      problem('duplicate_column', `column "${name}" is declared twice in ${obj()}`, path, cfg.at, 'rename one of the two properties or give it another SQL name')
      continue
    }
    colByName.set(name, c)
    columnAt.set(name, cfg.at)
    names.push({ name, object: path, at: cfg.at })
    const bad = typeProblem(cfg)
    if (bad) problem('invalid_type', `column type: ${bad}`, path, cfg.at, 'use a type modifier PostgreSQL accepts')
    if (cfg.enumRef) enums.push({ ref: cfg.enumRef, column: name, at: cfg.at })
    let def: string | undefined
    if (cfg.serial) {
      const seq = chooseName(t.name, name, 'seq', takenRel)
      takenRel.add(seq)
      sequences.push({
        kind: 'sequence', schema: t.schema, name: seq, type: cfg.serial, start: '1', increment: '1', min: '1',
        max: SEQ_MAX[cfg.serial], cache: '1', cycle: false, ownedBy: { table: t.name, column: name },
      })
      def = `nextval(${quoteText(qname(t.schema, seq))}::regclass)`
      if (cfg.default) problem('invalid_column', `${path} is serial and also has a default`, path, cfg.at, 'drop .default(): serial columns take their default from the sequence')
    } else if (cfg.default) {
      if ('sql' in cfg.default) {
        def = cfg.default.sql.text
        raw.push({ kind: 'expression', text: def, what: `the default of ${path}`, object: path, at: cfg.at })
      } else {
        try {
          def = literalDefault(cfg, cfg.default.value)
        } catch (e) {
          problem('invalid_default', `default: ${(e as Error).message}`, path, cfg.at, `give a ${cfg.baseType} value, or an sql\`…\` expression`)
        }
      }
    }
    if (cfg.identity && !/^(smallint|integer|bigint)$/.test(cfg.baseType)) {
      problem('invalid_column', `${path}: identity columns must be smallint, integer or bigint, not ${cfg.baseType}`, path, cfg.at)
    }
    if ((cfg.identity || cfg.generated) && (def !== undefined || cfg.serial)) {
      problem('invalid_column', `${path} cannot have both a default and ${cfg.identity ? 'an identity' : 'a generation expression'}`, path, cfg.at, 'remove the default')
    }
    if (cfg.identity && cfg.generated) problem('invalid_column', `${path} cannot be both an identity and a generated column`, path, cfg.at)
    if (cfg.customType) raw.push({ kind: 'type', text: cfg.baseType, what: `the type of ${path}`, object: path, at: cfg.at })
    if (cfg.generated) raw.push({ kind: 'expression', text: cfg.generated.text, what: `the generation expression of ${path}`, object: path, at: cfg.at })
    columns.push({
      name,
      type: cfg.baseType + (cfg.arrayDims > 0 ? '[]' : ''),
      notNull: cfg.notNull || cfg.primaryKey || cfg.identity !== undefined,
      ...(def !== undefined && !cfg.identity && !cfg.generated ? { default: def } : {}),
      ...(cfg.identity ? { identity: cfg.identity } : {}),
      ...(cfg.identity && cfg.identityOptions ? identityOptionsOf(cfg.baseType, cfg.identityOptions) : {}),
      ...(cfg.generated ? { generated: cfg.generated.text } : {}),
      ...(cfg.collation ? { collation: cfg.collation } : {}),
      // the type's own storage is no storage of the column's (inspect reads only one that differs)
      ...(cfg.storage && cfg.storage !== typeStorage(cfg.baseType + (cfg.arrayDims > 0 ? '[]' : '')) ? { storage: cfg.storage } : {}),
      ...(cfg.compression ? { compression: cfg.compression } : {}),
      ...(cfg.comment !== undefined ? { comment: cfg.comment } : {}),
      ...(cfg.renamedFrom ? { renamedFrom: cfg.renamedFrom } : {}),
    })
    if (cfg.primaryKey) pks.push({ columns: [name], at: cfg.at })
    if (cfg.unique) uniqueSpecs.push({ name: cfg.unique.name, columns: [name], nnd: cfg.unique.nullsNotDistinct ?? false, at: cfg.unique.at })
    for (const ch of cfg.checks) checkSpecs.push({ name: ch.name, column: name, expression: ch.sql.text, at: ch.at })
    if (cfg.references) {
      const r = cfg.references
      fkSpecs.push({
        name: r.name, columns: [name], target: () => [r.ref()], onDelete: r.onDelete, onUpdate: r.onUpdate,
        deferrable: r.initiallyDeferred ? 'deferred' : r.deferrable, at: r.at,
      })
    }
    if (cfg.index) indexSpecs.push({ name: cfg.index.name, columns: [name], at: cfg.index.at })
  }

  for (const x of t.extras) {
    switch (extraKind(x)) {
      case 'primaryKey': {
        const pk = x as PrimaryKeyExtra
        const cols = columnsOf(pk.columns, 'the primary key', pk.at)
        if (cols) pks.push({ name: pk.name, columns: cols, with: pk.with, comment: pk.comment, at: pk.at })
        break
      }
      case 'unique': {
        const u = (x as UniqueBuilder).config
        const cols = columnsOf(u.columns, 'a unique constraint', x.at)
        if (cols) uniqueSpecs.push({ name: u.name, columns: cols, nnd: u.nullsNotDistinct, deferrable: u.deferrable, with: u.with, comment: u.comment, at: x.at })
        break
      }
      case 'foreignKey': {
        const fk = x as ForeignKeyExtra
        const cols = columnsOf(fk.columns, 'a foreign key', fk.at)
        if (cols) {
          fkSpecs.push({
            name: fk.name, columns: cols, target: fk.foreignColumns, onDelete: fk.onDelete, onUpdate: fk.onUpdate,
            deferrable: fk.deferrable, match: fk.match, comment: fk.comment, at: fk.at,
          })
        }
        break
      }
      case 'check': {
        const ch = x as CheckExtra
        checkSpecs.push({ name: ch.name, column: ch.expression.columns[0]?.name, expression: ch.expression.text, comment: ch.comment, at: ch.at })
        break
      }
      case 'exclude':
        excludeSpecs.push({ x: x as ExcludeBuilder, name: (x as ExcludeBuilder).config.name, at: x.at })
        break
      case 'index':
        indexSpecs.push({ ix: x as IndexBuilder, name: (x as IndexBuilder).config.name, at: x.at })
        break
      case 'policy':
      case 'rls':
        rowSecurity.push(x as PolicyExtra | RlsExtra)
        break
    }
  }
  for (const ix of t.late) indexSpecs.push({ ix, name: ix.config.name, at: ix.at })

  // reserve every explicit name, reporting duplicates within the table
  const seenCon = new Map<string, string>()
  const reserve = (name: string | undefined, kind: 'constraint' | 'index' | 'both', at: DefinedAt) => {
    if (!name) return
    names.push({ name, object: obj(name), at })
    const prior = seenCon.get(name)
    if (prior) {
      const code = kind === 'index' && prior === 'index' ? 'duplicate_index' : 'duplicate_constraint'
      problem(code, `the name "${name}" is used twice in ${obj()}`, obj(name), at, 'give one of them another name')
    }
    seenCon.set(name, kind)
    if (kind !== 'index') takenCon.add(name)
    if (kind !== 'constraint') takenRel.add(name)
  }
  pks.forEach((p) => reserve(p.name, 'both', p.at))
  uniqueSpecs.forEach((u) => reserve(u.name, 'both', u.at))
  checkSpecs.forEach((c) => reserve(c.name, 'constraint', c.at))
  excludeSpecs.forEach((x) => reserve(x.name, 'both', x.at))
  fkSpecs.forEach((f) => reserve(f.name, 'constraint', f.at))
  indexSpecs.forEach((i) => reserve(i.name, 'index', i.at))
  const relations: BuiltTable['relations'][number][] = [{ name: t.name, object: obj(), at: t.at }]

  let primaryKey: PrimaryKeyDef | undefined
  if (pks.length > 1) {
    problem('multiple_primary_keys', `${obj()} declares ${pks.length} primary keys`, obj(), pks[1].at,
      'use one composite primaryKey({ columns: [...] }) instead of several .primaryKey() columns')
  }
  if (pks.length) {
    const p = pks[0]
    for (const col of p.columns) {
      const c = colByName.get(col)
      if (c && !c.config.notNull && !c.config.primaryKey && !c.config.identity) {
        problem('pk_nullable', `primary key column ${obj(col)} is not marked NOT NULL`, obj(col), c.config.at,
          `add .notNull() to ${col} (a primary key makes it NOT NULL, and the row types must say so)`)
      }
    }
    const name = p.name ?? chooseName(t.name, undefined, 'pkey', new Set([...takenRel, ...takenCon]))
    takenRel.add(name)
    takenCon.add(name)
    relations.push({ name, object: obj(name), at: p.at })
    if (p.with) raw.push(...storageRaw(p.with, `primary key ${obj(name)}`, obj(name), p.at))
    primaryKey = {
      name, columns: p.columns,
      ...(p.with && Object.keys(p.with).length ? { with: { ...p.with } } : {}),
      ...(p.comment !== undefined ? { comment: p.comment } : {}),
    }
  }

  const uniques: UniqueDef[] = uniqueSpecs.map((u) => {
    const name = u.name ?? chooseName(t.name, nameAddition(u.columns), 'key', new Set([...takenRel, ...takenCon]))
    takenRel.add(name)
    takenCon.add(name)
    relations.push({ name, object: obj(name), at: u.at })
    if (u.with) raw.push(...storageRaw(u.with, `unique constraint ${obj(name)}`, obj(name), u.at))
    return {
      name,
      columns: u.columns,
      ...(u.nnd ? { nullsNotDistinct: true } : {}),
      ...(u.deferrable ? { deferrable: true } : {}),
      ...(u.deferrable === 'deferred' ? { initiallyDeferred: true } : {}),
      ...(u.with && Object.keys(u.with).length ? { with: { ...u.with } } : {}),
      ...(u.comment !== undefined ? { comment: u.comment } : {}),
    }
  })

  const checks: CheckDef[] = checkSpecs.map((c) => {
    const name = c.name ?? chooseName(t.name, c.column, 'check', takenCon)
    takenCon.add(name)
    raw.push({ kind: 'expression', text: c.expression, what: `check constraint ${obj(name)}`, object: obj(name), at: c.at })
    return { name, expression: c.expression, ...(c.comment !== undefined ? { comment: c.comment } : {}) }
  })

  // EXCLUDE constraints, spelled as pg_get_constraintdef() prints simple ones (canonicalisation does the rest)
  const exclusions: ExclusionDef[] = []
  for (const spec of excludeSpecs) {
    const x = spec.x.config
    const elements: string[] = []
    const keyNames: string[] = []
    let ok = true
    for (const e of x.elements) {
      if (!EXCLUDE_OPERATOR.test(e.operator)) {
        ok = false
        problem('invalid_exclusion', `an exclusion constraint on ${obj()} compares with ${JSON.stringify(e.operator)}, which is not an operator`, obj(), spec.at,
          "give an operator such as '=', '&&' or 'OPERATOR(schema.op)'")
      }
      if (e.key.missing) {
        columnsOf([undefined as never], 'an exclusion constraint', spec.at)
        ok = false
      } else if (e.key.column) {
        const cols = columnsOf([e.key.column], 'an exclusion constraint', spec.at)
        if (!cols) ok = false
        else {
          elements.push(`${ident(cols[0])} WITH ${e.operator}`)
          keyNames.push(cols[0])
        }
      } else if (e.key.expression && isSQL(e.key.expression)) {
        for (const c of e.key.expression.columns) {
          if (isColumn(c) && c.table !== t) {
            ok = false
            columnsOf([c], 'an exclusion constraint expression', spec.at)
          }
        }
        elements.push(`(${e.key.expression.text}) WITH ${e.operator}`)
        keyNames.push(expressionColumnName(e.key.expression.text))
      }
    }
    if (!x.elements.length) {
      ok = false
      problem('invalid_exclusion', `an exclusion constraint on ${obj()} has no elements`, obj(), spec.at, "add .on(column, operator), e.g. .on(t.during, '&&')")
    }
    const name = spec.name ?? chooseName(t.name, nameAddition(dedupeKeyNames(keyNames)), 'excl', new Set([...takenRel, ...takenCon]))
    takenRel.add(name)
    takenCon.add(name)
    relations.push({ name, object: obj(name), at: spec.at })
    if (!ok) continue
    const what = `exclusion constraint ${obj(name)}`
    raw.push({ kind: 'method', text: x.method, what: `the access method of ${what}`, object: obj(name), at: spec.at })
    for (const e of x.elements) {
      if (e.key.expression) raw.push({ kind: 'expression', text: e.key.expression.text, what: `an element of ${what}`, object: obj(name), at: spec.at })
    }
    if (x.where) raw.push({ kind: 'expression', text: x.where.text, what: `the predicate of ${what}`, object: obj(name), at: spec.at })
    const definition = `EXCLUDE USING ${x.method} (${elements.join(', ')})${x.where ? ` WHERE (${x.where.text})` : ''}` +
      `${x.deferrable ? ' DEFERRABLE' : ''}${x.deferrable === 'deferred' ? ' INITIALLY DEFERRED' : ''}`
    exclusions.push({ name, definition, ...(x.comment !== undefined ? { comment: x.comment } : {}) })
  }

  const foreignKeys: ForeignKeyDef[] = []
  const fkRefs: ForeignKeyRef[] = []
  for (const f of fkSpecs) {
    const name = f.name ?? chooseName(t.name, nameAddition(f.columns), 'fkey', takenCon)
    takenCon.add(name)
    let target: readonly AnyColumn[] | undefined
    let error: ForeignKeyRef['error']
    try {
      target = f.target()
      if (!target.length || target.some((c) => !isColumn(c))) {
        error = { code: 'fk_unknown_column', message: 'references a column that does not exist' }
        target = undefined
      } else if (target.some((c) => !c.table)) {
        error = { code: 'fk_unknown_table', message: 'references a column that belongs to no table' }
        target = undefined
      } else if (new Set(target.map((c) => c.table)).size > 1) {
        error = { code: 'fk_unknown_column', message: 'references columns of different tables' }
        target = undefined
      }
    } catch (e) {
      error = { code: 'fk_unknown_table', message: `references a table that could not be resolved (${(e as Error).message})` }
    }
    if (target) {
      const ref = target[0].table!
      foreignKeys.push({
        name,
        columns: f.columns,
        refSchema: ref.schema,
        refTable: ref.name,
        refColumns: target.map((c) => c.name),
        onDelete: f.onDelete,
        onUpdate: f.onUpdate,
        ...(f.match ? { match: f.match } : {}),
        ...(f.deferrable ? { deferrable: true } : {}),
        ...(f.deferrable === 'deferred' ? { initiallyDeferred: true } : {}),
        ...(f.comment !== undefined ? { comment: f.comment } : {}),
      })
      fkRefs.push({ name, columns: f.columns, target: { table: ref, columns: target }, at: f.at })
    } else fkRefs.push({ name, columns: f.columns, error, at: f.at })
  }

  const indexes: IndexDef[] = []
  for (const spec of indexSpecs) {
    const ix = spec.ix?.config
    const keys: IndexKey[] = []
    const keyNames: string[] = []
    let ok = true
    const refs: IndexKeyRef[] = ix ? ix.keys : spec.columns!.map((c) => ({ $indexKey: true, column: colByName.get(c) }))
    for (const k of refs) {
      if (k.missing) {
        columnsOf([undefined as never], 'an index', spec.at)
        ok = false
      } else if (k.column) {
        const cols = columnsOf([k.column], 'an index', spec.at)
        if (!cols) {
          ok = false
          continue
        }
        keys.push(indexKey({ column: cols[0] }, k))
        keyNames.push(cols[0])
      } else if (k.expression && isSQL(k.expression)) {
        for (const c of k.expression.columns) {
          if (isColumn(c) && c.table !== t) {
            ok = false
            columnsOf([c], 'an index expression', spec.at)
          }
        }
        keys.push(indexKey({ expression: k.expression.text }, k))
        keyNames.push(expressionColumnName(k.expression.text))
      }
    }
    if (!keys.length) {
      if (ok) problem('invalid_index', `an index on ${obj()} has no keys`, obj(), spec.at, 'add .on(column, …)')
      continue
    }
    const include = ix ? columnsOf(ix.include, 'an index INCLUDE', spec.at) ?? [] : []
    const name = spec.name ?? chooseName(t.name, nameAddition(dedupeKeyNames(keyNames)), 'idx', takenRel)
    takenRel.add(name)
    relations.push({ name, object: obj(name), at: spec.at })
    if (!ok) continue
    const ixWhat = `index ${t.schema}.${name}`
    for (const k of keys) {
      if (k.expression !== undefined) raw.push({ kind: 'expression', text: k.expression, what: `a key of ${ixWhat}`, object: obj(name), at: spec.at })
      if (k.opclass !== undefined) raw.push({ kind: 'opclass', text: k.opclass, what: `the operator class of a key of ${ixWhat}`, object: obj(name), at: spec.at })
    }
    if (ix?.where) raw.push({ kind: 'expression', text: ix.where.text, what: `the predicate of ${ixWhat}`, object: obj(name), at: spec.at })
    if (ix) raw.push({ kind: 'method', text: ix.method, what: `the access method of ${ixWhat}`, object: obj(name), at: spec.at })
    raw.push(...storageRaw(ix?.with ?? {}, ixWhat, obj(name), spec.at))
    indexes.push({
      name,
      unique: ix?.unique ?? false,
      method: ix?.method ?? 'btree',
      keys,
      include,
      ...(ix?.where ? { where: ix.where.text } : {}),
      ...(ix?.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
      with: { ...(ix?.with ?? {}) },
      ...(ix?.comment !== undefined ? { comment: ix.comment } : {}),
    })
  }

  const withParams: Record<string, string> = {}
  for (const [k, v] of Object.entries(t.options.with ?? {})) withParams[k] = String(v)

  const security = buildRowSecurity(t.options.rls, rowSecurity, t.at)
  for (const p of security.problems) problem(p.code, `${obj()}: ${p.message}`, p.policy ? obj(p.policy) : obj(), p.at, p.hint)
  for (const { def: p, at } of security.policies) {
    if (p.using !== undefined) raw.push({ kind: 'expression', text: p.using, what: `the USING expression of policy ${obj(p.name)}`, object: obj(p.name), at })
    if (p.withCheck !== undefined) raw.push({ kind: 'expression', text: p.withCheck, what: `the WITH CHECK expression of policy ${obj(p.name)}`, object: obj(p.name), at })
  }
  raw.push(...storageRaw(withParams, `table ${obj()}`, obj(), t.at))
  const byKey = t.options.partitionBy?.key
  if (byKey !== undefined && (typeof byKey === 'string' || isSQL(byKey))) {
    raw.push({ kind: 'partition_key', text: typeof byKey === 'string' ? byKey : byKey.text, what: `the partition key of ${obj()}`, object: obj(), at: t.at })
  }
  const def: TableDef = {
    kind: 'table',
    schema: t.schema,
    name: t.name,
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    foreignKeys,
    checks,
    ...(exclusions.length || t.options.ownsExclusions ? { exclusions } : {}),
    indexes,
    ...(t.options.unlogged ? { unlogged: true as const } : {}),
    with: withParams,
    ...(security.rls ? { rls: security.rls } : {}),
    policies: security.policies.map((p) => p.def),
    ...(t.options.partitionBy ? { partitionBy: { strategy: t.options.partitionBy.strategy, key: partitionKeyText(t.options.partitionBy.key) } } : {}),
    ...(t.options.comment !== undefined ? { comment: t.options.comment } : {}),
    ...(t.options.renamedFrom ? { renamedFrom: t.options.renamedFrom } : {}),
  }
  if (t.options.partitionBy) problems.push(...partitionKeyProblems(def, t.options.partitionBy, t.at))
  return { def, sequences, problems, foreignKeys: fkRefs, enums, names, relations, columnAt, raw }
}

function indexKey(base: IndexKey, k: IndexKeyRef): IndexKey {
  const desc = k.order === 'desc'
  const nullsFirst = k.nulls === undefined ? undefined : k.nulls === 'first'
  return {
    ...base,
    ...(desc ? { desc: true } : {}),
    ...(nullsFirst !== undefined && nullsFirst !== desc ? { nullsFirst } : {}),
    ...(k.opclass ? { opclass: k.opclass } : {}),
    ...(k.collation ? { collation: k.collation } : {}),
  }
}

/** Postgres' ChooseIndexColumnNames: a repeated name gets a number appended. */
export function dedupeKeyNames(names: readonly string[]): string[] {
  const used = new Set<string>()
  return names.map((n) => {
    let candidate = n
    for (let i = 1; used.has(candidate); i++) candidate = `${n}${i}`
    used.add(candidate)
    return candidate
  })
}
