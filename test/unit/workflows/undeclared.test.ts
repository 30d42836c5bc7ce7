/** generate keeps what the definitions cannot declare as the history made it. */
import { describe, expect, it } from 'vitest'
import { diff } from '../../../src/diff/diff.js'
import { withUndeclaredFrom } from '../../../src/workflows/undeclared.js'
import { col, model, table } from '../plan/build.js'

describe('withUndeclaredFrom', () => {
  it('takes default privileges, collations, exclusions, unlogged, constraint comments and storage, trigger states from the history', () => {
    const t = (extra = {}) => table('app', 't', [col('id', 'integer', { notNull: true })], { primaryKey: { name: 't_pkey', columns: ['id'] }, ...extra })
    const trig = { kind: 'trigger' as const, schema: 'app', table: 't', name: 'tr', definition: 'CREATE TRIGGER tr …' }
    const current = model({
      tables: [t({
        unlogged: true,
        primaryKey: { name: 't_pkey', columns: ['id'], comment: 'pk', with: { fillfactor: '70' } },
        exclusions: [{ name: 't_id_excl', definition: 'EXCLUDE USING btree (id WITH =)' }],
      })],
      triggers: [{ ...trig, enabled: 'disabled' }],
      defaultPrivileges: [{ kind: 'default_privilege', role: 'o', schema: 'app', on: 'tables', grantee: 'public', privileges: ['SELECT'], withGrantOption: false }],
      collations: [{ kind: 'collation', schema: 'app', name: 'c', provider: 'libc', lcCollate: 'C', lcCtype: 'C', deterministic: true }],
    })
    const desired = model({ tables: [t()], triggers: [trig] })
    expect(diff(current, withUndeclaredFrom(current, desired)).changes).toEqual([])
    // what the definitions can declare is theirs: a dropped trigger stays dropped
    expect(diff(current, withUndeclaredFrom(current, model({ tables: [t()] }))).changes.map((c) => c.kind)).toEqual(['drop_trigger'])
  })
})
