/**
 * `cairn pull`: a live database → TypeScript definitions in the DSL. `pullModel` (emit.ts) is the
 * pure part; `pullDatabase` inspects a database, pulls its model and checks the result by loading
 * it back (verify.ts), so that every warning the command prints is known before anything is written.
 */
import type { Queryable } from '../db/database.js'
import { inspect } from '../inspect/inspect.js'
import type { InspectOptions } from '../inspect/inspect.js'
import type { Model } from '../model/types.js'
import { DSL_IMPORT, pullModel } from './emit.js'
import type { PulledFile, PullOptions, PullWarning } from './emit.js'
import { checkPull } from './verify.js'
import type { PullCheck } from './verify.js'

export { DSL_IMPORT, pullModel } from './emit.js'
export type { PulledFile, PullOptions, PullResult, PullWarning, PullWarningCode } from './emit.js'
export { checkPull, loadPulledFiles } from './verify.js'
export type { LoadedPull, PullCheck } from './verify.js'
export { compareModels } from './compare.js'
export type { ModelDifference } from './compare.js'

/** Options of {@link pullDatabase}. */
export interface PullDatabaseOptions extends PullOptions {
  /** Which schemas to read. */
  readonly inspect?: InspectOptions
}

/** What {@link pullDatabase} found and wrote (in memory). */
export interface PullDatabaseResult {
  readonly model: Model
  readonly files: readonly PulledFile[]
  /** Pull's own warnings, then the check's (what loading the files back revealed). */
  readonly warnings: readonly PullWarning[]
  readonly counts: Readonly<Record<string, number>>
  readonly check: PullCheck
}

/** Inspects `db`, pulls its model into definitions and checks them by loading them back. */
export async function pullDatabase(db: Queryable, options: PullDatabaseOptions = {}): Promise<PullDatabaseResult> {
  const model = await inspect(db, options.inspect)
  const pulled = pullModel(model, options)
  const check = await checkPull(model, pulled.files, pulled.warnings, {
    entry: options.indexFile ?? 'index.ts',
    dslImport: options.dslImport ?? DSL_IMPORT,
  })
  return { model, files: pulled.files, warnings: [...pulled.warnings, ...check.warnings], counts: pulled.counts, check }
}
