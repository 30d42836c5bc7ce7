import type { Command } from 'commander'
import type { CliContext } from '../context.js'
import { registerMigrate } from './migrate.js'
import { registerBaseline } from './baseline.js'
import { registerBackfill } from './backfill.js'
import { registerDiff } from './diff.js'
import { registerDrift } from './drift.js'
import { registerGenerate } from './generate.js'
import { registerSql } from './sql.js'
import { registerPush } from './push.js'
import { registerSeed } from './seed.js'
import { registerLint } from './lint.js'
import { registerInit } from './init.js'
import { registerPull } from './pull.js'
import { registerPartitions } from './partitions.js'
import { registerCheck } from './check.js'
import { registerVerify } from './verify.js'

/** A command module registers itself on the program. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [registerInit, registerPull, registerGenerate, registerMigrate, registerBaseline, registerBackfill, registerDiff, registerDrift, registerSql, registerPush, registerSeed, registerPartitions, registerLint, registerCheck, registerVerify]
