/**
 * The peer conformance harness: for each case, load old.sql into database A and new.sql into B, ask a
 * differ for the migration A → B, apply it to A, and pass when A's catalog then equals B's and a
 * second diff is empty. Runs on a PostgreSQL server (pg_dump comparison) or on PGlite (catalog
 * fingerprint comparison).
 */
import { execFile } from 'node:child_process'
import { readFileSync, existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import type { Database } from '../../src/db/database.js'
import { openPglite } from '../../src/db/pglite.js'
import { openPostgres } from '../../src/db/postgres.js'
import { compareLines, dumpLines, fingerprintLines, sortColumnList, stripTrailingComma } from './compare.js'
import type { Comparison } from './compare.js'
import type { Differ, Endpoint, MigrationStatement } from './differs.js'
import { UnsupportedByDiffer } from './differs.js'
import { neededKinds } from './unsupported.js'

const run = promisify(execFile)

/** The suite shipped in the repo. */
export const PGSCHEMA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pgschema')

/** Roles the suite's README says must exist before loading (roles are cluster-wide). */
export const REQUIRED_ROLES = ['schemainspect_test_role', 'testuser']

/** One case of the suite. */
export interface PeerCase {
  readonly name: string
  readonly category: string
  readonly dir: string
  readonly setup?: string
  readonly old: string
  readonly new: string
}

/** Where a failing case stopped. */
export type Stage = 'load' | 'diff' | 'apply' | 'compare' | 'rediff'

/** The outcome of one case. */
export interface CaseResult {
  readonly name: string
  readonly category: string
  /** `skip`: the case does not load on this engine (environment, not the differ). */
  readonly status: 'pass' | 'fail' | 'unsupported' | 'skip'
  readonly stage?: Stage
  /** One line saying why it did not pass. */
  readonly reason?: string
  /** Passed, but only once column order is ignored. */
  readonly columnOrderOnly?: boolean
  /** Object kinds the differ does not model that this case's change involves. */
  readonly needs: readonly string[]
  readonly statements: number
  /** Catalog lines that still differ after applying (first 40). */
  readonly residual?: readonly string[]
  readonly migration?: string
  readonly ms: number
}

/** Lists the cases under `dir`, sorted by name, optionally filtered by a substring or regex. */
export function loadCases(dir: string = PGSCHEMA_DIR, only?: string): PeerCase[] {
  const re = only ? new RegExp(only) : undefined
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'old.sql')))
    .map((d) => d.name)
    .filter((n) => !re || re.test(n))
    .sort()
    .map((name) => {
      const caseDir = path.join(dir, name)
      const read = (f: string): string | undefined =>
        existsSync(path.join(caseDir, f)) ? readFileSync(path.join(caseDir, f), 'utf8') : undefined
      return {
        name,
        category: name.split('__')[0]!,
        dir: caseDir,
        setup: read('setup.sql'),
        old: read('old.sql') ?? '',
        new: read('new.sql') ?? '',
      }
    })
}

/** A pair of databases for one case. */
export interface CaseDatabases {
  readonly a: Endpoint
  readonly b: Endpoint
  load(which: 'a' | 'b', sql: string, file: string): Promise<void>
  snapshot(which: 'a' | 'b'): Promise<string[]>
  dispose(): Promise<void>
}

/** Where cases run. */
export interface PeerEngine {
  readonly name: 'postgres' | 'pglite'
  /** Maps a snapshot line so that only column order is ignored. */
  readonly loosen: (line: string) => string
  prepare(cases: readonly PeerCase[]): Promise<void>
  /** A pair of empty databases for worker `slot`; its dispose() readies the slot for the next case. */
  open(slot: string): Promise<CaseDatabases>
  close(): Promise<void>
}

async function hasBinary(bin: string): Promise<boolean> {
  try {
    await run(bin, ['--version'])
    return true
  } catch {
    return false
  }
}

