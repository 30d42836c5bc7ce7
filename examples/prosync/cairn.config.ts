import { defineConfig } from 'cairn-pg/config'

/** The project/document collaboration service (ProSync): the default layout, written out. */
export default defineConfig({
  schema: 'schema/index.ts',
  views: 'views',
  partitions: 'partitions',
  migrations: 'migrations',
  seeds: 'seeds',
})
