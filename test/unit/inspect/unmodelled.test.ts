import { describe, expect, it } from 'vitest'
import type { CatalogRows } from '../../../src/inspect/catalog-rows.js'
import { mapRows } from '../../../src/inspect/map-rows.js'
import { diff } from '../../../src/diff/diff.js'
import { normalizeModel } from '../../../src/model/normalize.js'
import { emptyModel } from '../../../src/model/types.js'

const rows = (unmodelled: CatalogRows['unmodelled']): CatalogRows => ({
  namespaces: [
    { oid: '2200', name: 'public', comment: null, extension_member: false },
    { oid: '16400', name: 'app', comment: null, extension_member: false },
  ],
  extensions: [], enums: [], domains: [], sequences: [], tables: [], columns: [], constraints: [], indexes: [], policies: [],
  views: [], functions: [], triggers: [], grants: [], roles: [],
  unmodelled,
})
const ctx = { currentUser: 'postgres', publicSchemaPublicPrivileges: ['USAGE'] }

describe('objects of unmodelled kinds', () => {
  const found = [
    { kind: 'rule', schema: 'app', name: 'rule r on table app.t' },
    { kind: 'aggregate', schema: 'public', name: 'function public.agg(text)' },
    { kind: 'event trigger', schema: null, name: 'event trigger et' },
  ]

  it('are mapped sorted by kind; database-wide ones only when no schema list is given', () => {
    expect(mapRows(rows(found), ctx).unmodelled).toEqual([
      { kind: 'aggregate', schema: 'public', name: 'function public.agg(text)' },
      { kind: 'event trigger', name: 'event trigger et' },
      { kind: 'rule', schema: 'app', name: 'rule r on table app.t' },
    ])
    expect(mapRows(rows(found), { ...ctx, options: { schemas: ['app'] } }).unmodelled).toEqual([{ kind: 'rule', schema: 'app', name: 'rule r on table app.t' }])
    expect(mapRows(rows(found), { ...ctx, options: { excludeSchemas: ['app'] } }).unmodelled?.map((u) => u.kind)).toEqual(['aggregate', 'event trigger'])
  })

  it('leave no key behind when there are none (models stay deep-equal)', () => {
    expect('unmodelled' in mapRows(rows([]), ctx)).toBe(false)
    expect('unmodelled' in mapRows(rows(undefined), ctx)).toBe(false)
    expect('unmodelled' in normalizeModel({ ...emptyModel(), unmodelled: [] })).toBe(false)
  })

  it('make diff warn, once per kind, saying on which side each is', () => {
    const a = { ...emptyModel(), unmodelled: [{ kind: 'aggregate', schema: 'public', name: 'function public.agg(text)' }] }
    const b = { ...emptyModel(), unmodelled: [{ kind: 'aggregate', schema: 'public', name: 'function public.agg2(text)' }] }
    const d = diff(a, b)
    expect(d.changes).toEqual([])
    expect(d.warnings).toEqual([
      {
        code: 'unmodelled_objects',
        kind: 'aggregate',
        message:
          'cairn does not model aggregate objects, so they are neither compared nor migrated (only in the current schema: function public.agg(text); only in the target: function public.agg2(text))',
        from: ['function public.agg(text)'],
        to: ['function public.agg2(text)'],
      },
    ])
    expect(diff(emptyModel(), emptyModel()).warnings).toBeUndefined()
  })
})
