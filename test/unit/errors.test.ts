/** The error registry: every code has an exit code and a summary, and the README agrees with it. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CairnError, ERRORS, EXIT, type ErrorCode } from '../../src/errors.js'

describe('error registry', () => {
  it('gives every code an exit code and a summary', () => {
    for (const [code, e] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^[a-z][a-z0-9_]*$/)
      expect([EXIT.problems, EXIT.usage, EXIT.runtime]).toContain(e.exit)
      expect(e.summary.length).toBeGreaterThan(0)
    }
  })

  it('derives the exit code from the code, unless a site overrides it', () => {
    expect(new CairnError('connection_lost', 'x').exitCode).toBe(EXIT.runtime)
    expect(new CairnError('snapshot_mismatch', 'x').exitCode).toBe(EXIT.problems)
    expect(new CairnError('bad_usage', 'x').exitCode).toBe(EXIT.usage)
    expect(new CairnError('unknown_migration', 'x', { exitCode: EXIT.runtime }).exitCode).toBe(EXIT.runtime)
  })

  it("matches the README's `code`, exit N mentions", () => {
    const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8')
    const mentions = [...readme.matchAll(/`([a-z][a-z0-9_]*)`,?\s+\(?exit (\d)/g)].filter((m) => m[1]! in ERRORS)
    expect(mentions.length).toBeGreaterThan(5)
    for (const m of mentions) expect({ code: m[1], exit: ERRORS[m[1] as ErrorCode].exit }).toEqual({ code: m[1], exit: Number(m[2]) })
  })
})
