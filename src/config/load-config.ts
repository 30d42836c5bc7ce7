/**
 * Finds, loads and validates `cairn.config.ts` (or `.mts`, `.js`, `.mjs`). The folder of the config
 * file is the project root: every path in it, and every path flag of the CLI, is relative to that
 * folder. Without a config file the defaults hold and the root is the folder the command ran in.
 *
 * A config file is bundled by esbuild (packages stay external, `cairn-pg` and `cairn-pg/config`
 * resolve to `defineConfig` itself) into `.cairn/cache` and imported, then checked with zod.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { CairnError, EXIT, isCairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { parseIgnore } from '../workflows/ignore.js'
import type { CairnEnvironment } from './define-config.js'

/** The names a config file may have, in the order they are looked for in each folder. */
export const CONFIG_FILES = ['cairn.config.ts', 'cairn.config.mts', 'cairn.config.js', 'cairn.config.mjs'] as const

/** The layout of a project without a config file (and of every setting a config leaves out). */
export const DEFAULT_LAYOUT = {
  schema: 'schema/index.ts',
  views: 'views',
  partitions: 'partitions',
  migrations: 'migrations',
  seeds: 'seeds',
  backfill: 'migrations/data',
} as const

/** A loaded (or default) configuration: every setting present, paths relative to `root`. */
export interface ResolvedConfig {
  /** The project root: the config file's folder, else the folder cairn looked from. */
  readonly root: string
  /** The config file (absolute); undefined when there is none and the defaults hold. */
  readonly file?: string
  readonly schema: string
  readonly views: string
  readonly partitions: string
  readonly migrations: string
  readonly seeds: string
  readonly backfill: string
  readonly ignore: readonly string[]
  readonly env: Readonly<Record<string, CairnEnvironment>>
}

const DURATION = /^\d+(?:\.\d+)?\s*(?:ms|s|m|min)?$/
const relPath = (what: string) => z.string({ error: `${what} must be a path (a string)` }).trim().min(1, `${what} must not be empty`)
const url = (what: string) =>
  z
    .string({ error: `${what} must be a string (a database URL)` })
    .refine((u) => /^(postgres(ql)?:\/\/|pglite:)/i.test(u), `${what} must be postgres://…, postgresql://…, pglite:memory or pglite:<dir>`)
    .optional()

const envSchema = z.strictObject({
  url: url('url'),
  shadowUrl: url('shadowUrl'),
  lockTimeout: z
    .string({ error: 'lockTimeout must be a duration string like "30s", "2m" or "500ms"' })
    .regex(DURATION, 'lockTimeout must be a duration like "30s", "2m" or "500ms"')
    .optional(),
})

const configSchema = z.strictObject({
  schema: relPath('schema').optional(),
  views: relPath('views').optional(),
  partitions: relPath('partitions').optional(),
  migrations: relPath('migrations').optional(),
  seeds: relPath('seeds').optional(),
  backfill: relPath('backfill').optional(),
  ignore: z.array(z.string({ error: 'each ignore pattern must be a string' }), { error: 'ignore must be an array of patterns' }).optional(),
  env: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]+$/), envSchema, {
      error: (i) =>
        i.code === 'invalid_key'
          ? 'an environment name may hold letters, digits, _, . and -'
          : i.code === 'invalid_type'
            ? 'env must be an object of named environments: { production: { url: … } }'
            : undefined,
    })
    .optional(),
})

/** The defaults, rooted at `root`. */
export function defaultConfig(root: string): ResolvedConfig {
  return { root: path.resolve(root), ...DEFAULT_LAYOUT, ignore: [], env: {} }
}

/**
 * Checks what a config file exported; throws CairnError `bad_config` (exit 2) naming the file and
 * every problem. Pure apart from path arithmetic.
 */
