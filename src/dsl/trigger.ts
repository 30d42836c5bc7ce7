/**
 * Triggers: `trigger(users, 'touch_updated_at', { timing: 'before', events: ['update'], function })`.
 * The model keeps a trigger as its `CREATE TRIGGER` text; canonicalisation puts it into
 * `pg_get_triggerdef()`'s spelling. The trigger's function comes along with it.
 */
import type { TriggerDef } from '../model/types.js'
import { ident, identList, literal, qname } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import type { Fn } from './routine.js'
import { fn } from './routine.js'
import type { SQL } from './sql.js'
import { isSQL } from './sql.js'
import { markDsl } from './table.js'

/** What a trigger can be on: a table or a view (DSL objects), or `{ schema, name }`. */
export type TriggerTarget = { readonly $schema: string; readonly $name: string } | { readonly schema: string; readonly name: string }

/** Options of {@link trigger}. */
export interface TriggerOptions {
  readonly timing: 'before' | 'after' | 'instead of'
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate')[]
  /** `UPDATE OF` these columns only (names or DSL columns). */
  readonly updateOf?: readonly (string | { readonly name: string })[]
  /** Default `row`. */
  readonly level?: 'row' | 'statement'
  /** A condition on NEW/OLD: sql`NEW.status IS DISTINCT FROM OLD.status`. */
  readonly when?: SQL | string
  /** The trigger function: a {@link fn} returning `trigger`, or its qualified name. */
  readonly function: Fn | string
  /** Arguments passed to the function (TG_ARGV), as string literals. */
  readonly args?: readonly string[]
  /** Transition tables of an AFTER trigger. */
  readonly referencing?: { readonly newTable?: string; readonly oldTable?: string }
  /** A constraint trigger (AFTER … FOR EACH ROW), fired at the end of the statement or, deferred, of the transaction. */
  readonly constraint?: { readonly deferrable?: boolean; readonly initiallyDeferred?: boolean }
  /** When it fires, if not always on a primary (`ENABLE`): `disabled`, `replica` (only on replicas) or `always`. */
  readonly enabled?: 'disabled' | 'replica' | 'always'
  readonly comment?: string
}

/** A trigger; export it (its function comes along). */
export interface Trigger {
  readonly $def: TriggerDef
  readonly at: DefinedAt
  /** The function object, when given as one. */
  readonly fn?: Fn
  /** What the trigger is on, as given. */
  readonly target: TriggerTarget
  /** The WHEN condition's text, for the loader's check. */
  readonly when?: string
}

function targetName(t: TriggerTarget): { schema: string; name: string } {
  return '$schema' in t ? { schema: t.$schema, name: t.$name } : { schema: t.schema, name: t.name }
}

/** The `CREATE TRIGGER` text of a trigger. */
export function triggerDefinition(on: { schema: string; name: string }, name: string, o: TriggerOptions): string {
  const events = o.events.map((e) =>
    e === 'update' && o.updateOf?.length ? `UPDATE OF ${identList(o.updateOf.map((c) => (typeof c === 'string' ? c : c.name)))}` : e.toUpperCase(),
  )
  const parts = [`CREATE ${o.constraint ? 'CONSTRAINT ' : ''}TRIGGER ${ident(name)} ${o.timing.toUpperCase()} ${events.join(' OR ')} ON ${qname(on.schema, on.name)}`]
  if (o.constraint) parts.push(`${o.constraint.deferrable ? '' : 'NOT '}DEFERRABLE INITIALLY ${o.constraint.initiallyDeferred ? 'DEFERRED' : 'IMMEDIATE'}`)
  if (o.referencing && (o.referencing.newTable || o.referencing.oldTable)) {
    const r = o.referencing
    parts.push(`REFERENCING${r.oldTable ? ` OLD TABLE AS ${ident(r.oldTable)}` : ''}${r.newTable ? ` NEW TABLE AS ${ident(r.newTable)}` : ''}`)
  }
  parts.push(`FOR EACH ${(o.level ?? 'row').toUpperCase()}`)
  if (o.when !== undefined) parts.push(`WHEN (${isSQL(o.when) ? o.when.text : o.when})`)
  const f = typeof o.function === 'string' ? o.function : qname(o.function.$schema, o.function.$name)
  parts.push(`EXECUTE FUNCTION ${f}(${(o.args ?? []).map(literal).join(', ')})`)
  return parts.join(' ')
}

/** A trigger named `name` on a table or view. */
export function trigger(on: TriggerTarget, name: string, options: TriggerOptions): Trigger {
  const t = targetName(on)
  const def: TriggerDef = {
    kind: 'trigger',
    schema: t.schema,
    table: t.name,
    name,
    definition: triggerDefinition(t, name, options),
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  const fnObj = typeof options.function === 'string' ? undefined : options.function
  return markDsl(
    {
      $def: def,
      at: captureLocation(),
      target: on,
      ...(fnObj ? { fn: fnObj } : {}),
      ...(options.when !== undefined ? { when: isSQL(options.when) ? options.when.text : options.when } : {}),
    },
    'trigger',
  )
}

const TOUCH: unique symbol = Symbol.for('cairn.dsl.touch') as never

/** Marks a column to be kept current by a touch trigger (read by the loader on the bound column). */
export function markTouched<C extends { readonly config: object }>(column: C): C {
  // enumerable: binding a column to its table copies its config with a spread
  Object.defineProperty(column.config, TOUCH, { value: true, enumerable: true })
  return column
}

/** Whether a (bound) column's config carries the touch mark. */
export function isTouched(column: { readonly config: object }): boolean {
  return (column.config as Record<symbol, unknown>)[TOUCH] === true
}

const touchFns = new Map<string, Fn>()

/**
 * The function a touch trigger calls: sets `column` to now() on every UPDATE. One per schema and
 * column (the same object each time, so the loader sees it once).
 */
export function touchFunction(schema: string, column = 'updated_at'): Fn {
  const key = `${schema}\u0000${column}`
  let f = touchFns.get(key)
  if (!f) {
    f = fn(schema, `touch_${column}`, {
      returns: 'trigger',
      language: 'plpgsql',
      body: `\nBEGIN\n  NEW.${ident(column)} := now();\n  RETURN NEW;\nEND\n`,
      comment: `sets ${column} to now() on every UPDATE (cairn timestamps({ touch: true }))`,
    })
    touchFns.set(key, f)
  }
  return f
}

/** The BEFORE UPDATE row trigger that keeps `column` current on `table`. */
export function touchTrigger(on: TriggerTarget, column = 'updated_at'): Trigger {
  const t = targetName(on)
  return trigger(on, `touch_${column}`, { timing: 'before', events: ['update'], level: 'row', function: touchFunction(t.schema, column) })
}
