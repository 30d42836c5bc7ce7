/**
 * The planner over the project's reference model (schema/): creating it from nothing, dropping it
 * all, and re-adding whole families of objects to existing tables (keys, checks, foreign keys,
 * indexes, columns) — each applied on a real database, inspected back, and diffed to nothing, then
 * undone by its down migration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { diff } from '../../src/diff/diff.js'
import { inspect } from '../../src/inspect/inspect.js'
import { loadProject } from '../../src/load/load-project.js'
import { emptyModel, type Model, type TableDef } from '../../src/model/types.js'
import { plan } from '../../src/plan/plan.js'
import { renderMigration } from '../../src/plan/render-migration.js'
import { renderModel } from '../../src/plan/render-model.js'
import { applyMigration, resetDatabase } from '../helpers/expect-migration.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'

const perturbations: [string, (m: Model) => Model][] = [
  [
    'keys, checks, foreign keys and indexes added to existing tables',
    (m) => ({
      ...m,
      tables: m.tables.map((t): TableDef => {
        const { primaryKey: _pk, ...rest } = t
        return { ...rest, uniques: [], checks: [], foreignKeys: [], indexes: [] }
      }),
    }),
  ],
  [
    'the last column of every table added (with what depends on it)',
    (m) => ({
      ...m,
      // views reading a dropped column go too, and come back after it
      views: m.views.filter((v) => !m.tables.some((t) => v.definition.includes(t.columns[t.columns.length - 1].name))),
      tables: m.tables.map((t) => {
        // a partitioned table and its partitions share their columns: diff does not yet fold a
        // partition's column changes into its parent's, so that family keeps its columns here
        if (t.partitionBy || t.partitionOf) return t
        const last = t.columns[t.columns.length - 1].name
        const uses = (cols: readonly string[]) => cols.includes(last)
        const { primaryKey, ...rest } = t
        return {
          ...rest,
          ...(primaryKey && !uses(primaryKey.columns) ? { primaryKey } : {}),
          columns: t.columns.slice(0, -1),
          uniques: t.uniques.filter((u) => !uses(u.columns)),
          foreignKeys: t.foreignKeys.filter((f) => !uses(f.columns)),
          checks: t.checks.filter((c) => !c.expression.includes(last)),
          indexes: t.indexes.filter((i) => !i.keys.some((k) => k.column === last || k.expression?.includes(last)) && !uses(i.include) && !i.where?.includes(last)),
          policies: t.policies.filter((p) => !`${p.using} ${p.withCheck}`.includes(last)),
        }
      }),
    }),
  ],
]

/**
 * Roles are cluster-wide, and other databases on the same server (other test files) hold grants to
 * the reference model's role while this file runs, so DROP ROLE would fail there: the role is
 * created once, with the model, and left out of every comparison. Its grants are compared.
 */
const withoutRoles = (m: Model): Model => ({ ...m, roles: [] })

describe.each(testEngines())('reference model on $name', (engine) => {
  let t: TestDatabase
  let reference: Model
  const empty = emptyModel()

  beforeAll(async () => {
    t = await engine.open()
    const loaded = (await loadProject({ root: process.cwd() })).model
    await resetDatabase(t.db)
    await t.db.exec(renderModel(loaded).map((s) => `${s};`).join('\n'))
    // the engine's own spelling of the reference model
    reference = withoutRoles(await inspect(t.db))
    expect(reference.tables.length).toBeGreaterThan(10)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  const check = async (from: Model, to: Model, allowDestructive = false, restored: Model = from) => {
    await resetDatabase(t.db)
    const before = renderModel(from)
    if (before.length) await t.db.exec(before.map((s) => `${s};`).join('\n'))
    const inspected = withoutRoles(await inspect(t.db))
    expect(diff(inspected, from).changes).toEqual([])
    const d = diff(inspected, to)
    expect(d.status).toBe('ok')
    const m = renderMigration(plan(d.changes, { allowDestructive }), { name: 'reference' })
    await applyMigration(t.db, m.up)
    expect(diff(withoutRoles(await inspect(t.db)), to).changes).toEqual([])
    await applyMigration(t.db, m.down)
    expect(diff(withoutRoles(await inspect(t.db)), restored).changes).toEqual([])
    return m
  }

  it('creates the whole model from nothing, and its down migration removes it', async () => {
    const m = await check(empty, reference)
    expect(m.info.transactional).toBe(true)
    expect(m.info.hazards).toEqual([])
  })

  it('drops the whole model only when destructive changes are allowed', async () => {
    expect(() => plan(diff(reference, empty).changes)).toThrow(/destructive/)
    // Known limit: diff() emits no REVOKE for privileges on dropped objects, so the down migration,
    // which recreates the tables and schemas, does not grant their privileges again.
    const m = await check(reference, empty, true, { ...reference, grants: [] })
    expect(m.info.destructive.filter((l) => l.startsWith('PGK101 drop_table'))).toHaveLength(reference.tables.length)
  })

  it.each(perturbations)('%s', async (_name, perturb) => {
    const from = perturb(reference)
    expect(from).not.toEqual(reference)
    await check(from, reference)
  })
})
