import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { renameResolverFrom } from '../../../src/diff/renames.js'
import { classifyTypeChange, hasAssignmentCast } from '../../../src/diff/type-change.js'
import type { Change } from '../../../src/diff/changes.js'
import type { FunctionDef, GrantDef, Model, ViewDef } from '../../../src/model/types.js'
import { col, model, table } from '../plan/build.js'

const kinds = (cs: readonly Change[]) => cs.map((c) => c.kind)
const users = (cols = [col('id', 'bigint', { notNull: true }), col('name', 'text')]) =>
  table('app', 'users', cols, { primaryKey: { name: 'users_pkey', columns: ['id'] } })

describe('diff: identical and empty', () => {
  it('gives no change for equal models, whatever the key order', () => {
    const a = model({ tables: [users()] })
    const b = JSON.parse(JSON.stringify(a, Object.keys(a).reverse())) as Model
    expect(diff(a, { ...b, ...a }).changes).toEqual([])
    expect(diff(a, a)).toEqual({ status: 'ok', changes: [], candidates: [] })
  })
})

describe('diff: renames are never guessed', () => {
  const before = model({ tables: [users()] })
  const after = model({ tables: [users([col('id', 'bigint', { notNull: true }), col('full_name', 'text')])] })

  it('returns needs_input with the candidate when no resolver or hint exists', () => {
    const r = diff(before, after)
    expect(r.status).toBe('needs_input')
    expect(r.changes).toEqual([])
    expect(r.candidates).toEqual([{ kind: 'column', schema: 'app', table: 'users', from: 'name', to: 'full_name' }])
  })

  it('renames when the resolver says so, and drops + adds when it says no', () => {
    expect(kinds(diff(before, after, { resolveRenames: () => 'rename' }).changes)).toEqual(['rename_column'])
    expect(kinds(diff(before, after, { resolveRenames: () => 'no' }).changes)).toEqual(['drop_column', 'add_column'])
  })

  it('follows a renamedFrom hint, and ignores it once applied', () => {
    const hinted = model({ tables: [users([col('id', 'bigint', { notNull: true }), col('full_name', 'text', { renamedFrom: 'name' })])] })
    expect(diff(before, hinted).changes).toEqual([{ kind: 'rename_column', table: { schema: 'app', name: 'users' }, from: 'name', to: 'full_name' }])
    expect(diff(after, hinted).changes).toEqual([])
  })

  it('asks about a table dropped and one added with the same columns', () => {
    const moved = model({ tables: [{ ...users(), name: 'people', primaryKey: { name: 'people_pkey', columns: ['id'] } }] })
    const r = diff(before, moved)
    expect(r.candidates).toEqual([{ kind: 'table', schema: 'app', from: 'users', to: 'people' }])
    const yes = diff(before, moved, { resolveRenames: renameResolverFrom(['app.users=people']) })
    expect(yes.changes).toEqual([
      { kind: 'rename_table', schema: 'app', from: 'users', to: 'people' },
      { kind: 'rename_constraint', table: { schema: 'app', name: 'people' }, constraint: 'primary_key', from: 'users_pkey', to: 'people_pkey' },
    ])
    expect(diff(before, moved, { resolveRenames: renameResolverFrom([]) }).status).toBe('needs_input')
    expect(kinds(diff(before, moved, { resolveRenames: renameResolverFrom([], { othersAreNew: true }) }).changes)).toEqual(['create_table', 'drop_table'])
  })

  it('renames the references of a renamed column: keys, indexes, checks, other tables\u2019 foreign keys', () => {
    const a = model({
      tables: [
        table('app', 'users', [col('uid', 'bigint', { notNull: true })], {
          primaryKey: { name: 'users_pkey', columns: ['uid'] },
          checks: [{ name: 'users_uid_check', expression: '(uid > 0)' }],
        }),
        table('app', 'posts', [col('user_id', 'bigint')], {
          foreignKeys: [{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['uid'], onDelete: 'no action', onUpdate: 'no action' }],
        }),
      ],
    })
    const b = model({
      tables: [
        table('app', 'users', [col('id', 'bigint', { notNull: true, renamedFrom: 'uid' })], {
          primaryKey: { name: 'users_pkey', columns: ['id'] },
          checks: [{ name: 'users_uid_check', expression: '(id > 0)' }],
        }),
        table('app', 'posts', [col('user_id', 'bigint')], {
          foreignKeys: [{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
        }),
      ],
    })
    expect(kinds(diff(a, b).changes)).toEqual(['rename_column'])
  })
})

describe('diff: columns', () => {
  const t = (c: ReturnType<typeof col>) => model({ tables: [table('app', 't', [c])] })
  it.each([
    ['type with USING', col('a', 'text'), col('a', 'integer'), [{ kind: 'alter_column_type', using: 'a::integer', safety: 'rewrite' }]],
    ['widening varchar is safe', col('a', 'character varying(10)'), col('a', 'character varying(20)'), [{ kind: 'alter_column_type', safety: 'safe' }]],
    ['bigint to int narrows', col('a', 'bigint'), col('a', 'integer'), [{ kind: 'alter_column_type', safety: 'narrowing' }]],
    ['set default', col('a', 'integer'), col('a', 'integer', { default: '1' }), [{ kind: 'alter_column_default', to: '1' }]],
    ['drop default', col('a', 'integer', { default: '1' }), col('a', 'integer'), [{ kind: 'alter_column_default', from: '1' }]],
    ['set not null', col('a', 'integer'), col('a', 'integer', { notNull: true }), [{ kind: 'alter_column_nullability', notNull: true }]],
    ['add identity', col('a', 'integer', { notNull: true }), col('a', 'integer', { notNull: true, identity: 'always' }), [{ kind: 'alter_column_identity', to: 'always' }]],
    ['drop identity', col('a', 'integer', { notNull: true, identity: 'always' }), col('a', 'integer', { notNull: true }), [{ kind: 'alter_column_identity', from: 'always' }]],
    ['generated expression changes', col('a', 'integer', { generated: '1' }), col('a', 'integer', { generated: '2' }), [{ kind: 'drop_column', regenerated: true }, { kind: 'add_column', regenerated: true }]],
    ['generated becomes plain', col('a', 'integer', { generated: '1' }), col('a', 'integer'), [{ kind: 'drop_column_expression' }]],
    ['comment', col('a', 'integer'), col('a', 'integer', { comment: 'x' }), [{ kind: 'set_comment', to: 'x' }]],
  ])('%s', (_n, a, b, expected) => {
    const r = diff(t(a), t(b))
    expect(r.changes).toHaveLength(expected.length)
    r.changes.forEach((c, i) => expect(c).toMatchObject(expected[i]))
  })

  it('drops and resets a default that a USING cast cannot carry', () => {
    const r = diff(t(col('a', 'text', { default: "'1'::text" })), t(col('a', 'integer', { default: '1' })))
    expect(r.changes.map((c) => (c.kind === 'alter_column_default' ? `default ${c.from ?? '-'}→${c.to ?? '-'}` : c.kind))).toEqual([
      "default '1'::text→-",
      'alter_column_type',
      'default -→1',
    ])
  })
})

describe('diff: type change classification', () => {
  it.each([
    ['character varying(10)', 'character varying(20)', false, 'safe'],
    ['character varying(10)', 'text', false, 'safe'],
    ['text', 'character varying(5)', false, 'narrowing'],
    ['character varying(20)', 'character varying(10)', false, 'narrowing'],
    ['numeric(10,2)', 'numeric(12,2)', false, 'safe'],
    ['numeric(10,2)', 'numeric(8,2)', false, 'narrowing'],
    ['integer', 'bigint', false, 'rewrite'],
    ['bigint', 'integer', false, 'narrowing'],
    ['text', 'integer', true, 'rewrite'],
    ['text', 'uuid', true, 'rewrite'],
    ['integer', 'text', false, 'rewrite'],
    ['timestamp with time zone', 'date', false, 'narrowing'],
    ['json', 'jsonb', false, 'rewrite'],
    ['integer[]', 'bigint[]', false, 'rewrite'],
    ['text', 'app.role', true, 'rewrite'],
  ])('%s → %s', (a, b, using, safety) => {
    expect(classifyTypeChange(a, b)).toEqual({ needsUsing: using, safety })
    expect(hasAssignmentCast(a, b)).toBe(!using)
  })
})

describe('diff: enums', () => {
  const e = (values: string[]) => model({ enums: [{ kind: 'enum', schema: 'app', name: 'role', values }] })
  it('adds values with their position', () => {
    expect(diff(e(['b', 'd']), e(['a', 'b', 'c', 'd', 'e'])).changes.map((c) => (c.kind === 'add_enum_value' ? [c.value, c.before ?? null, c.after ?? null] : c.kind))).toEqual([
      ['a', 'b', null],
      ['c', null, 'b'],
      ['e', null, 'd'],
    ])
  })
  it.each([
    ['removal', ['a', 'b'], ['a']],
    ['reorder', ['a', 'b'], ['b', 'a']],
    ['rename of a value', ['a', 'b'], ['a', 'c']],
  ])('makes %s a recreation of the type (the old one moved aside)', (_n, a, b) => {
    const r = diff(e(a), e(b))
    expect(r.changes).toHaveLength(1)
    expect(r.changes[0]).toMatchObject({ kind: 'recreate_enum', asideName: 'role__old', to: { values: b } })
  })
  it('refuses to recreate an enum that a function or domain uses, naming them', () => {
    const used = (values: string[]) => ({
      ...e(values),
      domains: [{ kind: 'domain' as const, schema: 'app', name: 'roles', type: 'app.role[]', notNull: false, checks: [] }],
    })
    const [c] = diff(used(['a', 'b']), used(['a'])).changes
    expect(c).toMatchObject({ kind: 'unsupported', object: 'app.role', objectKind: 'enum' })
    expect(c?.kind === 'unsupported' && c.message).toMatch(/removing b: the type must be created again, and domain app\.roles uses it/)
  })
  it('renames a value from a hint, and follows it in defaults', () => {
    const t = (v: string) => [table('app', 't', [col('r', 'app.role', { default: `'${v}'::app.role` })])]
    const a = model({ enums: [{ kind: 'enum', schema: 'app', name: 'role', values: ['a', 'b'] }], tables: t('b') })
    const b = model({ enums: [{ kind: 'enum', schema: 'app', name: 'role', values: ['a', 'c'], valuesRenamedFrom: { c: 'b' } }], tables: t('c') })
    expect(diff(a, b).changes).toMatchObject([{ kind: 'rename_enum_value', from: 'b', to: 'c' }])
    expect(diff(a, b).changes).toHaveLength(1)
  })
  it('renames an enum from a hint and follows the rename in column types and defaults', () => {
    const a = model({ enums: [{ kind: 'enum', schema: 'app', name: 'role', values: ['x'] }], tables: [table('app', 't', [col('r', 'app.role', { default: "'x'::app.role" })])] })
    const b = model({ enums: [{ kind: 'enum', schema: 'app', name: 'kind', values: ['x'], renamedFrom: 'role' }], tables: [table('app', 't', [col('r', 'app.kind', { default: "'x'::app.kind" })])] })
    expect(diff(a, b).changes).toEqual([{ kind: 'rename_enum', schema: 'app', from: 'role', to: 'kind' }])
  })
})

describe('diff: partitioning', () => {
  const parent = (key?: string) => table('app', 'ev', [col('d', 'date', { notNull: true })], key ? { partitionBy: { strategy: 'range', key } } : {})
  // a view over the table holds on to it: it cannot simply be dropped and created again
  const over = { kind: 'view' as const, schema: 'app', name: 'ev_v', materialized: false, definition: ' SELECT ev.d\n   FROM app.ev;', with: {}, indexes: [] }
  it('refuses a changed partition key with the object and the manual fix', () => {
    const [c] = diff(model({ tables: [parent('(d)')], views: [over] }), model({ tables: [parent('(d, d)')], views: [over] })).changes
    expect(c).toMatchObject({ kind: 'unsupported', object: 'app.ev', objectKind: 'table' })
    expect(c.kind === 'unsupported' && c.hint).toMatch(/INSERT … SELECT/)
  })
  it('refuses turning a plain table into a partitioned one', () => {
    const [c] = diff(model({ tables: [parent()], views: [over] }), model({ tables: [parent('(d)')], views: [over] })).changes
    expect(c.kind === 'unsupported' && c.message).toMatch(/plain table cannot become a partitioned one/)
  })
  it('drops and creates again a table nothing holds on to whose partitioning changes', () => {
    expect(kinds(diff(model({ tables: [parent()] }), model({ tables: [parent('(d)')] })).changes)).toEqual(['drop_table', 'create_table'])
  })
  it('attaches an existing table as a partition, and detaches it', () => {
    const child = table('app', 'ev_1', [col('d', 'date', { notNull: true })])
    const attached = { ...child, partitionOf: { parentSchema: 'app', parent: 'ev', bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')" } }
    expect(kinds(diff(model({ tables: [parent('(d)'), child] }), model({ tables: [parent('(d)'), attached] })).changes)).toEqual(['attach_partition'])
    expect(kinds(diff(model({ tables: [parent('(d)'), attached] }), model({ tables: [parent('(d)'), child] })).changes)).toEqual(['detach_partition'])
  })
})

describe('diff: constraints', () => {
  const fkTable = table('app', 'posts', [col('user_id', 'bigint')], {
    foreignKeys: [{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'app', refTable: 'users', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
  })
  it('drops and re-adds a foreign key whose referenced primary key is recreated', () => {
    const a = model({ tables: [users(), fkTable] })
    const b = model({ tables: [{ ...users(), primaryKey: { name: 'users_pkey', columns: ['id'], deferrable: true } }, fkTable] })
    expect(kinds(diff(a, b).changes)).toEqual(['drop_foreign_key', 'drop_primary_key', 'add_primary_key', 'add_foreign_key'])
  })
  it('a changed constraint is a drop + add', () => {
    const a = model({ tables: [{ ...users(), checks: [{ name: 'c', expression: '(id > 0)' }] }] })
    const b = model({ tables: [{ ...users(), checks: [{ name: 'c', expression: '(id > 1)' }] }] })
    expect(kinds(diff(a, b).changes)).toEqual(['drop_check', 'add_check'])
  })
  it('drops the foreign keys of a dropped table so that down can restore them', () => {
    expect(kinds(diff(model({ tables: [users(), fkTable] }), model({ tables: [users()] })).changes)).toEqual(['drop_foreign_key', 'drop_table'])
  })
})

describe('diff: policies', () => {
  const pol = (patch: object) => model({ tables: [{ ...users(), policies: [{ name: 'p', permissive: true, command: 'select' as const, roles: ['public'], using: '(id > 0)', ...patch }] }] })
  it('alters a policy when only roles, USING or WITH CHECK change', () => {
    expect(kinds(diff(pol({}), pol({ using: '(id > 1)', roles: ['app_user'] })).changes)).toEqual(['alter_policy'])
  })
  it('drops and recreates a policy whose command, kind or removed clause changes', () => {
    expect(kinds(diff(pol({}), pol({ command: 'update' })).changes)).toEqual(['drop_policy', 'create_policy'])
    expect(kinds(diff(pol({}), pol({ permissive: false })).changes)).toEqual(['drop_policy', 'create_policy'])
    expect(kinds(diff(pol({}), pol({ using: undefined, withCheck: '(id > 0)' })).changes)).toEqual(['drop_policy', 'create_policy'])
  })
})

describe('diff: views, functions, triggers', () => {
  const v = (name: string, definition: string, columns?: string[]): ViewDef => ({
    kind: 'view', schema: 'app', name, materialized: false, definition, with: {}, indexes: [], ...(columns ? { columns } : {}),
  })
  it('replaces a view whose old columns are a prefix of the new ones, else drops and creates it', () => {
    const a = model({ tables: [users()], views: [v('names', 'SELECT id FROM app.users', ['id'])] })
    const b = model({ tables: [users()], views: [v('names', 'SELECT id, name FROM app.users', ['id', 'name'])] })
    const c = model({ tables: [users()], views: [v('names', 'SELECT name FROM app.users', ['name'])] })
    expect(kinds(diff(a, b).changes)).toEqual(['replace_view'])
    expect(kinds(diff(a, c).changes)).toEqual(['drop_view', 'create_view'])
  })
  it('recreates the views that read a recreated view, dependents dropped first and created last', () => {
    const base = v('base', 'SELECT id, name FROM app.users')
    const top = v('top', 'SELECT id FROM app.base')
    const a = model({ tables: [users()], views: [base, top] })
    const b = model({ tables: [users()], views: [{ ...base, definition: 'SELECT id FROM app.users' }, top] })
    const r = diff(a, b).changes
    expect(r.map((c) => (c.kind === 'drop_view' || c.kind === 'create_view' ? `${c.kind} ${c.view.name}${c.dependent ? ' (dependent)' : ''}` : c.kind))).toEqual([
      'drop_view top (dependent)',
      'drop_view base',
      'create_view base',
      'create_view top (dependent)',
    ])
  })
  it('recreates a view that uses a column whose type changes', () => {
    const a = model({ tables: [users()], views: [v('names', 'SELECT name FROM app.users')] })
    const b = model({ tables: [users([col('id', 'bigint', { notNull: true }), col('name', 'character varying(10)')])], views: [v('names', 'SELECT name FROM app.users')] })
    expect(kinds(diff(a, b).changes)).toEqual(['alter_column_type', 'drop_view', 'create_view'])
  })
  const fn = (returns: string, body = 'SELECT 1'): FunctionDef => ({
    kind: 'function', schema: 'app', name: 'f', args: '', isProcedure: false,
    definition: `CREATE OR REPLACE FUNCTION app.f()\n RETURNS ${returns}\n LANGUAGE sql\nAS $function$${body}$function$`,
  })
  it('replaces a function with the same return type, drops + creates it otherwise (with its triggers)', () => {
    expect(kinds(diff(model({ functions: [fn('integer')] }), model({ functions: [fn('integer', 'SELECT 2')] })).changes)).toEqual(['replace_function'])
    const trig = { kind: 'trigger' as const, schema: 'app', table: 'users', name: 'tr', definition: 'CREATE TRIGGER tr AFTER INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION app.f()' }
    const a = model({ tables: [users()], functions: [fn('integer')], triggers: [trig] })
    const b = model({ tables: [users()], functions: [fn('trigger')], triggers: [trig] })
    expect(kinds(diff(a, b).changes)).toEqual(['drop_function', 'create_function', 'drop_trigger', 'create_trigger'])
  })
})

describe('diff: roles and grants', () => {
  const g = (privileges: string[], patch: Partial<GrantDef> = {}): GrantDef => ({
    kind: 'grant', on: 'table', schema: 'app', name: 'users', role: 'reader', privileges, withGrantOption: false, ...patch,
  })
  it('grants and revokes only the privileges that differ', () => {
    const a = model({ tables: [users()], grants: [g(['SELECT', 'UPDATE'])] })
    const b = model({ tables: [users()], grants: [g(['INSERT', 'SELECT'])] })
    expect(diff(a, b).changes).toEqual([
      { kind: 'revoke', grant: g(['UPDATE']) },
      { kind: 'grant', grant: g(['INSERT']) },
    ])
  })
  it('does not revoke privileges on a dropped table', () => {
    expect(kinds(diff(model({ tables: [users()], grants: [g(['SELECT'])] }), model({})).changes)).toEqual(['drop_schema', 'drop_table'])
  })
  it('creates, alters and drops roles', () => {
    const r = (name: string, login: boolean) => ({ kind: 'role' as const, name, login, inherit: true, bypassRls: false, memberOf: [] })
    expect(kinds(diff(model({ roles: [r('a', false), r('b', false)] }), model({ roles: [r('a', true), r('c', false)] })).changes)).toEqual([
      'alter_role',
      'create_role',
      'drop_role',
    ])
  })
})

describe('diff: sequences and storage', () => {
  const seq = (patch: object = {}) => ({
    kind: 'sequence' as const, schema: 'app', name: 's', type: 'bigint', start: '1', increment: '1', min: '1', max: '9223372036854775807', cache: '1', cycle: false, ...patch,
  })
  it('alters a sequence and does not drop one owned by a dropped column', () => {
    expect(kinds(diff(model({ sequences: [seq()] }), model({ sequences: [seq({ increment: '2' })] })).changes)).toEqual(['alter_sequence'])
    const owned = seq({ ownedBy: { table: 'users', column: 'n' } })
    const a = model({ tables: [users([col('id', 'bigint', { notNull: true }), col('name', 'text'), col('n', 'bigint')])], sequences: [owned] })
    expect(kinds(diff(a, model({ tables: [users()] })).changes)).toEqual(['drop_column'])
  })
  it('reports storage parameter changes', () => {
    const a = model({ tables: [{ ...users(), with: { fillfactor: '90' } }] })
    const b = model({ tables: [users()] })
    expect(diff(a, b).changes).toEqual([{ kind: 'alter_storage', table: { schema: 'app', name: 'users' }, from: { fillfactor: '90' }, to: {} }])
  })
})

describe('diff: several look-alike pairs', () => {
  it('asks each pair once and never reuses a renamed column', () => {
    const a = model({ tables: [table('app', 't', [col('a', 'text'), col('b', 'text')])] })
    const b = model({ tables: [table('app', 't', [col('x', 'text'), col('y', 'text')])] })
    const asked: string[] = []
    const r = diff(a, b, {
      resolveRenames: (c) => {
        asked.push(`${c.from}->${c.to}`)
        return c.from === 'a' && c.to === 'x' ? 'rename' : c.from === 'b' && c.to === 'y' ? 'rename' : 'no'
      },
    })
    expect(asked).toEqual(['a->x', 'b->y'])
    expect(r.changes.map((c) => (c.kind === 'rename_column' ? `${c.from}->${c.to}` : c.kind))).toEqual(['a->x', 'b->y'])
    expect(diff(a, b).candidates.map((c) => `${c.from}->${c.to}`)).toEqual(['a->x', 'b->x', 'a->y', 'b->y'])
  })
})
