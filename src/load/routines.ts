/**
 * Functions and triggers of the definitions: exported ones, the functions exported triggers call,
 * and the touch triggers `timestamps({ touch: true })` asks for; each checked where it was defined.
 */
import type { FunctionDef, TriggerDef } from '../model/types.js'
import type { DefinedAt } from '../dsl/location.js'
import { byteLength, MAX_IDENTIFIER_BYTES } from '../dsl/names.js'
import type { Fn } from '../dsl/routine.js'
import type { TableState } from '../dsl/table-state.js'
import type { Trigger } from '../dsl/trigger.js'
import { isTouched, touchFunction, triggerDefinition } from '../dsl/trigger.js'
import { fragmentProblem, statementProblem } from './sql-fragments.js'

type IssueFn = (code: string, message: string, at: DefinedAt | undefined, object?: string, hint?: string) => void

/** Builds the functions and triggers, reporting problems through `issue`. */
export function collectRoutines(
  found: { readonly functions: readonly Fn[]; readonly triggers: readonly Trigger[] },
  tables: ReadonlyMap<string, TableState>,
  views: ReadonlySet<string>,
  issue: IssueFn,
  declared: (schema: string, what: string, object: string, at: DefinedAt) => void,
): { functions: FunctionDef[]; triggers: TriggerDef[] } {
  const fns: Fn[] = [...found.functions]
  const triggers: { def: TriggerDef; at: DefinedAt; when?: string; fnName?: string }[] = []
  for (const t of found.triggers) {
    if (t.fn) fns.push(t.fn)
    triggers.push({ def: t.$def, at: t.at, ...(t.when !== undefined ? { when: t.when } : {}) })
  }
  // timestamps({ touch: true }): a touch trigger per marked column, its function once per schema
  for (const st of tables.values()) {
    for (const col of st.columns.values()) {
      if (!isTouched(col)) continue
      const name = col.config.name!
      const f = touchFunction(st.schema, name)
      fns.push(f)
      triggers.push({
        def: {
          kind: 'trigger', schema: st.schema, table: st.name, name: `touch_${name}`,
          definition: triggerDefinition({ schema: st.schema, name: st.name }, `touch_${name}`, {
            timing: 'before', events: ['update'], level: 'row', function: f,
          }),
        },
        at: st.at,
      })
    }
  }

  const functions = new Map<string, { def: FunctionDef; at: DefinedAt }>()
  const seen = new Set<Fn>()
  for (const f of fns) {
    if (seen.has(f)) continue
    seen.add(f)
    const d = f.$def
    const key = `${d.schema}.${d.name}(${d.args})`
    const prior = functions.get(key)
    if (prior) {
      if (prior.def.definition !== d.definition || prior.def.comment !== d.comment) {
        issue('duplicate_function', `function ${key} is defined twice, differently`, f.at, key, 'define it once and import it where needed')
      }
      continue
    }
    functions.set(key, { def: d, at: f.at })
    declared(d.schema, 'function', key, f.at)
    if (byteLength(d.name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${d.name}" is longer than 63 bytes`, f.at, key, 'use a name of at most 63 bytes')
    for (const r of f.$raw) {
      const problem = fragmentProblem(r.kind, r.text)
      if (problem) issue('invalid_sql', `${r.what} ${problem}`, f.at, key, r.kind === 'type' ? "give the type as PostgreSQL spells it, e.g. 'integer' or 'app.mood'" : 'write one expression')
    }
    const problem = statementProblem('CreateFunctionStmt', d.definition)
    if (problem) {
      issue('invalid_sql', `function ${key}: its definition ${problem}`, f.at, key,
        "check args, returns, language and searchPath: types as PostgreSQL spells them ('integer', 'setof app.users', 'trigger')")
    }
  }

  const byTable = new Map<string, TriggerDef>()
  for (const t of triggers) {
    const d = t.def
    const on = `${d.schema}.${d.table}`
    const key = `${on}.${d.name}`
    const prior = byTable.get(key)
    if (prior) {
      if (prior.definition !== d.definition) issue('duplicate_trigger', `trigger ${d.name} on ${on} is defined twice`, t.at, key, 'give one of them another name')
      continue
    }
    byTable.set(key, d)
    if (!tables.has(on) && !views.has(on)) {
      issue('trigger_unknown_table', `trigger ${d.name} is on ${on}, which is not an exported table or view`, t.at, key, `export ${on} too`)
    }
    if (byteLength(d.name) > MAX_IDENTIFIER_BYTES) issue('identifier_too_long', `"${d.name}" is longer than 63 bytes`, t.at, key, 'use a name of at most 63 bytes')
    if (t.when !== undefined) {
      const problem = fragmentProblem('expression', t.when)
      if (problem) issue('invalid_sql', `the WHEN condition of trigger ${key} ${problem}`, t.at, key, 'write one boolean expression on NEW and OLD')
    }
    const problem = statementProblem('CreateTrigStmt', d.definition)
    if (problem) issue('invalid_sql', `trigger ${key}: its definition ${problem}`, t.at, key, 'give the function as a fn() object or its qualified name')
  }
  return { functions: [...functions.values()].map((f) => f.def), triggers: [...byTable.values()] }
}
