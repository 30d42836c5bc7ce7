/** `.storage()` and `.compression()` of a column: kept only when they differ from the type's own, as inspect reads them. */
import { describe, expect, it } from 'vitest'
import * as d from '../../../src/dsl/index.js'
import { collectModel } from '../../../src/load/build-model.js'
import { typeStorage } from '../../../src/model/normalize.js'
import { pullModel } from '../../../src/pull/emit.js'

describe('column storage and compression', () => {
  it('are in the model only when they differ from the type', () => {
    const app = d.pgSchema('app')
    const docs = app.table('docs', {
      body: d.text().storage('external').compression('pglz'),
      plain: d.text().storage('extended'),
      n: d.numeric().storage('main'),
      tags: d.text().array().storage('main'),
    })
    const { model, issues } = collectModel({ app, docs })
    expect(issues).toEqual([])
    expect(model.tables[0]!.columns.map((c) => [c.name, c.storage, c.compression])).toEqual([
      ['body', 'external', 'pglz'], ['plain', undefined, undefined], ['n', undefined, undefined], ['tags', 'main', undefined],
    ])
    const text = pullModel(model).files.find((f) => f.path === 'app.ts')!.text
    expect(text).toContain("body: text().storage('external').compression('pglz')")
    expect(text).toContain("tags: text().array().storage('main')")
  })

  it('knows the storage of built-in types, and not of user types', () => {
    expect([typeStorage('integer'), typeStorage('text'), typeStorage('numeric(10,2)'), typeStorage('integer[]'), typeStorage('character varying(5)'), typeStorage('app.mood')])
      .toEqual(['plain', 'extended', 'main', 'extended', 'extended', undefined])
  })
})
