/**
 * Terminal manners: colour follows NO_COLOR / FORCE_COLOR and the terminal, `--json` output is never
 * coloured, and every command's `--help` ends with examples.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Command } from 'commander'
import { afterAll, describe, expect, it } from 'vitest'
import { buildProgram, run } from '../../../src/cli/program.js'
import type { CliContext } from '../../../src/cli/context.js'
import { useColor } from '../../../src/cli/context.js'
import { EXAMPLES } from '../../../src/cli/examples.js'

const ANSI = /\x1b\[/
const empty = mkdtempSync(path.join(os.tmpdir(), 'cairn-terminal-'))
afterAll(() => rmSync(empty, { recursive: true, force: true }))

async function cairn(args: string[], env: Record<string, string>, isTTY: boolean) {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = { cwd: empty, env, stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY, exitCode: 0 }
  const code = await run(['node', 'cairn', ...args], ctx)
  return { code, stdout: out.join(''), stderr: err.join('') }
}

describe('colour', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(useColor({ env: {}, isTTY: true })).toBe(true)
    expect(useColor({ env: {}, isTTY: false })).toBe(false)
    expect(useColor({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false)
    expect(useColor({ env: { NO_COLOR: '' }, isTTY: true })).toBe(true)
    expect(useColor({ env: { TERM: 'dumb' }, isTTY: true })).toBe(false)
    expect(useColor({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true)
    expect(useColor({ env: { FORCE_COLOR: '0' }, isTTY: true })).toBe(false)
    expect(useColor({ env: { FORCE_COLOR: '1', NO_COLOR: '1' }, isTTY: false })).toBe(true)
  })

  // an error (no schema/ here) is printed in colour on a terminal
  const failing = ['generate', 'x']
  it('a terminal gets colour; NO_COLOR output has no ANSI codes', async () => {
    const tty = await cairn(failing, {}, true)
    expect(tty.code).toBe(2)
    expect(tty.stderr).toMatch(ANSI)
    const plain = await cairn(failing, { NO_COLOR: '1' }, true)
    expect(plain.code).toBe(2)
    expect(plain.stderr + plain.stdout).not.toMatch(ANSI)
    expect(plain.stderr).toContain('schema/index.ts')
  })

  it('FORCE_COLOR colours a pipe; --json output never has colour', async () => {
    expect((await cairn(failing, { FORCE_COLOR: '1' }, false)).stderr).toMatch(ANSI)
    const json = await cairn([...failing, '--json'], { FORCE_COLOR: '1' }, true)
    expect(json.stdout + json.stderr).not.toMatch(ANSI)
    expect(JSON.parse(json.stdout).error.code).toBe('schema_not_found')
  })
})

describe('--help', () => {
  const paths: string[] = []
  const walk = (c: Command, prefix: string) => {
    for (const s of c.commands) {
      paths.push(`${prefix}${s.name()}`)
      walk(s, `${prefix}${s.name()} `)
    }
  }
  walk(buildProgram({ cwd: empty, env: {}, stdout: () => {}, stderr: () => {}, isTTY: false, exitCode: 0 }), '')

  it('every command has examples', () => {
    expect(paths.length).toBeGreaterThan(10)
    expect(paths.filter((p) => !EXAMPLES[p])).toEqual([])
  })

  it.each(paths)('cairn %s --help ends with examples', async (p) => {
    const r = await cairn([...p.split(' '), '--help'], {}, false)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('\nExamples:\n')
    expect(r.stdout).toContain(`  $ cairn ${p.split(' ')[0]}`)
    expect(r.stdout).not.toMatch(ANSI)
  })
})