export function validateConfig(raw: unknown, file: string): ResolvedConfig {
  const root = path.dirname(path.resolve(file))
  const where = (p: readonly PropertyKey[]) => p.map(String).join('.')
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? i.keys : []
      const at = where(i.path)
      return {
        code: 'bad_config',
        message: keys.length
          ? `unknown setting${keys.length > 1 ? 's' : ''} ${keys.map((k) => (at ? `${at}.${k}` : k)).join(', ')}`
          : `${at ? `${at}: ` : ''}${i.message}`,
        ...(keys.length
          ? { hint: at ? 'an environment takes url, shadowUrl and lockTimeout' : 'settings: schema, views, partitions, migrations, seeds, backfill, ignore, env' }
          : {}),
      }
    })
    throw badConfig(file, issues)
  }
  const c = parsed.data
  const ignore = c.ignore ?? []
  try {
    parseIgnore(ignore)
  } catch (e) {
    if (!isCairnError(e)) throw e
    throw badConfig(file, [{ code: 'bad_config', message: `ignore: ${e.message.replace(/^--ignore /, '')}`, ...(e.hint ? { hint: e.hint } : {}) }])
  }
  const p = (v: string | undefined, d: string) => (v ?? d).split(path.sep).join('/')
  return {
    root,
    file: path.resolve(file),
    schema: p(c.schema, DEFAULT_LAYOUT.schema),
    views: p(c.views, DEFAULT_LAYOUT.views),
    partitions: p(c.partitions, DEFAULT_LAYOUT.partitions),
    migrations: p(c.migrations, DEFAULT_LAYOUT.migrations),
    seeds: p(c.seeds, DEFAULT_LAYOUT.seeds),
    backfill: p(c.backfill, DEFAULT_LAYOUT.backfill),
    ignore,
    // an environment keeps `url: undefined` (a variable it reads is unset): using it is an error, not a fallback
    env: c.env ?? {},
  }
}

function badConfig(file: string, issues: Issue[]): CairnError {
  return new CairnError('bad_config', `invalid configuration in ${file}`, {
    file,
    issues,
    hint: 'fix the settings listed (the types of defineConfig from cairn-pg describe each one)',
  })
}

/**
 * The config file in `start` or, with `upward`, in the nearest folder above it that has one. The
 * search stops at the first folder holding a package.json or .git (the project boundary).
 */
