/**
 * ALTER and DROP statement renderers used by the migration planner: pure functions from model
 * pieces to SQL text (no trailing semicolon), quoting through quote.ts like the CREATE renderers.
 */
import type {
  ColumnDef,
  FunctionDef,
  IdentityOptions,
  IndexDef,
  PolicyDef,
  RoleDef,
  SequenceDef,
  TableDef,
  TriggerDef,
  ViewDef,
} from '../model/types.js'
import type { AggregateDef, CompositeAttributeDef } from '../model/types.js'
import { identityDefaults } from '../model/normalize.js'
import { aggregateSignature, collationSql, identityOptionsClause, viewBody } from './ddl.js'
import { stableExpression } from './expression-text.js'
import { ident, identList, literal, qname, storageKey, storageParam } from './quote.js'

interface Rel {
  readonly schema: string
  readonly name: string
}

const tbl = (t: Rel) => `ALTER TABLE ${qname(t.schema, t.name)}`

/** `DROP SCHEMA name`. */
export const dropSchema = (name: string) => `DROP SCHEMA ${ident(name)}`
/** `DROP EXTENSION name`. */
export const dropExtension = (name: string) => `DROP EXTENSION ${ident(name)}`
/** `ALTER EXTENSION name SET SCHEMA schema`. */
export const alterExtensionSchema = (name: string, schema: string) => `ALTER EXTENSION ${ident(name)} SET SCHEMA ${ident(schema)}`
/** `DROP TYPE schema.name`. */
export const dropType = (schema: string, name: string) => `DROP TYPE ${qname(schema, name)}`
/** `ALTER TYPE … RENAME TO …`. */
export const renameType = (schema: string, from: string, to: string) => `ALTER TYPE ${qname(schema, from)} RENAME TO ${ident(to)}`

/** `ALTER TYPE … RENAME VALUE '…' TO '…'`. */
export const renameEnumValue = (schema: string, name: string, from: string, to: string) =>
  `ALTER TYPE ${qname(schema, name)} RENAME VALUE ${literal(from)} TO ${literal(to)}`

/** `ALTER TYPE … ADD VALUE '…' [BEFORE|AFTER '…']`. */
export function addEnumValue(schema: string, name: string, value: string, pos: { before?: string; after?: string }): string {
  let sql = `ALTER TYPE ${qname(schema, name)} ADD VALUE ${literal(value)}`
  if (pos.before !== undefined) sql += ` BEFORE ${literal(pos.before)}`
  else if (pos.after !== undefined) sql += ` AFTER ${literal(pos.after)}`
  return sql
}

