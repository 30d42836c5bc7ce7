/** loadProject: imports schema/index.ts through tsx, and reports missing files, TypeScript errors and bad definitions. */
import { afterAll, describe, expect, it } from 'vitest'
import { loadProject } from '../../../src/load/load-project.js'
import { readExports } from '../../../src/load/export-names.js'
import type { CairnError } from '../../../src/errors.js'
import { writeProject } from '../../helpers/schema-project.js'

const cleanup: (() => void)[] = []
afterAll(() => cleanup.forEach((f) => f()))
const project = (files: Record<string, string>) => {
  const p = writeProject(files)
  cleanup.push(p.remove)
  return p.root
}
const failure = async (root: string): Promise<CairnError> => {
  try {
    await loadProject({ root })
  } catch (e) {
    return e as CairnError
  }
  throw new Error('expected loadProject to fail')
}

describe('loadProject', () => {
  it('loads tables from modules re-exported by schema/index.ts, including namespaces', async () => {
    const root = project({
      'schema/index.ts': `export * from './billing.js'\nexport * as more from './more.js'\n`,
      'schema/billing.ts': `import { pgSchema, uuid, integer } from 'CAIRN'\nexport const billing = pgSchema('billing')\nexport const invoices = billing.table('invoices', { id: uuid().primaryKey(), n: integer().notNull() })\n`,
      'schema/more.ts': `import { table, uuid } from 'CAIRN'\nimport { invoices } from './billing.js'\nexport const notes = { inner: table('notes', { id: uuid().primaryKey(), invoice: uuid().references(() => invoices.id) }) }\n`,
    })
    const { model, issues } = await loadProject({ root })
    expect(issues).toEqual([])
    expect(model.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['billing.invoices', 'public.notes'])
    expect(model.schemas).toEqual([{ kind: 'schema', name: 'billing' }])
  })

  it('schema_not_found: no schema/index.ts', async () => {
    const e = await failure(project({ 'README.md': 'empty' }))
    expect(e.code).toBe('schema_not_found')
    expect(e.exitCode).toBe(2)
    expect(e.file).toBe('schema/index.ts')
    expect(e.hint).toMatch(/--project/)
  })

  it('schema_load_failed: a TypeScript syntax error names the file and line', async () => {
    const e = await failure(project({
      'schema/index.ts': `export * from './users.js'\n`,
      'schema/users.ts': `import { table, uuid } from 'CAIRN'\n\nexport const users = table('users', { id: uuid( })\n`,
    }))
    expect(e.code).toBe('schema_load_failed')
    expect(e.exitCode).toBe(2)
    expect(e.file).toBe('schema/users.ts:3')
    expect(e.message).toMatch(/^cannot load the schema definitions: /)
  })

  it('schema_load_failed: an exception thrown while the definitions run', async () => {
    const e = await failure(project({
      'schema/index.ts': `import { table } from 'CAIRN'\nexport const t = table('t', { id: 42 as never })\n`,
    }))
    expect(e.code).toBe('schema_load_failed')
    expect(e.message).toMatch(/public\.t\.id is not a column builder/)
    expect(e.file).toBe('schema/index.ts:2')
  })

  it('invalid_schema: every issue points at the file and line of the definition', async () => {
    const e = await failure(project({
      'schema/index.ts': `export * from './users.js'\n`,
      'schema/users.ts': [
        `import { table, uuid, varchar, integer } from 'CAIRN'`,
        `const hidden = table('hidden', { id: uuid().primaryKey() })`,
        `export const users = table('users', {`,
        `  id: uuid().primaryKey(),`,
        `  name: varchar(0),`,
        `  other: integer().references(() => hidden.id),`,
        `})`,
        ``,
      ].join('\n'),
    }))
    expect(e.code).toBe('invalid_schema')
    expect(e.exitCode).toBe(2)
    expect(e.issues.map((i) => [i.code, i.file, i.object])).toEqual([
      ['invalid_type', 'schema/users.ts:5', 'public.users.name'],
      ['fk_unknown_table', 'schema/users.ts:6', 'public.users.users_other_fkey'],
    ])
  })

  it('collectIssues returns the issues instead of throwing', async () => {
    const root = project({ 'schema/index.ts': `import { table, varchar } from 'CAIRN'\nexport const t = table('t', { v: varchar(0) })\n` })
    const { issues } = await loadProject({ root, collectIssues: true })
    expect(issues.map((i) => i.code)).toEqual(['invalid_type'])
  })

  const tableModule = (sqlName: string) => `import { table, uuid } from 'CAIRN'\n\nexport const users = table('${sqlName}', { id: uuid().primaryKey() })\n`

  it('duplicate_export: two modules re-exported with export * both export users (ES modules export neither)', async () => {
    const e = await failure(project({
      'schema/index.ts': `export * from './a.js'\nexport * from './nested.js'\n`,
      'schema/a.ts': tableModule('users'),
      // one level deeper is still ambiguous
      'schema/nested.ts': `export * from './b.js'\n`,
      'schema/b.ts': tableModule('people'),
    }))
    expect(e.code).toBe('invalid_schema')
    expect(e.issues).toEqual([{
      code: 'duplicate_export',
      message: 'users is exported by 2 modules, schema/a.ts:3 and schema/b.ts:3: schema/index.ts re-exports both with `export *` (schema/index.ts:1, schema/index.ts:2), so the name is ambiguous and neither is exported',
      hint: "rename one of them, or re-export one module under a namespace (export * as billing from './billing.js')",
      file: 'schema/a.ts:3',
      object: 'users',
    }])
  })

  it("duplicate_export: a module's own export hides the one its export * brings", async () => {
    const e = await failure(project({
      'schema/index.ts': `import { table, uuid } from 'CAIRN'\nexport * from './a.js'\n\nexport const users = table('people', { id: uuid().primaryKey() })\n`,
      'schema/a.ts': tableModule('users'),
    }))
    expect(e.issues.map((i) => [i.code, i.file, i.message])).toEqual([[
      'duplicate_export', 'schema/index.ts:4',
      "users is exported by 2 modules, schema/index.ts:4 and schema/a.ts:3: schema/index.ts exports users itself, which hides the one its `export * from './a.js'` (schema/index.ts:2) brings",
    ]])
  })

  it('duplicate_export: in views/ as in schema/', async () => {
    const view = (name: string) => `import { view, sql } from 'CAIRN'\nexport const counts = view('public', '${name}', { sql: sql\`SELECT 1 AS n\` })\n`
    const e = await failure(project({
      'schema/index.ts': `import { table, uuid } from 'CAIRN'\nexport const t = table('t', { id: uuid().primaryKey() })\n`,
      'views/index.ts': `export * from './a.js'\nexport * from './b.js'\n`,
      'views/a.ts': view('counts_a'),
      'views/b.ts': view('counts_b'),
    }))
    expect([e.code, e.message, e.issues.map((i) => [i.code, i.object, i.file])]).toEqual(['invalid_schema', expect.anything(), [['duplicate_export', 'counts', 'views/a.ts:2']]])
  })

  it('readExports: runtime exports with their lines, past comments, strings, templates and regular expressions', () => {
    const m = readExports([
      `export const enum Mood { Ok }`, 'export async function* gen() {}', 'export abstract class Base {}', `export declare const ambient: number`,
      "export const re = /export const hidden = '`/", 'export const t = `${`export const nested = 1`}` // export const c = 1',
      `export { re as again, type Mood as M } from './x.js'`, `export * as ns from "./ns.js"`, `export * from './all.js'`,
      `export default 1`, `if (true) { export const inner = 1 }`, '',
    ].join('\n'))
    expect([...m.local].map(([name, e]) => [name, e.line, e.from?.spec])).toEqual([
      ['Mood', 1, undefined], ['gen', 2, undefined], ['Base', 3, undefined], ['re', 5, undefined], ['t', 6, undefined],
      ['again', 7, './x.js'], ['ns', 8, './ns.js'],
    ])
    expect(m.stars).toEqual([{ spec: './all.js', line: 9 }])
  })

  it('one binding reached two ways, namespaces, types, comments and strings are no collision', async () => {
    const root = project({
      'schema/index.ts': [
        `export * from './a.js'`, `export * from './again.js'`, `export { users } from './a.js'`, `export * as other from './b.js'`,
        `export * from './types.js'`, `// export const users = 1`, `/* export * from './b.js' */`, '',
      ].join('\n'),
      'schema/a.ts': tableModule('users'),
      'schema/again.ts': `export * from './a.js'\n`,
      'schema/b.ts': tableModule('people'),
      'schema/types.ts': [
        `import { sql } from 'CAIRN'`, `export type users = { id: string }`, `export interface Users { id: string }`,
        "export const note = sql`export const users = ${'{'}1}`", `export const quote = 'export const users = 2'`, '',
      ].join('\n'),
    })
    const { model, issues } = await loadProject({ root })
    expect(issues).toEqual([])
    expect(model.tables.map((t) => t.name)).toEqual(['people', 'users'])
  })
})
