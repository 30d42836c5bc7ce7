/**
 * The reference data model, built from the seed documents: seed 000's schemas (auth, documents,
 * workspaces, collaboration, audit, plus the declared ai and analytics) and seed 001's target
 * tables in `app`. Every definition is exported from here; `cairn sql` and `cairn push` load it.
 */
export * from './auth.js'
export * from './documents.js'
export * from './workspaces.js'
export * from './collaboration.js'
export * from './audit.js'
export * from './platform.js'
export * as app from './app/index.js'
