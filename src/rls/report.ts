/**
 * Plain-string renderings of a `cairn verify rls` report (the CLI prints them): the table ×
 * operation matrix and GitHub workflow commands. Names go through printable().
 */
import { printable } from '../sqlgen/quote.js'
import type { Cell, Operation, RlsReport, TableResult } from './verify.js'
import { OPERATIONS } from './verify.js'
import { escapeData, escapeProperty } from '../lint/report.js'

export const OPERATION_TITLES: Readonly<Record<Operation, string>> = {
  select: 'select', insert: 'insert', update: 'update', delete: 'delete', retag: 're-tag', reference: 'reference', no_tenant: 'no tenant',
}

/** The cell of one operation of a table (foreign keys together: the worst of them). */
export function cellOf(t: TableResult, op: Operation): Cell | undefined {
  const cells = t.cells.filter((c) => c.op === op)
  return cells.find((c) => c.status === 'leak') ?? cells.find((c) => c.status === 'unverified') ?? cells.find((c) => c.status === 'pass') ?? cells[0]
}

const MARK: Record<Cell['status'], string> = { pass: '✓', leak: '✗', 'n/a': '·', unverified: '?' }

/** The matrix as rows of text cells: a header, then one row per table. */
export function matrixRows(r: RlsReport): string[][] {
  const head = ['table', 'rls', ...OPERATIONS.map((o) => OPERATION_TITLES[o])]
  const rows = r.tables.map((t) => [
    printable(t.table),
    t.rls ? (t.forced ? 'forced' : 'on') : 'off',
    ...OPERATIONS.map((o) => {
      const c = cellOf(t, o)
      return c ? MARK[c.status] : ''
    }),
  ])
  return [head, ...rows]
}


/** One `::error` per flag and per leak, a `::warning` per table that could not be tried, and a summary. */
export function rlsGithub(r: RlsReport): string {
  const out: string[] = []
  for (const f of r.flags) out.push(`::error title=${escapeProperty(`cairn verify rls: ${f.code}`)}::${escapeData(`${printable(f.message)}\nfix: ${printable(f.fix)}`)}`)
  for (const t of r.tables) {
    for (const c of t.cells) {
      if (c.status === 'leak') out.push(`::error title=${escapeProperty(`cairn verify rls: ${c.op} leaks on ${t.table}`)}::${escapeData(`${printable(t.table)} ${OPERATION_TITLES[c.op]}: ${printable(c.detail)}\n${printable(c.statement ?? '')}`)}`)
    }
    if (t.unverified) out.push(`::warning title=${escapeProperty(`cairn verify rls: ${t.table} not verified`)}::${escapeData(printable(t.unverified))}`)
  }
  const summary = `${r.counts.leaks} leak${r.counts.leaks === 1 ? '' : 's'}, ${r.counts.flags} flagged, ${r.counts.tables} tables tried as ${r.role} on ${r.target}`
  out.push(r.ok ? `::notice title=cairn verify rls::${escapeData(summary)}` : `::error title=cairn verify rls::${escapeData(summary)}`)
  return out.join('\n') + '\n'
}
