/** Partitioned tables and their partitions; loaded beside schema/index.ts. */
export * from './audit-events.js'
