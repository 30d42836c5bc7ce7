/**
 * Cross-version text comparison: the parsed form of PostgreSQL 15 and 18 spellings (libpg-query),
 * and the pure alignment of two models before diff().
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { alignEquivalentText } from '../../../src/diff/align.js'
import type { SameText } from '../../../src/diff/align.js'
import { diff } from '../../../src/diff/diff.js'
import { loadSameText, parsedForm } from '../../../src/inspect/expression-form.js'
import type { ViewDef } from '../../../src/model/types.js'
import { col, model, table } from '../plan/build.js'

let same: SameText
beforeAll(async () => {
  same = await loadSameText()
})

// pg_get_viewdef() of the same view: PostgreSQL 15, then 16+
const PG15_VIEW = `SELECT documents.id,
    documents.title
   FROM documents.documents
  WHERE ((documents.deleted_at IS NULL) AND ((documents.status)::text = 'draft'::text))`
const PG18_VIEW = `SELECT id,
    title
   FROM documents.documents
  WHERE ((deleted_at IS NULL) AND ((status)::text = 'draft'::text))`

describe('parsed form of SQL text', () => {
  it('treats the 15 and 16+ spellings of a single-table view as the same', () => {
    expect(same(PG15_VIEW, PG18_VIEW, 'query')).toBe(true)
    const aliased15 = 'SELECT d.id,\n    count(*) FILTER (WHERE (d.deleted_at IS NULL)) AS n\n   FROM documents.documents d\n  GROUP BY d.id'
    const aliased18 = 'SELECT id,\n    count(*) FILTER (WHERE (deleted_at IS NULL)) AS n\n   FROM documents.documents d\n  GROUP BY id'
    expect(same(aliased15, aliased18, 'query')).toBe(true)
    // an ARRAY[…] records where its list starts and ends: the qualification moves it
    const any15 = "SELECT t.id FROM s.t WHERE ((t.status)::text = ANY (ARRAY['a'::text, 'b'::text]))"
    const any18 = "SELECT id FROM s.t WHERE ((status)::text = ANY (ARRAY['a'::text, 'b'::text]))"
    expect(same(any15, any18, 'query')).toBe(true)
    expect(same(any15, any18.replace("'b'", "'c'"), 'query')).toBe(false)
  })

  it('still sees real changes: a constant, a column, a join, a subquery', () => {
    expect(same(PG15_VIEW, PG18_VIEW.replace("'draft'", "'final'"), 'query')).toBe(false)
    expect(same(PG15_VIEW, PG18_VIEW.replace('title', 'slug'), 'query')).toBe(false)
    expect(same("(price > (0)::numeric)", "(price > (1)::numeric)", 'expression')).toBe(false)
    // two relations: both versions qualify, and a missing prefix would be a different query
    const join = 'SELECT a.id FROM s.a JOIN s.b ON ((a.id = b.id))'
    expect(same(join, 'SELECT id FROM s.a JOIN s.b ON ((a.id = b.id))', 'query')).toBe(false)
    // a subquery keeps its own qualification
    const sub15 = 'SELECT t.id FROM s.t WHERE (EXISTS ( SELECT 1 FROM s.u WHERE (u.t_id = t.id)))'
    const sub18 = 'SELECT id FROM s.t WHERE (EXISTS ( SELECT 1 FROM s.u WHERE (u.t_id = t.id)))'
    expect(same(sub15, sub18, 'query')).toBe(true)
    expect(same(sub15, 'SELECT id FROM s.t WHERE (EXISTS ( SELECT 1 FROM s.u WHERE (t_id = id)))', 'query')).toBe(false)
  })

  it('ignores parentheses and layout of expressions, not their meaning', () => {
    expect(same('((a > 0) AND (b < 1))', 'a > 0 AND b < 1', 'expression')).toBe(true)
    expect(same("'draft'::text", "('draft'::text)", 'expression')).toBe(true)
    expect(same('(a + b) * c', 'a + (b * c)', 'expression')).toBe(false)
  })

  it('compares text that does not parse only as text', () => {
    expect(parsedForm('SELECT FROM WHERE (', 'query')).toBeUndefined()
    expect(same('not ( sql', 'not ( sql', 'expression')).toBe(true)
    expect(same('not ( sql', 'not (  sql', 'expression')).toBe(false)
  })
})

describe('alignEquivalentText', () => {
  const view = (definition: string): ViewDef => ({
    kind: 'view', schema: 'documents', name: 'pending', materialized: false, definition, columns: ['id', 'title'], with: {}, indexes: [],
  })
  const docs = (check: string, def: string, where: string) =>
    table('documents', 'documents', [col('id', 'bigint', { notNull: true }), col('n', 'integer', { default: def })], {
      checks: [{ name: 'n_positive', expression: check }],
      indexes: [{ name: 'docs_n_idx', unique: false, method: 'btree', keys: [{ column: 'n' }], include: [], with: {}, where }],
      policies: [{ name: 'p', permissive: true, command: 'all', roles: ['public'], using: `(n = ${def})` }],
    })

  it('gives `from` the `to` spelling where they mean the same, so diff() finds nothing', () => {
    const live = model({ tables: [docs('((n > 0))', '(0)', '((n IS NOT NULL))')], views: [view(PG15_VIEW)] })
    const shadow = model({ tables: [docs('(n > 0)', '0', '(n IS NOT NULL)')], views: [view(PG18_VIEW)] })
    expect(diff(live, shadow).changes.length).toBeGreaterThan(0)
    const aligned = alignEquivalentText(live, shadow, same)
    expect(diff(aligned, shadow).changes).toEqual([])
    expect(aligned.views[0].definition).toBe(PG18_VIEW)
  })

  it('covers domains and exclusion constraints too', () => {
    const domain = (check: string, def: string) => ({
      kind: 'domain' as const, schema: 'app', name: 'positive', type: 'integer', notNull: false, default: def, checks: [{ name: 'positive_check', expression: check }],
    })
    const booking = (definition: string) =>
      table('app', 'bookings', [col('room', 'integer'), col('during', 'tstzrange')], { exclusions: [{ name: 'no_overlap', definition }] })
    const live = model({ domains: [domain('((VALUE > 0))', '(1)')], tables: [booking('EXCLUDE USING gist (room WITH =, during WITH &&) WHERE ((room > 0))')] })
    const shadow = model({ domains: [domain('(VALUE > 0)', '1')], tables: [booking('EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0)')] })
    const aligned = alignEquivalentText(live, shadow, same)
    expect(aligned.domains).toEqual(shadow.domains)
    expect(aligned.tables[0].exclusions).toEqual(shadow.tables[0].exclusions)
    const other = model({ domains: [domain('(VALUE > 1)', '2')], tables: [booking('EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 1)')] })
    expect(alignEquivalentText(live, other, same)).toEqual(live)
  })

  it('leaves real differences for diff() to report', () => {
    const live = model({ tables: [docs('(n > 0)', '1', '(n IS NOT NULL)')], views: [view(PG15_VIEW.replace('title', 'slug'))] })
    const shadow = model({ tables: [docs('(n > 0)', '0', '(n IS NOT NULL)')], views: [view(PG18_VIEW)] })
    const kinds = diff(alignEquivalentText(live, shadow, same), shadow).changes.map((c) => c.kind)
    expect(kinds).toContain('alter_column_default')
    expect(kinds.some((k) => k.endsWith('_view'))).toBe(true)
  })
})
