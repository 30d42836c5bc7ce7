#!/usr/bin/env node
// The `cairn` command. Runs the compiled CLI in dist/; in a clone where dist/ was not built yet, runs
// the TypeScript sources through tsx (slower to start) after saying so. Never a raw stack trace.
import { existsSync } from 'node:fs'

const fail = (message, code = 3) => {
  process.stderr.write(`cairn: ${message}\n`)
  process.exit(code)
}

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) fail(`needs Node.js 20.19 or later; this is ${process.version}`, 2)

const dist = new URL('../dist/cli/program.js', import.meta.url)
const src = new URL('../src/cli/program.ts', import.meta.url)

let program
try {
  if (existsSync(dist)) program = await import(dist.href)
  else if (existsSync(src)) {
    try {
      const { register } = await import('tsx/esm/api')
      register()
    } catch {
      fail('dist/ is not built and the dependencies are not installed: run `npm install` (it builds dist/) in the cairn folder')
    }
    process.stderr.write('cairn: dist/ is not built (`npm run build`); running from the TypeScript sources, which starts slower\n')
    program = await import(src.href)
  } else fail('this installation of cairn-pg is incomplete (dist/ is missing): reinstall it (npm install cairn-pg)')
} catch (e) {
  if (process.env.CAIRN_DEBUG) process.stderr.write(`${e?.stack ?? e}\n`)
  const missing = e?.code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find (?:package|module) '([^']+)'/.exec(String(e.message))?.[1] : undefined
  fail(
    missing
      ? `cannot start: ${missing} is not installed. Run \`npm install\` in the project (or reinstall cairn-pg)`
      : `cannot start: ${String(e?.message ?? e).split('\n')[0]} (CAIRN_DEBUG=1 shows the stack)`,
  )
}
process.exitCode = await program.run(process.argv)
