import { beforeAll, describe, expect, it } from 'vitest'
import { loadModule } from 'libpg-query'
import { classify } from '../../../src/migrate/data-loss.js'

beforeAll(() => loadModule())

const losses = (sql: string) => classify(sql).losses.map((l) => `${l.kind} ${l.object}`)

describe('the statements of a down.sql that destroy data', () => {
  it('finds drops, TRUNCATE and DELETE (also in a data-modifying CTE)', () => {
    expect(losses('DROP TABLE public.users, posts CASCADE')).toEqual(['drop_table public.users', 'drop_table posts'])
    expect(losses('DROP TABLE IF EXISTS app.t')).toEqual(['drop_table app.t'])
    expect(losses('ALTER TABLE ONLY app.t DROP COLUMN email, DROP COLUMN IF EXISTS x')).toEqual(['drop_column app.t.email', 'drop_column app.t.x'])
    expect(losses('DROP SCHEMA a, b CASCADE')).toEqual(['drop_schema a', 'drop_schema b'])
    expect(losses('DROP TYPE app.mood; DROP DOMAIN d')).toEqual(['drop_type app.mood', 'drop_type d'])
    expect(losses('DROP SEQUENCE s; DROP EXTENSION citext; DROP DATABASE x')).toEqual(['drop_sequence s', 'drop_extension citext', 'drop_database x'])
    expect(losses('TRUNCATE a, b.c RESTART IDENTITY')).toEqual(['truncate a', 'truncate b.c'])
    expect(losses('DELETE FROM app.users WHERE id = 1')).toEqual(['delete app.users'])
    expect(losses('WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone')).toEqual(['delete t'])
  })

  it('leaves alone what keeps the data', () => {
    expect(
      losses(
        'DROP INDEX CONCURRENTLY i; DROP VIEW v; DROP MATERIALIZED VIEW m; DROP FUNCTION f(); DROP TRIGGER tr ON t; ' +
          'ALTER TABLE t DROP CONSTRAINT c; ALTER TABLE t RENAME TO u; UPDATE t SET a = 1; CREATE TABLE x (id int); ' +
          'CREATE FUNCTION g() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END',
      ),
    ).toEqual([])
  })

  it('reads the new type of ALTER COLUMN TYPE in format_type() spelling, to judge against the live column', () => {
    expect(
      classify(
        'ALTER TABLE app.t ALTER COLUMN a TYPE varchar(20)[] USING a::text, ALTER b SET DATA TYPE int4, ALTER COLUMN c TYPE timestamp(3) with time zone, ' +
          'ALTER COLUMN d TYPE numeric(10, 0), ALTER COLUMN e TYPE "My Type", ALTER COLUMN f TYPE text, ALTER COLUMN g TYPE char',
      ).typeChanges.map((x) => `${x.schema}.${x.table}.${x.column} ${x.type}`),
    ).toEqual([
      'app.t.a character varying(20)[]',
      'app.t.b integer',
      'app.t.c timestamp(3) with time zone',
      'app.t.d numeric(10,0)',
      'app.t.e "My Type"',
      'app.t.f text',
      'app.t.g character(1)',
    ])
  })
})
