/**
 * `cairn baseline <name>`: marks an existing database as being at migration `<name>`, recording it
 * and every earlier migration as applied without running them.
 */
import type { RegisterCommand } from './index.js'
import { dbOptions, eventPrinter, parseDuration, withDb } from './migrate.js'
import type { DbOptions } from './migrate.js'
import { nodeDirFsAt } from '../../migrate/migration-dir.js'

/** Registers `cairn baseline`. */
export const registerBaseline: RegisterCommand = (program, ctx) => {
  dbOptions(
    program
      .command('baseline')
      .description('mark an existing database as being at <name>: record it and every earlier migration as applied, running nothing')
      .argument('<name>', 'the migration the database already matches (its folder name)'),
  ).action(async (name: string, opts: DbOptions) => {
    const lockTimeoutMs = parseDuration(opts.lockTimeout)
    const r = await withDb(ctx, opts, async (db) =>
      (await import('../../migrate/status.js')).baseline(db, { dir: opts.dir, fs: nodeDirFsAt(ctx.cwd), to: name, lockTimeoutMs, onEvent: opts.json ? undefined : eventPrinter(ctx) }),
    )
    if (opts.json) ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
    else {
      const n = r.results.filter((x) => x.status === 'baselined').length
      ctx.stdout(`${n} migration${n === 1 ? '' : 's'} recorded as applied; ${r.target} is at ${name}\n`)
    }
  })
}
