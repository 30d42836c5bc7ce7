/**
 * Turns the changes between two models into drift items: one per object, saying what drifted
 * (added, removed, changed), the SQL that undoes it (the plan's statements for that object) and,
 * for a live database, the change to the definitions that would adopt it instead. Pure.
 */
import type { Change, CommentTarget } from '../diff/changes.js'
import type { Plan } from '../plan/index.js'

/** One object that differs, with the statements that make the compared side match its reference. */
export interface DriftItem {
  /** What was done to the object on the side that drifted. */
  readonly drift: 'added' | 'removed' | 'changed'
  /** schema, extension, enum, sequence, table, column, constraint, index, policy, view, materialized view, function, trigger, role, grant, … */
  readonly objectKind: string
  /** Qualified name: `app.users`, `app.users.email`, `app.users_email_idx` (indexes live in the schema). */
  readonly object: string
  /** For columns, constraints, indexes, policies, triggers: the table or view they belong to. */
  readonly on?: string
  /** The change kinds behind the item, in plan order (`drop_index`, `create_view`, …). */
  readonly changes: readonly string[]
  /** One line for humans. */
  readonly summary: string
  /** The statements that undo the drift, `;`-terminated, in order (empty for an unsupported change). */
  readonly sql: string
  /** Hazard codes of those statements (`add_required_column`, `table_rewrite`, PGK101 drops, …). */
  readonly hazards: readonly string[]
  /** What to change in the definitions to keep the drift instead (live database only). */
  readonly adopt?: string
  /** Set when cairn cannot write the statements itself: what to do by hand. */
  readonly manual?: string
}

interface Described {
  readonly objectKind: string
  readonly object: string
  readonly on?: string
  /** create/add (the object appears), drop (it goes), alter (it changes). */
  readonly verb: 'create' | 'drop' | 'alter'
}

