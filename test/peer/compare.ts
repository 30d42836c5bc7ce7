/**
 * Catalog comparison for the peer suite: `pg_dump --schema-only` lines on a server, and a catalog
 * fingerprint (one line per object, built from Postgres' own deparsers) where pg_dump cannot reach
 * (PGlite). Both compare as sorted multisets of lines.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Database } from '../../src/db/database.js'

const run = promisify(execFile)

/** Outcome of comparing two snapshots. */
export interface Comparison {
  readonly equal: boolean
  /** Equal only once trailing commas are ignored: the same columns in another attnum order. */
  readonly columnOrderOnly: boolean
  /** Lines only in the first snapshot (`-`) and only in the second (`+`), sorted. */
  readonly residual: readonly string[]
}

/** `pg_dump --schema-only --no-owner` of `url`, as significant lines. */
export async function dumpLines(url: string, pgDump = 'pg_dump'): Promise<string[]> {
  const { stdout } = await run(pgDump, ['--schema-only', '--no-owner', '--dbname', url], { maxBuffer: 64 << 20 })
  return significantLines(stdout)
}

/**
 * Drops comments, blank lines and pg_dump's random `\restrict` / `\unrestrict` lines, and sorts the
 * items of storage-parameter lists (`WITH (fillfactor='70', …)`): Postgres keeps them in the order
 * they were written, which carries no meaning.
 */
export function significantLines(dump: string): string[] {
  return dump
    .split('\n')
    .map(sortStorageParameters)
    .filter((l) => l.trim() !== '' && !l.startsWith('--') && !/^\\(un)?restrict\b/.test(l))
}

const PARAM = String.raw`[\w.]+=(?:'(?:[^']|'')*'|[^,()\s]+)`
const PARAM_LIST = new RegExp(String.raw`\bWITH \((${PARAM}(?:, ${PARAM})*)\)`, 'g')

/** `WITH (b='2', a='1')` → `WITH (a='1', b='2')`. */
export function sortStorageParameters(line: string): string {
  return line.replace(PARAM_LIST, (_m, list: string) => `WITH (${(list.match(new RegExp(PARAM, 'g')) ?? []).sort().join(', ')})`)
}

/** pg_dump's column lines end in `,` except the last one: without it, column order no longer shows. */
export const stripTrailingComma = (line: string): string => line.replace(/,$/, '')

/** A fingerprint `columns` line with its columns sorted: column order no longer shows. */
export const sortColumnList = (line: string): string => {
  const m = /^(columns \S+ )(.*)$/.exec(line)
  return m ? m[1] + m[2]!.split(' ').sort().join(' ') : line
}

/** Compares two snapshots as sorted lines; `loosen` maps lines so that only column order is ignored. */
export function compareLines(
  a: readonly string[],
  b: readonly string[],
  loosen: (line: string) => string = stripTrailingComma,
): Comparison {
  const residual = multisetDiff(a, b)
  if (residual.length === 0) return { equal: true, columnOrderOnly: false, residual }
  const loose = multisetDiff(a.map(loosen), b.map(loosen))
  return { equal: loose.length === 0, columnOrderOnly: loose.length === 0, residual }
}

function multisetDiff(a: readonly string[], b: readonly string[]): string[] {
  const count = new Map<string, number>()
  for (const l of a) count.set(l, (count.get(l) ?? 0) + 1)
  for (const l of b) count.set(l, (count.get(l) ?? 0) - 1)
  const out: string[] = []
  for (const [l, n] of count) {
    if (n > 0) for (let i = 0; i < n; i++) out.push(`- ${l}`)
    if (n < 0) for (let i = 0; i < -n; i++) out.push(`+ ${l}`)
  }
  return out.sort((x, y) => (x.slice(2) < y.slice(2) ? -1 : x.slice(2) > y.slice(2) ? 1 : x < y ? -1 : 1))
}

