/**
 * A column's type as a DSL builder call (`varchar(255)`, `timestamptz({ precision: 3 })`,
 * `tier()`, `customType('point')`), and its default as the typed value the DSL spells exactly the
 * same way (`.default('draft')`, `.default(0)`, `.defaultNow()`), else as `sql\`…\``. Each choice
 * is checked by building the column with the DSL itself: a builder whose type, or a value whose
 * default text, differs from the database's by one character is not used.
 */
import type { ColumnDef, DomainDef, EnumDef } from '../model/types.js'
import * as builders from '../dsl/column.js'
import type { AnyColumn, ColumnConfig } from '../dsl/column.js'
import { captureLocation } from '../dsl/location.js'
import { literalDefault } from '../dsl/table-state.js'
import { qname, unident } from '../sqlgen/quote.js'
import { jsString, jsValue, sqlTemplate } from './ts-text.js'

/** How a column's type is written. */
export interface TypeCall {
  /** The DSL function called (an import), or the enum's export name when `enum` is set. */
  readonly fn: string
  /** Source text of the arguments after an optional explicit name. */
  readonly args: readonly string[]
  readonly array: boolean
  /** Set for enum columns: the enum in the model. */
  readonly enum?: EnumDef
  /** Set for columns of a domain: the domain in the model. */
  readonly domain?: DomainDef
  /** The column as the DSL builds it (for default checks). */
  readonly config: ColumnConfig
  /** How many arguments come before an explicit column name (vector(3, 'name')). */
  readonly nameAfter?: number
  /** customType's type argument, e.g. the values of an enum written as customType. */
  readonly typeArg?: string
}

type Builder = (...args: unknown[]) => AnyColumn
const B = builders as unknown as Record<string, Builder>

function tryCall(fn: string, args: unknown[]): ColumnConfig | undefined {
  try {
    return B[fn]!(...args).config
  } catch {
    return undefined
  }
}

const SIMPLE: Record<string, string> = {
  uuid: 'uuid', text: 'text', smallint: 'smallint', integer: 'integer', bigint: 'bigint', real: 'real',
  'double precision': 'doublePrecision', boolean: 'boolean', date: 'date', interval: 'interval', json: 'json',
  jsonb: 'jsonb', bytea: 'bytea', inet: 'inet', cidr: 'cidr', macaddr: 'macaddr', tsvector: 'tsvector',
  'character varying': 'varchar', numeric: 'numeric',
}

/** The builder for `type` (format_type spelling, without `[]`), as a call and its runtime arguments. */
function builderFor(base: string): { fn: string; args: unknown[]; text: string[]; nameAfter?: number } | undefined {
  const simple = SIMPLE[base]
  if (simple) return { fn: simple, args: [], text: [] }
  let m = /^character varying\((\d+)\)$/.exec(base)
  if (m) return { fn: 'varchar', args: [Number(m[1])], text: [m[1]!] }
  m = /^character\((\d+)\)$/.exec(base)
  if (m) return m[1] === '1' ? { fn: 'char', args: [], text: [] } : { fn: 'char', args: [Number(m[1])], text: [m[1]!] }
  m = /^numeric\((\d+),(\d+)\)$/.exec(base)
  if (m) return m[2] === '0' ? { fn: 'numeric', args: [Number(m[1])], text: [m[1]!] } : { fn: 'numeric', args: [Number(m[1]), Number(m[2])], text: [m[1]!, m[2]!] }
  m = /^(?:(public)|("(?:[^"]|"")*"|[a-z_][a-z0-9_$]*))\.(citext|vector|halfvec|sparsevec)(?:\((\d+)\))?$/.exec(base)
  if (m && (m[3] === 'citext') === (m[4] === undefined)) {
    const schema = m[1] ?? unident(m[2]!)
    const o = m[1] ? [] : [{ schema }]
    const dims = m[4] !== undefined ? [Number(m[4])] : []
    return { fn: m[3]!, args: [...dims, ...o], text: [...dims.map(String), ...o.map((x) => jsValue(x))], nameAfter: dims.length }
  }
  m = /^(time|timestamp)(?:\((\d)\))? (with|without) time zone$/.exec(base)
  if (m) {
    const precision = m[2] === undefined ? undefined : Number(m[2])
    if (m[1] === 'timestamp' && m[3] === 'with') {
      return precision === undefined ? { fn: 'timestamptz', args: [], text: [] } : { fn: 'timestamptz', args: [{ precision }], text: [`{ precision: ${precision} }`] }
    }
    const o: Record<string, unknown> = {}
    if (precision !== undefined) o.precision = precision
    if (m[3] === 'with') o.withTimezone = true
    return Object.keys(o).length ? { fn: m[1]!, args: [o], text: [jsValue(o)] } : { fn: m[1]!, args: [], text: [] }
  }
  return undefined
}

