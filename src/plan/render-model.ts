/**
 * renderModel(model): the whole model as the statements that create it on an empty database —
 * the plan of the changes from an empty model (with Postgres' built-in schemas) to it, so a full
 * render and a migration go through one path to SQL (one order, one spelling). Pure and
 * deterministic: the same model always gives byte-identical SQL.
 */
import { diff } from '../diff/diff.js'
import { emptyModel, type Model } from '../model/types.js'
import { BUILTIN_SCHEMAS, SESSION_PREAMBLE } from '../sqlgen/session.js'
import { plan } from './plan.js'

/**
 * All statements (without semicolons) that create `model` on an empty database, after the
 * SESSION_PREAMBLE (none at all for an empty model).
 */
export function renderModel(model: Model): string[] {
  // the built-in schemas exist already (without a comment: one the model gives is set)
  const base: Model = {
    ...emptyModel(),
    schemas: model.schemas.filter((s) => BUILTIN_SCHEMAS.has(s.name)).map((s) => ({ kind: 'schema' as const, name: s.name })),
  }
  const d = diff(base, model)
  if (d.status !== 'ok') throw new Error('renderModel: a diff from an empty model cannot need rename answers')
  const p = plan(d.changes, { lockTimeout: false })
  const out = p.steps.map((s) => s.sql)
  return out.length ? [...SESSION_PREAMBLE, ...out] : []
}
