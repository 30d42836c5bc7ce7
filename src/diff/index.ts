/** Model × model → changes: the public surface of the diff module. */
export { diff, stableJson, topoViews } from './diff.js'
export type { DiffOptions } from './diff.js'
export { renameResolverFrom } from './renames.js'
export { classifyTypeChange, hasAssignmentCast } from './type-change.js'
export type * from './changes.js'
