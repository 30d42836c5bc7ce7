/**
 * Differs the peer suite can measure: cairn itself (inspect → diff → plan → render, through
 * diffDatabases) and, to validate the harness, the external `migra` CLI (@pgkit/migra), which is
 * never a dependency of cairn and is looked up at a path given on the command line or in the env.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Database } from '../../src/db/database.js'
import { isCairnError } from '../../src/errors.js'
import { splitSql } from './sql-split.js'

const run = promisify(execFile)

/** One statement of a migration and whether it may run inside a transaction. */
export interface MigrationStatement {
  readonly sql: string
  readonly transactional: boolean
}

/** What a differ produced for A → B. */
export interface PeerMigration {
  readonly statements: readonly MigrationStatement[]
  /** The migration as the differ renders it (for reports). */
  readonly text: string
}

/** A database the differ reads: the open handle, and a URL when the engine has one. */
export interface Endpoint {
  readonly db: Database
  readonly url?: string
}

/** A schema differ under test. */
export interface Differ {
  readonly name: string
  /** True when this differ's failures can be "not yet supported" (static kind detection applies). */
  readonly detectsUnsupported: boolean
  /** False for a differ whose output is fixed per case (then the second-diff check is skipped). */
  readonly rediff?: boolean
  /** The migration from `from` to `to`; `caseDir` is the case folder (for differs that read expected files). */
  migrate(from: Endpoint, to: Endpoint, caseDir: string): Promise<PeerMigration>
}

/** Thrown by a differ when it refuses a case for lack of support (counted apart from failures). */
export class UnsupportedByDiffer extends Error {}

/** cairn's own DB-to-DB diff with destructive changes allowed and lock-safe rewrites on. */
export const cairnDiffer: Differ = {
  name: 'cairn',
  detectsUnsupported: true,
  async migrate(from, to) {
    const { diffDatabases } = await import('../../src/workflows/diff-databases.js')
    try {
      const r = await diffDatabases({ from: from.db, to: to.db, policy: { allowDestructive: true }, assumeNoRenames: true })
      return { statements: r.statements, text: r.sql }
    } catch (e) {
      if (isCairnError(e) && /unsupported/i.test(e.code)) throw new UnsupportedByDiffer(`${e.code}: ${e.message}`)
      throw e
    }
  },
}

/**
 * The suite's own expected migration (`diff.sql`), applied as it is: checks the harness against the
 * PostgreSQL 15 results recorded in pgschema/cases.tsv, without any differ in the loop.
 */
export const expectedDiffer: Differ = {
  name: 'expected',
  detectsUnsupported: false,
  rediff: false,
  async migrate(_from, _to, caseDir) {
    const file = path.join(caseDir, 'diff.sql')
    const sql = existsSync(file) ? readFileSync(file, 'utf8') : ''
    return { statements: splitSql(sql).map((s) => ({ sql: s, transactional: true })), text: sql }
  },
}

/** Where to find the migra CLI: `--migra-bin`, else the `MIGRA_BIN` env var; undefined when absent. */
export function findMigra(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined
  const env = process.env.MIGRA_BIN
  return env && existsSync(env) ? env : undefined
}

/** The migra peer (`migra run A B --unsafe --with-privileges`); server URLs only. */
export function migraDiffer(bin: string): Differ {
  return {
    name: 'migra',
    detectsUnsupported: false,
    async migrate(from, to) {
      if (!from.url || !to.url) throw new Error('migra needs server URLs (use --engine postgres)')
      let stdout: string
      try {
        ;({ stdout } = await run(bin, ['run', from.url, to.url, '--unsafe', '--with-privileges'], { maxBuffer: 64 << 20 }))
      } catch (e) {
        const err = e as { stderr?: string; message: string }
        const line = (err.stderr ?? err.message).split('\n').find((l) => /error/i.test(l) && !/^WARNING/.test(l))
        throw new Error(`migra failed: ${line ?? err.message.split('\n')[0]}`)
      }
      // @pgkit/client prints a warning with a stack trace on stdout before the SQL
      const sql = stdout.replace(/^WARNING: [^\n]*\n(\s+at [^\n]*\n)*/, '')
      return { statements: splitSql(sql).map((s) => ({ sql: s, transactional: true })), text: sql }
    },
  }
}
