/**
 * `cairn init` and cairn.config.ts through the CLI, in-process: what init writes and refuses, and
 * that every command takes its paths and database from the config file (found from a subfolder),
 * with flags winning and paths relative to the project root.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { INIT_CONFIG, INIT_SCHEMA } from '../../src/cli/commands/init.js'
import { capturedContext } from '../helpers/cli-context.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const DSL = path.join(repo, 'src/dsl/index.js')
const base = mkdtempSync(path.join(os.tmpdir(), 'cairn-init-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

let n = 0
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(base, `p${++n}`)
  mkdirSync(dir, { recursive: true })
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
    writeFileSync(path.join(dir, rel), text)
  }
  return dir
}

async function cairn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const ctx = capturedContext(cwd, env)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

describe('cairn init', () => {
  it('writes the config, a first schema file and .gitignore, then prints the next steps', async () => {
    const dir = folder()
    const r = await cairn(dir, ['init'])
    expect(r.code).toBe(0)
    expect(readFileSync(path.join(dir, 'cairn.config.ts'), 'utf8')).toBe(INIT_CONFIG)
    expect(readFileSync(path.join(dir, 'schema/index.ts'), 'utf8')).toBe(INIT_SCHEMA)
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('\n.cairn/\n')
    expect(r.out).toContain('wrote   cairn.config.ts')
    expect(r.out).toMatch(/next steps:\n {2}1\. npm install cairn-pg .*\n {2}2\. edit schema\/index.ts/)
    expect(r.out).toContain('npx cairn generate init')
    expect(r.out).toContain('npx cairn migrate up')
    // the config it writes is valid
    expect((await cairn(dir, ['migrate', 'status', '--json'], {})).code).toBe(2) // no migrations/ yet: usage, not bad_config
  })

  it('refuses to overwrite (exit 2, nothing written) unless --force', async () => {
    const dir = folder({ 'schema/index.ts': '// mine\n' })
    const r = await cairn(dir, ['init'])
    expect(r.code).toBe(2)
    expect(r.err).toContain('[init_files_exist]')
    expect(r.err).toContain('schema/index.ts')
    expect(readdirSync(dir).sort()).toEqual(['schema'])
    expect(readFileSync(path.join(dir, 'schema/index.ts'), 'utf8')).toBe('// mine\n')

    const other = folder({ 'cairn.config.mjs': 'export default {}\n' })
    expect((await cairn(other, ['init'])).code).toBe(2)

    const forced = await cairn(dir, ['init', '--force'])
    expect(forced.code).toBe(0)
    expect(readFileSync(path.join(dir, 'schema/index.ts'), 'utf8')).toBe(INIT_SCHEMA)
  })

  it('adds .cairn/ to an existing .gitignore once, and skips the install step when package.json has cairn-pg', async () => {
    const dir = folder({ '.gitignore': 'node_modules', 'package.json': JSON.stringify({ devDependencies: { 'cairn-pg': '^0.1.0' } }) })
    const r = await cairn(dir, ['init', '--json'])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out)
    expect(j).toMatchObject({ ok: true, root: dir, written: ['cairn.config.ts', 'schema/index.ts'], gitignore: 'appended' })
    expect(j.next[0]).toBe('edit schema/index.ts')
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n# cairn: the embedded development database and caches\n.cairn/\n')
    const again = JSON.parse((await cairn(dir, ['init', '--force', '--json'])).out)
    expect(again.gitignore).toBe('unchanged')
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8').match(/\.cairn\//g)).toHaveLength(1)
  })

  it('--project writes into another folder', async () => {
    const dir = folder()
    const r = await cairn(base, ['init', '--project', path.relative(base, dir)])
    expect(r.code).toBe(0)
    expect(existsSync(path.join(dir, 'cairn.config.ts'))).toBe(true)
    expect(r.out).toContain(`(in ${dir})`)
  })
})

describe('cairn.config.ts drives every command', () => {
  const config = (extra = '') => `import { defineConfig } from 'cairn-pg/config'
export default defineConfig({
  schema: 'db/schema.ts',
  migrations: 'db/migrations',
  ignore: ['legacy.*'],
  env: {
    dev: { url: 'pglite:.cairn/other', lockTimeout: '2s' },
    prod: { url: process.env.CAIRN_TEST_PROD_URL },
  },${extra}
})
`
  const schema = `import { table, uuid, text } from ${JSON.stringify(DSL)}\nexport const notes = table('notes', { id: uuid().primaryKey(), body: text() })\n`

  it('from a subfolder: generate, migrate, status and drift use the layout and root of the config', async () => {
    const root = folder({ 'package.json': '{}', 'cairn.config.ts': config(), 'db/schema.ts': schema, 'src/app/.keep': '' })
    const sub = path.join(root, 'src/app')

    const g = await cairn(sub, ['generate', 'notes'])
    expect(g.code, g.err).toBe(0)
    const dirs = readdirSync(path.join(root, 'db/migrations'))
    expect(dirs).toContain('cairn.sum')
    expect(existsSync(path.join(sub, 'db'))).toBe(false)

    const up = await cairn(sub, ['migrate', 'up'])
    expect(up.code, up.err).toBe(0)
    expect(up.err).toContain('database: pglite:.cairn/dev (the embedded development database')
    expect(existsSync(path.join(root, '.cairn/dev'))).toBe(true)
    expect(existsSync(path.join(sub, '.cairn'))).toBe(false)

    // --dir is relative to the project root, whatever the working directory
    const st = await cairn(sub, ['migrate', 'status', '--exit-code', '--dir', 'db/migrations'])
    expect(st.code, st.err).toBe(0)
    expect(st.out).toContain('1 applied, 0 pending')

    // --env: the environment's url (relative to the root) beats the variables; --url beats --env
    // (the variables point at a closed port: the command names its target, then fails to connect at once)
    const env = { DATABASE_URL: 'postgres://127.0.0.1:1/from_database_url', CAIRN_DATABASE_URL: 'postgres://127.0.0.1:1/from_cairn_url' }
    const dev = await cairn(sub, ['--env', 'dev', 'migrate', 'status', '--json'], env)
    expect(dev.err).toContain('database: pglite:.cairn/other (from environment dev of the config file)')
    expect(JSON.parse(dev.out).counts).toMatchObject({ applied: 0, pending: 1 })
    expect(existsSync(path.join(root, '.cairn/other'))).toBe(true)
    expect((await cairn(sub, ['migrate', 'status', '--env', 'dev', '--url', 'pglite:memory', '--json'], env)).err).toContain('database: pglite:memory (from --url)')
    expect((await cairn(sub, ['migrate', 'status', '--json'], env)).err).toContain('(from CAIRN_DATABASE_URL)')
    expect((await cairn(sub, ['migrate', 'status', '--json'], { DATABASE_URL: env.DATABASE_URL })).err).toContain('(from DATABASE_URL)')
    expect((await cairn(sub, ['migrate', 'status', '--json'], { ...env, CAIRN_ENV: 'dev' })).err).toContain('(from environment dev of the config file)')

    // an environment whose variable is unset, an unknown one: exit 2 naming the config file
    const prod = await cairn(sub, ['--env', 'prod', 'migrate', 'status'])
    expect(prod.code).toBe(2)
    expect(prod.err).toContain(`[env_url_missing] environment "prod" of ${path.join(root, 'cairn.config.ts')} has no url`)
    const nope = await cairn(sub, ['--env', 'nope', 'migrate', 'status'])
    expect(nope.code).toBe(2)
    expect(nope.err).toContain('hint: environments: dev, prod')

    // drift: the config's ignore patterns join the flags'
    const d = await cairn(sub, ['drift', '--format', 'json', '--ignore', 'index:app.*_tmp'])
    expect(d.code, d.err).toBe(0)
    expect(JSON.parse(d.out).ignore).toEqual(['legacy.*', 'index:app.*_tmp'])
  })

  it('--config and --project pick the project; a bad config is exit 2 naming the file', async () => {
    const root = folder({ 'config/cairn.staging.ts': config(), 'config/db/schema.ts': schema })
    const sql = await cairn(root, ['--config', 'config/cairn.staging.ts', 'sql'])
    expect(sql.code, sql.err).toBe(0)
    expect(sql.out).toContain('CREATE TABLE public.notes')
    const other = folder({ 'schema/index.ts': schema })
    const viaProject = await cairn(root, ['sql', '--project', other])
    expect(viaProject.code, viaProject.err).toBe(0)
    expect(viaProject.out).toContain('CREATE TABLE public.notes')

    const bad = folder({ 'cairn.config.ts': "export default { migration: 'db', env: { prod: { url: 'postgres://u:hunter2@h/db', lockTimeout: 'soon' } } }\n" })
    for (const args of [['migrate', 'status'], ['generate', 'x'], ['sql']]) {
      const r = await cairn(bad, args)
      expect(r.code).toBe(2)
      expect(r.err).toContain(`[bad_config] invalid configuration in ${path.join(bad, 'cairn.config.ts')}`)
      expect(r.err).toContain('unknown setting migration')
      expect(r.err).toContain('env.prod.lockTimeout')
      expect(r.err).not.toContain('hunter2')
    }
    const missing = await cairn(root, ['--config', 'nope.ts', 'migrate', 'status'])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('[config_not_found]')
  })

  it('flags beat the config: --dir, --lock-timeout', async () => {
    const root = folder({ 'cairn.config.ts': config(), 'db/schema.ts': schema, 'elsewhere/.keep': '' })
    const r = await cairn(root, ['migrate', 'status', '--dir', 'elsewhere', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).dir).toBe('elsewhere')
    const bad = await cairn(root, ['--env', 'dev', 'migrate', 'up', '--lock-timeout', 'never'])
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--lock-timeout must be a duration')
  })
})
