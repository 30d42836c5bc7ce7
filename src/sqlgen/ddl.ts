/**
 * Statement renderers, one per entity: pure functions from model pieces to SQL text (no trailing
 * semicolon). Both the full-model renderer and the migration planner build on these, so a CREATE
 * is spelled the same way whether it comes from `cairn sql` or from a migration.
 */
import type {
  CheckDef,
  CollationDef,
  ColumnDef,
  DefaultPrivilegeDef,
  DomainCheckDef,
  DomainDef,
  EnumDef,
  ExclusionDef,
  ExtensionDef,
  FkAction,
  ForeignKeyDef,
  FunctionDef,
  GrantDef,
  IdentityOptions,
  IndexDef,
  IndexKey,
  PolicyDef,
  PrimaryKeyDef,
  RoleDef,
  SchemaDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  UniqueDef,
  ViewDef,
} from '../model/types.js'
import type { AggregateDef, CompositeTypeDef, EventTriggerDef } from '../model/types.js'
import { ident, identList, literal, qname, storageParam } from './quote.js'
import { stableExpression } from './expression-text.js'

/** `CREATE SCHEMA name`. */
export function createSchema(s: SchemaDef): string {
  return `CREATE SCHEMA ${ident(s.name)}`
}

/** `CREATE EXTENSION IF NOT EXISTS name WITH SCHEMA schema`. */
export function createExtension(e: ExtensionDef): string {
  return `CREATE EXTENSION IF NOT EXISTS ${ident(e.name)} WITH SCHEMA ${ident(e.schema)}`
}

/** `CREATE TYPE schema.name AS ENUM (…)`. */
export function createEnum(e: EnumDef): string {
  return `CREATE TYPE ${qname(e.schema, e.name)} AS ENUM (${e.values.map(literal).join(', ')})`
}

const QUALIFIED_COLLATION = /^(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)$/

/**
 * A collation as COLLATE names it: a system collation's bare name is quoted as needed (`"C"`,
 * `"en_US.utf8"`); one made by CREATE COLLATION is kept in the model already qualified and quoted
 * (`app.ci`), as inspect reads it.
 */
export function collationSql(name: string): string {
  return QUALIFIED_COLLATION.test(name) ? name : ident(name)
}

/** `CREATE COLLATION schema.name (provider = …, locale = … | lc_collate = …, lc_ctype = …, …)`. */
export function createCollation(c: CollationDef): string {
  const opts = [`provider = ${c.provider}`]
  if (c.locale !== undefined) opts.push(`locale = ${literal(c.locale)}`)
  if (c.lcCollate !== undefined) opts.push(`lc_collate = ${literal(c.lcCollate)}`)
  if (c.lcCtype !== undefined) opts.push(`lc_ctype = ${literal(c.lcCtype)}`)
  if (!c.deterministic) opts.push('deterministic = false')
  if (c.rules !== undefined) opts.push(`rules = ${literal(c.rules)}`)
  return `CREATE COLLATION ${qname(c.schema, c.name)} (${opts.join(', ')})`
}

/** `CONSTRAINT name CHECK (…)` of a domain, optionally NOT VALID. */
export function domainCheckClause(c: DomainCheckDef, options: { notValid?: boolean } = {}): string {
  return `CONSTRAINT ${ident(c.name)} CHECK (${stableExpression(c.expression)})${options.notValid ? ' NOT VALID' : ''}`
}

/** `CREATE DOMAIN schema.name AS type [COLLATE …] [DEFAULT …] [NOT NULL] [CONSTRAINT … CHECK (…)]…`. */
export function createDomain(d: DomainDef): string {
  let sql = `CREATE DOMAIN ${qname(d.schema, d.name)} AS ${d.type}`
  if (d.collation) sql += ` COLLATE ${collationSql(d.collation)}`
  if (d.default !== undefined) sql += ` DEFAULT ${d.default}`
  if (d.notNull) sql += ' NOT NULL'
  for (const c of d.checks) sql += ` ${domainCheckClause(c)}`
  return sql
}

