/**
 * `cairn.sum`: the integrity file of a migration directory (like atlas.sum). The first line is a
 * hash of every line below it; then one line per migration file, `<relative path> h1:<base64
 * sha256>`, in code-point order of the paths, each hash chained over the previous one so that an
 * edited, removed, inserted or reordered file changes its own line and every line after it.
 */
import { cmp } from '../model/normalize.js'
import { createHash } from 'node:crypto'
import { CairnError } from '../errors.js'

/** The name of the integrity file inside the migration directory. */
export const SUM_FILE = 'cairn.sum'

/** One migration file as the sum sees it. */
export interface SumFile {
  /** Path relative to the migration directory, with `/` separators (`20240101000000_init/up.sql`). */
  readonly path: string
  readonly content: string
}

function h1(data: string): string {
  return 'h1:' + createHash('sha256').update(data, 'utf8').digest('base64')
}

/** The `h1:` hash of one file's content on its own (what the history table records for up.sql). */
export function fileChecksum(content: string): string {
  return h1(content)
}

/** Computes the full text of `cairn.sum` for these files (order does not matter: they are sorted). */
export function computeSum(files: readonly SumFile[]): string {
  const sorted = [...files].sort((a, b) => cmp(a.path, b.path))
  let prev = ''
  const lines: string[] = []
  for (const f of sorted) {
    prev = h1(`${prev}\0${f.path}\0${f.content}`)
    lines.push(`${f.path} ${prev}`)
  }
  const body = lines.map((l) => l + '\n').join('')
  return `${h1(body)}\n${body}`
}

/**
 * Checks `sumText` (undefined when the file is missing) against the files. Throws CairnError
 * 'checksum_mismatch' naming the first file that differs and how to fix it, or 'checksum_missing'.
 */
export function verifySum(files: readonly SumFile[], sumText: string | undefined, dirLabel = 'migrations'): void {
  const sumPath = `${dirLabel}/${SUM_FILE}`
  const fixHint =
    `if the change was intended and the migration has not been applied to any database yet, run \`cairn migrate hash\` ` +
    `to recompute ${sumPath}; otherwise restore the file (e.g. git checkout) and add a new migration instead`
  if (sumText === undefined) {
    if (files.length === 0) return
    throw new CairnError('checksum_missing', `${sumPath} is missing but ${dirLabel} holds migrations`, {
      file: sumPath,
      hint: 'run `cairn migrate hash` to create it (after checking the migrations are the ones you expect)',
    })
  }
  const expected = computeSum(files)
  if (expected === normalizeNewlines(sumText)) return
  const lines = normalizeNewlines(sumText).split('\n').filter((l) => l !== '')
  const [head, ...rest] = lines
  const body = rest.map((l) => l + '\n').join('')
  if (head !== h1(body)) {
    throw new CairnError('checksum_mismatch', `${sumPath} was edited by hand: its first line does not match the lines below it`, {
      file: sumPath,
      hint: `restore ${sumPath} from version control, or run \`cairn migrate hash\` if the migration files are the intended ones`,
    })
  }
  const recorded = rest.map(parseLine)
  const actual = expected.split('\n').slice(1).filter((l) => l !== '').map(parseLine)
  const recordedPaths = new Set(recorded.map((r) => r.path))
  const actualPaths = new Set(actual.map((a) => a.path))
  for (let i = 0; i < Math.max(recorded.length, actual.length); i++) {
    const r = recorded[i]
    const a = actual[i]
    if (r && a && r.path === a.path && r.hash === a.hash) continue
    let message: string
    let file: string
    if (a && !recordedPaths.has(a.path)) {
      file = a.path
      message = `${dirLabel}/${a.path} is not recorded in ${sumPath} (added by hand or copied from another branch)`
    } else if (r && !actualPaths.has(r.path)) {
      file = r.path
      message = `${dirLabel}/${r.path} is recorded in ${sumPath} but the file is missing (removed or renamed)`
    } else if (r && a && r.path === a.path) {
      file = a.path
      message = `${dirLabel}/${a.path} does not match its checksum in ${sumPath} (the file was edited)`
    } else {
      file = (a ?? r).path
      message = `the migration files of ${dirLabel} are not in the order ${sumPath} records (first difference at ${file})`
    }
    throw new CairnError('checksum_mismatch', message, { file: `${dirLabel}/${file}`, hint: fixHint, meta: { file } })
  }
  // same lines, different bytes (e.g. trailing garbage): treat the sum itself as tampered
  throw new CairnError('checksum_mismatch', `${sumPath} is not in the form cairn writes`, {
    file: sumPath,
    hint: 'run `cairn migrate hash` to rewrite it',
  })
}

function parseLine(line: string): { path: string; hash: string } {
  const at = line.lastIndexOf(' ')
  return at === -1 ? { path: line, hash: '' } : { path: line.slice(0, at), hash: line.slice(at + 1) }
}

function normalizeNewlines(s: string): string {
  return s.replace(/\r\n/g, '\n')
}
