/**
 * Renderings of a `cairn check` report that are plain strings (the CLI prints them): the sample of
 * failing rows in one line, and GitHub workflow commands. Values and names from the database go
 * through printable(): no line break or terminal control gets through.
 */
import { printable } from '../sqlgen/quote.js'
import type { CheckReport } from './check.js'
import type { CheckResult } from './run.js'
import { escapeData, escapeProperty } from '../lint/report.js'

const v = (x: string | null) => (x === null ? 'NULL' : printable(x.length > 60 ? `${x.slice(0, 57)}…` : x))
const tuple = (names: readonly string[], values: ReadonlyArray<string | null>) => `(${names.map(printable).join(', ')})=(${values.map(v).join(', ')})`

/** The failing rows shown, one entry per row or duplicated key: `(id)=(7) customer_id=(99)`, `(email)=(a@x) ×3: (id)=(1), (id)=(4)`. */
export function sampleLines(r: CheckResult): string[] {
  const keys = r.keyColumns ?? []
  const vals = r.valueColumns ?? []
  return (r.sample ?? []).map((s) => {
    if (s.count !== undefined) {
      // the first and the last key of the group
      const between = (s.keys?.length ?? 0) === 2 && s.count > 2 ? `, … (${s.count - 2} more), ` : ', '
      const listed = (s.keys ?? []).map((k) => tuple(keys, k)).join(between)
      return `${tuple(vals, s.values ?? [])} ×${s.count}${listed ? `: ${listed}` : ''}`
    }
    const key = s.key ? tuple(keys, s.key) : ''
    const values = s.values && vals.length ? ` ${vals.length === 1 ? `${printable(vals[0])}=${v(s.values[0])}` : tuple(vals, s.values)}` : ''
    return `${key}${values}`.trim()
  })
}

/** How many rows fail, in words. */
export function failingText(r: CheckResult): string {
  if (r.failing === undefined) return r.status === 'fails' ? 'fails' : ''
  const n = r.failing.toLocaleString('en-US')
  const rows = `${r.atLeast ? 'at least ' : ''}${n} row${r.failing === 1 ? '' : 's'}`
  if (r.groups !== undefined && r.failing > 0) return `${rows} share ${r.groups.toLocaleString('en-US')} duplicated key${r.groups === 1 ? '' : 's'}`
  return `${rows} fail${r.failing === 1 && !r.atLeast ? 's' : ''}`
}


/** One workflow command per statement that fails or could not be checked, and a summary line. */
export function checkGithub(report: CheckReport): string {
  const out: string[] = []
  for (const r of report.results) {
    const level = r.status === 'fails' ? 'error' : r.status === 'may_fail' || r.status === 'timeout' || r.status === 'error' ? 'warning' : undefined
    if (!level) continue
    const table = printable(r.resolved ?? (r.table.schema ? `${r.table.schema}.${r.table.name}` : r.table.name))
    const sample = sampleLines(r)
    const head =
      r.status === 'fails' || r.status === 'may_fail'
        ? `${printable(r.what)} on ${table}: ${failingText(r)}${r.status === 'may_fail' && r.changedBefore ? ` as the table is now (${r.changedBefore.file}:${r.changedBefore.line} changes it first)` : ''}`
        : `${printable(r.what)} on ${table} was not checked: ${printable(r.reason ?? r.status)}`
    const message = [head, ...(sample.length ? [`sample (${(r.keyColumns ?? []).join(', ')}):`, ...sample] : []), ...(r.reason && r.status !== 'timeout' && r.status !== 'error' ? [printable(r.reason)] : [])].join('\n')
    out.push(`::${level} file=${escapeProperty(r.file)},line=${r.line},title=${escapeProperty(`cairn check: ${r.kind.replace(/_/g, ' ')}`)}::${escapeData(message)}`)
  }
  const c = report.counts
  const summary = `${c.fails} would fail, ${c.may_fail} may fail, ${c.passes} pass, ${c.skipped} skipped (new tables), ${c.not_checked} not checked, ${c.timeout + c.error} could not finish, on ${report.target}`
  out.push(c.fails ? `::error title=cairn check::${escapeData(summary)}` : `::notice title=cairn check::${escapeData(summary)}`)
  return out.join('\n') + '\n'
}
