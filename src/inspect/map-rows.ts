/**
 * Pure mapping from catalog rows (as the queries in queries.ts return them) to the schema model.
 * No I/O: unit tests feed literal rows captured from PostgreSQL 15 and 18.
 */
import type {
  AggregateDef,
  AggregateModify,
  CheckDef,
  CollationDef,
  ColumnStorage,
  CompositeTypeDef,
  EventTriggerDef,
  DefaultPrivilegeDef,
  ColumnDef,
  DomainDef,
  EnumDef,
  ExclusionDef,
  ExtensionDef,
  FkAction,
  ForeignKeyDef,
  FunctionDef,
  GrantDef,
  IndexDef,
  IndexKey,
  Model,
  PolicyDef,
  PrimaryKeyDef,
  RoleDef,
  SchemaDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  UniqueDef,
  UnmodelledObject,
  ViewDef,
} from '../model/types.js'
import { MODEL_VERSION } from '../model/types.js'
import { cmp, grantKey, identityOptions, normalizeModel } from '../model/normalize.js'
import type {
  NamespaceRow,
  ExtensionRow,
  EnumRow,
  CollationRow,
  AggregateRow,
  CompositeRow,
  EventTriggerRow,
  DefaultPrivilegeRow,
  DomainRow,
  SequenceRow,
  TableRow,
  ColumnRow,
  ConstraintRow,
  IndexKeyRow,
  IndexRow,
  PolicyRow,
  ViewRow,
  FunctionRow,
  TriggerRow,
  GrantRow,
  RoleRow,
  CatalogRows,
} from './catalog-rows.js'


/** Schemas never inspected: the system's and cairn's own bookkeeping schema. */
export const SKIPPED_SCHEMAS: ReadonlySet<string> = new Set(['pg_catalog', 'information_schema', 'cairn'])

/** Which schemas to read; names are matched exactly. */
export interface InspectOptions {
  /** Only these schemas (objects of `public` are read only when it is listed). */
  readonly schemas?: readonly string[]
  readonly excludeSchemas?: readonly string[]
}

/** Context of the mapping that is not in the rows. */
export interface MapContext {
  readonly currentUser: string
  /** Privileges PUBLIC holds on the `public` schema of a fresh database (see catalogFeatures). */
  readonly publicSchemaPublicPrivileges: readonly string[]
  readonly options?: InspectOptions
}

/** True when the schema is one cairn never inspects: system, toast, temp, or cairn's own. */
export function isSkippedSchema(name: string): boolean {
  return SKIPPED_SCHEMAS.has(name) || name.startsWith('pg_toast') || name.startsWith('pg_temp')
}

/** The namespaces to inspect under `options`. */
export function selectNamespaces(rows: readonly NamespaceRow[], options: InspectOptions = {}): NamespaceRow[] {
  const only = options.schemas ? new Set(options.schemas) : undefined
  const excluded = new Set(options.excludeSchemas ?? [])
  return rows.filter(
    (n) => !isSkippedSchema(n.name) && !n.extension_member && !excluded.has(n.name) && (!only || only.has(n.name)),
  )
}

/** Role names a model refers to (policies, grants, default privileges), minus PUBLIC, pg_* roles and `currentUser`. */
export function referencedRoles(rows: Pick<CatalogRows, 'policies' | 'grants' | 'defaultPrivileges'>, ctx: Pick<MapContext, 'currentUser' | 'publicSchemaPublicPrivileges'>): string[] {
  const names = new Set<string>()
  for (const p of rows.policies) for (const r of p.roles ?? []) names.add(r)
  for (const g of keptGrantRows(rows.grants, ctx)) names.add(g.grantee)
  for (const d of rows.defaultPrivileges ?? []) names.add(d.role).add(d.grantee)
  return [...names].filter((r) => r !== 'public' && !r.startsWith('pg_') && r !== ctx.currentUser).sort(cmp)
}

const FK_ACTIONS: Record<string, FkAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
}

const POLICY_COMMANDS: Record<string, PolicyDef['command']> = {
  '*': 'all',
  r: 'select',
  a: 'insert',
  w: 'update',
  d: 'delete',
}

const TRIGGER_ENABLED: Record<string, TriggerDef['enabled']> = { D: 'disabled', R: 'replica', A: 'always' }

const PARTITION_STRATEGIES: Record<string, 'range' | 'list' | 'hash'> = { RANGE: 'range', LIST: 'list', HASH: 'hash' }

