/**
 * The statements of a migration file that destroy data: DROP TABLE / SCHEMA / TYPE / DOMAIN /
 * SEQUENCE / EXTENSION / DATABASE, ALTER TABLE … DROP COLUMN, TRUNCATE, DELETE, and ALTER COLUMN …
 * TYPE when the new type is narrower than the column's current one (judged against the live
 * database, like `generate` judges PGK104). `migrate down` refuses them without
 * --allow-destructive, the same rule `generate` applies to what it writes.
 */
import { loadModule, parseSync } from 'libpg-query'
import type { Queryable } from '../db/database.js'
import { classifyTypeChange } from '../diff/type-change.js'
import { canonicalType } from '../model/normalize.js'
import { DESTRUCTIVE } from '../plan/hazards.js'
import { ident } from '../sqlgen/quote.js'
import type { SqlStatement } from './split-sql.js'

/** What a destructive statement destroys. */
export type DataLossKind =
  | 'drop_table'
  | 'drop_column'
  | 'drop_schema'
  | 'type_narrowing'
  | 'drop_type'
  | 'drop_sequence'
  | 'drop_extension'
  | 'drop_database'
  | 'truncate'
  | 'delete'

/** One destructive statement of a migration file. */
export interface DestructiveStatement {
  readonly migration: string
  /** `migrations/…/down.sql:12`. */
  readonly file: string
  /** 1-based statement number in the file. */
  readonly statement: number
  readonly kind: DataLossKind
  /** The stable code `generate` uses for the same change (PGK101–PGK107), when there is one. */
  readonly code?: string
  /** The object, e.g. `public.users` or `public.users.email`. */
  readonly object: string
  /** The statement on one line, shortened. */
  readonly text: string
}

type Node = Record<string, any>

const CODES: Partial<Record<DataLossKind, string>> = {
  drop_table: DESTRUCTIVE.drop_table,
  drop_column: DESTRUCTIVE.drop_column,
  drop_schema: DESTRUCTIVE.drop_schema,
  type_narrowing: DESTRUCTIVE.type_narrowing,
  drop_type: DESTRUCTIVE.drop_enum,
  drop_sequence: DESTRUCTIVE.drop_sequence,
  drop_extension: DESTRUCTIVE.drop_extension,
}

const DROPS: Record<string, DataLossKind> = {
  OBJECT_TABLE: 'drop_table',
  OBJECT_FOREIGN_TABLE: 'drop_table',
  OBJECT_SCHEMA: 'drop_schema',
  OBJECT_TYPE: 'drop_type',
  OBJECT_DOMAIN: 'drop_type',
  OBJECT_SEQUENCE: 'drop_sequence',
  OBJECT_EXTENSION: 'drop_extension',
}

/** A column type change found in a statement, judged later against the live column. */
interface TypeChange {
  readonly schema?: string
  readonly table: string
  readonly column: string
  /** The new type in format_type() spelling (builtin types; others as written). */
  readonly type: string
}

interface Found {
  readonly losses: { kind: DataLossKind; object: string }[]
  readonly typeChanges: TypeChange[]
}

/**
 * The destructive statements of one migration file. `q` is the database the file will run on: a
 * column type change counts when the live column's type does not fit into the new one.
 */
export async function findDataLoss(
  q: Queryable,
  migration: string,
  path: string,
  statements: readonly SqlStatement[],
): Promise<DestructiveStatement[]> {
  await loadModule()
  const out: DestructiveStatement[] = []
  for (const s of statements) {
    const found = classify(s.text)
    const add = (kind: DataLossKind, object: string) =>
      out.push({ migration, file: `${path}:${s.line}`, statement: s.index, kind, ...(CODES[kind] ? { code: CODES[kind] } : {}), object, text: oneLine(s.text, 160) })
    for (const l of found.losses) add(l.kind, l.object)
    for (const t of found.typeChanges) {
      const current = await currentType(q, t)
      if (current !== undefined && classifyTypeChange(current, t.type).safety === 'narrowing') {
        add('type_narrowing', `${t.schema ? `${t.schema}.` : ''}${t.table}.${t.column} (${current} → ${t.type})`)
      }
    }
  }
  return out
}

