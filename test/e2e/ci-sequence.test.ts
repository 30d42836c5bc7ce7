/**
 * The pull-request checks of docs/ci/github-actions.yml, run locally in the same order through the
 * CLI in child processes, on a copy of this repository's project (schema/, views/, partitions/,
 * migrations/) against PostgreSQL:
 *
 * - the staging database has drifted: an index and a column type changed by hand;
 * - the pull request adds a hand-written migration that is unsafe: a CREATE INDEX without
 *   CONCURRENTLY and a FOREIGN KEY without NOT VALID over a row it rejects; `cairn migrate hash`
 *   rewrote cairn.sum for it.
 *
 * Each command's exit code and its workflow annotations (`::error file=…,line=…,title=…::`) are
 * checked; last, `migrate up` refuses the migration (exit 2) and applies nothing.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'

const ROOT = path.resolve(__dirname, '../..')
const PROGRAM = pathToFileURL(path.join(ROOT, 'src/cli/program.ts')).href
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href
const serverUrl = process.env.DATABASE_URL
/** `cairn check` is a step of the workflow when this tree has the command. */
const hasCheck = existsSync(path.join(ROOT, 'src/cli/commands/check.ts'))

const NEW = '20261201090000_ci_unsafe_audit_index'
const UNSAFE = `SET lock_timeout = '5s';
CREATE INDEX logs_workspace_idx ON audit.logs (workspace_id);
ALTER TABLE audit.logs ADD CONSTRAINT logs_actor_fk FOREIGN KEY (actor_id) REFERENCES auth.users (id);
`

interface Result {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

/** Runs the CLI from source in a child process, as `npx cairn` runs it in the workflow. */
function cairn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  const code = `import { run } from ${JSON.stringify(PROGRAM)}; process.exitCode = await run(['node', 'cairn', ...process.argv.slice(1)])`
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', code, ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', CAIRN_DATABASE_URL: '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  return new Promise((resolve) => child.on('exit', (c) => resolve({ code: c, out, err })))
}

/** The workflow commands of an output: `{ level, props: { file, line, title, … }, message }`. */
function annotations(out: string): Array<{ level: string; props: Record<string, string>; message: string }> {
  const decode = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
  return out
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(l)
      if (!m) throw new Error(`not a workflow command: ${l}`)
      const props = Object.fromEntries((m[2] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')).map(([k, v]) => [k, decode(v)]))
      return { level: m[1], props, message: decode(m[3]) }
    })
}

