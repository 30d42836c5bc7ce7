import { defineConfig } from 'cairn-pg/config'

/**
 * Seed 001's retrieval tables with their pgvector embeddings: the default layout (no views or
 * partitions). The history creates the `vector` extension, so the database must offer it
 * (`SELECT * FROM pg_available_extensions WHERE name = 'vector'`); the embedded engine does.
 */
export default defineConfig({
  schema: 'schema/index.ts',
  migrations: 'migrations',
  seeds: 'seeds',
})
