/**
 * No command prints or stores a password, wherever the URL carries it: userinfo, `?password=`,
 * `?sslpassword=`, the environment, or a URL cairn does not support (another scheme, a libpq keyword
 * string, JDBC, no scheme at all). Every database command runs in text and JSON mode against a real
 * server (trust auth ignores the passwords); history rows are checked in the database.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { EJSON } from 'bson'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { capturedContext } from '../helpers/cli-context.js'
import { postgresEngine } from '../helpers/engines.js'
import type { TestDatabase } from '../helpers/engines.js'
import { writeProject } from '../helpers/schema-project.js'
import { writeAll } from '../unit/migrate/fixtures.js'
import { resetDatabase, userDocs } from '../unit/data/fixtures.js'
import * as cp from '../../src/data/checkpoint.js'
import { NEEDS_DATABASE_URL, orSkipped } from '../helpers/skip.js'

const url = process.env.DATABASE_URL
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../unit/data/fixtures.ts')

/** Every secret of this file contains this marker; none may appear in any output. */
const MARK = 'S3cret'

async function cairn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const ctx = capturedContext(cwd, env)
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, out: ctx.out, err: ctx.err, all: ctx.out + ctx.err }
}

describe.skipIf(!url)(orSkipped('secrets in output', !url, NEEDS_DATABASE_URL), () => {
  let t: TestDatabase
  let project: { root: string; remove(): void }
  let first: string
  /** Connectable URLs of the test database, a password in each position. */
  const forms: Record<string, string> = {}

  beforeAll(async () => {
    t = await postgresEngine(url!).open()
    await resetDatabase(t.db)
    const withPassword = new URL(t.url)
    withPassword.password = `Userinfo-${MARK}`
    forms.userinfo = withPassword.toString()
    const query = new URL(t.url)
    query.searchParams.set('password', `Query-${MARK}`)
    forms.query = query.toString()
    const ssl = new URL(t.url)
    ssl.searchParams.set('sslpassword', `Ssl-${MARK}`)
    forms.sslpassword = ssl.toString()
    const all = new URL(t.url)
    all.password = `All-${MARK}`
    all.searchParams.set('password', `All2-${MARK}`)
    all.searchParams.set('application_name', 'secret-test')
    forms.everywhere = all.toString()

    project = writeProject({
      'schema/index.ts': `export * from './widgets.js'\n`,
      'schema/widgets.ts': `import { table, integer } from 'CAIRN'\nexport const widgets = table('widgets', { id: integer().primaryKey() })\n`,
      'seeds/001-things.sql': 'insert into things (id) values (1) on conflict do nothing;\n',
      'migrations/data/users.ts': `export { usersJob } from ${JSON.stringify(FIXTURES)}\n`,
      'export/users.json': userDocs(3).map((d) => EJSON.stringify(d, { relaxed: false })).join('\n') + '\n',
    })
    ;[first] = await writeAll(path.join(project.root, 'migrations'), [
      { name: 'things', up: 'CREATE TABLE things (id int PRIMARY KEY);\n', down: 'DROP TABLE things;\n' },
    ])
    await writeAll(path.join(project.root, 'failing'), [
      {
        name: 'raises',
        up:
          'CREATE TABLE raising (id int);\n-- cairn:no-transaction\nCREATE INDEX CONCURRENTLY raising_idx ON raising (id);\n' +
          `DO $$ BEGIN RAISE EXCEPTION 'cannot reach postgres://app:Raise-${MARK}@10.0.0.1/db?password=Raise2-${MARK}'; END $$;\n`,
      },
    ])
  })
  afterAll(async () => {
    project?.remove()
    await t?.dispose()
  })

  /** Every command that opens a database, as argv after `cairn` (the URL flag is added per form). */
  const commands = (): string[][] => [
    ['migrate', 'plan'],
    ['migrate', 'up'],
    ['migrate', 'status'],
    ['seed'],
    ['migrate', 'down', '--allow-destructive'],
    ['baseline', first],
    ['migrate', 'up', '--dry-run'],
    ['push', '--dry-run'],
    ['backfill', 'status'],
    ['backfill', 'run', '--source', 'ejson:export'],
    ['backfill', 'verify', 'users', '--source', 'ejson:export'],
    ['backfill', 'rejects'],
    ['drift'],
  ]

  for (const form of ['userinfo', 'query', 'sslpassword', 'everywhere']) {
    for (const json of [false, true]) {
      it(`every database command, password in ${form}, ${json ? 'JSON' : 'text'}`, async () => {
        for (const argv of commands()) {
          const r = await cairn(project.root, [...argv, '--url', forms[form]!, ...(json ? ['--json'] : [])])
          expect(r.all, `cairn ${argv.join(' ')}`).not.toContain(MARK)
          // some refuse (baseline on a database that differs): fine, as long as none failed to connect
          expect([0, 1, 2], `cairn ${argv.join(' ')}: ${r.all}`).toContain(r.code)
          if (json) {
            // one document; migrate up --json streams JSON lines, the summary last
            const doc = argv[0] === 'migrate' && argv[1] === 'up' && !argv.includes('--dry-run') ? JSON.parse(r.out.trimEnd().split('\n').at(-1)!) : JSON.parse(r.out)
            if (doc.target !== undefined) expect(doc.target).toContain('***')
          }
        }
        const diff = await cairn(project.root, ['diff', '--from', forms[form]!, '--to', forms.everywhere!, ...(json ? ['--json'] : ['--format', 'text'])])
        expect(diff.code, diff.all).toBe(0)
        expect(diff.all).not.toContain(MARK)
        if (json) expect(JSON.parse(diff.out)).toMatchObject({ from: expect.stringContaining('***'), to: expect.stringContaining('***') })
        else expect(diff.out).toContain('***')
      })
    }
  }

  it('the target printed by migrate status and migrate up keeps what is not secret', async () => {
    const r = await cairn(project.root, ['migrate', 'status', '--url', forms.everywhere!])
    const target = `postgres://postgres:***@127.0.0.1:5432/${new URL(t.url).pathname.slice(1)}?password=***&application_name=secret-test`
    expect(r.all).toContain(`database ${target}`)
    const up = await cairn(project.root, ['migrate', 'up', '--url', forms.everywhere!, '--json'])
    expect(JSON.parse(up.out.trimEnd().split('\n').at(-1)!).target).toBe(target)
  })

  it('from DATABASE_URL and CAIRN_DATABASE_URL too', async () => {
    for (const name of ['DATABASE_URL', 'CAIRN_DATABASE_URL']) {
      for (const json of [[], ['--json']]) {
        const r = await cairn(project.root, ['migrate', 'status', ...json], { [name]: forms.everywhere! })
        expect(r.code).toBe(0)
        expect(r.all).not.toContain(MARK)
        expect(r.all).toContain('***')
      }
    }
  })

  const unsupported = {
    'another scheme (typo)': `postgress://app:Typo-${MARK}@db.example.com/prod`,
    mysql: `mysql://root:Mysql-${MARK}@localhost:3306/prod`,
    'libpq keyword string': `host=db.example.com port=5432 password=Kw-${MARK} dbname=prod`,
    'keyword string, quoted password': `host=db.example.com password='Kw q-${MARK}' dbname=prod`,
    jdbc: `jdbc:postgresql://db.example.com:5432/prod?user=app&password=Jdbc-${MARK}&ssl=true`,
    'no scheme': `app:Bare-${MARK}@db.example.com/prod`,
  }

  for (const [what, bad] of Object.entries(unsupported)) {
    it(`an unsupported URL (${what}) is reported without its password`, async () => {
      const runs = [
        ['migrate', 'status', '--url', bad],
        ['migrate', 'up', '--url', bad],
        ['baseline', first, '--url', bad],
        ['seed', '--url', bad],
        ['push', '--url', bad],
        ['backfill', 'status', '--url', bad],
        ['diff', '--from', bad, '--to', 'pglite:memory'],
      ]
      for (const argv of runs) {
        for (const json of [false, true]) {
          const r = await cairn(project.root, [...argv, ...(json ? ['--json'] : [])])
          expect(r.all, `cairn ${argv.join(' ')}`).not.toContain(MARK)
          expect(r.code, r.all).toBe(2)
          if (json) {
            const doc = JSON.parse(r.out)
            expect(doc.error.code).toBe('bad_url')
            expect(doc.error.message).toContain('***')
          } else expect(r.err).toMatch(/\[bad_url\] unsupported database URL ".*\*\*\*.*"/)
        }
      }
    })
  }

  it('a backfill source with a password is reported without it', async () => {
    for (const source of [`mysql://u:Src-${MARK}@h/db`, `host=h password=Src2-${MARK}`]) {
      for (const json of [[], ['--json']]) {
        const r = await cairn(project.root, ['backfill', 'run', '--source', source, '--url', forms.userinfo!, ...json])
        expect(r.code, r.all).toBe(2)
        expect(r.all).not.toContain(MARK)
      }
    }
  })

  it('a failing migration whose error quotes a URL: not in the output, the progress row or status', async () => {
    // a database of its own: the history of the other tests would make these migrations look missing
    const own = await postgresEngine(url!).open()
    try {
    const up = await cairn(project.root, ['migrate', 'up', '--dir', 'failing', '--url', own.url])
    expect(up.code, up.all).toBe(3)
    expect(up.all).toContain('cannot reach postgres://app:***@10.0.0.1/db?password=***')
    expect(up.all).not.toContain(MARK)
    const upJson = await cairn(project.root, ['migrate', 'up', '--dir', 'failing', '--url', own.url, '--json'])
    expect(upJson.all).not.toContain(MARK)
    const [row] = await own.db.query<{ last_error: string }>('select last_error from cairn.migration_progress')
    expect(row!.last_error).toContain('cannot reach postgres://app:***@10.0.0.1/db?password=***')
    for (const json of [[], ['--json']]) {
      const status = await cairn(project.root, ['migrate', 'status', '--dir', 'failing', '--url', own.url, ...json])
      expect(status.all).toMatch(/last error|lastError/)
      expect(status.all).not.toContain(MARK)
    }
    } finally {
      await own.dispose()
    }
  })

  it('backfill run rows store the source and the error without passwords', async () => {
    await cp.ensureBookkeeping(t.db)
    const id = await cp.startRun(t.db, 'secret-job', `mongodb://app:Run-${MARK}@h1,h2/legacy?authSource=admin`, 'insert')
    await cp.finishRun(t.db, id, { status: 'failed', docs: 0, loaded: 0, rejected: 0, error: `lost postgres://u:Run2-${MARK}@h/db` })
    const [row] = await t.db.query<{ source: string; error: string }>('select source, error from cairn.backfill_runs where id = $1', [id])
    expect(row).toEqual({ source: 'mongodb://app:***@h1,h2/legacy?authSource=admin', error: 'lost postgres://u:***@h/db' })
    for (const json of [[], ['--json']]) {
      const r = await cairn(project.root, ['backfill', 'status', '--url', t.url, ...json])
      expect(r.all).not.toContain(MARK)
    }
  })

  it('a server error quoting the password given on the command line is masked in the error output', async () => {
    // the password alone, outside any URL: only the known-secret check can catch it
    const password = `Bare-word-${MARK}`
    const own = await postgresEngine(url!).open()
    const u = new URL(own.url)
    u.password = password
    fs.mkdirSync(path.join(project.root, 'echo'), { recursive: true })
    await writeAll(path.join(project.root, 'echo'), [{ name: 'echo', up: `DO $$ BEGIN RAISE EXCEPTION 'the password is ${password}'; END $$;\n` }])
    for (const json of [[], ['--json']]) {
      const r = await cairn(project.root, ['migrate', 'up', '--dir', 'echo', '--url', u.toString(), ...json])
      expect(r.code, r.all).toBe(3)
      expect(r.all).toContain('the password is ***')
      expect(r.all).not.toContain(MARK)
    }
    await own.dispose()
  })
})
