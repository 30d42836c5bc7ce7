/**
 * Telling a lost connection from other failures. Pure (no driver import): the migration runner,
 * backfill and the CLI use it to decide what a failure means.
 */
import { CairnError, isCairnError } from '../errors.js'
import { redactSecrets } from './redact.js'

/** The stable code of a CairnError raised when the server connection went away mid-command. */
export const CONNECTION_LOST = 'connection_lost'

/** Socket-level error codes of Node that mean the connection is gone or never came up. */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN'])

/** SQLSTATEs that end the session: class 08 (connection exception), admin and crash shutdown. */
const SESSION_ENDING_STATES = new Set(['57P01', '57P02'])

/** Messages of `pg` (which carry no code) that mean the client's connection is dead. */
const DRIVER_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /is not queryable$/,
  /^timeout exceeded when trying to connect$/,
]

/**
 * True when `err` (or an error in its `cause` chain) means the database connection was lost:
 * terminated by the server (57P01 admin_shutdown, 57P02), a class 08 connection exception, a socket
 * reset, or the driver's "Connection terminated unexpectedly" / "not queryable" errors; also a
 * CairnError with the code `connection_lost`.
 */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== 'object') return false
    if (isCairnError(e) && (e as CairnError).code === CONNECTION_LOST) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || SESSION_ENDING_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true
    }
    const message = (e as { message?: unknown }).message
    if (typeof message === 'string' && DRIVER_MESSAGES.some((m) => m.test(message))) return true
  }
  return false
}

/**
 * The CairnError for a lost connection (exit code 3). `target` names the database (it is redacted
 * here as well); `during` says what was in flight, e.g. `'commit'`, where the outcome is unknown.
 * A value that already is such an error is returned as it is.
 */
export function connectionLost(err: unknown, target?: string, during?: 'commit' | 'query' | 'copy'): CairnError {
  if (isCairnError(err) && (err as CairnError).code === CONNECTION_LOST) return err as CairnError
  const reason = redactSecrets(err instanceof Error ? err.message : String(err))
  const where = target ? ` to ${redactSecrets(target)}` : ''
  const sqlstate = typeof (err as { code?: unknown })?.code === 'string' ? ((err as { code: string }).code) : undefined
  const message =
    during === 'commit'
      ? `lost the connection${where} while committing: ${reason}; the transaction may or may not have been committed`
      : `lost the connection${where}: ${reason}`
  return new CairnError(CONNECTION_LOST, message, {
    hint:
      'the server closed the connection (an administrator ran pg_terminate_backend, the server restarted or failed over, ' +
      'or the network dropped it); what was committed before is kept, and running the command again continues from there',
    meta: { ...(sqlstate ? { code: sqlstate } : {}), ...(during ? { during } : {}) },
    cause: err,
  })
}
