/**
 * Before `baseline` records migrations as applied without running them: does the live database
 * really hold what they create? The migrations up to the baseline are replayed into a scratch
 * embedded database with the real runner (the shadow database of `generate`), both are inspected,
 * and the differences are what it would take to turn the live schema into the replayed one.
 */
import type { Database, Queryable } from '../db/database.js'
import type { Change } from '../diff/changes.js'
import { diff, renameResolverFrom } from '../diff/index.js'
import { CairnError } from '../errors.js'
import type { Issue } from '../errors.js'
import { inspect } from '../inspect/inspect.js'
import type { DirFs } from '../migrate/migration-dir.js'
import { migrateUp } from '../migrate/runner.js'
import type { Model } from '../model/types.js'
import { plan } from '../plan/index.js'

/** One way the live database differs from what the migrations produce. */
export interface BaselineDifference {
  /** The change kind that would fix it, e.g. `create_table` (missing in the database) or `drop_table` (extra). */
  readonly kind: string
  /** What it would take, e.g. `create table public.posts`. */
  readonly description: string
}

export interface BaselineCheckOptions {
  readonly fs: DirFs
  readonly dir: string
  /** The migration the database should match (it and every earlier one are replayed). */
  readonly to: string
  /** Opens the scratch database (default: a throwaway embedded PGlite). */
  readonly openScratch?: () => Promise<Database>
}

/** What the live database lacks or has beyond the schema that the migrations up to `to` produce. */
export async function baselineDifferences(live: Queryable, options: BaselineCheckOptions): Promise<BaselineDifference[]> {
  const scratch = await (options.openScratch ??
    (async () => {
      // with the extensions the migrations create
      const [{ openShadowPglite, historyExtensions }, { readMigrationDir }] = await Promise.all([import('./shadow-db.js'), import('../migrate/migration-dir.js')])
      return openShadowPglite({ declared: [], created: historyExtensions(await readMigrationDir(options.fs, options.dir)) })
    }))()
  try {
    try {
      await migrateUp(scratch, { dir: options.dir, fs: options.fs, to: options.to })
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e)
      throw new CairnError('shadow_replay_failed', `replaying ${options.dir}/ up to ${options.to} into a scratch database failed: ${reason}`, {
        hint: 'the migration history must apply to an empty database; fix the named migration, or pass --force to baseline without the check',
        cause: e,
      })
    }
    const [replayed, actual] = await Promise.all([inspect(scratch), inspect(live)])
    const [{ v }] = await live.query<{ v: string }>(`select current_setting('server_version_num') as v`)
    const expected = sameMajor(Number(v), scratch.serverVersion) ? replayed : withViewDefinitionsOf(actual, replayed)
    const d = diff(actual, expected, { resolveRenames: renameResolverFrom([], { othersAreNew: true }) })
    // roles are cluster-wide: one the migrations never mention may serve other databases
    const changes = d.status === 'ok' ? d.changes.filter((c) => c.kind !== 'drop_role') : []
    return describe(changes)
  } finally {
    await scratch.close()
  }
}

function sameMajor(a: number, b: number): boolean {
  return Math.floor(a / 10000) === Math.floor(b / 10000)
}

/**
 * `expected` with the text of every view that `live` also has taken from `live`: PostgreSQL
 * versions print the same view differently (16+ drops the table prefix of single-table views), so
 * across major versions view definitions are not compared; their presence, columns, options and
 * indexes still are.
 */
function withViewDefinitionsOf(live: Model, expected: Model): Model {
  const liveViews = new Map(live.views.map((v) => [`${v.schema}.${v.name}`, v]))
  return {
    ...expected,
    views: expected.views.map((v) => {
      const l = liveViews.get(`${v.schema}.${v.name}`)
      return l && l.materialized === v.materialized ? { ...v, definition: l.definition } : v
    }),
  }
}

/** One line per change, in the planner's words when it can plan them. */
function describe(changes: readonly Change[]): BaselineDifference[] {
  if (!changes.length) return []
  try {
    const p = plan(changes, { allowDestructive: true, lockTimeout: false })
    const seen = new Set<Change>()
    const out: BaselineDifference[] = []
    for (const s of p.steps) {
      if (seen.has(s.source)) continue
      seen.add(s.source)
      out.push({ kind: s.source.kind, description: s.comment })
    }
    return out
  } catch {
    return changes.map((c) => ({ kind: c.kind, description: `${c.kind.replace(/_/g, ' ')} ${objectOf(c)}`.trim() }))
  }
}

function objectOf(c: Change): string {
  for (const v of Object.values(c)) {
    if (v && typeof v === 'object' && 'name' in v) {
      const o = v as { schema?: unknown; name?: unknown }
      return typeof o.schema === 'string' ? `${o.schema}.${String(o.name)}` : String(o.name)
    }
  }
  return ''
}

/** The refusal of `baseline` when the database does not match, listing every difference. */
export function baselineMismatch(target: string, to: string, differences: readonly BaselineDifference[]): CairnError {
  const n = differences.length
  const issues: Issue[] = differences.map((d) => ({ code: 'baseline_difference', message: `the database would need: ${d.description}` }))
  return new CairnError(
    'baseline_mismatch',
    `${target} does not match the migrations up to ${to}: ${n} difference${n === 1 ? '' : 's'}; nothing was recorded`,
    {
      object: to,
      hint:
        'baseline only a database that already holds what those migrations create (an empty one is migrated with `cairn migrate up`); ' +
        'pick the migration it does match, or pass --force to record them anyway',
      issues,
      meta: { differences },
    },
  )
}
