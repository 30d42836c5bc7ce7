/**
 * Canonicalisation: puts a model's hand-written SQL (checks, defaults, index predicates, policy
 * expressions, view bodies) into Postgres' own spelling by applying it to a scratch database and
 * inspecting it back.
 */
import type { Database, Queryable } from '../db/database.js'
import { openPglite } from '../db/pglite.js'
import { CairnError } from '../errors.js'
import type { Model } from '../model/types.js'
import { renderModel } from '../plan/render-model.js'
import { ident } from '../sqlgen/quote.js'
import { inspect } from './inspect.js'
import { isSkippedSchema } from './map-rows.js'
import { reattachHints } from '../model/normalize.js'

/** A fresh in-memory PGlite database to canonicalise models in (start-up takes a few seconds). */
export function openScratchDatabase(): Promise<Database> {
  return openPglite()
}

/** What ALTER DEFAULT PRIVILEGES calls each `pg_default_acl.defaclobjtype`. */
const DEFAULT_ACL_OBJECTS: Readonly<Record<string, string>> = { r: 'TABLES', S: 'SEQUENCES', f: 'FUNCTIONS', T: 'TYPES', n: 'SCHEMAS' }
/** The privileges PUBLIC holds by default on new objects of a kind. */
const PUBLIC_DEFAULTS: Readonly<Record<string, string>> = { f: 'EXECUTE', T: 'USAGE' }

/**
 * The statements that give every database-wide default privileges entry back its built-in ACL (at
 * which Postgres removes the entry): everything revoked from every grantee, then the owner's ALL
 * and PUBLIC's EXECUTE or USAGE granted again. Per-schema entries go with their schema.
 */
export function defaultPrivilegesReset(rows: readonly { role: string; objtype: string; grantees: readonly string[] }[]): string[] {
  const out: string[] = []
  for (const r of rows) {
    const what = DEFAULT_ACL_OBJECTS[r.objtype]
    if (!what) continue
    const head = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(r.role)}`
    for (const g of r.grantees) out.push(`${head} REVOKE ALL ON ${what} FROM ${g === 'public' ? 'PUBLIC' : ident(g)}`)
    out.push(`${head} GRANT ALL ON ${what} TO ${ident(r.role)}`)
    const pub = PUBLIC_DEFAULTS[r.objtype]
    if (pub) out.push(`${head} GRANT ${pub} ON ${what} TO PUBLIC`)
  }
  return out
}

/**
 * Empties a scratch database: drops every user schema (cairn's too) and extension, recreates
 * `public` as initdb leaves it, and gives database-wide default privileges back their built-in
 * form, so that what one use set does not reach the next. Roles are cluster-wide and stay. Never
 * point it at a real database.
 */
export async function resetScratchDatabase(db: Queryable): Promise<void> {
  const rows = await db.query<{ name: string; kind: string }>(
    `SELECT nspname::text AS name, 'schema' AS kind FROM pg_catalog.pg_namespace
     UNION ALL SELECT extname::text, 'extension' FROM pg_catalog.pg_extension WHERE extname <> 'plpgsql'`,
  )
  const acls = await db.query<{ role: string; objtype: string; grantees: string[] }>(
    `SELECT pg_catalog.pg_get_userbyid(d.defaclrole)::text AS role, d.defaclobjtype::text AS objtype,
       ARRAY(SELECT DISTINCT CASE WHEN x.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END
             FROM pg_catalog.aclexplode(d.defaclacl) x) AS grantees
     FROM pg_catalog.pg_default_acl d WHERE d.defaclnamespace = 0 ORDER BY 1, 2`,
  )
  const [{ v }] = await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`)
  const statements: string[] = []
  for (const r of rows) if (r.kind === 'extension') statements.push(`DROP EXTENSION IF EXISTS ${ident(r.name)} CASCADE`)
  for (const r of rows) {
    // cairn's bookkeeping schema goes too: a scratch database holds nothing worth keeping
    if (r.kind !== 'schema' || (isSkippedSchema(r.name) && r.name !== 'cairn') || r.name === 'public') continue
    statements.push(`DROP SCHEMA IF EXISTS ${ident(r.name)} CASCADE`)
  }
  statements.push('DROP SCHEMA IF EXISTS public CASCADE', 'CREATE SCHEMA public')
  // as initdb creates it: owned by pg_database_owner with USAGE for PUBLIC on 15+, CREATE too before
  if (v >= 150000) statements.push('ALTER SCHEMA public OWNER TO pg_database_owner', 'GRANT USAGE ON SCHEMA public TO PUBLIC')
  else statements.push('GRANT ALL ON SCHEMA public TO PUBLIC')
  statements.push(`COMMENT ON SCHEMA public IS 'standard public schema'`)
  statements.push(...defaultPrivilegesReset(acls))
  await db.exec(statements.map((s) => `${s};`).join('\n'))
}

/**
 * Applies `model` to the scratch database (emptied first, so one instance can be reused) and
 * returns it as inspected back, with the DSL hints re-attached. Throws
 * CairnError('invalid_definition') naming the statement Postgres rejected.
 */
export async function canonicalize(model: Model, scratch: Database): Promise<Model> {
  await resetScratchDatabase(scratch)
  const statements = renderModel(model)
  await scratch.transaction(async (tx) => {
    for (const statement of statements) {
      try {
        await tx.exec(statement)
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e)
        throw new CairnError('invalid_definition', `Postgres rejects the definitions: ${reason}\n  in: ${statement}`, {
          hint: 'fix the definition the statement comes from (an expression, a type or a reference)',
          meta: { statement, error: reason },
          cause: e,
        })
      }
    }
  })
  const inspected = await inspect(scratch)
  return reattachHints(model, inspected)
}
