/**
 * Expression text written so that PostgreSQL prints it back the same: the implicit array coercion
 * of `IN (…)` over varchar is left for the operator to redo (pure), and the catalog text on the
 * embedded engine is the same after one more application.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../../src/db/database.js'
import { openPglite } from '../../../src/db/pglite.js'
import { checkClause } from '../../../src/sqlgen/ddl.js'
import { stableExpression } from '../../../src/sqlgen/expression-text.js'

const IN_VARCHAR = "((status)::text = ANY ((ARRAY['pending'::character varying, 'shipped'::character varying])::text[]))"

describe('stableExpression', () => {
  it('drops the cast of an ARRAY[] operand of ANY/ALL, wherever it sits', () => {
    expect(stableExpression(IN_VARCHAR)).toBe("((status)::text = ANY (ARRAY['pending'::character varying, 'shipped'::character varying]))")
    expect(stableExpression("((a)::text <> ALL ((ARRAY['x'::character varying])::text[])) AND ((b)::text = ANY ((ARRAY['y'::character varying])::\"my type\"[]))")).toBe(
      "((a)::text <> ALL (ARRAY['x'::character varying])) AND ((b)::text = ANY (ARRAY['y'::character varying]))",
    )
    expect(checkClause({ name: 'c', expression: IN_VARCHAR })).toBe(
      "CONSTRAINT c CHECK (((status)::text = ANY (ARRAY['pending'::character varying, 'shipped'::character varying])))",
    )
  })

  it('leaves every other text as it is: literals that look like the shape, other casts, comments', () => {
    for (const text of [
      "((status)::text = ANY (ARRAY['a'::text, 'b'::text]))",
      "((status)::text = ANY ('{a,b}'::text[]))",
      "(note = 'ANY ((ARRAY[''x''])::text[])')",
      "(array_length((ARRAY[1, 2])::bigint[], 1) > 0)",
      "(x = ANY ((ARRAY[1])::int[])) -- (",
      "(x = ANY ((ARRAY[1])::int[] || ARRAY[2]))",
    ]) {
      expect(stableExpression(text), text).toBe(text)
    }
  })
})

describe('CHECK text on the embedded engine', () => {
  let db: Database
  beforeAll(async () => {
    db = await openPglite()
  })
  afterAll(async () => {
    await db?.close()
  })

  it('reads back as the catalog text it was rendered from', async () => {
    await db.exec(`CREATE TABLE o (status varchar(10), c char(2));
      ALTER TABLE o ADD CONSTRAINT a CHECK (status IN ('pending', 'shipped'));
      ALTER TABLE o ADD CONSTRAINT b CHECK (status NOT IN ('x', 'y') AND c IN ('ab', 'cd'))`)
    const defs = async () =>
      db.query<{ name: string; expr: string }>(
        `SELECT conname AS name, pg_get_expr(conbin, conrelid) AS expr FROM pg_constraint WHERE conrelid = 'o'::regclass ORDER BY 1`,
      )
    const before = await defs()
    expect(before[0]!.expr).toBe(IN_VARCHAR)
    for (const { name, expr } of before) {
      await db.exec(`ALTER TABLE o DROP CONSTRAINT ${name}; ALTER TABLE o ADD ${checkClause({ name, expression: expr })}`)
    }
    expect(await defs()).toEqual(before)
  })
})
