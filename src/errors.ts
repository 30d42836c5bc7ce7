/**
 * The one error type of cairn. Every failure that reaches a user carries a stable snake_case code,
 * a message saying what went wrong, a hint saying how to fix it, and where (`schema/auth.ts:12`,
 * `auth.users.email`), plus the exit code the CLI should use.
 */

/** Process exit codes used by the CLI. */
export const EXIT = {
  ok: 0,
  /** A check found problems: drift, lint, verify. */
  problems: 1,
  /** Bad usage or bad input. */
  usage: 2,
  /** Runtime failure: database unreachable, migration failed. */
  runtime: 3,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** One problem found in user input; validation collects these instead of throwing at the first. */
export interface Issue {
  readonly code: string
  readonly message: string
  readonly hint?: string
  /** Where: a file (`schema/auth/users.ts:12`) and/or an object path (`auth.users.email`). */
  readonly file?: string
  readonly object?: string
}

export interface CairnErrorOptions {
  readonly hint?: string
  readonly file?: string
  readonly object?: string
  readonly exitCode?: ExitCode
  /** JSON-only extra data for `--json` output. */
  readonly meta?: Record<string, unknown>
  readonly issues?: readonly Issue[]
  readonly cause?: unknown
}

/** A failure with a stable code, a hint and a location. */
export class CairnError extends Error {
  readonly code: string
  readonly hint?: string
  readonly file?: string
  readonly object?: string
  readonly exitCode: ExitCode
  readonly meta?: Record<string, unknown>
  readonly issues: readonly Issue[]

  constructor(code: string, message: string, options: CairnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CairnError'
    this.code = code
    this.hint = options.hint
    this.file = options.file
    this.object = options.object
    this.exitCode = options.exitCode ?? EXIT.usage
    this.meta = options.meta
    this.issues = options.issues ?? []
  }

  /** The JSON shape printed by `--json` and logged by CI. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.file ? { file: this.file } : {}),
      ...(this.object ? { object: this.object } : {}),
      ...(this.meta ? { meta: this.meta } : {}),
      ...(this.issues.length ? { issues: this.issues } : {}),
      ...(this.cause instanceof Error ? { cause: this.cause.message } : {}),
    }
  }
}

/** True when `e` is a CairnError (also across duplicated module instances). */
export function isCairnError(e: unknown): e is CairnError {
  return e instanceof CairnError || (e instanceof Error && e.name === 'CairnError' && 'code' in e)
}

/** Wraps any thrown value into a CairnError that says what was being done. */
export function wrapError(
  code: string,
  doing: string,
  e: unknown,
  options: CairnErrorOptions = {},
): CairnError {
  if (isCairnError(e)) return e
  const message = e instanceof Error ? e.message : String(e)
  return new CairnError(code, `${doing}: ${message}`, {
    exitCode: 3,
    ...options,
    cause: e,
  })
}
