/**
 * The expression cache keys a view's canonical spelling by what its text reads: a change to a table
 * the view does not read reuses it (no database opened), a change to one it reads canonicalises again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { integer, pgSchema, table, text, varchar, view } from '../../../src/dsl/index.js'
import { collectModel } from '../../../src/load/build-model.js'
import type { Model } from '../../../src/model/types.js'
import { canonicalizeCached, ModelCache } from '../../../src/workflows/model-cache.js'
import { openShadowPglite } from '../../../src/workflows/shadow-db.js'

const app = pgSchema('app')
function model(o: { aExtra?: boolean; bType?: 'text' | 'varchar' } = {}): Model {
  const a = app.table('a', { id: integer().primaryKey(), x: text(), ...(o.aExtra ? { z: integer() } : {}) })
  const b = app.table('b', { id: integer().primaryKey(), y: o.bType === 'varchar' ? varchar(40) : text() })
  // `y` unqualified: the view's key covers app.b by the word `b`
  const v = view(app, 'v', { sql: "select b.id, upper(y) as y from app.b where y <> 'x'" })
  const { model: m, issues } = collectModel({ app, a, b, v })
  expect(issues).toEqual([])
  return m
}

describe('canonicalizeCached: view keys', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('reuses a view canonical form across a change to a table it does not read; canonicalises again after one to a table it reads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-model-cache-'))
    dirs.push(dir)
    const cache = new ModelCache(dir, true)
    let opens = 0
    const open = async (): Promise<Database> => {
      opens++
      return openShadowPglite({ declared: [], created: [] })
    }
    const first = await canonicalizeCached(model(), cache, open)
    expect(opens).toBe(1)
    const canonicalView = first.views.find((v) => v.name === 'v')!.definition
    expect(canonicalView).not.toBe(model().views[0].definition)

    // a new column on app.a: the view reads only app.b, its cached spelling is substituted
    const second = await canonicalizeCached(model({ aExtra: true }), cache, open)
    expect(opens).toBe(1)
    expect(second.views.find((v) => v.name === 'v')!.definition).toBe(canonicalView)
    expect(second.tables.find((t) => t.name === 'a')!.columns.map((c) => c.name)).toEqual(['id', 'x', 'z'])

    // app.b.y becomes varchar: the view's spelling may change (casts), so a database canonicalises it
    const third = await canonicalizeCached(model({ aExtra: true, bType: 'varchar' }), cache, open)
    expect(opens).toBe(2)
    expect(third.views.find((v) => v.name === 'v')!.definition).not.toBe(canonicalView)
  }, 120_000)
})
