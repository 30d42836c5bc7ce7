/**
 * `push`: creates the definitions on an empty database in one transaction, refusing when any
 * schema, type or relation it would create already exists (changing a database is `migrate`'s job).
 */
import path from 'node:path'
import type { Model } from '../model/types.js'
import type { Queryable } from '../db/database.js'
import { connect } from '../db/connect.js'
import { CairnError, isCairnError } from '../errors.js'
import { renderModel } from '../plan/render-model.js'
import { BUILTIN_SCHEMAS, renderScript } from '../sqlgen/session.js'
import { checkRendered } from '../migrate/check-rendered.js'
import { loadProject } from './load-project.js'

/** Options of pushProject. */
export interface PushOptions {
  /** Project root holding schema/index.ts. */
  readonly root: string
  /** Database URL; undefined means the embedded dev database under `<root>/.cairn/dev`. */
  readonly url?: string
  /** Check and render, but apply nothing. */
  readonly dryRun?: boolean
}

/** What push did (or, with dryRun, would do). */
export interface PushResult {
  readonly target: string
  readonly engine: 'postgres' | 'pglite'
  readonly applied: boolean
  readonly statements: readonly string[]
  readonly summary: ModelSummary
}

/** Object counts of a model. */
export interface ModelSummary {
  readonly schemas: number
  readonly enums: number
  readonly sequences: number
  readonly tables: number
  readonly columns: number
  readonly indexes: number
  readonly constraints: number
}

/** Counts what a model holds (constraints: primary keys, uniques, foreign keys and checks). */
export function summarizeModel(model: Model): ModelSummary {
  let columns = 0
  let indexes = 0
  let constraints = 0
  for (const t of model.tables) {
    columns += t.columns.length
    indexes += t.indexes.length
    constraints += (t.primaryKey ? 1 : 0) + t.uniques.length + t.foreignKeys.length + t.checks.length
  }
  return {
    schemas: model.schemas.filter((s) => !BUILTIN_SCHEMAS.has(s.name)).length,
    enums: model.enums.length,
    sequences: model.sequences.length,
    tables: model.tables.length,
    columns,
    indexes,
    constraints,
  }
}

/** Objects of `model` that already exist in the database, as `kind schema.name`. */
export async function existingObjects(db: Queryable, model: Model): Promise<string[]> {
  const schemas = model.schemas.map((s) => s.name).filter((s) => !BUILTIN_SCHEMAS.has(s))
  const relations: string[] = []
  for (const t of model.tables) {
    relations.push(`${t.schema}.${t.name}`)
    for (const ix of t.indexes) relations.push(`${t.schema}.${ix.name}`)
  }
  for (const s of model.sequences) relations.push(`${s.schema}.${s.name}`)
  const types = model.enums.map((e) => `${e.schema}.${e.name}`)
  const found: string[] = []
  const ns = await db.query<{ name: string }>(
    'select nspname as name from pg_catalog.pg_namespace where nspname = any($1::text[]) order by 1',
    [schemas],
  )
  for (const r of ns) found.push(`schema ${r.name}`)
  const rel = await db.query<{ name: string; kind: string }>(
    `select n.nspname || '.' || c.relname as name, c.relkind::text as kind
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname || '.' || c.relname = any($1::text[]) order by 1`,
    [relations],
  )
  const kinds: Record<string, string> = { r: 'table', p: 'table', i: 'index', I: 'index', S: 'sequence', v: 'view', m: 'materialized view' }
  for (const r of rel) found.push(`${kinds[r.kind] ?? 'relation'} ${r.name}`)
  const ty = await db.query<{ name: string }>(
    `select n.nspname || '.' || t.typname as name
       from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      where t.typtype = 'e' and n.nspname || '.' || t.typname = any($1::text[]) order by 1`,
    [types],
  )
  for (const r of ty) found.push(`type ${r.name}`)
  return found
}

/** Loads the project's definitions and creates them on an empty database, in one transaction. */
export async function pushProject(options: PushOptions): Promise<PushResult> {
  const root = path.resolve(options.root)
  const { model } = await loadProject({ root })
  const statements = renderModel(model)
  // each statement is sent on its own: it must be exactly one statement
  await checkRendered(renderScript(statements), statements, 'the SQL of the definitions')
  const db = await connect(options.url, { cwd: root })
  try {
    const existing = await existingObjects(db, model)
    if (existing.length) {
      const shown = existing.slice(0, 10).join(', ') + (existing.length > 10 ? `, and ${existing.length - 10} more` : '')
      throw new CairnError('database_not_empty', `${db.target} already has objects that push would create: ${shown}`, {
        hint: 'push only creates a schema on an empty database; to change an existing one use `cairn generate` and `cairn migrate`',
        meta: { target: db.target, existing },
      })
    }
    if (!options.dryRun) {
      await db.transaction(async (tx) => {
        for (const [i, statement] of statements.entries()) {
          try {
            await tx.exec(statement)
          } catch (e) {
            throw new CairnError('push_failed', `statement ${i + 1} of ${statements.length} failed: ${(e as Error).message}`, {
              hint: 'nothing was applied (the transaction was rolled back); the statement is in --json meta.statement',
              meta: { statement },
              cause: e,
            })
          }
        }
      })
    }
    return { target: db.target, engine: db.engine, applied: !options.dryRun, statements, summary: summarizeModel(model) }
  } catch (e) {
    if (isCairnError(e)) throw e
    throw new CairnError('push_failed', `push to ${db.target} failed: ${(e as Error).message}`, { cause: e })
  } finally {
    await db.close()
  }
}
