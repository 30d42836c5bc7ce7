/** The Kysely dialect over PGlite (kysely 0.28 has none): queries, committed and rolled-back transactions. */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openScratchPglite } from '../../../src/db/scratch.js'
import type { Database } from '../../../src/db/database.js'

let db: Database
beforeAll(async () => {
  db = await openScratchPglite()
  await db.exec('create table t (n int)')
})
afterAll(() => db.close())

describe('pgliteDialect', () => {
  it('runs queries with parameters and reports affected rows', async () => {
    const r = await sql<{ x: number }>`select ${41}::int + 1 as x`.execute(db.kysely)
    expect(r.rows).toEqual([{ x: 42 }])
    const ins = await db.kysely.insertInto('t').values([{ n: 1 }, { n: 2 }]).executeTakeFirst()
    expect(ins.numInsertedOrUpdatedRows).toBe(2n)
  })

  it('commits a transaction, rolls back one that throws', async () => {
    await db.kysely.transaction().execute(async (tx) => {
      await tx.insertInto('t').values({ n: 3 }).execute()
    })
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await tx.insertInto('t').values({ n: 4 }).execute()
        throw new Error('undo')
      }),
    ).rejects.toThrow('undo')
    const rows = await db.kysely.selectFrom('t').select('n').orderBy('n').execute()
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3])
    // the instance is usable outside a transaction afterwards
    expect(await db.query<{ c: number }>('select count(*)::int as c from t')).toEqual([{ c: 3 }])
  })
})
