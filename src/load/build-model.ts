/**
 * Turns imported schema modules into the Model: collects every exported DSL object (recursing into
 * namespaces and plain objects), builds each table, and validates the whole, collecting every
 * problem as an Issue with the file and line where the offending object was defined.
 */
import type { EnumDef, ExtensionDef, GrantDef, Model, RoleDef, SchemaDef, SequenceDef, TableDef, ViewDef } from '../model/types.js'
import { MODEL_VERSION } from '../model/types.js'
import { canonicalType, cmp, normalizeModel } from '../model/normalize.js'
import { CairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { isColumn } from '../dsl/column.js'
import type { IndexBuilder } from '../dsl/extras.js'
import { isExtra } from '../dsl/extras.js'
import type { DefinedAt } from '../dsl/location.js'
import { formatLocation } from '../dsl/location.js'
import { byteLength, MAX_IDENTIFIER_BYTES, truncateIdentifier } from '../dsl/names.js'
import type { AnyTable, EnumType, Extension, PgSchema, Sequence } from '../dsl/table.js'
import { dslKind, tableState } from '../dsl/table.js'
import type { BuiltTable, RawSql, TableState } from '../dsl/table-state.js'
import { buildTable, storageRaw } from '../dsl/table-state.js'
import type { Grant, Role } from '../dsl/policy.js'
import type { AnyView } from '../dsl/view.js'
import { accessMethodProblem, fragmentProblem, storageParameterProblem } from './sql-fragments.js'
import type { Fn } from '../dsl/routine.js'
import type { DomainType } from '../dsl/domain.js'
import type { Trigger } from '../dsl/trigger.js'
import { collectRoutines } from './routines.js'
import { checkGrant, mergeGrants, type GrantTargets } from './grants.js'
import type { Aggregate } from '../dsl/aggregate.js'
import type { CompositeType } from '../dsl/composite.js'
import type { EventTrigger } from '../dsl/event-trigger.js'
import type { EventTriggerDef } from '../model/types.js'
import { createEventTrigger } from '../sqlgen/ddl.js'
import type { AggregateDef, CompositeTypeDef } from '../model/types.js'
import { createAggregate, createCompositeType } from '../sqlgen/ddl.js'
import { functionNameProblem, operatorNameProblem, statementProblem } from './sql-fragments.js'
import type { Collation } from '../dsl/collation.js'
import type { DefaultPrivileges } from '../dsl/default-privileges.js'
import type { DefaultPrivilegeDef } from '../model/types.js'
import { checkCollationUses, collectCollations, collectDefaultPrivileges } from './default-privileges.js'

/** Options of model building. */
export interface BuildOptions {
  /** Project root: issue locations are shown relative to it (default: the working directory). */
  readonly root?: string
}

/** Every DSL object found in a set of module exports. */
export interface CollectedObjects {
  readonly schemas: PgSchema[]
  readonly tables: AnyTable[]
  readonly enums: EnumType[]
  readonly extensions: Extension[]
  readonly sequences: Sequence[]
  readonly indexes: IndexBuilder[]
  readonly views: AnyView[]
  readonly roles: Role[]
  readonly grants: Grant[]
  readonly functions: Fn[]
  readonly domains: DomainType[]
  readonly triggers: Trigger[]
  readonly aggregates: Aggregate[]
  readonly composites: CompositeType[]
  readonly eventTriggers: EventTrigger[]
  readonly defaultPrivileges: DefaultPrivileges[]
  readonly collations: Collation[]
}

/** Finds the DSL objects among `exports`, recursing into namespaces, plain objects and arrays. */
export function collectObjects(exports: Record<string, unknown>): CollectedObjects {
  const out: CollectedObjects = { schemas: [], tables: [], enums: [], extensions: [], sequences: [], indexes: [], views: [], roles: [], grants: [], functions: [], triggers: [], domains: [], aggregates: [], composites: [], eventTriggers: [], defaultPrivileges: [], collations: [] }
  const seen = new Set<unknown>()
  const visit = (v: unknown, depth: number) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 8) return
    seen.add(v)
    const kind = dslKind(v)
    if (kind === 'schema') out.schemas.push(v as PgSchema)
    else if (kind === 'table') out.tables.push(v as AnyTable)
    else if (kind === 'enum') out.enums.push(v as EnumType)
    else if (kind === 'extension') out.extensions.push(v as Extension)
    else if (kind === 'sequence') out.sequences.push(v as Sequence)
    else if (kind === 'view') out.views.push(v as AnyView)
    else if (kind === 'role') out.roles.push(v as Role)
    else if (kind === 'grant') out.grants.push(v as Grant)
    else if (kind === 'function') out.functions.push(v as Fn)
    else if (kind === 'domain') out.domains.push(v as DomainType)
    else if (kind === 'trigger') out.triggers.push(v as Trigger)
    else if (kind === 'aggregate') out.aggregates.push(v as Aggregate)
    else if (kind === 'composite') out.composites.push(v as CompositeType)
    else if (kind === 'event_trigger') out.eventTriggers.push(v as EventTrigger)
    else if (kind === 'default_privilege') out.defaultPrivileges.push(v as DefaultPrivileges)
    else if (kind === 'collation') out.collations.push(v as Collation)
    else if (isExtra(v, 'index')) out.indexes.push(v as IndexBuilder)
    else if (isColumn(v) || typeof v === 'function') return
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1))
    else {
      const proto = Object.getPrototypeOf(v)
      const isNamespace = Object.prototype.toString.call(v) === '[object Module]'
      if (isNamespace || proto === null || proto === Object.prototype) {
        for (const key of Object.keys(v as object)) visit((v as Record<string, unknown>)[key], depth + 1)
      }
    }
  }
  visit(exports, 0)
  return out
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint'])
const STRING_TYPES = new Set(['text', 'character varying', 'character'])
const baseOf = (type: string) => canonicalType(type).replace(/\(.*?\)/, '')

