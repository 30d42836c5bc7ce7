/**
 * Where a DSL object was defined: captured as a stack when the object is created and resolved to
 * `file:line` only when an error needs it (formatting stacks is the expensive part).
 */
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { findSourceMap } from 'node:module'

const DSL_DIR = path.dirname(fileURLToPath(import.meta.url))

/** A lazily resolved definition site. */
export interface DefinedAt {
  readonly error: Error
  /** The DSL's own folder in the module instance that captured it (src/ via tsx, or dist/). */
  readonly dslDir: string
}

/** Captures the current call site; cheap, since V8 formats the stack only when it is read. */
export function captureLocation(): DefinedAt {
  return { error: new Error('defined here'), dslDir: DSL_DIR }
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/

/** The first stack frame outside the DSL itself, as an absolute path and a line. */
export function resolveLocation(at: DefinedAt | undefined): { file: string; line: number } | undefined {
  const stack = at?.error.stack
  if (!stack) return undefined
  for (const raw of stack.split('\n').slice(1)) {
    const m = FRAME.exec(raw.trim())
    if (!m) continue
    let file = m[1]
    let line = Number(m[2])
    if (file.startsWith('node:') || file.startsWith('data:')) continue
    if (file.includes('?')) {
      // an unmapped frame of a module loaded through a loader (tsx) whose source map the stack
      // formatter in use (e.g. a test runner's) did not apply: map it here
      const mapped = findSourceMap(file)?.findEntry(line - 1, Number(m[3]) - 1)
      if (mapped && 'originalLine' in mapped && mapped.originalSource) {
        file = mapped.originalSource
        line = mapped.originalLine + 1
      }
    }
    if (file.startsWith('file://')) {
      try {
        file = fileURLToPath(file)
      } catch {
        continue
      }
    }
    file = file.replace(/\?.*$/, '')
    if (path.dirname(file) === at.dslDir || path.dirname(file) === DSL_DIR || isDslFile(file)) continue
    if (file.includes(`${path.sep}node_modules${path.sep}`)) continue
    return { file, line }
  }
  return undefined
}

/** `schema/auth/users.ts:12`, relative to `root` (forward slashes), or undefined when unknown. */
export function formatLocation(at: DefinedAt | undefined, root: string): string | undefined {
  const loc = resolveLocation(at)
  if (!loc) return undefined
  const rel = path.relative(root, loc.file)
  const shown = rel.startsWith('..') || path.isAbsolute(rel) ? loc.file : rel
  return `${shown.split(path.sep).join('/')}:${loc.line}`
}

/** A frame inside a copy of the DSL itself (`src/dsl/…` or `dist/dsl/…`, also when bundled). */
function isDslFile(file: string): boolean {
  const parts = file.split(path.sep)
  return parts.length > 2 && parts[parts.length - 2] === 'dsl' && ['src', 'dist'].includes(parts[parts.length - 3])
}