/** `['fillfactor=70', …]` → `{ fillfactor: '70' }`; `prefix` names toast options `toast.…`. */
export function parseOptions(options: readonly string[] | null | undefined, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const o of options ?? []) {
    const eq = o.indexOf('=')
    if (eq < 0) out[prefix + o] = ''
    else out[prefix + o.slice(0, eq)] = o.slice(eq + 1)
  }
  return out
}

/** The expression inside `CHECK (…)` of pg_get_constraintdef, without NO INHERIT / NOT VALID / NOT ENFORCED. */
export function checkExpression(definition: string): string {
  let d = definition.trim()
  for (;;) {
    const m = / (NOT VALID|NO INHERIT|NOT ENFORCED|ENFORCED)$/.exec(d)
    if (!m) break
    d = d.slice(0, m.index)
  }
  if (!d.startsWith('CHECK (') || !d.endsWith(')')) return d
  return d.slice('CHECK ('.length, -1)
}

/** `RANGE (created_at)` → `{ strategy: 'range', key: '(created_at)' }`. */
export function parsePartitionKey(def: string): { strategy: 'range' | 'list' | 'hash'; key: string } {
  const m = /^(\w+)\s+(.*)$/s.exec(def.trim())
  const strategy = m ? PARTITION_STRATEGIES[m[1].toUpperCase()] : undefined
  if (!m || !strategy) throw new Error(`unexpected partition key definition: ${def}`)
  return { strategy, key: m[2] }
}

/**
 * Removes one pair of parentheses enclosing the whole text (`((a + b))` → `(a + b)`), as
 * pg_get_indexdef adds around non-function key expressions; quotes are respected.
 */
export function stripOuterParens(text: string): string {
  const s = text.trim()
  if (!s.startsWith('(') || !s.endsWith(')')) return s
  let depth = 0
  let quote: string | undefined
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quote) {
      if (ch === quote) {
        if (s[i + 1] === quote) i++
        else quote = undefined
      }
      continue
    }
    if (ch === "'" || ch === '"') quote = ch
    else if (ch === '(') depth++
    else if (ch === ')') {
      depth--
      if (depth === 0 && i < s.length - 1) return s
    }
  }
  return s.slice(1, -1)
}

/** An index key from its row: DESC / NULLS FIRST from indoption bits, defaults omitted. */
export function mapIndexKey(k: IndexKeyRow): IndexKey {
  const option = k.option ?? 0
  const desc = (option & 1) !== 0
  const nullsFirst = (option & 2) !== 0
  return {
    ...(k.column !== null && k.expression === null ? { column: k.column } : { expression: stripOuterParens(k.expression ?? '') }),
    ...(desc ? { desc: true } : {}),
    ...(nullsFirst !== desc ? { nullsFirst } : {}),
    ...(k.opclass !== null && k.opclassDefault === false ? { opclass: k.opclass } : {}),
    ...(k.collation !== null && k.collationDefault === false ? { collation: k.collation } : {}),
  }
}

