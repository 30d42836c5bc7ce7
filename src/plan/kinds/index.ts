/**
 * The plan registry: every kind's step handlers, merged into one handler per change kind (the
 * `satisfies` below fails to compile when a change kind has no handler). Adding a kind: write
 * src/plan/kinds/<kind>.ts exporting a PlanKind, add it to PLAN_KINDS.
 */
import type { ChangeKind, ChangeOf, PlanKind, StepHandler } from '../context.js'
import { aggregates } from './aggregates.js'
import { collations } from './collations.js'
import { composites } from './composites.js'
import { eventTriggers } from './event-triggers.js'
import { columns } from './columns.js'
import { comments } from './comments.js'
import { constraints } from './constraints.js'
import { defaultPrivileges } from './default-privileges.js'
import { domains } from './domains.js'
import { enums } from './enums.js'
import { extensions } from './extensions.js'
import { functions } from './functions.js'
import { grants } from './grants.js'
import { indexes } from './indexes.js'
import { policies } from './policies.js'
import { roles } from './roles.js'
import { schemas } from './schemas.js'
import { sequences } from './sequences.js'
import { tables } from './tables.js'
import { triggers } from './triggers.js'
import { views } from './views.js'

export const PLAN_KINDS = [
  schemas,
  extensions,
  roles,
  enums,
  collations,
  domains,
  composites,
  sequences,
  tables,
  columns,
  constraints,
  indexes,
  policies,
  views,
  functions,
  aggregates,
  triggers,
  eventTriggers,
  grants,
  defaultPrivileges,
  comments,
] as const satisfies readonly PlanKind[]

/** Change kinds some registered kind handles. */
type StepsOf<T> = T extends { readonly steps: infer S } ? keyof S : never
type Handled = StepsOf<(typeof PLAN_KINDS)[number]>
/** Fails to compile while a change kind (other than `unsupported`, which plan() refuses first) has no handler. */
const everyChangeHandled: [Exclude<ChangeKind, Handled | 'unsupported'>] extends [never] ? true : Exclude<ChangeKind, Handled | 'unsupported'> = true

/** The handler of each change kind, from the registry (a change kind handled twice is a bug). */
export const STEP_HANDLERS: { readonly [K in ChangeKind]?: StepHandler<K> } = (() => {
  void everyChangeHandled
  const out: Record<string, unknown> = {}
  for (const k of PLAN_KINDS as readonly PlanKind[]) {
    for (const [kind, handler] of Object.entries(k.steps)) {
      if (kind in out) throw new Error(`change kind ${kind} is planned by two kinds (${k.name})`)
      out[kind] = handler
    }
  }
  return out
})()

/** The key of the object a change creates, for the drops that are recreations. */
export function createdKey(c: ChangeOf<ChangeKind>): string | undefined {
  for (const k of PLAN_KINDS as readonly PlanKind[]) {
    const f = k.createdKey?.[c.kind] as ((c: ChangeOf<ChangeKind>) => string) | undefined
    if (f) return f(c)
  }
  return undefined
}
