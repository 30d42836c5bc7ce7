/**
 * The package as a user gets it: `npm pack`, install the tarball into an empty folder outside the
 * repository (dependencies from the npm cache when it has them), then the first steps of the README
 * there through npx: init → generate → migrate up (embedded PGlite) → migrate status → drift.
 * Also what the package exports: the task-level API and its subpaths, and no internals.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const work = mkdtempSync(path.join(os.tmpdir(), 'cairn-package-'))
const app = path.join(work, 'app')

// a clean environment: no database from the test run, no npm settings of the npm running the tests
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'DATABASE_URL' && k !== 'CAIRN_DATABASE_URL' && k !== 'CAIRN_ENV'),
) as NodeJS.ProcessEnv

interface Ran {
  readonly code: number
  readonly out: string
  readonly err: string
}

function sh(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, out: String(stdout), err: String(stderr) + (error && typeof error.code !== 'number' ? `\n${error.message}` : '') })
    })
  })
}

const npm = (args: string[], cwd: string, timeout?: number) => sh('npm', args, cwd, timeout)
const cairn = (...args: string[]) => sh('npx', ['--no', 'cairn', ...args], app)
const show = (r: Ran) => `exit ${r.code}\n${r.out}\n${r.err}`

function newest(dir: string): number {
  let t = 0
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f)
    const s = statSync(p)
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs)
  }
  return t
}

beforeAll(async () => {
  // `npm test` has just built dist/; alone, this file builds it when the sources are newer
  const built = path.join(repo, 'dist/cli/program.js')
  if (!existsSync(built) || statSync(built).mtimeMs < newest(path.join(repo, 'src'))) {
    await sh('npx', ['tsc', '-p', 'tsconfig.build.json'], repo, 300_000)
  }
  expect(existsSync(built)).toBe(true)
  const packed = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], repo)
  expect(packed.code, show(packed)).toBe(0)
  const tarball = path.join(work, JSON.parse(packed.out)[0].filename)

  mkdirSync(app)
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'first-project', private: true, type: 'module' }, null, 2))
  const installed = await npm(['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app, 240_000)
  expect(installed.code, show(installed)).toBe(0)
}, 420_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('the installed package', () => {
  it('is cairn-pg with the cairn command', () => {
    const pkg = JSON.parse(readFileSync(path.join(app, 'node_modules/cairn-pg/package.json'), 'utf8'))
    expect(pkg.name).toBe('cairn-pg')
    expect(existsSync(path.join(app, 'node_modules/.bin/cairn'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies['cairn-pg']).toBeDefined()
    // nothing of the repository but the build and the command
    expect(existsSync(path.join(app, 'node_modules/cairn-pg/src'))).toBe(false)
    expect(existsSync(path.join(app, 'node_modules/cairn-pg/test'))).toBe(false)
  })

  it('init → generate → migrate up → migrate status --exit-code → drift, from an empty folder', async () => {
    const init = await cairn('init')
    expect(init.code, show(init)).toBe(0)
    expect(init.out).toContain('npx cairn generate init')
    expect(init.out).not.toContain('npm install cairn-pg') // package.json lists it already
    expect(readFileSync(path.join(app, 'cairn.config.ts'), 'utf8')).toContain("from 'cairn-pg/config'")
    expect(readFileSync(path.join(app, 'schema/index.ts'), 'utf8')).toContain("from 'cairn-pg/dsl'")
    expect(readFileSync(path.join(app, '.gitignore'), 'utf8')).toContain('.cairn/')

    const again = await cairn('init')
    expect(again.code).toBe(2)
    expect(again.err).toContain('already exist')

    const generated = await cairn('generate', 'init')
    expect(generated.code, show(generated)).toBe(0)
    const migrations = readdirSync(path.join(app, 'migrations'))
    expect(migrations).toContain('cairn.sum')
    const folder = migrations.find((m) => m.endsWith('_init'))!
    expect(readFileSync(path.join(app, 'migrations', folder, 'up.sql'), 'utf8')).toContain('CREATE TABLE app.users')

    const up = await cairn('migrate', 'up')
    expect(up.code, show(up)).toBe(0)
    expect(up.out).toContain('1 migration applied')
    expect(existsSync(path.join(app, '.cairn/dev'))).toBe(true)

    const status = await cairn('migrate', 'status', '--exit-code')
    expect(status.code, show(status)).toBe(0)
    expect(status.out).toContain('1 applied, 0 pending')

    const drift = await cairn('drift')
    expect(drift.code, show(drift)).toBe(0)
    expect(drift.out).toContain('no drift')
  }, 240_000)

  it('exports the task-level API, the DSL, config, migrate, backfill and types subpaths, and no internals', async () => {
    const probe = `
      const root = await import('cairn-pg')
      const out = { root: ['generate', 'diffDatabases', 'drift', 'inspect', 'migrateUp', 'migrateDown', 'migrationStatus', 'runBackfill', 'defineConfig', 'connect', 'loadProject'].filter((k) => typeof root[k] !== 'function') }
      out.internals = ['diff', 'plan', 'normalizeModel', 'openScratchDatabase', 'buildModel'].filter((k) => k in root)
      out.dsl = typeof (await import('cairn-pg/dsl')).table
      out.config = (await import('cairn-pg/config')).defineConfig({ migrations: 'm' }).migrations
      out.migrate = typeof (await import('cairn-pg/migrate')).migrateUp
      out.backfill = typeof (await import('cairn-pg/backfill')).defineBackfill
      out.types = typeof (await import('cairn-pg/types')).insertSchema
      try { await import('cairn-pg/dist/diff/diff.js'); out.deep = 'importable' } catch (e) { out.deep = e.code }
      console.log(JSON.stringify(out))
    `
    const r = await sh(process.execPath, ['--input-type=module', '-e', probe], app)
    expect(r.code, show(r)).toBe(0)
    expect(JSON.parse(r.out)).toEqual({
      root: [],
      internals: [],
      dsl: 'function',
      config: 'm',
      migrate: 'function',
      backfill: 'function',
      types: 'function',
      deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    })
    for (const d of ['index', 'dsl/index', 'config/index', 'api/migrate', 'api/backfill', 'types/index']) {
      expect(existsSync(path.join(app, 'node_modules/cairn-pg/dist', `${d}.d.ts`)), d).toBe(true)
    }
  })
})