const USER_NS = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg\\_%'`
const NOT_EXT = (cls: string, oid: string): string =>
  `not exists (select 1 from pg_depend d where d.classid = '${cls}'::regclass and d.objid = ${oid} and d.deptype = 'e')`

/**
 * One line per user object and attribute, in Postgres' printed form. Column lines carry no position;
 * a separate `columns` line per relation carries the order (compare with `sortColumnList`). As in
 * pg_dump, a NULL ACL equals the explicit default ACL, and NOT NULL constraints (PostgreSQL 18
 * lists them in pg_constraint) show as the column's `not null`, not by name.
 */
export const FINGERPRINT_QUERIES: readonly string[] = [
  `select 'schema ' || n.nspname || ' acl=' || coalesce(n.nspacl, acldefault('n', n.nspowner))::text as l from pg_namespace n where ${USER_NS} and ${NOT_EXT('pg_namespace', 'n.oid')}`,
  `select 'extension ' || e.extname || ' schema=' || e.extnamespace::regnamespace::text as l from pg_extension e where e.extname <> 'plpgsql'`,
  `select 'relation ' || c.oid::regclass::text || ' kind=' || c.relkind::text || ' persistence=' || c.relpersistence::text
      || ' options=' || coalesce((select array_agg(o order by o) from unnest(c.reloptions) o)::text, '-') || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity
      || ' acl=' || coalesce(c.relacl, acldefault(case when c.relkind = 'S' then 's' else 'r' end::"char", c.relowner))::text
      || ' part=' || coalesce(pg_get_expr(c.relpartbound, c.oid), '-')
      || ' partkey=' || case when c.relkind = 'p' then pg_get_partkeydef(c.oid) else '-' end
      || ' inherits=' || coalesce((select string_agg(i.inhparent::regclass::text, ',' order by i.inhseqno) from pg_inherits i where i.inhrelid = c.oid), '-') as l
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${USER_NS} and c.relkind in ('r','p','v','m','S','f','c') and ${NOT_EXT('pg_class', 'c.oid')}
       and not (c.relkind = 'c' and exists (select 1 from pg_type t where t.typrelid = c.oid and t.typtype <> 'c'))`,
  `select 'column ' || c.oid::regclass::text || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
      || case when a.attnotnull then ' not null' else '' end
      || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
      || case when a.attidentity <> '' then ' identity=' || a.attidentity::text else '' end
      || case when a.attgenerated <> '' then ' generated=' || a.attgenerated::text else '' end
      || case when a.attcollation <> 0 and a.attcollation <> t.typcollation then ' collate ' || a.attcollation::regcollation::text else '' end
      || ' local=' || a.attislocal || ' acl=' || coalesce(a.attacl::text, '-') as l
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     join pg_type t on t.oid = a.atttypid
     left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
     where ${USER_NS} and c.relkind in ('r','p','v','m','f','c') and a.attnum > 0 and not a.attisdropped and ${NOT_EXT('pg_class', 'c.oid')}`,
  `select 'columns ' || c.oid::regclass::text || ' ' || string_agg(quote_ident(a.attname), ' ' order by a.attnum) as l
     from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
     where ${USER_NS} and c.relkind in ('r','p','v','m','f','c') and a.attnum > 0 and not a.attisdropped and ${NOT_EXT('pg_class', 'c.oid')}
     group by c.oid`,
  `select 'constraint ' || coalesce(r.conrelid::regclass::text, r.contypid::regtype::text) || ' ' || quote_ident(r.conname) || ' '
      || pg_get_constraintdef(r.oid) || case when r.convalidated then '' else ' (not validated)' end as l
     from pg_constraint r join pg_namespace n on n.oid = r.connamespace where r.contype <> 'n' and ${USER_NS} and ${NOT_EXT('pg_constraint', 'r.oid')}`,
  `select 'index ' || pg_get_indexdef(i.indexrelid) as l from pg_index i join pg_class c on c.oid = i.indexrelid
     join pg_namespace n on n.oid = c.relnamespace where ${USER_NS} and ${NOT_EXT('pg_class', 'i.indrelid')}`,
  `select 'view ' || c.oid::regclass::text || ' ' || pg_get_viewdef(c.oid) as l from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${USER_NS} and c.relkind in ('v','m') and ${NOT_EXT('pg_class', 'c.oid')}`,
  `select 'sequence ' || s.seqrelid::regclass::text || ' ' || format_type(s.seqtypid, null) || ' ' || s.seqstart || ' ' || s.seqincrement
      || ' ' || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcache || ' ' || s.seqcycle
      || coalesce(' owned by ' || (select d.refobjid::regclass::text || '.' || (select quote_ident(x.attname) from pg_attribute x where x.attrelid = d.refobjid and x.attnum = d.refobjsubid) from pg_depend d
           where d.classid = 'pg_class'::regclass and d.objid = s.seqrelid and d.refclassid = 'pg_class'::regclass and d.deptype in ('a','i')), '') as l
     from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace where ${USER_NS} and ${NOT_EXT('pg_class', 'c.oid')}`,
  `select 'function ' || p.oid::regprocedure::text || ' kind=' || p.prokind::text || ' acl=' || coalesce(p.proacl, acldefault('f', p.proowner))::text || ' '
      || case when p.prokind = 'a' then coalesce((select a.aggtransfn::text || '/' || a.aggtranstype::regtype::text || '/' || coalesce(a.agginitval, '-') || '/' || a.aggfinalfn::text from pg_aggregate a where a.aggfnoid = p.oid), '')
         else pg_get_functiondef(p.oid) end as l
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${USER_NS} and ${NOT_EXT('pg_proc', 'p.oid')}`,
  `select 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text as l from pg_trigger t join pg_class c on c.oid = t.tgrelid
     join pg_namespace n on n.oid = c.relnamespace where not t.tgisinternal and ${USER_NS}`,
  `select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || roles::text || ' ' || cmd
      || ' using=' || coalesce(qual, '-') || ' check=' || coalesce(with_check, '-') as l from pg_policies`,
  `select 'type ' || t.oid::regtype::text || ' ' || t.typtype::text
      || coalesce(' labels=' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '')
      || case when t.typtype = 'd' then ' base=' || format_type(t.typbasetype, t.typtypmod) || ' notnull=' || t.typnotnull || coalesce(' default=' || t.typdefault, '') else '' end
      || ' acl=' || coalesce(t.typacl, acldefault('T', t.typowner))::text as l
     from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where ${USER_NS} and t.typtype in ('e','d','c','r','b') and ${NOT_EXT('pg_type', 't.oid')}
       and not (t.typtype = 'c' and exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind <> 'c'))`,
  `select 'comment ' || pg_describe_object(d.classoid, d.objoid, d.objsubid) || ' = ' || d.description as l
     from pg_description d where d.classoid <> 'pg_database'::regclass and d.objoid >= 16384
       and not exists (select 1 from pg_depend x where x.classid = d.classoid and x.objid = d.objoid and x.deptype = 'e')`,
  `select 'default acl ' || coalesce(a.defaclnamespace::regnamespace::text, '-') || ' ' || a.defaclrole::regrole::text || ' ' || a.defaclobjtype::text || ' ' || a.defaclacl::text as l from pg_default_acl a`,
]

/** The catalog fingerprint of a database, one line per object (newlines inside shown as `\\n`). */
export async function fingerprintLines(db: Database): Promise<string[]> {
  return db.session(async (s) => {
    const out: string[] = []
    await s.exec(`set search_path = pg_catalog`)
    try {
      for (const q of FINGERPRINT_QUERIES) {
        const rows = await s.query<{ l: string | null }>(q)
        for (const r of rows) if (r.l !== null) out.push(sortStorageParameters(r.l.replace(/[ \t]+$/gm, '').replace(/\n/g, '\\n')))
      }
    } finally {
      await s.exec(`reset search_path`)
    }
    return out
  })
}
