/**
 * Scenario check: before → after must give exactly `sql`, three ways at once:
 * (a) the pure diff of the two models, planned and rendered;
 * (b) the diff of the database built from `before` (inspected) against `after`;
 * (c) after applying (b)'s migration, inspecting again and diffing against `after` gives nothing;
 * plus (d) the down migration brings the database back to `before` (unless the scenario opts out).
 * Each generated up.sql is written to test/.generated/scenarios/<name>/ for the squawk check.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { diff } from '../../src/diff/diff.js'
import { inspect } from '../../src/inspect/inspect.js'
import { normalizeModel, stripHints } from '../../src/model/normalize.js'
import type { Model } from '../../src/model/types.js'
import { plan, type Plan, type PlanPolicy } from '../../src/plan/plan.js'
import { renderMigration, splitMigration } from '../../src/plan/render-migration.js'
import { renderModel } from '../../src/plan/render-model.js'

/** Where scenario migrations are written (ignored by git). */
export const GENERATED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '.generated', 'scenarios')

/** Options of one scenario. */
export interface ScenarioOptions {
  readonly policy?: PlanPolicy
  /** Skip the down-migration check (irreversible scenarios). */
  readonly noDown?: boolean
  /** SQL run after `before` is built, e.g. to insert rows that the migration must keep. */
  readonly seed?: string
}

/** Plans before → after with destructive changes allowed (scenarios check them through hazards). */
export function planOf(before: Model, after: Model, policy: PlanPolicy = {}): Plan {
  const d = diff(before, after)
  if (d.status !== 'ok') throw new Error(`diff needs input: ${JSON.stringify(d.candidates)}`)
  return plan(d.changes, { allowDestructive: true, ...policy })
}

/** (a) only: the pure diff's statements. */
export function pureSql(before: Model, after: Model, policy: PlanPolicy = {}): string[] {
  return planOf(before, after, policy).steps.map((s) => s.sql)
}

/**
 * Drops every user schema and recreates an empty `public`; database-wide default privileges (which
 * no schema holds) are reset to the built-in ones by removing their entries (the tests run as a
 * superuser), so that one scenario's do not reach the next.
 */
export async function resetDatabase(db: Database): Promise<void> {
  const rows = await db.query<{ nspname: string }>(
    `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema') ORDER BY nspname`,
  )
  const drops = rows.map((r) => `DROP SCHEMA "${r.nspname.replaceAll('"', '""')}" CASCADE;`).join('\n')
  await db.exec(`${drops}\nCREATE SCHEMA public;\nDELETE FROM pg_catalog.pg_default_acl WHERE defaclnamespace = 0;`)
}

/** Runs migration text like the runner: one transaction, or statement by statement when any must run alone. */
export async function applyMigration(db: Database, text: string): Promise<void> {
  const statements = splitMigration(text)
  if (statements.every((s) => s.transactional)) {
    await db.transaction(async (tx) => {
      for (const s of statements) await tx.exec(s.sql)
    })
  } else {
    for (const s of statements) await db.exec(s.sql)
  }
}

/** A checker bound to a database getter: `await expectMigration(name, before, after, sql)`. */
export function migrationChecker(getDb: () => Database | undefined) {
  return async function expectMigration(
    name: string,
    before: Model,
    after: Model,
    sql: readonly string[],
    options: ScenarioOptions = {},
  ): Promise<void> {
    // (a) pure
    const pure = planOf(before, after, options.policy)
    expect(pure.steps.map((s) => s.sql), `${name}: pure diff`).toEqual(sql)
    const rendered = renderMigration(pure, { name })
    const out = join(GENERATED_DIR, name)
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'up.sql'), rendered.up)
    writeFileSync(join(out, 'down.sql'), rendered.down)
    writeFileSync(join(out, 'meta.json'), JSON.stringify({ transactional: rendered.info.transactional, hazards: pure.hazards }, null, 2) + '\n')

    const db = getDb()
    if (!db) return
    // (b) from the inspected database
    await resetDatabase(db)
    const beforeSql = renderModel(before)
    if (beforeSql.length) await db.exec(beforeSql.map((s) => `${s};`).join('\n'))
    if (options.seed) await db.exec(options.seed)
    const inspectedBefore = await inspect(db)
    expect(inspectedBefore, `${name}: inspect(render(before)) equals before`).toEqual(normalizeModel(stripHints(before)))
    const live = planOf(inspectedBefore, after, options.policy)
    expect(live.steps.map((s) => s.sql), `${name}: diff of the inspected database`).toEqual(sql)
    // (c) apply, inspect, nothing left
    const liveRendered = renderMigration(live, { name })
    await applyMigration(db, liveRendered.up)
    const inspectedAfter = await inspect(db)
    const rest = diff(inspectedAfter, after)
    expect(rest.status, `${name}: status after applying`).toBe('ok')
    expect(rest.changes, `${name}: changes left after applying`).toEqual([])
    // (d) down brings `before` back
    if (!options.noDown && !liveRendered.info.irreversible.length) {
      await applyMigration(db, liveRendered.down)
      const back = await inspect(db)
      const again = diff(back, stripHints(before))
      expect(again.changes, `${name}: changes left after the down migration`).toEqual([])
    }
  }
}
