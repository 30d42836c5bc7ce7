/** cairn.config.ts: finding it, loading .ts/.mjs/.js configs, validation errors, environments, URL precedence. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { configForRoot, defaultConfig, DEFAULT_LAYOUT, findConfigFile, loadConfig, selectEnvironment, validateConfig } from '../../../src/config/load-config.js'
import { defineConfig } from '../../../src/config/index.js'
import { isCairnError } from '../../../src/errors.js'
import type { CairnError } from '../../../src/errors.js'
import { resolveTarget } from '../../../src/cli/target.js'
import type { Project } from '../../../src/cli/project.js'

const base = mkdtempSync(path.join(os.tmpdir(), 'cairn-config-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

let n = 0
/** A fresh folder with the given files. */
function folder(files: Record<string, string>): string {
  const dir = path.join(base, `p${++n}`)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), text)
  }
  mkdirSync(dir, { recursive: true })
  return dir
}

async function failure(p: Promise<unknown>): Promise<CairnError> {
  try {
    await p
  } catch (e) {
    if (isCairnError(e)) return e
    throw e
  }
  throw new Error('expected a CairnError')
}

describe('findConfigFile', () => {
  it('finds the config in the folder or the nearest parent', () => {
    const dir = folder({ 'cairn.config.ts': 'export default {}\n', 'a/b/.keep': '' })
    expect(findConfigFile(path.join(dir, 'a/b'), { upward: true })).toBe(path.join(dir, 'cairn.config.ts'))
    expect(findConfigFile(path.join(dir, 'a/b'))).toBeUndefined()
    expect(findConfigFile(dir)).toBe(path.join(dir, 'cairn.config.ts'))
  })

  it('stops at the first folder holding package.json or .git', () => {
    const dir = folder({ 'cairn.config.ts': 'export default {}\n', 'pkg/package.json': '{}', 'pkg/src/.keep': '', 'repo/.git/HEAD': '', 'repo/x/.keep': '' })
    expect(findConfigFile(path.join(dir, 'pkg/src'), { upward: true })).toBeUndefined()
    expect(findConfigFile(path.join(dir, 'repo/x'), { upward: true })).toBeUndefined()
  })

  it('prefers .ts, then .mts, .js, .mjs', () => {
    const dir = folder({ 'cairn.config.mjs': 'export default {}\n', 'cairn.config.js': 'export default {}\n' })
    expect(path.basename(findConfigFile(dir)!)).toBe('cairn.config.js')
  })
})

