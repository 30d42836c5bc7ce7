/**
 * What `cairn verify rls` reads from the catalog: the application role, every table outside the
 * system schemas (row-level security flags, owner, what the role may do with it), its columns,
 * keys, foreign keys and CHECK constraints, and the policies. Plain rows, a handful of queries.
 */
import type { Queryable } from '../db/database.js'

export interface RoleInfo {
  readonly name: string
  readonly superuser: boolean
  readonly bypassRls: boolean
  /** Roles with SUPERUSER or BYPASSRLS the role is a member of (it can SET ROLE to them). */
  readonly bypassVia: readonly string[]
}

export interface ColumnInfo {
  readonly name: string
  readonly num: number
  /** format_type() of the column. */
  readonly type: string
  /** The type's name (a domain's base type), e.g. `int4`, `varchar`, `uuid`. */
  readonly base: string
  /** typtype of the column's type (`b` base, `e` enum, `d` domain, …). */
  readonly typtype: string
  readonly typmod: number
  readonly array: boolean
  /** The first label of an enum type. */
  readonly enumFirst?: string
  readonly notNull: boolean
  /** Filled by the database when left out: a default, identity or generated column. */
  readonly filled: boolean
  readonly generated: boolean
  /** `GENERATED ALWAYS AS IDENTITY`: a value given for it needs `OVERRIDING SYSTEM VALUE`. */
  readonly identityAlways?: true
}

export interface ForeignKeyInfo {
  readonly name: string
  readonly columns: readonly string[]
  readonly refTable: string
  readonly refColumns: readonly string[]
}

export interface CheckInfo {
  readonly name: string
  readonly columns: readonly string[]
  readonly definition: string
}

export interface PolicyInfo {
  readonly name: string
  readonly permissive: boolean
  /** `public` or role names. */
  readonly roles: readonly string[]
  /** ALL, SELECT, INSERT, UPDATE, DELETE. */
  readonly command: string
  readonly using?: string
  readonly withCheck?: string
  /** The policy applies to the role checked (PUBLIC, the role, or a role it is a member of). */
  readonly applies: boolean
}

export interface TableInfo {
  readonly oid: string
  readonly schema: string
  readonly name: string
  /** `schema.name`, quoted as needed: for SQL. */
  readonly sql: string
  readonly partitioned: boolean
  readonly partition: boolean
  readonly rls: boolean
  readonly forced: boolean
  readonly owner: string
  /** The role is the owner or a member of it (bypasses row-level security unless FORCE). */
  readonly roleOwns: boolean
  /** What the role may do (schema USAGE included). */
  readonly privileges: { readonly select: boolean; readonly insert: boolean; readonly update: boolean; readonly delete: boolean }
  readonly columns: readonly ColumnInfo[]
  readonly primaryKey: readonly string[]
  /** Columns of every UNIQUE constraint and unique index (primary key included). */
  readonly unique: ReadonlyArray<readonly string[]>
  readonly foreignKeys: readonly ForeignKeyInfo[]
  readonly checks: readonly CheckInfo[]
  readonly policies: readonly PolicyInfo[]
}

export interface Catalog {
  readonly role: RoleInfo
  /** Keyed by `schema.name` (unquoted). */
  readonly tables: ReadonlyMap<string, TableInfo>
}

