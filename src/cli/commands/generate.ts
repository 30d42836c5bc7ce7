/**
 * `cairn generate <name>`: diff the definitions against the migration history (replayed in an
 * embedded shadow database) and write the next migration.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Chalk } from 'chalk'
import { useColor } from '../context.js'
import type { RegisterCommand } from './index.js'
import { CairnError, EXIT } from '../../errors.js'
import { renameResolverFrom } from '../../diff/index.js'
import type { RenameCandidate } from '../../diff/index.js'
import { generate } from '../../workflows/generate.js'
import { parseIgnore } from '../../workflows/ignore.js'
import { printable } from '../../sqlgen/quote.js'
import type { GenerateResult } from '../../workflows/generate.js'
import { askYesNo } from '../render/prompts.js'

interface GenerateFlags {
  project?: string
  dir: string
  allowDestructive?: boolean
  rename: string[]
  hints?: string
  dryRun?: boolean
  json?: boolean
  cache: boolean
  verifySnapshot?: boolean
  renames: boolean
  lockTimeout: string
  shadowUrl?: string
  ignore: string[]
}

const describeCandidate = (c: RenameCandidate) =>
  c.kind === 'table' ? `table ${c.schema}.${c.from} → ${c.to}` : `column ${c.schema}.${c.table}.${c.from} → ${c.to}`
const candidateFlag = (c: RenameCandidate) =>
  c.kind === 'table' ? `${c.schema}.${c.from}=${c.to}` : `${c.schema}.${c.table}.${c.from}=${c.to}`

/** Registers `cairn generate`. */
export const registerGenerate: RegisterCommand = (program, ctx) => {
  program
    .command('generate')
    .description('write the next migration: what turns the migration history into the definitions in schema/')
    .argument('<name>', 'what the migration does, e.g. add_user_email (slugified into the folder name)')
    .option('--project <dir>', 'project root holding schema/ and migrations/ (default: current directory)')
    .option('--dir <dir>', 'migration directory, relative to the project', 'migrations')
    .option('--allow-destructive', 'generate drops and narrowing type changes instead of refusing them')
    .option('--rename <old=new>', 'answer a rename question: schema.table=new or schema.table.column=new (repeatable)', collect, [])
    .option('--hints <file>', 'a file of rename answers, one old=new per line')
    .option('--no-renames', 'treat every unanswered rename question as drop + add')
    .option('--lock-timeout <duration>', "SET lock_timeout at the top of the migration ('off' to leave it out)", '5s')
    .option('--dry-run', 'print the migration, write nothing')
    .option('--no-cache', 'ignore the model cache under .cairn/cache and the snapshot migrations/cairn.model.json (replays, and checks the snapshot)')
    .option('--verify-snapshot', 'replay the history and canonicalise through the database; fail if migrations/cairn.model.json disagrees (for CI)')
    .option('--shadow-url <url>', 'an empty throwaway database (on a server) to replay the history in, e.g. for extensions the embedded engine lacks (emptied after use)')
    .option('--ignore <pattern>', 'leave objects managed elsewhere as the history made them: [kind:]schema.name with * and ? (repeatable; added to the config\'s ignore)', collect, [])
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nLock-safe by default: indexes on existing tables are built CONCURRENTLY, foreign keys and checks are\n' +
        'added NOT VALID then validated, NOT NULL goes through a validated check. Destructive changes are\n' +
        'refused unless --allow-destructive, and listed in the migration header.\n\n' +
        'Renames are never guessed: mark them in the definitions with .renamedFrom(), answer with --rename,\n' +
        'or answer the prompt on a terminal. Without an answer and without a terminal, exit code 2.\n',
    )
    .action(async (name: string, flags: GenerateFlags) => {
      const root = path.resolve(ctx.cwd, flags.project ?? '.')
      // a bad pattern is refused before anything loads
      parseIgnore(flags.ignore)
      const answers = [...flags.rename, ...(flags.hints ? readHints(path.resolve(ctx.cwd, flags.hints)) : [])]
      const decided = new Map<string, 'rename' | 'no'>()
      const fromFlags = renameResolverFrom(answers, { othersAreNew: !flags.renames })
      const shadow = flags.shadowUrl ? await (await import('../../db/connect.js')).connect(flags.shadowUrl, { cwd: root }) : undefined
      const run = () =>
        generate({
          ...(shadow ? { shadow } : {}),
          root,
          name,
          dir: flags.dir,
          dryRun: flags.dryRun,
          cache: flags.cache,
          verifySnapshot: flags.verifySnapshot,
          ignore: flags.ignore,
          policy: {
            allowDestructive: flags.allowDestructive,
            lockTimeout: flags.lockTimeout === 'off' ? false : flags.lockTimeout,
          },
          resolveRenames: (c) => fromFlags(c) ?? decided.get(candidateFlag(c)),
        })
      let result: GenerateResult
      try {
        result = await run()
        while (result.status === 'needs_input' && ctx.isTTY && process.stdin.isTTY && !flags.json) {
          for (const c of result.candidates) {
            decided.set(candidateFlag(c), (await askYesNo(`Is ${describeCandidate(c)} a rename?`)) ? 'rename' : 'no')
          }
          result = await run()
        }
      } finally {
        await shadow?.close()
      }
      if (result.status === 'needs_input') throw needsInput(result.candidates)
      print(ctx, flags, result)
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function readHints(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean)
  } catch (e) {
    throw new CairnError('hints_unreadable', `cannot read the hints file ${file}: ${(e as Error).message}`, {
      hint: 'pass a file with one old=new rename answer per line',
    })
  }
}

function needsInput(candidates: readonly RenameCandidate[]): CairnError {
  return new CairnError('needs_input', `${candidates.length} drop+add pair(s) look like renames; cairn does not guess`, {
    hint:
      'answer each: mark it in the definitions with .renamedFrom(), or pass ' +
      candidates.map((c) => `--rename ${candidateFlag(c)}`).join(' ') +
      ' (a rename), or list the pairs in a --hints file; to treat every unanswered pair as drop + add, pass ' +
      '--no-renames --allow-destructive',
    issues: candidates.map((c) => ({ code: 'rename_candidate', message: describeCandidate(c), object: candidateFlag(c) })),
    meta: { candidates },
  })
}

function print(ctx: Parameters<RegisterCommand>[1], flags: GenerateFlags, r: GenerateResult): void {
  if (flags.json) {
    ctx.stdout(JSON.stringify({ ok: true, ...r }, null, 2) + '\n')
    return
  }
  const c = new Chalk({ level: useColor(ctx) ? 1 : 0 })
  for (const w of r.warnings ?? []) ctx.stderr(`${c.yellow('warning')} ${printable(w.message)}\n`)
  if (r.status === 'no_changes') {
    ctx.stdout(`${c.green('✓')} no changes: the migrations already match the definitions\n`)
    return
  }
  const m = r.migration
  if (!m) return
  if (flags.dryRun) {
    ctx.stdout(m.up)
    return
  }
  ctx.stdout(`${c.green('✓')} ${c.bold(m.upPath ?? m.name)} (${m.info.steps} step${m.info.steps === 1 ? '' : 's'}, ${r.changes.length} change${r.changes.length === 1 ? '' : 's'})\n`)
  for (const h of m.info.hazards) ctx.stdout(`  ${c.yellow('hazard')} ${h}\n`)
  for (const d of m.info.destructive) ctx.stdout(`  ${c.red('destructive')} ${d}\n`)
  if (!m.info.transactional) ctx.stdout(`  ${c.dim('runs partly outside a transaction (CONCURRENTLY); progress is recorded per statement')}\n`)
}
