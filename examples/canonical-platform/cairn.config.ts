import { defineConfig } from 'cairn-pg/config'

/** The canonical-data platform: the default layout, written out (no views or partitions). */
export default defineConfig({
  schema: 'schema/index.ts',
  migrations: 'migrations',
  seeds: 'seeds',
})
