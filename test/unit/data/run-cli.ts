/** Runs the cairn CLI from source (for tests that spawn and kill a real process): `node --import tsx run-cli.ts …`. */
import { run } from '../../../src/cli/program.js'

process.exitCode = await run(process.argv)
