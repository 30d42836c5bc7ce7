/**
 * Identifier and literal quoting that matches Postgres' own `quote_ident()` / `quote_literal()`:
 * an identifier is quoted unless it is lower-case, starts with a letter or underscore, and is not a
 * keyword that Postgres reserves (reserved, type/function-name and column-name keywords).
 */

const KEYWORDS = new Set(
  (
    // reserved
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning ' +
    'select session_user some symmetric system_user table then to trailing true union unique user using variadic when ' +
    'where window with ' +
    // type_func_name
    'authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like ' +
    'natural notnull outer overlaps right similar tablesample verbose ' +
    // col_name
    'between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int ' +
    'integer interval json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar ' +
    'json_serialize json_table json_value least merge_action national nchar none normalize nullif numeric out overlay ' +
    'position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes ' +
    'xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
)

/** True when Postgres would need `name` in double quotes. */
export function needsQuotes(name: string): boolean {
  return !/^[a-z_][a-z0-9_$]*$/.test(name) || KEYWORDS.has(name)
}

/** Quotes an identifier only when needed, as `quote_ident()` does. */
export function ident(name: string): string {
  return needsQuotes(name) ? `"${name.replaceAll('"', '""')}"` : name
}

/** `schema.name`, each part quoted as needed. */
export function qname(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`
}

/** A comma-separated list of quoted identifiers. */
export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ')
}

/** A string literal, as `quote_literal()` does (E'' form when it holds a backslash). */
export function literal(value: string): string {
  const body = value.replaceAll("'", "''")
  return value.includes('\\') ? `E'${body.replaceAll('\\', '\\\\')}'` : `'${body}'`
}