const q = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`

function commentTarget(t: CommentTarget): Omit<Described, 'verb'> {
  switch (t.on) {
    case 'schema':
      return { objectKind: 'schema', object: t.name }
    case 'column':
      return { objectKind: 'column', object: `${t.schema}.${t.table}.${t.name}`, on: `${t.schema}.${t.table}` }
    case 'trigger':
      return { objectKind: 'trigger', object: `${t.schema}.${t.table}.${t.name}`, on: `${t.schema}.${t.table}` }
    case 'function':
      return { objectKind: t.procedure ? 'procedure' : 'function', object: `${t.schema}.${t.name}(${t.args})` }
    case 'materialized_view':
      return { objectKind: 'materialized view', object: `${t.schema}.${t.name}` }
    case 'aggregate':
      return { objectKind: 'aggregate', object: `${t.schema}.${t.name}(${t.args})` }
    case 'attribute':
      return { objectKind: 'attribute', object: `${t.schema}.${t.type}.${t.name}`, on: `${t.schema}.${t.type}` }
    case 'event_trigger':
      return { objectKind: 'event trigger', object: t.name }
    default:
      return { objectKind: t.on, object: `${t.schema}.${t.name}` }
  }
}

/** The object a change is about and whether it appears, goes or changes. */
export function describeChange(c: Change): Described {
  const verbOf = (kind: string): Described['verb'] =>
    /^(create|add|grant|attach)_?/.test(kind) ? 'create' : /^(drop|revoke|detach)_?/.test(kind) ? 'drop' : 'alter'
  const verb = verbOf(c.kind)
  const col = (t: { schema: string; name: string }, column: string): Described => ({ objectKind: 'column', object: `${q(t)}.${column}`, on: q(t), verb })
  const con = (t: { schema: string; name: string }, name: string): Described => ({ objectKind: 'constraint', object: `${q(t)}.${name}`, on: q(t), verb })
  switch (c.kind) {
    case 'create_schema':
    case 'drop_schema':
      return { objectKind: 'schema', object: c.schema.name, verb }
    case 'create_extension':
    case 'drop_extension':
      return { objectKind: 'extension', object: c.extension.name, verb }
    case 'alter_extension_schema':
      return { objectKind: 'extension', object: c.to.name, verb }
    case 'create_enum':
    case 'drop_enum':
    case 'add_enum_value':
      return { objectKind: 'enum', object: q(c.enum), verb: c.kind === 'add_enum_value' ? 'alter' : verb }
    case 'rename_enum':
      return { objectKind: 'enum', object: `${c.schema}.${c.to}`, verb }
    case 'create_domain':
    case 'drop_domain':
      return { objectKind: 'domain', object: q(c.domain), verb }
    case 'alter_domain':
      return { objectKind: 'domain', object: q(c.to), verb }
    case 'add_domain_check':
    case 'drop_domain_check':
      return { objectKind: 'constraint', object: `${q(c.domain)}.${c.check.name}`, on: q(c.domain), verb }
    case 'create_sequence':
    case 'drop_sequence':
      return { objectKind: 'sequence', object: q(c.sequence), verb }
    case 'alter_sequence':
      return { objectKind: 'sequence', object: q(c.to), verb }
    case 'create_table':
    case 'drop_table':
      return { objectKind: 'table', object: q(c.table), verb }
    case 'rename_table':
      return { objectKind: 'table', object: `${c.schema}.${c.to}`, verb }
    case 'attach_partition':
    case 'detach_partition':
      return { objectKind: 'table', object: q(c.table), verb: 'alter' }
    case 'alter_storage':
      return { objectKind: c.materialized ? 'materialized view' : 'table', object: q(c.table), verb }
    case 'alter_rls':
      return { objectKind: 'table', object: q(c.table), verb }
    case 'add_column':
    case 'drop_column':
      return c.regenerated ? { ...col(c.table, c.column.name), verb: 'alter' } : col(c.table, c.column.name)
    case 'drop_column_expression':
      return { ...col(c.table, c.column.name), verb: 'alter' }
    case 'rename_column':
      return col(c.table, c.to)
    case 'alter_column_type':
      return col(c.table, c.to.name)
    case 'alter_column_nullability':
    case 'alter_column_default':
    case 'alter_column_identity':
      return { ...col(c.table, c.column), verb: 'alter' }
    case 'add_primary_key':
    case 'drop_primary_key':
      return con(c.table, c.primaryKey.name)
    case 'add_unique':
    case 'drop_unique':
      return con(c.table, c.unique.name)
    case 'add_foreign_key':
    case 'drop_foreign_key':
      return con(c.table, c.foreignKey.name)
    case 'add_check':
    case 'drop_check':
      return con(c.table, c.check.name)
    case 'validate_constraint':
      return { ...con(c.table, c.from.name), verb: 'alter' }
    case 'add_exclusion':
    case 'drop_exclusion':
      return con(c.table, c.exclusion.name)
    case 'rename_constraint':
      return c.constraint === 'index'
        ? { objectKind: 'index', object: `${c.table.schema}.${c.to}`, on: q(c.table), verb }
        : con(c.table, c.to)
    case 'create_index':
    case 'drop_index':
      return { objectKind: 'index', object: `${c.table.schema}.${c.index.name}`, on: q(c.table), verb }
    case 'set_comment':
      return { ...commentTarget(c.target), verb: 'alter' }
    case 'create_policy':
    case 'drop_policy':
      return { objectKind: 'policy', object: `${q(c.table)}.${c.policy.name}`, on: q(c.table), verb }
    case 'alter_policy':
      return { objectKind: 'policy', object: `${q(c.table)}.${c.to.name}`, on: q(c.table), verb }
    case 'create_view':
    case 'drop_view':
      return { objectKind: c.view.materialized ? 'materialized view' : 'view', object: q(c.view), verb }
    case 'replace_view':
      return { objectKind: 'view', object: q(c.to), verb }
    case 'create_function':
    case 'drop_function':
      return { objectKind: c.function.isProcedure ? 'procedure' : 'function', object: `${q(c.function)}(${c.function.args})`, verb }
    case 'replace_function':
      return { objectKind: c.to.isProcedure ? 'procedure' : 'function', object: `${q(c.to)}(${c.to.args})`, verb }
    case 'create_trigger':
    case 'drop_trigger':
      return { objectKind: 'trigger', object: `${c.trigger.schema}.${c.trigger.table}.${c.trigger.name}`, on: `${c.trigger.schema}.${c.trigger.table}`, verb }
    case 'create_role':
    case 'drop_role':
      return { objectKind: 'role', object: c.role.name, verb }
    case 'alter_role':
      return { objectKind: 'role', object: c.to.name, verb }
    case 'grant':
    case 'revoke':
      return {
        objectKind: 'grant',
        object: `${c.grant.on} ${c.grant.schema}.${c.grant.name}${c.grant.args !== undefined ? `(${c.grant.args})` : ''}${c.grant.column !== undefined ? ` column ${c.grant.column}` : ''} ${c.grant.revoke ? 'revoked from' : 'to'} ${c.grant.role}`,
        on: `${c.grant.schema}.${c.grant.name}`,
        verb,
      }
    case 'unsupported':
      return { objectKind: c.objectKind, object: c.object, verb: 'alter' }
    case 'create_aggregate':
    case 'drop_aggregate':
      return { objectKind: 'aggregate', object: `${q(c.aggregate)}(${c.aggregate.args})`, verb }
    case 'replace_aggregate':
      return { objectKind: 'aggregate', object: `${q(c.to)}(${c.to.args})`, verb }
    case 'create_composite':
    case 'drop_composite':
      return { objectKind: 'type', object: q(c.type), verb }
    case 'alter_composite':
      return { objectKind: 'type', object: q(c.to), verb }
    case 'alter_column_storage':
      return col(c.table, c.column)
    case 'create_event_trigger':
    case 'drop_event_trigger':
      return { objectKind: 'event trigger', object: c.trigger.name, verb }
    case 'alter_event_trigger_enabled':
      return { objectKind: 'event trigger', object: c.name, verb }
    case 'create_collation':
    case 'drop_collation':
      return { objectKind: 'collation', object: q(c.collation), verb }
    case 'alter_default_privileges': {
      // one entry: role, schema, kind, grantee, grant option and direction (a revoke entry takes a built-in default away)
      const d = c.entry
      return {
        objectKind: 'default privileges',
        object: `${d.role ?? 'the migrating role'} on ${d.on}${d.schema !== undefined ? ` in ${d.schema}` : ''} ${d.revoke ? 'revoked from' : 'to'} ${d.grantee}${d.withGrantOption ? ' with grant option' : ''}`,
        ...(d.schema !== undefined ? { on: d.schema } : {}),
        verb: c.removes ? 'drop' : 'create',
      }
    }
    default: {
      // a change kind added after this file: name the first thing in it that has a schema and a name
      const other = c as unknown as { kind: string } & Record<string, unknown>
      const isNamed = (v: unknown): v is { schema: string; name: string } =>
        typeof v === 'object' && v !== null && typeof (v as { schema?: unknown }).schema === 'string' && typeof (v as { name?: unknown }).name === 'string'
      const named = Object.values(other).find(isNamed)
      return { objectKind: other.kind.replace(/^(create|drop|alter|add|replace|rename)_/, ''), object: named ? q(named) : '', verb: verbOf(other.kind) }
    }
  }
}

/** Options of driftItems. */
export interface DriftItemsOptions {
  /**
   * Which side drifted. `to`: the changes lead to what drifted (definitions ahead of the
   * migrations: a create is something the definitions added). `from`: the changes lead away from it
   * (a live database back to its migrations: a drop is something added by hand).
   */
  readonly drifted: 'from' | 'to'
  /** Add the definitions change that would adopt each item (for a live database). */
  readonly adopt?: boolean
}

/**
 * Groups a plan's steps (and the unsupported changes left out of it) by object: one item per
 * object, in plan order. Changes marked `dependent` (a view recreated only because something it
 * reads changes) are not drift of their own and appear only in the plan's SQL.
 */
export function driftItems(p: Plan, unsupported: readonly Change[], options: DriftItemsOptions): DriftItem[] {
  interface Group {
    d: Described
    verbs: Set<Described['verb']>
    kinds: string[]
    sql: string[]
    comments: string[]
    hazards: string[]
    manual?: string
  }
  const groups = new Map<string, Group>()
  const order: Group[] = []
  const add = (c: Change, step?: Plan['steps'][number]) => {
    if ((c as { dependent?: boolean }).dependent) return
    const d = describeChange(c)
    const k = `${d.objectKind}\0${d.object}`
    let g = groups.get(k)
    if (!g) {
      g = { d, verbs: new Set(), kinds: [], sql: [], comments: [], hazards: [] }
      groups.set(k, g)
      order.push(g)
    }
    g.verbs.add(d.verb)
    if (!g.kinds.includes(c.kind)) g.kinds.push(c.kind)
    if (step) {
      g.sql.push(step.sql.trimEnd().endsWith(';') ? step.sql.trim() : `${step.sql.trim()};`)
      // what an alteration does ("set default of …"); a drop + create says nothing the item does not
      if (d.verb === 'alter' && !g.comments.includes(step.comment)) g.comments.push(step.comment)
      for (const h of step.hazards) {
        const code = h.destructive ? `${h.destructive} ${h.code}` : h.code
        if (!g.hazards.includes(code)) g.hazards.push(code)
      }
    }
    if (c.kind === 'unsupported') g.manual = `${c.message}; ${c.hint}`
  }
  for (const s of p.steps) add(s.source, s)
  for (const c of unsupported) add(c)
  return order.map((g): DriftItem => {
    const creates = g.verbs.has('create')
    const drops = g.verbs.has('drop')
    const towardsDrifted = creates && !drops && !g.verbs.has('alter') ? 'create' : drops && !creates && !g.verbs.has('alter') ? 'drop' : 'alter'
    const drift: DriftItem['drift'] =
      towardsDrifted === 'alter'
        ? 'changed'
        : (towardsDrifted === 'create') === (options.drifted === 'to')
          ? 'added'
          : 'removed'
    const on = g.d.on ? ` on ${g.d.on}` : ''
    const what = `${g.d.objectKind} ${g.d.object}${g.d.objectKind === 'column' || g.d.objectKind === 'grant' ? '' : on}`
    const summary = `${what} ${drift === 'added' ? 'added' : drift === 'removed' ? 'removed' : 'changed'}${options.adopt ? ' by hand' : ''}` +
      (g.comments.length && drift === 'changed' ? ` (${g.comments.join('; ')})` : '')
    return {
      drift,
      objectKind: g.d.objectKind,
      object: g.d.object,
      ...(g.d.on ? { on: g.d.on } : {}),
      changes: g.kinds,
      summary,
      sql: g.sql.join('\n'),
      hazards: g.hazards,
      ...(options.adopt ? { adopt: adoptNote(drift, what, g.d) } : {}),
      ...(g.manual ? { manual: g.manual } : {}),
    }
  })
}

/** The definitions change that keeps a hand-made change (then `cairn generate`). */
function adoptNote(drift: DriftItem['drift'], what: string, d: Described): string {
  const where = /view/.test(d.objectKind) ? 'views/' : 'schema/'
  if (drift === 'added') return `declare ${what} in ${where}`
  if (drift === 'removed') return `remove ${what} from ${where}`
  return `change ${what} in ${where} to match the database`
}
