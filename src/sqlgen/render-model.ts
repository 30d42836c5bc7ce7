/**
 * The full-model render, as `cairn sql`, push and canonicalize use it: renderModel (the plan of the
 * changes from an empty model, src/plan/render-model.ts) and the script around it.
 */
export { BUILTIN_SCHEMAS, renderScript, SESSION_PREAMBLE } from './session.js'
export { renderModel } from '../plan/render-model.js'
export { tablesParentsFirst } from '../diff/graph.js'
