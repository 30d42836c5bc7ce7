/**
 * diff(from, to): the changes that turn the `from` model into the `to` model. Pure: no I/O, no SQL.
 * Renames come only from `renamedFrom` hints or from the injected resolver; the planner orders the
 * changes and makes them lock-safe. Each kind of object is compared by its module in
 * src/diff/kinds (the registry DIFF_KINDS, run in order over one DiffContext).
 */
import type { Model } from '../model/types.js'
import { cmp, normalizeModel, stripHints } from '../model/normalize.js'
import type { DiffResult, DiffWarning, RenameResolver } from './changes.js'
import { diffContext } from './context.js'
import { DIFF_KINDS } from './kinds/index.js'
import { resolveRenames } from './renames.js'

export { mentions, stableJson } from './keyed.js'
export { constraintsOf, isPlainUniqueIndex } from './kinds/tables.js'
export { topoViews } from './graph.js'

/** Options of diff(). */
export interface DiffOptions {
  /** Answers look-alike drop+add pairs; without it such pairs make the result 'needs_input'. */
  readonly resolveRenames?: RenameResolver
}

/** Computes the changes from `from` to `to`; see DiffResult for the 'needs_input' case. */
export function diff(fromModel: Model, toModel: Model, options: DiffOptions = {}): DiffResult {
  const from0 = normalizeModel(fromModel)
  const toHinted = normalizeModel(toModel)
  const renamed = resolveRenames(stripHints(from0), toHinted, options.resolveRenames)
  if (renamed.candidates.length) return { status: 'needs_input', changes: [], candidates: renamed.candidates }
  const ctx = diffContext(normalizeModel(renamed.from), stripHints(toHinted), renamed.renames)
  for (const kind of DIFF_KINDS) kind.diff(ctx)
  const warnings = unmodelledWarnings(fromModel, toModel)
  return { status: 'ok', changes: ctx.out, candidates: [], ...(warnings.length ? { warnings } : {}) }
}

/** One warning per kind of unmodelled object found in either model. */
export function unmodelledWarnings(from: Model, to: Model): DiffWarning[] {
  const a = from.unmodelled ?? []
  const b = to.unmodelled ?? []
  const kinds = [...new Set([...a, ...b].map((u) => u.kind))].sort(cmp)
  const list = (xs: readonly string[]) => (xs.length > 5 ? `${xs.slice(0, 5).join(', ')} and ${xs.length - 5} more` : xs.join(', '))
  return kinds.map((kind) => {
    const fa = a.filter((u) => u.kind === kind).map((u) => u.name)
    const fb = b.filter((u) => u.kind === kind).map((u) => u.name)
    const parts = [
      ...(fa.some((x) => !fb.includes(x)) ? [`only in the current schema: ${list(fa.filter((x) => !fb.includes(x)))}`] : []),
      ...(fb.some((x) => !fa.includes(x)) ? [`only in the target: ${list(fb.filter((x) => !fa.includes(x)))}`] : []),
      ...(fa.some((x) => fb.includes(x)) ? [`on both sides, definitions not compared: ${list(fa.filter((x) => fb.includes(x)))}`] : []),
    ]
    return {
      code: 'unmodelled_objects' as const,
      kind,
      message: `cairn does not model ${kind} objects, so they are neither compared nor migrated (${parts.join('; ')})`,
      from: fa,
      to: fb,
    }
  })
}
