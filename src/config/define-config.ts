/**
 * What `cairn.config.ts` holds, and `defineConfig` to write it typed. The config loader bundles an
 * identical `defineConfig` into the config file, so a config loads whether or not cairn-pg is
 * installed where the config file is.
 */

/** One database environment: `cairn --env <name> …` (or CAIRN_ENV) uses it. */
export interface CairnEnvironment {
  /**
   * `postgres://…`, `pglite:memory` or `pglite:<dir>` (relative to the project root). Read a secret
   * from the environment rather than writing it here: `url: process.env.PROD_DATABASE_URL`.
   */
  readonly url?: string
  /** An empty throwaway database on the same server, where `cairn drift` replays the migrations. */
  readonly shadowUrl?: string
  /** How long `migrate`, `seed` and `baseline` wait for another runner's lock: `30s`, `2m`, `500ms`. */
  readonly lockTimeout?: string
}

/** The contents of `cairn.config.ts`. Every path is relative to the folder of the config file. */
export interface CairnConfig {
  /** The definitions' entry point (default `schema/index.ts`); a folder means its `index.ts`. */
  readonly schema?: string
  /** Folder whose `index.ts` exports views, loaded with the schema when present (default `views`). */
  readonly views?: string
  /** Folder whose `index.ts` exports partitions, loaded with the schema when present (default `partitions`). */
  readonly partitions?: string
  /** The migration directory (default `migrations`). */
  readonly migrations?: string
  /** Reference data, `NNN-<name>.sql` (default `seeds`). */
  readonly seeds?: string
  /** Backfill job files, `defineBackfill` (default `migrations/data`). */
  readonly backfill?: string
  /**
   * Objects managed elsewhere, left alone by `cairn generate`, `cairn diff` and `cairn drift` (as their `--ignore`, added to the flags):
   * `[kind:]schema.name` with `*` and `?`, e.g. `legacy.*`, `index:app.*_tmp`.
   */
  readonly ignore?: readonly string[]
  /** Named database environments, chosen with `--env <name>` or CAIRN_ENV. */
  readonly env?: Readonly<Record<string, CairnEnvironment>>
}

/** Returns `config` as given: it is there for the types (`export default defineConfig({ … })`). */
export function defineConfig(config: CairnConfig): CairnConfig {
  return config
}
