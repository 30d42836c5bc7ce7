/**
 * Machine-readable renderings of a lint result (pure strings; the CLI prints them): the `--json`
 * document and GitHub workflow commands (`::error file=…,line=…,title=CODE::message`), which GitHub
 * Actions turns into annotations on the pull request's diff.
 */
import type { Finding, LintResult } from './lint.js'

/** The `--json` document. */
export function jsonReport(r: LintResult, limits: { maxWarnings?: number } = {}): Record<string, unknown> {
  return {
    ok: r.errors === 0 && r.parseErrors === 0 && (limits.maxWarnings === undefined || r.warnings <= limits.maxWarnings),
    errors: r.errors,
    warnings: r.warnings,
    suppressed: r.suppressed,
    parseErrors: r.parseErrors,
    files: r.files,
    findings: r.findings,
  }
}

/** Escapes the message part of a GitHub workflow command (every `--format github` report uses it). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes a property value of a GitHub workflow command (also `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function annotation(level: 'error' | 'warning', props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',')
  return `::${level} ${p}::${escapeData(message)}`
}

/** One workflow command per finding that is not suppressed, and per file that does not parse. */
export function githubAnnotations(r: LintResult): string {
  const lines: string[] = []
  for (const f of r.files) {
    if (f.parseError) lines.push(annotation('error', { file: f.path, line: f.parseError.line, col: f.parseError.column, title: 'sql_syntax_error' }, f.parseError.message))
  }
  for (const f of r.findings.filter((x: Finding) => !x.suppressed)) {
    const props = { file: f.file, line: f.line, endLine: f.endLine > f.line ? f.endLine : undefined, col: f.column, title: f.code }
    lines.push(annotation(f.severity, props, `${f.message}\nfix: ${f.fix}`))
  }
  return lines.length ? lines.join('\n') + '\n' : ''
}
