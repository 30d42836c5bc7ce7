/**
 * cairn lint over cairn's own output: the checked-in migrations/ and every migration the scenario
 * suite generates must carry no error-severity finding (hazards the plan accepts are declared in
 * the header and come out as warnings).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lint } from '../../src/lint/index.js'
import type { Finding } from '../../src/lint/index.js'
import { renderMigration } from '../../src/plan/render-migration.js'
import { planOf } from '../helpers/expect-migration.js'
import { scenarios } from '../scenarios/cases.js'

const show = (f: Finding) => `${f.file}:${f.line} ${f.code} ${f.message}`

describe('cairn lint on generated migrations', () => {
  it('finds no error in the checked-in migrations/ (linted as one run, each migration as already applied before the next)', async () => {
    const root = join(process.cwd(), 'migrations')
    const files = readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'up.sql')))
      .map((d) => d.name)
      .sort()
      .map((name) => ({ path: `migrations/${name}/up.sql`, sql: readFileSync(join(root, name, 'up.sql'), 'utf8'), kind: 'cairn' as const }))
    expect(files.length).toBeGreaterThan(0)
    const r = await lint(files)
    expect(r.parseErrors).toBe(0)
    expect(r.findings.filter((f) => f.severity === 'error').map(show)).toEqual([])
    // as `migrate up` on an empty database lints them: all pending, each creating what the next uses
    const fresh = await lint(files.map((f) => ({ ...f, pending: true })))
    expect(fresh.findings.filter((f) => f.severity === 'error').map(show)).toEqual([])
  })

  it('finds no error in any scenario migration', async () => {
    const problems: string[] = []
    let linted = 0
    for (const s of scenarios('pglite')) {
      const rendered = renderMigration(planOf(s.before, s.after, s.options?.policy), { name: s.name })
      if (!rendered.up) continue
      linted++
      const r = await lint([{ path: `${s.name}/up.sql`, sql: rendered.up, kind: 'cairn' }])
      if (r.parseErrors) problems.push(`${s.name}: does not parse: ${JSON.stringify(r.files[0].parseError)}`)
      for (const f of r.findings) {
        if (f.severity === 'error') problems.push(show(f))
      }
    }
    expect(linted).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })
})