describe('loadConfig', () => {
  it('without a config file: the defaults, rooted where it looked', async () => {
    const dir = folder({ 'package.json': '{}' })
    expect(await loadConfig({ cwd: dir })).toEqual(defaultConfig(dir))
    expect(defaultConfig(dir)).toMatchObject({ ...DEFAULT_LAYOUT, root: dir, ignore: [], env: {} })
  })

  it('loads a TypeScript config that imports defineConfig from cairn-pg (not installed there), rooted at its folder', async () => {
    const dir = folder({
      'cairn.config.ts': [
        "import { defineConfig } from 'cairn-pg'",
        "import { dbDir } from './paths.js'",
        "const lock: string = '30s'",
        'export default defineConfig({',
        '  schema: `${dbDir}/schema.ts`,',
        '  migrations: `${dbDir}/migrations`,',
        "  ignore: ['legacy.*', 'index:app.*_tmp'],",
        "  env: { production: { url: process.env.CAIRN_TEST_UNSET_URL, lockTimeout: lock }, dev: { url: 'pglite:.cairn/dev2' } },",
        '})',
        '',
      ].join('\n'),
      'paths.ts': "export const dbDir = 'db'\n",
      'sub/.keep': '',
    })
    const c = await loadConfig({ cwd: path.join(dir, 'sub') })
    expect(c).toMatchObject({
      root: dir,
      file: path.join(dir, 'cairn.config.ts'),
      schema: 'db/schema.ts',
      migrations: 'db/migrations',
      seeds: 'seeds',
      backfill: 'migrations/data',
      ignore: ['legacy.*', 'index:app.*_tmp'],
    })
    expect(c.env.dev).toEqual({ url: 'pglite:.cairn/dev2' })
    // the variable is unset: the environment says it has a url it does not have
    expect('url' in c.env.production && c.env.production.url === undefined).toBe(true)
    expect(c.env.production.lockTimeout).toBe('30s')
  })

  it('loads .mjs (cairn-pg/config) and CommonJS .js configs', async () => {
    const mjs = folder({ 'cairn.config.mjs': "import { defineConfig } from 'cairn-pg/config'\nexport default defineConfig({ seeds: 'data/seeds' })\n" })
    expect((await loadConfig({ cwd: mjs })).seeds).toBe('data/seeds')
    const cjs = folder({ 'cairn.config.js': "module.exports = { migrations: 'sql' }\n" })
    expect((await loadConfig({ cwd: cjs })).migrations).toBe('sql')
  })

  it('--config names any file; its folder is the root', async () => {
    const dir = folder({ 'config/staging.ts': "export default { migrations: 'm' }\n" })
    const c = await loadConfig({ cwd: dir, file: 'config/staging.ts' })
    expect(c).toMatchObject({ root: path.join(dir, 'config'), migrations: 'm' })
    // and the loader of that root sees the same configuration
    expect(await configForRoot(path.join(dir, 'config'))).toBe(c)
  })

  it('a missing --config file: config_not_found, exit 2', async () => {
    const dir = folder({})
    const e = await failure(loadConfig({ cwd: dir, file: 'nope.config.ts' }))
    expect(e).toMatchObject({ code: 'config_not_found', exitCode: 2, file: path.join(dir, 'nope.config.ts') })
  })

  it('a syntax error: config_load_failed, exit 2, at file:line', async () => {
    const dir = folder({ 'cairn.config.ts': "export default {\n  schema: 'x',,\n}\n" })
    const e = await failure(loadConfig({ cwd: dir }))
    expect(e).toMatchObject({ code: 'config_load_failed', exitCode: 2 })
    expect(e.file).toBe(`${path.join(dir, 'cairn.config.ts')}:2`)
  })

  it('a config that throws or exports nothing is reported with its path', async () => {
    const throws = folder({ 'cairn.config.ts': "throw new Error('boom')\n" })
    const e1 = await failure(loadConfig({ cwd: throws }))
    expect(e1).toMatchObject({ code: 'config_load_failed', exitCode: 2, file: path.join(throws, 'cairn.config.ts') })
    expect(e1.message).toContain('boom')
    const empty = folder({ 'cairn.config.ts': 'export const x = 1\n' })
    const e2 = await failure(loadConfig({ cwd: empty }))
    expect(e2).toMatchObject({ code: 'bad_config', exitCode: 2 })
    expect(e2.issues[0].hint).toContain('export default defineConfig')
  })

  it('configForRoot reloads a config that changed', async () => {
    const dir = folder({ 'cairn.config.ts': "export default { seeds: 'a' }\n" })
    expect((await configForRoot(dir)).seeds).toBe('a')
    writeFileSync(path.join(dir, 'cairn.config.ts'), "export default { seeds: 'bb' }\n")
    const later = new Date(Date.now() + 5000)
    utimesSync(path.join(dir, 'cairn.config.ts'), later, later)
    expect((await configForRoot(dir)).seeds).toBe('bb')
  })
})

