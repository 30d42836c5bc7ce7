/**
 * Objects managed elsewhere (the config's `ignore`, `--ignore`) are left alone by generate, cairn
 * diff and drift alike: a trigger and its function made by a hand-written migration are not dropped
 * by the next generate when ignored, and are reported destructive when not. Drift also leaves what
 * the definitions cannot declare (default privileges) as the history made it, as generate does, and
 * lists the objects it could not compare as warnings (exit 1 under --exit-code).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/program.js'
import { openPglite } from '../../src/db/pglite.js'
import { isCairnError } from '../../src/errors.js'
import { inspect } from '../../src/inspect/inspect.js'
import { hashMigrationDir, nodeDirFsAt } from '../../src/migrate/migration-dir.js'
import { migrateUp } from '../../src/migrate/runner.js'
import { diffModels } from '../../src/workflows/diff-databases.js'
import { drift } from '../../src/workflows/drift.js'
import { generate } from '../../src/workflows/generate.js'
import { withIgnoredFrom } from '../../src/workflows/ignore.js'
import { capturedContext } from '../helpers/cli-context.js'
import { writeProject } from '../helpers/schema-project.js'

const SCHEMA = `import { pgSchema, integer, text } from 'CAIRN'
export const app = pgSchema('app')
export const notes = app.table('notes', { id: integer().primaryKey(), body: text() })
`
const BY_HAND = [
  'CREATE FUNCTION app.audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;',
  'CREATE TRIGGER audit_notes BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.audit_fn();',
  'ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO PUBLIC;',
  'CREATE TEXT SEARCH CONFIGURATION app.plain (COPY = pg_catalog.simple);',
  '',
].join('\n')
const IGNORE = ['trigger:app.notes.audit_*', 'function:app.audit_*']

describe('objects managed elsewhere', () => {
  let project: ReturnType<typeof writeProject>
  let live: string
  beforeAll(async () => {
    project = writeProject({ 'schema/index.ts': SCHEMA })
    await generate({ root: project.root, name: 'init', now: new Date('2026-01-01T00:00:00Z') })
    const hand = path.join(project.root, 'migrations', '20260102000000_audit_by_hand')
    mkdirSync(hand)
    writeFileSync(path.join(hand, 'up.sql'), BY_HAND)
    writeFileSync(path.join(hand, 'down.sql'), 'SELECT 1;\n')
    await hashMigrationDir(nodeDirFsAt(project.root), 'migrations')
    live = mkdtempSync(path.join(tmpdir(), 'cairn-ignore-'))
    const db = await openPglite(live)
    try {
      await migrateUp(db, { dir: 'migrations', fs: nodeDirFsAt(project.root) })
    } finally {
      await db.close()
    }
  })
  afterAll(() => {
    project?.remove()
    if (live) rmSync(live, { recursive: true, force: true })
  })

  it('generate: drops the hand-made trigger (destructive) unless it is ignored', async () => {
    const refused = await generate({ root: project.root, name: 'next', dryRun: true }).catch((e: unknown) => e)
    expect(isCairnError(refused) && refused.code).toBe('destructive_changes')
    expect((refused as Error).message).toMatch(/drop_trigger app\.notes\.audit_notes/)
    expect((refused as Error).message).toMatch(/drop_function app\.audit_fn\(\)/)

    const ignored = await generate({ root: project.root, name: 'next', dryRun: true, ignore: IGNORE })
    expect(ignored.status).toBe('no_changes')
    expect(ignored.warnings?.map((w) => w.kind)).toEqual(['text search configuration'])
  })

  it('generate reads the config\'s ignore; --ignore adds to it', async () => {
    writeFileSync(path.join(project.root, 'cairn.config.ts'), `export default { ignore: ['trigger:*.audit_*'] }\n`)
    try {
      const run1 = capturedContext(project.root)
      expect(await run(['node', 'cairn', 'generate', 'next', '--dry-run', '--project', project.root], run1)).toBe(2)
      expect(run1.err).toMatch(/drop_function app\.audit_fn\(\)/)
      expect(run1.err).not.toMatch(/drop_trigger/)
      const run2 = capturedContext(project.root)
      const code = await run(['node', 'cairn', 'generate', 'next', '--dry-run', '--ignore', 'function:app.audit_*', '--project', project.root], run2)
      expect(run2.err + run2.out).toMatch(/no changes/)
      expect(code).toBe(0)
    } finally {
      rmSync(path.join(project.root, 'cairn.config.ts'))
    }
  })

  it('diff: leaves ignored objects as --from has them, through the same function', async () => {
    const db = await openPglite(live)
    let from
    try {
      from = await inspect(db)
    } finally {
      await db.close()
    }
    const to = { ...from, triggers: [], functions: [] }
    expect(diffModels(from, to, { policy: { allowDestructive: true } }).sql).toMatch(/DROP TRIGGER audit_notes ON app\.notes/)
    const ignored = diffModels(from, to, { policy: { allowDestructive: true }, ignore: IGNORE })
    expect(ignored.empty).toBe(true)
    expect(withIgnoredFrom(from, to, IGNORE).triggers).toEqual(from.triggers)
    // the command: an empty database as the target drops everything but what is ignored
    const ctx = capturedContext(project.root)
    const code = await run(['node', 'cairn', 'diff', '--from', `pglite:${live}`, '--to', 'pglite:memory', '--allow-destructive', '--ignore', 'app.audit_*', '--ignore', '*.audit_notes'], ctx)
    expect(code, ctx.err).toBe(0)
    expect(ctx.out).toMatch(/DROP TABLE app\.notes/)
    expect(ctx.out).not.toMatch(/audit/)
  })

  it('drift: no drift with the objects ignored and the default privileges undeclared; what it cannot compare is a warning', async () => {
    const db = await openPglite(live)
    try {
      const r = await drift({ root: project.root, db, ignore: IGNORE })
      expect(r.definitions.items).toEqual([])
      expect(r.database.items).toEqual([])
      expect(r.drift).toBe(false)
      expect(r.warnings.map((w) => [w.section, w.kind, w.from])).toEqual([
        ['definitions', 'text search configuration', ['text search configuration app.plain']],
        ['database', 'text search configuration', ['text search configuration app.plain']],
      ])
    } finally {
      await db.close()
    }
    const args = ['node', 'cairn', 'drift', '--url', `pglite:${live}`, '--project', project.root, '--ignore', 'trigger:*.audit_*', '--ignore', 'function:app.audit_*']
    const plain = capturedContext(project.root)
    expect(await run(args, plain), plain.err).toBe(0)
    expect(plain.out).toMatch(/warning .*text search configuration/)
    expect(plain.out).toMatch(/no drift in what cairn compares; some objects were not compared/)
    const strict = capturedContext(project.root)
    expect(await run([...args, '--exit-code'], strict), strict.err).toBe(1)
  })

  // last: it adds a migration to the project's history
  it('a migration written under ignore patterns does not let a later run without them skip the compare', async () => {
    const entry = path.join(project.root, 'schema/index.ts')
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('body: text() }', 'body: text(), title: text() }'))
    const written = await generate({ root: project.root, name: 'title', ignore: IGNORE, now: new Date('2026-01-03T00:00:00Z') })
    expect(written.status).toBe('created')
    expect((await generate({ root: project.root, name: 'again', dryRun: true, ignore: IGNORE })).status).toBe('no_changes')
    const refused = await generate({ root: project.root, name: 'again', dryRun: true }).catch((e: unknown) => e)
    expect(isCairnError(refused) && refused.code).toBe('destructive_changes')
  })
})
