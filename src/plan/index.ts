/** Changes → ordered, lock-safe steps → migration text: the public surface of the plan module. */
export { plan, DESTRUCTIVE } from './plan.js'
export type { Plan, PlanPolicy, Step } from './plan.js'
export { renderMigration, splitMigration, NO_TRANSACTION } from './render-migration.js'
export type { MigrationInfo, MigrationStatement, RenderedMigration } from './render-migration.js'
export type { Hazard, HazardCode } from './hazards.js'
