/**
 * Static detection of object kinds and options the cairn model does not hold yet. A case "needs" a
 * kind when the statements that use it differ between old.sql and new.sql (same statements on both
 * sides cancel out: the object exists unchanged in both databases and needs no migration).
 */
import { normalizeStatement, splitSql } from './sql-split.js'

/** A kind the model cannot express, recognised by a test on one normalised statement. */
interface KindRule {
  readonly kind: string
  readonly test: (stmt: string, ctx: { views: ReadonlySet<string> }) => boolean
  /** Needed whenever present, even unchanged: it changes what other statements create. */
  readonly whenPresent?: boolean
}

/** What cairn's model (src/model/types.ts) has no field for; kept in one place to update as it grows. */
export const CAIRN_UNMODELLED: readonly KindRule[] = [
  { kind: 'range type', test: (s) => /^create type \S+ as range\b/.test(s) },
  { kind: 'table inheritance', test: (s) => /\binherits\s*\(/.test(s) },
  { kind: 'rule', test: (s) => /^create (or replace )?rule\b/.test(s) },
  {
    kind: 'other object kind',
    test: (s) => /^create (operator|cast|text search|conversion|event trigger|publication|subscription|statistics|foreign|server|user mapping)\b/.test(s),
  },
  { kind: 'column statistics', test: (s) => /^alter table\b.*\b(set statistics|replica identity)\b/.test(s) },
  { kind: 'virtual generated column', test: (s) => /\bgenerated always as \(.*\)\s*virtual\b/.test(s) },
  { kind: 'identity sequence options', test: (s) => /\bas identity\s*\(/.test(s) },
  { kind: 'not valid constraint', test: (s) => /^alter domain\b.*\bnot valid\b/.test(s) },
  { kind: 'comment on rule', test: (s) => /^comment on rule\b/.test(s) },
]

const unq = (s: string): string => s.replace(/^"|"$/g, '')

function viewNames(stmts: readonly string[]): Set<string> {
  const out = new Set<string>()
  for (const s of stmts) {
    const m = /^create (?:or replace )?(?:materialized )?view (?:if not exists )?((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)/.exec(s)
    if (m) out.add(unq(m[1]!.split('.').pop()!))
  }
  return out
}

/** Kinds from `rules` whose statements differ between the two scripts, sorted. */
export function neededKinds(oldSql: string, newSql: string, rules: readonly KindRule[] = CAIRN_UNMODELLED): string[] {
  const a = splitSql(oldSql).map(normalizeStatement)
  const b = splitSql(newSql).map(normalizeStatement)
  const views = new Set([...viewNames(a), ...viewNames(b)])
  const out: string[] = []
  for (const rule of rules) {
    const pick = (xs: readonly string[]): string => xs.filter((s) => rule.test(s, { views })).sort().join('\n')
    const [pa, pb] = [pick(a), pick(b)]
    if (pa !== pb || (rule.whenPresent && pa !== '')) out.push(rule.kind)
  }
  return out.sort()
}
