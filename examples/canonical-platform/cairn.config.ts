import { defineConfig } from 'cairn-pg/config'

/**
 * The canonical-data platform: the default layout (no views or partitions), and the staging
 * database migrations are tried on before production (`cairn --env staging migrate up`).
 */
export default defineConfig({
  schema: 'schema/index.ts',
  migrations: 'migrations',
  seeds: 'seeds',
  env: {
    staging: { url: process.env.STAGING_DATABASE_URL },
    production: { url: process.env.PRODUCTION_DATABASE_URL, lockTimeout: '30s' },
  },
})
