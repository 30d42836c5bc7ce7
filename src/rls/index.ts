/** `cairn verify rls`: tenant isolation proven on a live database, inside a transaction that is rolled back. */
export { verifyRls, OPERATIONS } from './verify.js'
export type { Cell, Operation, RlsReport, TableResult, VerifyRlsOptions } from './verify.js'
export { flagsOf, scopeOf, DEFAULT_TENANT_SETTING } from './analyze.js'
export type { Flag, FlagCode, Scope, TenantTable } from './analyze.js'
export { readCatalog } from './catalog.js'
export type { Catalog, TableInfo } from './catalog.js'
export { cellOf, matrixRows, rlsGithub, OPERATION_TITLES } from './report.js'
