/**
 * Lints every scenario's up.sql with squawk (with --assume-in-transaction when the migration runs in
 * one transaction). A rule may fire only where the plan itself flags the statement with a matching
 * hazard, or when it is one of the rules judged not to apply to cairn's migrations (listed below
 * with the reason, and in the README). Skipped, saying so, when squawk is not installed: set
 * SQUAWK_BIN or `npm i -D squawk-cli`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HazardCode } from '../../src/plan/hazards.js'
import { NO_TRANSACTION, renderMigration, splitMigration } from '../../src/plan/render-migration.js'
import { GENERATED_DIR, planOf } from '../helpers/expect-migration.js'
import { scenarios } from './cases.js'
import { orSkipped } from '../helpers/skip.js'

const localBin = join(process.cwd(), 'node_modules', '.bin', 'squawk')
const squawkBin = process.env.SQUAWK_BIN ?? (existsSync(localBin) ? localBin : undefined)

/** Rules that fire on cairn's migrations but do not apply, with the reason. */
export const NOT_APPLICABLE: Record<string, string> = {
  'require-statement-timeout':
    'cairn sets lock_timeout (bounding how long a statement waits for a lock, and so how long it blocks others); a statement_timeout would kill CONCURRENTLY builds and VALIDATE scans, which are long on purpose and do not block writes. Available as policy.statementTimeout.',
  'prefer-robust-stmts':
    'a migration that runs in one transaction rolls back as a whole; one that runs statement by statement has its progress recorded by the runner, which resumes at the failed statement and drops an INVALID index left by a failed CONCURRENTLY build first.',
  'ban-drop-not-null': 'making a column nullable is what the definitions ask for; it takes a brief lock and no scan.',
  'prefer-bigint-over-int': 'a column type chosen in the definitions, not a property of the migration.',
  'prefer-bigint-over-smallint': 'a column type chosen in the definitions, not a property of the migration.',
  'prefer-identity': 'a column type chosen in the definitions, not a property of the migration.',
  'prefer-timestamptz': 'a column type chosen in the definitions, not a property of the migration.',
  'ban-char-field': 'a column type chosen in the definitions, not a property of the migration.',
  'ban-create-domain-with-constraint':
    'a domain and its checks are what the definitions declare; creating one locks nothing that holds rows.',
  'ban-alter-domain-with-add-constraint':
    'a check the definitions add to a domain; the plan adds it NOT VALID and validates it in a separate step, as for table checks.',
}

/** Rules that concern a column's type: on a CREATE TABLE (no rows, no lock held on anything) they are the definitions' choice. */
const TYPE_STYLE_ON_CREATE = new Set(['prefer-text-field'])

/** True when 0-based `line` of `text` lies inside a CREATE TABLE statement. */
function inCreateTable(text: string, line: number): boolean {
  const lines = text.split('\n')
  for (let i = Math.min(line, lines.length - 1); i >= 0; i--) {
    const l = lines[i]
    if (l === '' || l.startsWith('--') || /^\s/.test(l) || l.startsWith(')')) continue
    return /^CREATE TABLE /.test(l)
  }
  return false
}

/** An index built on a materialized view the same migration creates: nothing else reads or writes it yet. */
function onNewMaterializedView(text: string, line: number): boolean {
  const target = /\bON (\S+) USING\b/.exec(text.split('\n')[line] ?? '')?.[1]
  return target !== undefined && text.includes(`CREATE MATERIALIZED VIEW ${target} `)
}

/** Rules that may fire only on a statement whose plan step carries one of these hazards. */
const NEEDS_HAZARD: Record<string, readonly HazardCode[]> = {
  'changing-column-type': ['table_rewrite', 'column_type_change', 'type_narrowing'],
  'prefer-text-field': ['table_rewrite', 'column_type_change', 'type_narrowing'],
  'ban-drop-column': ['drop_column', 'regenerated_column'],
  'ban-drop-table': ['drop_table'],
  'ban-drop-schema': ['drop_schema'],
  'renaming-column': ['rename'],
  'renaming-table': ['rename'],
  'adding-required-field': ['add_required_column'],
  'adding-field-with-default': ['table_rewrite', 'regenerated_column'],
  'require-concurrent-index-creation': ['blocking_index_build'],
  'require-concurrent-index-deletion': ['blocking_index_build'],
  'disallowed-unique-constraint': ['blocking_index_build'],
  'adding-serial-primary-key-field': ['blocking_index_build'],
  // an EXCLUDE constraint has no NOT VALID form: it builds its index under the lock (blocking_index_build)
  'constraint-missing-not-valid': ['blocking_scan', 'blocking_index_build'],
  'adding-foreign-key-constraint': ['blocking_scan'],
  'adding-not-nullable-field': ['blocking_scan'],
}

