/**
 * Types for the application, from the same definitions as the migrations: Kysely's `Database`
 * interface (`KyselyDatabase<typeof schema>`, types only) and zod schemas of the rows
 * (`selectSchema(table)`, `insertSchema(table)`). Published as `cairn-pg/types`.
 */
export type { KyselyColumn, KyselyDatabase, KyselyTable, KyselyView } from './kysely.js'
export { insertSchema, selectSchema } from './zod.js'
export type { InsertRow, InsertSchema, SelectSchema } from './zod.js'
