/** The cross-phase dependency pass: stable, pulls what is needed, leaves cycles alone. */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import type { ViewDef } from '../../../src/model/types.js'
import { plan } from '../../../src/plan/plan.js'
import { createdName, droppedName, pullDependencies, qualifiedNames } from '../../../src/diff/graph.js'
import { renderModel } from '../../../src/plan/render-model.js'
import { col, model, table } from './build.js'

describe('pullDependencies', () => {
  it('keeps an order that works, and makes an item wait for a later dependency', () => {
    const items = ['a', 'b', 'c', 'd']
    expect(pullDependencies(items, (i) => (i === 3 ? [0] : []))).toEqual(items)
    // a needs d: a waits, and comes right after d
    expect(pullDependencies(items, (i) => (i === 0 ? [3] : []))).toEqual(['b', 'c', 'd', 'a'])
  })
  it('leaves a cycle in the given order', () => {
    // F's body names T (a false edge), T's default calls F (a real one): F stays first
    expect(pullDependencies(['F', 'x', 'T'], (i) => (i === 0 ? [2] : i === 2 ? [0] : []))).toEqual(['F', 'x', 'T'])
  })
})

describe('names in SQL', () => {
  it('finds qualified names, quoted or not, inside casts and strings', () => {
    expect([...qualifiedNames(`CREATE TABLE "My App".t (a app.mood DEFAULT nextval('app.t_id_seq'::regclass), b public.d[])`)]).toEqual([
      '"My App".t', 'app.mood', 'app.t_id_seq', 'public.d',
    ])
    expect(createdName('CREATE OR REPLACE FUNCTION app.f(x integer)')).toBe('app.f')
    expect(createdName('CREATE DOMAIN app.d AS integer')).toBe('app.d')
    expect(droppedName('DROP MATERIALIZED VIEW app.v')).toBe('app.v')
    // the full render (one path with migrations) creates a function before the domain whose CHECK calls it
    const ok = {
      kind: 'function' as const, schema: 'app', name: 'ok', args: 'v text', isProcedure: false,
      definition: 'CREATE OR REPLACE FUNCTION app.ok(v text)\n RETURNS boolean\n LANGUAGE sql\nAS $function$SELECT true$function$\n',
    }
    const d = { kind: 'domain' as const, schema: 'app', name: 'd', type: 'text', notNull: false, checks: [{ name: 'c', expression: 'app.ok(VALUE)' }] }
    const creates = renderModel(model({ tables: [table('app', 't', [col('x', 'integer')])], functions: [ok], domains: [d] }))
      .flatMap((x) => /^CREATE (?:OR REPLACE )?(TABLE|FUNCTION|DOMAIN) (app\.\w+)/.exec(x)?.slice(1, 3).join(' ') ?? [])
    expect(creates).toEqual(['TABLE app.t', 'FUNCTION app.ok', 'DOMAIN app.d'])
  })
})

describe('drops before what they depend on goes', () => {
  it('a view that could be replaced in place is dropped first when a table it reads is dropped', () => {
    const ids = (from: string): ViewDef => ({
      kind: 'view', schema: 'app', name: 'all_ids', materialized: false, columns: ['id'],
      definition: `SELECT ${from}.id\n   FROM app.${from}`, with: {}, indexes: [],
    })
    const t = (name: string) => table('app', name, [col('id', 'integer')])
    const d = diff(model({ tables: [t('legacy'), t('users')], views: [ids('legacy')] }), model({ tables: [t('users')], views: [ids('users')] }))
    expect(plan(d.changes, { allowDestructive: true }).steps.map((s) => s.sql)).toEqual([
      'DROP VIEW app.all_ids',
      'DROP TABLE app.legacy',
      'CREATE VIEW app.all_ids (id) AS\nSELECT users.id\n   FROM app.users',
    ])
  })
})
