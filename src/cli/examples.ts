/**
 * The examples at the end of every command's `--help`, by command path. A command added to the CLI
 * gets its entry here (test/unit/cli/terminal.test.ts checks that every command has one).
 */
import type { Command } from 'commander'

/** Command path (`migrate up`) → example lines (`$ cairn …  # what it does`). */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  init: ['cairn init                      # cairn.config.ts, schema/index.ts, .cairn/ in .gitignore'],
  pull: [
    'cairn pull --url "$DATABASE_URL"                # definitions for every schema, under schema/',
    'cairn pull --schema app --diff                   # what would change in schema/, written nowhere',
  ],
  generate: [
    'cairn generate add_user_email                    # writes migrations/<timestamp>_add_user_email/',
    'cairn generate check --dry-run                   # prints the migration, writes nothing',
    'cairn generate ci --dry-run --verify-snapshot    # in CI: replay the history, check migrations/cairn.model.json',
    'cairn generate rename_users --rename app.users=accounts',
  ],
  migrate: ['cairn migrate up && cairn migrate status'],
  'migrate up': ['cairn migrate up --url "$DATABASE_URL"             # apply every pending migration', 'cairn migrate up --dry-run                         # print what would run'],
  'migrate down': ['cairn migrate down --steps 1 --dry-run             # print the down.sql of the last migration'],
  'migrate status': ['cairn migrate status --exit-code --json           # for CI: exit 1 when anything is pending or changed'],
  'migrate plan': ['cairn migrate plan --url "$DATABASE_URL"'],
  'migrate hash': ['cairn migrate hash                                # after editing a migration not applied anywhere yet'],
  baseline: ['cairn baseline 20261123100700_initial --url "$DATABASE_URL"   # an existing database is at this migration'],
  backfill: ['cairn backfill run --source ./dump && cairn backfill verify --source ./dump users'],
  'backfill run': ['cairn backfill run --source ./dump                 # every job, in foreign-key order, resuming', 'cairn backfill run users --dry-run --source ./dump'],
  'backfill status': ['cairn backfill status --json'],
  'backfill verify': ['cairn backfill verify users orders --source ./dump --sample 1000'],
  'backfill rejects': ['cairn backfill rejects --job users --limit 20', 'cairn backfill rejects --purge --before 2026-01-01 --yes'],
  diff: ['cairn diff --from "$STAGING_URL" --to "$PROD_URL"          # the SQL that makes staging look like production', 'cairn diff --from pglite:.cairn/dev --to "$DATABASE_URL" --format text'],
  drift: ['cairn drift --url "$DATABASE_URL"                 # exit 1 on drift', 'cairn drift --url "$DATABASE_URL" --ignore "legacy.*" --format github'],
  sql: ['cairn sql > schema.sql', 'cairn sql --summary'],
  push: ['cairn push --url "$EMPTY_DATABASE_URL" --dry-run'],
  seed: ['cairn seed --url "$DATABASE_URL" --dry-run'],
  lint: ['cairn lint                                        # every migration under migrations/', 'cairn lint --since 20261123103146_rls_partitions_views --format github   # only the newer ones, as CI annotations'],
  check: ['cairn check --url "$DATABASE_URL"                 # rows the pending migrations would reject'],
  verify: ['cairn verify rls --url "$DATABASE_URL"'],
  'verify rls': ['cairn verify rls --url "$DATABASE_URL" --role cairn_app   # exit 1 when a tenant can read or write another\'s rows'],
  partitions: ['cairn partitions status && cairn partitions maintain --dry-run'],
  'partitions status': ['cairn partitions status --url "$DATABASE_URL"         # exit 1 when maintenance is due'],
  'partitions maintain': ['cairn partitions maintain --dry-run --now 2026-07-15   # the steps and their SQL, nothing changed'],
}

/** The `--help` text added after a command's own: its examples. */
export function examplesText(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`
}

/** Adds the examples of `program`'s commands and subcommands to their `--help`. */
export function addExamples(program: Command): void {
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const key = `${prefix}${sub.name()}`
      const lines = EXAMPLES[key]
      if (lines) sub.addHelpText('after', examplesText(lines))
      walk(sub, `${key} `)
    }
  }
  walk(program, '')
}