/** `CREATE SEQUENCE …` with every option spelled out, so the result does not depend on defaults. */
export function createSequence(s: SequenceDef): string {
  return (
    `CREATE SEQUENCE ${qname(s.schema, s.name)} AS ${s.type} INCREMENT BY ${s.increment} ` +
    `MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ' NO CYCLE'}`
  )
}

/** `ALTER SEQUENCE … OWNED BY table.column`, or undefined for a free-standing sequence. */
export function sequenceOwnedBy(s: SequenceDef): string | undefined {
  if (!s.ownedBy) return undefined
  return `ALTER SEQUENCE ${qname(s.schema, s.name)} OWNED BY ${qname(s.schema, s.ownedBy.table)}.${ident(s.ownedBy.column)}`
}

/** ` (START WITH … INCREMENT BY … MINVALUE … MAXVALUE … CACHE … CYCLE)` for the options given, or ''. */
export function identityOptionsClause(o: IdentityOptions | undefined): string {
  if (!o) return ''
  const parts = [
    ...(o.start !== undefined ? [`START WITH ${o.start}`] : []),
    ...(o.increment !== undefined ? [`INCREMENT BY ${o.increment}`] : []),
    ...(o.min !== undefined ? [`MINVALUE ${o.min}`] : []),
    ...(o.max !== undefined ? [`MAXVALUE ${o.max}`] : []),
    ...(o.cache !== undefined ? [`CACHE ${o.cache}`] : []),
    ...(o.cycle ? ['CYCLE'] : []),
  ]
  return parts.length ? ` (${parts.join(' ')})` : ''
}

/** A column definition as it appears in CREATE TABLE and ADD COLUMN. */
export function columnDefinition(c: ColumnDef): string {
  let sql = `${ident(c.name)} ${c.type}`
  // (STORAGE is set by its own ALTER: CREATE TABLE takes it from PostgreSQL 16 only)
  if (c.compression) sql += ` COMPRESSION ${c.compression}`
  if (c.collation) sql += ` COLLATE ${collationSql(c.collation)}`
  if (c.generated !== undefined) sql += ` GENERATED ALWAYS AS (${stableExpression(c.generated)}) STORED`
  if (c.identity) sql += ` GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptionsClause(c.identityOptions)}`
  if (c.default !== undefined) sql += ` DEFAULT ${c.default}`
  if (c.notNull) sql += ' NOT NULL'
  return sql
}

function deferrable(d: { deferrable?: boolean; initiallyDeferred?: boolean }): string {
  if (!d.deferrable) return ''
  return d.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE'
}

/** `CONSTRAINT name PRIMARY KEY (…)`. */
export function primaryKeyClause(pk: PrimaryKeyDef): string {
  return `CONSTRAINT ${ident(pk.name)} PRIMARY KEY (${identList(pk.columns)})${includeClause(pk.include)}${withClause(pk.with ?? {})}${deferrable(pk)}`
}

/** `CONSTRAINT name UNIQUE (…)`. */
export function uniqueClause(u: UniqueDef): string {
  const nnd = u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''
  return `CONSTRAINT ${ident(u.name)} UNIQUE${nnd} (${identList(u.columns)})${includeClause(u.include)}${withClause(u.with ?? {})}${deferrable(u)}`
}

/** ` INCLUDE (…)`, or '' when there are none. */
function includeClause(columns: readonly string[] | undefined): string {
  return columns?.length ? ` INCLUDE (${identList(columns)})` : ''
}

/** The constraints CREATE TABLE writes inline (foreign keys come after every table exists). */
export function inlineConstraints(t: TableDef): readonly { readonly name: string; readonly comment?: string }[] {
  return [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques, ...t.checks, ...(t.exclusions ?? [])]
}

/** `CONSTRAINT name CHECK (…)`, NOT VALID when asked or when the check is. */
export function checkClause(c: CheckDef, options: { notValid?: boolean } = {}): string {
  return `CONSTRAINT ${ident(c.name)} CHECK (${stableExpression(c.expression)})${c.noInherit ? ' NO INHERIT' : ''}${(options.notValid ?? c.notValid) ? ' NOT VALID' : ''}`
}

