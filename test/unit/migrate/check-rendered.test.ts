/** checkRendered: SQL cairn wrote must parse into exactly the statements it meant, or nothing leaves. */
import { describe, expect, it } from 'vitest'
import { checkRendered } from '../../../src/migrate/check-rendered.js'
import type { CairnError } from '../../../src/errors.js'

const failure = async (text: string, expected: string[]): Promise<CairnError> => {
  try {
    await checkRendered(text, expected, 'the test SQL')
  } catch (e) {
    return e as CairnError
  }
  throw new Error('expected checkRendered to throw')
}

describe('checkRendered', () => {
  it('accepts text that reads back as the statements, comments and all', async () => {
    await checkRendered("-- a\r\nSELECT 1;\n\n-- b\nSELECT ';';\n", ['SELECT 1', "SELECT ';'"], 'x')
    await checkRendered('', [], 'x')
  })

  it('refuses a statement that smuggles another, one that a comment swallows, and text that does not parse', async () => {
    const smuggled = await failure('SELECT 1; DROP TABLE t;\n', ['SELECT 1; DROP TABLE t'])
    expect(smuggled.code).toBe('render_check_failed')
    expect(smuggled.exitCode).toBe(3)
    expect(smuggled.message).toMatch(/^the test SQL does not parse into the statements cairn meant to write: statement 1 of 1 reads back as "SELECT 1"/)
    expect((await failure('-- x\rDROP TABLE t;\nSELECT 1;\n', ['SELECT 1'])).message).toMatch(/statement 1 of 1 reads back as "DROP TABLE t"/)
    expect((await failure("SELECT 'a;\n", ["SELECT 'a"])).code).toBe('render_check_failed')
  })
})
