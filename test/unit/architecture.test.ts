/**
 * The rules between folders (ARCHITECTURE.md): the core is pure, drivers stay behind src/db, and
 * only src/cli prints, colours or exits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = path.resolve(__dirname, '../../src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

const rel = (p: string) => path.relative(SRC, p).split(path.sep).join('/')
const offenders = (dirs: string[], re: RegExp, except: (f: string) => boolean = () => false) =>
  dirs.flatMap((d) => files(path.join(SRC, d))).filter((f) => !except(rel(f)) && re.test(readFileSync(f, 'utf8'))).map(rel)

describe('architecture rules', () => {
  it('model, diff, plan, sqlgen, lint and types import no driver, no file system, no terminal library', () => {
    expect(offenders(['model', 'diff', 'plan', 'sqlgen', 'lint', 'types'], /from '(node:fs|node:child_process|pg|mongodb|@electric-sql\/pglite|chalk|commander)'/)).toEqual([])
  })
  it('only src/db imports the drivers', () => {
    const all = readdirSync(SRC).filter((d) => statSync(path.join(SRC, d)).isDirectory() && d !== 'db')
    expect(offenders(all, /from '(pg|@electric-sql\/pglite|mongodb)'/)).toEqual([])
    expect(offenders(['db'], /from 'mongodb'/, (f) => f === 'db/mongo.ts')).toEqual([])
  })
  it('only src/cli prints, colours or exits', () => {
    const all = readdirSync(SRC).filter((d) => statSync(path.join(SRC, d)).isDirectory() && d !== 'cli')
    expect(offenders(all, /\bchalk\b|process\.(exit|argv)|console\./)).toEqual([])
  })
})