/** What one statement destroys, from its parse tree; statements that do not parse destroy nothing here. */
export function classify(sql: string): Found {
  const found: Found = { losses: [], typeChanges: [] }
  let stmts: Array<{ stmt: Node }>
  try {
    stmts = (parseSync(sql) as { stmts?: Array<{ stmt: Node }> }).stmts ?? []
  } catch {
    return found
  }
  for (const { stmt } of stmts) visit(stmt, found)
  return found
}

function visit(stmt: Node, found: Found): void {
  const kind = Object.keys(stmt)[0]
  const node = stmt[kind] as Node
  switch (kind) {
    case 'DropStmt': {
      const loss = DROPS[node.removeType as string]
      if (loss) for (const o of (node.objects ?? []) as Node[]) found.losses.push({ kind: loss, object: objectName(o) })
      break
    }
    case 'DropdbStmt':
      found.losses.push({ kind: 'drop_database', object: String(node.dbname) })
      break
    case 'TruncateStmt':
      for (const r of (node.relations ?? []) as Node[]) found.losses.push({ kind: 'truncate', object: rangeVar(r.RangeVar ?? r) })
      break
    case 'DeleteStmt':
      found.losses.push({ kind: 'delete', object: rangeVar(node.relation) })
      break
    case 'AlterTableStmt': {
      if (node.objtype !== 'OBJECT_TABLE' && node.objtype !== 'OBJECT_FOREIGN_TABLE') break
      const rel = node.relation as Node
      for (const c of (node.cmds ?? []) as Node[]) {
        const cmd = c.AlterTableCmd as Node | undefined
        if (!cmd) continue
        if (cmd.subtype === 'AT_DropColumn') found.losses.push({ kind: 'drop_column', object: `${rangeVar(rel)}.${cmd.name}` })
        else if (cmd.subtype === 'AT_AlterColumnType') {
          const type = typeName(cmd.def?.ColumnDef?.typeName)
          if (type) found.typeChanges.push({ ...(rel.schemaname ? { schema: rel.schemaname } : {}), table: rel.relname, column: cmd.name, type })
        }
      }
      break
    }
    default:
      break
  }
  // a data-modifying CTE: WITH gone AS (DELETE FROM …) SELECT …
  for (const cte of (node?.withClause?.ctes ?? []) as Node[]) {
    const q = cte.CommonTableExpr?.ctequery as Node | undefined
    if (q) visit(q, found)
  }
}

function str(n: Node): string {
  return n.String?.sval ?? ''
}

function objectName(o: Node): string {
  if (o.List) return ((o.List.items ?? []) as Node[]).map(str).join('.')
  if (o.String) return str(o)
  if (o.TypeName) return ((o.TypeName.names ?? []) as Node[]).map(str).join('.')
  return '?'
}

function rangeVar(r: Node | undefined): string {
  if (!r) return '?'
  return r.schemaname ? `${r.schemaname}.${r.relname}` : String(r.relname)
}

/** A TypeName node in format_type() spelling for builtin types (`character varying(20)[]`). */
function typeName(t: Node | undefined): string | undefined {
  if (!t) return undefined
  const names = ((t.names ?? []) as Node[]).map(str)
  if (!names.length) return undefined
  const builtin = names.length === 2 && names[0] === 'pg_catalog'
  const base = builtin ? names[1] : names.map((n) => ident(n)).join('.')
  const mods = ((t.typmods ?? []) as Node[]).map((m) => m.A_Const?.ival?.ival ?? (m.A_Const?.ival ? 0 : undefined))
  if (mods.some((m) => typeof m !== 'number')) return undefined
  const arrays = '[]'.repeat(((t.arrayBounds ?? []) as Node[]).length)
  return canonicalType(`${base}${mods.length ? `(${mods.join(',')})` : ''}${arrays}`)
}

/** The column's type now, as format_type() prints it; undefined when the table or column is not there. */
async function currentType(q: Queryable, t: TypeChange): Promise<string | undefined> {
  const rel = `${t.schema ? `${ident(t.schema)}.` : ''}${ident(t.table)}`
  const rows = await q.query<{ t: string }>(
    `select format_type(a.atttypid, a.atttypmod) as t
       from pg_catalog.pg_attribute a
      where a.attrelid = to_regclass($1) and a.attname = $2 and a.attnum > 0 and not a.attisdropped`,
    [rel, t.column],
  )
  return rows[0]?.t
}

/** `s` on one line, cut to `max` characters with an ellipsis. */
export function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > max ? t.slice(0, max - 1) + '…' : t
}
