/** Domains and their checks. */
import * as alter from '../../sqlgen/alter.js'
import * as ddl from '../../sqlgen/ddl.js'
import { ident, qname } from '../../sqlgen/quote.js'
import { type PlanKind } from '../context.js'
import { hazard } from '../hazards.js'
import { commentBack, PHASE } from '../statements.js'

export const domains = {
  name: 'domains',
  steps: {
    create_domain(c, ctx) {
      const { emit } = ctx
      const d = c.domain
      return emit(c, PHASE.createDomain, ddl.createDomain(d), `create domain ${d.schema}.${d.name}`, {
        reverse: [alter.dropDomain(d.schema, d.name)],
      })
    },
    recreate_domain(c, ctx) {
      const { emit } = ctx
      const d = c.to
      const name = `${d.schema}.${d.name}`
      const irreversible = `domain ${name} is created again over ${d.type}; the down migration cannot restore the old domain`
      emit(c, PHASE.createDomain, alter.renameDomain(d.schema, d.name, c.asideName), `domain ${name} changes its base type, step 1: move the old domain aside`, {
        irreversible,
        hazards: [hazard('irreversible', name, irreversible), hazard('table_rewrite', name, `every column of domain ${name} is converted to the new domain; a value that does not fit makes the migration fail`)],
      })
      emit(c, PHASE.createDomain, ddl.createDomain(d), `domain ${name} changes its base type, step 2: the new domain (its columns move to it next)`)
      emit(c, PHASE.dropTypeAfterColumns, alter.dropDomain(d.schema, c.asideName), `domain ${name} changes its base type, step 3: drop the old domain once no column uses it`)
      return
    },
    drop_domain(c, ctx) {
      const { emit, gone } = ctx
      const d = c.domain
      const name = `${d.schema}.${d.name}`
      return emit(c, c.afterColumns ? PHASE.dropTypeAfterColumns : PHASE.dropDomain, alter.dropDomain(d.schema, d.name), `drop domain ${name}`, {
        hazards: gone(`domain:${name}`) ? [hazard('drop_domain', name, `domain ${name} is dropped`)] : [],
        reverse: [
          ddl.createDomain(d),
          ...commentBack(`DOMAIN ${qname(d.schema, d.name)}`, d.comment),
          ...d.checks.flatMap((k) => commentBack(`CONSTRAINT ${ident(k.name)} ON DOMAIN ${qname(d.schema, d.name)}`, k.comment)),
        ],
      })
    },
    alter_domain(c, ctx) {
      const { emit } = ctx
      const d = c.to
      const name = `${d.schema}.${d.name}`
      if (c.from.default !== d.default) {
        emit(c, d.default === undefined ? PHASE.dropDefault : PHASE.alterColumn, alter.alterDomainDefault(d.schema, d.name, d.default),
          d.default === undefined ? `drop default of domain ${name}` : `set default of domain ${name}`, {
            reverse: [alter.alterDomainDefault(d.schema, d.name, c.from.default)],
          })
      }
      if (c.from.notNull !== d.notNull) {
        emit(c, PHASE.alterColumn, alter.alterDomainNotNull(d.schema, d.name, d.notNull), `make domain ${name} ${d.notNull ? 'NOT NULL' : 'nullable'}`, {
          reverse: [alter.alterDomainNotNull(d.schema, d.name, c.from.notNull)],
          hazards: d.notNull ? [hazard('blocking_scan', name, `SET NOT NULL on domain ${name} checks every column of that domain while their tables are locked`)] : [],
        })
      }
      return
    },
    add_domain_check(c, ctx) {
      const { emit, p } = ctx
      const d = c.domain
      const name = `${d.schema}.${d.name}`
      const reverse = [alter.dropDomainConstraint(d.schema, d.name, c.check.name)]
      if (!p.notValid) {
        return emit(c, PHASE.addKey, alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check)), `add check constraint ${c.check.name} to domain ${name}`, {
          reverse,
          hazards: [hazard('blocking_scan', `${name}.${c.check.name}`, `check ${c.check.name} is validated against every column of domain ${name} while their tables are locked (policy)`)],
        })
      }
      emit(c, PHASE.addKey, alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check, { notValid: true })),
        `add check constraint ${c.check.name} to domain ${name}, step 1: NOT VALID (no scan)`, { reverse })
      emit(c, PHASE.addKey, alter.validateDomainConstraint(d.schema, d.name, c.check.name),
        `add check constraint ${c.check.name} to domain ${name}, step 2: validate in its own transaction`, { transactional: false })
      return
    },
    drop_domain_check(c, ctx) {
      const { emit } = ctx
      const d = c.domain
      return emit(c, PHASE.dropIndex, alter.dropDomainConstraint(d.schema, d.name, c.check.name), `drop check constraint ${c.check.name} of domain ${d.schema}.${d.name}`, {
        reverse: [
          alter.addDomainConstraint(d.schema, d.name, ddl.domainCheckClause(c.check)),
          ...commentBack(`CONSTRAINT ${ident(c.check.name)} ON DOMAIN ${qname(d.schema, d.name)}`, c.check.comment),
        ],
      })
    },
  },
  createdKey: {
    create_domain: (c) => `domain:${c.domain.schema}.${c.domain.name}`,
  },
} satisfies PlanKind
