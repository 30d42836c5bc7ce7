/** `cairn lint`: lock-safety and compatibility rules over migration SQL (pure: SQL text in, findings out). */
export { lint, lintLoaded, nonTransactionalKind } from './lint.js'
export type { Finding, LintFileInput, LintOptions, LintResult, LintedFile } from './lint.js'
export { RULES, RULE_BY_CODE, ruleOf } from './rules.js'
export type { Rule, Severity } from './rules.js'
export { githubAnnotations, jsonReport } from './report.js'
