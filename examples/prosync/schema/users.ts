/** Step 1: users (`users.users`) and their authentication sessions (`auth.sessions`). */
import { boolean, check, index, inet, pgSchema, softDelete, sql, text, timestamps, timestamptz, uuid, varchar } from '../../../src/dsl/index.js'

export const usersSchema = pgSchema('users', { comment: 'Identities and login credentials' })
export const authSchema = pgSchema('auth', { comment: 'Authentication sessions' })

export const users = usersSchema.table(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    login: varchar(255).notNull().unique().comment('The e-mail address the user signs in with'),
    password_hash: text(),
    display_name: varchar(200),
    is_active: boolean().notNull().default(true),
    ...timestamps(),
    ...softDelete(),
  },
  (t) => [check('users_login_check', sql`${t.login} LIKE '%@%'`)],
  { comment: 'Login credentials and identity' },
)

export const sessions = authSchema.table(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom().comment('A UUID, so sessions can be issued by any node'),
    user_id: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    token_hash: text().notNull().unique(),
    user_agent: text().comment('Kept for anomaly detection'),
    ip_address: inet().comment('Kept for anomaly detection'),
    created_at: timestamptz().notNull().defaultNow(),
    last_active_at: timestamptz().notNull().defaultNow(),
    expires_at: timestamptz().notNull(),
    revoked_at: timestamptz(),
  },
  (t) => [
    check('sessions_expiry_check', sql`${t.expires_at} > ${t.created_at}`),
    index('idx_sessions_user_active').on(t.user_id, t.expires_at).where(sql`${t.revoked_at} IS NULL`),
  ],
  { comment: 'Active authentication tokens with metadata' },
)
