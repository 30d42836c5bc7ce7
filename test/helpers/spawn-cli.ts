/**
 * The CLI from source in a child process (no build needed): a crash, an unhandled 'error' event or a
 * signal ends the child, not the test. DATABASE_URL is cleared so only `--url` chooses the target.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PROGRAM = pathToFileURL(path.join(ROOT, 'src/cli/program.ts')).href
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href

export interface CliChild {
  /** The exit code (null when a signal ended it). */
  readonly code: Promise<number | null>
  readonly stdout: () => string
  readonly stderr: () => string
  /** stdout and stderr as they interleaved. */
  readonly out: () => string
  readonly exited: () => boolean
  kill(signal?: NodeJS.Signals): void
}

export function spawnCairn(cwd: string, args: readonly string[]): CliChild {
  const code = `import { run } from ${JSON.stringify(PROGRAM)}; process.exitCode = await run(['node', 'cairn', ...process.argv.slice(1)])`
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', code, ...args], {
    cwd,
    env: { ...process.env, DATABASE_URL: '', CAIRN_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let out = ''
  let exited = false
  child.stdout.on('data', (d) => ((stdout += d), (out += d)))
  child.stderr.on('data', (d) => ((stderr += d), (out += d)))
  return {
    code: new Promise((resolve) =>
      child.on('exit', (c) => {
        exited = true
        resolve(c)
      }),
    ),
    stdout: () => stdout,
    stderr: () => stderr,
    out: () => out,
    exited: () => exited,
    kill: (signal = 'SIGKILL') => child.kill(signal),
  }
}
