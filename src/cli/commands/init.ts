/**
 * `cairn init`: starts a project in the current folder (or `--project <dir>`): writes
 * cairn.config.ts and a first schema file, adds `.cairn/` to .gitignore, and prints what to run
 * next. Refuses (exit 2) to overwrite a file that exists, unless --force.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { RegisterCommand } from './index.js'
import { colors } from './migrate.js'
import { CairnError, EXIT } from '../../errors.js'
import { CONFIG_FILES, DEFAULT_LAYOUT } from '../../config/load-config.js'

interface InitFlags {
  force?: boolean
  json?: boolean
}

/** The config file `cairn init` writes. */
export const INIT_CONFIG = `import { defineConfig } from 'cairn-pg/config'

// Every path is relative to this file's folder, the project root.
export default defineConfig({
  schema: '${DEFAULT_LAYOUT.schema}', // the definitions' entry point
  migrations: '${DEFAULT_LAYOUT.migrations}', // versioned migrations and cairn.sum
  seeds: '${DEFAULT_LAYOUT.seeds}', // reference data: NNN-<name>.sql

  // objects managed elsewhere, left out of \`cairn drift\`: [kind:]schema.name with * and ?
  ignore: [],

  // databases: \`cairn --env production migrate up\`. Without --env (or CAIRN_ENV), cairn uses
  // --url, else CAIRN_DATABASE_URL, else DATABASE_URL, else the embedded database in .cairn/dev.
  env: {
    production: { url: process.env.PRODUCTION_DATABASE_URL, lockTimeout: '30s' },
  },
})
`

/** The first schema file `cairn init` writes. */
export const INIT_SCHEMA = `/**
 * The definitions cairn turns into migrations. Export every schema, table, enum and view from
 * this file, or re-export them from others: export * from './billing.js'
 */
import { pgSchema, text, timestamptz, uuid } from 'cairn-pg/dsl'

export const app = pgSchema('app')

export const users = app.table('users', {
  id: uuid().primaryKey().defaultRandom(),
  email: text().notNull().unique(),
  name: text(),
  created_at: timestamptz().notNull().defaultNow(),
})
`

const GITIGNORE_LINES = '# cairn: the embedded development database and caches\n.cairn/\n'

/** True when a .gitignore already leaves out `.cairn/`. */
function ignoresCairn(text: string): boolean {
  return text.split(/\r?\n/).some((l) => /^\/?\.cairn\/?(\*\*?)?$/.test(l.trim()))
}

/** Whether the project's package.json lists cairn-pg (undefined: there is no package.json). */
function listsCairn(root: string): boolean | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => pkg[k]?.['cairn-pg'] !== undefined)
  } catch {
    return undefined
  }
}

/** Registers `cairn init`. */
export const registerInit: RegisterCommand = (program, ctx) => {
  program
    .command('init')
    .description('start a project here: write cairn.config.ts and a first schema file, add .cairn/ to .gitignore')
    .option('--force', 'overwrite cairn.config.ts and schema/index.ts when they exist')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nWrites into the current folder, or the folder of the global --project <dir>. Exit 2, writing nothing, when a file it would write exists (unless --force).\n')
    .action(async (flags: InitFlags) => {
      const globals = program.opts<{ project?: string }>()
      const root = path.resolve(ctx.cwd, globals.project ?? '.')
      const configFile = 'cairn.config.ts'
      const files: [string, string][] = [
        [configFile, INIT_CONFIG],
        [DEFAULT_LAYOUT.schema, INIT_SCHEMA],
      ]
      const existing = [...new Set([...CONFIG_FILES, DEFAULT_LAYOUT.schema])].filter((f) => existsSync(path.join(root, f)))
      if (existing.length && !flags.force) {
        throw new CairnError('init_files_exist', `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${root}: nothing written`, {
          issues: existing.map((f) => ({ code: 'file_exists', message: 'exists', file: f })),
          hint: 'pass --force to overwrite cairn.config.ts and schema/index.ts (the other files are left alone)',
        })
      }
      const written: string[] = []
      for (const [rel, text] of files) {
        const file = path.join(root, rel)
        mkdirSync(path.dirname(file), { recursive: true })
        writeFileSync(file, text)
        written.push(rel)
      }
      const gitignore = path.join(root, '.gitignore')
      let gitignoreChange: 'created' | 'appended' | 'unchanged'
      if (!existsSync(gitignore)) {
        writeFileSync(gitignore, GITIGNORE_LINES)
        gitignoreChange = 'created'
      } else {
        const text = readFileSync(gitignore, 'utf8')
        if (ignoresCairn(text)) gitignoreChange = 'unchanged'
        else {
          writeFileSync(gitignore, text + (text === '' || text.endsWith('\n') ? '' : '\n') + GITIGNORE_LINES)
          gitignoreChange = 'appended'
        }
      }
      const install = listsCairn(root) !== true
      const next = [
        ...(install ? [['npm install cairn-pg', 'install cairn in this project (the DSL and the cairn command)']] : []),
        ['edit schema/index.ts', 'describe your tables (the DSL is cairn-pg/dsl)'],
        ['npx cairn generate init', 'write the first migration into migrations/'],
        ['npx cairn migrate up', 'apply it: to the embedded database in .cairn/dev, or DATABASE_URL, or --env <name>'],
        ['npx cairn migrate status', 'what is applied where'],
      ]
      if (flags.json) {
        ctx.stdout(JSON.stringify({ ok: true, root, written, gitignore: gitignoreChange, next: next.map(([cmd]) => cmd) }, null, 2) + '\n')
        return
      }
      const c = colors(ctx)
      const shown = (rel: string) => path.relative(ctx.cwd, path.join(root, rel)) || rel
      for (const w of written) ctx.stdout(`${c.green('wrote')}   ${shown(w)}\n`)
      if (gitignoreChange === 'created') ctx.stdout(`${c.green('wrote')}   ${shown('.gitignore')} (.cairn/: the embedded database and caches)\n`)
      else if (gitignoreChange === 'appended') ctx.stdout(`${c.green('added')}   .cairn/ to ${shown('.gitignore')}\n`)
      const width = Math.max(...next.map(([cmd]) => cmd.length))
      ctx.stdout(`\n${c.bold('next steps')}${root !== ctx.cwd ? ` (in ${root})` : ''}:\n`)
      next.forEach(([cmd, what], i) => ctx.stdout(`  ${i + 1}. ${cmd.padEnd(width)}  ${c.dim(what)}\n`))
    })
}
