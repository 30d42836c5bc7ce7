/**
 * The one place where models are put into normal form, so that a model loaded from definitions
 * and a model inspected from a database compare equal with a plain deep-equality check.
 */
import type { ColumnStorage, DefaultPrivilegeDef, EnumDef, GrantDef, IdentityOptions, Model, TableDef } from './types.js'

const byName = <T extends { name: string }>(a: T, b: T) => cmp(a.name, b.name)
const bySchemaName = <T extends { schema: string; name: string }>(a: T, b: T) =>
  cmp(a.schema, b.schema) || cmp(a.name, b.name)

/** Code-point string comparison: locale-independent, so output is the same on every machine. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  float: 'double precision',
  decimal: 'numeric',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  varbit: 'bit varying',
}

/**
 * Spells a type the way `format_type()` does: `varchar(10)` → `character varying(10)`,
 * `timestamptz` → `timestamp with time zone`, `int[]` → `integer[]`. Unknown names pass through.
 */
export function canonicalType(type: string): string {
  let t = type.trim().replace(/\s+/g, ' ')
  let dims = ''
  while (/\[\d*\]$/.test(t)) {
    dims += '[]'
    t = t.replace(/\s*\[\d*\]$/, '')
  }
  const m = /^([a-z0-9_ ]+?)\s*(\(\s*\d+\s*(?:,\s*-?\d+\s*)?\))?(\s+with(?:out)? time zone)?$/i.exec(t)
  if (!m) return t + dims
  const base = m[1].toLowerCase()
  const mods = m[2] ? m[2].replace(/\s+/g, '') : ''
  const tz = m[3] ? m[3].trim().toLowerCase() : ''
  if (base === 'char' && !mods) return 'character(1)' + dims
  if (base === 'character' && !mods) return 'character(1)' + dims
  const canonical = TYPE_ALIASES[base] ?? base
  if (canonical === 'timestamp without time zone' || canonical === 'time without time zone') {
    const root = canonical.startsWith('timestamp') ? 'timestamp' : 'time'
    const zone = tz || (base === 'timestamptz' || base === 'timetz' ? 'with time zone' : 'without time zone')
    return `${root}${mods} ${zone}` + dims
  }
  if (canonical === 'timestamp with time zone' || canonical === 'time with time zone') {
    const root = canonical.startsWith('timestamp') ? 'timestamp' : 'time'
    return `${root}${mods} with time zone` + dims
  }
  if (tz) return `${canonical}${mods} ${tz}` + dims
  return canonical + mods + dims
}

const INT_RANGE: Record<string, [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
}

/** Every sequence option of an identity column of `type`, with the defaults Postgres fills in. */
export function identityDefaults(type: string, options: IdentityOptions = {}): Required<IdentityOptions> {
  const [lo, hi] = INT_RANGE[type] ?? INT_RANGE.bigint!
  const increment = options.increment ?? '1'
  const up = BigInt(increment) > 0n
  const min = options.min ?? (up ? '1' : String(lo))
  const max = options.max ?? (up ? String(hi) : '-1')
  return { start: options.start ?? (up ? min : max), increment, min, max, cache: options.cache ?? '1', cycle: options.cycle ?? false }
}

/** Identity options in normal form: only those that differ from the defaults; undefined when none do. */
export function identityOptions(type: string, all: Required<IdentityOptions>): IdentityOptions | undefined {
  const d = identityDefaults(type, { increment: all.increment })
  const out: { -readonly [K in keyof IdentityOptions]: IdentityOptions[K] } = {}
  if (all.increment !== '1') out.increment = all.increment
  if (all.min !== d.min) out.min = all.min
  if (all.max !== d.max) out.max = all.max
  if (all.start !== identityDefaults(type, { increment: all.increment, min: all.min, max: all.max }).start) out.start = all.start
  if (all.cache !== '1') out.cache = all.cache
  if (all.cycle) out.cycle = true
  return Object.keys(out).length ? out : undefined
}

function normalizeTable(table: TableDef): TableDef {
  const { exclusions: _x, ...t } = table
  return {
    ...t,
    uniques: [...t.uniques].sort(byName),
    foreignKeys: [...t.foreignKeys].sort(byName),
    checks: [...t.checks].sort(byName),
    // an empty list is kept: definitions that declare no exclusions on purpose own them (see workflows/undeclared.ts)
    ...(table.exclusions ? { exclusions: [...table.exclusions].sort(byName) } : {}),
    indexes: [...t.indexes].sort(byName),
    policies: [...t.policies].map((p) => ({ ...p, roles: [...p.roles].sort(cmp) })).sort(byName),
  }
}

