/** Writes a throwaway project (schema/*.ts importing cairn's src) under test/.generated for loader and CLI tests. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Creates a project whose files are given relative to its root; `CAIRN` in a file becomes the import path of the DSL entry (src/dsl/index.js). */
export function writeProject(files: Record<string, string>): { root: string; remove(): void } {
  const root = path.join(repo, 'test', '.generated', `project-${randomBytes(4).toString('hex')}`)
  for (const [rel, body] of Object.entries(files)) {
    const file = path.join(root, rel)
    mkdirSync(path.dirname(file), { recursive: true })
    const cairn = path.relative(path.dirname(file), path.join(repo, 'src', 'dsl', 'index.js')).split(path.sep).join('/')
    writeFileSync(file, body.replaceAll('CAIRN', cairn))
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) }
}
