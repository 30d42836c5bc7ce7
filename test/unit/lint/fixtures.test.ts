/**
 * Every rule has a bad and a good fixture under test/fixtures/lint/<CODE-name>/ (plain SQL, also
 * fed to squawk by bench/lint-vs-squawk.ts). Each is linted after test/fixtures/lint/schema.sql, an
 * applied migration that creates the tables the fixtures touch: bad.sql must report exactly its
 * rule (PGK104 also reports the rewrite, CL108), good.sql nothing at all.
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { lint, RULES } from '../../../src/lint/index.js'
import type { LintFileInput, LintResult } from '../../../src/lint/index.js'

const ROOT = path.resolve(__dirname, '../../fixtures/lint')
const schema: LintFileInput = { path: 'schema.sql', sql: readFileSync(path.join(ROOT, 'schema.sql'), 'utf8') }
const dirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()

/** Codes a bad fixture reports besides its own. */
const ALSO: Record<string, string[]> = { PGK104: ['CL108'] }

async function lintFixture(dir: string, kind: 'bad' | 'good'): Promise<LintResult> {
  const p = `${dir}/${kind}.sql`
  return lint([schema, { path: p, sql: readFileSync(path.join(ROOT, p), 'utf8') }])
}

const live = (r: LintResult) => r.findings.filter((f) => !f.suppressed)

describe('lint fixtures', () => {
  beforeAll(async () => {
    await lint([])
  })

  it('has a fixture folder for every rule, named after it', () => {
    expect(dirs).toEqual(RULES.map((r) => `${r.code}-${r.name}`).sort())
  })

  it('schema.sql itself is clean', async () => {
    expect((await lint([schema])).findings).toEqual([])
  })

  for (const dir of dirs) {
    const code = dir.split('-')[0]
    it(`${dir}: bad.sql reports ${code}`, async () => {
      const r = await lintFixture(dir, 'bad')
      expect(r.parseErrors).toBe(0)
      expect([...new Set(live(r).map((f) => f.code))].sort()).toEqual([code, ...(ALSO[code] ?? [])].sort())
      const rule = RULES.find((x) => x.code === code)
      expect(live(r).filter((f) => f.code === code).every((f) => f.fix === rule?.fix && f.rule === rule?.name)).toBe(true)
    })
    it(`${dir}: good.sql reports nothing`, async () => {
      const r = await lintFixture(dir, 'good')
      expect(r.parseErrors).toBe(0)
      expect(live(r).map((f) => `${f.line}: ${f.code} ${f.message}`)).toEqual([])
    })
  }
})
