/** `cairn-pg/config`: the typed project configuration (`cairn.config.ts`) and its loader. */
export { defineConfig } from './define-config.js'
export type { CairnConfig, CairnEnvironment } from './define-config.js'
export { loadConfig, configForRoot, findConfigFile, selectEnvironment, validateConfig, defaultConfig, CONFIG_FILES, DEFAULT_LAYOUT } from './load-config.js'
export type { LoadConfigOptions, ResolvedConfig } from './load-config.js'
