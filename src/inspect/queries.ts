/**
 * Catalog queries of the inspector: one SQL text per object kind (never one per table), run with
 * `search_path = pg_catalog` so that format_type / pg_get_expr / pg_get_*def qualify user objects.
 * Every difference between server versions is decided here, in `catalogFeatures`. Differences that
 * need no version switch: NOT NULL constraints (pg_constraint contype 'n', 18+) are never selected
 * (a column's attnotnull says it), and virtual generated columns (attgenerated 'v', 18+) are read
 * like stored ones by map-rows.
 */

/** What the connected server's catalog offers, decided once from `server_version_num`. */
export interface CatalogFeatures {
  readonly version: number
  /** `pg_index.indnullsnotdistinct` (PostgreSQL 15+). */
  readonly nullsNotDistinct: boolean
  /** `pg_constraint.confdelsetcols`: the columns `ON DELETE SET NULL (…)` sets (PostgreSQL 15+). */
  readonly fkDeleteSetColumns: boolean
  /** Privileges PUBLIC holds on the `public` schema of a fresh database (initdb's, not a user's grant). */
  readonly publicSchemaPublicPrivileges: readonly string[]
  /** Where an ICU collation's locale is: `colllocale` (17+), `colliculocale` (15, 16), or `collcollate` before. */
  readonly collationLocale: 'colllocale' | 'colliculocale' | 'collcollate'
  /** `pg_collation.collicurules` (16+). */
  readonly collationRules: boolean
  /** `pg_attribute.attcompression` (14+). */
  readonly columnCompression: boolean
}

/** The catalog features of a server from its `server_version_num` (e.g. 150020, 180006). */
export function catalogFeatures(version: number): CatalogFeatures {
  return {
    version,
    nullsNotDistinct: version >= 150000,
    fkDeleteSetColumns: version >= 150000,
    // PostgreSQL 15 revoked CREATE on `public` from PUBLIC in new databases
    publicSchemaPublicPrivileges: version >= 150000 ? ['USAGE'] : ['CREATE', 'USAGE'],
    collationLocale: version >= 170000 ? 'colllocale' : version >= 150000 ? 'colliculocale' : 'collcollate',
    collationRules: version >= 160000,
    columnCompression: version >= 140000,
  }
}

/** Version and current user: the first query of an inspection. */
export const SERVER_QUERY = `SELECT current_setting('server_version_num')::int AS version, current_user::text AS current_user`

/** `NOT <member of an extension>` for the object `oidExpr` of catalog `catalog`. */
function notExtensionMember(catalog: string, oidExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend dx WHERE dx.classid = '${catalog}'::regclass AND dx.objid = ${oidExpr} AND dx.deptype = 'e')`
}

/**
 * A collation by oid as columns, indexes and domains name it: bare for the system's, qualified
 * (`app.ci`, each part as quote_ident prints it) for one made by CREATE COLLATION.
 */
function collationName(oidExpr: string): string {
  return `(SELECT CASE WHEN co.collnamespace = 'pg_catalog'::regnamespace THEN co.collname::text
    ELSE quote_ident((SELECT cn.nspname FROM pg_namespace cn WHERE cn.oid = co.collnamespace)) || '.' || quote_ident(co.collname) END
   FROM pg_collation co WHERE co.oid = ${oidExpr})`
}

/** `= ANY('{…}'::oid[])` for a list of namespace oids (digits only, so inlining is safe). */
export function oidList(oids: readonly string[]): string {
  for (const o of oids) if (!/^\d+$/.test(o)) throw new Error(`not an oid: ${o}`)
  return `ANY ('{${oids.join(',')}}'::oid[])`
}

/** Every namespace, with its comment; system and excluded ones are filtered in map-rows. */
export const NAMESPACES_QUERY = `
SELECT n.oid::text AS oid, n.nspname::text AS name, obj_description(n.oid, 'pg_namespace') AS comment,
  NOT ${notExtensionMember('pg_namespace', 'n.oid')} AS extension_member
