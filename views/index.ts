/** Views and materialized views; loaded beside schema/index.ts. */
export * from './documents.js'