/** `CONSTRAINT name EXCLUDE …`. */
export function exclusionClause(x: ExclusionDef): string {
  return `CONSTRAINT ${ident(x.name)} ${x.definition}`
}

function fkAction(a: FkAction): string {
  return a.toUpperCase()
}

/** `CONSTRAINT name FOREIGN KEY (…) REFERENCES …`, optionally NOT VALID. */
export function foreignKeyClause(fk: ForeignKeyDef, options: { notValid?: boolean } = {}): string {
  let sql =
    `CONSTRAINT ${ident(fk.name)} FOREIGN KEY (${identList(fk.columns)}) ` +
    `REFERENCES ${qname(fk.refSchema, fk.refTable)} (${identList(fk.refColumns)})`
  if (fk.match === 'full') sql += ' MATCH FULL'
  if (fk.onUpdate !== 'no action') sql += ` ON UPDATE ${fkAction(fk.onUpdate)}`
  if (fk.onDelete !== 'no action') sql += ` ON DELETE ${fkAction(fk.onDelete)}${fk.onDeleteColumns?.length ? ` (${identList(fk.onDeleteColumns)})` : ''}`
  sql += deferrable(fk)
  if (options.notValid ?? fk.notValid) sql += ' NOT VALID'
  return sql
}

/** `WITH (k=v, …)` with sorted keys, or '' when empty. */
export function withClause(params: Readonly<Record<string, string>>): string {
  const keys = Object.keys(params).sort()
  if (keys.length === 0) return ''
  return ` WITH (${keys.map((k) => storageParam(k, params[k])).join(', ')})`
}

/**
 * `CREATE TABLE` with columns, primary key, unique and check constraints inline. Foreign keys are
 * left out (they are added after every table exists); so are indexes, comments, policies and NOT
 * VALID checks (inline, Postgres would validate them: they are added by ALTER TABLE after).
 */
export function createTable(t: TableDef): string {
  const name = qname(t.schema, t.name)
  if (t.partitionOf) {
    const parts = [
      ...(t.primaryKey ? [primaryKeyClause(t.primaryKey)] : []),
      ...t.uniques.map(uniqueClause),
      ...t.checks.filter((c) => !c.notValid).map((c) => checkClause(c)),
      ...(t.exclusions ?? []).map(exclusionClause),
    ]
    const body = parts.length ? ` (\n  ${parts.join(',\n  ')}\n)` : ''
    return (
      `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} PARTITION OF ${qname(t.partitionOf.parentSchema, t.partitionOf.parent)}${body} ` +
      `${t.partitionOf.bound}${t.partitionBy ? ` PARTITION BY ${t.partitionBy.strategy.toUpperCase()} ${t.partitionBy.key}` : ''}` +
      withClause(t.with)
    )
  }
  const lines = [
    ...t.columns.map(columnDefinition),
    ...(t.primaryKey ? [primaryKeyClause(t.primaryKey)] : []),
    ...t.uniques.map(uniqueClause),
    ...t.checks.filter((c) => !c.notValid).map((c) => checkClause(c)),
    ...(t.exclusions ?? []).map(exclusionClause),
  ]
  const partition = t.partitionBy ? ` PARTITION BY ${t.partitionBy.strategy.toUpperCase()} ${t.partitionBy.key}` : ''
  return `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${partition}${withClause(t.with)}`
}

/** `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`. */
export function addForeignKey(t: TableDef, fk: ForeignKeyDef, options: { notValid?: boolean } = {}): string {
  return `ALTER TABLE ${qname(t.schema, t.name)} ADD ${foreignKeyClause(fk, options)}`
}

