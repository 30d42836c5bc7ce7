/**
 * DB-to-DB diff: what would turn the schema of one live database into that of another (staging vs
 * production, a hand-made change vs a database built from the definitions). The composition is
 * inspect(from), inspect(to) → diff → plan → renderMigration; nothing is applied.
 */
import type { Database, Queryable } from '../db/database.js'
import { CairnError, EXIT } from '../errors.js'
import { checkRendered } from '../migrate/check-rendered.js'
import type { Change, DiffWarning, RenameCandidate } from '../diff/changes.js'
import { alignEquivalentText } from '../diff/align.js'
import type { SameText } from '../diff/align.js'
import { diff, renameResolverFrom } from '../diff/index.js'
import { loadSameText } from '../inspect/expression-form.js'
import { inspect } from '../inspect/inspect.js'
import type { InspectOptions } from '../inspect/inspect.js'
import type { Model } from '../model/types.js'
import { plan, renderMigration } from '../plan/index.js'
import type { Plan, PlanPolicy, RenderedMigration } from '../plan/index.js'
import { withIgnoredFrom } from './ignore.js'
import type { IgnorePatterns } from './ignore.js'

/** Options of diffDatabases. */
export interface DiffDatabasesOptions {
  /** The database to change. */
  readonly from: Database | Queryable
  /** The database whose schema is wanted. */
  readonly to: Database | Queryable
  /** Planner switches; `serverVersion` defaults to the `from` server's. */
  readonly policy?: PlanPolicy
  /** Renames to generate, as `schema.table=new` or `schema.table.column=new`. */
  readonly renames?: readonly string[]
  /**
   * Answer every other look-alike drop+add pair "not a rename" (drop and create). Without it such a
   * pair stops the diff with `rename_ambiguous` (exit 2): a live database carries no rename hints.
   */
  readonly assumeNoRenames?: boolean
  /**
   * Generate DROP ROLE for roles only `from` references. Off by default: roles are cluster-wide, so a
   * role one database no longer uses may still own or be granted objects elsewhere on its server.
   */
  readonly dropRoles?: boolean
  /** Which schemas to compare. */
  readonly inspect?: InspectOptions
  /** Name written in the migration header. */
  readonly name?: string
  /** Objects managed elsewhere, left as `from` has them: `[kind:]schema.name` patterns (see ignore.ts). */
  readonly ignore?: IgnorePatterns
}

/** One statement to run, in order; `transactional: false` ones must run outside a transaction. */
export interface PlannedStatement {
  readonly sql: string
  readonly transactional: boolean
}

/** The difference between two databases, as changes and as a migration. */
export interface DiffDatabasesResult {
  readonly from: Model
  readonly to: Model
  readonly changes: readonly Change[]
  /** Changes found but left out of the plan (role drops unless `dropRoles`). */
  readonly omitted: readonly Change[]
  readonly plan: Plan
  readonly migration: RenderedMigration
  /** The up migration text (empty when there is nothing to do). */
  readonly sql: string
  /** The up migration as statements: the preamble (lock_timeout) then every step; empty when equal. */
  readonly statements: readonly PlannedStatement[]
  /** True when there is nothing to run (changes in `omitted` aside). */
  readonly empty: boolean
  /**
   * What could not be compared (objects of kinds cairn does not model). When any is present, an
   * empty migration does not mean the schemas are equal.
   */
  readonly warnings: readonly DiffWarning[]
}

const serverVersionOf = (db: Database | Queryable): number | undefined =>
  typeof (db as Partial<Database>).serverVersion === 'number' ? (db as Database).serverVersion : undefined

/** Inspects both databases and returns the planned, rendered migration from `from` to `to`. */
export async function diffDatabases(options: DiffDatabasesOptions): Promise<DiffDatabasesResult> {
  const [fromModel, toModel, sameText] = await Promise.all([
    inspect(options.from, options.inspect),
    inspect(options.to, options.inspect),
    loadSameText(),
  ])
  const result = diffModels(fromModel, toModel, { ...options, serverVersion: serverVersionOf(options.from), sameText })
  // what the databases hold is untrusted text: the migration must read back as exactly the plan
  await checkRendered(result.migration.up, result.migration.statements.up, 'the migration between the two databases')
  await checkRendered(result.migration.down, result.migration.statements.down, 'the down migration between the two databases')
  return result
}

/** The pure half of diffDatabases: two inspected models → changes → plan → migration. */
export function diffModels(
  fromModel: Model,
  toModel: Model,
  options: Pick<DiffDatabasesOptions, 'policy' | 'renames' | 'assumeNoRenames' | 'dropRoles' | 'name' | 'ignore'> & {
    serverVersion?: number
    /**
     * Compares expression and view texts that differ in spelling (two server versions print them
     * differently); see src/diff/align.ts. Without it texts are compared exactly.
     */
    sameText?: SameText
  } = {},
): DiffDatabasesResult {
  const resolver = renameResolverFrom(options.renames ?? [], { othersAreNew: options.assumeNoRenames ?? false })
  const wanted = withIgnoredFrom(fromModel, toModel, options.ignore ?? [])
  const aligned = options.sameText ? alignEquivalentText(fromModel, wanted, options.sameText) : fromModel
  const d = diff(aligned, wanted, { resolveRenames: resolver })
  if (d.status === 'needs_input') throw renameQuestion(d.candidates)
  const keep = (c: Change): boolean => options.dropRoles === true || c.kind !== 'drop_role'
  const changes = d.changes.filter(keep)
  const omitted = d.changes.filter((c) => !keep(c))
  const policy: PlanPolicy = {
    ...(options.serverVersion !== undefined ? { serverVersion: options.serverVersion } : {}),
    ...options.policy,
  }
  const p = plan(changes, policy)
  const migration = renderMigration(p, { name: options.name ?? 'diff' })
  const statements: PlannedStatement[] =
    p.steps.length === 0
      ? []
      : [
          ...p.preamble.map((sql) => ({ sql, transactional: true })),
          ...p.steps.map((s) => ({ sql: s.sql, transactional: s.transactional })),
        ]
  return {
    from: fromModel,
    to: toModel,
    changes,
    omitted,
    plan: p,
    migration,
    sql: migration.up,
    statements,
    empty: p.steps.length === 0,
    warnings: d.warnings ?? [],
  }
}

function renameQuestion(candidates: readonly RenameCandidate[]): CairnError {
  const describe = (c: RenameCandidate): string =>
    c.kind === 'table' ? `${c.schema}.${c.from} → ${c.schema}.${c.to}` : `${c.schema}.${c.table}.${c.from} → ${c.to}`
  const answer = (c: RenameCandidate): string =>
    c.kind === 'table' ? `--rename ${c.schema}.${c.from}=${c.to}` : `--rename ${c.schema}.${c.table}.${c.from}=${c.to}`
  return new CairnError(
    'rename_ambiguous',
    `${candidates.length} drop + add pair${candidates.length === 1 ? '' : 's'} may be a rename: ${candidates.map(describe).join(', ')}`,
    {
      hint: `answer each: ${candidates.map(answer).join(' ')}; or pass --no-renames to drop and create them`,
      issues: candidates.map((c) => ({
        code: 'rename_ambiguous',
        message: `${c.kind} ${describe(c)} may be a rename`,
        hint: answer(c),
        object: c.kind === 'table' ? `${c.schema}.${c.from}` : `${c.schema}.${c.table}.${c.from}`,
      })),
      meta: { candidates },
    },
  )
}
