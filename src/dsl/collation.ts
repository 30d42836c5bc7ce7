/**
 * Collations: `collation(schema, name, { provider, locale, lcCollate, lcCtype, deterministic, from })`,
 * CREATE COLLATION. Name it where a column, index key or domain takes a collation by its qualified
 * name (`text().collate('app.ci')`):
 *
 *   export const ci = collation(app, 'ci', { provider: 'icu', locale: 'und-u-ks-level2', deterministic: false })
 *   export const bytes = collation(app, 'bytes', { from: 'C' })
 *
 * Export it. The loader checks the options (`src/load/collations.ts`).
 */
import type { CollationDef } from '../model/types.js'
import { qname } from '../sqlgen/quote.js'
import type { DefinedAt } from './location.js'
import { captureLocation } from './location.js'
import { markDsl } from './table.js'

/** Options of {@link collation}. */
export interface CollationOptions {
  /** Default `libc`. */
  readonly provider?: 'icu' | 'libc'
  /** ICU: a BCP 47 language tag (`und-u-ks-level2`, `en-US`); libc: LC_COLLATE and LC_CTYPE both (`C`). */
  readonly locale?: string
  /** libc only, with lcCtype, instead of locale. */
  readonly lcCollate?: string
  readonly lcCtype?: string
  /** Default true; false (ICU only) makes strings that compare equal equal, e.g. case-insensitive. */
  readonly deterministic?: boolean
  /**
   * FROM an existing collation, copied: `C`, `POSIX`, or an ICU one (`und-x-icu`, `en-US-x-icu`);
   * alone, without the other options.
   */
  readonly from?: string
  readonly comment?: string
}

/** A collation; export it. */
export interface Collation {
  readonly $def: CollationDef
  readonly $schema: string
  readonly $name: string
  /** `schema.name`, as a column's `.collate()` takes it. */
  readonly qualifiedName: string
  readonly at: DefinedAt
  /** What cannot be turned into a definition (the loader reports it). */
  readonly $problems: readonly string[]
}

/** What CREATE COLLATION … FROM copies from the collations it knows. */
function copied(from: string): Pick<CollationDef, 'provider' | 'locale' | 'lcCollate' | 'lcCtype'> | undefined {
  if (from === 'C' || from === 'POSIX') return { provider: 'libc', lcCollate: from, lcCtype: from }
  const icu = /^(.+)-x-icu$/.exec(from)
  return icu ? { provider: 'icu', locale: icu[1]! } : undefined
}

/** `CREATE COLLATION schema.name (provider = …, locale = … | lc_collate = …, lc_ctype = …, deterministic = …)`. */
export function collation(schema: string | { readonly name: string }, name: string, options: CollationOptions = {}): Collation {
  const s = typeof schema === 'string' ? schema : schema.name
  const at = captureLocation()
  const problems: string[] = []
  let base: Pick<CollationDef, 'provider' | 'locale' | 'lcCollate' | 'lcCtype'>
  if (options.from !== undefined) {
    const others = (['provider', 'locale', 'lcCollate', 'lcCtype', 'deterministic'] as const).filter((k) => options[k] !== undefined)
    if (others.length) problems.push(`gives from together with ${others.join(', ')}; FROM copies a collation whole`)
    const c = copied(options.from)
    if (!c) problems.push(`copies "${options.from}", which cairn cannot read without a database: only C, POSIX and ICU collations (und-x-icu, en-US-x-icu) are known`)
    base = c ?? { provider: 'libc' }
  } else {
    const provider = options.provider ?? 'libc'
    if (provider !== 'libc' && provider !== 'icu') problems.push(`has provider "${String(provider)}", which is not icu or libc`)
    if (provider === 'icu') {
      if (options.lcCollate !== undefined || options.lcCtype !== undefined) problems.push('is ICU but gives lcCollate or lcCtype, which only libc takes')
      if (options.locale === undefined) problems.push('is ICU but gives no locale')
      else if (/_/.test(options.locale)) problems.push(`has ICU locale "${options.locale}", which is not a language tag (PostgreSQL 16+ rewrites it as one)`)
      base = { provider, ...(options.locale !== undefined ? { locale: options.locale } : {}) }
    } else {
      const lcCollate = options.lcCollate ?? options.locale
      const lcCtype = options.lcCtype ?? options.locale
      if (options.locale !== undefined && (options.lcCollate !== undefined || options.lcCtype !== undefined)) problems.push('gives locale together with lcCollate or lcCtype')
      if (lcCollate === undefined || lcCtype === undefined) problems.push('is libc but gives no locale (or lcCollate and lcCtype both)')
      if (options.deterministic === false) problems.push('is libc and nondeterministic, which only ICU collations can be')
      base = { provider: 'libc', ...(lcCollate !== undefined ? { lcCollate } : {}), ...(lcCtype !== undefined ? { lcCtype } : {}) }
    }
  }
  const def: CollationDef = {
    kind: 'collation',
    schema: s,
    name,
    ...base,
    deterministic: options.deterministic ?? true,
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  }
  return markDsl({ $def: def, $schema: s, $name: name, qualifiedName: qname(s, name), at, $problems: problems }, 'collation')
}
