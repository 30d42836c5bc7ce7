import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Model } from '../../src/model/types.js'
import { normalizeModel } from '../../src/model/normalize.js'
import { renderModel } from '../../src/plan/render-model.js'
import { commentOn } from '../../src/sqlgen/ddl.js'
import { qname } from '../../src/sqlgen/quote.js'
import { inspect } from '../../src/inspect/inspect.js'
import { resetScratchDatabase } from '../../src/inspect/canonicalize.js'
import { handWrittenModels, randomModel } from '../helpers/model-fixtures.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'

/** COMMENT statements for objects renderModel does not comment on yet. */
function extraComments(m: Model): string[] {
  const out: string[] = []
  for (const s of m.sequences) if (s.comment !== undefined) out.push(commentOn(`SEQUENCE ${qname(s.schema, s.name)}`, s.comment))
  for (const v of m.views) {
    const kind = v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'
    if (v.comment !== undefined) out.push(commentOn(`${kind} ${qname(v.schema, v.name)}`, v.comment))
    for (const ix of v.indexes) if (ix.comment !== undefined) out.push(commentOn(`INDEX ${qname(v.schema, ix.name)}`, ix.comment))
  }
  for (const f of m.functions) {
    const kind = f.isProcedure ? 'PROCEDURE' : 'FUNCTION'
    if (f.comment !== undefined) out.push(commentOn(`${kind} ${qname(f.schema, f.name)}(${f.args})`, f.comment))
  }
  for (const t of m.triggers) if (t.comment !== undefined) out.push(commentOn(`TRIGGER ${qname('x', t.name).split('.')[1]} ON ${qname(t.schema, t.table)}`, t.comment))
  return out
}

/** Applies the model's DDL, one statement at a time so a failure names its statement. */
export async function applyModel(db: TestDatabase['db'], m: Model): Promise<void> {
  for (const s of [...renderModel(m), ...extraComments(m)]) {
    try {
      await db.exec(s)
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  in: ${s}`)
    }
  }
}

describe.each(testEngines())('inspect round trip on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  beforeEach(async () => {
    await resetScratchDatabase(t.db)
  })

  it('reads an empty database as an empty model', async () => {
    const m = await inspect(t.db)
    expect(m.schemas).toEqual([])
    expect(m.tables).toEqual([])
    expect(m.grants).toEqual([])
    expect(m.roles).toEqual([])
  })

  for (const name of Object.keys(handWrittenModels(180000))) {
    it(`round-trips the hand-written model: ${name}`, async () => {
      const m = handWrittenModels(t.db.serverVersion)[name]
      await applyModel(t.db, m)
      expect(await inspect(t.db)).toStrictEqual(normalizeModel(m))
    })
  }

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`round-trips the random model of seed ${seed}`, async () => {
      const m = randomModel(seed, { tables: 14 })
      await applyModel(t.db, m)
      expect(await inspect(t.db)).toStrictEqual(normalizeModel(m))
    })
  }
})