/** Sorts every collection of the model (columns keep their order). Returns a new model. */
export function normalizeModel(model: Model): Model {
  const { unmodelled: _u, collations: _c, defaultPrivileges: _d, aggregates: _a, composites: _t, eventTriggers: _e, ...m } = model
  return {
    ...m,
    schemas: [...m.schemas].sort(byName),
    extensions: [...m.extensions].sort(byName),
    enums: [...m.enums].sort(bySchemaName),
    domains: [...m.domains].map((d) => ({ ...d, checks: [...d.checks].sort(byName) })).sort(bySchemaName),
    ...(model.collations?.length ? { collations: [...model.collations].sort(bySchemaName) } : {}),
    sequences: [...m.sequences].sort(bySchemaName),
    tables: m.tables.map(normalizeTable).sort(bySchemaName),
    views: [...m.views].map((v) => ({ ...v, indexes: [...v.indexes].sort(byName) })).sort(bySchemaName),
    functions: [...m.functions].sort((a, b) => bySchemaName(a, b) || cmp(a.args, b.args)),
    ...(model.aggregates?.length ? { aggregates: [...model.aggregates].sort((a, b) => bySchemaName(a, b) || cmp(a.args, b.args)) } : {}),
    ...(model.composites?.length ? { composites: [...model.composites].sort(bySchemaName) } : {}),
    ...(model.eventTriggers?.length
      ? { eventTriggers: model.eventTriggers.map((e) => (e.tags ? { ...e, tags: [...e.tags].sort(cmp) } : e)).sort(byName) }
      : {}),
    triggers: [...m.triggers].sort((a, b) => cmp(a.schema, b.schema) || cmp(a.table, b.table) || cmp(a.name, b.name)),
    roles: [...m.roles].map((r) => ({ ...r, memberOf: [...r.memberOf].sort(cmp) })).sort(byName),
    grants: [...m.grants]
      .map((g) => ({ ...g, privileges: [...g.privileges].sort(cmp) }))
      .sort((a, b) => cmp(grantKey(a), grantKey(b))),
    ...(model.defaultPrivileges?.length
      ? {
          defaultPrivileges: model.defaultPrivileges
            .map((d) => ({ ...d, privileges: [...d.privileges].sort(cmp) }))
            .sort((a, b) => cmp(defaultPrivilegeKey(a), defaultPrivilegeKey(b))),
        }
      : {}),
    ...(model.unmodelled?.length
      ? { unmodelled: [...model.unmodelled].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.schema ?? '', b.schema ?? '') || cmp(a.name, b.name)) }
      : {}),
  }
}

/** What identifies a grant entry: its object (a function's arguments, a column), role, grant option and direction. */
export function grantKey(g: GrantDef): string {
  return [g.on, g.schema, g.name, g.args ?? '', g.column ?? '', g.role, g.withGrantOption ? 'with grant option' : '', g.revoke ? 'revoke' : 'grant'].join('\u0000')
}

/**
 * What identifies a default privilege entry: role, schema, kind, grantee, grant option and direction
 * (as inspect groups them: one role may get SELECT with grant option and INSERT without).
 */
export function defaultPrivilegeKey(d: DefaultPrivilegeDef): string {
  return [d.role ?? '', d.schema ?? '', d.on, d.grantee, d.withGrantOption ? 'with grant option' : '', d.revoke ? 'revoke' : 'grant'].join('\u0000')
}

/** Removes DSL-only hints (`renamedFrom`, `valuesRenamedFrom`), leaving what a database could report. */
export function stripHints(m: Model): Model {
  const strip = <T extends { renamedFrom?: string }>(x: T): T => {
    if (x.renamedFrom === undefined) return x
    const { renamedFrom: _ignored, ...rest } = x
    return rest as T
  }
  const stripValues = (e: EnumDef): EnumDef => {
    if (e.valuesRenamedFrom === undefined) return e
    const { valuesRenamedFrom: _ignored, ...rest } = e
    return rest
  }
  return {
    ...m,
    enums: m.enums.map((e) => stripValues(strip(e))),
    tables: m.tables.map((t) => ({ ...strip(t), columns: t.columns.map(strip) })),
  }
}

/** Copies the DSL-only hints (`renamedFrom`) of `from` onto the matching objects of `to`. */
export function reattachHints(from: Model, to: Model): Model {
  const key = (schema: string, name: string) => `${schema}\u0000${name}`
  const enums = new Map(
    from.enums
      .filter((e) => e.renamedFrom !== undefined || e.valuesRenamedFrom !== undefined)
      .map((e) => [key(e.schema, e.name), e]),
  )
  const tables = new Map(from.tables.map((t) => [key(t.schema, t.name), t]))
  return {
    ...to,
    enums: to.enums.map((e) => {
      const r = enums.get(key(e.schema, e.name))
      if (r === undefined) return e
      return {
        ...e,
        ...(r.renamedFrom !== undefined ? { renamedFrom: r.renamedFrom } : {}),
        ...(r.valuesRenamedFrom !== undefined ? { valuesRenamedFrom: r.valuesRenamedFrom } : {}),
      }
    }),
    tables: to.tables.map((t) => {
      const src = tables.get(key(t.schema, t.name))
      if (!src) return t
      const cols = new Map(src.columns.filter((c) => c.renamedFrom !== undefined).map((c) => [c.name, c.renamedFrom]))
      const columns = cols.size
        ? t.columns.map((c) => {
            const r = cols.get(c.name)
            return r === undefined ? c : { ...c, renamedFrom: r }
          })
        : t.columns
      return { ...t, columns, ...(src.renamedFrom !== undefined ? { renamedFrom: src.renamedFrom } : {}) }
    }),
  }
}

const MAIN_STORAGE = /^(numeric|inet|cidr)\b/
const EXTENDED_STORAGE = /^(text|bytea|json|jsonb|jsonpath|xml|tsvector|path|polygon|refcursor|txid_snapshot|bit|bit varying|character|character varying)\b/

/**
 * The STORAGE a built-in type has by itself (`typstorage`), for a type as format_type prints it:
 * arrays and most variable-length types `extended`, numeric, inet and cidr `main`, fixed-length types
 * `plain`; undefined for a user type (schema-qualified), whose storage the definitions cannot know.
 */
export function typeStorage(type: string): ColumnStorage | undefined {
  if (type.endsWith('[]')) return 'extended'
  if (/^(?:"|[^"(]*\.)/.test(type) && !/^(?:public\.)?citext$/.test(type)) return undefined
  if (/^(?:public\.)?citext$/.test(type)) return 'extended'
  if (MAIN_STORAGE.test(type)) return 'main'
  if (EXTENDED_STORAGE.test(type)) return 'extended'
  return 'plain'
}