/** `DROP COLLATION schema.name`. */
export const dropCollation = (schema: string, name: string) => `DROP COLLATION ${qname(schema, name)}`
/** `DROP DOMAIN schema.name`. */
export const dropDomain = (schema: string, name: string) => `DROP DOMAIN ${qname(schema, name)}`
export const renameDomain = (schema: string, from: string, to: string) => `ALTER DOMAIN ${qname(schema, from)} RENAME TO ${ident(to)}`
/** `ALTER DOMAIN … SET DEFAULT …` / `DROP DEFAULT`. */
export const alterDomainDefault = (schema: string, name: string, expr: string | undefined) =>
  `ALTER DOMAIN ${qname(schema, name)} ${expr === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${expr}`}`
/** `ALTER DOMAIN … SET NOT NULL` / `DROP NOT NULL`. */
export const alterDomainNotNull = (schema: string, name: string, notNull: boolean) =>
  `ALTER DOMAIN ${qname(schema, name)} ${notNull ? 'SET' : 'DROP'} NOT NULL`
/** `ALTER DOMAIN … ADD <constraint clause>`. */
export const addDomainConstraint = (schema: string, name: string, clause: string) => `ALTER DOMAIN ${qname(schema, name)} ADD ${clause}`
/** `ALTER DOMAIN … DROP CONSTRAINT …`. */
export const dropDomainConstraint = (schema: string, name: string, constraint: string) =>
  `ALTER DOMAIN ${qname(schema, name)} DROP CONSTRAINT ${ident(constraint)}`
/** `ALTER DOMAIN … VALIDATE CONSTRAINT …`. */
export const validateDomainConstraint = (schema: string, name: string, constraint: string) =>
  `ALTER DOMAIN ${qname(schema, name)} VALIDATE CONSTRAINT ${ident(constraint)}`

/** `DROP SEQUENCE schema.name`. */
export const dropSequence = (s: Rel) => `DROP SEQUENCE ${qname(s.schema, s.name)}`

/** `ALTER SEQUENCE` with every option of `s` spelled out (ownership is separate). */
export function alterSequence(s: SequenceDef): string {
  return (
    `ALTER SEQUENCE ${qname(s.schema, s.name)} AS ${s.type} INCREMENT BY ${s.increment} ` +
    `MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ' NO CYCLE'}`
  )
}

/** `ALTER SEQUENCE … OWNED BY NONE`. */
export const sequenceOwnedByNone = (s: Rel) => `ALTER SEQUENCE ${qname(s.schema, s.name)} OWNED BY NONE`

/** `DROP TABLE schema.name`. */
export const dropTable = (t: Rel) => `DROP TABLE ${qname(t.schema, t.name)}`
/** `ALTER TABLE … RENAME TO …`. */
export const renameTable = (schema: string, from: string, to: string) => `ALTER TABLE ${qname(schema, from)} RENAME TO ${ident(to)}`
/** `ALTER TABLE … ADD COLUMN …`. */
export const addColumn = (t: Rel, definition: string) => `${tbl(t)} ADD COLUMN ${definition}`
/** `ALTER TABLE … DROP COLUMN …`. */
export const dropColumn = (t: Rel, column: string) => `${tbl(t)} DROP COLUMN ${ident(column)}`
/** `ALTER TABLE … RENAME COLUMN … TO …`. */
export const renameColumn = (t: Rel, from: string, to: string) => `${tbl(t)} RENAME COLUMN ${ident(from)} TO ${ident(to)}`

/** `ALTER TABLE … ALTER COLUMN … TYPE … [COLLATE …] [USING …]`. */
export function alterColumnType(t: Rel, c: ColumnDef, using?: string): string {
  let sql = `${tbl(t)} ALTER COLUMN ${ident(c.name)} TYPE ${c.type}`
  if (c.collation) sql += ` COLLATE ${collationSql(c.collation)}`
  if (using !== undefined) sql += ` USING ${using}`
  return sql
}

/** `ALTER COLUMN … SET NOT NULL` / `DROP NOT NULL`. */
export const alterColumnNotNull = (t: Rel, column: string, notNull: boolean) =>
  `${tbl(t)} ALTER COLUMN ${ident(column)} ${notNull ? 'SET' : 'DROP'} NOT NULL`

/** `ALTER COLUMN … SET DEFAULT …` / `DROP DEFAULT`. */
export const alterColumnDefault = (t: Rel, column: string, expr: string | undefined, options: { only?: boolean } = {}) =>
  `${options.only ? tbl(t).replace(/^ALTER TABLE /, 'ALTER TABLE ONLY ') : tbl(t)} ALTER COLUMN ${ident(column)} ${expr === undefined ? 'DROP DEFAULT' : `SET DEFAULT ${expr}`}`

/** Identity: ADD GENERATED … AS IDENTITY [(options)], SET GENERATED …, or DROP IDENTITY. */
export function alterColumnIdentity(t: Rel, column: string, from: string | undefined, to: string | undefined, options?: IdentityOptions): string {
  const kw = (k: string) => (k === 'always' ? 'ALWAYS' : 'BY DEFAULT')
  const col = `${tbl(t)} ALTER COLUMN ${ident(column)}`
  if (to === undefined) return `${col} DROP IDENTITY`
  if (from === undefined) return `${col} ADD GENERATED ${kw(to)} AS IDENTITY${identityOptionsClause(options)}`
  return `${col} SET GENERATED ${kw(to)}`
}

/** `ALTER COLUMN … SET INCREMENT BY … SET MINVALUE …` moving an identity's sequence from `from` to `to` options. */
export function alterIdentityOptions(t: Rel, column: string, type: string, from: IdentityOptions | undefined, to: IdentityOptions | undefined): string {
  const a = identityDefaults(type, from)
  const b = identityDefaults(type, to)
  const sets: string[] = []
  if (a.increment !== b.increment) sets.push(`SET INCREMENT BY ${b.increment}`)
  if (a.min !== b.min) sets.push(`SET MINVALUE ${b.min}`)
  if (a.max !== b.max) sets.push(`SET MAXVALUE ${b.max}`)
  if (a.start !== b.start) sets.push(`SET START WITH ${b.start}`)
  if (a.cache !== b.cache) sets.push(`SET CACHE ${b.cache}`)
  if (a.cycle !== b.cycle) sets.push(b.cycle ? 'SET CYCLE' : 'SET NO CYCLE')
  return `${tbl(t)} ALTER COLUMN ${ident(column)} ${sets.join(' ')}`
}

/** `ALTER COLUMN … DROP EXPRESSION` (a generated column becomes a plain one). */
export const dropColumnExpression = (t: Rel, column: string) => `${tbl(t)} ALTER COLUMN ${ident(column)} DROP EXPRESSION`

/** `ALTER TABLE … ADD <constraint clause>`. */
export const addConstraint = (t: Rel, clause: string) => `${tbl(t)} ADD ${clause}`
/** `ALTER TABLE … DROP CONSTRAINT …`. */
export const dropConstraint = (t: Rel, name: string) => `${tbl(t)} DROP CONSTRAINT ${ident(name)}`
/** `ALTER TABLE … VALIDATE CONSTRAINT …`. */
export const validateConstraint = (t: Rel, name: string) => `${tbl(t)} VALIDATE CONSTRAINT ${ident(name)}`
/** `ALTER TABLE … RENAME CONSTRAINT … TO …`. */
export const renameConstraint = (t: Rel, from: string, to: string) => `${tbl(t)} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)}`
/** `ALTER INDEX … RENAME TO …`. */
export const renameIndex = (schema: string, from: string, to: string) => `ALTER INDEX ${qname(schema, from)} RENAME TO ${ident(to)}`

/** `ALTER TABLE … ADD CONSTRAINT … UNIQUE|PRIMARY KEY USING INDEX …`. */
export function addConstraintUsingIndex(
  t: Rel,
  name: string,
  type: 'UNIQUE' | 'PRIMARY KEY',
  d: { deferrable?: boolean; initiallyDeferred?: boolean },
): string {
  let sql = `${tbl(t)} ADD CONSTRAINT ${ident(name)} ${type} USING INDEX ${ident(name)}`
  if (d.deferrable) sql += d.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE'
  return sql
}

/** The unique index that backs a UNIQUE or PRIMARY KEY constraint added through USING INDEX. */
export function backingIndex(
  name: string,
  columns: readonly string[],
  nullsNotDistinct = false,
  params: Readonly<Record<string, string>> = {},
  include: readonly string[] = [],
): IndexDef {
  return {
    name,
    unique: true,
    method: 'btree',
    keys: columns.map((column) => ({ column })),
    include,
    ...(nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    with: params,
  }
}

/** `DROP INDEX [CONCURRENTLY] [IF EXISTS] schema.name`. */
export function dropIndex(schema: string, name: string, options: { concurrently?: boolean; ifExists?: boolean } = {}): string {
  return `DROP INDEX ${options.concurrently ? 'CONCURRENTLY ' : ''}${options.ifExists ? 'IF EXISTS ' : ''}${qname(schema, name)}`
}

/** `ALTER TABLE|MATERIALIZED VIEW|INDEX … SET (k=v, …)`. */
export function setStorage(t: Rel, params: Readonly<Record<string, string>>, materialized: boolean | 'index' = false): string {
  const keys = Object.keys(params).sort()
  return `ALTER ${storageTarget(materialized)} ${qname(t.schema, t.name)} SET (${keys.map((k) => storageParam(k, params[k])).join(', ')})`
}

/** `ALTER TABLE|MATERIALIZED VIEW|INDEX … RESET (k, …)`. */
export function resetStorage(t: Rel, keys: readonly string[], materialized: boolean | 'index' = false): string {
  return `ALTER ${storageTarget(materialized)} ${qname(t.schema, t.name)} RESET (${[...keys].sort().map(storageKey).join(', ')})`
}

const storageTarget = (m: boolean | 'index') => (m === 'index' ? 'INDEX' : m ? 'MATERIALIZED VIEW' : 'TABLE')

/** `ALTER TABLE … SET LOGGED|UNLOGGED`. */
export const setLogged = (t: Rel, unlogged: boolean) => `${tbl(t)} SET ${unlogged ? 'UNLOGGED' : 'LOGGED'}`

/** `ALTER TABLE … ENABLE|DISABLE ROW LEVEL SECURITY`. */
export const rlsEnabled = (t: Rel, on: boolean) => `${tbl(t)} ${on ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`
/** `ALTER TABLE … FORCE|NO FORCE ROW LEVEL SECURITY`. */
export const rlsForced = (t: Rel, on: boolean) => `${tbl(t)} ${on ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`

/** `DROP POLICY name ON table`. */
export const dropPolicy = (t: Rel, name: string) => `DROP POLICY ${ident(name)} ON ${qname(t.schema, t.name)}`

/** `ALTER POLICY … TO … [USING (…)] [WITH CHECK (…)]` moving `from` to `to`. */
export function alterPolicy(t: Rel, from: PolicyDef, to: PolicyDef): string {
  let sql = `ALTER POLICY ${ident(to.name)} ON ${qname(t.schema, t.name)}`
  sql += ` TO ${to.roles.map((r) => (r === 'public' ? 'PUBLIC' : ident(r))).join(', ')}`
  if (to.using !== undefined && to.using !== from.using) sql += ` USING (${stableExpression(to.using)})`
  if (to.withCheck !== undefined && to.withCheck !== from.withCheck) sql += ` WITH CHECK (${stableExpression(to.withCheck)})`
  return sql
}

/** `ALTER TABLE parent ATTACH PARTITION child <bound>`. */
export function attachPartition(t: TableDef): string {
  const p = t.partitionOf as NonNullable<TableDef['partitionOf']>
  return `ALTER TABLE ${qname(p.parentSchema, p.parent)} ATTACH PARTITION ${qname(t.schema, t.name)} ${p.bound}`
}

/** `ALTER TABLE parent DETACH PARTITION child`. */
export function detachPartition(t: TableDef): string {
  const p = t.partitionOf as NonNullable<TableDef['partitionOf']>
  return `ALTER TABLE ${qname(p.parentSchema, p.parent)} DETACH PARTITION ${qname(t.schema, t.name)}`
}

/** `DROP [MATERIALIZED] VIEW schema.name`. */
export const dropView = (v: ViewDef) => `DROP ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qname(v.schema, v.name)}`

/** `CREATE OR REPLACE VIEW …`. */
export function replaceView(v: ViewDef): string {
  const cols = v.columns?.length ? ` (${identList(v.columns)})` : ''
  const keys = Object.keys(v.with).sort()
  const w = keys.length ? ` WITH (${keys.map((k) => storageParam(k, v.with[k])).join(', ')})` : ''
  return `CREATE OR REPLACE VIEW ${qname(v.schema, v.name)}${cols}${w} AS\n${viewBody(v)}`
}

/** `DROP FUNCTION|PROCEDURE schema.name(args)`. */
export const dropFunction = (f: FunctionDef) => `DROP ${f.isProcedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(f.schema, f.name)}(${f.args})`

/** `ALTER TABLE … ENABLE|DISABLE|ENABLE REPLICA|ENABLE ALWAYS TRIGGER name`. */
export function triggerEnabled(t: TriggerDef, state: TriggerDef['enabled']): string {
  const how = state === 'disabled' ? 'DISABLE' : state === 'replica' ? 'ENABLE REPLICA' : state === 'always' ? 'ENABLE ALWAYS' : 'ENABLE'
  return `ALTER TABLE ${qname(t.schema, t.table)} ${how} TRIGGER ${ident(t.name)}`
}

/** `ALTER TABLE … ALTER COLUMN … SET STORAGE …`. */
export const alterColumnStorage = (t: Rel, column: string, storage: string) => `${tbl(t)} ALTER COLUMN ${ident(column)} SET STORAGE ${storage.toUpperCase()}`
/** `ALTER TABLE … ALTER COLUMN … SET COMPRESSION …` (`DEFAULT` for the server's default_toast_compression). */
export const alterColumnCompression = (t: Rel, column: string, method: string | undefined) =>
  `${tbl(t)} ALTER COLUMN ${ident(column)} SET COMPRESSION ${method ?? 'DEFAULT'}`

/** `DROP EVENT TRIGGER name`. */
export const dropEventTrigger = (name: string) => `DROP EVENT TRIGGER ${ident(name)}`
/** `ALTER EVENT TRIGGER name ENABLE [REPLICA | ALWAYS] | DISABLE`. */
export function eventTriggerEnabled(name: string, state: 'disabled' | 'replica' | 'always' | undefined): string {
  const how = state === 'disabled' ? 'DISABLE' : state === 'replica' ? 'ENABLE REPLICA' : state === 'always' ? 'ENABLE ALWAYS' : 'ENABLE'
  return `ALTER EVENT TRIGGER ${ident(name)} ${how}`
}

/** `DROP AGGREGATE schema.name(args)`. */
export const dropAggregate = (a: AggregateDef) => `DROP AGGREGATE ${aggregateSignature(a)}`

/** `ALTER TYPE … ADD ATTRIBUTE name type [COLLATE …]` of a composite type. */
export const addAttribute = (t: Rel, a: CompositeAttributeDef) =>
  `ALTER TYPE ${qname(t.schema, t.name)} ADD ATTRIBUTE ${ident(a.name)} ${a.type}${a.collation ? ` COLLATE ${collationSql(a.collation)}` : ''}`
/** `ALTER TYPE … DROP ATTRIBUTE name` of a composite type. */
export const dropAttribute = (t: Rel, name: string) => `ALTER TYPE ${qname(t.schema, t.name)} DROP ATTRIBUTE ${ident(name)}`
/** `ALTER TYPE … ALTER ATTRIBUTE name TYPE type [COLLATE …]` of a composite type. */
export const alterAttributeType = (t: Rel, a: CompositeAttributeDef) =>
  `ALTER TYPE ${qname(t.schema, t.name)} ALTER ATTRIBUTE ${ident(a.name)} TYPE ${a.type}${a.collation ? ` COLLATE ${collationSql(a.collation)}` : ''}`

/** `DROP TRIGGER name ON table`. */
export const dropTrigger = (t: TriggerDef) => `DROP TRIGGER ${ident(t.name)} ON ${qname(t.schema, t.table)}`

/** `DROP ROLE name`. */
export const dropRole = (name: string) => `DROP ROLE ${ident(name)}`

/** `ALTER ROLE` attributes plus membership GRANT/REVOKE statements moving `from` to `to`. */
export function alterRole(from: RoleDef, to: RoleDef): string[] {
  const out: string[] = []
  const opts: string[] = []
  if (from.login !== to.login) opts.push(to.login ? 'LOGIN' : 'NOLOGIN')
  if (from.inherit !== to.inherit) opts.push(to.inherit ? 'INHERIT' : 'NOINHERIT')
  if (from.bypassRls !== to.bypassRls) opts.push(to.bypassRls ? 'BYPASSRLS' : 'NOBYPASSRLS')
  if (opts.length) out.push(`ALTER ROLE ${ident(to.name)} ${opts.join(' ')}`)
  for (const r of to.memberOf) if (!from.memberOf.includes(r)) out.push(`GRANT ${ident(r)} TO ${ident(to.name)}`)
  for (const r of from.memberOf) if (!to.memberOf.includes(r)) out.push(`REVOKE ${ident(r)} FROM ${ident(to.name)}`)
  return out
}