interface Violation {
  readonly file: string
  readonly line: number
  readonly rule_name: string
  readonly message: string
}

describe.skipIf(!squawkBin)(orSkipped('squawk over every scenario up.sql', !squawkBin, 'squawk-cli is not installed'), () => {
  it('fires only rules that the plan flags or that do not apply', () => {
    const fired = new Map<string, string[]>()
    const problems: string[] = []
    for (const s of scenarios('pglite')) {
      const p = planOf(s.before, s.after, s.options?.policy)
      const rendered = renderMigration(p, { name: s.name })
      const dir = join(GENERATED_DIR, s.name)
      mkdirSync(dir, { recursive: true })
      const file = join(dir, 'up.sql')
      writeFileSync(file, rendered.up)
      const violations = runSquawk(file, rendered.info.transactional)
      const statements = splitMigration(rendered.up)
      const preamble = p.preamble.length
      for (const v of violations) {
        fired.set(v.rule_name, [...(fired.get(v.rule_name) ?? []), s.name])
        if (NOT_APPLICABLE[v.rule_name]) continue
        // squawk lines are 0-based; find the statement that covers the line
        const line = v.line + 1
        const idx = statements.findLastIndex((st) => st.line <= line)
        const step = p.steps[idx - preamble]
        const wanted = NEEDS_HAZARD[v.rule_name]
        if (!wanted) problems.push(`${s.name}: unexpected rule ${v.rule_name} at line ${line}: ${v.message}`)
        else if (!step || !step.hazards.some((h) => wanted.includes(h.code))) {
          problems.push(`${s.name}: ${v.rule_name} at line ${line} on a step without a ${wanted.join('/')} hazard: ${step?.sql ?? '?'}`)
        }
      }
    }
    const report = [...fired].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, names]) => `${rule}: ${names.length} (${[...new Set(names)].join(', ')})`)
    writeFileSync(join(GENERATED_DIR, 'squawk-report.txt'), report.join('\n') + '\n')
    expect(problems).toEqual([])
    expect(fired.has('ban-concurrent-index-creation-in-transaction')).toBe(false)
  })
})

function runSquawk(file: string, inTransaction: boolean): Violation[] {
  const args = ['--reporter', 'json', ...(inTransaction ? ['--assume-in-transaction'] : []), file]
  let out: string
  try {
    out = execFileSync(squawkBin as string, args, { encoding: 'utf8' })
  } catch (e) {
    // squawk exits 1 when it reports violations; its JSON is still on stdout
    out = (e as { stdout?: string }).stdout ?? ''
  }
  return JSON.parse(out || '[]') as Violation[]
}

describe.skipIf(!squawkBin)(orSkipped('squawk over the checked-in migrations/', !squawkBin, 'squawk-cli is not installed'), () => {
  const root = join(process.cwd(), 'migrations')
  const files = existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'up.sql')))
        .map((d) => join(root, d.name, 'up.sql'))
    : []
  it.skipIf(files.length === 0)(orSkipped('fires only rules that do not apply or that the header declares', files.length === 0, 'no migrations to lint'), () => {
    const problems: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const declared = new Set(
        text.split('\n').flatMap((l) => {
          const m = /^-- cairn:(?:hazard (\S+)|destructive \S+ (\S+))/.exec(l)
          return m ? [m[1] ?? m[2]] : []
        }),
      )
      for (const v of runSquawk(file, !text.includes(NO_TRANSACTION))) {
        if (NOT_APPLICABLE[v.rule_name]) continue
        if (TYPE_STYLE_ON_CREATE.has(v.rule_name) && inCreateTable(text, v.line)) continue
        if (v.rule_name === 'require-concurrent-index-creation' && onNewMaterializedView(text, v.line)) continue
        const wanted = NEEDS_HAZARD[v.rule_name]
        if (!wanted || !wanted.some((w) => declared.has(w))) problems.push(`${file}:${v.line + 1}: ${v.rule_name}: ${v.message}`)
      }
    }
    expect(problems).toEqual([])
  })
})

describe.skipIf(squawkBin)('squawk (skipped)', () => {
  it.skip('squawk-cli is not installed: set SQUAWK_BIN or run `npm i -D squawk-cli`', () => {})
})