describe('validateConfig', () => {
  const file = '/project/cairn.config.ts'
  const invalid = (raw: unknown): CairnError => {
    try {
      validateConfig(raw, file)
    } catch (e) {
      if (isCairnError(e)) return e
      throw e
    }
    throw new Error('expected bad_config')
  }

  it('fills in the defaults and roots the config at its folder', () => {
    expect(validateConfig(defineConfig({ migrations: 'db/migrations' }), file)).toEqual({
      ...DEFAULT_LAYOUT,
      root: '/project',
      file,
      migrations: 'db/migrations',
      ignore: [],
      env: {},
    })
  })

  it('names the file and every problem: unknown settings, wrong types, bad durations, URLs and patterns', () => {
    const e = invalid({ migration: 'x', schema: 3, env: { prod: { url: 'mysql://u:hunter2@h/db', lockTimeout: 'soon', pool: 3 } } })
    expect(e).toMatchObject({ code: 'bad_config', exitCode: 2, file })
    expect(e.message).toContain(file)
    const messages = e.issues.map((i) => i.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        'unknown setting migration',
        'schema: schema must be a path (a string)',
        'unknown setting env.prod.pool',
        'env.prod.url: url must be postgres://…, postgresql://…, pglite:memory or pglite:<dir>',
        'env.prod.lockTimeout: lockTimeout must be a duration like "30s", "2m" or "500ms"',
      ]),
    )
    // a URL's password is never repeated
    expect(JSON.stringify(e.toJSON())).not.toContain('hunter2')
    expect(invalid({ ignore: ['ok.*', 'bad pattern!'] }).issues[0].message).toContain('bad pattern!')
    expect(invalid({ ignore: 'legacy.*' }).issues[0].message).toBe('ignore: ignore must be an array of patterns')
    expect(invalid({ env: { 'pro d': {} } }).issues[0].message).toContain('environment name')
    expect(invalid('schema/index.ts').issues).toHaveLength(1)
  })
})

describe('environments and the database URL', () => {
  const config = validateConfig({ env: { staging: { url: 'postgres://app:pw@staging/db' }, prod: { url: undefined }, locks: { lockTimeout: '1s' } } }, '/p/cairn.config.ts')
  const project = (envName?: string): Project => ({ root: '/p', config, ...(envName ? { envName, env: selectEnvironment(config, envName) } : {}) })
  const env = { CAIRN_DATABASE_URL: 'postgres://cairn-env/db', DATABASE_URL: 'postgres://database-url/db' }

  it('unknown environments are an error listing the defined ones', () => {
    expect(() => selectEnvironment(config, 'production')).toThrow(/no environment "production"/)
    try {
      selectEnvironment(config, 'production')
    } catch (e) {
      expect(e).toMatchObject({ code: 'unknown_env', exitCode: 2, hint: 'environments: staging, prod, locks' })
    }
  })

  it('--url, then --env, then CAIRN_DATABASE_URL, then DATABASE_URL, then the embedded database', () => {
    expect(resolveTarget({ env, project: project('staging') }, 'pglite:memory')).toMatchObject({ url: 'pglite:memory', source: '--url' })
    expect(resolveTarget({ env, project: project('staging') }, undefined)).toMatchObject({
      url: 'postgres://app:pw@staging/db',
      source: '--env',
      envName: 'staging',
      display: 'postgres://app:***@staging/db',
    })
    // an environment without a url (only a lock timeout) leaves the URL to the variables
    expect(resolveTarget({ env, project: project('locks') }, undefined)).toMatchObject({ url: 'postgres://cairn-env/db', source: 'CAIRN_DATABASE_URL' })
    expect(resolveTarget({ env: { DATABASE_URL: env.DATABASE_URL }, project: project() }, undefined)).toMatchObject({ source: 'DATABASE_URL' })
    expect(resolveTarget({ env: {}, project: project() }, undefined)).toMatchObject({ url: undefined, source: 'default', embeddedDefault: true })
  })

  it('an environment whose url reads an unset variable is an error, not a fallback', () => {
    expect(() => resolveTarget({ env, project: project('prod') }, undefined)).toThrow(/environment "prod" of \/p\/cairn.config.ts has no url/)
  })
})
