/** The `app` schema, its enum types and the pgvector extension. */
import { extension, pgSchema } from '../../../src/dsl/index.js'

export const app = pgSchema('app', { comment: 'AI chat and course platform: retrieval (RAG) tables' })

/** pgvector: the `vector` type, its distance operators and the ivfflat and hnsw index methods. */
export const vector = extension('vector')

/** Access tier of users. */
export const tier = app.enum('tier', ['free', 'pro', 'admin'])
/** Role of a user account. */
export const userRole = app.enum('user_role', ['user', 'admin'])