/** An index (of a table or materialized view) from its row. */
export function mapIndex(r: IndexRow): IndexDef {
  const all = r.keys ?? []
  return {
    name: r.name,
    unique: r.unique,
    method: r.method,
    keys: all.slice(0, r.key_count).map(mapIndexKey),
    include: all.slice(r.key_count).map((k) => k.column ?? ''),
    ...(r.predicate !== null ? { where: r.predicate } : {}),
    ...(r.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
    with: parseOptions(r.options),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

/** A column from its row: identity, stored/virtual generation expression, default, collation. */
export function mapColumn(r: ColumnRow): ColumnDef {
  const generated = r.generated === 's' || r.generated === 'v'
  return {
    name: r.name,
    type: r.type,
    notNull: r.not_null,
    ...(r.default_expr !== null && !generated ? { default: r.default_expr } : {}),
    ...(r.identity === 'a' ? { identity: 'always' as const } : r.identity === 'd' ? { identity: 'by default' as const } : {}),
    ...(generated && r.default_expr !== null ? { generated: r.default_expr } : {}),
    ...(r.collation !== null ? { collation: r.collation } : {}),
    ...(r.storage && COLUMN_STORAGE[r.storage] ? { storage: COLUMN_STORAGE[r.storage] } : {}),
    ...(r.compression === 'p' ? { compression: 'pglz' as const } : r.compression === 'l' ? { compression: 'lz4' as const } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

const COLUMN_STORAGE: Record<string, ColumnStorage> = { p: 'plain', e: 'external', x: 'extended', m: 'main' }

function deferral(r: ConstraintRow): { deferrable?: boolean; initiallyDeferred?: boolean } {
  return {
    ...(r.deferrable ? { deferrable: true } : {}),
    ...(r.deferred ? { initiallyDeferred: true } : {}),
  }
}

function fkAction(code: string, name: string): FkAction {
  const a = FK_ACTIONS[code]
  if (!a) throw new Error(`unknown foreign key action '${code}' on ${name}`)
  return a
}

interface TableParts {
  /** Comments on the indexes behind keys, by name. */
  keyIndexComments?: Record<string, string>
  primaryKey?: PrimaryKeyDef
  uniques: UniqueDef[]
  foreignKeys: ForeignKeyDef[]
  checks: CheckDef[]
  exclusions: ExclusionDef[]
}

/** Sorts constraint rows into a table's parts; NOT NULL (18+) and inherited/cloned ones are ignored. */
export function mapConstraints(rows: readonly ConstraintRow[]): TableParts {
  const parts: TableParts = { uniques: [], foreignKeys: [], checks: [], exclusions: [] }
  for (const r of rows) {
    // cloned onto a partition from its parent, or inherited: declared on the parent only
    if (r.has_parent || !r.is_local) continue
    const columns = r.columns ?? []
    const comment = r.comment !== null && r.comment !== undefined ? { comment: r.comment } : {}
    const withParams = r.index_options?.length ? { with: parseOptions(r.index_options) } : {}
    const include = r.include_columns?.length ? { include: r.include_columns } : {}
    const notValid = r.not_valid ? { notValid: true as const } : {}
    if ((r.type === 'p' || r.type === 'u') && r.index_comment !== null && r.index_comment !== undefined) {
      parts.keyIndexComments = { ...parts.keyIndexComments, [r.name]: r.index_comment }
    }
    switch (r.type) {
      case 'p':
        parts.primaryKey = { name: r.name, columns, ...include, ...deferral(r), ...withParams, ...comment }
        break
      case 'u':
        parts.uniques.push({ name: r.name, columns, ...include, ...(r.nulls_not_distinct ? { nullsNotDistinct: true } : {}), ...deferral(r), ...withParams, ...comment })
        break
      case 'f':
        parts.foreignKeys.push({
          name: r.name,
          columns,
          refSchema: r.ref_schema ?? '',
          refTable: r.ref_table ?? '',
          refColumns: r.ref_columns ?? [],
          onDelete: fkAction(r.on_delete, r.name),
          ...(r.on_delete_columns?.length ? { onDeleteColumns: r.on_delete_columns } : {}),
          onUpdate: fkAction(r.on_update, r.name),
          ...(r.match === 'f' ? { match: 'full' as const } : {}),
          ...deferral(r),
          ...notValid,
          ...comment,
        })
        break
      case 'c':
        parts.checks.push({
          name: r.name,
          expression: checkExpression(r.definition ?? ''),
          ...(r.no_inherit ? { noInherit: true } : {}),
          ...notValid,
          ...comment,
        })
        break
      case 'x':
        parts.exclusions.push({ name: r.name, definition: r.definition ?? '', ...comment })
        break
      default:
        // 'n': NOT NULL constraints (PostgreSQL 18) are the columns' notNull already
        break
    }
  }
  return parts
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const k = key(r)
    const list = out.get(k)
    if (list) list.push(r)
    else out.set(k, [r])
  }
  return out
}

/** A table from its row and the rows hanging off it. */
export function mapTable(
  t: TableRow,
  columns: readonly ColumnRow[],
  constraints: readonly ConstraintRow[],
  indexes: readonly IndexRow[],
  policies: readonly PolicyRow[],
  /** Identity columns' sequences, by column name. */
  identitySequences: ReadonlyMap<string, SequenceRow> = new Map(),
): TableDef {
  const parts = mapConstraints(constraints)
  const partitionOf =
    t.partition_bound !== null && t.parent_name !== null
      ? { parentSchema: t.parent_schema ?? t.schema, parent: t.parent_name, bound: t.partition_bound }
      : undefined
  return {
    kind: 'table',
    schema: t.schema,
    name: t.name,
    columns: [...columns].sort((a, b) => a.num - b.num).map((r) => withIdentityOptions(mapColumn(r), identitySequences.get(r.name))),
    ...(parts.primaryKey ? { primaryKey: parts.primaryKey } : {}),
    uniques: parts.uniques,
    foreignKeys: parts.foreignKeys,
    checks: parts.checks,
    ...(parts.exclusions.length ? { exclusions: parts.exclusions } : {}),
    indexes: indexes.filter((i) => !i.backs_constraint && !i.is_partition).map(mapIndex),
    ...(parts.keyIndexComments ? { keyIndexComments: parts.keyIndexComments } : {}),
    ...(t.unlogged ? { unlogged: true as const } : {}),
    with: { ...parseOptions(t.options), ...parseOptions(t.toast_options, 'toast.') },
    ...(t.rls || t.force_rls ? { rls: { enabled: t.rls, forced: t.force_rls } } : {}),
    policies: policies.map(mapPolicy),
    ...(t.partition_key !== null ? { partitionBy: parsePartitionKey(t.partition_key) } : {}),
    ...(partitionOf ? { partitionOf } : {}),
    ...(t.comment !== null ? { comment: t.comment } : {}),
  }
}

/** A row-level security policy from its row. */
export function mapPolicy(r: PolicyRow): PolicyDef {
  const command = POLICY_COMMANDS[r.command]
  if (!command) throw new Error(`unknown policy command '${r.command}' on ${r.name}`)
  return {
    name: r.name,
    permissive: r.permissive,
    command,
    roles: [...(r.roles ?? ['public'])].sort(cmp),
    ...(r.using_expr !== null ? { using: r.using_expr } : {}),
    ...(r.with_check !== null ? { withCheck: r.with_check } : {}),
    ...(r.comment !== null && r.comment !== undefined ? { comment: r.comment } : {}),
  }
}

const COLLATION_PROVIDERS: Record<string, CollationDef['provider']> = { c: 'libc', i: 'icu', b: 'builtin' }

/** A collation from its row. */
export function mapCollation(r: CollationRow): CollationDef {
  const provider = COLLATION_PROVIDERS[r.provider]
  if (!provider) throw new Error(`unknown collation provider '${r.provider}' of ${r.schema}.${r.name}`)
  const libc = provider === 'libc'
  return {
    kind: 'collation',
    schema: r.schema,
    name: r.name,
    provider,
    ...(!libc && r.locale !== null ? { locale: r.locale } : {}),
    ...(libc && r.lc_collate !== null ? { lcCollate: r.lc_collate } : {}),
    ...(libc && r.lc_ctype !== null ? { lcCtype: r.lc_ctype } : {}),
    deterministic: r.deterministic,
    ...(r.rules !== null ? { rules: r.rules } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

const AGG_MODIFY: Record<string, AggregateModify> = { r: 'read_only', s: 'shareable', w: 'read_write' }

/** An aggregate from its row; options at their defaults are left out. */
export function mapAggregate(r: AggregateRow): AggregateDef {
  // FINALFUNC_MODIFY defaults to READ_ONLY, READ_WRITE for ordered-set aggregates
  const defaultModify = r.agg_kind === 'n' ? 'r' : 'w'
  const opt = <K extends string, V>(k: K, v: V | null | undefined, skip?: V) =>
    (v === null || v === undefined || v === skip ? {} : { [k]: v }) as Partial<Record<K, V>>
  return {
    kind: 'aggregate',
    schema: r.schema,
    name: r.name,
    args: r.args,
    sfunc: r.sfunc,
    stype: r.stype,
    ...opt('sspace', r.sspace, 0),
    ...opt('finalfunc', r.finalfunc),
    ...(r.finalfunc_extra ? { finalfuncExtra: true as const } : {}),
    ...(r.finalfunc_modify !== defaultModify && AGG_MODIFY[r.finalfunc_modify] ? { finalfuncModify: AGG_MODIFY[r.finalfunc_modify] } : {}),
    ...opt('combinefunc', r.combinefunc),
    ...opt('serialfunc', r.serialfunc),
    ...opt('deserialfunc', r.deserialfunc),
    ...opt('initcond', r.initcond),
    ...opt('msfunc', r.msfunc),
    ...opt('minvfunc', r.minvfunc),
    ...opt('mstype', r.mstype),
    ...opt('msspace', r.msspace, 0),
    ...opt('mfinalfunc', r.mfinalfunc),
    ...(r.mfinalfunc_extra ? { mfinalfuncExtra: true as const } : {}),
    ...(r.mfinalfunc_modify !== defaultModify && AGG_MODIFY[r.mfinalfunc_modify] ? { mfinalfuncModify: AGG_MODIFY[r.mfinalfunc_modify] } : {}),
    ...opt('minitcond', r.minitcond),
    ...opt('sortop', r.sortop),
    ...(r.parallel === 's' ? { parallel: 'safe' as const } : r.parallel === 'r' ? { parallel: 'restricted' as const } : {}),
    ...(r.agg_kind === 'h' ? { hypothetical: true as const } : {}),
    ...opt('comment', r.comment),
  }
}

const EVENT_TRIGGER_ENABLED: Record<string, EventTriggerDef['enabled']> = { D: 'disabled', R: 'replica', A: 'always' }

/** An event trigger from its row. */
export function mapEventTrigger(r: EventTriggerRow): EventTriggerDef {
  return {
    kind: 'event_trigger',
    name: r.name,
    event: r.event as EventTriggerDef['event'],
    ...(r.tags?.length ? { tags: r.tags } : {}),
    function: r.function,
    ...(EVENT_TRIGGER_ENABLED[r.enabled] ? { enabled: EVENT_TRIGGER_ENABLED[r.enabled] } : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

/** A composite type from its row. */
export function mapComposite(r: CompositeRow): CompositeTypeDef {
  return {
    kind: 'composite',
    schema: r.schema,
    name: r.name,
    attributes: (r.attributes ?? []).map((a) => ({
      name: a.name,
      type: a.type,
      ...(a.collation !== null ? { collation: a.collation } : {}),
      ...(a.comment !== null ? { comment: a.comment } : {}),
    })),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

/** A domain from its row; NOT VALID checks are read as valid (inspect lists them as unmodelled). */
export function mapDomain(r: DomainRow): DomainDef {
  return {
    kind: 'domain',
    schema: r.schema,
    name: r.name,
    type: r.type,
    notNull: r.not_null,
    ...(r.default_expr !== null ? { default: r.default_expr } : {}),
    ...(r.collation !== null ? { collation: r.collation } : {}),
    checks: (r.checks ?? []).map((c) => ({
      name: c.name,
      expression: checkExpression(c.definition),
      ...(c.comment !== null ? { comment: c.comment } : {}),
    })),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

/** An identity column with the options of its sequence that differ from the defaults. */
export function withIdentityOptions(c: ColumnDef, s: SequenceRow | undefined): ColumnDef {
  if (!c.identity || !s) return c
  const options = identityOptions(c.type, { start: s.start, increment: s.increment, min: s.min, max: s.max, cache: s.cache, cycle: s.cycle })
  return options ? { ...c, identityOptions: options } : c
}

/** A sequence from its row, or undefined for an identity column's sequence. */
export function mapSequence(r: SequenceRow): SequenceDef | undefined {
  if (r.owner_dependency === 'i') return undefined
  return {
    kind: 'sequence',
    schema: r.schema,
    name: r.name,
    type: r.type,
    start: r.start,
    increment: r.increment,
    min: r.min,
    max: r.max,
    cache: r.cache,
    cycle: r.cycle,
    ...(r.owner_dependency === 'a' && r.owned_table !== null && r.owned_column !== null
      ? { ownedBy: { table: r.owned_table, column: r.owned_column } }
      : {}),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  }
}

/** A view or materialized view from its row; pg_get_viewdef's surrounding blanks and `;` are dropped. */
export function mapView(r: ViewRow, indexes: readonly IndexRow[]): ViewDef {
  return {
    kind: 'view',
    schema: r.schema,
    name: r.name,
    materialized: r.materialized,
    definition: r.definition.trim().replace(/;$/, ''),
    with: parseOptions(r.options),
    indexes: r.materialized ? indexes.filter((i) => !i.backs_constraint && !i.is_partition).map(mapIndex) : [],
    ...(r.comment !== null ? { comment: r.comment } : {}),
    ...(r.column_comments ? { columnComments: sortedRecord(r.column_comments) } : {}),
  }
}

/** `record` with its keys in code-point order (the model's normal form does not depend on the catalog's order). */
function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

function keptGrantRows(rows: readonly GrantRow[], ctx: Pick<MapContext, 'publicSchemaPublicPrivileges'>): GrantRow[] {
  return rows.filter(
    (g) =>
      !g.to_owner &&
      !g.is_default &&
      !(g.object_kind === 'schema' && g.name === 'public' && g.grantee === 'public' && !g.grantable &&
        ctx.publicSchemaPublicPrivileges.includes(g.privilege)),
  )
}

/**
 * Grants from exploded ACL rows: the owner's own privileges, the object kind's default ACL
 * (e.g. EXECUTE to PUBLIC on functions) and initdb's grants on `public` are left out; default
 * privileges PUBLIC lost become `revoke` entries. One entry per object (column), role, option, direction.
 */
export function mapGrants(rows: readonly GrantRow[], ctx: Pick<MapContext, 'publicSchemaPublicPrivileges'>): GrantDef[] {
  const groups = groupBy(keptGrantRows(rows, ctx), (g) =>
    JSON.stringify([g.object_kind, g.schema, g.name, g.args ?? null, g.column ?? null, g.grantee, g.grantable, g.revoked === true]),
  )
  const out: GrantDef[] = []
  for (const list of groups.values()) {
    const g = list[0]
    out.push({
      kind: 'grant',
      on: g.object_kind,
      schema: g.schema,
      name: g.name,
      ...(g.args != null ? { args: g.args } : {}),
      ...(g.column != null ? { column: g.column } : {}),
      role: g.grantee,
      privileges: [...new Set(list.map((x) => x.privilege.toUpperCase()))].sort(cmp),
      withGrantOption: g.grantable,
      ...(g.revoked ? { revoke: true as const } : {}),
    })
  }
  return out.sort((a, b) => cmp(grantKey(a), grantKey(b)))
}

const DEFAULT_ACL_KINDS: Record<string, DefaultPrivilegeDef['on']> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' }

/**
 * Default privilege entries from their exploded rows, one per role, schema, kind, grantee, option,
 * direction; the connected user's entries name no role (FOR ROLE is left to whoever runs them).
 */
export function mapDefaultPrivileges(rows: readonly DefaultPrivilegeRow[], currentUser?: string): DefaultPrivilegeDef[] {
  const groups = groupBy(rows, (r) => JSON.stringify([r.role, r.schema, r.objtype, r.grantee, r.grantable, r.revoked]))
  const out: DefaultPrivilegeDef[] = []
  for (const list of groups.values()) {
    const r = list[0] as DefaultPrivilegeRow
    const on = DEFAULT_ACL_KINDS[r.objtype]
    if (!on) throw new Error(`unknown default privilege object type '${r.objtype}'`)
    out.push({
      kind: 'default_privilege',
      ...(r.role !== currentUser ? { role: r.role } : {}),
      ...(r.schema !== null ? { schema: r.schema } : {}),
      on,
      grantee: r.grantee,
      privileges: [...new Set(list.map((x) => x.privilege.toUpperCase()))].sort(cmp),
      withGrantOption: r.grantable,
      ...(r.revoked ? { revoke: true as const } : {}),
    })
  }
  return out
}

/** A role from its row. */
export function mapRole(r: RoleRow): RoleDef {
  return {
    kind: 'role',
    name: r.name,
    login: r.login,
    inherit: r.inherit,
    bypassRls: r.bypass_rls,
    memberOf: [...(r.member_of ?? [])].sort(cmp),
  }
}

/** The whole model from the rows of one inspection, in normal form. */
export function mapRows(rows: CatalogRows, ctx: MapContext): Model {
  const namespaces = selectNamespaces(rows.namespaces, ctx.options)
  const inspected = new Set(namespaces.map((n) => n.name))
  const only = ctx.options?.schemas ? new Set(ctx.options.schemas) : undefined
  const excluded = new Set(ctx.options?.excludeSchemas ?? [])

  const schemas: SchemaDef[] = namespaces
    .filter((n) => n.name !== 'public')
    .map((n) => ({ kind: 'schema', name: n.name, ...(n.comment !== null ? { comment: n.comment } : {}) }))
  const extensions: ExtensionDef[] = rows.extensions
    .filter((e) => e.name !== 'plpgsql' && !excluded.has(e.schema) && (!only || only.has(e.schema)))
    .map((e) => ({ kind: 'extension', name: e.name, schema: e.schema }))
  const enums: EnumDef[] = rows.enums
    .filter((e) => inspected.has(e.schema))
    .map((e) => ({
      kind: 'enum',
      schema: e.schema,
      name: e.name,
      values: e.values ?? [],
      ...(e.comment !== null ? { comment: e.comment } : {}),
    }))
  const domains = rows.domains.filter((d) => inspected.has(d.schema)).map(mapDomain)
  const collations = (rows.collations ?? []).filter((c) => inspected.has(c.schema)).map(mapCollation)
  const sequences = rows.sequences
    .filter((s) => inspected.has(s.schema))
    .map(mapSequence)
    .filter((s): s is SequenceDef => s !== undefined)

  const columnsBy = groupBy(rows.columns, (r) => r.table_oid)
  const constraintsBy = groupBy(rows.constraints, (r) => r.table_oid)
  const indexesBy = groupBy(rows.indexes, (r) => r.table_oid)
  const policiesBy = groupBy(rows.policies, (r) => r.table_oid)
  const identityBy = groupBy(
    rows.sequences.filter((s) => s.owner_dependency === 'i' && s.owned_table !== null),
    (s) => `${s.schema}.${s.owned_table}`,
  )
  const tables = rows.tables
    .filter((t) => inspected.has(t.schema))
    .map((t) =>
      mapTable(t, columnsBy.get(t.oid) ?? [], constraintsBy.get(t.oid) ?? [], indexesBy.get(t.oid) ?? [], policiesBy.get(t.oid) ?? [],
        new Map((identityBy.get(`${t.schema}.${t.name}`) ?? []).map((s) => [s.owned_column ?? '', s]))),
    )
  const views = rows.views.filter((v) => inspected.has(v.schema)).map((v) => mapView(v, indexesBy.get(v.oid) ?? []))
  const functions: FunctionDef[] = rows.functions
    .filter((f) => inspected.has(f.schema))
    .map((f) => ({
      kind: 'function',
      schema: f.schema,
      name: f.name,
      args: f.args,
      isProcedure: f.is_procedure,
      definition: f.definition.trimEnd(),
      ...(f.comment !== null ? { comment: f.comment } : {}),
    }))
  const aggregates = (rows.aggregates ?? []).filter((a) => inspected.has(a.schema)).map(mapAggregate)
  const composites = (rows.composites ?? []).filter((c) => inspected.has(c.schema)).map(mapComposite)
  // database-wide: left out when only some schemas are compared
  const eventTriggers = only ? [] : (rows.eventTriggers ?? []).map(mapEventTrigger)
  const triggers: TriggerDef[] = rows.triggers
    .filter((t) => inspected.has(t.schema))
    .map((t) => ({
      kind: 'trigger',
      schema: t.schema,
      table: t.table,
      name: t.name,
      definition: t.definition,
      ...(t.enabled !== undefined && TRIGGER_ENABLED[t.enabled] ? { enabled: TRIGGER_ENABLED[t.enabled] } : {}),
      ...(t.comment !== null ? { comment: t.comment } : {}),
    }))
  const grants = mapGrants(
    rows.grants.filter((g) => inspected.has(g.schema)),
    ctx,
  )
  const wanted = new Set(referencedRoles({ policies: rows.policies, grants: rows.grants, defaultPrivileges: rows.defaultPrivileges }, ctx))
  const roles = rows.roles.filter((r) => wanted.has(r.name)).map(mapRole)
  const defaultPrivileges = mapDefaultPrivileges(
    (rows.defaultPrivileges ?? []).filter((d) => (d.schema === null ? !only : inspected.has(d.schema))),
    ctx.currentUser,
  )
  // database-wide objects belong to no schema: left out when only some schemas are compared
  const unmodelled: UnmodelledObject[] = (rows.unmodelled ?? [])
    .filter((u) => (u.schema === null ? !only : inspected.has(u.schema)))
    .map((u) => ({ kind: u.kind, ...(u.schema !== null ? { schema: u.schema } : {}), name: u.name }))

  return normalizeModel({
    version: MODEL_VERSION,
    schemas,
    extensions,
    enums,
    domains,
    ...(collations.length ? { collations } : {}),
    sequences,
    tables,
    views,
    functions,
    ...(aggregates.length ? { aggregates } : {}),
    ...(composites.length ? { composites } : {}),
    triggers,
    ...(eventTriggers.length ? { eventTriggers } : {}),
    roles,
    grants,
    ...(defaultPrivileges.length ? { defaultPrivileges } : {}),
    ...(unmodelled.length ? { unmodelled } : {}),
  })
}
