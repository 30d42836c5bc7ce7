#!/usr/bin/env node
import { run } from '../dist/cli/program.js'
process.exitCode = await run(process.argv)