const SCOPE = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'cairn') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`

const list = (s: string | null | undefined): string[] => (s ? (JSON.parse(s) as string[]) : [])

/** Reads the catalog for `role`; undefined when the role does not exist. */
export async function readCatalog(q: Queryable, role: string): Promise<Catalog | undefined> {
  const roles = await q.query<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean; via: string | null }>(
    `SELECT r.rolname, r.rolsuper, r.rolbypassrls,
            (SELECT pg_catalog.array_to_json(pg_catalog.array_agg(x.rolname ORDER BY x.rolname))::text FROM pg_catalog.pg_roles x
              WHERE x.oid <> r.oid AND (x.rolsuper OR x.rolbypassrls) AND pg_catalog.pg_has_role(r.oid, x.oid, 'MEMBER')) AS via
       FROM pg_catalog.pg_roles r WHERE r.rolname = $1`,
    [role],
  )
  const r = roles[0]
  if (!r) return undefined
  const tables = await q.query<Record<string, string | boolean | null>>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS sql,
            c.relkind = 'p' AS partitioned, c.relispartition AS partition, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
            pg_catalog.pg_get_userbyid(c.relowner) AS owner, pg_catalog.pg_has_role($1, c.relowner, 'MEMBER') AS role_owns,
            pg_catalog.has_schema_privilege($1, n.oid, 'USAGE') AS usage,
            pg_catalog.has_any_column_privilege($1, c.oid, 'SELECT') AS sel, pg_catalog.has_any_column_privilege($1, c.oid, 'INSERT') AS ins,
            pg_catalog.has_any_column_privilege($1, c.oid, 'UPDATE') AS upd, pg_catalog.has_table_privilege($1, c.oid, 'DELETE') AS del
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND ${SCOPE}
      ORDER BY n.nspname, c.relname`,
    [role],
  )
  const columns = await q.query<Record<string, string | boolean | number | null>>(
    `SELECT a.attrelid::int8::text AS oid, a.attname AS name, a.attnum::int AS num, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
            coalesce(bt.typname, t.typname)::text AS base, t.typtype::text AS typtype,
            (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)::int AS typmod,
            (coalesce(bt.typelem, t.typelem) <> 0 AND coalesce(bt.typlen, t.typlen) = -1) AS is_array,
            CASE WHEN t.typtype = 'e' THEN (SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder LIMIT 1) END AS enum_first,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS filled, a.attgenerated <> '' AS generated,
            a.attidentity = 'a' AS identity_always
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${SCOPE}
      ORDER BY a.attrelid, a.attnum`,
  )
  const constraints = await q.query<{ oid: string; name: string; type: string; cols: string | null; ref: string | null; refcols: string | null; def: string }>(
    `SELECT co.conrelid::int8::text AS oid, co.conname AS name, co.contype::text AS type,
            (SELECT pg_catalog.array_to_json(pg_catalog.array_agg(a.attname ORDER BY k.i))::text FROM unnest(co.conkey) WITH ORDINALITY k(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.n) AS cols,
            CASE WHEN co.contype = 'f' THEN rn.nspname || '.' || rc.relname END AS ref,
            (SELECT pg_catalog.array_to_json(pg_catalog.array_agg(a.attname ORDER BY k.i))::text FROM unnest(co.confkey) WITH ORDINALITY k(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.n) AS refcols,
            pg_catalog.pg_get_constraintdef(co.oid) AS def
       FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE co.contype IN ('p', 'u', 'f', 'c') AND ${SCOPE}
      ORDER BY co.conrelid, co.conname`,
  )
  const indexes = await q.query<{ oid: string; cols: string | null }>(
    `SELECT i.indrelid::int8::text AS oid,
            (SELECT pg_catalog.array_to_json(pg_catalog.array_agg(a.attname ORDER BY k.i))::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n) AS cols
       FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE i.indisunique AND ${SCOPE}`,
  )
  const policies = await q.query<{ oid: string; name: string; permissive: boolean; roles: string; command: string; using: string | null; check: string | null; applies: boolean }>(
    `SELECT p.polrelid::int8::text AS oid, p.polname AS name, p.polpermissive AS permissive,
            pg_catalog.array_to_json(CASE WHEN p.polroles = '{0}' THEN ARRAY['public']::text[] ELSE ARRAY(SELECT pg_catalog.pg_get_userbyid(x)::text FROM unnest(p.polroles) x) END)::text AS roles,
            CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check,
            ('{0}' = p.polroles OR EXISTS (SELECT 1 FROM unnest(p.polroles) x WHERE pg_catalog.pg_has_role($1, x, 'MEMBER'))) AS applies
       FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE ${SCOPE}
      ORDER BY p.polrelid, p.polname`,
    [role],
  )
  const by = <T extends { oid: string }>(rows: T[]) => {
    const m = new Map<string, T[]>()
    for (const x of rows) m.set(x.oid, [...(m.get(x.oid) ?? []), x])
    return m
  }
  const colsOf = by(columns as Array<{ oid: string } & Record<string, unknown>>)
  const consOf = by(constraints)
  const idxOf = by(indexes)
  const polOf = by(policies)
  const out = new Map<string, TableInfo>()
  for (const t of tables) {
    const oid = String(t.oid)
    const cons = consOf.get(oid) ?? []
    const usage = t.usage === true
    out.set(`${t.schema}.${t.name}`, {
      oid,
      schema: String(t.schema),
      name: String(t.name),
      sql: String(t.sql),
      partitioned: t.partitioned === true,
      partition: t.partition === true,
      rls: t.rls === true,
      forced: t.forced === true,
      owner: String(t.owner),
      roleOwns: t.role_owns === true,
      privileges: { select: usage && t.sel === true, insert: usage && t.ins === true, update: usage && t.upd === true, delete: usage && t.del === true },
      columns: (colsOf.get(oid) ?? []).map((c) => ({
        name: String(c.name),
        num: Number(c.num),
        type: String(c.type),
        base: String(c.base),
        typtype: String(c.typtype),
        typmod: Number(c.typmod),
        array: c.is_array === true,
        ...(c.enum_first != null ? { enumFirst: String(c.enum_first) } : {}),
        notNull: c.not_null === true,
        filled: c.filled === true,
        generated: c.generated === true,
        ...(c.identity_always === true ? { identityAlways: true as const } : {}),
      })),
      primaryKey: list(cons.find((c) => c.type === 'p')?.cols),
      unique: (idxOf.get(oid) ?? []).map((i) => list(i.cols)).filter((x) => x.length),
      foreignKeys: cons.filter((c) => c.type === 'f' && c.ref).map((c) => ({ name: c.name, columns: list(c.cols), refTable: String(c.ref), refColumns: list(c.refcols) })),
      checks: cons.filter((c) => c.type === 'c').map((c) => ({ name: c.name, columns: list(c.cols), definition: c.def })),
      policies: (polOf.get(oid) ?? []).map((p) => ({
        name: p.name,
        permissive: p.permissive,
        roles: list(p.roles),
        command: p.command,
        ...(p.using ? { using: p.using } : {}),
        ...(p.check ? { withCheck: p.check } : {}),
        applies: p.applies,
      })),
    })
  }
  return { role: { name: r.rolname, superuser: r.rolsuper, bypassRls: r.rolbypassrls, bypassVia: list(r.via) }, tables: out }
}
