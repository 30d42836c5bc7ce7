/**
 * Pieces of the planner that need no plan state: the phase order, and statements that restore
 * dropped objects (used as reverses by the down migration).
 */
import type { CommentTarget } from '../diff/changes.js'
import type { TableDef } from '../model/types.js'
import * as alter from '../sqlgen/alter.js'
import * as ddl from '../sqlgen/ddl.js'
import { ident, qname } from '../sqlgen/quote.js'

// Dependency order: drops (reverse dependencies) first, then creates and alters.
/** The order in which steps run, by kind (stable within a phase). */
export const PHASE = {
  rename: 0,
  /** First: an event trigger must not fire on the migration's own DDL. */
  dropEventTrigger: 9,
  dropTrigger: 10,
  dropView: 11,
  revoke: 12,
  dropPolicy: 13,
  dropForeignKey: 14,
  dropIndex: 15,
  dropDefault: 16,
  detach: 17,
  dropColumn: 18,
  dropTable: 19,
  /** After the tables that use a domain, before the functions its checks call (see order.ts). */
  dropDomain: 19.5,
  /** After the views that call an aggregate, before the functions it calls. */
  dropAggregate: 19.8,
  dropFunction: 20,
  /** After the functions whose arguments are of the type, before the enums and domains of its attributes. */
  dropComposite: 20.5,
  dropSequence: 21,
  dropEnum: 22,
  dropCollation: 22.5,
  dropExtension: 23,
  dropRole: 24,
  dropSchema: 25,
  createSchema: 30,
  createExtension: 31,
  createRole: 32,
  /** Before any object is created, so that new objects get them as the target's did. */
  defaultPrivileges: 32.2,
  createCollation: 32.5,
  createEnum: 33,
  createDomain: 33.5,
  /** After the enums and domains of its attributes, before the tables and functions using it. */
  createComposite: 33.7,
  alterComposite: 33.8,
  createSequence: 34,
  earlyFunction: 35,
  createTable: 36,
  addColumn: 37,
  alterColumn: 38,
  /** A type dropped once the columns that used it have changed type. */
  dropTypeAfterColumns: 38.5,
  sequenceOwner: 39,
  createFunction: 40,
  /** After the functions it calls, before the views calling it. */
  createAggregate: 40.5,
  addKey: 41,
  /** Unique indexes come before foreign keys: a foreign key may reference one. */
  uniqueIndex: 42,
  addForeignKey: 43,
  createIndex: 44,
  tableOptions: 45,
  policy: 46,
  view: 47,
  trigger: 48,
  grant: 49,
  /** Last but comments: created once the migration's other DDL is done, so that it does not fire on it. */
  eventTrigger: 49.5,
  comment: 50,
} as const

/** Statements that recreate a dropped table's structure: table, indexes, RLS, policies, comments. */
export function recreateTable(t: TableDef): string[] {
  const out = [ddl.createTable(t)]
  for (const ix of t.indexes) out.push(ddl.createIndex(t, ix))
  if (t.rls?.enabled) out.push(alter.rlsEnabled(t, true))
  if (t.rls?.forced) out.push(alter.rlsForced(t, true))
  for (const pol of t.policies) out.push(ddl.createPolicy(t, pol), ...commentBack(`POLICY ${ident(pol.name)} ON ${qname(t.schema, t.name)}`, pol.comment))
  if (t.comment !== undefined) out.push(ddl.commentOn(`TABLE ${qname(t.schema, t.name)}`, t.comment))
  for (const col of t.columns) if (col.comment !== undefined) out.push(ddl.commentOn(`COLUMN ${qname(t.schema, t.name)}.${ident(col.name)}`, col.comment))
  for (const ix of t.indexes) if (ix.comment !== undefined) out.push(ddl.commentOn(`INDEX ${qname(t.schema, ix.name)}`, ix.comment))
  for (const k of ddl.inlineConstraints(t)) if (k.comment !== undefined) out.push(ddl.commentOn(`CONSTRAINT ${ident(k.name)} ON ${qname(t.schema, t.name)}`, k.comment))
  return out
}

/** The COMMENT statement that restores a dropped object's comment, if it had one. */
export function commentBack(what: string, comment: string | undefined): string[] {
  return comment === undefined ? [] : [ddl.commentOn(what, comment)]
}

/** The object clause of a COMMENT ON statement. */
export function commentTarget(t: CommentTarget): string {
  switch (t.on) {
    case 'schema':
      return `SCHEMA ${ident(t.name)}`
    case 'enum':
      return `TYPE ${qname(t.schema, t.name)}`
    case 'domain':
      return `DOMAIN ${qname(t.schema, t.name)}`
    case 'collation':
      return `COLLATION ${qname(t.schema, t.name)}`
    case 'domain_constraint':
      return `CONSTRAINT ${ident(t.name)} ON DOMAIN ${qname(t.schema, t.domain)}`
    case 'constraint':
      return `CONSTRAINT ${ident(t.name)} ON ${qname(t.schema, t.table)}`
    case 'sequence':
      return `SEQUENCE ${qname(t.schema, t.name)}`
    case 'table':
      return `TABLE ${qname(t.schema, t.name)}`
    case 'view':
      return `VIEW ${qname(t.schema, t.name)}`
    case 'materialized_view':
      return `MATERIALIZED VIEW ${qname(t.schema, t.name)}`
    case 'index':
      return `INDEX ${qname(t.schema, t.name)}`
    case 'column':
      return `COLUMN ${qname(t.schema, t.table)}.${ident(t.name)}`
    case 'function':
      return `${t.procedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(t.schema, t.name)}(${t.args})`
    case 'trigger':
      return `TRIGGER ${ident(t.name)} ON ${qname(t.schema, t.table)}`
    case 'policy':
      return `POLICY ${ident(t.name)} ON ${qname(t.schema, t.table)}`
    case 'aggregate':
      return `AGGREGATE ${ddl.aggregateSignature(t)}`
    case 'type':
      return `TYPE ${qname(t.schema, t.name)}`
    case 'event_trigger':
      return `EVENT TRIGGER ${ident(t.name)}`
    case 'attribute':
      return `COLUMN ${qname(t.schema, t.type)}.${ident(t.name)}`
    default: {
      const never: never = t
      throw new Error(`unknown comment target ${JSON.stringify(never)}`)
    }
  }
}
