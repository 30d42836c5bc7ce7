/** COMMENT ON, for every kind of object. */
import * as ddl from '../../sqlgen/ddl.js'
import { type PlanKind } from '../context.js'
import { commentTarget, PHASE } from '../statements.js'

export const comments = {
  name: 'comments',
  steps: {
    set_comment(c, ctx) {
      const { emit } = ctx
      const what = commentTarget(c.target)
      return emit(c, PHASE.comment, ddl.commentOn(what, c.to), `comment on ${what.toLowerCase()}`, { reverse: [ddl.commentOn(what, c.from)] })
    },
  },
} satisfies PlanKind
