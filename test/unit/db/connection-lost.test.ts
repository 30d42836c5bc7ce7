import { describe, expect, it } from 'vitest'
import { CONNECTION_LOST, connectionLost, isConnectionError } from '../../../src/db/connection-lost.js'
import { CairnError, wrapError } from '../../../src/errors.js'
import { run } from '../../../src/cli/program.js'
import { capturedContext } from '../../helpers/cli-context.js'
import { toCairnError } from '../../../src/cli/render/errors.js'

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' })

describe('isConnectionError', () => {
  it.each([
    ['57P01 admin_shutdown', pgError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', pgError('57P02', 'terminating connection because of crash of another server process')],
    ['08006 connection_failure', pgError('08006', 'connection failure')],
    ['08P01 protocol_violation', pgError('08P01', 'protocol violation')],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['EPIPE', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    ['pg: terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: not queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['in a cause chain', new Error('running migrations', { cause: new Error('Connection terminated unexpectedly') })],
    ['a connection_lost CairnError', new CairnError(CONNECTION_LOST, 'lost')],
    ['wrapped by wrapError', wrapError('migration_failed', 'running', pgError('57P01', 'terminating connection'))],
  ])('%s is a connection error', (_, e) => {
    expect(isConnectionError(e)).toBe(true)
  })

  it.each([
    ['a SQL error', pgError('42P01', 'relation "x" does not exist')],
    ['a lock timeout', pgError('55P03', 'canceling statement due to lock timeout')],
    ['a query cancel', pgError('57014', 'canceling statement due to user request')],
    ['another CairnError', new CairnError('lock_timeout', 'gave up')],
    ['undefined', undefined],
    ['a string', 'Connection terminated unexpectedly'],
  ])('%s is not', (_, e) => {
    expect(isConnectionError(e)).toBe(false)
  })
})

describe('connectionLost', () => {
  it('is a CairnError with exit code 3, the (redacted) target, a hint and the SQLSTATE', () => {
    const e = connectionLost(pgError('57P01', 'terminating connection due to administrator command'), 'postgres://app:s3cret@db/prod')
    expect(e.code).toBe('connection_lost')
    expect(e.exitCode).toBe(3)
    expect(e.message).toBe('lost the connection to postgres://app:***@db/prod: terminating connection due to administrator command')
    expect(e.hint).toContain('pg_terminate_backend')
    expect(e.meta).toEqual({ code: '57P01' })
    expect(connectionLost(e)).toBe(e)
  })

  it('says the outcome of a lost COMMIT is unknown', () => {
    expect(connectionLost(new Error('Connection terminated unexpectedly'), 'postgres://h/db', 'commit').message).toMatch(/may or may not have been committed/)
  })
})

describe('the CLI', () => {
  it('reports a raw lost-connection error that escapes a command as connection_lost, exit 3', () => {
    const e = toCairnError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))
    expect(e.code).toBe('connection_lost')
    expect(e.exitCode).toBe(3)
    expect(toCairnError(new Error('boom')).code).toBe('internal_error')
  })

  it('an unreachable server is exit 3 with a message, not a stack', async () => {
    const ctx = capturedContext(process.cwd())
    const code = await run(['node', 'cairn', 'migrate', 'status', '--url', 'postgres://127.0.0.1:1/x'], ctx)
    expect(code).toBe(3)
    expect(ctx.err).toMatch(/\[db_unreachable\] cannot connect to PostgreSQL at 127\.0\.0\.1:1/)
    expect(ctx.err).not.toMatch(/\n\s+at /)
  })
})

describe('a URL the driver cannot parse', () => {
  it('is bad_url (exit 2) without its password', async () => {
    const ctx = capturedContext(process.cwd())
    const code = await run(['node', 'cairn', 'migrate', 'status', '--url', 'postgres://app:Pw1-secret@127.0.0.1:notaport/db'], ctx)
    expect(code).toBe(2)
    expect(ctx.err).toContain('[bad_url] invalid database URL "postgres://app:***@127.0.0.1:notaport/db"')
    expect(ctx.err).not.toContain('Pw1-secret')
  })
})
