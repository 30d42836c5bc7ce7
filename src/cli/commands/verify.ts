/**
 * `cairn verify rls`: proves tenant isolation on a live database (src/rls): static checks of the
 * role, tables, policies and foreign keys, then, in a transaction that is rolled back, two
 * tenants' rows and every read, write, re-tag and cross-tenant reference tried as the application
 * role. Prints a table × operation matrix, JSON or GitHub annotations. Exit 0 isolated, 1 a leak
 * or a flagged table, 2 bad input, 3 cannot connect.
 */
import { Option } from 'commander'
import { Chalk } from 'chalk'
import type { RegisterCommand } from './index.js'
import { useColor } from '../context.js'
import { parseDuration, withDb } from './migrate.js'
import { EXIT } from '../../errors.js'
import { printable } from '../../sqlgen/quote.js'
import { OPERATIONS } from '../../rls/verify.js'
import type { RlsReport } from '../../rls/verify.js'
import { OPERATION_TITLES, cellOf, matrixRows, rlsGithub } from '../../rls/report.js'

interface VerifyRlsFlags {
  url?: string
  role: string
  tenantColumn: string
  tenantSetting?: string
  timeout: string
  format: 'text' | 'json' | 'github'
  json?: boolean
}

/** Registers `cairn verify` and its subcommand `rls`. */
export const registerVerify: RegisterCommand = (program, ctx) => {
  const verify = program.command('verify').description('prove properties of a live database (rls: tenant isolation)')
  verify
    .command('rls')
    .description('prove tenant isolation as the application role: every read, write, re-tag and cross-tenant reference of another tenant\'s rows is tried (rolled back)')
    .option('--url <url>', 'the database (default: DATABASE_URL, else the embedded .cairn/dev database); connect as a superuser or the tables\' owner')
    .option('--role <role>', 'the application role the probes run as', 'cairn_app')
    .option('--tenant-column <column>', 'the column that holds the tenant', 'tenant_id')
    .option('--tenant-setting <name>', 'the setting the policies read the current tenant from (default: what the policies read, else app.current_tenant_id)')
    .option('--timeout <duration>', 'statement_timeout of each statement', '30s')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      '\nNothing is committed: the rows of the two tenants and every probe live in one transaction that is rolled back\n' +
        '(triggers on the tables do fire). Flagged: a role with BYPASSRLS or SUPERUSER, a table with the tenant column\n' +
        'the role may use but without row-level security, RLS not forced on a table the role owns, no policy for the\n' +
        'role, a policy for writes without WITH CHECK, a foreign key to a tenant-scoped table without the tenant column.\n\n' +
        'Exit codes: 0 isolated, 1 a leak or a flagged table, 2 bad input (no such role, no tenant column), 3 cannot connect.\n',
    )
    .action(async (flags: VerifyRlsFlags) => {
      const format = flags.json ? 'json' : flags.format
      const timeoutMs = parseDuration(flags.timeout, '--timeout')
      const { verifyRls } = await import('../../rls/verify.js')
      const report = await withDb(ctx, { url: flags.url, dir: 'migrations' }, (db) =>
        verifyRls(db, { role: flags.role, tenantColumn: flags.tenantColumn, ...(flags.tenantSetting ? { tenantSetting: flags.tenantSetting } : {}), ...(timeoutMs ? { timeoutMs } : {}) }),
      )
      if (format === 'json') ctx.stdout(JSON.stringify(report, null, 2) + '\n')
      else if (format === 'github') ctx.stdout(rlsGithub(report))
      else ctx.stdout(rlsText(report, useColor(ctx)))
      if (!report.ok) ctx.exitCode = EXIT.problems
    })
}

