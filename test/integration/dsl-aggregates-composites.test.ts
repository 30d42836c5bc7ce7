/**
 * Aggregates and composite types in the DSL: the model the loader builds is the one inspect reads
 * back from the statements cairn renders for it (on PGlite), and bad options are issues with the
 * definition's file:line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import * as d from '../../src/dsl/index.js'
import { resetScratchDatabase } from '../../src/inspect/canonicalize.js'
import { inspect } from '../../src/inspect/inspect.js'
import { collectModel } from '../../src/load/build-model.js'
import { loadSqlFragmentParser } from '../../src/load/sql-fragments.js'
import type { Model } from '../../src/model/types.js'
import { createAggregate, createCompositeType, createEventTrigger, createEnum, createFunction, createSchema, commentOn } from '../../src/sqlgen/ddl.js'
import { aggregateSignature } from '../../src/sqlgen/ddl.js'
import { ident, qname } from '../../src/sqlgen/quote.js'
import { pullDatabase } from '../../src/pull/index.js'
import path from 'node:path'

const DSL = path.resolve(__dirname, '../../src/dsl/index.js')

function definitions() {
  const app = d.pgSchema('app')
  const mood = app.enum('mood', ['happy', 'sad'])
  const step = d.fn(app, 'concat_step', {
    args: ['text', 'text'],
    returns: 'text',
    language: 'sql',
    volatility: 'immutable',
    body: `SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ',' || $2 END`,
  })
  const add = d.fn(app, 'num_add', { args: ['numeric', 'numeric'], returns: 'numeric', language: 'sql', volatility: 'immutable', parallel: 'safe', body: 'SELECT $1 + $2' })
  const sub = d.fn(app, 'num_sub', { args: ['numeric', 'numeric'], returns: 'numeric', language: 'sql', volatility: 'immutable', parallel: 'safe', body: 'SELECT $1 - $2' })
  const first = d.fn(app, 'first_of', { args: ['numeric[]'], returns: 'numeric', language: 'sql', volatility: 'immutable', body: 'SELECT $1[1]' })
  const groupConcat = d.aggregate(app, 'group_concat', { args: [d.text()], sfunc: step, stype: d.text(), comment: 'joins with commas' })
  const empty = d.aggregate(app, 'str_concat', { args: ['text'], sfunc: step, stype: 'text', initcond: '' })
  const mySum = d.aggregate(app, 'my_sum', {
    args: [d.numeric(10, 2)],
    sfunc: add,
    stype: 'numeric',
    combinefunc: add,
    initcond: '0',
    msfunc: add,
    minvfunc: sub,
    mstype: d.numeric(),
    minitcond: '0',
    parallel: 'safe',
  })
  const collect = d.aggregate(app, 'collect_first', { args: ['numeric'], sfunc: 'array_append', stype: 'numeric[]', finalfunc: first, initcond: '{}' })
  const builtin = d.aggregate(app, 'my_max', { args: [d.integer()], sfunc: 'pg_catalog.int4larger', stype: d.integer(), combinefunc: 'int4larger', sortop: '>' })
  const address = d.compositeType(app, 'address', { street: d.text().comment('the street'), zip: d.varchar(10), code: d.text().collate('C') }, { comment: 'postal' })
  const tagged = d.compositeType(app, 'tagged', { id: d.integer(), mood: mood(), tags: d.text().array(), home: address() })
  const onDdl = d.fn(app, 'on_ddl', { returns: 'event_trigger', body: ' BEGIN END ' })
  const ddlLog = d.eventTrigger('cairn_dsl_ddl_log', { event: 'ddl_command_end', tags: ['create table', 'ALTER  TABLE'], function: onDdl, enabled: 'disabled', comment: 'logs DDL' })
  return { app, mood, groupConcat, empty, mySum, collect, builtin, address, tagged, ddlLog }
}

/** The statements for what the tests load: schema, enum, functions, composite types, aggregates, comments. */
function statements(m: Model): string[] {
  const out: string[] = []
  for (const s of m.schemas) out.push(createSchema(s))
  for (const e of m.enums) out.push(createEnum(e))
  for (const f of m.functions) out.push(createFunction(f))
  for (const t of m.composites ?? []) {
    out.push(createCompositeType(t))
    if (t.comment !== undefined) out.push(commentOn(`TYPE ${qname(t.schema, t.name)}`, t.comment))
    for (const a of t.attributes) if (a.comment !== undefined) out.push(commentOn(`COLUMN ${qname(t.schema, t.name)}.${ident(a.name)}`, a.comment))
  }
  for (const e of m.eventTriggers ?? []) {
    out.push(createEventTrigger(e), `ALTER EVENT TRIGGER ${e.name} DISABLE`)
    if (e.comment !== undefined) out.push(commentOn(`EVENT TRIGGER ${e.name}`, e.comment))
  }
  for (const a of m.aggregates ?? []) {
    out.push(createAggregate(a))
    if (a.comment !== undefined) out.push(commentOn(`AGGREGATE ${aggregateSignature(a)}`, a.comment))
  }
  return out
}

