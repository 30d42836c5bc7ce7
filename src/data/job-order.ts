/**
 * Orders backfill jobs so that referenced tables fill first (users before conversations before
 * messages): a job depends on every other job whose target tables its target tables reference by
 * foreign key, plus its explicit `dependsOn`.
 */
import { CairnError } from '../errors.js'
import { cmp } from '../model/normalize.js'
import type { BackfillJob } from './define-backfill.js'

const key = (schema: string, name: string) => `${schema}.${name}`

/** The jobs each job depends on, by name (sorted). */
export function jobDependencies(jobs: readonly BackfillJob[]): Map<string, string[]> {
  const owner = new Map<string, string>()
  for (const j of jobs) {
    for (const t of [j.table, ...Object.values(j.extraTables)]) {
      const k = key(t.schema, t.name)
      // A table written by several jobs belongs to the one that writes it as its main target.
      if (!owner.has(k) || t === j.table) owner.set(k, j.name)
    }
  }
  const names = new Set(jobs.map((j) => j.name))
  const deps = new Map<string, string[]>()
  for (const j of jobs) {
    const d = new Set<string>()
    for (const t of [j.table, ...Object.values(j.extraTables)]) {
      for (const fk of t.foreignKeys) {
        const o = owner.get(key(fk.refSchema, fk.refTable))
        if (o && o !== j.name) d.add(o)
      }
    }
    for (const n of j.dependsOn ?? []) {
      if (!names.has(n)) {
        throw new CairnError('backfill_unknown_dependency', `backfill ${j.name} depends on unknown job "${n}"`, {
          hint: `known jobs: ${[...names].sort(cmp).join(', ')}`,
        })
      }
      if (n !== j.name) d.add(n)
    }
    deps.set(j.name, [...d].sort(cmp))
  }
  return deps
}

/** Jobs in dependency order (ties by name); a cycle is a CairnError naming it. */
export function orderJobs(jobs: readonly BackfillJob[]): BackfillJob[] {
  const seen = new Set<string>()
  for (const j of jobs) {
    if (seen.has(j.name)) throw new CairnError('backfill_duplicate_job', `two backfill jobs are named "${j.name}"`)
    seen.add(j.name)
  }
  const deps = jobDependencies(jobs)
  const byName = new Map(jobs.map((j) => [j.name, j]))
  const state = new Map<string, 'visiting' | 'done'>()
  const out: BackfillJob[] = []
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name)
    if (s === 'done') return
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name]
      throw new CairnError('backfill_dependency_cycle', `backfill jobs depend on each other in a cycle: ${cycle.join(' → ')}`, {
        hint: 'break the cycle: load one side with the reference left null and fill it in a later job, or drop a dependsOn',
        meta: { cycle },
      })
    }
    state.set(name, 'visiting')
    for (const d of deps.get(name) ?? []) visit(d, [...path, name])
    state.set(name, 'done')
    out.push(byName.get(name)!)
  }
  for (const name of [...byName.keys()].sort(cmp)) visit(name, [])
  return out
}
