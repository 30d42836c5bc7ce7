/** Seed 001 (AI chat + course platform): the `app` schema and its enum types. */
import { pgSchema } from '../../src/dsl/index.js'

export const app = pgSchema('app', { comment: 'AI chat and course platform (migrated from MongoDB)' })

/** Access tier of users, agents and courses. */
export const tier = app.enum('tier', ['free', 'pro', 'admin'])
/** Role of a user account. */
export const userRole = app.enum('user_role', ['user', 'admin'])
/** Author of a chat message. */
export const messageRole = app.enum('message_role', ['user', 'assistant', 'system'])