/** The text report: setup, the matrix, flags, leaks with their statements, and a summary. */
export function rlsText(r: RlsReport, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 })
  const lines: string[] = []
  const from = r.setting.from === 'policies' ? 'read by the policies' : r.setting.from === 'option' ? 'from --tenant-setting' : 'the default: no policy reads a setting'
  lines.push(`${c.bold('verify rls')} ${r.target} ${c.dim(`(PostgreSQL ${Math.floor(r.serverVersion / 10000)})`)}`)
  lines.push(c.dim(`as role ${printable(r.role)}; tenant column ${printable(r.tenantColumn)}; tenant setting ${printable(r.setting.name)} (${from})${r.setting.others.length ? `; other settings in policies: ${r.setting.others.map(printable).join(', ')}` : ''}`))
  lines.push(c.dim(`tenants${r.tenantsTable ? ` (rows of ${printable(r.tenantsTable)})` : ''}: A = ${printable(r.tenants.a)}, B = ${printable(r.tenants.b)}; probes as A on B's rows, all rolled back`))
  lines.push('')
  const rows = matrixRows(r)
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => [...row[i]].length)))
  const paint = (s: string) => (s === '✓' ? c.green(s) : s === '✗' ? c.red(s) : s === '?' ? c.yellow(s) : s === 'off' ? c.red(s) : s === 'on' ? c.yellow(s) : s)
  rows.forEach((row, n) => {
    const text = row.map((cell, i) => {
      const pad = ' '.repeat(widths[i] - [...cell].length)
      return n === 0 ? c.bold(cell) + pad : paint(cell) + pad
    })
    lines.push(text.join('  ').trimEnd())
  })
  lines.push(c.dim(`✓ out of reach   ✗ leak   · not allowed to the role at all / nothing to try   ? could not be tried`))
  lines.push('')
  if (r.flags.length) {
    lines.push(c.bold(c.red(`${r.flags.length} flagged`)))
    for (const f of r.flags) {
      lines.push(`  ${c.red('✗')} ${c.bold(f.code)} ${printable(f.message)}`)
      lines.push(c.dim(`      fix: ${printable(f.fix)}`))
    }
    lines.push('')
  }
  const leaks = r.tables.flatMap((t) => t.cells.filter((x) => x.status === 'leak').map((x) => ({ t, x })))
  if (leaks.length) {
    lines.push(c.bold(c.red(`${leaks.length} leak${leaks.length === 1 ? '' : 's'}`)))
    for (const { t, x } of leaks) {
      lines.push(`  ${c.red('✗')} ${printable(t.table)} ${OPERATION_TITLES[x.op]}${x.object ? ` (${printable(x.object)})` : ''}: ${printable(x.detail)}`)
      if (x.statement) lines.push(c.dim(`      ${printable(x.statement)}`))
    }
    lines.push('')
  }
  const unverified = r.tables.filter((t) => OPERATIONS.some((o) => cellOf(t, o)?.status === 'unverified'))
  for (const t of unverified) {
    for (const x of t.cells.filter((x) => x.status === 'unverified')) lines.push(c.yellow(`  ? ${printable(t.table)} ${OPERATION_TITLES[x.op]}${x.object ? ` (${printable(x.object)})` : ''}: ${printable(x.detail)}`))
  }
  const blind = r.tables.filter((t) => t.own.select === false)
  for (const t of blind) lines.push(c.yellow(`  ! ${printable(t.table)}: tenant A cannot read its own row either, so a pass there proves no isolation, only that nothing is reachable`))
  if (unverified.length || blind.length) lines.push('')
  if (r.unreachable.length) lines.push(c.dim(`not reachable by ${printable(r.role)} (no privilege): ${r.unreachable.map(printable).join(', ')}`), '')
  const tried = r.counts.tables - r.counts.unverified
  lines.push(
    r.ok
      ? c.green(`isolated: no leak in ${tried} table${tried === 1 ? '' : 's'}, nothing flagged`) +
          (r.counts.unverified ? c.yellow(`; ${r.counts.unverified} table${r.counts.unverified === 1 ? '' : 's'} could not be tried (above)`) : '') +
          c.dim(` (${r.durationMs} ms)`)
      : c.red(`not isolated: ${r.counts.leaks} leak${r.counts.leaks === 1 ? '' : 's'}, ${r.counts.flags} flagged`) + c.dim(` (${r.counts.tables} tables, ${r.durationMs} ms)`),
  )
  return lines.join('\n') + '\n'
}