/** Copies the project, pointing its imports of `src/` at this repository. */
function copyProject(to: string): void {
  for (const dir of ['schema', 'views', 'partitions']) {
    if (!existsSync(path.join(ROOT, dir))) continue
    cpSync(path.join(ROOT, dir), path.join(to, dir), { recursive: true })
  }
  mkdirSync(path.join(to, 'migrations'), { recursive: true })
  for (const e of readdirSync(path.join(ROOT, 'migrations'), { withFileTypes: true })) {
    // the backfill jobs of migrations/data are not migrations
    if (e.name === 'data') continue
    cpSync(path.join(ROOT, 'migrations', e.name), path.join(to, 'migrations', e.name), { recursive: true })
  }
  const rewrite = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name)
      if (e.isDirectory()) rewrite(file)
      else if (e.name.endsWith('.ts')) {
        const src = path.relative(path.dirname(file), path.join(ROOT, 'src')).split(path.sep).join('/')
        writeFileSync(file, readFileSync(file, 'utf8').replace(/(['"])(?:\.\.\/)+src\//g, `$1${src}/`))
      }
    }
  }
  for (const dir of ['schema', 'views', 'partitions']) if (existsSync(path.join(to, dir))) rewrite(path.join(to, dir))
}

describe.skipIf(!serverUrl)(`CI checks of a pull request, in sequence, on PostgreSQL${serverUrl ? '' : ' (skipped: set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test, to run it)'}`, () => {
  const project = path.join(ROOT, 'test', '.generated', `ci-${randomBytes(4).toString('hex')}`)
  const file = `migrations/${NEW}/up.sql`
  let staging: TestDatabase
  let shadow: TestDatabase
  let applied: string[]

  beforeAll(async () => {
    copyProject(project)
    const engine = postgresEngine(serverUrl!)
    staging = await engine.open()
    shadow = await engine.open()
    // staging is migrated from the main branch
    const up = await cairn(project, ['migrate', 'up', '--url', staging.url])
    expect(up.code, up.err).toBe(0)
    applied = readdirSync(path.join(project, 'migrations')).filter((n) => /^\d{14}_/.test(n))
    // someone changed staging by hand, and an audit row names no user
    await staging.db.exec(`CREATE INDEX hand_made_users_last_login_idx ON auth.users (last_login_at);
      ALTER TABLE auth.users ALTER COLUMN first_name TYPE varchar(200);
      SET row_security = off;
      INSERT INTO audit.logs (actor_id, action, resource_type) VALUES ('00000000-0000-4000-8000-00000000abcd', 'login', 'session')`)
    // the pull request: a hand-written migration, cairn.sum rewritten by `cairn migrate hash`
    mkdirSync(path.join(project, 'migrations', NEW))
    writeFileSync(path.join(project, 'migrations', NEW, 'up.sql'), UNSAFE)
    const hash = await cairn(project, ['migrate', 'hash'])
    expect(hash.code, hash.err).toBe(0)
    expect(hash.out).toContain('migrations/cairn.sum updated')
    expect(readFileSync(path.join(project, 'migrations', 'cairn.sum'), 'utf8')).toContain(`${NEW}/up.sql h1:`)
  }, 600_000)

  afterAll(async () => {
    await staging?.dispose()
    await shadow?.dispose()
    rmSync(project, { recursive: true, force: true })
  })

  it('cairn lint --format github: exit 1, an error on each unsafe statement', async () => {
    const r = await cairn(project, ['lint', '--format', 'github'])
    expect(r.code, r.err).toBe(1)
    const a = annotations(r.out)
    const errors = a.filter((x) => x.level === 'error')
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ props: expect.objectContaining({ file, line: '2', title: 'CL101' }), message: expect.stringContaining('CONCURRENTLY') }),
        expect.objectContaining({ props: expect.objectContaining({ file, line: '3', title: 'CL104' }), message: expect.stringContaining('NOT VALID') }),
      ]),
    )
    // the migrations already on main have no error
    expect(errors.every((x) => x.props.file === file)).toBe(true)
    for (const x of a) expect(Object.keys(x.props)).toEqual(expect.arrayContaining(['file', 'line', 'col', 'title']))
    // --url: only what staging has not applied yet
    const pending = await cairn(project, ['lint', '--format', 'github', '--url', staging.url])
    expect(pending.code).toBe(1)
    expect(annotations(pending.out).every((x) => x.props.file === file)).toBe(true)
  })

  it('cairn drift --format github --shadow-url: exit 1, the hand-made changes as errors, the new migration as pending', async () => {
    const r = await cairn(project, ['drift', '--format', 'github', '--shadow-url', shadow.url], { DATABASE_URL: staging.url })
    expect(r.code, r.err).toBe(1)
    const a = annotations(r.out)
    expect(a).toContainEqual(
      expect.objectContaining({ level: 'warning', props: { file, title: 'cairn drift: migration pending' }, message: expect.stringContaining(NEW) }),
    )
    const database = a.filter((x) => x.props.title === 'cairn drift: database ≠ its migrations')
    expect(database.every((x) => x.level === 'error')).toBe(true)
    expect(database.map((x) => x.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/hand_made_users_last_login_idx[\s\S]*DROP INDEX/),
        expect.stringMatching(/auth\.users\.first_name[\s\S]*varchar\(100\)|first_name[\s\S]*character varying\(100\)/),
      ]),
    )
    expect(database).toHaveLength(2)
    // the migration is not in the definitions: what it creates is reported against them
    expect(a.filter((x) => x.props.title === 'cairn drift: definitions ≠ migrations').every((x) => x.level === 'warning')).toBe(true)
    expect(a.at(-1)).toMatchObject({ level: 'error', props: { title: 'cairn drift' }, message: expect.stringContaining('2 objects changed by hand') })
    // what the replay created in the shadow database was dropped afterwards
    expect(await shadow.db.query(`select nspname from pg_namespace where nspname in ('auth', 'audit', 'cairn')`)).toEqual([])
  })

  it.skipIf(!hasCheck)(`cairn check --format github: exit 1, the foreign key that a row would fail${hasCheck ? '' : ' (skipped: no cairn check in this tree)'}`, async () => {
    const r = await cairn(project, ['check', '--format', 'github'], { DATABASE_URL: staging.url })
    expect(r.code, r.err).toBe(1)
    const a = annotations(r.out)
    expect(a).toContainEqual(
      expect.objectContaining({ level: 'error', props: { file, line: '3', title: 'cairn check: foreign key' }, message: expect.stringContaining('audit.logs') }),
    )
    expect(a.at(-1)).toMatchObject({ level: 'error', props: { title: 'cairn check' }, message: expect.stringMatching(/^1 would fail/) })
  })

  it('cairn migrate up refuses the migration (lint_failed, exit 2) and applies nothing', async () => {
    const r = await cairn(project, ['migrate', 'up', '--json'], { DATABASE_URL: staging.url })
    expect(r.code).toBe(2)
    const last = JSON.parse(r.out.trimEnd().split('\n').at(-1)!)
    expect(last).toMatchObject({ ok: false, error: { code: 'lint_failed', file: `${file}:2` } })
    const c = new pg.Client({ connectionString: staging.url })
    await c.connect()
    try {
      const rows = await c.query('select name from cairn.schema_migrations order by name')
      expect(rows.rows.map((x) => x.name)).toEqual(applied)
    } finally {
      await c.end()
    }
  })
})
