/**
 * Names of tests that may be skipped: a skipped test says why in the test output.
 *
 *   describe.skipIf(!url)(orSkipped('on the server', !url, NEEDS_DATABASE_URL), () => …)
 */

/** Why the server tests skip without DATABASE_URL. */
export const NEEDS_DATABASE_URL = 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it on the server'

/** `name`, followed by `(skipped: reason)` when `skipped`. */
export function orSkipped(name: string, skipped: unknown, reason: string): string {
  return skipped ? `${name} (skipped: ${reason})` : name
}
