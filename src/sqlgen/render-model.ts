/**
 * Renders a whole model as CREATE statements in dependency order: schemas, extensions, roles,
 * enums, sequences, tables (parents before partitions), sequence ownership, foreign keys, indexes,
 * comments, row-level security and policies, functions, views, triggers, grants.
 * Pure and deterministic: the same model always gives byte-identical SQL.
 */
import type { Model, TableDef } from '../model/types.js'
import * as alter from './alter.js'
import * as ddl from './ddl.js'
import { orderStatements } from './depends.js'
import { ident, qname } from './quote.js'

/**
 * Settings every script cairn writes (migrations, `cairn sql`) starts with, and `push` runs first.
 * Expressions in the model (defaults, checks, policies, view bodies) are spelled as `pg_get_expr()`
 * prints them under the default `standard_conforming_strings = on`: a backslash in `'…'` is a plain
 * character. A session or database with it off would read `'\'` differently (and a quote after a
 * backslash as escaped), so the setting is made explicit rather than assumed.
 */
export const SESSION_PREAMBLE: readonly string[] = ['SET standard_conforming_strings = on']

/** Postgres creates `public` by itself; it is never created or dropped by cairn. */
export const BUILTIN_SCHEMAS: ReadonlySet<string> = new Set(['public'])

/**
 * All statements (without semicolons) that create `model` on an empty database, after the
 * SESSION_PREAMBLE (none at all for an empty model).
 */
export function renderModel(model: Model): string[] {
  // an object mentioned by an earlier statement (a function a domain's CHECK calls, a table whose
  // row type a domain is over) is created before it
  const out = orderStatements(renderObjects(model))
  return out.length ? [...SESSION_PREAMBLE, ...out] : []
}

function renderObjects(model: Model): string[] {
  const out: string[] = []
  for (const s of model.schemas) if (!BUILTIN_SCHEMAS.has(s.name)) out.push(ddl.createSchema(s))
  for (const e of model.extensions) out.push(ddl.createExtension(e))
  for (const r of model.roles) out.push(ddl.createRole(r))
  // before the objects, which then get them as the database they were read from did
  for (const d of model.defaultPrivileges ?? []) out.push(ddl.alterDefaultPrivileges(d, d.revoke ? 'revoke' : 'grant'))
  for (const c of model.collations ?? []) out.push(ddl.createCollation(c))
  for (const e of model.enums) out.push(ddl.createEnum(e))
  for (const d of model.domains) out.push(ddl.createDomain(d))
  for (const s of model.sequences) out.push(ddl.createSequence(s))
  for (const t of tablesParentsFirst(model.tables)) out.push(ddl.createTable(t))
  for (const s of model.sequences) {
    const owned = ddl.sequenceOwnedBy(s)
    if (owned) out.push(owned)
  }
  for (const t of model.tables) for (const fk of t.foreignKeys) out.push(ddl.addForeignKey(t, fk))
  for (const t of model.tables) for (const ix of t.indexes) out.push(ddl.createIndex(t, ix))
  out.push(...renderComments(model))
  for (const t of model.tables) {
    if (t.rls?.enabled || t.rls?.forced) out.push(...ddl.rowSecurity(t).filter((s) => !/DISABLE|NO FORCE/.test(s)))
    for (const p of t.policies) out.push(ddl.createPolicy(t, p))
  }
  for (const f of model.functions) {
    out.push(ddl.createFunction(f))
    if (f.comment !== undefined) out.push(ddl.commentOn(`${f.isProcedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(f.schema, f.name)}(${f.args})`, f.comment))
  }
  for (const v of model.views) {
    out.push(ddl.createView(v))
    if (v.comment !== undefined) out.push(ddl.commentOn(`${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qname(v.schema, v.name)}`, v.comment))
    for (const ix of v.indexes) {
      out.push(ddl.createIndex(v, ix))
      if (ix.comment !== undefined) out.push(ddl.commentOn(`INDEX ${qname(v.schema, ix.name)}`, ix.comment))
    }
  }
  for (const t of model.triggers) {
    out.push(ddl.createTrigger(t))
    if (t.enabled !== undefined) out.push(alter.triggerEnabled(t, t.enabled))
    if (t.comment !== undefined) out.push(ddl.commentOn(`TRIGGER ${ident(t.name)} ON ${qname(t.schema, t.table)}`, t.comment))
  }
  for (const g of model.grants) out.push(ddl.grant(g))
  return out
}

/** The statements joined into one script, each ending with `;` and a blank line between them. */
export function renderScript(statements: readonly string[]): string {
  return statements.length ? statements.map((s) => `${s};`).join('\n\n') + '\n' : ''
}

function renderComments(model: Model): string[] {
  const out: string[] = []
  for (const s of model.schemas) if (s.comment !== undefined) out.push(ddl.commentOn(`SCHEMA ${ident(s.name)}`, s.comment))
  for (const e of model.enums) if (e.comment !== undefined) out.push(ddl.commentOn(`TYPE ${qname(e.schema, e.name)}`, e.comment))
  for (const c of model.collations ?? []) if (c.comment !== undefined) out.push(ddl.commentOn(`COLLATION ${qname(c.schema, c.name)}`, c.comment))
  for (const q of model.sequences) if (q.comment !== undefined) out.push(ddl.commentOn(`SEQUENCE ${qname(q.schema, q.name)}`, q.comment))
  for (const d of model.domains) {
    if (d.comment !== undefined) out.push(ddl.commentOn(`DOMAIN ${qname(d.schema, d.name)}`, d.comment))
    for (const c of d.checks) if (c.comment !== undefined) out.push(ddl.commentOn(`CONSTRAINT ${ident(c.name)} ON DOMAIN ${qname(d.schema, d.name)}`, c.comment))
  }
  for (const t of model.tables) {
    const tn = qname(t.schema, t.name)
    if (t.comment !== undefined) out.push(ddl.commentOn(`TABLE ${tn}`, t.comment))
    for (const c of t.columns) if (c.comment !== undefined) out.push(ddl.commentOn(`COLUMN ${tn}.${ident(c.name)}`, c.comment))
    for (const ix of t.indexes) if (ix.comment !== undefined) out.push(ddl.commentOn(`INDEX ${qname(t.schema, ix.name)}`, ix.comment))
    for (const k of [...ddl.inlineConstraints(t), ...t.foreignKeys]) {
      if (k.comment !== undefined) out.push(ddl.commentOn(`CONSTRAINT ${ident(k.name)} ON ${tn}`, k.comment))
    }
  }
  return out
}

/** Tables sorted so that a partition comes after its parent; otherwise the model's order. */
export function tablesParentsFirst(tables: readonly TableDef[]): TableDef[] {
  const key = (schema: string, name: string) => `${schema}.${name}`
  const byKey = new Map(tables.map((t) => [key(t.schema, t.name), t]))
  const done = new Set<string>()
  const out: TableDef[] = []
  const visit = (t: TableDef) => {
    const k = key(t.schema, t.name)
    if (done.has(k)) return
    done.add(k)
    const parent = t.partitionOf && byKey.get(key(t.partitionOf.parentSchema, t.partitionOf.parent))
    if (parent) visit(parent)
    out.push(t)
  }
  tables.forEach(visit)
  return out
}
