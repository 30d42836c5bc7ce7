/**
 * The last check before SQL that cairn wrote leaves it (a migration file, `cairn diff`, `cairn sql`,
 * `push`): the text parses, with PostgreSQL's own parser, into exactly the statements cairn meant,
 * none more, none fewer, none changed. Names and values are quoted and comments escaped when they
 * are rendered and raw SQL is checked when definitions load; this catches whatever those missed.
 */
import { CairnError, EXIT } from '../errors.js'
import { wellFormed } from '../sqlgen/quote.js'

/** Throws `render_check_failed` (exit 3) unless `text` parses into exactly `expected`. */
export async function checkRendered(text: string, expected: readonly string[], what: string): Promise<void> {
  if (text === '' && expected.length === 0) return
  const fail = (detail: string, cause?: unknown) =>
    new CairnError('render_check_failed', `${what} does not parse into the statements cairn meant to write: ${detail}`, {
      hint: 'nothing was written or applied; this is a bug in cairn, please report it with the definitions or schema that caused it',
      ...(cause ? { cause } : {}),
    })
  // the parser loads on demand, so that commands that never check SQL do not load it
  const { splitSql } = await import('./split-sql.js')
  let got: string[]
  try {
    got = (await splitSql(text)).map((s) => s.text)
  } catch (e) {
    throw fail((e as Error).message, e)
  }
  const want = expected.map((s) => wellFormed(s).trimEnd())
  const i = want.findIndex((s, k) => got[k] !== s)
  if (i >= 0 || got.length !== want.length) {
    const at = i >= 0 ? i : Math.min(got.length, want.length)
    throw fail(`statement ${at + 1} of ${want.length} reads back as ${JSON.stringify((got[at] ?? '(nothing)').slice(0, 200))}`)
  }
}
