/**
 * `cairn seed`: applies the idempotent reference data of `seeds/NNN-<name>.sql` (new and changed
 * files, each in one transaction, under the migration lock).
 */
import type { RegisterCommand } from './index.js'
import { colors, parseDuration, withDb } from './migrate.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from '../../migrate/lock.js'
import { nodeDirFsAt } from '../../migrate/migration-dir.js'
import type { CliContext } from '../context.js'
import { projectRoot } from '../context.js'
import type { SeedEvent, SeedResultSet } from '../../seed/apply-seeds.js'

interface SeedOptions {
  url?: string
  dir: string
  migrations: string
  dryRun?: boolean
  force?: boolean
  ignorePending?: boolean
  lockTimeout?: string
  json?: boolean
}

function printEvent(ctx: CliContext): (e: SeedEvent) => void {
  const c = colors(ctx)
  return (e) => {
    if (e.event === 'lock_waiting') ctx.stderr(`${c.yellow('waiting')} for the migration lock${e.holder ? ` held by pid ${e.holder.pid}` : ''}\n`)
    else if (e.event === 'seeded') ctx.stdout(`${c.green('seeded')}   ${e.name} ${c.dim(`(${e.reason}, ${e.durationMs} ms)`)}\n`)
    else if (e.event === 'failed') ctx.stdout(`${c.red('failed')}   ${e.name}\n`)
  }
}

function summary(ctx: CliContext, r: SeedResultSet): string {
  const c = colors(ctx)
  const count = (s: string) => r.results.filter((x) => x.status === s).length
  if (!r.results.length) return `no seed files in ${r.dir}\n`
  if (r.dryRun) {
    const lines = r.results.map((x) => `${x.status === 'pending' ? c.yellow('would run') : c.dim('unchanged')} ${x.name} ${c.dim(`(${x.reason}, ${x.statements} statements)`)}`)
    return lines.join('\n') + `\n${count('pending')} of ${r.results.length} seed files would run on ${r.target}\n`
  }
  return c.bold(`${count('applied')} seed file${count('applied') === 1 ? '' : 's'} applied, ${count('skipped')} unchanged on ${r.target}\n`)
}

/** Registers `cairn seed`. */
export const registerSeed: RegisterCommand = (program, ctx) => {
  program
    .command('seed')
    .description('apply the reference data in seeds/NNN-<name>.sql: new and changed files, each in one transaction')
    .option('--url <url>', 'database URL (default: DATABASE_URL, else the embedded .cairn/dev database)')
    .option('--dir <dir>', 'seed directory, relative to the project', 'seeds')
    .option('--migrations <dir>', 'migration directory checked for pending migrations, relative to the project', 'migrations')
    .option('--dry-run', 'list the files that would run; change nothing')
    .option('--force', 'run unchanged seed files too')
    .option('--ignore-pending', 'run even when migrations are pending')
    .option('--lock-timeout <duration>', `wait this long for the migration lock (e.g. 30s, 2m, 500ms)`, `${DEFAULT_LOCK_TIMEOUT_MS / 1000}s`)
    .option('--json', 'print JSON')
    .action(async (opts: SeedOptions) => {
      const lockTimeoutMs = parseDuration(opts.lockTimeout)
      const r = await withDb(ctx, { url: opts.url, dir: opts.dir }, async (db) =>
        (await import('../../seed/apply-seeds.js')).applySeeds(db, {
          dir: opts.dir,
          fs: nodeDirFsAt(projectRoot(ctx)),
          migrationsDir: opts.migrations,
          dryRun: opts.dryRun,
          force: opts.force,
          ignorePending: opts.ignorePending,
          lockTimeoutMs,
          onEvent: opts.json ? undefined : printEvent(ctx),
        }),
      )
      if (opts.json) ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
      else ctx.stdout(summary(ctx, r))
    })
}