export function findConfigFile(start: string, options: { upward?: boolean } = {}): string | undefined {
  let dir = path.resolve(start)
  for (;;) {
    for (const name of CONFIG_FILES) {
      const f = path.join(dir, name)
      if (existsSync(f)) return f
    }
    if (!options.upward || existsSync(path.join(dir, 'package.json')) || existsSync(path.join(dir, '.git'))) return undefined
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

interface Cached {
  readonly config: ResolvedConfig
  /** mtime and size of the file it came from ('' for the defaults) */
  readonly stamp: string
}

/** Configs loaded in this process, by project root: commands and the loader agree on one layout. */
const byRoot = new Map<string, Cached>()

const stampOf = (file: string | undefined) => {
  if (!file) return ''
  try {
    const s = statSync(file)
    return `${s.mtimeMs}:${s.size}`
  } catch {
    return 'missing'
  }
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Where to look from (default: process.cwd()); the root when no config file is found. */
  readonly cwd?: string
  /** An explicit config file (relative to `cwd`): `--config`. */
  readonly file?: string
  /** Look in the parent folders too, up to the project boundary (default true). */
  readonly upward?: boolean
}

/**
 * Loads the project's configuration: `file` if given (it must exist), else the nearest config file
 * from `cwd` (see {@link findConfigFile}), else the defaults rooted at `cwd`.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(options.cwd ?? process.cwd())
  let file: string | undefined
  if (options.file !== undefined) {
    file = path.resolve(cwd, options.file)
    if (!existsSync(file) || statSync(file).isDirectory()) {
      throw new CairnError('config_not_found', `no config file at ${file}`, {
        file,
        hint: `pass the path of a ${CONFIG_FILES.join(' / ')} file, or run cairn init to write one`,
      })
    }
  } else file = findConfigFile(cwd, { upward: options.upward ?? true })
  if (!file) {
    const config = defaultConfig(cwd)
    byRoot.set(config.root, { config, stamp: '' })
    return config
  }
  return loadConfigFile(file)
}

/**
 * The configuration of the project at `root`: the one loaded for it in this process (by the CLI's
 * --config), else the config file in `root` itself, else the defaults.
 */
export async function configForRoot(root: string): Promise<ResolvedConfig> {
  const abs = path.resolve(root)
  const cached = byRoot.get(abs)
  if (cached && cached.stamp === stampOf(cached.config.file) && (cached.config.file || !findConfigFile(abs))) return cached.config
  return loadConfig({ cwd: abs, upward: false })
}

async function loadConfigFile(file: string): Promise<ResolvedConfig> {
  const stamp = stampOf(file)
  const root = path.dirname(file)
  const cached = byRoot.get(root)
  if (cached?.config.file === file && cached.stamp === stamp) return cached.config
  const exported = await importConfig(file)
  const raw = exported.default ?? exported.config
  if (raw === undefined) {
    throw badConfig(file, [{ code: 'bad_config', message: 'the file exports no configuration', hint: 'export default defineConfig({ … })' }])
  }
  const config = validateConfig(raw, file)
  byRoot.set(root, { config, stamp })
  return config
}

/** `cairn-pg` and `cairn-pg/config` as a config file sees them: defineConfig, an identity function. */
const DEFINE_CONFIG_MODULE = 'export function defineConfig(config) { return config }\n'

async function importConfig(file: string): Promise<Record<string, unknown>> {
  const root = path.dirname(file)
  const { build } = await import('esbuild')
  let code: string
  try {
    const out = await build({
      entryPoints: [file],
      absWorkingDir: root,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'cairn-config',
          setup(b) {
            // defineConfig is an identity function: bundled in, so the config needs no install to load
            b.onResolve({ filter: /^cairn-pg(\/config)?$/ }, (a) => ({ path: a.path, namespace: 'cairn-config' }))
            b.onLoad({ filter: /.*/, namespace: 'cairn-config' }, () => ({ contents: DEFINE_CONFIG_MODULE, loader: 'js' }))
          },
        },
      ],
    })
    code = out.outputFiles[0].text
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0]
    throw new CairnError('config_load_failed', `cannot load ${file}: ${first?.text ?? (e as Error).message}`, {
      file: first?.location ? `${path.resolve(root, first.location.file)}:${first.location.line}` : file,
      hint: 'a config file exports default defineConfig({ … }) and imports only defineConfig from cairn-pg',
      cause: e,
    })
  }
  const dir = path.join(root, '.cairn', 'cache')
  const out = path.join(dir, `config-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true })
    writeFileSync(out, code)
  }
  try {
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>
  } catch (e) {
    throw new CairnError('config_load_failed', `cannot load ${file}: ${String((e as Error).message ?? e).split('\n')[0]}`, {
      file,
      hint: 'the config file runs when cairn loads it: fix the error it throws',
      cause: e,
    })
  }
}

/** The environment `name` of `config`; throws `unknown_env` (exit 2) when it is not defined. */
export function selectEnvironment(config: ResolvedConfig, name: string): CairnEnvironment {
  const env = config.env[name]
  if (env) return env
  const known = Object.keys(config.env)
  throw new CairnError('unknown_env', `no environment "${name}" in ${config.file ?? 'the configuration (there is no cairn.config.ts)'}`, {
    ...(config.file ? { file: config.file } : {}),
    hint: known.length
      ? `environments: ${known.join(', ')}`
      : `define it in cairn.config.ts: env: { ${/^[A-Za-z_]\w*$/.test(name) ? name : JSON.stringify(name)}: { url: process.env.… } }`,
  })
}
