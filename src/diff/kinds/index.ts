/**
 * The diff registry: every kind of object diff() compares, in the order their changes are listed.
 * A kind reads the facts (DiffContext) of the kinds before it, so a kind that needs another's facts
 * goes after it. Adding a kind: write src/diff/kinds/<kind>.ts exporting a DiffKind, add it here.
 */
import type { DiffKind } from '../context.js'
import { aggregates } from './aggregates.js'
import { collations } from './collations.js'
import { composites } from './composites.js'
import { eventTriggers } from './event-triggers.js'
import { defaultPrivileges } from './default-privileges.js'
import { domains } from './domains.js'
import { enums } from './enums.js'
import { extensions } from './extensions.js'
import { functions } from './functions.js'
import { grants } from './grants.js'
import { policyReads } from './policy-reads.js'
import { roles } from './roles.js'
import { schemas } from './schemas.js'
import { sequences } from './sequences.js'
import { tables } from './tables.js'
import { triggers } from './triggers.js'
import { views } from './views.js'

export const DIFF_KINDS: readonly DiffKind[] = [
  schemas,
  extensions,
  roles,
  enums,
  collations,
  domains,
  composites,
  tables,
  policyReads,
  sequences,
  functions,
  aggregates,
  views,
  triggers,
  eventTriggers,
  grants,
  defaultPrivileges,
]