/** Role names the case files create inside DO blocks; created up front so parallel cases do not race. */
function rolesNamed(cases: readonly PeerCase[]): string[] {
  const out = new Set(REQUIRED_ROLES)
  for (const c of cases)
    for (const m of `${c.setup ?? ''}\n${c.old}\n${c.new}`.matchAll(/create\s+role\s+("?)([\w$]+)\1/gi)) out.add(m[2]!)
  return [...out].sort()
}

/** The PostgreSQL server behind `adminUrl`: two fresh databases per case, compared with pg_dump. */
export function postgresPeerEngine(adminUrl: string): PeerEngine {
  let psql = false
  const tag = `cairn_peer_${process.pid}`
  const slots = new Map<string, CaseDatabases>()
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl })
    await c.connect()
    try {
      return await fn(c)
    } finally {
      await c.end()
    }
  }
  const urlOf = (db: string): string => {
    const u = new URL(adminUrl)
    u.pathname = `/${db}`
    return u.toString()
  }
  return {
    name: 'postgres',
    loosen: stripTrailingComma,
    async prepare(cases) {
      psql = await hasBinary('psql')
      if (!(await hasBinary('pg_dump'))) throw new Error('pg_dump is not on PATH: the postgres engine compares pg_dump output')
      await admin(async (c) => {
        for (const role of rolesNamed(cases)) {
          const r = await c.query('select 1 from pg_roles where rolname = $1', [role])
          if (r.rowCount === 0) await c.query(`create role "${role}"`).catch(() => {})
        }
      })
    },
    async open(slot) {
      const reused = slots.get(slot)
      if (reused) return reused
      const names = { a: `${tag}_${slot}_a`, b: `${tag}_${slot}_b` }
      await admin(async (c) => {
        for (const n of Object.values(names)) {
          await c.query(`drop database if exists ${n} with (force)`)
          await c.query(`create database ${n}`)
        }
      })
      const a = await openPostgres(urlOf(names.a), { poolSize: 2 })
      const b = await openPostgres(urlOf(names.b), { poolSize: 2 })
      const ends = { a: { db: a, url: urlOf(names.a) }, b: { db: b, url: urlOf(names.b) } }
      const drop = async (): Promise<void> => {
        slots.delete(slot)
        await a.close()
        await b.close()
        await admin(async (c) => {
          for (const n of Object.values(names)) await c.query(`drop database if exists ${n} with (force)`)
        })
      }
      const pair: CaseDatabases = {
        ...ends,
        async load(which, sql, file) {
          if (psql) {
            try {
              await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', ends[which].url, '-f', file], { maxBuffer: 16 << 20 })
            } catch (e) {
              const err = e as { stderr?: string; message: string }
              throw new Error((err.stderr ?? err.message).trim().split('\n').find((l) => /ERROR/.test(l)) ?? err.message)
            }
          } else await ends[which].db.exec(sql)
        },
        snapshot: (which) => dumpLines(ends[which].url),
        // creating and dropping databases costs ~1 s each: empty them for the next case instead,
        // unless the case left state a reset cannot undo (default privileges)
        async dispose() {
          try {
            for (const db of [a, b]) {
              await db.exec(RESET_SQL)
              const [r] = await db.query<{ n: number }>(`select count(*)::int as n from pg_default_acl`)
              if (r!.n > 0) throw new Error('default privileges left behind')
            }
          } catch {
            await drop()
          }
        },
      }
      slots.set(slot, pair)
      return pair
    },
    async close() {
      for (const [slot, pair] of [...slots]) {
        slots.delete(slot)
        await pair.a.db.close()
        await pair.b.db.close()
      }
      await admin(async (c) => {
        const rows = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${tag}\\_%`])
        for (const r of rows.rows) await c.query(`drop database if exists "${r.datname}" with (force)`)
      })
    },
  }
}

/** Empties a database for the next case: extensions, every user schema, then a fresh `public`. */
const RESET_SQL = `
do $$
declare r record;
begin
  for r in select extname from pg_extension where extname <> 'plpgsql' loop
    execute format('drop extension if exists %I cascade', r.extname);
  end loop;
  for r in select nspname from pg_namespace
           where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_%' loop
    execute format('drop schema %I cascade', r.nspname);
  end loop;
end $$;
create schema public authorization pg_database_owner;
grant usage on schema public to public;
comment on schema public is 'standard public schema';
`

/** Embedded PGlite: a pair of instances per worker, emptied between cases, compared by catalog fingerprint. */
export function pglitePeerEngine(): PeerEngine {
  const slots = new Map<string, CaseDatabases>()
  return {
    name: 'pglite',
    loosen: sortColumnList,
    async prepare() {},
    async open(slot) {
      const reused = slots.get(slot)
      if (reused) return reused
      const a = await openPglite()
      const b = await openPglite()
      const ends = { a: { db: a }, b: { db: b } }
      // roles are per instance here: create the ones the README names in each
      for (const db of [a, b]) for (const r of REQUIRED_ROLES) await db.exec(`create role "${r}"`)
      const pair: CaseDatabases = {
        ...ends,
        load: (which, sql) => ends[which].db.exec(sql),
        snapshot: (which) => fingerprintLines(ends[which].db),
        async dispose() {
          try {
            for (const db of [a, b]) {
              await db.exec(RESET_SQL)
              const [r] = await db.query<{ n: number }>(`select count(*)::int as n from pg_default_acl`)
              if (r!.n > 0) throw new Error('default privileges left behind')
            }
          } catch {
            slots.delete(slot)
            await a.close()
            await b.close()
          }
        },
      }
      slots.set(slot, pair)
      return pair
    },
    async close() {
      for (const [slot, pair] of [...slots]) {
        slots.delete(slot)
        await pair.a.db.close()
        await pair.b.db.close()
      }
    },
  }
}

/** Applies statements like cairn's runner: one transaction, or one by one when any must run outside one. */
export async function applyStatements(db: Database, statements: readonly MigrationStatement[]): Promise<void> {
  const runOne = async (q: { exec(sql: string): Promise<void> }, s: MigrationStatement): Promise<void> => {
    try {
      await q.exec(s.sql)
    } catch (e) {
      const msg = (e as Error).message
      throw new Error(`${msg} — in: ${oneLine(s.sql, 160)}`)
    }
  }
  if (statements.every((s) => s.transactional)) {
    await db.transaction(async (tx) => {
      for (const s of statements) await runOne(tx, s)
    })
  } else {
    await db.session(async (s) => {
      for (const st of statements) await runOne(s, st)
    })
  }
}

function oneLine(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim()
  return t.length > max ? `${t.slice(0, max - 1)}…` : t
}

/** Runs one case end to end on `engine` with `differ`. */
export async function runCase(c: PeerCase, engine: PeerEngine, differ: Differ, slot: string): Promise<CaseResult> {
  const t0 = Date.now()
  const needs = differ.detectsUnsupported ? neededKinds(`${c.setup ?? ''}\n${c.old}`, `${c.setup ?? ''}\n${c.new}`) : []
  const base = { name: c.name, category: c.category, needs }
  const dbs = await engine.open(slot)
  let statements = 0
  let migration: string | undefined
  const done = (r: Partial<CaseResult> & Pick<CaseResult, 'status'>): CaseResult => {
    let status = r.status
    if (status === 'fail' && needs.length > 0) status = 'unsupported'
    return { ...base, statements, ...(migration !== undefined ? { migration } : {}), ...r, status, ms: Date.now() - t0 }
  }
  try {
    try {
      for (const which of ['a', 'b'] as const) {
        if (c.setup) await dbs.load(which, c.setup, path.join(c.dir, 'setup.sql'))
        await dbs.load(which, which === 'a' ? c.old : c.new, path.join(c.dir, which === 'a' ? 'old.sql' : 'new.sql'))
      }
    } catch (e) {
      return done({ status: 'skip', stage: 'load', reason: `does not load: ${oneLine((e as Error).message, 200)}` })
    }
    let m
    try {
      m = await differ.migrate(dbs.a, dbs.b, c.dir)
    } catch (e) {
      const unsupported = e instanceof UnsupportedByDiffer
      return done({ status: unsupported ? 'unsupported' : 'fail', stage: 'diff', reason: oneLine((e as Error).message, 300) })
    }
    statements = m.statements.length
    migration = m.text
    try {
      await applyStatements(dbs.a.db, m.statements)
    } catch (e) {
      return done({ status: 'fail', stage: 'apply', reason: oneLine((e as Error).message, 300) })
    }
    const [sa, sb] = await Promise.all([dbs.snapshot('a'), dbs.snapshot('b')])
    const cmp: Comparison = compareLines(sa, sb, engine.loosen)
    if (!cmp.equal) {
      return done({
        status: 'fail',
        stage: 'compare',
        reason: `${cmp.residual.length} catalog line(s) differ, first: ${oneLine(cmp.residual[0] ?? '', 200)}`,
        residual: cmp.residual.slice(0, 40),
      })
    }
    if (differ.rediff === false) return done({ status: 'pass', ...(cmp.columnOrderOnly ? { columnOrderOnly: true } : {}) })
    let again
    try {
      again = await differ.migrate(dbs.a, dbs.b, c.dir)
    } catch (e) {
      return done({ status: 'fail', stage: 'rediff', reason: `second diff threw: ${oneLine((e as Error).message, 200)}` })
    }
    if (again.statements.length > 0) {
      return done({
        status: 'fail',
        stage: 'rediff',
        reason: `catalogs equal but a second diff gives ${again.statements.length} statement(s), first: ${oneLine(again.statements[0]!.sql, 160)}`,
        residual: again.statements.slice(0, 40).map((s) => oneLine(s.sql, 300)),
      })
    }
    return done({ status: 'pass', ...(cmp.columnOrderOnly ? { columnOrderOnly: true } : {}) })
  } catch (e) {
    return done({ status: 'fail', stage: 'compare', reason: `harness error: ${oneLine((e as Error).message, 200)}` })
  } finally {
    await dbs.dispose().catch(() => {})
  }
}

/** Options of runSuite. */
export interface SuiteOptions {
  readonly engine: PeerEngine
  readonly differ: Differ
  readonly cases: readonly PeerCase[]
  /** Cases in flight at once (2–4 is right for one server). */
  readonly concurrency?: number
  readonly onResult?: (r: CaseResult, done: number, total: number) => void
}

/** Runs every case, `concurrency` at a time, and returns results in case order. */
export async function runSuite(options: SuiteOptions): Promise<CaseResult[]> {
  const { engine, differ, cases } = options
  await engine.prepare(cases)
  const results: CaseResult[] = new Array(cases.length)
  let next = 0
  let finished = 0
  const worker = async (slot: number): Promise<void> => {
    while (next < cases.length) {
      const i = next++
      results[i] = await runCase(cases[i]!, engine, differ, String(slot))
      options.onResult?.(results[i]!, ++finished, cases.length)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, (_, slot) => worker(slot)))
  } finally {
    await engine.close()
  }
  return results
}

/** Per-category counts. */
export interface CategoryRow {
  readonly category: string
  readonly cases: number
  readonly pass: number
  readonly fail: number
  readonly unsupported: number
  readonly skip: number
  readonly columnOrderOnly: number
}

/** Counts results per category, plus a `total` row last. */
export function summarize(results: readonly CaseResult[]): CategoryRow[] {
  const rows = new Map<string, CategoryRow>()
  const add = (key: string, r: CaseResult): void => {
    const row = rows.get(key) ?? { category: key, cases: 0, pass: 0, fail: 0, unsupported: 0, skip: 0, columnOrderOnly: 0 }
    rows.set(key, {
      ...row,
      cases: row.cases + 1,
      [r.status]: row[r.status] + 1,
      columnOrderOnly: row.columnOrderOnly + (r.columnOrderOnly ? 1 : 0),
    })
  }
  for (const r of results) add(r.category, r)
  const sorted = [...rows.values()].sort((x, y) => (x.category < y.category ? -1 : 1))
  const total = { category: 'total', cases: 0, pass: 0, fail: 0, unsupported: 0, skip: 0, columnOrderOnly: 0 }
  for (const r of sorted)
    for (const k of ['cases', 'pass', 'fail', 'unsupported', 'skip', 'columnOrderOnly'] as const) total[k] += r[k]
  return [...sorted, total]
}
