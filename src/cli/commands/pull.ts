/**
 * `cairn pull`: write TypeScript definitions for a live database's schema, one module per schema
 * plus an index, where the project's definitions live (or --out). Refuses to overwrite a folder
 * that holds files unless --force; --diff shows the change instead. Exit 0 (also with warnings:
 * what the DSL cannot express is listed, and commented in the files), 1 with --strict and
 * warnings, 2 for a folder it will not overwrite, 3 when the database cannot be read.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { Chalk } from 'chalk'
import type { RegisterCommand } from './index.js'
import type { CliContext } from '../context.js'
import { useColor } from '../context.js'
import { openTarget } from '../target.js'
import { CairnError, EXIT } from '../../errors.js'
import { printable } from '../../sqlgen/quote.js'
import type { PullWarning } from '../../pull/emit.js'
import type { FilePlan } from '../../pull/write.js'

interface PullFlags {
  url?: string
  project?: string
  out?: string
  schema: string[]
  excludeSchema: string[]
  import: string
  force?: boolean
  diff?: boolean
  strict?: boolean
  json?: boolean
}

/** Where the definitions go: the output folder and the index module's file name in it. */
function destination(ctx: CliContext, root: string, flags: PullFlags): { dir: string; index: string; shown: string } {
  if (flags.out !== undefined) {
    const dir = path.resolve(ctx.cwd, flags.out)
    return { dir, index: 'index.ts', shown: shown(ctx, dir) }
  }
  const entry = path.resolve(root, ctx.project?.config.schema ?? 'schema/index.ts')
  const isDir = existsSync(entry) ? statSync(entry).isDirectory() : !/\.[cm]?ts$/.test(entry)
  const dir = isDir ? entry : path.dirname(entry)
  return { dir, index: isDir ? 'index.ts' : path.basename(entry), shown: shown(ctx, dir) }
}

function shown(ctx: CliContext, dir: string): string {
  const rel = path.relative(ctx.cwd, dir)
  return (rel && !rel.startsWith('..') ? rel : dir).split(path.sep).join('/')
}