/**
 * The builder call for a column of `type`; `enums` are the model's enums by their type text,
 * `enumName` gives the name an enum's builder goes by here (undefined: write it as customType).
 */
export function typeCall(
  type: string,
  enums: ReadonlyMap<string, EnumDef>,
  enumName: (e: EnumDef) => string | undefined,
  domains: ReadonlyMap<string, DomainDef> = new Map(),
  domainName: (d: DomainDef) => string | undefined = () => undefined,
): TypeCall {
  const array = type.endsWith('[]')
  const base = array ? type.slice(0, -2) : type
  const expect = (cfg: ColumnConfig | undefined) => cfg !== undefined && cfg.baseType + (cfg.arrayDims > 0 ? '[]' : '') === type
  const dom = domains.get(base)
  const dn = dom ? domainName(dom) : undefined
  if (dom && dn && qname(dom.schema, dom.name) === base) {
    // a column of a domain: customType of its name, with literals of the base type's kind (as domain() makes it)
    const config = B.customType!(base).config
    config.literal = typeCall(dom.type, enums, () => undefined).config.literal
    delete config.customType
    if (array) config.arrayDims = 1
    if (expect(config)) return { fn: dn, args: [], array, domain: dom, config }
  }
  const e = enums.get(base)
  const en = e ? enumName(e) : undefined
  if (e && en && qname(e.schema, e.name) === base) {
    const config = builders.enumColumn({ schema: e.schema, name: e.name, values: e.values, at: captureLocation() }).config
    if (array) config.arrayDims = 1
    if (expect(config)) return { fn: en, args: [], array, enum: e, config }
  }
  const b = builderFor(base)
  if (b) {
    const cfg = tryCall(b.fn, b.args)
    if (cfg) {
      if (array) cfg.arrayDims = 1
      if (expect(cfg)) return { fn: b.fn, args: b.text, array, config: cfg, ...(b.nameAfter ? { nameAfter: b.nameAfter } : {}) }
    }
  }
  const config = B.customType!(type).config
  const typeArg = e?.values.length ? `${array ? '(' : ''}${e.values.map(jsString).join(' | ')}${array ? ')[]' : ''}` : undefined
  return { fn: 'customType', args: [jsString(type)], array: false, config, ...(typeArg ? { typeArg } : {}) }
}

/** The source text of the builder call (without modifiers); `explicitName` when the key cannot be the SQL name. */
export function typeCallText(t: TypeCall, explicitName?: string): string {
  if (t.fn === 'customType') return `customType${t.typeArg ? `<${t.typeArg}>` : ''}(${[...t.args, ...(explicitName !== undefined ? [jsString(explicitName)] : [])].join(', ')})`
  const at = t.nameAfter ?? 0
  const args = [...t.args.slice(0, at), ...(explicitName !== undefined ? [jsString(explicitName)] : []), ...t.args.slice(at)]
  return `${t.fn}(${args.join(', ')})${t.array ? '.array()' : ''}`
}

/** What a default becomes in the definitions. */
export type DefaultText = { readonly method: 'defaultNow' | 'defaultRandom' } | { readonly value: string } | { readonly sql: string }

/** A string literal's content: `'it''s'` → `it's`, or undefined when `text` is not exactly one literal. */
function stringLiteral(text: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/s.exec(text)
  return m ? m[1]!.replaceAll("''", "'") : undefined
}

