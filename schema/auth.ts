/** Seed 000, `auth` schema: users, sessions and OAuth connections. */
import { boolean, index, inet, jsonb, pgSchema, sql, text, timestamptz, unique, uuid, varchar } from '../src/dsl/index.js'

export const auth = pgSchema('auth', { comment: 'Users, sessions, permissions' })

export const users = auth.table(
  'users',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    email: varchar(255).unique().notNull(),
    password_hash: varchar(255),
    first_name: varchar(100),
    last_name: varchar(100),
    avatar_url: varchar(500),
    status: varchar(20).default('active'),
    email_verified: boolean().default(false),
    mfa_enabled: boolean().default(false),
    created_at: timestamptz().defaultNow(),
    updated_at: timestamptz().defaultNow(),
    last_login_at: timestamptz(),
  },
  (t) => [index('idx_users_email').on(t.email)],
)

export const sessions = auth.table('sessions', {
  id: uuid().primaryKey().defaultRandom(),
  user_id: uuid().references(() => users.id, { onDelete: 'cascade' }),
  token_hash: varchar(255).notNull(),
  device_info: jsonb<Record<string, unknown>>(),
  ip_address: inet(),
  expires_at: timestamptz().notNull(),
  created_at: timestamptz().defaultNow(),
})

export const oauthConnections = auth.table(
  'oauth_connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    user_id: uuid().references(() => users.id, { onDelete: 'cascade' }),
    provider: varchar(50).notNull(),
    provider_id: varchar(255).notNull(),
    access_token: text(),
    refresh_token: text(),
    expires_at: timestamptz(),
    created_at: timestamptz().defaultNow(),
  },
  (t) => [unique().on(t.provider, t.provider_id)],
)

export type User = typeof users.$inferSelect
export type NewUser = typeof users.$inferInsert
