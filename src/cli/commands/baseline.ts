/**
 * `cairn baseline <name>`: marks an existing database as being at migration `<name>`, recording it
 * and every earlier migration as applied without running them, after checking that the database
 * holds what they create (unless --force).
 */
import type { RegisterCommand } from './index.js'
import { projectRoot } from '../context.js'
import { dbOptions, eventPrinter, parseDuration, withDb } from './migrate.js'
import type { DbOptions } from './migrate.js'
import { nodeDirFsAt } from '../../migrate/migration-dir.js'
import type { Session } from '../../db/database.js'

/** Registers `cairn baseline`. */
export const registerBaseline: RegisterCommand = (program, ctx) => {
  dbOptions(
    program
      .command('baseline')
      .description('mark an existing database as being at <name>: record it and every earlier migration as applied, running nothing')
      .argument('<name>', 'the migration the database already matches (its folder name)')
      .option('--force', 'record the migrations even when the database does not hold what they create')
      .addHelpText(
        'after',
        '\nFirst replays the migrations up to <name> into a scratch embedded database and compares its schema with\n' +
          "the database's; refuses (exit 2, listing the differences) when they differ, unless --force.\n",
      ),
  ).action(async (name: string, opts: DbOptions & { force?: boolean }) => {
    const lockTimeoutMs = parseDuration(opts.lockTimeout)
    const fs = nodeDirFsAt(projectRoot(ctx))
    const r = await withDb(ctx, opts, async (db) => {
      const verify = opts.force
        ? undefined
        : async (session: Session) => {
            const check = await import('../../workflows/baseline-check.js')
            const differences = await check.baselineDifferences(session, { fs, dir: opts.dir, to: name })
            if (differences.length) throw check.baselineMismatch(db.target, name, differences)
          }
      return (await import('../../migrate/status.js')).baseline(db, {
        dir: opts.dir,
        fs,
        to: name,
        lockTimeoutMs,
        verify,
        onEvent: opts.json ? undefined : eventPrinter(ctx),
      })
    })
    if (opts.json) ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
    else {
      const n = r.results.filter((x) => x.status === 'baselined').length
      ctx.stdout(`${n} migration${n === 1 ? '' : 's'} recorded as applied; ${r.target} is at ${name}\n`)
    }
  })
}
