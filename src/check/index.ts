/** `cairn check`: constraint pre-flight of pending migrations on the rows a live database holds. */
export { checkConstraints, checkExitCode } from './check.js'
export type { CheckReport, CheckSource } from './check.js'
export { runChecks } from './run.js'
export type { CheckOptions, CheckResult, CheckStatus, SampleRow } from './run.js'
export { validationsOf, constraintValidations } from './validations.js'
export type { KeyPart, RunFile, TypeTarget, Validation, ValidationKind } from './validations.js'
export { checkGithub, failingText, sampleLines } from './report.js'
