/**
 * `cairn lint` through the CLI (in-process `run`): the migration directory by default, files,
 * directories and globs, text / --json / --format github output, exit codes (0 clean or warnings,
 * 1 errors or too many warnings, 2 bad input), --since, and --url (pending migrations only).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'
import { tempDir, writeAll } from '../unit/migrate/fixtures.js'

async function cairn(cwd: string, ...args: string[]) {
  const ctx = capturedContext(cwd)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err }
}

const T = "SET lock_timeout = '5s';\n"

describe('cairn lint CLI', () => {
  let tmp: ReturnType<typeof tempDir>
  let names: string[]

  beforeAll(async () => {
    tmp = tempDir('cairn-lint-')
    names = await writeAll(path.join(tmp.dir, 'migrations'), [
      { name: 'users', up: T + 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' },
      // users exists once the first migration is applied: a warning (rename) only
      { name: 'rename', up: T + 'ALTER TABLE users RENAME COLUMN email TO mail;\n' },
    ])
    mkdirSync(path.join(tmp.dir, 'sql', 'nested'), { recursive: true })
    writeFileSync(path.join(tmp.dir, 'sql', '001_index.sql'), T + '-- a comment\n\nCREATE INDEX users_mail_idx\n  ON users (mail);\n')
    writeFileSync(path.join(tmp.dir, 'sql', 'nested', '002_ok.sql'), T + 'ALTER TABLE users ADD COLUMN bio text;\n')
    writeFileSync(path.join(tmp.dir, 'sql', 'broken.txt'), "SELECT 1;\nALTER TABLE users ADD COLUMN;\n")
  })
  afterAll(() => tmp.cleanup())

  it('lints the migration directory by default: warnings exit 0', async () => {
    const r = await cairn(tmp.dir, 'lint')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`migrations/${names[1]}/up.sql:2:1  warning  CL202  users.email is renamed to mail`)
    expect(r.out).toContain('    fix: ')
    expect(r.out.trim().split('\n').at(-1)).toBe('0 errors, 1 warning in 2 files')
  })

  it('--max-warnings and --strict make warnings fail (exit 1)', async () => {
    expect((await cairn(tmp.dir, 'lint', '--max-warnings', '1')).code).toBe(0)
    expect((await cairn(tmp.dir, 'lint', '--max-warnings', '0')).code).toBe(1)
    expect((await cairn(tmp.dir, 'lint', '--strict')).code).toBe(1)
    expect((await cairn(tmp.dir, 'lint', '--max-warnings', 'x')).code).toBe(2)
  })

  it('--since lints only the later migrations', async () => {
    const r = await cairn(tmp.dir, 'lint', '--since', names[1], '--json')
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, files: [], findings: [] })
    expect((await cairn(tmp.dir, 'lint', '--since', 'nope')).code).toBe(2)
  })

  it('errors exit 1; --json carries every finding with its location, rule and fix', async () => {
    const r = await cairn(tmp.dir, 'lint', 'sql/001_index.sql', '--json')
    expect(r.code).toBe(1)
    const j = JSON.parse(r.out)
    expect(j).toMatchObject({ ok: false, errors: 1, warnings: 0, suppressed: 0, parseErrors: 0 })
    expect(j.files).toEqual([{ path: 'sql/001_index.sql', kind: 'plain', statements: 2 }])
    expect(j.findings).toEqual([
      expect.objectContaining({
        code: 'CL101',
        rule: 'index-not-concurrent',
        severity: 'error',
        file: 'sql/001_index.sql',
        line: 5,
        column: 6,
        endLine: 5,
        statement: 2,
        object: 'users_mail_idx',
        fix: expect.stringContaining('CREATE INDEX CONCURRENTLY'),
      }),
    ])
  })

  it('--format github prints workflow annotations', async () => {
    const r = await cairn(tmp.dir, 'lint', 'sql/001_index.sql', '--format', 'github')
    expect(r.code).toBe(1)
    const lines = r.out.trim().split('\n')
    expect(lines[0]).toMatch(/^::error file=sql\/001_index\.sql,line=5,col=6,title=CL101::CREATE INDEX users_mail_idx on existing table users blocks writes to it while the index builds%0Afix: CREATE INDEX CONCURRENTLY/)
    expect(lines.at(-1)).toBe('1 error, 0 warnings in 1 file')
  })

  it('takes directories and globs, in order', async () => {
    const dir = await cairn(tmp.dir, 'lint', 'sql', '--json')
    expect(JSON.parse(dir.out).files.map((f: { path: string }) => f.path)).toEqual(['sql/001_index.sql', 'sql/nested/002_ok.sql'])
    const glob = await cairn(tmp.dir, 'lint', 'sql/**/*.sql', '--json')
    expect(JSON.parse(glob.out).files.map((f: { path: string }) => f.path)).toEqual(['sql/001_index.sql', 'sql/nested/002_ok.sql'])
    const one = await cairn(tmp.dir, 'lint', 'sql/nested/*.sql')
    expect(one.code).toBe(0)
    expect(one.out).toContain('no problems in 1 file')
    const mig = await cairn(tmp.dir, 'lint', 'migrations', '--json')
    expect(JSON.parse(mig.out).files.map((f: { kind: string }) => f.kind)).toEqual(['cairn', 'cairn'])
  })

  it('unparseable SQL exits 2 and names file, line and column, in every format', async () => {
    const text = await cairn(tmp.dir, 'lint', 'sql/broken.txt')
    expect(text.code).toBe(2)
    expect(text.out).toContain('sql/broken.txt:2:29  error    syntax  syntax error at or near ";"')
    const json = await cairn(tmp.dir, 'lint', 'sql/broken.txt', '--json')
    expect(json.code).toBe(2)
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, parseErrors: 1, files: [{ path: 'sql/broken.txt', parseError: { line: 2, column: 29 } }] })
    const gh = await cairn(tmp.dir, 'lint', 'sql/broken.txt', '--format', 'github')
    expect(gh.out).toContain('::error file=sql/broken.txt,line=2,col=29,title=sql_syntax_error::syntax error at or near ";"')
  })

  it('a missing path, an empty glob, a missing --dir or a bad --format exits 2', async () => {
    const missing = await cairn(tmp.dir, 'lint', 'nope.sql')
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('lint_input_missing')
    expect((await cairn(tmp.dir, 'lint', 'sql/*.nothing')).code).toBe(2)
    const noDir = await cairn(tmp.dir, 'lint', '--dir', 'elsewhere')
    expect(noDir.code).toBe(2)
    // the same error as the other commands that read the migration directory
    expect(noDir.err).toContain('migrations_dir_missing')
    expect((await cairn(tmp.dir, 'lint', '--format', 'xml')).code).toBe(2)
    expect((await cairn(tmp.dir, 'lint', 'sql', '--since', names[0])).code).toBe(2)
  })

  it('--assume-in-transaction and --ignore', async () => {
    writeFileSync(path.join(tmp.dir, 'sql', 'nested', '003_conc.sql'), T + 'CREATE INDEX CONCURRENTLY i ON users (id);\n')
    expect((await cairn(tmp.dir, 'lint', 'sql/nested/003_conc.sql')).code).toBe(0)
    const r = await cairn(tmp.dir, 'lint', 'sql/nested/003_conc.sql', '--assume-in-transaction', '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out).findings.map((f: { code: string }) => f.code)).toEqual(['CL301'])
    expect((await cairn(tmp.dir, 'lint', 'sql/nested/003_conc.sql', '--assume-in-transaction', '--ignore', 'CL301')).code).toBe(0)
  })

  it('--rules lists every rule', async () => {
    const r = await cairn(tmp.dir, 'lint', '--rules')
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^CL101 +error +index-not-concurrent +CREATE INDEX without CONCURRENTLY/m)
    const j = JSON.parse((await cairn(tmp.dir, 'lint', '--rules', '--json')).out)
    expect(j.rules.length).toBeGreaterThan(30)
  })

  it('--url lints only the migrations not applied there; what they create is new for the ones after', async () => {
    const t = tempDir('cairn-lint-url-')
    try {
      const url = `pglite:${path.join(t.dir, 'db')}`
      const mig = path.join(t.dir, 'migrations')
      const first = await writeAll(mig, [{ name: 'users', up: T + 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' }])
      expect((await cairn(t.dir, 'migrate', 'up', '--url', url, '--skip-lint')).code).toBe(0)
      await writeAll(mig, [
        { name: 'orders', up: T + 'CREATE TABLE orders (id bigint PRIMARY KEY);\n' },
        { name: 'indexes', up: T + 'CREATE INDEX orders_id_idx ON orders (id);\nCREATE INDEX users_email_idx ON users (email);\n' },
      ], Date.UTC(2024, 1, 1))
      const r = await cairn(t.dir, 'lint', '--url', url, '--json')
      const j = JSON.parse(r.out)
      expect(j.files.map((f: { path: string }) => f.path.split('/')[1])).not.toContain(first[0])
      expect(j.files).toHaveLength(2)
      // orders is created by a pending migration: indexing it blocks no one; users exists
      expect(j.findings.map((f: { code: string; object: string }) => `${f.code} ${f.object}`)).toEqual(['CL101 users_email_idx'])
      expect(r.code).toBe(1)
    } finally {
      t.cleanup()
    }
  })
})

describe('cairn migrate up lints the pending migrations first', () => {
  it('refuses an error (exit 2, nothing applied), passes warnings, honours suppressions and --skip-lint', async () => {
    const t = tempDir('cairn-lint-up-')
    try {
      const url = `pglite:${path.join(t.dir, 'db')}`
      const mig = path.join(t.dir, 'migrations')
      await writeAll(mig, [{ name: 'users', up: T + 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n' }])
      expect((await cairn(t.dir, 'migrate', 'up', '--url', url)).code).toBe(0)

      const [bad] = await writeAll(mig, [{ name: 'index', up: T + 'CREATE INDEX users_email_idx ON users (email);\n' }], Date.UTC(2024, 1, 1))
      const refused = await cairn(t.dir, 'migrate', 'up', '--url', url, '--json')
      expect(refused.code).toBe(2)
      const err = JSON.parse(refused.out).error
      expect(err).toMatchObject({ code: 'lint_failed', file: `migrations/${bad}/up.sql:2` })
      expect(err.issues).toEqual([expect.objectContaining({ code: 'CL101', file: `migrations/${bad}/up.sql:2:33`, hint: expect.stringContaining('CONCURRENTLY') })])
      const status = await cairn(t.dir, 'migrate', 'status', '--url', url, '--json')
      expect(JSON.parse(status.out).counts).toMatchObject({ applied: 1, pending: 1 })

      // the dry run only shows the SQL
      expect((await cairn(t.dir, 'migrate', 'up', '--url', url, '--dry-run')).code).toBe(0)
      const human = await cairn(t.dir, 'migrate', 'up', '--url', url)
      expect(human.code).toBe(2)
      expect(human.err).toContain('lint_failed')
      expect(human.err).toContain('CL101')

      expect((await cairn(t.dir, 'migrate', 'up', '--url', url, '--skip-lint')).code).toBe(0)

      // a warning does not stop the run; a suppressed error neither
      await writeAll(mig, [
        { name: 'rename', up: T + 'ALTER TABLE users RENAME COLUMN email TO mail;\n' },
        { name: 'dropidx', up: T + '-- cairn-lint-ignore CL102: the table holds ten rows\nDROP INDEX users_email_idx;\n' },
      ], Date.UTC(2024, 2, 1))
      const ok = await cairn(t.dir, 'migrate', 'up', '--url', url)
      expect(ok.code).toBe(0)
      expect(ok.err).toContain('1 warning in the pending migrations')
      expect(JSON.parse((await cairn(t.dir, 'migrate', 'status', '--url', url, '--json')).out).counts).toMatchObject({ applied: 4, pending: 0 })
    } finally {
      t.cleanup()
    }
  })
})
