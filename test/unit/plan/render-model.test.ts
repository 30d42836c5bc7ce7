/**
 * The full-model render is the plan of the changes from an empty model: objects come in dependency
 * order, not in the order of their kind or name (both cases below failed on Postgres before).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { openPglite } from '../../../src/db/pglite.js'
import type { ViewDef } from '../../../src/model/types.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { SESSION_PREAMBLE } from '../../../src/sqlgen/session.js'
import { col, model, table } from './build.js'

const view = (schema: string, name: string, definition: string): ViewDef => ({
  kind: 'view', schema, name, materialized: false, definition, columns: ['id'], with: {}, indexes: [],
})

describe('renderModel', () => {
  let db: Database
  beforeAll(async () => {
    db = await openPglite()
  })
  afterAll(async () => {
    await db.close()
  })
  const apply = async (statements: readonly string[]) => {
    await db.exec('DROP SCHEMA IF EXISTS app CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public')
    await db.transaction(async (tx) => {
      for (const s of statements) await tx.exec(s)
    })
  }

  it('starts with the session preamble, and is empty for an empty model', () => {
    expect(renderModel(model())).toEqual([])
    const out = renderModel(model({ tables: [table('app', 't', [col('id', 'integer')])] }))
    expect(out.slice(0, SESSION_PREAMBLE.length)).toEqual([...SESSION_PREAMBLE])
  })

  it('creates a view after the view it reads, whatever their names', async () => {
    // in public, pg_get_viewdef() names the views it reads without their schema
    for (const schema of ['app', 'public']) {
      const q = schema === 'public' ? '' : `${schema}.`
      const m = model({
        tables: [table(schema, 'items', [col('id', 'integer')])],
        views: [view(schema, 'a_top', `SELECT b_base.id\n   FROM ${q}b_base`), view(schema, 'b_base', `SELECT items.id\n   FROM ${q}items`)],
      })
      const out = renderModel(m)
      const at = (name: string) => out.findIndex((s) => s.startsWith(`CREATE VIEW ${schema}.${name}`))
      expect(at('b_base')).toBeGreaterThanOrEqual(0)
      expect(at('b_base')).toBeLessThan(at('a_top'))
      await apply(out)
    }
  })

  it('builds a unique index before the foreign key that references its columns', async () => {
    const parent = table('app', 'b_parent', [col('code', 'text', { notNull: true })], {
      indexes: [{ name: 'b_parent_code_key', unique: true, method: 'btree', keys: [{ column: 'code' }], include: [], with: {} }],
    })
    const child = table('app', 'a_child', [col('code', 'text')], {
      foreignKeys: [{ name: 'a_child_code_fkey', columns: ['code'], refSchema: 'app', refTable: 'b_parent', refColumns: ['code'], onDelete: 'no action', onUpdate: 'no action' }],
    })
    const out = renderModel(model({ tables: [child, parent] }))
    const index = out.findIndex((s) => s.startsWith('CREATE UNIQUE INDEX'))
    const fk = out.findIndex((s) => s.includes('FOREIGN KEY'))
    expect(index).toBeGreaterThanOrEqual(0)
    expect(index).toBeLessThan(fk)
    await apply(out)
  })
})