/** Elements of a one-dimensional array literal body (`{a,"b c",NULL}`), or undefined. */
export function arrayElements(text: string): (string | null)[] | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined
  const body = text.slice(1, -1)
  if (body === '') return []
  const out: (string | null)[] = []
  let i = 0
  while (i <= body.length) {
    if (body[i] === '"') {
      let s = ''
      i++
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++
        s += body[i] ?? ''
        i++
      }
      if (body[i] !== '"') return undefined
      i++
      out.push(s)
    } else {
      let j = i
      while (j < body.length && body[j] !== ',') j++
      const raw = body.slice(i, j)
      if (raw === '' || /[{}"\\]/.test(raw) || raw !== raw.trim()) return undefined
      out.push(/^null$/i.test(raw) ? null : raw)
      i = j
    }
    if (i === body.length) break
    if (body[i] !== ',') return undefined
    i++
  }
  return out
}

/** Values a default text may have been written from, for the column's literal kind. */
function candidates(text: string, cfg: ColumnConfig): unknown[] {
  const out: unknown[] = []
  const cast = /^('(?:[^']|'')*')::(.+)$/s.exec(text)
  const literal = cast ? stringLiteral(cast[1]!) : undefined
  const kind = cfg.literal
  if (cfg.arrayDims > 0) {
    const items = literal !== undefined ? arrayElements(literal) : undefined
    if (!items || items.some((x) => x === null)) return []
    const each = (x: string): unknown =>
      kind === 'int' || kind === 'float' ? Number(x) : kind === 'bool' ? x === 't' || x === 'true' : kind === 'jsonb' || kind === 'json' ? safeJson(x) : x
    out.push(items.map((x) => each(x as string)))
    return out
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    out.push(Number(text))
    if (kind === 'decimal') out.push(text)
  }
  if (text === 'true' || text === 'false') out.push(text === 'true')
  if (literal !== undefined) {
    if (kind === 'json' || kind === 'jsonb') {
      const v = safeJson(literal)
      if (v !== undefined) out.push(v)
    } else if (kind === 'int' || kind === 'float') {
      if (/^-?\d+(\.\d+)?$/.test(literal) || /^(NaN|-?Infinity)$/.test(literal)) out.push(Number(literal))
    } else if (kind === 'decimal') {
      out.push(literal)
      if (/^(NaN|-?Infinity)$/.test(literal)) out.push(Number(literal))
    } else out.push(literal)
  }
  return out
}

function safeJson(s: string): unknown {
  if (s.includes('__proto__')) return undefined
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

/** True when `v` fits the TypeScript insert type of a column built by `fn`. */
function typedOk(v: unknown, cfg: ColumnConfig, fn: string): boolean {
  if (fn === 'customType' || fn === 'bytea') return false
  const one = (x: unknown): boolean => {
    switch (cfg.literal) {
      case 'int':
        return typeof x === 'number' && Number.isSafeInteger(x)
      case 'float':
        return typeof x === 'number' && Number.isFinite(x)
      case 'decimal':
        return typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))
      case 'bool':
        return typeof x === 'boolean'
      case 'json':
      case 'jsonb':
        return true
      default:
        return typeof x === 'string'
    }
  }
  return cfg.arrayDims > 0 ? Array.isArray(v) && v.every(one) : one(v)
}

/** The default of `c`, written as a typed value when the DSL spells that value exactly as the database does. */
export function defaultText(c: ColumnDef, t: TypeCall): DefaultText | undefined {
  const d = c.default
  if (d === undefined) return undefined
  if (d === 'now()') return { method: 'defaultNow' }
  if (d === 'gen_random_uuid()') return { method: 'defaultRandom' }
  for (const v of candidates(d, t.config)) {
    if (!typedOk(v, t.config, t.fn)) continue
    let rendered: string | undefined
    try {
      rendered = literalDefault(t.config, v)
    } catch {
      rendered = undefined
    }
    if (rendered === d) return { value: jsValue(v) }
  }
  return { sql: sqlTemplate(d) }
}