function compatibleTypes(a: string, b: string): boolean {
  const x = baseOf(a)
  const y = baseOf(b)
  if (x === y) return true
  return (INTEGER_TYPES.has(x) && INTEGER_TYPES.has(y)) || (STRING_TYPES.has(x) && STRING_TYPES.has(y))
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x))
}

/**
 * Builds the model and collects every problem, without throwing. Raw SQL in the definitions is
 * checked with PostgreSQL's parser once loadSqlFragmentParser() has resolved (loadProject() waits
 * for it); before that, only the strict word grammars apply.
 */
export function collectModel(exports: Record<string, unknown>, options: BuildOptions = {}): { model: Model; issues: Issue[] } {
  const root = options.root ?? process.cwd()
  const found = collectObjects(exports)
  const issues: Issue[] = []
  const issue = (code: string, message: string, at: DefinedAt | undefined, object?: string, hint?: string) => {
    const file = formatLocation(at, root)
    issues.push({ code, message, ...(hint ? { hint } : {}), ...(file ? { file } : {}), ...(object ? { object } : {}) })
  }

  const schemaNames = new Set<string>(['public'])
  const schemas = new Map<string, SchemaDef>()
  for (const s of found.schemas) {
    schemaNames.add(s.name)
    if (s.name !== 'public' && !schemas.has(s.name)) schemas.set(s.name, s.$def)
  }
  const declared = (schema: string, what: string, object: string, at: DefinedAt) => {
    if (schemaNames.has(schema)) return
    issue('undeclared_schema', `${what} ${object} is in schema "${schema}", which is not declared`, at, object,
      `export const ${/^[A-Za-z_$][\w$]*$/.test(schema) ? schema : 'schema'} = pgSchema('${schema}') from a module that schema/index.ts re-exports`)
  }

  // tables, in a stable order so issues come out the same way every time
  const states = new Map<TableState, AnyTable>()
  for (const t of found.tables) states.set(tableState(t)!, t)
  const ordered = [...states.keys()].sort((a, b) => cmp(a.schema, b.schema) || cmp(a.name, b.name))
  const built = new Map<TableState, BuiltTable>()
  const byName = new Map<string, TableState>()
  for (const st of ordered) {
    const b = buildTable(st)
    built.set(st, b)
    const key = `${st.schema}.${st.name}`
    if (byName.has(key)) {
      issue('duplicate_table', `table ${key} is defined twice`, st.at, key, 'rename one of them, or export the same table object from one module only')
      continue
    }
    byName.set(key, st)
    declared(st.schema, 'table', key, st.at)
    for (const p of b.problems) issue(p.code, p.message, p.at, p.object, p.hint)
    checkRaw(b.raw, issue)
    checkWords(b.def, st.at, issue)
    checkPartitionedStorage(b.def, st.at, issue)
  }

  // enums and type names (a table also defines a composite type of its own name)
  const enums = new Map<string, EnumType>()
  const typeNames = new Map<string, string>()
  for (const st of byName.values()) typeNames.set(`${st.schema}.${st.name}`, 'table')
  for (const e of found.enums) {
    const key = `${e.schema}.${e.name}`
    declared(e.schema, 'enum', key, e.at)
    if (typeNames.has(key)) {
      issue('duplicate_type', `enum ${key} has the same name as a ${typeNames.get(key)} in schema "${e.schema}"`, e.at, key, 'rename the enum or the table')
      continue
    }
    typeNames.set(key, 'enum')
    enums.set(key, e)
    const values = e.values as readonly string[]
    if (!values.length) issue('invalid_type', `enum ${key} has no values`, e.at, key, 'give it at least one value')
    const dup = values.find((v, i) => values.indexOf(v) !== i)
    if (dup !== undefined) issue('invalid_type', `enum ${key} lists the value '${dup}' twice`, e.at, key, 'remove the repeated value')
    for (const v of values) {
      if (byteLength(v) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `enum ${key} value '${v}' is longer than 63 bytes`, e.at, key, 'shorten the value')
    }
  }
  // domains share the type namespace with enums and tables; their SQL is checked like a table's
  const domains = new Map<string, DomainType>()
  for (const d of found.domains) {
    const key = `${d.$schema}.${d.$name}`
    if (domains.get(key) === d) continue
    declared(d.$schema, 'domain', key, d.at)
    if (typeNames.has(key)) {
      issue('duplicate_type', `domain ${key} has the same name as a ${typeNames.get(key)} in schema "${d.$schema}"`, d.at, key, 'rename the domain')
      continue
    }
    typeNames.set(key, 'domain')
    domains.set(key, d)
    if (byteLength(d.$name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${d.$name}" is longer than 63 bytes`, d.at, key, 'use a name of at most 63 bytes')
    checkRaw(d.$raw.map((r) => ({ ...r, object: key, at: d.at })), issue)
  }
  const composites = collectComposites(found.composites, typeNames, issue, declared)
  const collations = collectCollations(found.collations, issue, declared)
  if (collations.length) {
    // the definitions own collations: one they name in a schema of theirs must be one they declare
    const uses: { collation: string; object: string; at: DefinedAt }[] = []
    for (const [st, b] of built) {
      if (byName.get(`${st.schema}.${st.name}`) !== st) continue
      for (const c of b.def.columns) if (c.collation) uses.push({ collation: c.collation, object: `column ${st.schema}.${st.name}.${c.name}`, at: b.columnAt.get(c.name) ?? st.at })
      for (const ix of b.def.indexes) for (const k of ix.keys) if (k.collation) uses.push({ collation: k.collation, object: `index ${st.schema}.${ix.name}`, at: st.at })
    }
    for (const d of domains.values()) if (d.$def.collation) uses.push({ collation: d.$def.collation, object: `domain ${d.$schema}.${d.$name}`, at: d.at })
    for (const t of found.composites) for (const a of t.$def.attributes) if (a.collation) uses.push({ collation: a.collation, object: `type ${t.$schema}.${t.$name}`, at: t.at })
    checkCollationUses(uses, collations, schemaNames, issue)
  }
  for (const [st, b] of built) {
    if (byName.get(`${st.schema}.${st.name}`) !== st) continue
    for (const u of b.enums) {
      const key = `${u.ref.schema}.${u.ref.name}`
      if (!enums.has(key)) {
        issue('unknown_type', `column ${st.schema}.${st.name}.${u.column} uses enum ${key}, which is not exported`, u.at, `${st.schema}.${st.name}.${u.column}`,
          `export the enum object from a module that schema/index.ts re-exports`)
      }
    }
  }

  // foreign keys
  const exported = new Set(byName.values())
  for (const [st, b] of built) {
    if (byName.get(`${st.schema}.${st.name}`) !== st) continue
    for (const fk of b.foreignKeys) {
      const object = `${st.schema}.${st.name}.${fk.name}`
      if (fk.error) {
        issue(fk.error.code, `foreign key ${object} ${fk.error.message}`, fk.at, object, 'point .references()/foreignColumns at a column of an exported table')
        continue
      }
      const target = fk.target!
      const tkey = `${target.table.schema}.${target.table.name}`
      if (!exported.has(target.table)) {
        issue('fk_unknown_table', `foreign key ${object} references ${tkey}, which is not an exported table`, fk.at, object,
          `export ${tkey} from a module that schema/index.ts re-exports`)
        continue
      }
      const tb = built.get(target.table)!
      const refNames = target.columns.map((c) => c.name)
      const missing = refNames.find((n) => !tb.def.columns.some((c) => c.name === n))
      if (missing) {
        issue('fk_unknown_column', `foreign key ${object} references ${tkey}.${missing}, which does not exist`, fk.at, object)
        continue
      }
      if (fk.columns.length !== refNames.length) {
        issue('fk_column_count', `foreign key ${object} has ${fk.columns.length} column(s) but references ${refNames.length}`, fk.at, object,
          'list as many referenced columns as referencing ones, in the same order')
        continue
      }
      fk.columns.forEach((col, i) => {
        const mine = b.def.columns.find((c) => c.name === col)
        const theirs = tb.def.columns.find((c) => c.name === refNames[i])
        if (mine && theirs && !compatibleTypes(mine.type, theirs.type)) {
          issue('fk_type_mismatch', `foreign key ${object}: ${col} is ${mine.type} but ${tkey}.${theirs.name} is ${theirs.type}`, fk.at, object,
            `make ${col} a ${theirs.type} column`)
        }
      })
      const d = tb.def
      const keyed =
        (d.primaryKey && sameSet(d.primaryKey.columns, refNames)) ||
        d.uniques.some((u) => sameSet(u.columns, refNames)) ||
        d.indexes.some((ix) => ix.unique && ix.where === undefined && ix.keys.every((k) => k.column !== undefined) && sameSet(ix.keys.map((k) => k.column!), refNames))
      if (!keyed) {
        issue('fk_target_not_unique', `foreign key ${object} references ${tkey} (${refNames.join(', ')}), which is not a primary key or unique`, fk.at, object,
          `add a primary key or .unique() on ${tkey} (${refNames.join(', ')})`)
      }
    }
  }

  // relation names per schema: tables, indexes, constraint indexes, sequences share one namespace
  const sequences: SequenceDef[] = []
  for (const s of found.sequences) {
    declared(s.$def.schema, 'sequence', `${s.$def.schema}.${s.$def.name}`, s.at)
    sequences.push(s.$def)
    const d = s.$def
    const bad = !['smallint', 'integer', 'bigint'].includes(d.type)
      ? `type "${d.type}" is not smallint, integer or bigint`
      : (['start', 'increment', 'min', 'max', 'cache'] as const).map((k) => (/^-?\d+$/.test(d[k]) ? undefined : `${k} "${d[k]}" is not an integer`)).find(Boolean)
    if (bad) issue('invalid_sequence', `sequence ${d.schema}.${d.name}: ${bad}`, s.at, `${d.schema}.${d.name}`, 'give whole numbers (number or bigint) and one of the integer types')
  }
  const relations = new Map<string, { name: string; object: string; owner: TableState | undefined; isTable: boolean; at: DefinedAt }[]>()
  const addRel = (schema: string, r: { name: string; object: string; owner: TableState | undefined; isTable: boolean; at: DefinedAt }) => {
    const list = relations.get(schema) ?? []
    list.push(r)
    relations.set(schema, list)
  }
  for (const [st, b] of built) {
    if (byName.get(`${st.schema}.${st.name}`) !== st) continue
    for (const r of b.relations) addRel(st.schema, { ...r, owner: st, isTable: r.name === st.name && r.object === `${st.schema}.${st.name}` })
    for (const s of b.sequences) {
      sequences.push(s)
      addRel(st.schema, { name: s.name, object: `${s.schema}.${s.name}`, owner: st, isTable: false, at: st.at })
    }
  }
  for (const s of found.sequences) addRel(s.$def.schema, { name: s.$def.name, object: `${s.$def.schema}.${s.$def.name}`, owner: undefined, isTable: false, at: s.at })
  for (const [schema, list] of relations) {
    const first = new Map<string, (typeof list)[number]>()
    const firstTrunc = new Map<string, (typeof list)[number]>()
    for (const r of list) {
      const prior = first.get(r.name)
      if (prior) {
        const sameTable = prior.owner !== undefined && prior.owner === r.owner && !prior.isTable && !r.isTable
        if (!sameTable && !(prior.isTable && r.isTable)) {
          issue('duplicate_index', `${r.object} is named "${r.name}", which ${prior.object} in schema "${schema}" already uses`, r.at, r.object,
            'tables, indexes, constraints with indexes and sequences share one namespace per schema: give it another name')
        }
        continue
      }
      first.set(r.name, r)
      const t = truncateIdentifier(r.name)
      const pt = firstTrunc.get(t)
      if (pt && pt.name !== r.name) {
        issue('identifier_collision', `"${r.name}" and "${pt.name}" are the same name once PostgreSQL truncates them to 63 bytes`, r.at, r.object,
          'shorten one of the names so they differ in their first 63 bytes')
      } else firstTrunc.set(t, r)
    }
  }

  // identifier length and truncation collisions among columns and constraints of each table
  const tooLong = (name: string, object: string, at: DefinedAt) => {
    if (byteLength(name) > MAX_IDENTIFIER_BYTES) {
      issue('identifier_too_long', `"${name}" is ${byteLength(name)} bytes; PostgreSQL would silently truncate it to "${truncateIdentifier(name)}"`, at, object,
        'use a name of at most 63 bytes')
    }
  }
  for (const s of found.schemas) tooLong(s.name, s.name, s.at)
  for (const e of enums.values()) tooLong(e.name, `${e.schema}.${e.name}`, e.at)
  for (const s of found.sequences) tooLong(s.$def.name, `${s.$def.schema}.${s.$def.name}`, s.at)
  for (const [st, b] of built) {
    if (byName.get(`${st.schema}.${st.name}`) !== st) continue
    for (const n of b.names) tooLong(n.name, n.object, n.at)
    const cols = new Map<string, string>()
    for (const c of b.def.columns) {
      const t = truncateIdentifier(c.name)
      const prior = cols.get(t)
      if (prior !== undefined && prior !== c.name) {
        issue('identifier_collision', `columns "${prior}" and "${c.name}" of ${st.schema}.${st.name} are the same once truncated to 63 bytes`, b.columnAt.get(c.name),
          `${st.schema}.${st.name}.${c.name}`, 'shorten one of the names so they differ in their first 63 bytes')
      } else cols.set(t, c.name)
    }
  }

  for (const ix of found.indexes) {
    const attached = [...states.keys()].some((st) => st.late.includes(ix) || st.extras.includes(ix))
    if (!attached) issue('index_without_table', 'an exported index names no column of any table', ix.at, undefined, 'build it with .on(table.column)')
  }

  const security = collectViewsAndRoles(found, built, byName, issue, declared)
  const aggregates = collectAggregates(found.aggregates, issue, declared)
  // the fn() objects an aggregate names come along like a trigger's
  const eventTriggers = collectEventTriggers(found.eventTriggers, issue)
  const withAggregateFns = {
    ...found,
    functions: [...found.functions, ...found.aggregates.flatMap((a) => a.$functions), ...found.eventTriggers.flatMap((e) => (e.fn ? [e.fn] : []))],
  }
  const routines = collectRoutines(withAggregateFns, byName, new Set(security.views.map((v) => `${v.schema}.${v.name}`)), issue, declared)

  const extensions = new Map<string, ExtensionDef>()
  for (const x of found.extensions) if (!extensions.has(x.$def.name)) extensions.set(x.$def.name, x.$def)
  const tables: TableDef[] = [...byName.values()].map((st) => built.get(st)!.def)
  const enumDefs: EnumDef[] = [...enums.values()].map((e) => e.$def)
  const model = normalizeModel({
    version: MODEL_VERSION,
    schemas: [...schemas.values()],
    extensions: [...extensions.values()],
    enums: enumDefs,
    domains: [...domains.values()].map((d) => d.$def),
    sequences,
    tables,
    views: security.views,
    functions: routines.functions,
    ...(aggregates.length ? { aggregates } : {}),
    ...(composites.length ? { composites } : {}),
    triggers: routines.triggers,
    ...(eventTriggers.length ? { eventTriggers } : {}),
    roles: security.roles,
    grants: security.grants,
    ...(security.defaultPrivileges.length ? { defaultPrivileges: security.defaultPrivileges } : {}),
    ...(collations.length ? { collations } : {}),
  })
  // entries that are all Postgres' built-in defaults leave no entry, but the definitions still
  // declared default privileges and so own them: an empty list says so (see workflows/undeclared.ts)
  if (found.defaultPrivileges.length && !model.defaultPrivileges) return { model: { ...model, defaultPrivileges: [] }, issues }
  return { model, issues }
}

const RAW_HINTS: Record<RawSql['kind'], string> = {
  expression: 'write one expression: cairn puts it inside its own statement (CHECK (…), DEFAULT …, USING (…))',
  type: 'give the type as PostgreSQL spells it, e.g. customType(\'vector(3)\') or customType(\'public.my_type\')',
  query: 'give one query (SELECT, VALUES or WITH …) without a trailing comment',
  partition_key: 'give the key columns, or one expression per key part',
  partition_bound: 'give the bound as { from, to }, { in: [...] }, { modulus, remainder } or { default: true }',
  opclass: 'give an operator class name, e.g. .op(\'gin_trgm_ops\')',
  method: 'give an access method name, e.g. .using(\'gin\')',
  storage: 'storage parameters are name: value pairs of numbers, booleans or single words, e.g. { fillfactor: 70 }',
}

/** Issues for raw SQL text that cannot be written into a statement as it is. */
function checkRaw(raw: readonly RawSql[], issue: IssueFn): void {
  for (const r of raw) {
    const problem =
      r.kind === 'storage' ? storageParameterProblem(r.text, r.value ?? '')
      : r.kind === 'method' ? accessMethodProblem(r.text)
      : fragmentProblem(r.kind, r.text)
    if (problem) issue('invalid_sql', `${r.what} ${r.kind === 'storage' || r.kind === 'method' ? `(${problem})` : problem}`, r.at, r.object, RAW_HINTS[r.kind])
  }
}

const FK_ACTIONS = new Set(['no action', 'restrict', 'cascade', 'set null', 'set default'])
const POLICY_COMMANDS = new Set(['all', 'select', 'insert', 'update', 'delete'])
const PARTITION_STRATEGIES = new Set(['range', 'list', 'hash'])

/** Issues for the keywords a table's definition spells as strings (typed, but JavaScript lets anything through). */
function checkWords(t: TableDef, at: DefinedAt, issue: IssueFn): void {
  const obj = `${t.schema}.${t.name}`
  for (const fk of t.foreignKeys) {
    for (const a of [fk.onDelete, fk.onUpdate]) {
      if (!FK_ACTIONS.has(a)) issue('invalid_sql', `foreign key ${obj}.${fk.name}: "${a}" is not a referential action`, at, `${obj}.${fk.name}`, `use one of ${[...FK_ACTIONS].join(', ')}`)
    }
  }
  for (const p of t.policies) {
    if (!POLICY_COMMANDS.has(p.command)) issue('invalid_sql', `policy ${obj}.${p.name}: "${p.command}" is not a command`, at, `${obj}.${p.name}`, `use one of ${[...POLICY_COMMANDS].join(', ')}`)
  }
  if (t.partitionBy && !PARTITION_STRATEGIES.has(t.partitionBy.strategy)) {
    issue('invalid_sql', `${obj}: "${t.partitionBy.strategy}" is not a partitioning strategy`, at, obj, 'use range, list or hash')
  }
}

/**
 * PostgreSQL refuses storage parameters on a partitioned table (`unrecognized parameter`, or
 * `cannot specify storage parameters for a partitioned table`): the parent holds no rows, its
 * partitions do. Said here, at the definition, rather than by the server when the migration runs.
 */
function checkPartitionedStorage(t: TableDef, at: DefinedAt, issue: IssueFn): void {
  const keys = Object.keys(t.with)
  if (!t.partitionBy || !keys.length) return
  const obj = `${t.schema}.${t.name}`
  issue('partitioned_table_storage',
    `${obj} is partitioned (PARTITION BY ${t.partitionBy.strategy.toUpperCase()} ${t.partitionBy.key}), and PostgreSQL refuses storage parameters on a partitioned table: ${keys.join(', ')}`,
    at, obj,
    `remove with from ${obj} and give it to its partitions instead: partitionOf(parent, name, bound, { with: { … } }) or rangePartitions(parent, { …, with: { … } })`)
}

/** The error thrown when definitions are invalid: every issue, exit code 2. */
export function invalidSchemaError(issues: readonly Issue[]): CairnError {
  const n = issues.length
  return new CairnError('invalid_schema', `the schema definitions have ${n} problem${n === 1 ? '' : 's'}`, {
    issues,
    hint: 'fix the definitions listed above; nothing was written',
  })
}

/** Turns already-imported module exports into a Model; throws CairnError('invalid_schema') listing every problem. */
export function buildModel(exports: Record<string, unknown>, options: BuildOptions = {}): Model {
  const { model, issues } = collectModel(exports, options)
  if (issues.length) throw invalidSchemaError(issues)
  return model
}

type IssueFn = (code: string, message: string, at: DefinedAt | undefined, object?: string, hint?: string) => void

/** Partitions' parents, views, roles and grants: each checked against what else is exported. */
function collectViewsAndRoles(
  found: CollectedObjects,
  built: ReadonlyMap<TableState, BuiltTable>,
  byName: ReadonlyMap<string, TableState>,
  issue: IssueFn,
  declared: (schema: string, what: string, object: string, at: DefinedAt) => void,
): { views: ViewDef[]; roles: RoleDef[]; grants: GrantDef[]; defaultPrivileges: DefaultPrivilegeDef[] } {
  const exported = new Set(byName.values())
  for (const st of byName.values()) {
    const p = st.partition
    if (!p) continue
    const key = `${st.schema}.${st.name}`
    if (!exported.has(p.parent)) {
      issue('partition_unknown_parent', `partition ${key} belongs to ${p.parent.schema}.${p.parent.name}, which is not an exported table`, p.at, key,
        'export the parent table from a module that schema/index.ts re-exports')
    }
  }

  const views = new Map<string, AnyView>()
  for (const v of found.views) {
    const key = `${v.$schema}.${v.$name}`
    declared(v.$schema, 'view', key, v.at)
    if (views.has(key) || byName.has(key)) {
      issue('duplicate_view', `${key} is defined twice (as a view${byName.has(key) ? ' and a table' : ''})`, v.at, key, 'rename one of them')
      continue
    }
    views.set(key, v)
    if (!v.$def.definition) issue('invalid_view', `view ${key} has an empty query`, v.at, key, 'give it sql: sql`SELECT …`')
    else {
      const raw: RawSql[] = [
        { kind: 'query', text: v.$def.definition, what: `the query of view ${key}`, object: key, at: v.at },
        ...storageRaw(v.$def.with, `view ${key}`, key, v.at),
      ]
      for (const ix of v.$def.indexes) {
        const ixKey = `${v.$schema}.${ix.name}`
        raw.push({ kind: 'method', text: ix.method, what: `the access method of index ${ixKey}`, object: ixKey, at: v.at })
        if (ix.where !== undefined) raw.push({ kind: 'expression', text: ix.where, what: `the predicate of index ${ixKey}`, object: ixKey, at: v.at })
        raw.push(...storageRaw(ix.with, `index ${ixKey}`, ixKey, v.at))
      }
      checkRaw(raw, issue)
    }
    if (v.$def.indexes.length && !v.$def.materialized) issue('invalid_view', `view ${key} has indexes but is not materialized`, v.at, key, 'add materialized: true, or drop the indexes')
    if (byteLength(v.$name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${v.$name}" is longer than 63 bytes`, v.at, key, 'use a name of at most 63 bytes')
  }
  for (const v of views.values()) {
    for (const d of v.deps) {
      const st = tableState(d)
      const dkey = st ? `${st.schema}.${st.name}` : `${(d as AnyView).$schema}.${(d as AnyView).$name}`
      if (st ? byName.get(dkey) !== st : views.get(dkey) !== d) {
        issue('view_unknown_dependency', `view ${v.$schema}.${v.$name} depends on ${dkey}, which is not exported`, v.at, `${v.$schema}.${v.$name}`,
          `export ${dkey} too (views/ and partitions/ load beside schema/)`)
      }
    }
  }

  const roles = new Map<string, RoleDef>()
  const roleAt = new Map<string, DefinedAt>()
  for (const r of found.roles) {
    const prior = roles.get(r.name)
    if (prior && JSON.stringify(prior) !== JSON.stringify(r.$def)) {
      issue('duplicate_role', `role ${r.name} is defined twice with different options`, r.at, r.name, 'define it once and import it where needed')
      continue
    }
    roles.set(r.name, r.$def)
    roleAt.set(r.name, r.at)
  }
  const used = new Set<string>()
  const known = (name: string) => name === 'public' || name.startsWith('pg_') || roles.has(name)
  for (const st of byName.values()) {
    const b = built.get(st)!
    for (const p of b.def.policies) {
      for (const r of p.roles) {
        used.add(r)
        if (!known(r)) {
          issue('unknown_role', `policy ${st.schema}.${st.name}.${p.name} names role ${r}, which is not exported`, st.at, `${st.schema}.${st.name}.${p.name}`,
            `export const ${/^[A-Za-z_$][\w$]*$/.test(r) ? r : 'someRole'} = role('${r}') and name it in the policy`)
        }
      }
    }
  }
  const grants: { def: GrantDef; at: DefinedAt }[] = []
  const grantTargets: GrantTargets = {
    tableColumns: (key) => {
      const st = byName.get(key)
      return st ? built.get(st)!.def.columns.map((c) => c.name) : undefined
    },
    isView: (key) => views.has(key),
    functions: [...found.functions, ...found.triggers.flatMap((t) => (t.fn ? [t.fn] : []))].map((f) => f.$def),
  }
  for (const g of found.grants) {
    const d = g.$def
    const object = `${d.schema}.${d.name}`
    used.add(d.role)
    if (!known(d.role)) issue('unknown_role', `a grant on ${object} names role ${d.role}, which is not exported`, g.at, object, `export const someRole = role('${d.role}')`)
    for (const def of checkGrant(g, grantTargets, issue)) grants.push({ def, at: g.at })
  }
  const defaultPrivileges = collectDefaultPrivileges(found.defaultPrivileges, known, (r) => used.add(r), issue, declared)
  for (const [name, r] of roles) {
    for (const m of r.memberOf) if (!known(m)) issue('unknown_role', `role ${name} is a member of ${m}, which is not exported`, roleAt.get(name), name, `export const someRole = role('${m}')`)
    if (!used.has(name)) {
      issue('unused_role', `role ${name} is named by no policy, grant or default privileges`, roleAt.get(name), name,
        'cairn manages only the roles its policies, grants and default privileges use (roles are cluster-wide): use it, or remove it')
    }
  }
  return { views: [...views.values()].map((v) => v.$def), roles: [...roles.values()], grants: mergeGrants(grants, issue), defaultPrivileges }
}

/** Composite types: in the type namespace with tables, enums and domains; attribute types and the statement checked. */
function collectComposites(
  found: readonly CompositeType[],
  typeNames: Map<string, string>,
  issue: IssueFn,
  declared: (schema: string, what: string, object: string, at: DefinedAt) => void,
): CompositeTypeDef[] {
  const out = new Map<string, CompositeType>()
  for (const t of found) {
    const key = `${t.$schema}.${t.$name}`
    if (out.get(key) === t) continue
    declared(t.$schema, 'composite type', key, t.at)
    if (typeNames.has(key)) {
      issue('duplicate_type', `composite type ${key} has the same name as a ${typeNames.get(key)} in schema "${t.$schema}"`, t.at, key, 'rename the type')
      continue
    }
    typeNames.set(key, 'composite type')
    out.set(key, t)
    if (byteLength(t.$name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${t.$name}" is longer than 63 bytes`, t.at, key, 'use a name of at most 63 bytes')
    for (const m of t.$ignored) issue('invalid_type', m, t.at, key, 'give attributes only a type, a collation and a comment')
    const names = t.$def.attributes.map((a) => a.name)
    const dup = names.find((n, i) => names.indexOf(n) !== i)
    if (dup !== undefined) issue('invalid_type', `composite type ${key} has two attributes named "${dup}"`, t.at, key, 'rename one of them')
    for (const a of t.$def.attributes) {
      if (byteLength(a.name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `attribute "${a.name}" of ${key} is longer than 63 bytes`, t.at, key, 'use a name of at most 63 bytes')
    }
    checkRaw(t.$raw.map((r) => ({ ...r, object: key, at: t.at })), issue)
    const problem = statementProblem('CompositeTypeStmt', createCompositeType(t.$def))
    if (problem) issue('invalid_sql', `composite type ${key}: its definition ${problem}`, t.at, key, "give attribute types as PostgreSQL spells them ('integer', 'app.mood')")
  }
  return [...out.values()].map((t) => t.$def)
}

/** Aggregates: one per name and argument types; names, types and the whole statement checked. */
function collectAggregates(
  found: readonly Aggregate[],
  issue: IssueFn,
  declared: (schema: string, what: string, object: string, at: DefinedAt) => void,
): AggregateDef[] {
  const out = new Map<string, Aggregate>()
  for (const a of found) {
    const d = a.$def
    const key = `${d.schema}.${d.name}(${d.args})`
    const prior = out.get(key)
    if (prior) {
      if (prior !== a && JSON.stringify(prior.$def) !== JSON.stringify(d)) {
        issue('duplicate_aggregate', `aggregate ${key} is defined twice, differently`, a.at, key, 'define it once and import it where needed')
      }
      continue
    }
    out.set(key, a)
    declared(d.schema, 'aggregate', key, a.at)
    if (byteLength(d.name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${d.name}" is longer than 63 bytes`, a.at, key, 'use a name of at most 63 bytes')
    let bad = false
    for (const r of a.$raw) {
      const problem = r.kind === 'function' ? functionNameProblem(r.text.trim().replace(/^pg_catalog\./, '')) : r.kind === 'operator' ? operatorNameProblem(r.text.trim()) : fragmentProblem('type', r.text)
      if (!problem) continue
      bad = true
      issue('invalid_sql', `${r.what}: ${problem}`, a.at, key,
        r.kind === 'function' ? "pass the fn() object, or the function's name qualified with its schema ('app.add_pair'; a bare name is a built-in)"
        : r.kind === 'type' ? "give the type as PostgreSQL spells it, e.g. 'integer' or 'app.mood'" : 'give an operator such as >')
    }
    for (const [k, v] of [['sspace', d.sspace], ['msspace', d.msspace]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
        bad = true
        issue('invalid_sql', `aggregate ${key}: ${k} ${v} is not a whole number of bytes`, a.at, key, 'give a non-negative integer')
      }
    }
    if (!bad) {
      const problem = statementProblem('DefineStmt', createAggregate(d))
      if (problem) issue('invalid_sql', `aggregate ${key}: its definition ${problem}`, a.at, key, 'check args, sfunc, stype and the other options')
    }
  }
  return [...out.values()].map((a) => a.$def)
}

const EVENTS = new Set(['ddl_command_start', 'ddl_command_end', 'sql_drop', 'table_rewrite', 'login'])

/** Event triggers: one per name; event, tags, function name and the whole statement checked. */
function collectEventTriggers(found: readonly EventTrigger[], issue: IssueFn): EventTriggerDef[] {
  const out = new Map<string, EventTrigger>()
  for (const e of found) {
    const d = e.$def
    const prior = out.get(d.name)
    if (prior) {
      if (prior !== e && JSON.stringify(prior.$def) !== JSON.stringify(d)) issue('duplicate_event_trigger', `event trigger ${d.name} is defined twice, differently`, e.at, d.name, 'define it once')
      continue
    }
    out.set(d.name, e)
    if (byteLength(d.name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${d.name}" is longer than 63 bytes`, e.at, d.name, 'use a name of at most 63 bytes')
    const problems = [
      !EVENTS.has(d.event) && `"${d.event}" is not an event`,
      functionNameProblem(d.function),
      ...(d.tags ?? []).map((t) => (/^[A-Z][A-Z ]*$/.test(t) ? undefined : `tag "${t}" is not a command tag (such as CREATE TABLE)`)),
    ].filter((p): p is string => typeof p === 'string')
    for (const p of problems) issue('invalid_sql', `event trigger ${d.name}: ${p}`, e.at, d.name, `use one of ${[...EVENTS].join(', ')}, command tags such as 'CREATE TABLE', and the fn() object or its qualified name`)
    if (!problems.length) {
      const problem = statementProblem('CreateEventTrigStmt', createEventTrigger(d))
      if (problem) issue('invalid_sql', `event trigger ${d.name}: its definition ${problem}`, e.at, d.name, 'check the event, the tags and the function')
    }
  }
  return [...out.values()].map((e) => e.$def)
}