FROM pg_namespace n
ORDER BY n.nspname`

/** Installed extensions and the schema each lives in. */
export const EXTENSIONS_QUERY = `
SELECT e.extname::text AS name, n.nspname::text AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
ORDER BY e.extname`

/** The catalog queries that depend on the inspected namespaces and the server's features. */
export function catalogQueries(ns: readonly string[], f: CatalogFeatures) {
  const inNs = oidList(ns)
  const nullsNotDistinct = (indexOid: string) =>
    f.nullsNotDistinct ? `COALESCE((SELECT ix.indnullsnotdistinct FROM pg_index ix WHERE ix.indexrelid = ${indexOid}), false)` : 'false'
  return {
    enums: `
SELECT n.nspname::text AS schema, t.typname::text AS name,
  (SELECT json_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS values,
  obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND t.typnamespace = ${inNs} AND ${notExtensionMember('pg_type', 't.oid')}`,

    domains: `
SELECT n.nspname::text AS schema, t.typname::text AS name, format_type(t.typbasetype, t.typtypmod) AS type,
  t.typnotnull AS not_null, pg_get_expr(t.typdefaultbin, 0) AS default_expr,
  CASE WHEN t.typcollation <> bt.typcollation THEN ${collationName('t.typcollation')} END AS collation,
  (SELECT json_agg(json_build_object('name', c.conname::text, 'definition', pg_get_constraintdef(c.oid),
      'comment', obj_description(c.oid, 'pg_constraint')) ORDER BY c.conname)
   FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS checks,
  obj_description(t.oid, 'pg_type') AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
WHERE t.typtype = 'd' AND t.typnamespace = ${inNs} AND ${notExtensionMember('pg_type', 't.oid')}`,

    collations: `
SELECT n.nspname::text AS schema, c.collname::text AS name, c.collprovider::text AS provider, c.collisdeterministic AS deterministic,
  c.collcollate::text AS lc_collate, c.collctype::text AS lc_ctype, c.${f.collationLocale}::text AS locale,
  ${f.collationRules ? 'c.collicurules::text' : 'NULL::text'} AS rules, obj_description(c.oid, 'pg_collation') AS comment
FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
WHERE c.collnamespace = ${inNs} AND ${notExtensionMember('pg_collation', 'c.oid')}`,

    sequences: `
SELECT n.nspname::text AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS type,
  s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max,
  s.seqcache::text AS cache, s.seqcycle AS cycle, d.deptype::text AS owner_dependency,
  oc.relname::text AS owned_table, a.attname::text AS owned_column,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class oc ON oc.oid = d.refobjid
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE c.relnamespace = ${inNs} AND ${notExtensionMember('pg_class', 'c.oid')}`,

    tables: `
SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
  to_json(c.reloptions) AS options, to_json(tc.reloptions) AS toast_options,
  c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls, c.relpersistence = 'u' AS unlogged,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
  pn.nspname::text AS parent_schema, pc.relname::text AS parent_name,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
  obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ${inNs} AND ${notExtensionMember('pg_class', 'c.oid')}`,

    columns: `
SELECT a.attrelid::text AS table_oid, a.attname::text AS name, a.attnum::int AS num,
  format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
  pg_get_expr(ad.adbin, ad.adrelid) AS default_expr, a.attidentity::text AS identity,
  a.attgenerated::text AS generated,
  CASE WHEN a.attcollation <> t.typcollation THEN ${collationName('a.attcollation')} END AS collation,
  CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage::text END AS storage,
  ${f.columnCompression ? `NULLIF(a.attcompression::text, '')` : 'NULL::text'} AS compression,
  de.description AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description de ON de.objoid = a.attrelid AND de.classoid = 'pg_class'::regclass AND de.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ${inNs} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`,

    constraints: `
SELECT c.conrelid::text AS table_oid, c.conname::text AS name, c.contype::text AS type,
  (SELECT json_agg(a.attname::text ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
  rn.nspname::text AS ref_schema, rc.relname::text AS ref_table,
  (SELECT json_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS ref_columns,
  c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update, c.confmatchtype::text AS match,
  ${f.fkDeleteSetColumns ? `(SELECT json_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confdelsetcols) WITH ORDINALITY k(n, i)
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n)` : 'NULL::json'} AS on_delete_columns,
  c.condeferrable AS deferrable, c.condeferred AS deferred, c.connoinherit AS no_inherit,
  c.conislocal AS is_local, c.conparentid <> 0::oid AS has_parent,
  CASE WHEN c.contype IN ('c', 'x') THEN pg_get_constraintdef(c.oid) END AS definition,
  CASE WHEN c.contype IN ('p', 'u') THEN (SELECT to_json(ic.reloptions) FROM pg_class ic WHERE ic.oid = c.conindid) END AS index_options,
  CASE WHEN c.contype IN ('p', 'u') THEN (SELECT json_agg(a.attname::text ORDER BY k.i) FROM pg_index ix
     CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
     WHERE ix.indexrelid = c.conindid AND k.i > ix.indnkeyatts) END AS include_columns,
  NOT c.convalidated AS not_valid,
  obj_description(c.oid, 'pg_constraint') AS comment,
  CASE WHEN c.contype IN ('p', 'u') THEN obj_description(c.conindid, 'pg_class') END AS index_comment,
  ${nullsNotDistinct('c.conindid')} AS nulls_not_distinct
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
LEFT JOIN pg_class rc ON rc.oid = c.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE c.contype IN ('p', 'u', 'f', 'c', 'x') AND t.relkind IN ('r', 'p') AND t.relnamespace = ${inNs}`,

    indexes: `
SELECT i.indrelid::text AS table_oid, ic.relname::text AS name, i.indisunique AS unique, am.amname::text AS method,
  i.indnkeyatts::int AS key_count,
  -- scalar lookups by oid (index scans): joins here made the planner scan pg_collation per index
  (SELECT json_agg(json_build_object(
      'column', ta.attname::text,
      'expression', CASE WHEN k.attnum = 0 THEN pg_get_indexdef(i.indexrelid, k.i::int, false) END,
      'option', i.indoption[k.i - 1],
      'opclass', (SELECT CASE WHEN oc.opcnamespace = 'pg_catalog'::regnamespace THEN quote_ident(oc.opcname)
                         ELSE quote_ident((SELECT n.nspname FROM pg_namespace n WHERE n.oid = oc.opcnamespace)) || '.' || quote_ident(oc.opcname) END
                  FROM pg_opclass oc WHERE oc.oid = i.indclass[k.i - 1]),
      'opclassDefault', (SELECT oc.opcdefault FROM pg_opclass oc WHERE oc.oid = i.indclass[k.i - 1]),
      'collation', ${collationName('i.indcollation[k.i - 1]')},
      'collationDefault', i.indcollation[k.i - 1] = 0::oid
         OR i.indcollation[k.i - 1] = COALESCE(ta.attcollation,
              (SELECT xt.typcollation FROM pg_attribute xa JOIN pg_type xt ON xt.oid = xa.atttypid
               WHERE xa.attrelid = i.indexrelid AND xa.attnum = k.i))
    ) ORDER BY k.i)
   FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, i)
   LEFT JOIN pg_attribute ta ON k.attnum <> 0 AND ta.attrelid = i.indrelid AND ta.attnum = k.attnum
  ) AS keys,
  pg_get_expr(i.indpred, i.indrelid) AS predicate,
  ${nullsNotDistinct('i.indexrelid')} AS nulls_not_distinct,
  to_json(ic.reloptions) AS options,
  obj_description(i.indexrelid, 'pg_class') AS comment,
  -- IN (uncorrelated) is hashed once; pg_constraint has no index on conindid
  i.indexrelid IN (SELECT bc.conindid FROM pg_constraint bc WHERE bc.contype IN ('p', 'u', 'x')) AS backs_constraint,
  EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS is_partition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE t.relkind IN ('r', 'p', 'm') AND t.relnamespace = ${inNs}`,

    policies: `
SELECT p.polrelid::text AS table_oid, p.polname::text AS name, p.polpermissive AS permissive, p.polcmd::text AS command,
  (SELECT json_agg(CASE WHEN r = 0::oid THEN 'public' ELSE pg_get_userbyid(r)::text END) FROM unnest(p.polroles) r) AS roles,
  pg_get_expr(p.polqual, p.polrelid) AS using_expr, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check,
  obj_description(p.oid, 'pg_policy') AS comment
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = ${inNs}`,

    views: `
SELECT c.oid::text AS oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind = 'm' AS materialized,
  pg_get_viewdef(c.oid) AS definition, to_json(c.reloptions) AS options,
  obj_description(c.oid, 'pg_class') AS comment,
  (SELECT json_object_agg(a.attname, d.description) FROM pg_attribute a
    JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_comments
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ${inNs} AND ${notExtensionMember('pg_class', 'c.oid')}`,

    functions: `
SELECT n.nspname::text AS schema, p.proname::text AS name, pg_get_function_identity_arguments(p.oid) AS args,
  p.prokind = 'p' AS is_procedure, pg_get_functiondef(p.oid) AS definition,
  obj_description(p.oid, 'pg_proc') AS comment
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind IN ('f', 'p') AND p.pronamespace = ${inNs} AND ${notExtensionMember('pg_proc', 'p.oid')}
  -- made along with another object (a range type's constructors): not a function of its own
  AND NOT EXISTS (SELECT 1 FROM pg_depend di WHERE di.classid = 'pg_proc'::regclass AND di.objid = p.oid AND di.deptype = 'i')`,

    aggregates: `
SELECT n.nspname::text AS schema, p.proname::text AS name, pg_get_function_identity_arguments(p.oid) AS args,
  a.aggkind::text AS agg_kind, a.aggtransfn::text AS sfunc, format_type(a.aggtranstype, NULL) AS stype, a.aggtransspace AS sspace,
  CASE WHEN a.aggfinalfn::oid <> 0 THEN a.aggfinalfn::text END AS finalfunc, a.aggfinalextra AS finalfunc_extra,
  a.aggfinalmodify::text AS finalfunc_modify,
  CASE WHEN a.aggcombinefn::oid <> 0 THEN a.aggcombinefn::text END AS combinefunc,
  CASE WHEN a.aggserialfn::oid <> 0 THEN a.aggserialfn::text END AS serialfunc,
  CASE WHEN a.aggdeserialfn::oid <> 0 THEN a.aggdeserialfn::text END AS deserialfunc,
  a.agginitval AS initcond,
  CASE WHEN a.aggmtransfn::oid <> 0 THEN a.aggmtransfn::text END AS msfunc,
  CASE WHEN a.aggminvtransfn::oid <> 0 THEN a.aggminvtransfn::text END AS minvfunc,
  CASE WHEN a.aggmtranstype <> 0::oid THEN format_type(a.aggmtranstype, NULL) END AS mstype, a.aggmtransspace AS msspace,
  CASE WHEN a.aggmfinalfn::oid <> 0 THEN a.aggmfinalfn::text END AS mfinalfunc, a.aggmfinalextra AS mfinalfunc_extra,
  a.aggmfinalmodify::text AS mfinalfunc_modify, a.aggminitval AS minitcond,
  (SELECT CASE WHEN o.oprnamespace = 'pg_catalog'::regnamespace THEN o.oprname::text
     ELSE 'OPERATOR(' || quote_ident((SELECT on2.nspname FROM pg_namespace on2 WHERE on2.oid = o.oprnamespace)) || '.' || o.oprname::text || ')' END
   FROM pg_operator o WHERE o.oid = a.aggsortop) AS sortop,
  p.proparallel::text AS parallel, obj_description(p.oid, 'pg_proc') AS comment
FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.pronamespace = ${inNs} AND ${notExtensionMember('pg_proc', 'p.oid')}`,

    eventTriggers: `
SELECT e.evtname::text AS name, e.evtevent::text AS event, to_json(e.evttags) AS tags, e.evtfoid::regproc::text AS function,
  e.evtenabled::text AS enabled, obj_description(e.oid, 'pg_event_trigger') AS comment
FROM pg_event_trigger e WHERE ${notExtensionMember('pg_event_trigger', 'e.oid')}`,

    composites: `
SELECT n.nspname::text AS schema, t.typname::text AS name, obj_description(t.oid, 'pg_type') AS comment,
  (SELECT json_agg(json_build_object('name', a.attname::text, 'type', format_type(a.atttypid, a.atttypmod),
      'collation', CASE WHEN a.attcollation <> at.typcollation THEN ${collationName('a.attcollation')} END,
      'comment', col_description(r.oid, a.attnum)) ORDER BY a.attnum)
   FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
   WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped) AS attributes
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class r ON r.oid = t.typrelid AND r.relkind = 'c'
WHERE t.typtype = 'c' AND t.typnamespace = ${inNs} AND ${notExtensionMember('pg_type', 't.oid')}`,

    triggers: `
SELECT n.nspname::text AS schema, c.relname::text AS table, t.tgname::text AS name,
  pg_get_triggerdef(t.oid) AS definition, t.tgenabled::text AS enabled, obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT t.tgisinternal AND t.tgparentid = 0::oid AND c.relnamespace = ${inNs}
  AND ${notExtensionMember('pg_class', 'c.oid')}`,

    grants: grantsQuery(inNs),

    unmodelled: unmodelledQuery(inNs),

    defaultPrivileges: defaultPrivilegesQuery(inNs),
  }
}

/**
 * Grants, one row per privilege of one grantee on one object: schemas, relations (and their columns:
 * column-level grants), sequences, functions and procedures (with their identity arguments) and types.
 * `revoked` rows are privileges PUBLIC holds by default (EXECUTE on functions, USAGE on types) that
 * the object's ACL no longer gives it.
 */
export function grantsQuery(inNs: string): string {
  return `
WITH objects AS (
  SELECT 'schema' AS object_kind, n.nspname::text AS schema, n.nspname::text AS name, NULL::text AS args, NULL::text AS column_name,
    n.nspowner AS owner, n.nspacl AS acl, 'n'::"char" AS acl_kind
  FROM pg_namespace n WHERE n.oid = ${inNs} AND n.nspacl IS NOT NULL
  UNION ALL
  SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END, n.nspname::text, c.relname::text, NULL, NULL, c.relowner,
    c.relacl, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char"
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relnamespace = ${inNs} AND c.relacl IS NOT NULL
    AND ${notExtensionMember('pg_class', 'c.oid')}
  UNION ALL
  -- driven by the few attributes that have an ACL
  SELECT 'table', n.nspname::text, c.relname::text, NULL, a.attname::text, c.relowner, a.attacl, 'c'::"char"
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
    AND c.relnamespace = ${inNs} AND ${notExtensionMember('pg_class', 'c.oid')}
  UNION ALL
  SELECT 'function', n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid), NULL, p.proowner, p.proacl, 'f'::"char"
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  -- aggregates too, those a ROUTINE clause can name by their argument types (not (*), not ordered-set)
  WHERE (p.prokind IN ('f', 'p') OR (p.prokind = 'a' AND p.pronargs > 0
      AND EXISTS (SELECT 1 FROM pg_aggregate g WHERE g.aggfnoid = p.oid AND g.aggkind = 'n')))
    AND p.pronamespace = ${inNs} AND p.proacl IS NOT NULL
    AND ${notExtensionMember('pg_proc', 'p.oid')}
  UNION ALL
  -- types that take grants: not array types, multiranges or a table's row type
  SELECT 'type', n.nspname::text, t.typname::text, NULL, NULL, t.typowner, t.typacl, 'T'::"char"
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typacl IS NOT NULL AND t.typnamespace = ${inNs} AND t.typtype IN ('b', 'c', 'd', 'e', 'r')
    AND (t.typtype <> 'c' OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))
    AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
    AND ${notExtensionMember('pg_type', 't.oid')}
)
SELECT o.object_kind, o.schema, o.name, o.args, o.column_name AS column,
  CASE WHEN x.grantee = 0::oid THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END AS grantee,
  x.privilege_type::text AS privilege, x.is_grantable AS grantable,
  x.grantee = o.owner AS to_owner,
  EXISTS (SELECT 1 FROM aclexplode(acldefault(o.acl_kind, o.owner)) d
          WHERE d.grantee = x.grantee AND d.privilege_type = x.privilege_type AND d.is_grantable = x.is_grantable) AS is_default,
  false AS revoked
FROM objects o CROSS JOIN LATERAL aclexplode(o.acl) x
UNION ALL
SELECT o.object_kind, o.schema, o.name, o.args, o.column_name, 'public', d.privilege_type::text, false, false, false, true
FROM objects o CROSS JOIN LATERAL aclexplode(acldefault(o.acl_kind, o.owner)) d
WHERE d.grantee = 0::oid
  AND NOT EXISTS (SELECT 1 FROM aclexplode(o.acl) x WHERE x.grantee = 0::oid AND x.privilege_type = d.privilege_type)`
}

/**
 * Objects of kinds the model does not hold, one cheap catalog scan per kind, described by
 * `pg_describe_object`: inspect reports them so that diff can say what it did not compare.
 * Extension members and system schemas are left out; `schema` is null for database-wide objects.
 */
export function unmodelledQuery(inNs: string): string {
  const ns = (kind: string, catalog: string, oid: string, schemaOid: string, from: string, where = 'true') => `
  SELECT '${kind}' AS kind, (SELECT n.nspname::text FROM pg_namespace n WHERE n.oid = ${schemaOid}) AS schema,
    pg_describe_object('${catalog}'::regclass, ${oid}, 0) AS name
  FROM ${from} WHERE ${schemaOid} = ${inNs} AND (${where}) AND ${notExtensionMember(catalog, oid)}`
  // objects made along with another one (a range type's casts) depend on it internally: left out
  const global = (kind: string, catalog: string, oid: string, from: string, where = 'true') => `
  SELECT '${kind}', NULL::text, pg_describe_object('${catalog}'::regclass, ${oid}, 0)
  FROM ${from} WHERE (${where}) AND ${notExtensionMember(catalog, oid)}
    AND NOT EXISTS (SELECT 1 FROM pg_depend di WHERE di.classid = '${catalog}'::regclass AND di.objid = ${oid} AND di.deptype = 'i')`
  const rel = (kind: string, from: string, where: string, name: string) => `
  SELECT '${kind}', n.nspname::text, ${name}
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace ${from}
  WHERE c.relnamespace = ${inNs} AND (${where}) AND ${notExtensionMember('pg_class', 'c.oid')}`
  const parts = [
    // window functions written in C (prokind 'w'): aggregates (prokind 'a') are modelled
    ns('window function', 'pg_proc', 'p.oid', 'p.pronamespace', 'pg_proc p', "p.prokind = 'w'"),
    ns('range type', 'pg_type', 't.oid', 't.typnamespace', 'pg_type t', "t.typtype = 'r'"),
    ns('base type', 'pg_type', 't.oid', 't.typnamespace', 'pg_type t',
      "t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)"),
    ns('operator', 'pg_operator', 'o.oid', 'o.oprnamespace', 'pg_operator o'),
    ns('operator class', 'pg_opclass', 'o.oid', 'o.opcnamespace', 'pg_opclass o'),
    ns('operator family', 'pg_opfamily', 'o.oid', 'o.opfnamespace', 'pg_opfamily o',
      'NOT EXISTS (SELECT 1 FROM pg_opclass c WHERE c.opcfamily = o.oid AND c.opcname = o.opfname AND c.opcnamespace = o.opfnamespace)'),
    ns('conversion', 'pg_conversion', 'x.oid', 'x.connamespace', 'pg_conversion x'),
    ns('text search configuration', 'pg_ts_config', 'x.oid', 'x.cfgnamespace', 'pg_ts_config x'),
    ns('text search dictionary', 'pg_ts_dict', 'x.oid', 'x.dictnamespace', 'pg_ts_dict x'),
    ns('text search parser', 'pg_ts_parser', 'x.oid', 'x.prsnamespace', 'pg_ts_parser x'),
    ns('text search template', 'pg_ts_template', 'x.oid', 'x.tmplnamespace', 'pg_ts_template x'),
    ns('extended statistics', 'pg_statistic_ext', 'x.oid', 'x.stxnamespace', 'pg_statistic_ext x'),
    ns('not valid constraint', 'pg_constraint', 'k.oid', 'k.connamespace', 'pg_constraint k', 'NOT k.convalidated AND k.contypid <> 0::oid'),
    rel('foreign table', '', "c.relkind = 'f'", "pg_describe_object('pg_class'::regclass, c.oid, 0)"),
    rel('table inheritance', 'JOIN pg_inherits i ON i.inhrelid = c.oid', "c.relkind IN ('r', 'p') AND NOT c.relispartition",
      "pg_describe_object('pg_class'::regclass, c.oid, 0) || ' inherits ' || i.inhparent::regclass::text"),
    rel('rule', "JOIN pg_rewrite rw ON rw.ev_class = c.oid AND rw.rulename <> '_RETURN'", 'true',
      "pg_describe_object('pg_rewrite'::regclass, rw.oid, 0)"),
    // driven by the few rows that qualify (attributes and triggers outnumber relations)
    `
  SELECT 'column statistics', n.nspname::text, pg_describe_object('pg_class'::regclass, c.oid, a.attnum)
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND c.relnamespace = ${inNs}
    AND COALESCE(a.attstattarget::int, -1) >= 0
    AND ${notExtensionMember('pg_class', 'c.oid')}`,
    rel('replica identity', '', "c.relkind IN ('r', 'p') AND c.relreplident <> 'd'",
      "pg_describe_object('pg_class'::regclass, c.oid, 0) || ' replica identity ' || c.relreplident::text"),

    global('publication', 'pg_publication', 'x.oid', 'pg_publication x'),
    global('foreign-data wrapper', 'pg_foreign_data_wrapper', 'x.oid', 'pg_foreign_data_wrapper x'),
    global('foreign server', 'pg_foreign_server', 'x.oid', 'pg_foreign_server x'),
    global('cast', 'pg_cast', 'x.oid', 'pg_cast x', 'x.oid >= 16384'),
    global('procedural language', 'pg_language', 'x.oid', 'pg_language x', 'x.oid >= 16384'),
    global('access method', 'pg_am', 'x.oid', 'pg_am x', 'x.oid >= 16384'),
    global('transform', 'pg_transform', 'x.oid', 'pg_transform x'),
  ]
  return `SELECT kind, schema, name FROM (${parts.join('\n  UNION ALL')}\n) u ORDER BY kind, schema NULLS FIRST, name`
}

/**
 * Default privileges, exploded: what each entry grants beyond the built-in defaults, and (for
 * database-wide entries, which replace them) which built-in defaults it takes away.
 */
export function defaultPrivilegesQuery(inNs: string): string {
  const builtin = `acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)`
  const same = (a: string, b: string) => `${a}.grantee = ${b}.grantee AND ${a}.privilege_type = ${b}.privilege_type AND ${a}.is_grantable = ${b}.is_grantable`
  const grantee = (x: string) => `CASE WHEN ${x}.grantee = 0::oid THEN 'public' ELSE pg_get_userbyid(${x}.grantee)::text END`
  return `
SELECT pg_get_userbyid(d.defaclrole)::text AS role, n.nspname::text AS schema, d.defaclobjtype::text AS objtype,
  ${grantee('x')} AS grantee, x.privilege_type::text AS privilege, x.is_grantable AS grantable, false AS revoked
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace CROSS JOIN LATERAL aclexplode(d.defaclacl) x
WHERE (d.defaclnamespace = ${inNs} OR (d.defaclnamespace = 0::oid
  AND NOT EXISTS (SELECT 1 FROM aclexplode(${builtin}) b WHERE ${same('b', 'x')})))
UNION ALL
SELECT pg_get_userbyid(d.defaclrole)::text, NULL::text, d.defaclobjtype::text,
  ${grantee('b')}, b.privilege_type::text, b.is_grantable, true
FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(${builtin}) b
WHERE d.defaclnamespace = 0::oid AND NOT EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) x WHERE ${same('x', 'b')})`
}

/** Roles by name (`$1`: a JSON array of names), with the roles each is a member of (distinct: 16+ keeps one row per grantor). */
export const ROLES_QUERY = `
SELECT r.rolname::text AS name, r.rolcanlogin AS login, r.rolinherit AS inherit, r.rolbypassrls AS bypass_rls,
  (SELECT json_agg(DISTINCT g.rolname::text) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) AS member_of
FROM pg_roles r
WHERE r.rolname IN (SELECT json_array_elements_text($1::json))`
