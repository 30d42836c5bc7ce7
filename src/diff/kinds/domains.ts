/**
 * Domains: defaults, NOT NULL and checks are altered in place; a new base type or collation means
 * a new domain: dropped and created while nothing uses it, created beside the old one when only
 * table columns do (they move to it), refused when a function, another domain or a type does.
 */
import type { DomainDef } from '../../model/types.js'
import { qname } from '../../sqlgen/quote.js'
import { retypedFrom, typeUsers, type DiffContext, type DiffKind } from '../context.js'
import { byKey, diffByKey, k2 } from '../keyed.js'
import { asideName } from './enums.js'
import { callsGoneFunction } from './functions.js'

function domainChecks(ctx: DiffContext, f: DomainDef | undefined, d: DomainDef, callsGone: (text: string | undefined) => boolean): void {
  const fc = byKey(f?.checks ?? [], (c) => c.name)
  const tc = byKey(d.checks, (c) => c.name)
  for (const c of f?.checks ?? []) {
    const n = tc.get(c.name)
    if (!n || n.expression !== c.expression || callsGone(c.expression)) ctx.out.push({ kind: 'drop_domain_check', domain: d, check: c })
  }
  for (const c of d.checks) {
    const o = fc.get(c.name)
    const fresh = !o || o.expression !== c.expression || callsGone(o.expression)
    if (fresh && f) ctx.out.push({ kind: 'add_domain_check', domain: d, check: c })
    ctx.comment({ on: 'domain_constraint', schema: d.schema, domain: d.name, name: c.name }, fresh ? undefined : o?.comment, c.comment)
  }
}

export const domains: DiffKind = {
  name: 'domains',
  diff(ctx) {
    const { from, to, out } = ctx
    const { pairs, dropped } = diffByKey(from.domains, to.domains, (d) => k2(d.schema, d.name))
    const callsGone = callsGoneFunction(ctx)
    for (const { from: f, to: d } of pairs) {
      // the domain whose checks are altered in place, if it is not created (again)
      let kept: DomainDef | undefined = f
      if (!f) out.push({ kind: 'create_domain', domain: d })
      else if (f.type !== d.type || f.collation !== d.collation) {
        const users = typeUsers(from, f.schema, f.name)
        const q = qname(f.schema, f.name)
        const inComposite = (from.composites ?? []).some((c) => c.attributes.some((a) => a.type === q || a.type.startsWith(`${q}[`)))
        if (users.length && users.every((u) => u.startsWith('column ')) && !inComposite) {
          // only columns use it: they move to a new domain of the same name (the old one set aside)
          out.push({ kind: 'recreate_domain', from: f, to: d, asideName: asideName(d.name, from) })
          ctx.recreatedEnums.add(q)
          kept = undefined
        } else if (users.length) {
          out.push({
            kind: 'unsupported',
            object: `${d.schema}.${d.name}`,
            objectKind: 'domain',
            message: `domain ${qname(d.schema, d.name)} changes its base type from ${f.type}${f.collation ? ` collate ${f.collation}` : ''} to ${d.type}${d.collation ? ` collate ${d.collation}` : ''}, and ${users.slice(0, 3).join(', ')}${users.length > 3 ? ' and more' : ''} use${users.length === 1 ? 's' : ''} it`,
            hint: 'Postgres cannot change the base type of a domain: create a new domain under another name, move each column to it (ALTER COLUMN … TYPE new_domain USING col::base_type::new_domain) in a hand-written migration, drop the old domain, then rename the new one',
          })
        } else {
          out.push({ kind: 'drop_domain', domain: f }, { kind: 'create_domain', domain: d })
          kept = undefined
        }
      } else if (callsGone(f.default)) {
        // dropped before the function goes, set again once it is back
        const { default: _, ...bare } = f
        out.push({ kind: 'alter_domain', from: f, to: bare }, { kind: 'alter_domain', from: bare, to: d })
      } else if (f.default !== d.default || f.notNull !== d.notNull) out.push({ kind: 'alter_domain', from: f, to: d })
      ctx.comment({ on: 'domain', schema: d.schema, name: d.name }, kept?.comment, d.comment)
      domainChecks(ctx, kept, d, callsGone)
    }
    for (const f of dropped) {
      out.push({ kind: 'drop_domain', domain: f, ...(typeUsers(to, f.schema, f.name).length || retypedFrom(ctx, f.schema, f.name) ? { afterColumns: true } : {}) })
    }
  },
}