/** Registers `cairn pull`. */
export const registerPull: RegisterCommand = (program, ctx) => {
  program
    .command('pull')
    .description('write TypeScript definitions for a live database: one module per schema, loaded as schema/index.ts')
    .option('--url <url>', 'the database to read (default: DATABASE_URL, else the embedded .cairn/dev database)')
    .option('--project <dir>', 'project root (default: current directory)')
    .option('--out <dir>', 'write into this folder (default: the folder of the schema entry, schema/)')
    .option('--schema <name>', 'pull only this schema (repeatable)', collect, [])
    .option('--exclude-schema <name>', 'leave this schema out (repeatable)', collect, [])
    .option('--import <module>', 'the module the definitions import the DSL from', 'cairn-pg/dsl')
    .option('--force', 'overwrite the files of a folder that is not empty (files pull does not write stay)')
    .option('--diff', 'print what would change in the folder as a unified diff, write nothing')
    .option('--strict', 'exit 1 when anything in the database is not in the definitions')
    .option('--json', 'print the files and warnings as JSON')
    .addHelpText(
      'after',
      '\nThe definitions load back into exactly the database\'s schema: after pull, `cairn generate` finds nothing\n' +
        'to generate against migrations that create that schema. What the DSL cannot express yet (functions,\n' +
        'triggers, domains, objects cairn does not model, a few details) is listed as a warning and written as\n' +
        'a comment into the file of its schema.\n\n' +
        'Exit codes: 0 written (warnings included), 1 --strict with warnings, 2 the folder is not empty (use\n' +
        '--force or --diff) or bad input, 3 the database cannot be read.\n',
    )
    .action(async (flags: PullFlags) => {
      const root = path.resolve(ctx.cwd, flags.project ?? '.')
      const dest = destination(ctx, root, flags)
      const { existingFiles, planFiles, diffFiles, writeFiles } = await import('../../pull/write.js')
      const before = existingFiles(dest.dir)
      // refused before connecting: nothing is read or written
      if (before.length && !flags.force && !flags.diff) {
        throw new CairnError('pull_target_not_empty', `${dest.shown}/ already holds ${before.length} file${before.length === 1 ? '' : 's'}; pull does not overwrite definitions`, {
          file: dest.shown,
          hint: `pass --diff to see what pull would change, --force to overwrite (files pull does not write stay), or --out <dir> for another folder`,
        })
      }
      const { pullDatabase } = await import('../../pull/index.js')
      const db = await openTarget(ctx, flags.url, { cwd: root })
      let result
      try {
        result = await pullDatabase(db, {
          dslImport: flags.import,
          indexFile: dest.index,
          inspect: {
            ...(flags.schema.length ? { schemas: flags.schema } : {}),
            ...(flags.excludeSchema.length ? { excludeSchemas: flags.excludeSchema } : {}),
          },
        })
      } finally {
        await db.close()
      }
      const warnings = [...result.warnings, ...layoutWarnings(ctx, root, dest.dir)]
      const plans = planFiles(dest.dir, result.files)
      const written = new Set(result.files.map((f) => f.path))
      const untouched = before.filter((f) => !written.has(f))
      const diff = flags.diff ? diffFiles(plans, dest.shown) : undefined
      if (!flags.diff) writeFiles(dest.dir, plans)
      if (flags.json) {
        ctx.stdout(
          JSON.stringify(
            {
              ok: true,
              out: dest.shown,
              written: !flags.diff,
              files: plans.map((p) => ({ path: path.posix.join(dest.shown, p.path), status: p.status })),
              untouched: untouched.map((f) => path.posix.join(dest.shown, f)),
              counts: result.counts,
              warnings: warnings.map(({ covers: _c, ...w }) => ({ ...w, ...(w.file ? { file: path.posix.join(dest.shown, w.file) } : {}) })),
              ...(diff !== undefined ? { diff } : {}),
            },
            null,
            2,
          ) + '\n',
        )
      } else printText(ctx, flags, dest.shown, plans, untouched, result.counts, warnings, diff)
      if (flags.strict && warnings.length) ctx.exitCode = EXIT.problems
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** The loader also reads views/ and partitions/: definitions there would define pulled objects twice. */
function layoutWarnings(ctx: CliContext, root: string, dir: string): PullWarning[] {
  const out: PullWarning[] = []
  const config = ctx.project?.config
  for (const folder of [config?.views ?? 'views', config?.partitions ?? 'partitions']) {
    const index = path.resolve(root, folder, 'index.ts')
    if (!existsSync(index) || path.resolve(root, folder) === dir) continue
    out.push({
      code: 'layout',
      category: 'layout',
      object: `${folder}/index.ts`,
      message: `${folder}/index.ts also loads with the definitions: the pulled files define every view and partition already, so objects defined there are defined twice; empty or remove it`,
      covers: [],
    })
  }
  return out
}

function printText(
  ctx: CliContext,
  flags: PullFlags,
  shownDir: string,
  plans: readonly FilePlan[],
  untouched: readonly string[],
  counts: Readonly<Record<string, number>>,
  warnings: readonly PullWarning[],
  diff: string | undefined,
): void {
  const c = new Chalk({ level: useColor(ctx) ? 1 : 0 })
  if (diff !== undefined) {
    ctx.stdout(diff || `${c.green('✓')} no changes: ${shownDir}/ already holds these definitions\n`)
  } else {
    for (const p of plans) ctx.stdout(`  ${p.status === 'unchanged' ? c.dim(p.status.padEnd(9)) : c.green(p.status.padEnd(9))} ${shownDir}/${p.path}\n`)
    for (const f of untouched) ctx.stdout(`  ${c.yellow('kept'.padEnd(9))} ${shownDir}/${f} ${c.dim('(not written by pull; the index does not load it)')}\n`)
    const what = Object.entries(counts).map(([k, n]) => `${n} ${n === 1 ? k.replace(/s$/, '').replace(/ie$/, 'y') : k}`)
    ctx.stdout(`${c.green('✓')} pulled ${what.length ? what.join(', ') : 'an empty schema'} into ${shownDir}/\n`)
  }
  for (const w of warnings) {
    const where = w.file ? c.dim(` (${shownDir}/${w.file})`) : ''
    ctx.stderr(`${c.yellow('warning')} ${printable(w.message)}${where}\n`)
  }
  if (warnings.length) {
    const n = warnings.length
    ctx.stderr(
      `${n} warning${n === 1 ? '' : 's'}: the definitions do not hold everything in the database (see the comments in the files)` +
        (flags.strict ? '' : '; --strict makes this exit 1') + '\n',
    )
  }
}