let db: Database
beforeAll(async () => {
  await loadSqlFragmentParser()
  db = await openPglite()
}, 60_000)
afterAll(async () => {
  await db?.close()
})

describe('aggregates and composite types in the DSL', () => {
  it('build the model inspect reads back from the rendered statements', async () => {
    const { model, issues } = collectModel(definitions())
    expect(issues).toEqual([])
    expect(model.aggregates?.map((a) => `${a.schema}.${a.name}(${a.args})`)).toEqual([
      'app.collect_first(numeric)', 'app.group_concat(text)', 'app.my_max(integer)', 'app.my_sum(numeric)', 'app.str_concat(text)',
    ])
    expect(model.aggregates?.find((a) => a.name === 'str_concat')?.initcond).toBe('')
    expect(model.composites?.map((t) => t.name)).toEqual(['address', 'tagged'])
    expect(createAggregate(model.aggregates!.find((a) => a.name === 'my_sum')!)).toBe(
      'CREATE AGGREGATE app.my_sum(numeric) (\n  SFUNC = app.num_add,\n  STYPE = numeric,\n  COMBINEFUNC = app.num_add,\n  INITCOND = \'0\',\n' +
        '  MSFUNC = app.num_add,\n  MINVFUNC = app.num_sub,\n  MSTYPE = numeric,\n  MINITCOND = \'0\',\n  PARALLEL = SAFE\n)',
    )
    await resetScratchDatabase(db)
    await db.transaction(async (tx) => {
      for (const s of statements(model)) await tx.exec(s)
    })
    const back = await inspect(db)
    expect(back.aggregates).toEqual(model.aggregates)
    expect(back.composites).toEqual(model.composites)
    expect(model.eventTriggers).toEqual([{ kind: 'event_trigger', name: 'cairn_dsl_ddl_log', event: 'ddl_command_end', tags: ['ALTER TABLE', 'CREATE TABLE'], function: 'app.on_ddl', enabled: 'disabled', comment: 'logs DDL' }])
    expect(back.eventTriggers).toEqual(model.eventTriggers)
    expect(back.functions.map((f) => f.name)).toEqual(model.functions.map((f) => f.name))

    // pull writes them so that the definitions load back as the same model
    const pulled = await pullDatabase(db, { dslImport: DSL })
    expect(pulled.warnings.filter((w) => w.code !== 'unmodelled').map((w) => w.message)).toEqual([])
    expect(pulled.check.differences).toEqual([])
    const app = pulled.files.find((f) => f.path === 'app.ts')!.text
    for (const s of [
      "export const group_concat = aggregate(app, 'group_concat', { args: ['text'], sfunc: concat_step, stype: 'text', comment: 'joins with commas' })",
      "export const my_max = aggregate(app, 'my_max', { args: ['integer'], sfunc: 'int4larger', stype: 'integer', combinefunc: 'int4larger', sortop: '>' })",
      "initcond: ''",
      "export const address = compositeType(app, 'address', { street: text().comment('the street'), zip: varchar(10), code: text().collate('C') }, { comment: 'postal' })",
      "mood: mood(),",
      "export const cairn_dsl_ddl_log = eventTrigger('cairn_dsl_ddl_log', {", "tags: ['ALTER TABLE', 'CREATE TABLE'],", 'function: on_ddl,', "enabled: 'disabled',",
    ]) expect(app).toContain(s)
  })

  it('reports bad names, types and attribute options with the file and line', () => {
    const app = d.pgSchema('app')
    const bad = d.aggregate(app, 'bad', { args: ['text); DROP TABLE x; --'], sfunc: 'app.step; DROP', stype: 'text', sortop: 'DROP' })
    const alsoBad = d.compositeType(app, 'pair', { a: d.integer().notNull(), b: d.customType('text) --') })
    const { issues } = collectModel({ app, bad, alsoBad })
    const codes = issues.map((i) => `${i.code} ${i.object}`)
    expect(codes).toContain('invalid_sql app.bad(text); DROP TABLE x; --)')
    const messages = issues.filter((i) => i.object?.startsWith('app.bad')).map((i) => i.message).join('\n')
    expect(messages).toMatch(/the sfunc of aggregate app\.bad: "app\.step; DROP" is not a function name/)
    expect(messages).toMatch(/the sortop of aggregate app\.bad: "DROP" is not an operator/)
    expect(messages).toMatch(/the type of argument 1 of aggregate app\.bad: closes a "\)"/)
    expect(codes).toContain('invalid_type app.pair')
    expect(codes).toContain('invalid_sql app.pair')
    for (const i of issues) expect(i.file).toMatch(/dsl-aggregates-composites\.test\.ts:\d+$/)
  })

  it('refuses a composite type named like a table', () => {
    const app = d.pgSchema('app')
    const t = app.table('things', { id: d.integer() })
    const c = d.compositeType(app, 'things', { id: d.integer() })
    const { issues } = collectModel({ app, t, c })
    expect(issues.map((i) => i.code)).toEqual(['duplicate_type'])
  })
})