function indexKey(k: IndexKey): string {
  let sql = k.column !== undefined ? ident(k.column) : `(${k.expression})`
  if (k.collation) sql += ` COLLATE ${collationSql(k.collation)}`
  if (k.opclass) sql += ` ${k.opclass}`
  if (k.desc) sql += ' DESC'
  if (k.nullsFirst !== undefined) {
    // only spelled out when it differs from the direction's default
    if (k.nullsFirst && !k.desc) sql += ' NULLS FIRST'
    if (!k.nullsFirst && k.desc) sql += ' NULLS LAST'
  }
  return sql
}

/** `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON table USING method (…) …`. */
export function createIndex(
  on: { schema: string; name: string },
  ix: IndexDef,
  options: { concurrently?: boolean; ifNotExists?: boolean; only?: boolean } = {},
): string {
  let sql = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${options.concurrently ? 'CONCURRENTLY ' : ''}`
  sql += `${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${ident(ix.name)} ON ${options.only ? 'ONLY ' : ''}${qname(on.schema, on.name)}`
  sql += ` USING ${ix.method} (${ix.keys.map(indexKey).join(', ')})`
  if (ix.include.length) sql += ` INCLUDE (${identList(ix.include)})`
  if (ix.nullsNotDistinct) sql += ' NULLS NOT DISTINCT'
  sql += withClause(ix.with)
  if (ix.where !== undefined) sql += ` WHERE ${stableExpression(ix.where)}`
  return sql
}

/** `COMMENT ON <what> IS '…'` (or `IS NULL` to remove it). */
export function commentOn(what: string, comment: string | undefined): string {
  return `COMMENT ON ${what} IS ${comment === undefined ? 'NULL' : literal(comment)}`
}

/** `ALTER TABLE … ENABLE/DISABLE [NO FORCE/FORCE] ROW LEVEL SECURITY` statements for a table. */
export function rowSecurity(t: TableDef): string[] {
  const name = qname(t.schema, t.name)
  const out: string[] = []
  out.push(`ALTER TABLE ${name} ${t.rls?.enabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`)
  out.push(`ALTER TABLE ${name} ${t.rls?.forced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`)
  return out
}

/** `CREATE POLICY …`. */
export function createPolicy(t: { schema: string; name: string }, p: PolicyDef): string {
  let sql = `CREATE POLICY ${ident(p.name)} ON ${qname(t.schema, t.name)}`
  if (!p.permissive) sql += ' AS RESTRICTIVE'
  if (p.command !== 'all') sql += ` FOR ${p.command.toUpperCase()}`
  sql += ` TO ${p.roles.map((r) => (r === 'public' ? 'PUBLIC' : ident(r))).join(', ')}`
  if (p.using !== undefined) sql += ` USING (${stableExpression(p.using)})`
  if (p.withCheck !== undefined) sql += ` WITH CHECK (${stableExpression(p.withCheck)})`
  return sql
}

/**
 * A view's query as it is written back: `pg_get_viewdef()`'s text without the trailing `;`, and
 * through `stableExpression()` so that an `IN (…)` list over varchar reads back as the same query.
 */
export function viewBody(v: Pick<ViewDef, 'definition'>): string {
  return stableExpression(v.definition.trim().replace(/;$/, ''))
}

/** `CREATE [MATERIALIZED] VIEW …`. */
export function createView(v: ViewDef): string {
  const cols = v.columns?.length ? ` (${identList(v.columns)})` : ''
  const body = viewBody(v)
  return `CREATE ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qname(v.schema, v.name)}${cols}${withClause(v.with)} AS\n${body}`
}

/** The function's own `CREATE OR REPLACE FUNCTION/PROCEDURE` text. */
export function createFunction(f: FunctionDef): string {
  return f.definition.trim().replace(/;$/, '')
}

/** `CREATE [OR REPLACE] AGGREGATE schema.name (args) (SFUNC = …, STYPE = …, …)`, options at their defaults left out. */
export function createAggregate(a: AggregateDef, options: { replace?: boolean } = {}): string {
  const modify = (m: string) => m.toUpperCase()
  const opts: string[] = [`SFUNC = ${a.sfunc}`, `STYPE = ${a.stype}`]
  if (a.sspace !== undefined) opts.push(`SSPACE = ${a.sspace}`)
  if (a.finalfunc !== undefined) opts.push(`FINALFUNC = ${a.finalfunc}`)
  if (a.finalfuncExtra) opts.push('FINALFUNC_EXTRA')
  if (a.finalfuncModify !== undefined) opts.push(`FINALFUNC_MODIFY = ${modify(a.finalfuncModify)}`)
  if (a.combinefunc !== undefined) opts.push(`COMBINEFUNC = ${a.combinefunc}`)
  if (a.serialfunc !== undefined) opts.push(`SERIALFUNC = ${a.serialfunc}`)
  if (a.deserialfunc !== undefined) opts.push(`DESERIALFUNC = ${a.deserialfunc}`)
  if (a.initcond !== undefined) opts.push(`INITCOND = ${literal(a.initcond)}`)
  if (a.msfunc !== undefined) opts.push(`MSFUNC = ${a.msfunc}`)
  if (a.minvfunc !== undefined) opts.push(`MINVFUNC = ${a.minvfunc}`)
  if (a.mstype !== undefined) opts.push(`MSTYPE = ${a.mstype}`)
  if (a.msspace !== undefined) opts.push(`MSSPACE = ${a.msspace}`)
  if (a.mfinalfunc !== undefined) opts.push(`MFINALFUNC = ${a.mfinalfunc}`)
  if (a.mfinalfuncExtra) opts.push('MFINALFUNC_EXTRA')
  if (a.mfinalfuncModify !== undefined) opts.push(`MFINALFUNC_MODIFY = ${modify(a.mfinalfuncModify)}`)
  if (a.minitcond !== undefined) opts.push(`MINITCOND = ${literal(a.minitcond)}`)
  if (a.sortop !== undefined) opts.push(`SORTOP = ${a.sortop}`)
  if (a.parallel !== undefined) opts.push(`PARALLEL = ${a.parallel.toUpperCase()}`)
  if (a.hypothetical) opts.push('HYPOTHETICAL')
  return `CREATE ${options.replace ? 'OR REPLACE ' : ''}AGGREGATE ${aggregateSignature(a)} (\n  ${opts.join(',\n  ')}\n)`
}

/** `schema.name(args)` of an aggregate, `(*)` when it takes no arguments: what DROP and COMMENT name. */
export function aggregateSignature(a: Pick<AggregateDef, 'schema' | 'name' | 'args'>): string {
  return `${qname(a.schema, a.name)}(${a.args === '' ? '*' : a.args})`
}

/** `CREATE EVENT TRIGGER name ON event [WHEN TAG IN (…)] EXECUTE FUNCTION fn()`. */
export function createEventTrigger(e: EventTriggerDef): string {
  const when = e.tags?.length ? ` WHEN TAG IN (${e.tags.map(literal).join(', ')})` : ''
  return `CREATE EVENT TRIGGER ${ident(e.name)} ON ${e.event}${when} EXECUTE FUNCTION ${e.function}()`
}

/** `CREATE TYPE schema.name AS (attribute type [COLLATE …], …)`. */
export function createCompositeType(t: CompositeTypeDef): string {
  const attrs = t.attributes.map((a) => `${ident(a.name)} ${a.type}${a.collation ? ` COLLATE ${collationSql(a.collation)}` : ''}`)
  return `CREATE TYPE ${qname(t.schema, t.name)} AS (${attrs.join(', ')})`
}

/** The trigger's own `CREATE TRIGGER` text. */
export function createTrigger(t: TriggerDef): string {
  // the WHEN condition is an expression like any other: an IN list over varchar must read back the same
  return stableExpression(t.definition.trim().replace(/;$/, ''))
}

/**
 * `CREATE ROLE` guarded by an existence check: roles are cluster-wide, so a migration must not fail
 * because another database on the same server created the role first (or is creating it now).
 */
export function createRole(r: RoleDef): string {
  const opts = [r.login ? 'LOGIN' : 'NOLOGIN', r.inherit ? 'INHERIT' : 'NOINHERIT', r.bypassRls ? 'BYPASSRLS' : 'NOBYPASSRLS']
  const inRoles = r.memberOf.length ? ` IN ROLE ${identList(r.memberOf)}` : ''
  const body =
    ` BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(r.name)}) THEN\n` +
    `    CREATE ROLE ${ident(r.name)} ${opts.join(' ')}${inRoles};\n  END IF;\n` +
    // two databases of one server may create it at the same moment: the loser finds it made
    `EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;\nEND `
  const tag = dollarTag(body)
  return `DO ${tag}${body}${tag}`
}

/** `$cairn$`, or `$cairn_<n>$` when the body holds it (a role name may): the body cannot end the quote. */
function dollarTag(body: string): string {
  let tag = '$cairn$'
  for (let n = 1; body.includes(tag); n++) tag = `$cairn_${n}$`
  return tag
}

function grantTarget(g: GrantDef): string {
  switch (g.on) {
    case 'schema':
      return `SCHEMA ${ident(g.schema)}`
    case 'table':
      return `TABLE ${qname(g.schema, g.name)}`
    case 'sequence':
      return `SEQUENCE ${qname(g.schema, g.name)}`
    case 'function':
      // ROUTINE names functions and procedures alike
      return `ROUTINE ${qname(g.schema, g.name)}${g.args !== undefined ? `(${g.args})` : ''}`
    case 'type':
      return `TYPE ${qname(g.schema, g.name)}`
    default: {
      const never: never = g.on
      throw new Error(`unknown grant target ${String(never)}`)
    }
  }
}

/** `SELECT, UPDATE` or, for a column-level grant, `SELECT (email), UPDATE (email)`. */
function grantPrivileges(g: GrantDef): string {
  return g.privileges.map((p) => (g.column !== undefined ? `${p} (${ident(g.column)})` : p)).join(', ')
}

/** `ALTER DEFAULT PRIVILEGES [FOR ROLE …] [IN SCHEMA …] GRANT … ON TABLES TO … [WITH GRANT OPTION]` or its REVOKE. */
export function alterDefaultPrivileges(d: DefaultPrivilegeDef, action: 'grant' | 'revoke'): string {
  const who = d.grantee === 'public' ? 'PUBLIC' : ident(d.grantee)
  const head = `ALTER DEFAULT PRIVILEGES${d.role !== undefined ? ` FOR ROLE ${ident(d.role)}` : ''}${d.schema !== undefined ? ` IN SCHEMA ${ident(d.schema)}` : ''}`
  const what = `${d.privileges.join(', ')} ON ${d.on.toUpperCase()}`
  return action === 'grant'
    ? `${head} GRANT ${what} TO ${who}${d.withGrantOption ? ' WITH GRANT OPTION' : ''}`
    : `${head} REVOKE ${what} FROM ${who}`
}

/**
 * The statement that establishes a grant entry: `GRANT … ON … TO …`, or for an entry that takes
 * PUBLIC's default privileges away (`revoke`), `REVOKE … ON … FROM PUBLIC`.
 */
export function grant(g: GrantDef): string {
  const role = g.role === 'public' ? 'PUBLIC' : ident(g.role)
  if (g.revoke) return `REVOKE ${grantPrivileges(g)} ON ${grantTarget(g)} FROM ${role}`
  return `GRANT ${grantPrivileges(g)} ON ${grantTarget(g)} TO ${role}${g.withGrantOption ? ' WITH GRANT OPTION' : ''}`
}

/** The statement that undoes a grant entry: `REVOKE … ON … FROM …`, or `GRANT … TO PUBLIC` for a `revoke` entry. */
export function revoke(g: GrantDef): string {
  const role = g.role === 'public' ? 'PUBLIC' : ident(g.role)
  if (g.revoke) return `GRANT ${grantPrivileges(g)} ON ${grantTarget(g)} TO ${role}`
  return `REVOKE ${grantPrivileges(g)} ON ${grantTarget(g)} FROM ${role}`
}
