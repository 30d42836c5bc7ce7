/** Seed 000: the `ai` and `analytics` schemas, declared (the seed lists them without tables). */
import { pgSchema } from '../src/dsl/index.js'

export const ai = pgSchema('ai', { comment: 'Aria: context, usage, preferences' })
export const analytics = pgSchema('analytics', { comment: 'Cross-service: metrics, events' })
