import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inspect } from '../../src/inspect/inspect.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { syntheticSchemaSql } from '../helpers/model-fixtures.js'

describe.each(testEngines())('inspect at scale on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
    await t.db.exec(syntheticSchemaSql(500))
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('reads 500 tables with indexes and foreign keys quickly', async () => {
    await inspect(t.db) // warm caches
    const runs: number[] = []
    let tables = 0
    for (let i = 0; i < 3; i++) {
      const start = performance.now()
      const m = await inspect(t.db)
      runs.push(performance.now() - start)
      tables = m.tables.length
      expect(m.tables[499].foreignKeys).toHaveLength(1)
      expect(m.tables[499].indexes).toHaveLength(2)
      expect(m.tables[499].columns).toHaveLength(8)
    }
    expect(tables).toBe(500)
    const best = Math.min(...runs)
    console.log(`inspect of 500 tables on ${engine.name}: best ${best.toFixed(0)} ms of ${runs.map((r) => r.toFixed(0)).join(', ')}`)
    expect(best).toBeLessThan(engine.name === 'postgres' ? 2000 : 8000)
  })
})
