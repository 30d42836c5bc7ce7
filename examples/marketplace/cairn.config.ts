import { defineConfig } from 'cairn-pg/config'

/** The multi-tenant marketplace (a Prisma data model): the default layout, written out. */
export default defineConfig({
  schema: 'schema/index.ts',
  views: 'views',
  partitions: 'partitions',
  migrations: 'migrations',
  seeds: 'seeds',
})
