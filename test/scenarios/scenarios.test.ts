import { afterAll, beforeAll, describe, it } from 'vitest'
import { migrationChecker } from '../helpers/expect-migration.js'
import { testEngines, type TestDatabase } from '../helpers/engines.js'
import { scenarios } from './cases.js'

describe('scenarios (pure diff only)', () => {
  const expectMigration = migrationChecker(() => undefined)
  for (const s of scenarios('pglite')) {
    it(s.name, async () => {
      await expectMigration(s.name, s.before, s.after, s.sql, s.options)
    })
  }
})

describe.each(testEngines())('scenarios on $name', (engine) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await engine.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })
  const expectMigration = migrationChecker(() => t.db)
  for (const s of scenarios(engine.name)) {
    it(s.name, async () => {
      await expectMigration(s.name, s.before, s.after, s.sql, s.options)
    })
  }
})
