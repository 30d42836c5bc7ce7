/**
 * `cairn partitions`: rolling windows of RANGE partitions (`rangePartitions()` with `premake`) kept
 * up to date outside migrations: partitions created ahead, old ones retired, the default
 * partition's rows moved where they belong; and which tables are the windows' (`maintainedBy`),
 * so that generate and drift leave them alone.
 */
export { maintainPartitions, partitionStatus } from './maintain.js'
export type { MaintainOptions, MaintainReport, PartitionsOptions, StatusReport, StepResult } from './maintain.js'
export type { MaintenanceStep, SlotRef, WindowStatus } from './plan.js'
export { planWindow, windowRange } from './plan.js'
export { maintainedBy, retiredMarker, slotOfBound, windowSlot } from './window.js'
